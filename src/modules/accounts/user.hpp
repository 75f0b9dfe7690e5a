// An account: one person, one role, one org unit (GB/T 22239: unique accounts, no shared ones).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/principal.hpp"

namespace xiaoan::accounts {

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kBureauLeader;
  std::string org_code;
  std::string org_path;
  std::string org_name;
  std::vector<std::string> classes;  // class teachers: the classes they are responsible for
  std::string password_hash;
  bool must_change_password = true;
  std::optional<std::string> totp_secret;  // Base32; administrators only
  int64_t totp_last_step = 0;              // last accepted TOTP step, so a code works once
  int64_t failed_attempts = 0;
  int64_t locked_until = 0;  // unix seconds; 0 = not locked
  bool active = true;
  int64_t password_changed_at = 0;
  std::string created_at;
};

struct NewUser {
  std::string username;
  std::string display_name;
  Role role = Role::kBureauLeader;
  std::string org_code;
  std::vector<std::string> classes;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<bool> active;
  std::optional<std::vector<std::string>> classes;
};

struct CreatedUser {
  User user;
  std::string initial_password;  // shown once
  std::optional<std::string> totp_secret;
};

struct UserFilter {
  std::string org_code;  // "" = the caller's whole subtree
  std::string q;
  std::string role;
};

struct UserPage {
  std::vector<User> items;
  int64_t total = 0;
};

}  // namespace xiaoan::accounts
