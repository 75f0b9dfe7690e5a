// Rules of the org tree: code formats, what a school record must hold, who may change what.
// Pure functions; the store and routes call them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "base/principal.hpp"
#include "modules/org/org_unit.hpp"

namespace xiaoan::org {

// A GB/T 2260 region code of 2, 4 or 6 digits normalised to 6 ("41" → "410000", "4101" → "410100").
// nullopt when it is not 2, 4 or 6 digits.
[[nodiscard]] std::optional<std::string> NormaliseRegionCode(std::string_view code);
// `text` without the blanks typed around a name: ASCII spaces, tabs and line breaks, and the
// ideographic space (U+3000) of a Chinese input method. "" when it is nothing but blanks. Names are
// stored trimmed (school names here, display names in accounts), so a blank one can be refused.
[[nodiscard]] std::string TrimBlanks(std::string_view text);
// A school identifier is exactly 10 digits.
[[nodiscard]] bool IsSchoolCode(std::string_view code);
// The materialised path of a child of `parent_path`.
[[nodiscard]] std::string ChildPath(const std::string& parent_path, const std::string& code);

// Whether `role` may create, edit, deactivate and import schools.
[[nodiscard]] bool CanManageSchools(Role role);
// Whether a unit of `level` may hold schools directly (county-level units; Jiyuan is a city-level
// unit without counties, so city-level units without county children may too).
[[nodiscard]] bool CanHoldSchools(Level level, int64_t county_children);

// Checks attributes for consistency: enrolment in range, boarding students only when boarding.
// Adds errors named with `prefix` to `errors`.
void CheckAttributes(const SchoolAttributes& a, const std::string& prefix, std::vector<FieldError>& errors);

}  // namespace xiaoan::org
