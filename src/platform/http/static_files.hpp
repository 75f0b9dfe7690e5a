// Serves the built web UI: hashed assets cached for a year, index.html revalidated, precompressed
// .gz variants when the client accepts gzip, and index.html for client-side routes.
#pragma once

#include <optional>
#include <string>

#include "platform/http/message.hpp"

namespace xiaoan::http {

class StaticFiles {
 public:
  // `root` is the folder of the built UI (web/dist); an empty root serves nothing.
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}
  // A response for GET/HEAD `request`, or nullopt when it is not a UI path (e.g. under /api/).
  [[nodiscard]] std::optional<Response> Serve(const Request& request) const;
  [[nodiscard]] bool enabled() const { return !root_.empty(); }

 private:
  std::string root_;
};

}  // namespace xiaoan::http
