// Encryption of single sensitive fields at rest (a student's name): AES-256-GCM through OpenSSL,
// a fresh 96-bit nonce per value, stored as nonce ‖ ciphertext ‖ tag. Thread-safe.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace xiaoan::crypto {

class FieldCipher {
 public:
  // `key` is 32 raw bytes. kInvalidArgument otherwise.
  [[nodiscard]] static Result<FieldCipher> FromKey(std::string_view key);
  // A key from 64 hex digits (configuration). kInvalidArgument naming `field` otherwise.
  [[nodiscard]] static Result<FieldCipher> FromHex(std::string_view hex, const std::string& field);
  // 64 hex digits of a new random key.
  [[nodiscard]] static std::string NewHexKey();

  [[nodiscard]] Result<std::string> Encrypt(std::string_view plaintext) const;
  // kInvalidArgument when the value was not made with this key or was altered.
  [[nodiscard]] Result<std::string> Decrypt(std::string_view sealed) const;
  // A keyed digest of `data` (HMAC-SHA-256 under a key derived from the field key), as 64 hex
  // digits: compares two requests without storing what they said about a student.
  [[nodiscard]] std::string Fingerprint(std::string_view data) const;

 private:
  explicit FieldCipher(std::string key);
  std::string key_;
  // HMAC-SHA-256 keyed with the fingerprint subkey, made once: each Fingerprint duplicates it
  // rather than fetching the algorithms and deriving the subkey again.
  std::shared_ptr<const EVP_MAC_CTX> fingerprint_mac_;
};

}  // namespace xiaoan::crypto
