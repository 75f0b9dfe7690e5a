// The hash chain over audit records. Pure functions: no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "modules/audit/audit.hpp"

namespace xiaoan::audit {

// "sha256" (default) or "sm3" (GB/T 32905, through OpenSSL). kInvalidArgument for others, or when
// this OpenSSL build lacks the algorithm.
[[nodiscard]] Status CheckAlgorithm(const std::string& algorithm);
// What is hashed: the record's fields (everything except `hash`, ending with `prev_hash`) as one
// compact JSON array, invalid UTF-8 replaced by U+FFFD.
[[nodiscard]] std::string HashedText(const Record& r);
// Lower-case hex hash of HashedText, so chained to `prev_hash`.
[[nodiscard]] std::string HashRecord(const Record& r);

// Checks records in id order, starting after an anchor (id and hash of the last purged row; 0 and
// "" for a full chain). Reports the first row that was changed, removed or reordered.
[[nodiscard]] VerifyReport VerifyChain(const std::vector<Record>& records, int64_t anchor_id,
                                       const std::string& anchor_hash);

}  // namespace xiaoan::audit
