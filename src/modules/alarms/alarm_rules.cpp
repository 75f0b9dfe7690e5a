#include "modules/alarms/alarm_rules.hpp"

#include <array>

#include "base/scope.hpp"

namespace xiaoan::alarms {

int StepRank(const std::string& status) {
  static constexpr std::array<const char*, 5> kOrder = {"raised", "acknowledged", "dispatched", "on_scene", "closed"};
  for (size_t i = 0; i < kOrder.size(); ++i)
    if (status == kOrder[i]) return static_cast<int>(i);
  return -1;
}

bool MayAdvance(const std::string& from, const std::string& to) {
  const int a = StepRank(from), b = StepRank(to);
  return a >= 0 && b > a && from != "closed";
}

std::optional<std::string> NextLevel(const std::string& level) {
  if (level == "county") return "city";
  if (level == "city") return "province";
  return std::nullopt;
}

bool MayHandle(const Principal& p, const std::string& school_path) {
  if (!Scope::Of(p).Contains(school_path)) return false;
  switch (p.role) {
    case Role::kPrincipal:
    case Role::kPartySecretary:
    case Role::kSchoolSafetyOfficer:
    case Role::kBureauSafetyOfficer:
    case Role::kBureauAdmin:
      return true;
    default:
      return false;
  }
}

bool MayRaise(const Principal& p, const std::string& school_code) {
  return IsSchoolRole(p.role) && p.org_code == school_code;
}

bool OutcomeFits(const std::string& kind, const std::string& outcome) {
  if (kind == "real") return outcome == "handled" || outcome == "false_alarm";
  if (kind == "test") return outcome == "test_passed" || outcome == "test_failed";
  if (kind == "drill") return outcome == "drill_done";
  return false;
}

}  // namespace xiaoan::alarms
