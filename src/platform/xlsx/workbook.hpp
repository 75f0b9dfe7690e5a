// Writing .xlsx workbooks (exports and fill-in templates) in memory, over libxlsxwriter.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "base/error.hpp"

namespace xiaoan::xlsx {

// One cell value. monostate leaves the cell blank; strings are UTF-8 and always written as text
// (never as formulas or numbers); int64_t is written as an Excel number (a double, exact up to
// 2^53: pass longer codes such as ID numbers as strings); a NaN or infinite double is left blank.
using Cell = std::variant<std::monostate, std::string, int64_t, double, bool>;

struct Column {
  std::string header;
  double width = 14;  // in Excel's character units; a Chinese character takes about 2
  // Non-empty: the data rows of this column get a drop-down list of these values, and Excel refuses
  // anything else. Short lists are stored in the validation itself; lists over Excel's 255-character
  // limit, or with an item containing a comma or a double quote, are stored on a hidden sheet.
  std::vector<std::string> allowed;
};

struct Sheet {
  std::string name;  // 1–31 characters, none of []:*?/\, not starting or ending with ', unique
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // each at most columns.size() long; shorter rows end blank
  // When non-empty, written on row 1 across all columns (wrapped; '\n' breaks lines), e.g.
  // instructions for a template, and the header moves to row 2.
  std::string note;
  // The drop-down lists cover max(rows.size(), validation_rows) rows below the header, so a
  // template has empty rows ready to fill in.
  int validation_rows = 1000;
};

// The .xlsx bytes of a workbook with `sheets` in order. Each sheet's header row is bold on a fill,
// frozen, carries an autofilter, and its columns have their widths.
// kInvalidArgument (field "sheets[i].name", "sheets[i].rows[r]" or "sheets[i].rows[r][c]") for no
// sheets, a bad or duplicate sheet name, a row wider than the columns, invalid UTF-8, or more rows
// or columns than Excel holds; kInternal with libxlsxwriter's message when the library fails (e.g.
// a string over 32,767 characters) or the temporary file cannot be made.
// The library only writes to files, so the workbook passes through a private temporary file in the
// system temp directory (TMPDIR), removed before returning, on success and on failure alike.
// Thread-safe: each call has its own workbook and files.
[[nodiscard]] Result<std::string> Write(const std::vector<Sheet>& sheets);

// The A1-style reference of a zero-based column and one-based row, e.g. CellRef(3, 7) == "D7".
// Expects 0 ≤ column and 1 ≤ row.
[[nodiscard]] std::string CellRef(int column, int row);

}  // namespace xiaoan::xlsx
