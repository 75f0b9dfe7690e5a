// Maps method + path pattern ("/api/v1/org-units/{code}") to a handler. Registration happens at
// start-up; matching is thread-safe afterwards.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "platform/http/message.hpp"

namespace xiaoan::http {

using Handler = std::function<Response(Context&)>;
// A handler that answers later through `reply`: for a write, so that no thread waits for the
// writer (it starts db::Database::WriteAsync and replies from its callback). It runs on an I/O
// thread; `ctx` lives only for the call, so copy what the answer needs.
using AsyncHandler = std::function<void(Context&, Reply)>;

enum class Access {
  kPublic,         // no session needed (health, login)
  kAuthenticated,  // any logged-in account with a settled password
  kSelf,           // logged in, even while a password change is pending (me, logout, password)
};

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kAuthenticated;
  Handler handler;                    // or
  AsyncHandler async_handler;         // (exactly one is set)
  std::vector<std::string> segments;  // the pattern split at '/', computed once
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Access access, Handler handler);
  void AddAsync(std::string method, std::string pattern, Access access, AsyncHandler handler);

  struct Match {
    const Route* route = nullptr;
    std::unordered_map<std::string, std::string> params;
    bool path_known = false;  // some route has this path (for 405 vs 404)
  };
  // Walks the patterns' segments as a tree, literal segments before parameters, so a lookup costs
  // the path's depth rather than the number of routes. Of the routes that match, the one with
  // the fewest parameters wins, then the one added first.
  [[nodiscard]] Match Find(const std::string& method, const std::string& path) const;
  [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

 private:
  struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // One segment position of the patterns added so far; nodes_[0] is the root.
  struct Node {
    std::unordered_map<std::string, size_t, TransparentHash, std::equal_to<>> literal;  // segment -> node
    std::vector<std::pair<std::string, size_t>> parameters;                             // name -> node
    std::vector<size_t> routes;  // indexes into routes_ of the patterns that end here
  };
  // Adds `route` (its segments split from the pattern here) and its path in the tree.
  void Insert(Route route);

  std::vector<Route> routes_;
  std::vector<Node> nodes_{1};
};

}  // namespace xiaoan::http
