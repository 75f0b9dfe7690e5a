// HTTP digest authentication (RFC 2617 / RFC 3261 §22) on the server side, MD5 only: parsing the
// Authorization header, computing the expected response for qop=auth and for the RFC 2069 form
// without qop, and stateless nonces. Thread-safe (NonceIssuer is immutable after construction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"

namespace xiaoan::sip {

// Lower-case hex MD5 of `data` (OpenSSL EVP).
[[nodiscard]] std::string Md5Hex(std::string_view data);

// The fields of `Authorization: Digest ...` the server needs.
struct DigestCredentials {
  std::string username, realm, nonce, uri, response, algorithm, cnonce, qop, nc, opaque;
};
// Parses `Digest k=v, k="v", ...`; nullopt when the scheme is not Digest or a required field
// (username, realm, nonce, uri, response) is missing.
[[nodiscard]] std::optional<DigestCredentials> ParseDigestCredentials(std::string_view header_value);

// The expected `response` for `method` with `password`, over the credentials' own username,
// realm, uri and nonce: MD5(HA1:nonce:nc:cnonce:qop:HA2) when qop is "auth", else MD5(HA1:nonce:HA2).
[[nodiscard]] std::string DigestResponse(const DigestCredentials& c, std::string_view method,
                                         std::string_view password);

// Whether `c` proves knowledge of `password` (constant-time comparison). False for algorithms
// other than MD5 and for qop values other than "auth".
[[nodiscard]] bool VerifyDigest(const DigestCredentials& c, std::string_view method, std::string_view password);

// Nonces that verify without server state: hex(unix seconds) + hex(HMAC-SHA256(secret, seconds
// || scope))[0..32]. `scope` binds a nonce to one device ID.
class NonceIssuer {
 public:
  // A random 32-byte secret (OpenSSL RAND_bytes): nonces do not survive a restart.
  NonceIssuer();
  explicit NonceIssuer(std::string secret) : secret_(std::move(secret)) {}

  [[nodiscard]] std::string Issue(TimePoint now, std::string_view scope) const;

  enum class Check { kValid, kStale, kInvalid };
  // kStale when it is ours but older than `lifetime_seconds` (or from the future by more than a
  // minute); kInvalid when it is not ours or not for `scope`.
  [[nodiscard]] Check Verify(std::string_view nonce, std::string_view scope, TimePoint now,
                             int64_t lifetime_seconds) const;

 private:
  [[nodiscard]] std::string Mac(std::string_view stamp, std::string_view scope) const;
  std::string secret_;
};

// Random lower-case hex of `bytes` random bytes (OpenSSL RAND_bytes), for tags, branches, Call-IDs.
[[nodiscard]] std::string RandomHex(size_t bytes);

}  // namespace xiaoan::sip
