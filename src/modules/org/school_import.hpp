// Turning an uploaded table (JSON rows from the browser's XLSX reader, or CSV text) into schools to
// create, with every problem reported by spreadsheet row (header = row 1) and column.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "modules/org/org_service.hpp"

namespace xiaoan::org {

inline constexpr size_t kMaxImportRows = 5000;

// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, optional UTF-8 BOM) into rows of
// cells. kInvalidArgument naming the row for an unterminated quote.
[[nodiscard]] Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text);

// Maps a header row (English column names or their Chinese labels) and data rows to schools under
// `parent_code`. Problems go to `errors`; rows with problems are left out of the result.
[[nodiscard]] std::vector<NewSchool> SchoolsFromTable(const std::vector<std::vector<std::string>>& table,
                                                      const std::string& parent_code, std::vector<FieldError>& errors);
// The same for {"rows": [{...}]} bodies; row numbers count the header as row 1.
[[nodiscard]] std::vector<NewSchool> SchoolsFromJsonRows(const nlohmann::json& rows, const std::string& parent_code,
                                                         std::vector<FieldError>& errors);

}  // namespace xiaoan::org
