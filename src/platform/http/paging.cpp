#include "platform/http/paging.hpp"

#include <charconv>

namespace xiaoan::http {

Result<std::optional<int64_t>> ReadIntParam(const Request& request, const std::string& name, int64_t min, int64_t max) {
  auto it = request.query.find(name);
  if (it == request.query.end() || it->second.empty()) return std::optional<int64_t>{};
  int64_t value = 0;
  const auto& s = it->second;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr != s.data() + s.size() || value < min || value > max) {
    return Fail(Error::Invalid(
        name, "Must be an integer between " + std::to_string(min) + " and " + std::to_string(max) + "."));
  }
  return std::optional<int64_t>(value);
}

Result<PageParams> ReadPage(const Request& request) {
  PageParams p;
  auto page = ReadIntParam(request, "page", 1, 1000000);
  if (!page) return Fail(page.error());
  auto size = ReadIntParam(request, "page_size", 1, 500);
  if (!size) return Fail(size.error());
  if (*page) p.page = **page;
  if (*size) p.page_size = **size;
  return p;
}

nlohmann::json PageEnvelope(nlohmann::json items, int64_t total, PageParams page) {
  return {{"items", std::move(items)}, {"total", total}, {"page", page.page}, {"page_size", page.page_size}};
}

}  // namespace xiaoan::http
