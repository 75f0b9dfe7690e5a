#include "platform/log/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "base/clock.hpp"

namespace xiaoan::log {
namespace {
std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stdout_logger_mt("xiaoan");
    l->set_pattern("%v");
    l->flush_on(spdlog::level::info);
    return l;
  }();
  return logger;
}
spdlog::level::level_enum ToSpd(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}
}  // namespace

void Init(std::string_view level_name) {
  auto level = spdlog::level::info;
  if (level_name == "debug")
    level = spdlog::level::debug;
  else if (level_name == "warn")
    level = spdlog::level::warn;
  else if (level_name == "error")
    level = spdlog::level::err;
  else if (level_name == "off")
    level = spdlog::level::off;
  Logger()->set_level(level);
}

bool Enabled(Level level) { return Logger()->should_log(ToSpd(level)); }

void Event(Level level, std::string_view event, nlohmann::json fields) {
  auto& logger = Logger();
  if (!logger->should_log(ToSpd(level))) return;
  nlohmann::json line{{"ts", FormatRfc3339(Clock::System().Now())},
                      {"level", spdlog::level::to_string_view(ToSpd(level)).data()},
                      {"event", event}};
  if (fields.is_object()) line.update(fields);
  logger->log(ToSpd(level), line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace xiaoan::log
