#include "modules/accounts/accounts_service.hpp"

#include <gtest/gtest.h>

#include "modules/accounts/totp.hpp"
#include "modules/org/org_service.hpp"
#include "platform/db/test_db.hpp"

namespace xiaoan::accounts {
namespace {

class StepClock final : public Clock {
 public:
  TimePoint Now() const override { return now; }
  TimePoint now = FromUnixSeconds(1795867200);
};

constexpr const char* kPassword = "Demo#Pass2026x";

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
