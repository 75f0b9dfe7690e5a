#include "platform/xlsx/workbook.hpp"

#include <fmt/core.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>

namespace xiaoan::xlsx {
namespace {

constexpr size_t kMaxRows = 1048576;  // Excel's sheet size
constexpr size_t kMaxColumns = 16384;
constexpr size_t kMaxSheetName = 31;
constexpr size_t kMaxInlineList = 255;  // Excel's limit on a list kept in the validation, commas included
constexpr double kLinePoints = 15;      // one line of the default 11-point font

// Number of code points in UTF-8 `s`, or -1 when `s` is not valid UTF-8.
long Utf8Length(std::string_view s) {
  long count = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return -1;
    i += len;
    ++count;
  }
  return count;
}

std::string ColumnLetters(int column) {
  std::string letters;
  for (int n = column + 1; n > 0; n = (n - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  return letters;
}

// Excel compares sheet names without regard to case.
bool SameSheetName(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

Status CheckText(std::string_view text, const std::string& field) {
  if (Utf8Length(text) < 0) return Fail(Error::Invalid(field, "Not valid UTF-8."));
  return {};
}

Status ValidateSheet(const std::vector<Sheet>& sheets, size_t index) {
  const Sheet& sheet = sheets[index];
  const std::string at = fmt::format("sheets[{}]", index);
  const std::string name_field = at + ".name";
  const long name_length = Utf8Length(sheet.name);
  if (name_length < 0) return Fail(Error::Invalid(name_field, "Not valid UTF-8."));
  if (name_length == 0) return Fail(Error::Invalid(name_field, "Must not be empty."));
  if (static_cast<size_t>(name_length) > kMaxSheetName)
    return Fail(Error::Invalid(name_field, fmt::format("At most {} characters.", kMaxSheetName)));
  if (sheet.name.find_first_of("[]:*?/\\") != std::string::npos)
    return Fail(Error::Invalid(name_field, "Must not contain any of [ ] : * ? / \\."));
  if (sheet.name.front() == '\'' || sheet.name.back() == '\'')
    return Fail(Error::Invalid(name_field, "Must not start or end with an apostrophe."));
  for (size_t j = 0; j < index; ++j)
    if (SameSheetName(sheets[j].name, sheet.name))
      return Fail(Error::Invalid(name_field, fmt::format("Sheet {} already has this name.", j)));

  if (sheet.columns.size() > kMaxColumns)
    return Fail(Error::Invalid(at + ".columns", fmt::format("At most {} columns.", kMaxColumns)));
  const size_t max_rows = kMaxRows - (sheet.note.empty() ? 1 : 2);
  if (sheet.rows.size() > max_rows)
    return Fail(Error::Invalid(at + ".rows", fmt::format("At most {} rows.", max_rows)));
  if (auto ok = CheckText(sheet.note, at + ".note"); !ok) return ok;
  for (size_t c = 0; c < sheet.columns.size(); ++c) {
    const Column& column = sheet.columns[c];
    if (auto ok = CheckText(column.header, fmt::format("{}.columns[{}].header", at, c)); !ok) return ok;
    for (size_t k = 0; k < column.allowed.size(); ++k)
      if (auto ok = CheckText(column.allowed[k], fmt::format("{}.columns[{}].allowed[{}]", at, c, k)); !ok) return ok;
  }
  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    const auto& row = sheet.rows[r];
    if (row.size() > sheet.columns.size()) {
      return Fail(
          Error::Invalid(fmt::format("{}.rows[{}]", at, r),
                         fmt::format("Has {} cells; the sheet has {} columns.", row.size(), sheet.columns.size())));
    }
    for (size_t c = 0; c < row.size(); ++c) {
      const auto* text = std::get_if<std::string>(&row[c]);
      if (text != nullptr && Utf8Length(*text) < 0)
        return Fail(Error::Invalid(fmt::format("{}.rows[{}][{}]", at, r, c), "Not valid UTF-8."));
    }
  }
  return {};
}

Error LibraryError(lxw_error error, std::string_view doing) {
  return Error::Internal(fmt::format("libxlsxwriter failed {}: {}", doing, lxw_strerror(error)));
}

// A private (0600) file in the system temp directory, removed when this goes out of scope.
class TempFile {
 public:
  static Result<std::unique_ptr<TempFile>> Create() {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) return Fail(Error::Internal("No temporary directory: " + ec.message()));
    std::string path = (dir / "xiaoan-xlsx-XXXXXX").string();
    const int fd = ::mkstemp(path.data());
    if (fd < 0) {
      return Fail(Error::Internal(fmt::format("Cannot create a temporary file in {}: {}", dir.string(),
                                              std::error_code(errno, std::generic_category()).message())));
    }
    return std::unique_ptr<TempFile>(new TempFile(dir.string(), std::move(path), fd));
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  const std::string& dir() const { return dir_; }
  const std::string& path() const { return path_; }

  // The whole content. The library truncates and rewrites the same file, so the descriptor from
  // mkstemp still reads it.
  Result<std::string> ReadAll() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return Fail(ReadError());
    std::string bytes(static_cast<size_t>(st.st_size), '\0');
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pread(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Fail(ReadError());
      if (n == 0) break;
      done += static_cast<size_t>(n);
    }
    bytes.resize(done);
    return bytes;
  }

 private:
  TempFile(std::string dir, std::string path, int fd) : dir_(std::move(dir)), path_(std::move(path)), fd_(fd) {}
  Error ReadError() const {
    return Error::Internal(
        fmt::format("Cannot read back {}: {}", path_, std::error_code(errno, std::generic_category()).message()));
  }

  std::string dir_;
  std::string path_;
  int fd_;
};

struct WorkbookFree {
  void operator()(lxw_workbook* workbook) const { lxw_workbook_free(workbook); }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookFree>;

struct Formats {
  lxw_format* header;
  lxw_format* note;
};

Formats MakeFormats(lxw_workbook* workbook) {
  Formats formats{workbook_add_format(workbook), workbook_add_format(workbook)};
  format_set_bold(formats.header);
  format_set_bg_color(formats.header, 0xDDEBF7);
  format_set_border(formats.header, LXW_BORDER_THIN);
  format_set_align(formats.header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap(formats.note);
  format_set_align(formats.note, LXW_ALIGN_VERTICAL_TOP);
  return formats;
}

// The hidden sheet holding drop-down lists too long (or too awkward) for the validation itself,
// one list per column.
struct ListSheet {
  std::string name;
  std::vector<const std::vector<std::string>*> lists;
};

std::string ListSheetName(const std::vector<Sheet>& sheets) {
  const auto taken = [&](const std::string& name) {
    return std::ranges::any_of(sheets, [&](const Sheet& s) { return SameSheetName(s.name, name); });
  };
  std::string name = "下拉选项";
  for (int n = 2; taken(name); ++n) name = fmt::format("下拉选项{}", n);
  return name;
}

bool FitsInline(const std::vector<std::string>& allowed) {
  size_t length = allowed.size() - 1;  // the commas
  for (const std::string& item : allowed) {
    if (item.find_first_of(",\"") != std::string::npos) return false;
    length += item.size();  // bytes: at least the characters Excel counts
  }
  return length <= kMaxInlineList;
}

// The height of a wrapped note: its lines, each as many times as it wraps across the columns'
// width (a character above U+07FF, CJK included, takes two width units).
double NoteHeight(const Sheet& sheet) {
  double width = 0;
  for (const Column& column : sheet.columns) width += column.width;
  if (width <= 0) width = 8.43;  // Excel's default column
  double lines = 0;
  double line_width = 0;
  const auto end_line = [&] {
    lines += std::max(1.0, std::ceil(line_width / width));
    line_width = 0;
  };
  for (const char ch : sheet.note) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      end_line();
    } else if (c < 0x80 || (c >> 5) == 0x6) {
      line_width += 1;
    } else if ((c >> 6) == 0x3) {
      line_width += 2;
    }
  }
  end_line();
  return std::min(409.0, lines * kLinePoints);  // 409 points: Excel's tallest row
}

lxw_error WriteCell(lxw_worksheet* worksheet, lxw_row_t row, lxw_col_t col, const Cell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell))
    return worksheet_write_string(worksheet, row, col, text->c_str(), nullptr);
  if (const auto* integer = std::get_if<int64_t>(&cell))
    return worksheet_write_number(worksheet, row, col, static_cast<double>(*integer), nullptr);
  if (const auto* real = std::get_if<double>(&cell))
    return std::isfinite(*real) ? worksheet_write_number(worksheet, row, col, *real, nullptr) : LXW_NO_ERROR;
  if (const auto* flag = std::get_if<bool>(&cell)) return worksheet_write_boolean(worksheet, row, col, *flag, nullptr);
  return LXW_NO_ERROR;
}

Status AddValidation(lxw_worksheet* worksheet, const Column& column, lxw_col_t col, lxw_row_t first_row,
                     lxw_row_t last_row, ListSheet& list_sheet) {
  lxw_data_validation validation{};
  std::vector<char*> items;
  std::string formula;
  if (FitsInline(column.allowed)) {
    for (const std::string& item : column.allowed) items.push_back(const_cast<char*>(item.c_str()));
    items.push_back(nullptr);
    validation.validate = LXW_VALIDATION_TYPE_LIST;
    validation.value_list = items.data();
  } else {
    const int list_col = static_cast<int>(list_sheet.lists.size());
    list_sheet.lists.push_back(&column.allowed);
    const std::string letters = ColumnLetters(list_col);
    formula = fmt::format("='{}'!${}$1:${}${}", list_sheet.name, letters, letters, column.allowed.size());
    validation.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    validation.value_formula = formula.data();
  }
  // The library copies the validation and its strings.
  const lxw_error error = worksheet_data_validation_range(worksheet, first_row, col, last_row, col, &validation);
  if (error != LXW_NO_ERROR) return Fail(LibraryError(error, fmt::format("adding the list of column {}", col)));
  return {};
}

Status WriteSheet(lxw_workbook* workbook, const Sheet& sheet, const Formats& formats, ListSheet& list_sheet) {
  lxw_worksheet* worksheet = workbook_add_worksheet(workbook, sheet.name.c_str());
  if (worksheet == nullptr) return Fail(Error::Internal("libxlsxwriter refused the sheet name " + sheet.name));
  const auto where = [&](std::string_view what) { return fmt::format("{} on sheet {}", what, sheet.name); };

  const lxw_row_t header_row = sheet.note.empty() ? 0 : 1;
  const auto columns = static_cast<lxw_col_t>(sheet.columns.size());
  if (!sheet.note.empty()) {
    const lxw_error error =
        columns > 1 ? worksheet_merge_range(worksheet, 0, 0, 0, columns - 1, sheet.note.c_str(), formats.note)
                    : worksheet_write_string(worksheet, 0, 0, sheet.note.c_str(), formats.note);
    if (error != LXW_NO_ERROR) return Fail(LibraryError(error, where("writing the note")));
    worksheet_set_row(worksheet, 0, NoteHeight(sheet), nullptr);
  }
  for (lxw_col_t c = 0; c < columns; ++c) {
    worksheet_set_column(worksheet, c, c, sheet.columns[c].width, nullptr);
    const lxw_error error =
        worksheet_write_string(worksheet, header_row, c, sheet.columns[c].header.c_str(), formats.header);
    if (error != LXW_NO_ERROR) return Fail(LibraryError(error, where(fmt::format("writing header {}", c))));
  }
  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(header_row + 1 + r);
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      const lxw_error error = WriteCell(worksheet, row, static_cast<lxw_col_t>(c), sheet.rows[r][c]);
      if (error != LXW_NO_ERROR)
        return Fail(LibraryError(error, where(fmt::format("writing cell {}", CellRef(static_cast<int>(c), row + 1)))));
    }
  }
  worksheet_freeze_panes(worksheet, header_row + 1, 0);
  if (columns == 0) return {};

  const auto last_data_row = static_cast<lxw_row_t>(header_row + sheet.rows.size());
  if (const lxw_error error = worksheet_autofilter(worksheet, header_row, 0, last_data_row, columns - 1);
      error != LXW_NO_ERROR) {
    return Fail(LibraryError(error, where("adding the autofilter")));
  }
  const size_t list_rows = std::max(sheet.rows.size(), static_cast<size_t>(std::max(sheet.validation_rows, 0)));
  if (list_rows == 0) return {};
  const auto last_list_row = static_cast<lxw_row_t>(std::min(header_row + list_rows, kMaxRows - 1));
  for (lxw_col_t c = 0; c < columns; ++c) {
    if (sheet.columns[c].allowed.empty()) continue;
    if (auto ok = AddValidation(worksheet, sheet.columns[c], c, header_row + 1, last_list_row, list_sheet); !ok)
      return ok;
  }
  return {};
}

Status WriteListSheet(lxw_workbook* workbook, const ListSheet& list_sheet) {
  lxw_worksheet* worksheet = workbook_add_worksheet(workbook, list_sheet.name.c_str());
  if (worksheet == nullptr) return Fail(Error::Internal("libxlsxwriter refused the sheet name " + list_sheet.name));
  for (size_t c = 0; c < list_sheet.lists.size(); ++c) {
    const auto& items = *list_sheet.lists[c];
    for (size_t r = 0; r < items.size(); ++r) {
      const lxw_error error = worksheet_write_string(worksheet, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                                                     items[r].c_str(), nullptr);
      if (error != LXW_NO_ERROR) return Fail(LibraryError(error, "writing the drop-down lists"));
    }
  }
  worksheet_hide(worksheet);
  return {};
}

}  // namespace

Result<std::string> Write(const std::vector<Sheet>& sheets) {
  if (sheets.empty()) return Fail(Error::Invalid("sheets", "A workbook needs at least one sheet."));
  for (size_t i = 0; i < sheets.size(); ++i)
    if (auto ok = ValidateSheet(sheets, i); !ok) return Fail(ok.error());

  auto file = TempFile::Create();
  if (!file) return Fail(file.error());
  std::string tmpdir = (*file)->dir();  // the library's own scratch files, removed as soon as made
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.data();
  WorkbookPtr workbook(workbook_new_opt((*file)->path().c_str(), &options));
  if (workbook == nullptr) return Fail(Error::Internal("libxlsxwriter could not create a workbook."));

  const Formats formats = MakeFormats(workbook.get());
  ListSheet list_sheet{ListSheetName(sheets), {}};
  for (const Sheet& sheet : sheets)
    if (auto ok = WriteSheet(workbook.get(), sheet, formats, list_sheet); !ok) return Fail(ok.error());
  if (!list_sheet.lists.empty())
    if (auto ok = WriteListSheet(workbook.get(), list_sheet); !ok) return Fail(ok.error());

  // workbook_close frees the workbook whether or not it succeeds.
  if (const lxw_error error = workbook_close(workbook.release()); error != LXW_NO_ERROR)
    return Fail(LibraryError(error, "saving the workbook"));
  return (*file)->ReadAll();
}

std::string CellRef(int column, int row) { return ColumnLetters(column) + std::to_string(row); }

}  // namespace xiaoan::xlsx
