// Small helpers shared by the files of InspectionsService; not part of the module's interface.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/principal.hpp"

namespace xiaoan::inspections::support {

using json = nlohmann::json;

inline bool IsBureauOfficer(Role r) { return r == Role::kBureauAdmin || r == Role::kBureauSafetyOfficer; }
inline bool IsSchoolInspector(Role r) {
  return r == Role::kPrincipal || r == Role::kPartySecretary || r == Role::kSchoolSafetyOfficer;
}

inline Error Invalid(std::vector<FieldError> errors) {
  Error e = Error::Invalid(errors[0].field, errors[0].message);
  e.fields = std::move(errors);
  return e;
}

inline std::vector<std::string> StringsOf(const std::string& json_text) {
  std::vector<std::string> out;
  const auto j = json::parse(json_text, nullptr, false);
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

inline std::string JsonOf(const std::vector<std::string>& v) { return json(v).dump(); }

}  // namespace xiaoan::inspections::support
