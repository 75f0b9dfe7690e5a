// Who is making a request, as every module needs to know it: the account, its role and the org
// subtree it may see. Built by the accounts module; read by everyone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace xiaoan {

enum class Role {
  kBureauAdmin,          // 教育局管理员 (province, city or county)
  kBureauSafetyOfficer,  // 教育局安全干部
  kBureauLeader,         // 教育局领导 (read-only)
  kPrincipal,            // 校长
  kPartySecretary,       // 党组织书记
  kSchoolSafetyOfficer,  // 学校安全干部
  kClassTeacher,         // 班主任
  kSchoolDoctor,         // 校医 / 疫情报告人
  kGuard,                // 保安
  kSystemAdmin,          // 系统管理员
  kSecurityAdmin,        // 安全管理员
  kAuditAdmin,           // 审计管理员
};

// The role's wire name ("bureau_admin"), and back. FromName answers false on an unknown name.
[[nodiscard]] const char* RoleName(Role role);
[[nodiscard]] bool RoleFromName(const std::string& name, Role* out);
// Whether the role is one of the three separate administrators (三员) that need a second factor.
[[nodiscard]] bool IsAdministratorRole(Role role);
// Whether the role belongs to a school (as opposed to a bureau or the administrators).
[[nodiscard]] bool IsSchoolRole(Role role);

struct Principal {
  int64_t user_id = 0;
  std::string username;
  Role role = Role::kBureauLeader;
  std::string org_code;
  std::string org_path;  // materialised path of org_code, e.g. "/410000/410100/410105/"
  std::vector<std::string> classes;
  std::string session_id;  // hash of the session token (never the token itself)
  bool via_cookie = false;
};

}  // namespace xiaoan
