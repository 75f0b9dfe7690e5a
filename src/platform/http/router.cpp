#include "platform/http/router.hpp"

#include <algorithm>
#include <string_view>

namespace xiaoan::http {
namespace {
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  out.reserve(8);  // one allocation for the paths of the API, rather than one per doubling
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
  Insert(Route{std::move(method), std::move(pattern), access, std::move(handler), {}, {}});
}

void Router::AddAsync(std::string method, std::string pattern, Access access, AsyncHandler handler) {
  Insert(Route{std::move(method), std::move(pattern), access, {}, std::move(handler), {}});
}

namespace {
// "{name}" is a parameter named name; any other segment (even "{}") is literal.
bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}
}  // namespace

void Router::Insert(Route route) {
  for (auto part : Split(route.pattern)) route.segments.emplace_back(part);
  routes_.push_back(std::move(route));
  size_t at = 0;
  for (const auto& segment : routes_.back().segments) {
    size_t next = nodes_.size();
    if (IsParameter(segment)) {
      std::string name = segment.substr(1, segment.size() - 2);
      auto it = std::find_if(nodes_[at].parameters.begin(), nodes_[at].parameters.end(),
                             [&](const auto& p) { return p.first == name; });
      if (it != nodes_[at].parameters.end())
        next = it->second;
      else
        nodes_[at].parameters.emplace_back(std::move(name), next);
    } else if (auto it = nodes_[at].literal.find(segment); it != nodes_[at].literal.end()) {
      next = it->second;
    } else {
      nodes_[at].literal.emplace(segment, next);
    }
    if (next == nodes_.size()) nodes_.emplace_back();  // after the parent's last use: this may move it
    at = next;
  }
  nodes_[at].routes.push_back(routes_.size() - 1);
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match result;
  const auto segments = Split(path);
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t best = kNone;
  std::vector<std::pair<std::string_view, std::string_view>> taken, best_params;
  // Depth first, literal before parameter; at the end of the path, the routes that end there.
  const auto walk = [&](const auto& self, size_t at, size_t depth) -> void {
    const Node& node = nodes_[at];
    if (depth == segments.size()) {
      for (const size_t r : node.routes) {
        result.path_known = true;
        const Route& route = routes_[r];
        if (route.method != method && !(method == "HEAD" && route.method == "GET")) continue;
        if (best == kNone || taken.size() < best_params.size() || (taken.size() == best_params.size() && r < best)) {
          best = r;
          best_params = taken;
        }
      }
      return;
    }
    const std::string_view segment = segments[depth];
    if (auto it = node.literal.find(segment); it != node.literal.end()) self(self, it->second, depth + 1);
    if (segment.empty()) return;
    for (const auto& [name, child] : node.parameters) {
      taken.emplace_back(name, segment);
      self(self, child, depth + 1);
      taken.pop_back();
    }
  };
  walk(walk, 0, 0);
  if (best != kNone) {
    result.route = &routes_[best];
    for (const auto& [name, value] : best_params) result.params.emplace(name, value);
  }
  return result;
}

}  // namespace xiaoan::http
