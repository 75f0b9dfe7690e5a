#include "modules/accounts/accounts_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "modules/accounts/accounts_routes.hpp"
#include "modules/accounts/totp.hpp"
#include "modules/org/org_service.hpp"
#include "platform/db/test_db.hpp"
#include "platform/http/router.hpp"
#include "xiaoan_accounts_sql.hpp"

namespace xiaoan::accounts {
namespace {

class StepClock final : public Clock {
 public:
  TimePoint Now() const override { return now; }
  TimePoint now = FromUnixSeconds(1795867200);
};

constexpr const char* kPassword = "Demo#Pass2026x";

// The field the error of `r` names, or "" when `r` succeeded or names none.
template <class T>
std::string FieldOf(const Result<T>& r) {
  return r || r.error().fields.empty() ? "" : r.error().fields[0].field;
}

// A bureau safety officer of `code` (for org writes).
Principal At(const std::string& code, const std::string& path) {
  Principal p;
  p.user_id = 1;
  p.username = "officer";
  p.role = Role::kBureauSafetyOfficer;
  p.org_code = code;
  p.org_path = path;
  return p;
}

class AccountsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(org_.SeedDivisions());
    ASSERT_TRUE(org_.SeedDemoSchools());
  }
  Principal Make(const std::string& username, Role role, const std::string& org) {
    auto created = service_.CreateUserDirect({username, username, role, org, {}}, std::string(kPassword), "test");
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    if (created) secrets_[username] = created->totp_secret.value_or("");
    return Login(username);
  }
  Principal Login(const std::string& username) {
    std::optional<std::string> totp;
    if (!secrets_[username].empty())
      totp = TotpCode(*Base32Decode(secrets_[username]), ToUnixSeconds(clock_.now) / 30 + (steps_++ % 2));
    auto r = service_.Login({username, kPassword, totp, "req"});
    EXPECT_TRUE(r) << username << ": " << (r ? "" : r.error().reason);
    auto s = service_.Authenticate(r ? r->token : "");
    return s ? s->principal : Principal{};
  }
  std::string Reason(const Result<LoginResult>& r) { return r ? "ok" : r.error().reason; }
  // POST /api/v1/users as `caller` through the module's route (no server in between): the
  // status and the JSON body.
  std::pair<int, nlohmann::json> PostUser(const Principal& caller, const std::string& body) {
    http::Router router;
    RegisterRoutes(router, service_, {});
    auto match = router.Find("POST", "/api/v1/users");
    http::Request request;
    request.method = "POST";
    request.path = request.target = "/api/v1/users";
    request.body = body;
    http::Context ctx{.request = request,
                      .params = match.params,
                      .principal = caller,
                      .request_id = "req",
                      .route = {},
                      .csrf_token = {}};
    const http::Response response = match.route->handler(ctx);
    return {response.status, nlohmann::json::parse(response.body, nullptr, false)};
  }

  db::TestDb db_;
  StepClock clock_;
  audit::AuditLog audit_{"sha256", clock_};
  org::OrgService org_{*db_, audit_, clock_};
  AccountsService service_{*db_, audit_, clock_, AccountsPolicy{}};
  std::map<std::string, std::string> secrets_;
  int steps_ = 0;
};

TEST_F(AccountsServiceTest, FiveFailuresLockForFifteenMinutes) {
  Make("officer", Role::kBureauSafetyOfficer, "410105");
  for (int i = 1; i <= 4; ++i)
    EXPECT_EQ(Reason(service_.Login({"officer", "wrong", {}, "r"})), "invalid_credentials") << i;
  auto fifth = service_.Login({"officer", "wrong", {}, "r"});
  ASSERT_EQ(Reason(fifth), "account_locked");
  bool minutes_said = false;
  for (const auto& [k, v] : fifth.error().extra) minutes_said |= (k == "retry_after_minutes" && v == "15");
  EXPECT_TRUE(minutes_said);
  EXPECT_EQ(Reason(service_.Login({"officer", kPassword, {}, "r"})), "account_locked") << "even the right password";
  clock_.now += std::chrono::minutes(14);
  EXPECT_EQ(Reason(service_.Login({"officer", kPassword, {}, "r"})), "account_locked");
  clock_.now += std::chrono::minutes(1) + std::chrono::seconds(1);
  EXPECT_EQ(Reason(service_.Login({"officer", kPassword, {}, "r"})), "ok");
}

TEST_F(AccountsServiceTest, ASuccessResetsTheFailureCount) {
  Make("officer", Role::kBureauSafetyOfficer, "410105");
  for (int i = 0; i < 4; ++i) (void)service_.Login({"officer", "wrong", {}, "r"});
  EXPECT_EQ(Reason(service_.Login({"officer", kPassword, {}, "r"})), "ok");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Reason(service_.Login({"officer", "wrong", {}, "r"})), "invalid_credentials");
}

TEST_F(AccountsServiceTest, AdministratorsNeedAFreshTotpCode) {
  auto created =
      service_.CreateUserDirect({"auditor", "a", Role::kAuditAdmin, "410000", {}}, std::string(kPassword), "t");
  ASSERT_TRUE(created);
  ASSERT_TRUE(created->totp_secret);
  EXPECT_EQ(Reason(service_.Login({"auditor", kPassword, {}, "r"})), "totp_required");
  EXPECT_EQ(Reason(service_.Login({"auditor", kPassword, std::string("000000"), "r"})), "totp_invalid");
  const std::string code = TotpCode(*Base32Decode(*created->totp_secret), ToUnixSeconds(clock_.now) / 30);
  EXPECT_EQ(Reason(service_.Login({"auditor", kPassword, code, "r"})), "ok");
  EXPECT_EQ(Reason(service_.Login({"auditor", kPassword, code, "r"})), "totp_invalid") << "a code works once";
}

TEST_F(AccountsServiceTest, ActivityKeepsASessionAlive) {
  Make("officer", Role::kBureauSafetyOfficer, "410105");
  auto login = service_.Login({"officer", kPassword, {}, "r"});
  ASSERT_TRUE(login);
  clock_.now += std::chrono::minutes(29);
  EXPECT_TRUE(service_.Authenticate(login->token));
  // The touch is queued without waiting; the writer is first-in first-out, so a later durable
  // write means the touch has landed.
  ASSERT_TRUE(db_->Write([](db::Connection&) -> Status { return {}; }));
  clock_.now += std::chrono::minutes(29);
  EXPECT_TRUE(service_.Authenticate(login->token)) << "58 minutes after login, 29 after the last request";
  EXPECT_FALSE(service_.Authenticate("not-a-token"));
}

TEST_F(AccountsServiceTest, IdleSessionsExpire) {
  Make("officer", Role::kBureauSafetyOfficer, "410105");
  auto login = service_.Login({"officer", kPassword, {}, "r"});
  ASSERT_TRUE(login);
  clock_.now += std::chrono::minutes(31);
  auto s = service_.Authenticate(login->token);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().reason, "session_expired");
}

TEST_F(AccountsServiceTest, EndedSessionsEndAtOnceDespiteTheSessionCache) {
  const Principal admin = Make("county-admin", Role::kBureauAdmin, "410105");
  Make("officer", Role::kBureauSafetyOfficer, "410105");
  auto first = service_.Login({"officer", kPassword, {}, "r"});
  auto second = service_.Login({"officer", kPassword, {}, "r"});
  ASSERT_TRUE(first && second);
  auto s = service_.Authenticate(first->token);
  ASSERT_TRUE(s);
  ASSERT_TRUE(service_.Authenticate(second->token));  // both are now cached
  ASSERT_TRUE(service_.Logout(s->principal, "r"));
  EXPECT_FALSE(service_.Authenticate(first->token)) << "a logout ends the cached session at once";
  ASSERT_TRUE(service_.Authenticate(second->token));
  // Deactivating the account (UpdateUser) ends its other cached session at once too.
  UserPatch patch;
  patch.active = false;
  ASSERT_TRUE(service_.UpdateUser(admin, "r", s->principal.user_id, patch));
  auto after = service_.Authenticate(second->token);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().reason, "session_expired");
}

TEST_F(AccountsServiceTest, AChangeByAnotherProcessIsSeenWithinTheSessionCacheTtl) {
  Make("officer", Role::kBureauSafetyOfficer, "410105");
  auto login = service_.Login({"officer", kPassword, {}, "r"});
  ASSERT_TRUE(login);
  ASSERT_TRUE(service_.Authenticate(login->token));
  // The CLI or another server deletes the session behind this service's back.
  ASSERT_TRUE(db_->Write([](db::Connection& tx) -> Status {
    auto r = tx.Execute(db::Sql{"test.delete_sessions", "DELETE FROM sessions"}, {});
    if (!r) return Fail(r.error());
    return {};
  }));
  EXPECT_TRUE(service_.Authenticate(login->token)) << "served from the cache within its TTL";
  clock_.now += AccountsService::kSessionCacheTtl;
  EXPECT_FALSE(service_.Authenticate(login->token)) << "read again once the TTL has passed";
}

TEST_F(AccountsServiceTest, NewAccountsMustChangeTheirPassword) {
  const Principal admin = Make("county-admin", Role::kBureauAdmin, "410105");
  auto created =
      service_.CreateUser(admin, "r", {"teacher1", "老师", Role::kClassTeacher, "9410105001", {"一年级1班"}});
  ASSERT_TRUE(created) << created.error().message;
  auto login = service_.Login({"teacher1", created->initial_password, {}, "r"});
  ASSERT_TRUE(login);
  auto session = service_.Authenticate(login->token);
  ASSERT_TRUE(session);
  EXPECT_TRUE(session->must_change_password);
  EXPECT_EQ(session->principal.classes, (std::vector<std::string>{"一年级1班"}));
  auto weak = service_.ChangePassword(session->principal, "r", created->initial_password, "short");
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().fields.at(0).field, "new_password");
  auto wrong_old = service_.ChangePassword(session->principal, "r", "nope", "Better#Pass2027");
  ASSERT_FALSE(wrong_old);
  EXPECT_EQ(wrong_old.error().fields.at(0).field, "old_password");
  ASSERT_TRUE(service_.ChangePassword(session->principal, "r", created->initial_password, "Better#Pass2027"));
  auto after = service_.Authenticate(login->token);
  ASSERT_TRUE(after) << "the session that changed the password stays";
  EXPECT_FALSE(after->must_change_password);
}

TEST_F(AccountsServiceTest, PasswordsExpireAfterTheMaximumAge) {
  Make("officer", Role::kBureauSafetyOfficer, "410105");
  clock_.now += std::chrono::hours(24 * 180);
  auto login = service_.Login({"officer", kPassword, {}, "r"});
  ASSERT_TRUE(login);
  EXPECT_FALSE(login->user.must_change_password) << "180 days is still allowed";
  clock_.now += std::chrono::hours(24);
  login = service_.Login({"officer", kPassword, {}, "r"});
  ASSERT_TRUE(login);
  EXPECT_TRUE(login->user.must_change_password);
  auto session = service_.Authenticate(login->token);
  ASSERT_TRUE(session);
  EXPECT_TRUE(session->must_change_password);
}

TEST_F(AccountsServiceTest, UserManagementStaysInsideTheJurisdiction) {
  const Principal jinshui_admin = Make("jinshui-admin", Role::kBureauAdmin, "410105");
  const Principal laocheng_admin = Make("laocheng-admin", Role::kBureauAdmin, "410302");
  auto outside = service_.CreateUser(laocheng_admin, "r", {"x1", "x", Role::kPrincipal, "9410105001", {}});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().fields.at(0).field, "org_code");
  auto teacher = service_.CreateUser(jinshui_admin, "r", {"t2", "t", Role::kClassTeacher, "9410105001", {}});
  ASSERT_TRUE(teacher);
  auto peek = service_.GetUser(laocheng_admin, teacher->user.id);
  ASSERT_FALSE(peek);
  EXPECT_EQ(peek.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(service_.ResetPassword(laocheng_admin, "r", teacher->user.id));
  auto list = service_.ListUsers(laocheng_admin, {}, 1, 100);
  ASSERT_TRUE(list);
  for (const auto& u : list->items) EXPECT_TRUE(u.org_path.starts_with("/410000/410300/410302/")) << u.username;
}

TEST_F(AccountsServiceTest, RolesMustFitTheirOrgLevel) {
  const Principal admin = Make("jinshui-admin", Role::kBureauAdmin, "410105");
  auto school_role_at_bureau = service_.CreateUser(admin, "r", {"p1", "p", Role::kPrincipal, "410105", {}});
  ASSERT_FALSE(school_role_at_bureau);
  EXPECT_EQ(school_role_at_bureau.error().fields.at(0).field, "role");
  auto bureau_role_at_school = service_.CreateUser(admin, "r", {"p2", "p", Role::kBureauLeader, "9410105001", {}});
  ASSERT_FALSE(bureau_role_at_school);
}

TEST_F(AccountsServiceTest, TheThreeAdministratorsCannotDoEachOthersWork) {
  const Principal sys = Make("sys", Role::kSystemAdmin, "410000");
  const Principal sec = Make("sec", Role::kSecurityAdmin, "410000");
  auto made_auditor = service_.CreateUser(sys, "r", {"aud2", "a", Role::kAuditAdmin, "410000", {}});
  ASSERT_FALSE(made_auditor) << "no administrator roles through the API";
  EXPECT_EQ(made_auditor.error().fields.at(0).field, "role");
  auto sec_creates = service_.CreateUser(sec, "r", {"u9", "u", Role::kBureauLeader, "410105", {}});
  ASSERT_FALSE(sec_creates);
  EXPECT_EQ(sec_creates.error().code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(CanResetOrUnlock(Role::kSystemAdmin, Role::kAuditAdmin));
  EXPECT_TRUE(CanResetOrUnlock(Role::kSecurityAdmin, Role::kBureauLeader));
  EXPECT_FALSE(CanAssignRole(Role::kSystemAdmin, Role::kSecurityAdmin));
}

TEST_F(AccountsServiceTest, TheSecurityAdministratorUnlocksAccounts) {
  const Principal sec = Make("sec", Role::kSecurityAdmin, "410000");
  Make("officer", Role::kBureauSafetyOfficer, "410105");
  for (int i = 0; i < 5; ++i) (void)service_.Login({"officer", "wrong", {}, "r"});
  ASSERT_EQ(Reason(service_.Login({"officer", kPassword, {}, "r"})), "account_locked");
  auto list = service_.ListUsers(sec, {"", "officer", ""}, 1, 10);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->total, 1);
  ASSERT_TRUE(service_.Unlock(sec, "r", list->items[0].id));
  EXPECT_EQ(Reason(service_.Login({"officer", kPassword, {}, "r"})), "ok");
}

TEST_F(AccountsServiceTest, NamesAreStoredTrimmedAndANameOfBlanksIsRefused) {
  const Principal admin = Make("county-admin", Role::kBureauAdmin, "410105");
  for (const char* blank : {" ", "   ", "\t", "\u3000", " \u3000 "}) {
    auto refused = service_.CreateUser(admin, "r", {"leader7", blank, Role::kBureauLeader, "410105", {}});
    ASSERT_FALSE(refused) << '"' << blank << '"';
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(FieldOf(refused), "display_name");
    EXPECT_EQ(refused.error().fields[0].message, "Must not be empty.");
  }
  auto blank_name = service_.CreateUserDirect({"\u3000 ", "x", Role::kBureauLeader, "410105", {}}, {}, "cli");
  EXPECT_EQ(FieldOf(blank_name), "username") << "the CLI checks no format of its own";
  auto blank_class =
      service_.CreateUser(admin, "r", {"teacher7", "老师", Role::kClassTeacher, "9410105001", {"一年级1班", "\u3000"}});
  EXPECT_EQ(FieldOf(blank_class), "classes");
  auto list = service_.ListUsers(admin, {"", "7", ""}, 1, 10);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->total, 0) << "nothing written";

  auto created = service_.CreateUser(
      admin, "r", {"teacher8", "\u3000王老师 ", Role::kClassTeacher, "9410105001", {" 一年级1班\u3000"}});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->user.display_name, "王老师");
  EXPECT_EQ(created->user.classes, (std::vector<std::string>{"一年级1班"}));
  EXPECT_EQ(service_.GetUser(admin, created->user.id)->display_name, "王老师");

  UserPatch blank;
  blank.display_name = "  ";
  EXPECT_EQ(FieldOf(service_.UpdateUser(admin, "r", created->user.id, blank)), "display_name");
  UserPatch blank_classes;
  blank_classes.classes = std::vector<std::string>{"\t"};
  EXPECT_EQ(FieldOf(service_.UpdateUser(admin, "r", created->user.id, blank_classes)), "classes");
  EXPECT_EQ(service_.GetUser(admin, created->user.id)->display_name, "王老师") << "unchanged";
  UserPatch padded;
  padded.display_name = " 王二老师\u3000";
  padded.classes = std::vector<std::string>{"\u3000一年级2班"};
  auto updated = service_.UpdateUser(admin, "r", created->user.id, padded);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(service_.GetUser(admin, created->user.id)->display_name, "王二老师");
  EXPECT_EQ(service_.GetUser(admin, created->user.id)->classes, (std::vector<std::string>{"一年级2班"}));
}

TEST_F(AccountsServiceTest, UsernamesDifferingOnlyInLetterCaseCannotCoexist) {
  const Principal sys = Make("sys", Role::kSystemAdmin, "410000");
  Make("demo-principal", Role::kPrincipal, "9410105001");
  for (const char* look_alike : {"DEMO-PRINCIPAL", "Demo-Principal", "demo-principaL"}) {
    auto api = service_.CreateUser(sys, "r", {look_alike, "x", Role::kPrincipal, "9410105001", {}});
    ASSERT_FALSE(api) << look_alike;
    EXPECT_EQ(api.error().code, ErrorCode::kConflict);
    EXPECT_EQ(FieldOf(api), "username");
    EXPECT_EQ(api.error().fields[0].message, "This username is taken.");
    auto cli = service_.CreateUserDirect({look_alike, "x", Role::kPrincipal, "9410105001", {}}, {}, "cli");
    EXPECT_EQ(FieldOf(cli), "username") << "the CLI path too";
  }
  EXPECT_EQ(FieldOf(service_.CreateUser(sys, "r", {"demo-principal", "x", Role::kPrincipal, "9410105001", {}})),
            "username");
  EXPECT_TRUE(service_.CreateUser(sys, "r", {"demo-principal2", "x", Role::kPrincipal, "9410105001", {}}));
  // Login stays exact: only the username as it was created logs in.
  EXPECT_EQ(Reason(service_.Login({"DEMO-PRINCIPAL", kPassword, {}, "r"})), "invalid_credentials");
  EXPECT_EQ(Reason(service_.Login({"demo-principal", kPassword, {}, "r"})), "ok");
}

TEST_F(AccountsServiceTest, TheLookAlikeCheckUsesTheLowerCaseIndex) {
  std::string plan;
  ASSERT_TRUE(db_->Read([&](db::Connection& c) -> Status {
    auto rows = c.Query(db::Explained("EXPLAIN QUERY PLAN ", sql::kUsernameTaken), {"Demo-Principal"});
    if (!rows) return Fail(rows.error());
    for (const auto& r : *rows) plan += r.Text(3) + "\n";
    return {};
  }));
  EXPECT_NE(plan.find("INDEX users_username_lower"), std::string::npos) << plan;
}

TEST(AccountsMigration, ADatabaseThatAlreadyHoldsLookAlikesMigratesAndKeepsThem) {
  std::random_device rd;
  const auto dir = std::filesystem::temp_directory_path() / ("xiaoan-lookalike-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  std::vector<std::pair<std::string, std::string>> before, all;
  for (const auto& m : db::migrations::kAll) {
    all.emplace_back(std::string(m.name), std::string(m.text));
    if (std::string_view(m.name) < "0019") before.push_back(all.back());
  }
  ASSERT_LT(before.size(), all.size());
  db::SqliteOptions options;
  options.path = (dir / "old.db").string();
  {
    auto old = db::OpenSqlite(options, before);
    ASSERT_TRUE(old) << old.error().message;
    ASSERT_TRUE((*old)->Write([](db::Connection& tx) -> Status {
      for (const char* q :
           {"INSERT INTO org_units (code, name, level, path, created_at, updated_at) "
            "VALUES ('410000', '河南省', 'province', '/410000/', 't', 't')",
            "INSERT INTO users (username, display_name, role, org_code, org_path, password_hash, created_at) "
            "VALUES ('Admin', 'a', 'bureau_leader', '410000', '/410000/', 'x', 't')",
            "INSERT INTO users (username, display_name, role, org_code, org_path, password_hash, created_at) "
            "VALUES ('admin', 'b', 'bureau_leader', '410000', '/410000/', 'x', 't')"}) {
        if (auto r = tx.Execute(db::Sql{"seed", q}, {}); !r) return Fail(r.error());
      }
      return {};
    }));
  }
  {
    auto migrated = db::OpenSqlite(options, all);
    ASSERT_TRUE(migrated) << migrated.error().message;
    StepClock clock;
    audit::AuditLog audit{"sha256", clock};
    AccountsService service{**migrated, audit, clock, AccountsPolicy{}};
    auto again = service.CreateUserDirect({"ADMIN", "c", Role::kBureauLeader, "410000", {}}, {}, "cli");
    EXPECT_EQ(FieldOf(again), "username");
    EXPECT_EQ(*service.CountUsers(), 2) << "both look-alikes from before are kept";
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

TEST_F(AccountsServiceTest, NoAccountIsCreatedForADeactivatedSchool) {
  const Principal sys = Make("sys", Role::kSystemAdmin, "410000");
  const Principal officer = At("410105", "/410000/410100/410105/");
  ASSERT_TRUE(org_.Deactivate(officer, {1, "officer", "bureau_safety_officer", "410105", "r"}, "9410105002"));
  auto refused = service_.CreateUser(sys, "r", {"late-teacher", "老师", Role::kPrincipal, "9410105002", {}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(FieldOf(refused), "org_code");
  EXPECT_EQ(refused.error().fields[0].message, "The school is deactivated.");
  EXPECT_EQ(FieldOf(service_.CreateUserDirect({"late-teacher", "x", Role::kPrincipal, "9410105002", {}}, {}, "cli")),
            "org_code");
  EXPECT_TRUE(service_.CreateUser(sys, "r", {"on-time", "老师", Role::kPrincipal, "9410105001", {}}))
      << "an active school still takes accounts";
}

TEST_F(AccountsServiceTest, AnAccountIsNotReactivatedAtADeactivatedSchool) {
  const Principal sys = Make("sys", Role::kSystemAdmin, "410000");
  auto created = service_.CreateUser(sys, "r", {"left-teacher", "老师", Role::kPrincipal, "9410105002", {}});
  ASSERT_TRUE(created) << created.error().message;
  UserPatch off;
  off.active = false;
  ASSERT_TRUE(service_.UpdateUser(sys, "r", created->user.id, off));
  const Principal officer = At("410105", "/410000/410100/410105/");
  ASSERT_TRUE(org_.Deactivate(officer, {1, "officer", "bureau_safety_officer", "410105", "r"}, "9410105002"));
  UserPatch on;
  on.active = true;
  auto refused = service_.UpdateUser(sys, "r", created->user.id, on);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(FieldOf(refused), "active");
  UserPatch renamed;
  renamed.display_name = "王老师";
  auto kept = service_.UpdateUser(sys, "r", created->user.id, renamed);
  ASSERT_TRUE(kept) << kept.error().message;  // other changes to the inactive account still go through
  EXPECT_FALSE(kept->active);
}

TEST_F(AccountsServiceTest, TheUsersRouteNamesTheFieldOfEachRefusal) {
  const Principal sys = Make("sys", Role::kSystemAdmin, "410000");
  Make("demo-principal", Role::kPrincipal, "9410105001");
  auto blank =
      PostUser(sys, R"({"username":"leader9","display_name":"   ","role":"bureau_leader","org_code":"410105"})");
  EXPECT_EQ(blank.first, 400);
  EXPECT_EQ(blank.second["errors"][0]["field"], "display_name") << blank.second.dump();
  EXPECT_EQ(blank.second["errors"][0]["message"], "Must not be empty.");

  auto look_alike =
      PostUser(sys, R"({"username":"DEMO-PRINCIPAL","display_name":"x","role":"principal","org_code":"9410105001"})");
  EXPECT_EQ(look_alike.first, 409);
  EXPECT_EQ(look_alike.second["errors"][0]["field"], "username") << look_alike.second.dump();

  const Principal officer = At("410105", "/410000/410100/410105/");
  ASSERT_TRUE(org_.Deactivate(officer, {1, "officer", "bureau_safety_officer", "410105", "r"}, "9410105002"));
  auto deactivated =
      PostUser(sys, R"({"username":"late-teacher","display_name":"x","role":"principal","org_code":"9410105002"})");
  EXPECT_EQ(deactivated.first, 409);
  EXPECT_EQ(deactivated.second["errors"][0]["field"], "org_code") << deactivated.second.dump();

  auto padded = PostUser(
      sys, R"({"username":"leader9","display_name":"\u3000李局长 ","role":"bureau_leader","org_code":"410105"})");
  EXPECT_EQ(padded.first, 201);
  EXPECT_EQ(padded.second["user"]["display_name"], "李局长");
}

TEST_F(AccountsServiceTest, LoginsAreAuditedWithTheirOutcome) {
  Make("officer", Role::kBureauSafetyOfficer, "410105");
  (void)service_.Login({"officer", "wrong", {}, "r"});
  (void)service_.Login({"ghost", "wrong", {}, "r"});
  auto failures = audit_.Search(*db_, {"", "", "", "auth.login", "failure", 1, 10});
  ASSERT_TRUE(failures);
  EXPECT_EQ(failures->total, 2);
  auto report = audit_.Verify(*db_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok);
}

}  // namespace
}  // namespace xiaoan::accounts
