#include "modules/org/school_import.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "modules/org/org_rules.hpp"
#include "platform/http/json_body.hpp"

namespace xiaoan::org {
namespace {

constexpr std::array<std::pair<const char*, const char*>, 8> kColumns{{
    {"code", "学校标识码"},
    {"name", "学校名称"},
    {"school_type", "学校类型"},
    {"locality", "城乡"},
    {"boarding", "寄宿"},
    {"day_students", "走读生数"},
    {"boarding_students", "寄宿生数"},
    {"class_count", "班级数"},
}};

// Chinese cell values accepted beside the wire names.
const std::map<std::string, std::string>& Aliases() {
  static const std::map<std::string, std::string> m{{"幼儿园", "kindergarten"},
                                                    {"小学", "primary"},
                                                    {"初级中学", "junior"},
                                                    {"初中", "junior"},
                                                    {"高级中学", "senior"},
                                                    {"高中", "senior"},
                                                    {"九年一贯制学校", "nine_year"},
                                                    {"十二年一贯制学校", "twelve_year"},
                                                    {"特殊教育学校", "special"},
                                                    {"中等职业学校", "vocational"},
                                                    {"城区", "urban"},
                                                    {"镇区", "town"},
                                                    {"乡村", "rural"},
                                                    {"是", "true"},
                                                    {"否", "false"},
                                                    {"1", "true"},
                                                    {"0", "false"},
                                                    {"yes", "true"},
                                                    {"no", "false"}};
  return m;
}

std::string Canonical(const std::string& v) {
  auto it = Aliases().find(v);
  return it == Aliases().end() ? v : it->second;
}

// Reads one row given as column name → text, adding errors for row `row`.
std::optional<NewSchool> ReadRow(const std::map<std::string, std::string>& cells, const std::string& parent_code,
                                 int row, std::vector<FieldError>& errors) {
  const size_t before = errors.size();
  auto add = [&](const char* field, std::string message) { errors.push_back({field, std::move(message), row}); };
  auto text = [&](const char* col) {
    auto it = cells.find(col);
    return it == cells.end() ? std::string() : TrimBlanks(it->second);
  };
  NewSchool s;
  s.row = row;
  s.parent_code = parent_code;
  s.code = text("code");
  if (!IsSchoolCode(s.code)) add("code", "A school identifier has 10 digits.");
  s.name = text("name");
  const long len = http::Utf8Length(s.name);
  if (len < 1 || len > 100) add("name", "Give a name of 1 to 100 characters.");
  if (auto t = SchoolTypeFromName(Canonical(text("school_type"))))
    s.attributes.school_type = *t;
  else
    add("school_type",
        "Unknown school type: use kindergarten, primary, junior, senior, nine_year, twelve_year, special or "
        "vocational.");
  if (auto l = LocalityFromName(Canonical(text("locality"))))
    s.attributes.locality = *l;
  else
    add("locality", "Use urban, town or rural.");
  const std::string boarding = Canonical(text("boarding"));
  if (boarding == "true" || boarding == "false")
    s.attributes.boarding = boarding == "true";
  else
    add("boarding", "Use true or false.");
  auto number = [&](const char* col, int64_t* out) {
    const std::string v = text(col);
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc{} || ptr != v.data() + v.size() || n < 0)
      add(col, "Give a whole number of 0 or more.");
    else
      *out = n;
  };
  number("day_students", &s.attributes.day_students);
  number("boarding_students", &s.attributes.boarding_students);
  number("class_count", &s.attributes.class_count);
  if (errors.size() != before) return std::nullopt;
  return s;
}

}  // namespace

Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, cell_started = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"' && !cell_started) {
      quoted = true;
      cell_started = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      cell_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(cell));
      cell.clear();
      cell_started = false;
      if (!(row.size() == 1 && row[0].empty())) rows.push_back(std::move(row));
      row.clear();
    } else {
      cell.push_back(c);
      cell_started = true;
    }
  }
  if (quoted) {
    Error e = Error::Invalid("body", "A quoted field is not closed.");
    e.fields[0].row = static_cast<int>(rows.size()) + 1;
    return Fail(e);
  }
  if (cell_started || !row.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<NewSchool> SchoolsFromTable(const std::vector<std::vector<std::string>>& table,
                                        const std::string& parent_code, std::vector<FieldError>& errors) {
  std::vector<NewSchool> out;
  if (table.empty()) {
    errors.push_back({"body", "The file is empty.", 1});
    return out;
  }
  std::vector<std::string> columns;
  for (const auto& raw : table[0]) {
    const std::string h = TrimBlanks(raw);
    std::string name;
    for (const auto& [en, zh] : kColumns)
      if (h == en || h == zh) name = en;
    if (name.empty() && !h.empty()) errors.push_back({h, "Unknown column.", 1});
    columns.push_back(name);
  }
  for (const auto& [en, zh] : kColumns)
    if (std::find(columns.begin(), columns.end(), en) == columns.end())
      errors.push_back({en, std::string("Missing column ") + en + " (" + zh + ").", 1});
  if (!errors.empty()) return out;
  if (table.size() - 1 > kMaxImportRows) {
    errors.push_back({"body", "At most " + std::to_string(kMaxImportRows) + " rows per file.", 1});
    return out;
  }
  for (size_t r = 1; r < table.size(); ++r) {
    std::map<std::string, std::string> cells;
    for (size_t c = 0; c < columns.size() && c < table[r].size(); ++c) cells[columns[c]] = table[r][c];
    if (auto s = ReadRow(cells, parent_code, static_cast<int>(r + 1), errors)) out.push_back(std::move(*s));
  }
  return out;
}

std::vector<NewSchool> SchoolsFromJsonRows(const nlohmann::json& rows, const std::string& parent_code,
                                           std::vector<FieldError>& errors) {
  std::vector<NewSchool> out;
  int row = 1;
  for (const auto& item : rows) {
    ++row;
    if (!item.is_object()) {
      errors.push_back({"rows", "Each row is an object.", row});
      continue;
    }
    std::map<std::string, std::string> cells;
    for (auto it = item.begin(); it != item.end(); ++it) {
      bool known = false;
      for (const auto& [en, zh] : kColumns)
        if (it.key() == en) known = true;
      if (!known) {
        errors.push_back({it.key(), "Unknown column.", row});
        continue;
      }
      const auto& v = it.value();
      if (v.is_string())
        cells[it.key()] = v.get<std::string>();
      else if (v.is_boolean())
        cells[it.key()] = v.get<bool>() ? "true" : "false";
      else if (v.is_number_integer())
        cells[it.key()] = std::to_string(v.get<int64_t>());
      else if (!v.is_null())
        cells[it.key()] = v.dump();
    }
    if (auto s = ReadRow(cells, parent_code, row, errors)) out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace xiaoan::org
