// Evidence photos on disk, stored once by the SHA-256 of their content under
// <dir>/<first two hex digits>/<hash>. The type is decided from the bytes, never from the name or
// the declared header; only JPEG, PNG and WebP are kept. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace xiaoan::ledger {

// "image/jpeg", "image/png" or "image/webp" from the leading bytes; nullopt for anything else.
[[nodiscard]] std::optional<std::string> SniffImageType(std::string_view bytes);

class PhotoStore {
 public:
  explicit PhotoStore(std::string dir) : dir_(std::move(dir)) {}
  // Stores `bytes` (written to a temporary file and renamed into place, so a reader never sees a
  // partial file). Answers the lower-case hex SHA-256, the file's id.
  [[nodiscard]] Result<std::string> Put(std::string_view bytes) const;
  // The content of `id`; kNotFound when absent, kInvalidArgument for a malformed id.
  [[nodiscard]] Result<std::string> Get(const std::string& id) const;
  [[nodiscard]] static bool ValidId(std::string_view id);

 private:
  [[nodiscard]] std::string PathOf(const std::string& id) const;
  std::string dir_;
};

}  // namespace xiaoan::ledger
