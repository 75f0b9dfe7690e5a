// Logging in: passwords, lockout, the administrators' TOTP, the forced first password change, and
// the browser's cookie + CSRF path.
#include <ctime>
#include <set>

#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

class Auth : public ServerSuite<Auth> {
 public:
  static std::vector<NewAccount> Accounts() {
    return {{"it-lockme", "bureau_safety_officer", "410105"},
            {"it-totp", "system_admin", "410000"},
            {"it-sysadmin", "system_admin", "410000"}};
  }

 protected:
  // The Set-Cookie value's `name=value` part for the session cookie.
  static std::string SessionCookie(const HttpResponse& login) {
    const std::string header = login.Header("set-cookie");
    return header.substr(0, header.find(';'));
  }
};

TEST_F(Auth, DemoCountyLogsInAndSeesItsCounty) {
  auto r = server().Login("demo-county", kDemoPassword);
  ASSERT_EQ(r.status, 200) << r;
  const json j = r.Json();
  EXPECT_FALSE(j.value("token", "").empty());
  EXPECT_FALSE(j.value("csrf_token", "").empty());
  EXPECT_EQ(j["must_change_password"], false);
  const json& user = j["user"];
  EXPECT_EQ(user["org_code"], "410105");
  EXPECT_EQ(user["username"], "demo-county");
  EXPECT_EQ(user["role"], "bureau_safety_officer");
  EXPECT_EQ(user["locked_until"], nullptr);
  std::set<std::string> keys;
  for (auto it = user.begin(); it != user.end(); ++it) keys.insert(it.key());
  EXPECT_EQ(keys,
            (std::set<std::string>{"id", "username", "display_name", "role", "org_code", "org_name", "classes",
                                   "must_change_password", "active", "locked_until", "totp_enabled", "created_at"}));
  EXPECT_EQ(r.Header("cache-control"), "no-store");

  auto me = server().Get("/api/v1/auth/me", j["token"]);
  ASSERT_EQ(me.status, 200) << me;
  EXPECT_EQ(me.Json()["user"]["org_code"], "410105");
  EXPECT_EQ(me.Json()["csrf_token"], j["csrf_token"]);
}

TEST_F(Auth, WrongPasswordAnswersInvalidCredentials) {
  auto r = server().Login("demo-guard", "Wrong#Pass2026x");
  EXPECT_EQ(r.status, 401) << r;
  EXPECT_TRUE(r.IsProblem());
  EXPECT_EQ(r.Code(), "invalid_credentials");
  EXPECT_EQ(r.Json().count("token"), 0u);
}

TEST_F(Auth, UnknownUserLooksLikeAWrongPassword) {
  auto unknown = server().Login("no-such-user", "Wrong#Pass2026x");
  EXPECT_EQ(unknown.status, 401) << unknown;
  EXPECT_EQ(unknown.Code(), "invalid_credentials");
  auto wrong = server().Login("demo-doctor", "Wrong#Pass2026x");
  EXPECT_EQ(wrong.Json()["detail"], unknown.Json()["detail"]) << "the answer must not tell which usernames exist";
}

TEST_F(Auth, FiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne) {
  for (int attempt = 1; attempt <= 4; ++attempt) {
    auto r = server().Login("it-lockme", "Wrong#Pass2026x");
    EXPECT_EQ(r.status, 401) << "attempt " << attempt << ": " << r;
    EXPECT_EQ(r.Code(), "invalid_credentials") << "attempt " << attempt;
  }
  auto fifth = server().Login("it-lockme", "Wrong#Pass2026x");
  EXPECT_EQ(fifth.status, 401) << fifth;
  EXPECT_EQ(fifth.Code(), "account_locked") << fifth;
  const json j = fifth.Json();
  ASSERT_TRUE(j.contains("retry_after_minutes")) << fifth;
  ASSERT_TRUE(j.contains("locked_until")) << fifth;
  const std::string minutes = j["retry_after_minutes"].is_string() ? j["retry_after_minutes"].get<std::string>()
                                                                   : j["retry_after_minutes"].dump();
  EXPECT_EQ(minutes, "15");
  EXPECT_TRUE(j["locked_until"].is_string() && j["locked_until"].get<std::string>().size() >= 20) << fifth;

  auto right = server().Login("it-lockme", kAccountPassword);
  EXPECT_EQ(right.status, 401) << right;
  EXPECT_EQ(right.Code(), "account_locked");

  // The system administrator sees the lock and can lift it.
  const std::string admin = server().Token("it-sysadmin");
  auto list = server().Get("/api/v1/users?q=it-lockme", admin);
  ASSERT_EQ(list.status, 200) << list;
  ASSERT_EQ(list.Json()["total"], 1) << list;
  const json user = list.Json()["items"][0];
  EXPECT_TRUE(user["locked_until"].is_string()) << user;
  auto unlocked =
      server().Post("/api/v1/users/" + std::to_string(user["id"].get<int64_t>()) + "/unlock", json::object(), admin);
  ASSERT_EQ(unlocked.status, 200) << unlocked;
  EXPECT_EQ(unlocked.Json()["locked_until"], nullptr);
  EXPECT_EQ(server().Login("it-lockme", kAccountPassword).status, 200);
}

TEST_F(Auth, AdministratorWithoutTotpIsAskedForIt) {
  auto r = server().Login("it-totp", kAccountPassword);
  EXPECT_EQ(r.status, 401) << r;
  EXPECT_EQ(r.Code(), "totp_required");
  // The right TOTP does not rescue a wrong password.
  auto wrong_password = server().Login("it-totp", "Wrong#Pass2026x", "123456");
  EXPECT_EQ(wrong_password.Code(), "invalid_credentials") << wrong_password;
}

TEST_F(Auth, AdministratorWithAWrongTotpIsRefused) {
  const std::string secret = server().TotpSecret("it-totp");
  const int64_t now = std::time(nullptr) / 30;
  std::set<std::string> valid;
  for (int64_t s = now - 2; s <= now + 2; ++s) valid.insert(TotpCodeAt(secret, s));
  std::string wrong = "000000";
  while (valid.contains(wrong)) wrong[5]++;
  auto r = server().Login("it-totp", kAccountPassword, wrong);
  EXPECT_EQ(r.status, 401) << r;
  EXPECT_EQ(r.Code(), "totp_invalid");
}

TEST_F(Auth, AdministratorTotpCodeWorksOnlyOnce) {
  const std::string code = server().NextTotp("it-totp");
  auto first = server().Login("it-totp", kAccountPassword, code);
  ASSERT_EQ(first.status, 200) << first;
  EXPECT_EQ(first.Json()["user"]["role"], "system_admin");
  EXPECT_EQ(first.Json()["user"]["totp_enabled"], true);
  auto again = server().Login("it-totp", kAccountPassword, code);
  EXPECT_EQ(again.status, 401) << again;
  EXPECT_EQ(again.Code(), "totp_invalid");
}

TEST_F(Auth, NewAccountsMustChangeTheirPasswordBeforeAnythingElse) {
  const std::string admin = server().Token("it-sysadmin");
  auto created = server().Post("/api/v1/users",
                               {{"username", "it-fresh"},
                                {"display_name", "新来的安全干部"},
                                {"role", "bureau_safety_officer"},
                                {"org_code", "410000"}},
                               admin);
  ASSERT_EQ(created.status, 201) << created;
  const std::string initial = created.Json().value("initial_password", "");
  ASSERT_FALSE(initial.empty()) << created;
  EXPECT_EQ(created.Json()["user"]["must_change_password"], true);
  EXPECT_EQ(created.Json().count("totp_secret"), 0u) << "only administrators get a TOTP secret";

  auto login = server().Login("it-fresh", initial);
  ASSERT_EQ(login.status, 200) << login;
  EXPECT_EQ(login.Json()["must_change_password"], true);
  const std::string token = login.Json()["token"];

  auto blocked = server().Get("/api/v1/org-units/410000", token);
  EXPECT_EQ(blocked.status, 403) << blocked;
  EXPECT_EQ(blocked.Code(), "password_change_required");
  auto blocked_write = server().Post("/api/v1/org-units", NewSchoolBody("410105", "8410105801", "越权学校"), token);
  EXPECT_EQ(blocked_write.status, 403) << blocked_write;
  EXPECT_EQ(blocked_write.Code(), "password_change_required");
  EXPECT_EQ(server().Get("/api/v1/auth/me", token).status, 200) << "me stays reachable";

  struct Weak {
    const char* why;
    std::string old_password, new_password, field;
  };
  const std::vector<Weak> weak = {
      {"too short (9)", initial, "Ab#456789", "new_password"},
      {"two classes only", initial, "abcdefghij12", "new_password"},
      {"contains the username", initial, "My#IT-FRESH2026", "new_password"},
      {"same as before", initial, initial, "new_password"},
      {"wrong current password", "Wrong#Pass2026x", "Fresh#Start2026", "old_password"},
  };
  for (const auto& w : weak) {
    auto r = server().Post("/api/v1/auth/password",
                           {{"old_password", w.old_password}, {"new_password", w.new_password}}, token);
    EXPECT_EQ(r.status, 400) << w.why << ": " << r;
    EXPECT_TRUE(r.NamesField(w.field)) << w.why << ": " << r;
  }
  EXPECT_EQ(server().Get("/api/v1/org-units/410000", token).status, 403) << "still blocked";

  // Ten characters of three classes is just enough.
  auto changed =
      server().Post("/api/v1/auth/password", {{"old_password", initial}, {"new_password", "Fresh#2026"}}, token);
  EXPECT_EQ(changed.status, 204) << changed;
  auto works = server().Get("/api/v1/org-units/410000", token);
  EXPECT_EQ(works.status, 200) << works;
  EXPECT_EQ(works.Json()["code"], "410000");

  EXPECT_EQ(server().Login("it-fresh", initial).Code(), "invalid_credentials");
  auto again = server().Login("it-fresh", "Fresh#2026");
  ASSERT_EQ(again.status, 200) << again;
  EXPECT_EQ(again.Json()["must_change_password"], false);
}

TEST_F(Auth, ChangingThePasswordEndsEveryOtherSession) {
  auto a = server().Login("demo-doctor", kDemoPassword);
  auto b = server().Login("demo-doctor", kDemoPassword);
  ASSERT_EQ(a.status, 200) << a;
  ASSERT_EQ(b.status, 200) << b;
  const std::string token_a = a.Json()["token"], token_b = b.Json()["token"];
  auto changed = server().Post("/api/v1/auth/password",
                               {{"old_password", kDemoPassword}, {"new_password", "Doctor#Pass2026"}}, token_a);
  ASSERT_EQ(changed.status, 204) << changed;
  EXPECT_EQ(server().Get("/api/v1/auth/me", token_a).status, 200) << "the session that changed it stays";
  EXPECT_EQ(server().Get("/api/v1/auth/me", token_b).status, 401) << "whoever else held a session must log in again";
  EXPECT_EQ(server().Login("demo-doctor", kDemoPassword).Code(), "invalid_credentials");
}

TEST_F(Auth, DeactivatedAccountsLoseTheirSessionsAndCannotLogIn) {
  const std::string admin = server().Token("it-sysadmin");
  auto created = server().Post(
      "/api/v1/users",
      {{"username", "it-leaver"}, {"display_name", "将离职"}, {"role", "bureau_leader"}, {"org_code", "410100"}},
      admin);
  ASSERT_EQ(created.status, 201) << created;
  const std::string password = created.Json()["initial_password"];
  const int64_t id = created.Json()["user"]["id"];
  auto login = server().Login("it-leaver", password);
  ASSERT_EQ(login.status, 200) << login;
  const std::string token = login.Json()["token"];
  ASSERT_EQ(server().Get("/api/v1/auth/me", token).status, 200);

  auto off = server().Patch("/api/v1/users/" + std::to_string(id), {{"active", false}}, admin);
  ASSERT_EQ(off.status, 200) << off;
  EXPECT_EQ(off.Json()["active"], false);
  EXPECT_EQ(server().Get("/api/v1/auth/me", token).status, 401);
  auto again = server().Login("it-leaver", password);
  EXPECT_EQ(again.status, 401) << again;
  EXPECT_EQ(again.Code(), "invalid_credentials");
}

TEST_F(Auth, CookieSessionsNeedTheCsrfTokenForWrites) {
  auto login = server().Login("demo-county", kDemoPassword);
  ASSERT_EQ(login.status, 200) << login;
  const std::string set_cookie = login.Header("set-cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("Path=/"), std::string::npos) << set_cookie;
  const std::string cookie = SessionCookie(login);
  EXPECT_EQ(cookie, "xiaoan_session=" + login.Json()["token"].get<std::string>());
  const std::string csrf = login.Json()["csrf_token"];

  auto read = server().Send({"GET", "/api/v1/org-units/9410105003", "", "", "", {{"Cookie", cookie}}});
  ASSERT_EQ(read.status, 200) << "reads need no CSRF token: " << read;
  const std::string old_name = read.Json()["name"];

  const std::string patch = json{{"name", "【演示】改名测试学校"}}.dump();
  auto no_token =
      server().Send({"PATCH", "/api/v1/org-units/9410105003", patch, "application/json", "", {{"Cookie", cookie}}});
  EXPECT_EQ(no_token.status, 403) << no_token;
  EXPECT_EQ(no_token.Code(), "csrf_failed");
  auto wrong_token = server().Send({"PATCH",
                                    "/api/v1/org-units/9410105003",
                                    patch,
                                    "application/json",
                                    "",
                                    {{"Cookie", cookie}, {"X-CSRF-Token", csrf + "x"}}});
  EXPECT_EQ(wrong_token.status, 403) << wrong_token;
  EXPECT_EQ(wrong_token.Code(), "csrf_failed");
  EXPECT_EQ(server().Get("/api/v1/org-units/9410105003", server().Token("demo-county")).Json()["name"], old_name)
      << "a refused write changed nothing";

  auto with_token = server().Send({"PATCH",
                                   "/api/v1/org-units/9410105003",
                                   patch,
                                   "application/json",
                                   "",
                                   {{"Cookie", "theme=dark; " + cookie}, {"X-CSRF-Token", csrf}}});
  EXPECT_EQ(with_token.status, 200) << with_token;
  EXPECT_EQ(with_token.Json()["name"], "【演示】改名测试学校");

  auto logout =
      server().Send({"POST", "/api/v1/auth/logout", "", "", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}});
  EXPECT_EQ(logout.status, 204) << logout;
  EXPECT_NE(logout.Header("set-cookie").find("Max-Age=0"), std::string::npos) << logout.Header("set-cookie");
  EXPECT_EQ(server().Send({"GET", "/api/v1/auth/me", "", "", "", {{"Cookie", cookie}}}).status, 401);
}

TEST_F(Auth, LogoutEndsABearerSession) {
  auto login = server().Login("demo-principal", kDemoPassword);
  ASSERT_EQ(login.status, 200) << login;
  const std::string token = login.Json()["token"];
  EXPECT_EQ(server().Get("/api/v1/auth/me", token).status, 200);
  EXPECT_EQ(server().Post("/api/v1/auth/logout", json::object(), token).status, 204);
  auto after = server().Get("/api/v1/auth/me", token);
  EXPECT_EQ(after.status, 401) << after;
}

// Started again with another demo password, the server keeps the demo accounts' password and says
// so, instead of printing one that does not open them.
TEST(DemoAccounts, AStartWithAnotherDemoPasswordSaysTheAccountsKeepTheirs) {
  auto server = TestServer::Start();
  ASSERT_EQ(server->Stop(), 0);
  TestServer::extra_environment = {"XIAOAN_DEMO_PASSWORD=Other#Pass2026y"};
  server->Restart();
  TestServer::extra_environment.clear();
  const std::string out = server->Output();
  EXPECT_NE(out.find(std::string("Demo accounts, password: ") + kDemoPassword), std::string::npos) << out;
  EXPECT_EQ(out.find("Other#Pass2026y"), std::string::npos) << out;
  EXPECT_NE(out.find("Demo accounts, made on an earlier start"), std::string::npos) << out;
  EXPECT_EQ(server->Login("demo-teacher", kDemoPassword).status, 200);
  // Given the password they were made with, it is printed as before.
  ASSERT_EQ(server->Stop(), 0);
  server->Restart();
  const std::string again = server->Output().substr(out.size());
  EXPECT_NE(again.find(std::string("Demo accounts, password: ") + kDemoPassword), std::string::npos) << again;
}

}  // namespace
}  // namespace xiaoan::it
