#include "modules/accounts/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cstdio>

namespace xiaoan::accounts {
namespace {
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == ' ' || ch == '=') continue;
    const char up = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 32) : ch;
    const size_t v = kAlphabet.find(up);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::string NewTotpSecret() {
  if (sodium_init() < 0) std::abort();
  std::string raw(20, '\0');
  randombytes_buf(raw.data(), raw.size());
  return Base32Encode(raw);
}

std::string TotpCode(const std::string& secret, int64_t step) {
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<unsigned char>(step & 0xff);
    step >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), msg, sizeof msg, mac, &len);
  const int offset = mac[len - 1] & 0x0f;
  const uint32_t bin =
      ((mac[offset] & 0x7fu) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  char out[8];
  std::snprintf(out, sizeof out, "%06u", bin % 1000000u);
  return out;
}

std::optional<int64_t> MatchTotp(const std::string& base32_secret, std::string_view code, int64_t unix_seconds) {
  auto secret = Base32Decode(base32_secret);
  if (!secret || code.size() != 6) return std::nullopt;
  const int64_t now = unix_seconds / 30;
  for (int64_t step : {now, now - 1, now + 1}) {
    const std::string expected = TotpCode(*secret, step);
    if (sodium_memcmp(expected.data(), code.data(), 6) == 0) return step;
  }
  return std::nullopt;
}

std::string TotpUri(const std::string& username, const std::string& base32_secret) {
  return "otpauth://totp/XiaoAn:" + username + "?secret=" + base32_secret + "&issuer=XiaoAn&digits=6&period=30";
}

}  // namespace xiaoan::accounts
