// The request pipeline of App::Handle.
#include <sodium.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "app/messages_zh.hpp"
#include "modules/accounts/accounts_routes.hpp"
#include "modules/accounts/password.hpp"
#include "modules/audit/actor.hpp"
#include "platform/http/problem.hpp"
#include "platform/live/live_socket.hpp"
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

std::string RequestIdOf(const http::Request& request) {
  std::string id = request.Header("x-request-id").value_or("");
  return SafeRequestId(id) ? id : NextRequestId();
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Whether the browser page that opens a WebSocket comes from this server: its Origin's host and
// port equal the Host the request was sent to. Browsers send Origin on every WebSocket handshake
// and send cookies with cross-site ones too, so without this check any site could open a console's
// live feed with the console's cookie (cross-site WebSocket hijacking). The scheme is not
// compared: a TLS-terminating proxy in front sees https origins over http.
bool SameOrigin(const http::Request& request) {
  const auto origin = request.Header("origin");
  const auto host = request.Header("host");
  if (!origin || !host || host->empty()) return false;
  const size_t scheme_end = origin->find("://");
  if (scheme_end == std::string::npos) return false;  // "null" and other opaque origins
  const std::string scheme = Lower(origin->substr(0, scheme_end));
  std::string origin_host = Lower(origin->substr(scheme_end + 3));
  std::string want = Lower(*host);
  // Default ports may be written in one header and left out in the other.
  const std::string default_port = scheme == "https" ? ":443" : ":80";
  if (origin_host.ends_with(default_port)) origin_host.resize(origin_host.size() - default_port.size());
  if (want.ends_with(":80") || want.ends_with(":443")) want.resize(want.rfind(':'));
  return origin_host == want;
}

}  // namespace

Result<App::Authenticated> App::AuthenticateRequest(const http::Request& request) {
  Authenticated out;
  if (auto auth = request.Header("authorization"); auth && auth->starts_with("Bearer ")) {
    out.token = auth->substr(7);
  } else if (auto cookie = request.Cookie(accounts::kSessionCookie); cookie && !cookie->empty()) {
    out.token = *cookie;
    out.via_cookie = true;
  }
  if (out.token.empty()) return Fail(Unauthenticated("unauthenticated", "Log in first."));
  auto session = accounts_->Authenticate(out.token);
  if (!session) return Fail(session.error());
  out.session = std::move(*session);
  out.session.principal.via_cookie = out.via_cookie;
  return out;
}

http::UpgradeDecision App::Upgrade(http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  const std::string request_id = RequestIdOf(request);
  std::string route = "(none)";
  std::optional<Principal> principal;
  std::shared_ptr<http::WsHandler> handler;

  auto decide = [&]() -> http::Response {
    if (request.malformed) return http::Problem(Error::Invalid(*request.malformed, "Broken percent-encoding (%XX)."));
    if (request.path != kLivePath) return http::Problem(Error::NotFound("A WebSocket at " + request.path));
    route = kLivePath;
    auto caller = AuthenticateRequest(request);
    if (!caller) return http::Problem(caller.error());
    principal = caller->session.principal;
    if (caller->via_cookie && !SameOrigin(request)) {
      return http::Problem(Error{ErrorCode::kPermissionDenied,
                                 "A WebSocket opened with the session cookie must come from this site (Origin).",
                                 "cross_origin",
                                 {},
                                 {}});
    }
    if (caller->session.must_change_password) {
      return http::Problem(Error{
          ErrorCode::kPermissionDenied, "Change your password before going on.", "password_change_required", {}, {}});
    }
    std::optional<uint64_t> since;
    if (auto it = request.query.find("since"); it != request.query.end()) {
      uint64_t value = 0;
      const auto& text = it->second;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return http::Problem(Error::Invalid("since", "A seq: digits only."));
      since = value;
    }
    // Checked again on every ping: a revoked or expired session ends the socket too. Only a
    // definite "no session" does; a database hiccup does not drop a duty console.
    handler = std::make_shared<live::LiveSocket>(
        *hub_, Scope::Of(*principal), since, [accounts = accounts_.get(), token = caller->token] {
          auto session = accounts->Authenticate(token);
          return session || session.error().code != ErrorCode::kUnauthenticated;
        });
    http::Response accepted;
    accepted.status = 101;
    return accepted;
  };

  http::Response response;
  try {
    response = decide();
  } catch (const std::exception& e) {
    log::Event(log::Level::kError, "request.exception", {{"request_id", request_id}, {"error", e.what()}});
    response = http::Problem(Error::Internal(e.what()));
    handler.reset();
  }
  Finish(request, response, request_id, route, principal, started);
  if (handler) return http::UpgradeDecision::Accept(std::move(handler));
  return http::UpgradeDecision::Refuse(std::move(response));
}

std::variant<http::Response, App::Dispatch> App::Prepare(http::Request& request, const std::string& request_id,
                                                         std::string& route, std::optional<Principal>& principal) {
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
  Dispatch d{match.route, http::Context{request, std::move(match.params), std::nullopt, request_id, route, ""}};
  if (match.route->access != http::Access::kPublic) {
    auto caller = AuthenticateRequest(request);
    if (!caller) return http::Problem(caller.error());
    const bool via_cookie = caller->via_cookie;
    accounts::Session& session = caller->session;
    principal = session.principal;
    d.ctx.principal = std::move(session.principal);
    d.ctx.csrf_token = session.csrf_token;
    const bool safe = request.method == "GET" || request.method == "HEAD";
    if (via_cookie && !safe && !SameSecret(request.Header("x-csrf-token").value_or(""), session.csrf_token)) {
      return http::Problem(
          Error{ErrorCode::kPermissionDenied, "The request lacks a valid CSRF token.", "csrf_failed", {}, {}});
    }
    if (session.must_change_password && match.route->access != http::Access::kSelf) {
      return http::Problem(Error{
          ErrorCode::kPermissionDenied, "Change your password before going on.", "password_change_required", {}, {}});
    }
  }
  return d;
}

http::Response App::Handle(http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  const std::string request_id = RequestIdOf(request);
  std::string route = "(none)";
  std::optional<Principal> principal;

  auto handle = [&]() -> http::Response {
    auto prepared = Prepare(request, request_id, route, principal);
    if (auto* answer = std::get_if<http::Response>(&prepared)) return std::move(*answer);
    auto& d = std::get<Dispatch>(prepared);
    if (d.route->handler) return d.route->handler(d.ctx);
    // An asynchronous route called synchronously (no server in between): wait for its reply.
    auto answer = std::make_shared<std::promise<http::Response>>();
    auto future = answer->get_future();
    d.route->async_handler(d.ctx, [answer](http::Response r) { answer->set_value(std::move(r)); });
    return future.get();
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
  Finish(request, response, request_id, route, principal, started);
  return response;
}

bool App::StartsAsync(const http::Request& request) const {
  if (request.malformed) return false;
  auto match = router_.Find(request.method, request.path);
  return match.route != nullptr && match.route->async_handler != nullptr;
}

void App::HandleAsync(std::shared_ptr<http::Request> request, http::Reply reply) {
  struct State {
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::shared_ptr<http::Request> request;
    std::string request_id;
    std::string route = "(none)";
    std::optional<Principal> principal;
    http::Reply reply;
  };
  auto st = std::make_shared<State>();
  st->request = std::move(request);
  st->request_id = RequestIdOf(*st->request);
  st->reply = std::move(reply);
  // The end of the pipeline, on whichever thread the handler answers from: it never waits for the
  // writer, so a denied write's audit record is written asynchronously before the answer.
  auto finish = [this, st](http::Response response) {
    const auto& request = *st->request;
    auto answer = [this, st](http::Response r) {
      Finish(*st->request, r, st->request_id, st->route, st->principal, st->started);
      st->reply(std::move(r));
    };
    if (response.status == 403 && st->principal) {
      auto record = [this, entry = audit::Entry{audit::ActorFor(*st->principal, st->request_id), "http.denied",
                                                request.method + " " + request.path, audit::Outcome::kDenied,
                                                st->route}](db::Connection& tx) { return audit_->Append(tx, entry); };
      db_->WriteAsync(std::move(record),
                      [answer, response = std::move(response)](Status) mutable { answer(std::move(response)); });
      return;
    }
    answer(std::move(response));
  };
  try {
    auto prepared = Prepare(*st->request, st->request_id, st->route, st->principal);
    if (auto* answer = std::get_if<http::Response>(&prepared)) return finish(std::move(*answer));
    auto& d = std::get<Dispatch>(prepared);
    if (d.route->handler) return finish(d.route->handler(d.ctx));  // not expected: StartsAsync said async
    d.route->async_handler(d.ctx, [finish](http::Response r) {
      try {
        finish(std::move(r));
      } catch (const std::exception& e) {
        log::Event(log::Level::kError, "request.exception", {{"error", e.what()}});
      }
    });
  } catch (const std::exception& e) {
    log::Event(log::Level::kError, "request.exception", {{"request_id", st->request_id}, {"error", e.what()}});
    finish(http::Problem(Error::Internal(e.what())));
  }
}

void App::Finish(const http::Request& request, http::Response& response, const std::string& request_id,
                 const std::string& route, const std::optional<Principal>& principal,
                 std::chrono::steady_clock::time_point started) {
  if (response.status >= 400 && PrefersChinese(request)) LocaliseProblem(response);
  response.headers.reserve(response.headers.size() + 3);  // one allocation for the three below
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
}

}  // namespace xiaoan::app
