#include "platform/crypto/field_cipher.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

namespace xiaoan::crypto {
namespace {

constexpr size_t kNonce = 12, kTag = 16;

using Ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

FieldCipher::FieldCipher(std::string key) : key_(std::move(key)) {
  // A subkey for fingerprints, so the encryption key itself never keys a MAC.
  static constexpr std::string_view kLabel = "xiaoan fingerprint v1";
  unsigned char subkey[EVP_MAX_MD_SIZE];
  unsigned int sublen = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), U(kLabel), kLabel.size(), subkey, &sublen);
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr;
  EVP_MAC_free(mac);  // the context keeps its own reference
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (ctx != nullptr && EVP_MAC_init(ctx, subkey, sublen, params) != 1) {
    EVP_MAC_CTX_free(ctx);
    ctx = nullptr;
  }
  fingerprint_mac_.reset(ctx, [](const EVP_MAC_CTX* c) { EVP_MAC_CTX_free(const_cast<EVP_MAC_CTX*>(c)); });
}

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
  // Each thread keeps its own copy of the keyed context and starts it afresh for every digest
  // (EVP_MAC_init without a key keeps the key): less than half the time of duplicating the
  // context per digest. The copy holds on to the context it was made from, so that context's
  // address cannot be taken by another cipher's while the copy is in use.
  struct ThreadMac {
    std::shared_ptr<const EVP_MAC_CTX> source;
    EVP_MAC_CTX* ctx = nullptr;
    ~ThreadMac() { EVP_MAC_CTX_free(ctx); }
  };
  thread_local ThreadMac mine;
  if (fingerprint_mac_ && mine.source != fingerprint_mac_) {
    EVP_MAC_CTX_free(mine.ctx);
    mine.ctx = EVP_MAC_CTX_dup(fingerprint_mac_.get());
    mine.source = mine.ctx != nullptr ? fingerprint_mac_ : nullptr;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t maclen = 0;
  // Without OpenSSL's HMAC nothing could be fingerprinted: fail loudly rather than compare nothing.
  if (!fingerprint_mac_ || mine.ctx == nullptr || EVP_MAC_init(mine.ctx, nullptr, 0, nullptr) != 1 ||
      EVP_MAC_update(mine.ctx, U(data), data.size()) != 1 || EVP_MAC_final(mine.ctx, mac, &maclen, sizeof mac) != 1)
    throw std::runtime_error("HMAC-SHA-256 is unavailable");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * maclen);
  for (size_t i = 0; i < maclen; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 15]);
  }
  return out;
}

}  // namespace xiaoan::crypto
