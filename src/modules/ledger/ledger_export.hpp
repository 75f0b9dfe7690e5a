// Excel workbooks of the ledger: the pre-filled template a school fills in offline (sheets
// "guards" and "devices", instructions on row 1, headers on row 2, data from row 3, columns in the
// order the import reads them), the gaps of a subtree, and the ledger of a subtree.
#pragma once

#include <string>

#include "base/error.hpp"
#include "base/principal.hpp"
#include "modules/ledger/ledger_store.hpp"

namespace xiaoan::ledger {

class LedgerService;

// Column keys of the template sheets, A onwards (the import maps errors back to these cells).
inline constexpr const char* kGuardColumns[] = {"id",         "name",           "certificate_no", "birth_year",
                                                "employment", "employed_since", "active"};
inline constexpr const char* kDeviceColumns[] = {
    "id", "kind", "name", "location", "national_id", "police_networked", "installed_on", "active"};

// Most rows one export sheet holds; a larger subtree is refused with a hint to narrow it.
inline constexpr int64_t kMaxExportRows = 300000;

[[nodiscard]] Result<std::string> TemplateWorkbook(LedgerService& s, const Principal& p, const std::string& school);
[[nodiscard]] Result<std::string> GapsWorkbook(LedgerService& s, const Principal& p, const std::string& org,
                                               store::GapFilter filter);
[[nodiscard]] Result<std::string> LedgerWorkbook(LedgerService& s, const Principal& p, const std::string& org);

}  // namespace xiaoan::ledger
