// The request pipeline of App::Handle.
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "app/messages_zh.hpp"
#include "modules/accounts/accounts_routes.hpp"
#include "modules/accounts/password.hpp"
#include "modules/audit/actor.hpp"
#include "platform/http/problem.hpp"
#include "platform/log/log.hpp"

namespace xiaoan::app {
namespace {

bool SafeRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// A random per-process prefix and a counter: unique, unguessable across restarts, and cheap.
std::string NextRequestId() {
  static const std::string prefix = accounts::RandomToken(6);
  static std::atomic<uint64_t> counter{0};
  return prefix + "-" + std::to_string(++counter);
}

Error Unauthenticated(std::string reason, std::string message) {
  return Error{ErrorCode::kUnauthenticated, std::move(message), std::move(reason), {}, {}};
}

}  // namespace

http::Response App::Handle(http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  std::string request_id = request.Header("x-request-id").value_or("");
  if (!SafeRequestId(request_id)) request_id = NextRequestId();
  std::string route = "(none)";
  std::optional<Principal> principal;

  auto handle = [&]() -> http::Response {
    if (request.path == "/metrics" && (request.method == "GET" || request.method == "HEAD")) {
      route = "/metrics";
      http::Response r;
      r.content_type = "text/plain; version=0.0.4";
      r.body = metrics_.Render();
      return r;
    }
    if (request.malformed) {
      return http::Problem(Error::Invalid(*request.malformed, "Broken percent-encoding (%XX)."));
    }
    auto match = router_.Find(request.method, request.path);
    if (!match.route) {
      if (request.method == "GET" || request.method == "HEAD") {
        if (auto file = static_files_.Serve(request)) {
          route = "(static)";
          return *file;
        }
      }
      if (match.path_known) {
        return http::Problem(
            Error{ErrorCode::kInvalidArgument, request.method + " is not allowed here.", "method_not_allowed", {}, {}},
            405);
      }
      return http::Problem(Error::NotFound("The resource " + request.path));
    }
    route = match.route->pattern;
    http::Context ctx{request, std::move(match.params), std::nullopt, request_id, route, ""};
    if (match.route->access != http::Access::kPublic) {
      std::optional<std::string> token;
      bool via_cookie = false;
      if (auto auth = request.Header("authorization"); auth && auth->starts_with("Bearer ")) {
        token = auth->substr(7);
      } else if (auto cookie = request.Cookie(accounts::kSessionCookie); cookie && !cookie->empty()) {
        token = *cookie;
        via_cookie = true;
      }
      if (!token) return http::Problem(Unauthenticated("unauthenticated", "Log in first."));
      auto session = accounts_->Authenticate(*token);
      if (!session) return http::Problem(session.error());
      session->principal.via_cookie = via_cookie;
      principal = session->principal;
      ctx.principal = session->principal;
      ctx.csrf_token = session->csrf_token;
      const bool safe = request.method == "GET" || request.method == "HEAD";
      if (via_cookie && !safe && !SameSecret(request.Header("x-csrf-token").value_or(""), session->csrf_token)) {
        return http::Problem(
            Error{ErrorCode::kPermissionDenied, "The request lacks a valid CSRF token.", "csrf_failed", {}, {}});
      }
      if (session->must_change_password && match.route->access != http::Access::kSelf) {
        return http::Problem(Error{
            ErrorCode::kPermissionDenied, "Change your password before going on.", "password_change_required", {}, {}});
      }
    }
    return match.route->handler(ctx);
  };

  http::Response response;
  try {
    response = handle();
  } catch (const std::exception& e) {
    log::Event(log::Level::kError, "request.exception", {{"request_id", request_id}, {"error", e.what()}});
    response = http::Problem(Error::Internal(e.what()));
  }
  const bool write = request.method != "GET" && request.method != "HEAD";
  if (response.status == 403 && write && principal) {
    // Denied writes are security events: record them too.
    (void)audit_->AppendDurable(*db_, {audit::ActorFor(*principal, request_id), "http.denied",
                                       request.method + " " + request.path, audit::Outcome::kDenied, route});
  }
  if (response.status >= 400 && PrefersChinese(request)) LocaliseProblem(response);
  response.headers.emplace_back("X-Request-Id", request_id);
  if (request.path.starts_with("/api/")) {
    bool has_cache = false;
    for (const auto& [k, v] : response.headers) has_cache |= k == "Cache-Control";
    if (!has_cache) response.headers.emplace_back("Cache-Control", "no-store");
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.ObserveRequest(request.method, route, response.status, seconds);
  const auto level = response.status >= 500 ? log::Level::kError : log::Level::kInfo;
  if (log::Enabled(level))
    log::Event(level, "http.request",
               {{"request_id", request_id},
                {"method", request.method},
                {"path", request.path},
                {"route", route},
                {"status", response.status},
                {"ms", seconds * 1000.0},
                {"user", principal ? principal->username : ""},
                {"remote", request.remote_address}});
  return response;
}

}  // namespace xiaoan::app
