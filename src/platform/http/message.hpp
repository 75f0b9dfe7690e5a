// Plain request and response values passed between the server, the middleware and the routes.
// They carry no Beast types, so modules never include Beast.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/principal.hpp"

namespace xiaoan::http {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // path and query as received
  std::string path;                            // percent-decoded path without the query
  std::map<std::string, std::string> query;    // decoded query parameters (last one wins)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_address;
  // The path, or the name of a query parameter, whose percent-encoding could not be decoded.
  std::optional<std::string> malformed;

  [[nodiscard]] std::optional<std::string> Header(const std::string& lower_name) const;
  // The value of cookie `name`, if sent.
  [[nodiscard]] std::optional<std::string> Cookie(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // A file to send as the body instead of `body` (static assets).
  std::string file_path;
  size_t file_size = 0;
};

// What a route handler sees: the request, its path parameters, the caller and the request id.
struct Context {
  const Request& request;
  std::unordered_map<std::string, std::string> params;
  std::optional<Principal> principal;
  std::string request_id;
  std::string route;       // the matched pattern, for logs and metrics
  std::string csrf_token;  // the session's CSRF token (for the UI's /auth/me)

  [[nodiscard]] const std::string& Param(const std::string& name) const { return params.at(name); }
  // Authenticated caller; only call on routes that require authentication.
  [[nodiscard]] const Principal& Caller() const { return *principal; }
};

// Answers one request: call it exactly once, from any thread. The server answers 500 for a Reply
// dropped without being called, so that a connection is never left waiting.
using Reply = std::function<void(Response)>;

}  // namespace xiaoan::http
