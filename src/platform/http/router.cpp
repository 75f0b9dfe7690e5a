#include "platform/http/router.hpp"

#include <string_view>

namespace xiaoan::http {
namespace {
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}
}  // namespace

void Router::Add(std::string method, std::string pattern, Access access, Handler handler) {
  std::vector<std::string> segments;
  for (auto part : Split(pattern)) segments.emplace_back(part);
  routes_.push_back(Route{std::move(method), std::move(pattern), access, std::move(handler), {}, std::move(segments)});
}

void Router::AddAsync(std::string method, std::string pattern, Access access, AsyncHandler handler) {
  std::vector<std::string> segments;
  for (auto part : Split(pattern)) segments.emplace_back(part);
  routes_.push_back(Route{std::move(method), std::move(pattern), access, {}, std::move(handler), std::move(segments)});
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match result;
  const auto segments = Split(path);
  for (const auto& route : routes_) {
    const auto& pattern = route.segments;
    if (pattern.size() != segments.size()) continue;
    std::unordered_map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < pattern.size() && ok; ++i) {
      if (pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}') {
        if (segments[i].empty())
          ok = false;
        else
          params.emplace(std::string(pattern[i].substr(1, pattern[i].size() - 2)), std::string(segments[i]));
      } else if (pattern[i] != segments[i]) {
        ok = false;
      }
    }
    if (!ok) continue;
    result.path_known = true;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      // A literal segment beats a parameter: keep looking only if this match used parameters.
      if (!result.route || params.size() < result.params.size()) {
        result.route = &route;
        result.params = std::move(params);
      }
    }
  }
  return result;
}

}  // namespace xiaoan::http
