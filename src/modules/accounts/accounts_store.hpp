// SQL access to users and sessions. User reads by id are scoped: outside the Scope they are absent.
#pragma once

#include <optional>
#include <string>

#include "base/error.hpp"
#include "base/scope.hpp"
#include "modules/accounts/user.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::accounts::store {

struct SessionRow {
  User user;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
};

// Unscoped: login looks the name up before anyone is known.
[[nodiscard]] Result<std::optional<User>> UserByUsername(db::Connection& c, const std::string& username);
[[nodiscard]] Result<User> UserById(db::Connection& c, const Scope& scope, int64_t id);
[[nodiscard]] Result<UserPage> ListUsers(db::Connection& c, const Scope& scope, const UserFilter& f, int64_t page,
                                         int64_t page_size);
[[nodiscard]] Result<std::optional<SessionRow>> SessionByHash(db::Connection& c, const std::string& token_hash);
[[nodiscard]] Result<int64_t> CountUsers(db::Connection& c);

// Inserts `u` and answers its id. kConflict naming `username` when an account exists whose
// username equals u.username ignoring ASCII case: look-alike accounts are refused on every path
// that creates one (API, CLI, first start, demo).
[[nodiscard]] Result<int64_t> InsertUser(db::Connection& tx, const User& u);
[[nodiscard]] Status UpdateUser(db::Connection& tx, const User& u);
[[nodiscard]] Status SetPassword(db::Connection& tx, int64_t id, const std::string& hash, bool must_change,
                                 int64_t now);
[[nodiscard]] Status RecordFailure(db::Connection& tx, int64_t id, int64_t failed_attempts, int64_t locked_until);
[[nodiscard]] Status RecordSuccess(db::Connection& tx, int64_t id, int64_t totp_step);
[[nodiscard]] Status InsertSession(db::Connection& tx, const std::string& token_hash, int64_t user_id,
                                   const std::string& csrf, int64_t now);
[[nodiscard]] Status TouchSession(db::Connection& tx, const std::string& token_hash, int64_t now);
[[nodiscard]] Status DeleteSession(db::Connection& tx, const std::string& token_hash);
[[nodiscard]] Status DeleteUserSessions(db::Connection& tx, int64_t user_id);
[[nodiscard]] Status DeleteOtherSessions(db::Connection& tx, int64_t user_id, const std::string& keep_token_hash);
[[nodiscard]] Status DeleteStaleSessions(db::Connection& tx, int64_t before);

}  // namespace xiaoan::accounts::store
