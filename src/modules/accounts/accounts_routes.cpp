#include "modules/accounts/accounts_routes.hpp"

#include <nlohmann/json.hpp>

#include "platform/http/json_body.hpp"
#include "platform/http/paging.hpp"
#include "platform/http/problem.hpp"

namespace xiaoan::accounts {
namespace {
using http::Need;
using nlohmann::json;

json UserJson(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", RoleName(u.role)},
          {"org_code", u.org_code},
          {"org_name", u.org_name},
          {"classes", u.classes},
          {"must_change_password", u.must_change_password},
          {"active", u.active},
          {"locked_until", u.locked_until > 0 ? json(FormatRfc3339(FromUnixSeconds(u.locked_until))) : json(nullptr)},
          {"totp_enabled", u.totp_secret.has_value()},
          {"created_at", u.created_at}};
}

Result<int64_t> IdParam(const http::Context& ctx) {
  const std::string& s = ctx.Param("id");
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    return Fail(Error::NotFound("User " + s));
  return std::stoll(s);
}

std::optional<Role> ReadRole(http::JsonBody& body, Need need) {
  auto name = body.String("role", need, 40);
  if (!name) return std::nullopt;
  Role r;
  if (!RoleFromName(*name, &r)) {
    body.AddError("role", "Unknown role.");
    return std::nullopt;
  }
  return r;
}

bool ValidUsername(const std::string& s) {
  if (s.size() < 3 || s.size() > 40) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

http::Response Login(AccountsService& s, const CookieOptions& cookies, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  auto username = body->String("username", Need::kRequired, 64, 1);
  auto password = body->String("password", Need::kRequired, 128, 1);
  auto totp = body->String("totp", Need::kOptional, 6);
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  auto result = s.Login({*username, *password, totp, ctx.request_id});
  if (!result) return http::Problem(result.error());
  auto r = http::Json(200, {{"token", result->token},
                            {"csrf_token", result->csrf_token},
                            {"user", UserJson(result->user)},
                            {"must_change_password", result->user.must_change_password}});
  r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + result->token +
                                           "; HttpOnly; SameSite=Strict; Path=/" + (cookies.secure ? "; Secure" : ""));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

http::Response CreateUser(AccountsService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  NewUser n;
  auto username = body->String("username", Need::kRequired, 40, 1);
  auto display = body->String("display_name", Need::kRequired, 50, 1);
  auto role = ReadRole(*body, Need::kRequired);
  auto org = body->String("org_code", Need::kRequired, 10, 1);
  auto classes = body->StringList("classes", Need::kOptional, 20, 30);
  if (username && !ValidUsername(*username)) body->AddError("username", "3 to 40 letters, digits, '-', '_' or '.'.");
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  n.username = *username;
  n.display_name = *display;
  n.role = *role;
  n.org_code = *org;
  if (classes) n.classes = *classes;
  auto created = s.CreateUser(ctx.Caller(), ctx.request_id, n);
  if (!created) return http::Problem(created.error());
  json out{{"user", UserJson(created->user)}, {"initial_password", created->initial_password}};
  if (created->totp_secret) out["totp_secret"] = *created->totp_secret;
  auto r = http::Json(201, out);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

http::Response UpdateUser(AccountsService& s, http::Context& ctx) {
  auto id = IdParam(ctx);
  if (!id) return http::Problem(id.error());
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  UserPatch patch;
  patch.display_name = body->String("display_name", Need::kOptional, 50, 1);
  patch.role = ReadRole(*body, Need::kOptional);
  patch.active = body->Bool("active", Need::kOptional);
  patch.classes = body->StringList("classes", Need::kOptional, 20, 30);
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  auto u = s.UpdateUser(ctx.Caller(), ctx.request_id, *id, patch);
  if (!u) return http::Problem(u.error());
  return http::Json(200, UserJson(*u));
}

}  // namespace

void RegisterRoutes(http::Router& router, AccountsService& s, CookieOptions cookies) {
  using http::Access;
  router.Add("POST", "/api/v1/auth/login", Access::kPublic,
             [&s, cookies](http::Context& ctx) { return Login(s, cookies, ctx); });
  router.Add("GET", "/api/v1/auth/me", Access::kSelf, [&s](http::Context& ctx) {
    auto u = s.GetUser(ctx.Caller(), ctx.Caller().user_id);
    if (!u) return http::Problem(u.error());
    return http::Json(200, {{"user", UserJson(*u)}, {"csrf_token", ctx.csrf_token}});
  });
  router.Add("POST", "/api/v1/auth/logout", Access::kSelf, [&s, cookies](http::Context& ctx) {
    if (auto ok = s.Logout(ctx.Caller(), ctx.request_id); !ok) return http::Problem(ok.error());
    auto r = http::NoContent();
    r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                             "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0" +
                                             (cookies.secure ? "; Secure" : ""));
    return r;
  });
  router.Add("POST", "/api/v1/auth/password", Access::kSelf, [&s](http::Context& ctx) {
    auto body = http::JsonBody::Parse(ctx.request.body);
    if (!body) return http::Problem(body.error());
    auto old_pw = body->String("old_password", Need::kRequired, 128, 1);
    auto new_pw = body->String("new_password", Need::kRequired, 128, 1);
    if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
    if (auto ok = s.ChangePassword(ctx.Caller(), ctx.request_id, *old_pw, *new_pw); !ok)
      return http::Problem(ok.error());
    return http::NoContent();
  });
  router.Add("GET", "/api/v1/users", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    UserFilter f;
    const auto& q = ctx.request.query;
    if (auto it = q.find("org_code"); it != q.end()) f.org_code = it->second;
    if (auto it = q.find("q"); it != q.end()) f.q = it->second.substr(0, 50);
    if (auto it = q.find("role"); it != q.end() && !it->second.empty()) {
      Role r;
      if (!RoleFromName(it->second, &r)) return http::Problem(Error::Invalid("role", "Unknown role."));
      f.role = it->second;
    }
    auto users = s.ListUsers(ctx.Caller(), f, page->page, page->page_size);
    if (!users) return http::Problem(users.error());
    json items = json::array();
    for (const auto& u : users->items) items.push_back(UserJson(u));
    return http::Json(200, http::PageEnvelope(std::move(items), users->total, *page));
  });
  router.Add("POST", "/api/v1/users", Access::kAuthenticated, [&s](http::Context& ctx) { return CreateUser(s, ctx); });
  router.Add("GET", "/api/v1/users/{id}", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    auto u = s.GetUser(ctx.Caller(), *id);
    if (!u) return http::Problem(u.error());
    return http::Json(200, UserJson(*u));
  });
  router.Add("PATCH", "/api/v1/users/{id}", Access::kAuthenticated,
             [&s](http::Context& ctx) { return UpdateUser(s, ctx); });
  router.Add("POST", "/api/v1/users/{id}/reset-password", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    auto pw = s.ResetPassword(ctx.Caller(), ctx.request_id, *id);
    if (!pw) return http::Problem(pw.error());
    auto r = http::Json(200, {{"initial_password", *pw}});
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  });
  router.Add("POST", "/api/v1/users/{id}/unlock", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    auto u = s.Unlock(ctx.Caller(), ctx.request_id, *id);
    if (!u) return http::Problem(u.error());
    return http::Json(200, UserJson(*u));
  });
}

}  // namespace xiaoan::accounts
