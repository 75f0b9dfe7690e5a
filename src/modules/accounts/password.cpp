#include "modules/accounts/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace xiaoan::accounts {
namespace {
struct SodiumInit {
  SodiumInit() {
    if (sodium_init() < 0) std::abort();
  }
};
void EnsureSodium() { static SodiumInit init; }
}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(Error::Internal("password hashing ran out of memory"));
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  EnsureSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Status CheckComplexity(std::string_view password, std::string_view username, const PasswordPolicy& policy,
                       const std::string& field) {
  if (password.size() < policy.min_length)
    return Fail(Error::Invalid(field, "At least " + std::to_string(policy.min_length) + " characters."));
  if (password.size() > 128) return Fail(Error::Invalid(field, "At most 128 characters."));
  int upper = 0, lower = 0, digit = 0, other = 0;
  for (unsigned char c : password) {
    if (std::isupper(c))
      upper = 1;
    else if (std::islower(c))
      lower = 1;
    else if (std::isdigit(c))
      digit = 1;
    else
      other = 1;
  }
  if (upper + lower + digit + other < 3)
    return Fail(
        Error::Invalid(field, "Use at least three of: upper-case letters, lower-case letters, digits, symbols."));
  if (!username.empty()) {
    std::string p(password), u(username);
    std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return std::tolower(c); });
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return std::tolower(c); });
    if (p.find(u) != std::string::npos) return Fail(Error::Invalid(field, "Must not contain the username."));
  }
  return {};
}

std::string GeneratePassword() {
  EnsureSodium();
  // No look-alike characters (0/O, 1/l/I), so a password read aloud or from paper survives.
  static constexpr std::string_view kSets[4] = {"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789",
                                                "#%+=@^*-"};
  std::string out;
  for (int i = 0; i < 16; ++i) {
    const auto& set = kSets[i < 4 ? i : randombytes_uniform(4)];
    out.push_back(set[randombytes_uniform(static_cast<uint32_t>(set.size()))]);
  }
  for (size_t i = out.size() - 1; i > 0; --i) std::swap(out[i], out[randombytes_uniform(static_cast<uint32_t>(i + 1))]);
  return out;
}

std::string RandomToken(size_t bytes) {
  EnsureSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string Sha256Hex(std::string_view text) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace xiaoan::accounts
