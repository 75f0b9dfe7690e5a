// Time-based one-time passwords (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps) and the Base32
// secrets (RFC 4648) that authenticator apps read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xiaoan::accounts {

// A new random 160-bit secret, Base32 without padding.
[[nodiscard]] std::string NewTotpSecret();
[[nodiscard]] std::string Base32Encode(std::string_view bytes);
// nullopt on characters outside the Base32 alphabet (spaces and '=' are ignored).
[[nodiscard]] std::optional<std::string> Base32Decode(std::string_view text);
// The code for time step `step` (unix seconds / 30), zero-padded to 6 digits.
[[nodiscard]] std::string TotpCode(const std::string& secret_bytes, int64_t step);
// The step matched by `code` within ±1 step of `unix_seconds`, or nullopt.
[[nodiscard]] std::optional<int64_t> MatchTotp(const std::string& base32_secret, std::string_view code,
                                               int64_t unix_seconds);
// otpauth://totp/XiaoAn:username?secret=...&issuer=XiaoAn
[[nodiscard]] std::string TotpUri(const std::string& username, const std::string& base32_secret);

}  // namespace xiaoan::accounts
