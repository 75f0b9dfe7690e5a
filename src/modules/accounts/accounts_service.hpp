// Accounts: login with lockout and TOTP, sessions with idle timeout, password changes, and user
// management with the separation of the three administrators. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/principal.hpp"
#include "base/scope.hpp"
#include "modules/accounts/accounts_store.hpp"
#include "modules/accounts/password.hpp"
#include "modules/accounts/user.hpp"
#include "modules/audit/audit_log.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::accounts {

struct AccountsPolicy {
  PasswordPolicy password;
  int lockout_threshold = 5;        // failed attempts before the account locks (GB/T 22239)
  int lockout_minutes = 15;         // how long it stays locked
  int session_idle_minutes = 30;    // idle logout
  int session_max_hours = 12;       // absolute session lifetime
  int password_max_age_days = 180;  // periodic change (GB/T 22239); 0 = never expires
};

struct LoginRequest {
  std::string username;
  std::string password;
  std::optional<std::string> totp;
  std::string request_id;
};

struct LoginResult {
  std::string token;  // returned once; only its hash is stored
  std::string csrf_token;
  User user;
};

struct Session {
  Principal principal;
  std::string csrf_token;
  bool must_change_password = false;
};

class AccountsService {
 public:
  AccountsService(db::Database& db, const audit::AuditLog& audit, const Clock& clock, AccountsPolicy policy)
      : db_(db), audit_(audit), clock_(clock), policy_(policy) {}

  // kUnauthenticated with reason invalid_credentials, account_locked (extra locked_until and
  // retry_after_minutes), totp_required or totp_invalid. Every attempt is audited.
  [[nodiscard]] Result<LoginResult> Login(const LoginRequest& request);
  // The session of `token`; kUnauthenticated (reason session_expired) after the idle timeout or the
  // absolute lifetime, or for an unknown token or a deactivated account. A session read from the
  // database is kept for kSessionCacheTtl: every change this service makes to users or sessions
  // (logout, password change or reset, role, organisation or status, unlock, purge) takes effect
  // at once; a change by another process (the CLI) within kSessionCacheTtl.
  [[nodiscard]] Result<Session> Authenticate(const std::string& token);
  [[nodiscard]] Status Logout(const Principal& p, const std::string& request_id);
  // Checks the old password and the complexity rule; clears must_change_password; ends the other sessions.
  [[nodiscard]] Status ChangePassword(const Principal& p, const std::string& request_id,
                                      const std::string& old_password, const std::string& new_password);

  [[nodiscard]] Result<User> GetUser(const Principal& p, int64_t id);
  [[nodiscard]] Result<UserPage> ListUsers(const Principal& p, const UserFilter& f, int64_t page, int64_t page_size);
  // Usernames, display names and class names are stored without the blanks around them
  // (org::TrimBlanks); one that is only blanks is kInvalidArgument naming it. kConflict naming
  // `username` when an account's username equals the new one ignoring ASCII case, and naming
  // `org_code` for a deactivated school. Login still matches the username exactly.
  [[nodiscard]] Result<CreatedUser> CreateUser(const Principal& p, const std::string& request_id, const NewUser& n);
  [[nodiscard]] Result<User> UpdateUser(const Principal& p, const std::string& request_id, int64_t id,
                                        const UserPatch& patch);
  [[nodiscard]] Result<std::string> ResetPassword(const Principal& p, const std::string& request_id, int64_t id);
  [[nodiscard]] Result<User> Unlock(const Principal& p, const std::string& request_id, int64_t id);

  // For the CLI, first start and the demo (no caller), with CreateUser's checks. With `password`,
  // no change is forced.
  [[nodiscard]] Result<CreatedUser> CreateUserDirect(const NewUser& n, const std::optional<std::string>& password,
                                                     const std::string& actor);
  [[nodiscard]] Result<int64_t> CountUsers();
  // Deletes sessions idle past the timeout (a timed job).
  [[nodiscard]] Status PurgeStaleSessions();

  [[nodiscard]] const AccountsPolicy& policy() const { return policy_; }

  static constexpr std::chrono::seconds kSessionCacheTtl{2};

 private:
  [[nodiscard]] int64_t NowSeconds() const { return ToUnixSeconds(clock_.Now()); }
  // Whether the user must set a new password now: forced by an administrator, or too old.
  [[nodiscard]] bool MustChangePassword(const User& u) const;
  [[nodiscard]] Result<CreatedUser> Create(const Scope& scope, const audit::Actor& actor, const NewUser& n,
                                           const std::optional<std::string>& password);
  // Counts a failure at `now` (the same reading the caller reports the lock from).
  [[nodiscard]] Status RecordFailedLogin(const User& u, const audit::Actor& actor, const std::string& why, int64_t now,
                                         int64_t* locked_until);

  // db_.Write for a change to users or sessions: afterwards no session read before it is used.
  [[nodiscard]] Status WriteAccounts(const std::function<Status(db::Connection&)>& work);
  // The session row of a token hash (null when there is none), from the cache or the database.
  // The row is shared with the cache, not copied; when it was last seen is kept beside it, as that
  // alone changes while the row is cached.
  struct SessionView {
    std::shared_ptr<const store::SessionRow> row;
    int64_t last_seen_at = 0;
  };
  [[nodiscard]] Result<SessionView> SessionOf(const std::string& hash);

  struct CachedSession {
    SessionView view;
    uint64_t generation = 0;  // generation_ when the row was read
    TimePoint read_at;
  };
  static constexpr size_t kSessionCacheMax = 50000;  // beyond: cleared (a burst of new tokens)

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  AccountsPolicy policy_;
  std::atomic<uint64_t> generation_{0};  // bumped after every WriteAccounts
  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedSession> cache_;  // by token hash
};

// Who may manage accounts, as rules (unit-tested). `target_level` is the target org's level name.
[[nodiscard]] Status CheckRoleFitsOrg(Role role, const std::string& org_level, const std::string& field);
[[nodiscard]] bool CanManageUsers(Role actor);
[[nodiscard]] bool CanAssignRole(Role actor, Role target);
[[nodiscard]] bool CanResetOrUnlock(Role actor, Role target);

}  // namespace xiaoan::accounts
