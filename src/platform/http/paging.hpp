// Reading ?page=&page_size= and writing paged JSON envelopes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "platform/http/message.hpp"

namespace xiaoan::http {

struct PageParams {
  int64_t page = 1;
  int64_t page_size = 50;
};

// page ≥ 1 (default 1), 1 ≤ page_size ≤ 500 (default 50); kInvalidArgument naming the parameter.
[[nodiscard]] Result<PageParams> ReadPage(const Request& request);
// {"items": items, "total": total, "page": .., "page_size": ..}
[[nodiscard]] nlohmann::json PageEnvelope(nlohmann::json items, int64_t total, PageParams page);
// An integer query parameter in [min, max]; nullopt if absent.
[[nodiscard]] Result<std::optional<int64_t>> ReadIntParam(const Request& request, const std::string& name, int64_t min,
                                                          int64_t max);

}  // namespace xiaoan::http
