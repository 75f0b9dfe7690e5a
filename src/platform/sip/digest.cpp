#include "platform/sip/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>
#include <vector>

#include "platform/sip/sip_message.hpp"

namespace xiaoan::sip {

namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[p[i] >> 4];
    out[2 * i + 1] = kHex[p[i] & 15];
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr) != 1)
    throw std::runtime_error("EVP_Digest(MD5) failed");
  return Hex(digest, len);
}

std::optional<DigestCredentials> ParseDigestCredentials(std::string_view v) {
  v = Trim(v);
  if (v.size() < 7 || !EqualsIgnoreCase(v.substr(0, 6), "Digest") || (v[6] != ' ' && v[6] != '\t')) return std::nullopt;
  v.remove_prefix(7);
  DigestCredentials c;
  bool has_response = false;
  while (!v.empty()) {
    v = Trim(v);
    while (!v.empty() && (v.front() == ',' || v.front() == ' ')) v.remove_prefix(1);
    const size_t eq = v.find('=');
    if (eq == std::string_view::npos) break;
    const std::string_view name = Trim(v.substr(0, eq));
    v.remove_prefix(eq + 1);
    v = Trim(v);
    std::string value;
    if (!v.empty() && v.front() == '"') {
      size_t i = 1;
      for (; i < v.size() && v[i] != '"'; ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        value.push_back(v[i]);
      }
      if (i >= v.size()) return std::nullopt;  // unterminated quote
      v.remove_prefix(i + 1);
    } else {
      const size_t comma = v.find(',');
      value = std::string(Trim(v.substr(0, comma)));
      v.remove_prefix(comma == std::string_view::npos ? v.size() : comma);
    }
    if (EqualsIgnoreCase(name, "username"))
      c.username = value;
    else if (EqualsIgnoreCase(name, "realm"))
      c.realm = value;
    else if (EqualsIgnoreCase(name, "nonce"))
      c.nonce = value;
    else if (EqualsIgnoreCase(name, "uri"))
      c.uri = value;
    else if (EqualsIgnoreCase(name, "response"))
      c.response = value, has_response = true;
    else if (EqualsIgnoreCase(name, "algorithm"))
      c.algorithm = value;
    else if (EqualsIgnoreCase(name, "cnonce"))
      c.cnonce = value;
    else if (EqualsIgnoreCase(name, "qop"))
      c.qop = value;
    else if (EqualsIgnoreCase(name, "nc"))
      c.nc = value;
    else if (EqualsIgnoreCase(name, "opaque"))
      c.opaque = value;
  }
  if (c.username.empty() || c.nonce.empty() || c.uri.empty() || !has_response) return std::nullopt;
  return c;
}

std::string DigestResponse(const DigestCredentials& c, std::string_view method, std::string_view password) {
  const std::string ha1 = Md5Hex(c.username + ':' + c.realm + ':' + std::string(password));
  const std::string ha2 = Md5Hex(std::string(method) + ':' + c.uri);
  if (EqualsIgnoreCase(c.qop, "auth"))
    return Md5Hex(ha1 + ':' + c.nonce + ':' + c.nc + ':' + c.cnonce + ':' + c.qop + ':' + ha2);
  return Md5Hex(ha1 + ':' + c.nonce + ':' + ha2);
}

bool VerifyDigest(const DigestCredentials& c, std::string_view method, std::string_view password) {
  if (!c.algorithm.empty() && !EqualsIgnoreCase(c.algorithm, "MD5")) return false;
  if (!c.qop.empty() && !EqualsIgnoreCase(c.qop, "auth")) return false;
  const std::string want = DigestResponse(c, method, password);
  std::string got = c.response;
  for (char& ch : got) ch = (ch >= 'A' && ch <= 'F') ? static_cast<char>(ch - 'A' + 'a') : ch;
  return got.size() == want.size() && CRYPTO_memcmp(got.data(), want.data(), want.size()) == 0;
}

std::string RandomHex(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  return Hex(buf.data(), buf.size());
}

NonceIssuer::NonceIssuer() {
  unsigned char buf[32];
  if (RAND_bytes(buf, sizeof buf) != 1) throw std::runtime_error("RAND_bytes failed");
  secret_.assign(reinterpret_cast<const char*>(buf), sizeof buf);
}

std::string NonceIssuer::Mac(std::string_view stamp, std::string_view scope) const {
  const std::string data = std::string(stamp) + '|' + std::string(scope);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return Hex(mac, 16);
}

std::string NonceIssuer::Issue(TimePoint now, std::string_view scope) const {
  char stamp[17];
  const auto s = static_cast<uint64_t>(ToUnixSeconds(now));
  auto [p, ec] = std::to_chars(stamp, stamp + 16, s, 16);
  const std::string ts(stamp, p);
  return std::string(16 - ts.size(), '0') + ts + Mac(std::string(16 - ts.size(), '0') + ts, scope);
}

NonceIssuer::Check NonceIssuer::Verify(std::string_view nonce, std::string_view scope, TimePoint now,
                                       int64_t lifetime_seconds) const {
  if (nonce.size() != 48) return Check::kInvalid;
  const std::string_view stamp = nonce.substr(0, 16);
  const std::string want = Mac(stamp, scope);
  if (CRYPTO_memcmp(want.data(), nonce.data() + 16, 32) != 0) return Check::kInvalid;
  uint64_t issued = 0;
  auto [p, ec] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), issued, 16);
  if (ec != std::errc() || p != stamp.data() + stamp.size()) return Check::kInvalid;
  const int64_t age = ToUnixSeconds(now) - static_cast<int64_t>(issued);
  if (age > lifetime_seconds || age < -60) return Check::kStale;
  return Check::kValid;
}

}  // namespace xiaoan::sip
