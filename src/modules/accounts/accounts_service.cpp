#include "modules/accounts/accounts_service.hpp"

#include <fmt/format.h>

#include "modules/accounts/accounts_store.hpp"
#include "modules/accounts/totp.hpp"
#include "modules/audit/actor.hpp"
#include "modules/org/org_rules.hpp"
#include "modules/org/org_store.hpp"

namespace xiaoan::accounts {
namespace {

Error Unauthenticated(std::string reason, std::string message) {
  return Error{ErrorCode::kUnauthenticated, std::move(message), std::move(reason), {}, {}};
}

// A real argon2id hash of a random password, verified against when the username is unknown so
// that a wrong name takes as long as a wrong password.
const std::string& DecoyHash() {
  static const std::string hash = HashPassword(RandomToken(16)).value_or("");
  return hash;
}

std::string Clip(const std::string& s, size_t n) { return s.size() <= n ? s : s.substr(0, n); }

// `given` without the blanks around it (org::TrimBlanks), or kInvalidArgument naming `field` when
// nothing else is left.
Result<std::string> NonBlank(const std::string& given, const std::string& field) {
  std::string trimmed = org::TrimBlanks(given);
  if (trimmed.empty()) return Fail(Error::Invalid(field, "Must not be empty."));
  return trimmed;
}

// A class teacher's classes, each trimmed: the health module matches them against its class names,
// which it trims too.
Result<std::vector<std::string>> TrimmedClasses(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  out.reserve(given.size());
  for (const auto& c : given) {
    auto name = NonBlank(c, "classes");
    if (!name) return Fail(name.error());
    out.push_back(std::move(*name));
  }
  return out;
}

}  // namespace

Status CheckRoleFitsOrg(Role role, const std::string& level, const std::string& field) {
  if (IsAdministratorRole(role)) {
    if (level != "province") return Fail(Error::Invalid(field, "Administrators belong to the province."));
  } else if (IsSchoolRole(role)) {
    if (level != "school") return Fail(Error::Invalid(field, "School roles belong to a school."));
  } else if (level == "school") {
    return Fail(Error::Invalid(field, "Bureau roles belong to a province, city or county."));
  }
  return {};
}

bool CanManageUsers(Role actor) { return actor == Role::kSystemAdmin || actor == Role::kBureauAdmin; }

bool CanAssignRole(Role actor, Role target) {
  // Nobody hands out the three administrator roles through the API: they are created with the CLI,
  // so the system administrator can never make himself an auditor.
  if (IsAdministratorRole(target)) return false;
  return CanManageUsers(actor);
}

bool CanResetOrUnlock(Role actor, Role target) {
  if (actor == Role::kSecurityAdmin) return true;
  return CanManageUsers(actor) && !IsAdministratorRole(target);
}

bool AccountsService::MustChangePassword(const User& u) const {
  if (u.must_change_password) return true;
  return policy_.password_max_age_days > 0 &&
         NowSeconds() - u.password_changed_at > int64_t{policy_.password_max_age_days} * 86400;
}

Status AccountsService::RecordFailedLogin(const User& u, const audit::Actor& actor, const std::string& why, int64_t now,
                                          int64_t* locked_until) {
  return db_.Write([&](db::Connection& tx) -> Status {
    // Re-read inside the writer so concurrent failures all count.
    auto fresh = store::UserByUsername(tx, u.username);
    if (!fresh) return Fail(fresh.error());
    if (!*fresh) return {};
    int64_t failed = (*fresh)->failed_attempts + 1;
    int64_t until = (*fresh)->locked_until > now ? (*fresh)->locked_until : 0;
    std::string summary = why + fmt::format(" (failure {} of {})", failed, policy_.lockout_threshold);
    if (failed >= policy_.lockout_threshold) {
      until = now + int64_t{policy_.lockout_minutes} * 60;
      failed = 0;
      summary += fmt::format("; locked for {} minutes", policy_.lockout_minutes);
    }
    *locked_until = until;
    if (auto s = store::RecordFailure(tx, u.id, failed, until); !s) return s;
    return audit_.Append(tx, {actor, "auth.login", "user:" + u.username, audit::Outcome::kFailure, summary});
  });
}

Result<LoginResult> AccountsService::Login(const LoginRequest& req) {
  audit::Actor actor{std::nullopt, Clip(req.username, 64), "", "", req.request_id};
  auto found = db::ReadResult<std::optional<User>>(
      db_, [&](db::Connection& c) { return store::UserByUsername(c, req.username); });
  if (!found) return Fail(found.error());
  const int64_t now = NowSeconds();
  auto locked_error = [&](int64_t until) {
    const int64_t minutes = std::max<int64_t>(1, (until - now + 59) / 60);
    Error e = Unauthenticated("account_locked",
                              fmt::format("The account is locked after {} failed attempts. Try again in {} minutes.",
                                          policy_.lockout_threshold, minutes));
    e.extra = {{"locked_until", FormatRfc3339(FromUnixSeconds(until))},
               {"retry_after_minutes", std::to_string(minutes)}};
    return e;
  };
  const Error invalid = Unauthenticated("invalid_credentials", "The username or password is wrong.");
  if (!*found || !(*found)->active) {
    (void)VerifyPassword(DecoyHash(), req.password);
    (void)audit_.AppendDurable(db_, {actor, "auth.login", "user:" + actor.username, audit::Outcome::kFailure,
                                     *found ? "account deactivated" : "unknown username"});
    return Fail(invalid);
  }
  const User& user = **found;
  actor.user_id = user.id;
  actor.role = RoleName(user.role);
  actor.org_code = user.org_code;
  if (user.locked_until > now) {
    (void)audit_.AppendDurable(
        db_, {actor, "auth.login", "user:" + user.username, audit::Outcome::kDenied, "account locked"});
    return Fail(locked_error(user.locked_until));
  }
  if (!VerifyPassword(user.password_hash, req.password)) {
    int64_t until = 0;
    if (auto s = RecordFailedLogin(user, actor, "wrong password", now, &until); !s) return Fail(s.error());
    if (until > now) return Fail(locked_error(until));
    return Fail(invalid);
  }
  int64_t totp_step = user.totp_last_step;
  if (IsAdministratorRole(user.role)) {
    if (!user.totp_secret) return Fail(Error::Internal("administrator without a TOTP secret"));
    if (!req.totp || req.totp->empty()) {
      return Fail(Unauthenticated("totp_required", "Enter the 6-digit code from your authenticator app."));
    }
    auto step = MatchTotp(*user.totp_secret, *req.totp, now);
    if (!step || *step <= user.totp_last_step) {
      int64_t until = 0;
      if (auto s = RecordFailedLogin(user, actor, "wrong or reused TOTP code", now, &until); !s) return Fail(s.error());
      if (until > now) return Fail(locked_error(until));
      return Fail(Unauthenticated("totp_invalid", "The authenticator code is wrong or already used."));
    }
    totp_step = *step;
  }
  LoginResult result{RandomToken(), RandomToken(24), user};
  auto status = db_.Write([&](db::Connection& tx) -> Status {
    if (auto s = store::RecordSuccess(tx, user.id, totp_step); !s) return s;
    if (auto s = store::InsertSession(tx, Sha256Hex(result.token), user.id, result.csrf_token, now); !s) return s;
    return audit_.Append(tx, {actor, "auth.login", "user:" + user.username, audit::Outcome::kSuccess, "logged in"});
  });
  if (!status) return Fail(status.error());
  result.user.failed_attempts = 0;
  result.user.locked_until = 0;
  result.user.must_change_password = MustChangePassword(user);
  return result;
}

Status AccountsService::WriteAccounts(const std::function<Status(db::Connection&)>& work) {
  auto status = db_.Write(work);
  generation_.fetch_add(1);
  return status;
}

Result<AccountsService::SessionView> AccountsService::SessionOf(const std::string& hash) {
  const TimePoint now = clock_.Now();
  const uint64_t generation = generation_.load();  // before the read: a write during it makes the row stale
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(hash); it != cache_.end()) {
      const auto& c = it->second;
      if (c.generation == generation && now >= c.read_at && now - c.read_at < kSessionCacheTtl) return c.view;
      cache_.erase(it);
    }
  }
  auto row = db::ReadResult<std::optional<store::SessionRow>>(
      db_, [&](db::Connection& c) { return store::SessionByHash(c, hash); });
  if (!row) return Fail(row.error());
  if (!*row) return SessionView{};
  auto shared = std::make_shared<const store::SessionRow>(std::move(**row));
  std::lock_guard lock(cache_mu_);
  if (cache_.size() >= kSessionCacheMax) cache_.clear();
  const SessionView view{shared, shared->last_seen_at};
  cache_[hash] = CachedSession{view, generation, now};
  return view;
}

Result<Session> AccountsService::Authenticate(const std::string& token) {
  std::string hash = Sha256Hex(token);
  auto view = SessionOf(hash);
  if (!view) return Fail(view.error());
  // Made only when needed: most requests come with a live session.
  const auto expired = [] {
    return Unauthenticated("session_expired", "Your session has ended. Please log in again.");
  };
  if (!view->row || !view->row->user.active) return Fail(expired());
  const store::SessionRow& s = *view->row;
  const int64_t now = NowSeconds();
  if (now - view->last_seen_at > int64_t{policy_.session_idle_minutes} * 60 ||
      now - s.created_at > int64_t{policy_.session_max_hours} * 3600) {
    db_.WriteDetached([hash](db::Connection& tx) { return store::DeleteSession(tx, hash); });
    std::lock_guard lock(cache_mu_);
    cache_.erase(hash);
    return Fail(expired());
  }
  // Touch at most once a minute: idle tracking needs no more precision, and reads stay reads.
  if (now - view->last_seen_at >= 60) {
    db_.WriteDetached([hash, now](db::Connection& tx) { return store::TouchSession(tx, hash, now); });
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(hash); it != cache_.end()) it->second.view.last_seen_at = now;
  }
  Session out;
  out.must_change_password = MustChangePassword(s.user);
  out.principal = Principal{s.user.id,       s.user.username, s.user.role,     s.user.org_code,
                            s.user.org_path, s.user.classes,  std::move(hash), false};
  out.csrf_token = s.csrf_token;
  return out;
}

Status AccountsService::Logout(const Principal& p, const std::string& request_id) {
  return WriteAccounts([&](db::Connection& tx) -> Status {
    if (auto s = store::DeleteSession(tx, p.session_id); !s) return s;
    return audit_.Append(tx, {audit::ActorFor(p, request_id), "auth.logout", "user:" + p.username,
                              audit::Outcome::kSuccess, "logged out"});
  });
}

Status AccountsService::ChangePassword(const Principal& p, const std::string& request_id,
                                       const std::string& old_password, const std::string& new_password) {
  auto user =
      db::ReadResult<User>(db_, [&](db::Connection& c) { return store::UserById(c, Scope::Everything(), p.user_id); });
  if (!user) return Fail(user.error());
  if (!VerifyPassword(user->password_hash, old_password)) {
    (void)audit_.AppendDurable(db_, {audit::ActorFor(p, request_id), "auth.password.change", "user:" + p.username,
                                     audit::Outcome::kFailure, "wrong current password"});
    return Fail(Error::Invalid("old_password", "The current password is wrong."));
  }
  if (auto s = CheckComplexity(new_password, p.username, policy_.password, "new_password"); !s) return s;
  if (new_password == old_password)
    return Fail(Error::Invalid("new_password", "Choose a password different from the current one."));
  auto hash = HashPassword(new_password);
  if (!hash) return Fail(hash.error());
  const int64_t now = NowSeconds();
  return WriteAccounts([&](db::Connection& tx) -> Status {
    if (auto s = store::SetPassword(tx, p.user_id, *hash, false, now); !s) return s;
    // Other sessions end: whoever else held one must now know the new password.
    if (auto s = store::DeleteOtherSessions(tx, p.user_id, p.session_id); !s) return s;
    return audit_.Append(tx, {audit::ActorFor(p, request_id), "auth.password.change", "user:" + p.username,
                              audit::Outcome::kSuccess, "password changed"});
  });
}

Result<User> AccountsService::GetUser(const Principal& p, int64_t id) {
  if (!CanManageUsers(p.role) && p.role != Role::kSecurityAdmin && p.user_id != id)
    return Fail(Error::Denied("Your role cannot see other accounts."));
  return db::ReadResult<User>(db_, [&](db::Connection& c) { return store::UserById(c, Scope::Of(p), id); });
}

Result<UserPage> AccountsService::ListUsers(const Principal& p, const UserFilter& f, int64_t page, int64_t page_size) {
  if (!CanManageUsers(p.role) && p.role != Role::kSecurityAdmin)
    return Fail(Error::Denied("Your role cannot list accounts."));
  return db::ReadResult<UserPage>(db_, [&](db::Connection& c) -> Result<UserPage> {
    Scope scope = Scope::Of(p);
    if (!f.org_code.empty()) {
      auto unit = org::store::Get(c, scope, f.org_code);
      if (!unit) return Fail(unit.error());
      scope = Scope::ForPath(unit->path);
    }
    return store::ListUsers(c, scope, f, page, page_size);
  });
}

Result<CreatedUser> AccountsService::Create(const Scope& scope, const audit::Actor& actor, const NewUser& n,
                                            const std::optional<std::string>& password) {
  auto username = NonBlank(n.username, "username");
  if (!username) return Fail(username.error());
  auto display_name = NonBlank(n.display_name, "display_name");
  if (!display_name) return Fail(display_name.error());
  auto classes = TrimmedClasses(n.role == Role::kClassTeacher ? n.classes : std::vector<std::string>{});
  if (!classes) return Fail(classes.error());
  CreatedUser out;
  out.initial_password = password.value_or(GeneratePassword());
  auto hash = HashPassword(out.initial_password);
  if (!hash) return Fail(hash.error());
  User u;
  u.username = std::move(*username);
  u.display_name = std::move(*display_name);
  u.role = n.role;
  u.org_code = n.org_code;
  u.classes = std::move(*classes);
  u.password_hash = *hash;
  u.must_change_password = !password.has_value();
  if (IsAdministratorRole(n.role)) u.totp_secret = out.totp_secret = NewTotpSecret();
  u.password_changed_at = NowSeconds();
  u.created_at = FormatRfc3339(clock_.Now());
  auto status = db_.Write([&](db::Connection& tx) -> Status {
    auto unit = org::store::Get(tx, scope, n.org_code);
    if (!unit)
      return Fail(unit.error().code == ErrorCode::kNotFound
                      ? Error::Invalid("org_code", "No such org unit in your jurisdiction.")
                      : unit.error());
    // Its users could log in but not write (every school write refuses a deactivated school).
    if (!unit->active) return Fail(Error::Conflict("org_code", "The school is deactivated."));
    if (auto s = CheckRoleFitsOrg(n.role, org::LevelName(unit->level), "role"); !s) return s;
    u.org_path = unit->path;
    u.org_name = unit->name;
    auto id = store::InsertUser(tx, u);
    if (!id) return Fail(id.error());
    u.id = *id;
    return audit_.Append(tx, {actor, "accounts.user.create", "user:" + u.username, audit::Outcome::kSuccess,
                              fmt::format("role={} org={}", RoleName(u.role), u.org_code)});
  });
  if (!status) return Fail(status.error());
  out.user = u;
  return out;
}

Result<CreatedUser> AccountsService::CreateUser(const Principal& p, const std::string& request_id, const NewUser& n) {
  if (!CanAssignRole(p.role, n.role)) {
    return Fail(IsAdministratorRole(n.role)
                    ? Error::Invalid("role", "Administrator accounts are created with the command line.")
                    : Error::Denied("Your role cannot create accounts."));
  }
  return Create(Scope::Of(p), audit::ActorFor(p, request_id), n, std::nullopt);
}

Result<CreatedUser> AccountsService::CreateUserDirect(const NewUser& n, const std::optional<std::string>& password,
                                                      const std::string& actor) {
  return Create(Scope::Everything(), audit::SystemActor(actor), n, password);
}

Result<User> AccountsService::UpdateUser(const Principal& p, const std::string& request_id, int64_t id,
                                         const UserPatch& patch) {
  if (!CanManageUsers(p.role)) return Fail(Error::Denied("Your role cannot change accounts."));
  if (id == p.user_id) return Fail(Error::Denied("Nobody changes their own role or status."));
  std::optional<std::string> display_name;
  if (patch.display_name) {
    auto trimmed = NonBlank(*patch.display_name, "display_name");
    if (!trimmed) return Fail(trimmed.error());
    display_name = std::move(*trimmed);
  }
  std::optional<std::vector<std::string>> classes;
  if (patch.classes) {
    auto trimmed = TrimmedClasses(*patch.classes);
    if (!trimmed) return Fail(trimmed.error());
    classes = std::move(*trimmed);
  }
  User result;
  auto status = WriteAccounts([&](db::Connection& tx) -> Status {
    auto u = store::UserById(tx, Scope::Of(p), id);
    if (!u) return Fail(u.error());
    if (IsAdministratorRole(u->role))
      return Fail(Error::Denied("Administrator accounts are managed with the command line."));
    const std::string before = fmt::format("role={} active={}", RoleName(u->role), u->active);
    if (patch.role) {
      if (!CanAssignRole(p.role, *patch.role)) return Fail(Error::Invalid("role", "You cannot assign this role."));
      auto unit = org::store::Get(tx, Scope::Everything(), u->org_code);
      if (!unit) return Fail(unit.error());
      if (auto s = CheckRoleFitsOrg(*patch.role, org::LevelName(unit->level), "role"); !s) return s;
      u->role = *patch.role;
    }
    if (display_name) u->display_name = *display_name;
    if (patch.active && *patch.active && !u->active) {
      // Re-activated, the account could log in to a school that can write nothing (as in CreateUser).
      auto unit = org::store::Get(tx, Scope::Everything(), u->org_code);
      if (!unit) return Fail(unit.error());
      if (!unit->active) return Fail(Error::Conflict("active", "The account's school is deactivated."));
    }
    if (patch.active) u->active = *patch.active;
    if (classes) u->classes = *classes;
    if (u->role != Role::kClassTeacher) u->classes.clear();
    if (auto s = store::UpdateUser(tx, *u); !s) return s;
    if (!u->active)
      if (auto s = store::DeleteUserSessions(tx, u->id); !s) return s;
    result = *u;
    return audit_.Append(
        tx, {audit::ActorFor(p, request_id), "accounts.user.update", "user:" + u->username, audit::Outcome::kSuccess,
             before + " -> " + fmt::format("role={} active={}", RoleName(u->role), u->active)});
  });
  if (!status) return Fail(status.error());
  return result;
}

Result<std::string> AccountsService::ResetPassword(const Principal& p, const std::string& request_id, int64_t id) {
  const std::string password = GeneratePassword();
  auto hash = HashPassword(password);
  if (!hash) return Fail(hash.error());
  auto status = WriteAccounts([&](db::Connection& tx) -> Status {
    auto u = store::UserById(tx, Scope::Of(p), id);
    if (!u) return Fail(u.error());
    if (!CanResetOrUnlock(p.role, u->role) || u->id == p.user_id)
      return Fail(Error::Denied("Your role cannot reset this password."));
    if (auto s = store::SetPassword(tx, id, *hash, true, NowSeconds()); !s) return s;
    if (auto s = store::DeleteUserSessions(tx, id); !s) return s;
    return audit_.Append(tx, {audit::ActorFor(p, request_id), "accounts.user.reset_password", "user:" + u->username,
                              audit::Outcome::kSuccess, "password reset; change forced at next login"});
  });
  if (!status) return Fail(status.error());
  return password;
}

Result<User> AccountsService::Unlock(const Principal& p, const std::string& request_id, int64_t id) {
  User result;
  auto status = WriteAccounts([&](db::Connection& tx) -> Status {
    auto u = store::UserById(tx, Scope::Of(p), id);
    if (!u) return Fail(u.error());
    if (!CanResetOrUnlock(p.role, u->role) || u->id == p.user_id)
      return Fail(Error::Denied("Your role cannot unlock this account."));
    if (auto s = store::RecordFailure(tx, id, 0, 0); !s) return s;
    u->failed_attempts = 0;
    u->locked_until = 0;
    result = *u;
    return audit_.Append(tx, {audit::ActorFor(p, request_id), "accounts.user.unlock", "user:" + u->username,
                              audit::Outcome::kSuccess, "unlocked"});
  });
  if (!status) return Fail(status.error());
  return result;
}

Result<int64_t> AccountsService::CountUsers() {
  return db::ReadResult<int64_t>(db_, [](db::Connection& c) { return store::CountUsers(c); });
}

Status AccountsService::PurgeStaleSessions() {
  const int64_t before = NowSeconds() - int64_t{policy_.session_idle_minutes} * 60;
  return WriteAccounts([&](db::Connection& tx) { return store::DeleteStaleSessions(tx, before); });
}

}  // namespace xiaoan::accounts
