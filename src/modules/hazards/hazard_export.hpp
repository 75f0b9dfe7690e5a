// The yearly hazard ledger 隐患排查整改台账 as an Excel workbook, in the usual ledger columns.
#pragma once

#include <string>

#include "base/error.hpp"
#include "base/principal.hpp"

namespace xiaoan::hazards {

class HazardService;

// Most rows one export holds; a larger subtree is refused with a hint to narrow it.
inline constexpr int64_t kMaxExportRows = 300000;

// The hazards of `org`'s subtree found in the Shanghai year `year`, one row each, oldest first,
// with Chinese labels. kNotFound outside the jurisdiction; kInvalidArgument (field "org") when the
// subtree holds more than kMaxExportRows that year.
[[nodiscard]] Result<std::string> HazardWorkbook(HazardService& s, const Principal& p, const std::string& org,
                                                 int year);

}  // namespace xiaoan::hazards
