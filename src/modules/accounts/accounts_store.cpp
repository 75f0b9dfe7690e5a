#include "modules/accounts/accounts_store.hpp"

#include <nlohmann/json.hpp>

#include "xiaoan_accounts_sql.hpp"

namespace xiaoan::accounts::store {
namespace q = xiaoan::accounts::sql;
namespace {

User FromRow(const db::Row& r) {
  User u;
  u.id = r.Int(0);
  u.username = r.Text(1);
  u.display_name = r.Text(2);
  (void)RoleFromName(r.Text(3), &u.role);
  u.org_code = r.Text(4);
  u.org_path = r.Text(5);
  auto classes = nlohmann::json::parse(r.Text(6), nullptr, false);
  if (classes.is_array())
    for (const auto& c : classes)
      if (c.is_string()) u.classes.push_back(c.get<std::string>());
  u.password_hash = r.Text(7);
  u.must_change_password = r.Int(8) != 0;
  u.totp_secret = r.OptText(9);
  u.totp_last_step = r.Int(10);
  u.failed_attempts = r.Int(11);
  u.locked_until = r.Int(12);
  u.active = r.Int(13) != 0;
  u.password_changed_at = r.Int(14);
  u.created_at = r.Text(15);
  u.org_name = r.Text(16);
  return u;
}

std::string ClassesJson(const std::vector<std::string>& classes) { return nlohmann::json(classes).dump(); }

Status Done(const Result<int64_t>& r) {
  if (!r) return Fail(r.error());
  return {};
}

}  // namespace

Result<std::optional<User>> UserByUsername(db::Connection& c, const std::string& username) {
  auto row = c.QueryOne(q::kUserByUsername, {username});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<User>{};
  return std::optional<User>(FromRow(**row));
}

Result<User> UserById(db::Connection& c, const Scope& scope, int64_t id) {
  auto row = c.QueryOne(q::kUserById, {id, scope.lower(), scope.upper()});
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound("User " + std::to_string(id)));
  return FromRow(**row);
}

Result<UserPage> ListUsers(db::Connection& c, const Scope& scope, const UserFilter& f, int64_t page, int64_t size) {
  UserPage out;
  db::Params params{scope.lower(), scope.upper(), f.q, f.role};
  auto count = c.QueryOne(q::kCountListUsers, params);
  if (!count) return Fail(count.error());
  out.total = (*count)->Int(0);
  params.emplace_back(size);
  params.emplace_back((page - 1) * size);
  auto rows = c.Query(q::kListUsers, params);
  if (!rows) return Fail(rows.error());
  for (const auto& r : *rows) out.items.push_back(FromRow(r));
  return out;
}

Result<std::optional<SessionRow>> SessionByHash(db::Connection& c, const std::string& token_hash) {
  auto row = c.QueryOne(q::kSessionByHash, {token_hash});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<SessionRow>{};
  SessionRow s{FromRow(**row), (*row)->Text(17), (*row)->Int(18), (*row)->Int(19)};
  return std::optional<SessionRow>(std::move(s));
}

Result<int64_t> CountUsers(db::Connection& c) {
  auto row = c.QueryOne(q::kCountUsers, {});
  if (!row) return Fail(row.error());
  return (*row)->Int(0);
}

Result<int64_t> InsertUser(db::Connection& tx, const User& u) {
  // Checked in the writer's transaction, so no other insert comes between the check and this one.
  auto taken = tx.QueryOne(q::kUsernameTaken, {u.username});
  if (!taken) return Fail(taken.error());
  if (*taken) return Fail(Error::Conflict("username", "This username is taken."));
  auto row =
      tx.QueryOne(q::kInsertUser, {u.username, u.display_name, std::string(RoleName(u.role)), u.org_code, u.org_path,
                                   ClassesJson(u.classes), u.password_hash, int64_t{u.must_change_password ? 1 : 0},
                                   u.totp_secret ? db::Value(*u.totp_secret) : db::Value(nullptr),
                                   u.password_changed_at, u.created_at});
  if (!row) return Fail(row.error());
  return (*row)->Int(0);
}

Status UpdateUser(db::Connection& tx, const User& u) {
  return Done(tx.Execute(q::kUpdateUser, {u.id, u.display_name, std::string(RoleName(u.role)), ClassesJson(u.classes),
                                          int64_t{u.active ? 1 : 0}}));
}

Status SetPassword(db::Connection& tx, int64_t id, const std::string& hash, bool must_change, int64_t now) {
  return Done(tx.Execute(q::kSetPassword, {id, hash, int64_t{must_change ? 1 : 0}, now}));
}

Status RecordFailure(db::Connection& tx, int64_t id, int64_t failed, int64_t locked_until) {
  return Done(tx.Execute(q::kRecordFailure, {id, failed, locked_until}));
}

Status RecordSuccess(db::Connection& tx, int64_t id, int64_t step) {
  return Done(tx.Execute(q::kRecordSuccess, {id, step}));
}

Status InsertSession(db::Connection& tx, const std::string& token_hash, int64_t user_id, const std::string& csrf,
                     int64_t now) {
  return Done(tx.Execute(q::kInsertSession, {token_hash, user_id, csrf, now}));
}

Status TouchSession(db::Connection& tx, const std::string& token_hash, int64_t now) {
  return Done(tx.Execute(q::kTouchSession, {token_hash, now}));
}

Status DeleteSession(db::Connection& tx, const std::string& token_hash) {
  return Done(tx.Execute(q::kDeleteSession, {token_hash}));
}

Status DeleteUserSessions(db::Connection& tx, int64_t user_id) {
  return Done(tx.Execute(q::kDeleteUserSessions, {user_id}));
}

Status DeleteOtherSessions(db::Connection& tx, int64_t user_id, const std::string& keep) {
  return Done(tx.Execute(q::kDeleteOtherSessions, {user_id, keep}));
}

Status DeleteStaleSessions(db::Connection& tx, int64_t before) {
  return Done(tx.Execute(q::kDeleteStaleSessions, {before}));
}

}  // namespace xiaoan::accounts::store
