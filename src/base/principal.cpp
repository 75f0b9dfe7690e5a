#include "base/principal.hpp"

#include <array>
#include <utility>

namespace xiaoan {
namespace {
constexpr std::array<std::pair<Role, const char*>, 12> kRoles{{
    {Role::kBureauAdmin, "bureau_admin"},
    {Role::kBureauSafetyOfficer, "bureau_safety_officer"},
    {Role::kBureauLeader, "bureau_leader"},
    {Role::kPrincipal, "principal"},
    {Role::kPartySecretary, "party_secretary"},
    {Role::kSchoolSafetyOfficer, "school_safety_officer"},
    {Role::kClassTeacher, "class_teacher"},
    {Role::kSchoolDoctor, "school_doctor"},
    {Role::kGuard, "guard"},
    {Role::kSystemAdmin, "system_admin"},
    {Role::kSecurityAdmin, "security_admin"},
    {Role::kAuditAdmin, "audit_admin"},
}};
}  // namespace

const char* RoleName(Role role) {
  for (const auto& [r, name] : kRoles)
    if (r == role) return name;
  return "unknown";
}

bool RoleFromName(const std::string& name, Role* out) {
  for (const auto& [r, n] : kRoles) {
    if (name == n) {
      *out = r;
      return true;
    }
  }
  return false;
}

bool IsAdministratorRole(Role role) {
  return role == Role::kSystemAdmin || role == Role::kSecurityAdmin || role == Role::kAuditAdmin;
}

bool IsSchoolRole(Role role) {
  switch (role) {
    case Role::kPrincipal:
    case Role::kPartySecretary:
    case Role::kSchoolSafetyOfficer:
    case Role::kClassTeacher:
    case Role::kSchoolDoctor:
    case Role::kGuard:
      return true;
    default:
      return false;
  }
}

}  // namespace xiaoan
