// One JSON line per event on stdout (spdlog). Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace xiaoan::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Sets the minimum level written ("debug", "info", "warn", "error"). Unknown names keep "info".
void Init(std::string_view level_name);
// Whether events of `level` are written (check before building costly fields).
[[nodiscard]] bool Enabled(Level level);
// Writes {"ts":..., "level":..., "event": event, ...fields} as one line.
void Event(Level level, std::string_view event, nlohmann::json fields = nlohmann::json::object());

}  // namespace xiaoan::log
