// A jurisdiction: the org subtree a caller may see, as a materialised-path prefix. Every store
// query takes one and limits itself to it, so no handler can forget the check.
#pragma once

#include <string>

#include "base/principal.hpp"

namespace xiaoan {

class Scope {
 public:
  // The caller's own subtree.
  static Scope Of(const Principal& p) { return Scope(p.org_path); }
  // Everything: for start-up, the CLI and timed jobs only, never for a request.
  static Scope Everything() { return Scope("/"); }
  // A subtree given by its path (e.g. a unit the caller has already been shown).
  static Scope ForPath(std::string path) { return Scope(std::move(path)); }

  // Inclusive lower and exclusive upper bound of the paths inside: [lower, upper).
  [[nodiscard]] const std::string& lower() const { return lower_; }
  [[nodiscard]] std::string upper() const {
    std::string u = lower_;
    u.back() = static_cast<char>('/' + 1);  // paths end in '/', and '0' follows '/'
    return u;
  }
  [[nodiscard]] bool Contains(const std::string& path) const { return path.starts_with(lower_); }

 private:
  explicit Scope(std::string prefix) : lower_(std::move(prefix)) {
    if (lower_.empty() || lower_.back() != '/') lower_ += '/';
  }
  std::string lower_;
};

}  // namespace xiaoan
