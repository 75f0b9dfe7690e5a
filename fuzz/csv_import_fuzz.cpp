// Fuzz target: the CSV school import as the route runs it. The input is an uploaded text/csv body;
// ParseCsv, then SchoolsFromTable under a county, then — as ImportSchools does when rows have
// problems — the problem+json answer listing every error. Nothing may crash, leak, hit undefined
// behaviour or throw.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "modules/org/school_import.hpp"
#include "platform/http/problem.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto table = xiaoan::org::ParseCsv(input);
  if (!table) {
    (void)xiaoan::http::Problem(table.error());
    return 0;
  }
  std::vector<xiaoan::FieldError> errors;
  const auto schools = xiaoan::org::SchoolsFromTable(*table, "410105", errors);
  for (const auto& s : schools) {
    if (s.parent_code != "410105" || s.code.size() != 10) __builtin_trap();
  }
  if (!errors.empty()) {
    (void)xiaoan::http::Problem(xiaoan::Error{xiaoan::ErrorCode::kInvalidArgument,
                                              "Nothing was imported: fix the rows listed and try again.",
                                              "import_failed",
                                              errors,
                                              {}});
  }
  return 0;
}
