// Passwords: argon2id hashing (libsodium), the complexity rule, and generated passwords.
#pragma once

#include <string>
#include <string_view>

#include "base/error.hpp"

namespace xiaoan::accounts {

struct PasswordPolicy {
  size_t min_length = 10;  // and three of: upper, lower, digit, symbol (GB/T 22239 level 3)
};

// An argon2id string ($argon2id$v=19$m=...) for `password`. kInternal if memory is exhausted.
[[nodiscard]] Result<std::string> HashPassword(std::string_view password);
// Whether `password` matches `hash`. False for malformed hashes.
[[nodiscard]] bool VerifyPassword(const std::string& hash, std::string_view password);
// kInvalidArgument naming `field` when `password` breaks the policy (too short, too few character
// classes, contains the username).
[[nodiscard]] Status CheckComplexity(std::string_view password, std::string_view username, const PasswordPolicy& policy,
                                     const std::string& field);
// A random password that satisfies the policy (16 characters, all four classes).
[[nodiscard]] std::string GeneratePassword();
// A random URL-safe token of `bytes` random bytes.
[[nodiscard]] std::string RandomToken(size_t bytes = 32);
// Lower-case hex SHA-256 of `text` (how session tokens are stored).
[[nodiscard]] std::string Sha256Hex(std::string_view text);

}  // namespace xiaoan::accounts
