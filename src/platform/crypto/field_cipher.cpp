#include "platform/crypto/field_cipher.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>

namespace xiaoan::crypto {
namespace {

constexpr size_t kNonce = 12, kTag = 16;

using Ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Result<FieldCipher> FieldCipher::FromKey(std::string_view key) {
  if (key.size() != 32) return Fail(Error::Invalid("field_key", "The field key has 32 bytes."));
  return FieldCipher(std::string(key));
}

Result<FieldCipher> FieldCipher::FromHex(std::string_view hex, const std::string& field) {
  if (hex.size() != 64) return Fail(Error::Invalid(field, "64 hexadecimal digits (a 256-bit key)."));
  std::string key;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < 64; i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return Fail(Error::Invalid(field, "64 hexadecimal digits (a 256-bit key)."));
    key.push_back(static_cast<char>(hi * 16 + lo));
  }
  return FieldCipher(std::move(key));
}

std::string FieldCipher::NewHexKey() {
  unsigned char raw[32];
  RAND_bytes(raw, sizeof raw);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : raw) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Result<std::string> FieldCipher::Encrypt(std::string_view plaintext) const {
  std::string out(kNonce + plaintext.size() + kTag, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (RAND_bytes(o, kNonce) != 1) return Fail(Error::Internal("no randomness for a nonce"));
  Ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0, total = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key_), o) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o + kNonce, &len, U(plaintext), static_cast<int>(plaintext.size())) != 1)
    return Fail(Error::Internal("encryption failed"));
  total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), o + kNonce + total, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, o + kNonce + plaintext.size()) != 1)
    return Fail(Error::Internal("encryption failed"));
  return out;
}

Result<std::string> FieldCipher::Decrypt(std::string_view sealed) const {
  if (sealed.size() < kNonce + kTag) return Fail(Error::Invalid("value", "Not an encrypted field."));
  const size_t n = sealed.size() - kNonce - kTag;
  std::string out(n, '\0');
  Ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  std::string tag(sealed.substr(kNonce + n));
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key_), U(sealed)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, U(sealed) + kNonce,
                        static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) != 1)
    return Fail(Error::Invalid("value", "The field was not encrypted with this key, or was altered."));
  return out;
}

std::string FieldCipher::Fingerprint(std::string_view data) const {
  // A subkey for fingerprints, so the encryption key itself never keys a MAC.
  static constexpr std::string_view kLabel = "xiaoan fingerprint v1";
  unsigned char subkey[EVP_MAX_MD_SIZE], mac[EVP_MAX_MD_SIZE];
  unsigned int sublen = 0, maclen = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), U(kLabel), kLabel.size(), subkey, &sublen);
  HMAC(EVP_sha256(), subkey, static_cast<int>(sublen), U(data), data.size(), mac, &maclen);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < maclen; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 15]);
  }
  return out;
}

}  // namespace xiaoan::crypto
