// The audit record: who did what to which target, with what outcome (等保 level-3 audit fields).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace xiaoan::audit {

// Who acted. Built from the request's principal, or from what is known of an anonymous caller.
struct Actor {
  std::optional<int64_t> user_id;
  std::string username;
  std::string role;
  std::string org_code;
  std::string request_id;
};

enum class Outcome { kSuccess, kFailure, kDenied };
[[nodiscard]] const char* OutcomeName(Outcome o);

struct Entry {
  Actor actor;
  std::string action;  // "org.school.create", "auth.login", ...
  std::string target;  // what was acted on, e.g. "org_unit:9410105001"
  Outcome outcome = Outcome::kSuccess;
  std::string summary;  // a short description of the change (no passwords, no health details)
};

struct Record {
  int64_t id = 0;
  std::string at;
  std::optional<int64_t> user_id;
  std::string username, role, org_code, action, target, outcome, request_id, summary, algorithm, prev_hash, hash;
};

struct VerifyReport {
  bool ok = true;
  int64_t checked = 0;
  std::optional<int64_t> first_bad_id;
  std::string reason;
};

}  // namespace xiaoan::audit
