#include "modules/org/org_rules.hpp"

#include <algorithm>
#include <array>

namespace xiaoan::org {
namespace {
template <class E, size_t N>
const char* NameOf(const std::array<std::pair<E, const char*>, N>& table, E value) {
  for (const auto& [e, n] : table)
    if (e == value) return n;
  return "";
}
template <class E, size_t N>
std::optional<E> FromName(const std::array<std::pair<E, const char*>, N>& table, std::string_view s) {
  for (const auto& [e, n] : table)
    if (s == n) return e;
  return std::nullopt;
}
constexpr std::array<std::pair<Level, const char*>, 4> kLevels{
    {{Level::kProvince, "province"}, {Level::kCity, "city"}, {Level::kCounty, "county"}, {Level::kSchool, "school"}}};
constexpr std::array<std::pair<SchoolType, const char*>, 8> kTypes{{{SchoolType::kKindergarten, "kindergarten"},
                                                                    {SchoolType::kPrimary, "primary"},
                                                                    {SchoolType::kJunior, "junior"},
                                                                    {SchoolType::kSenior, "senior"},
                                                                    {SchoolType::kNineYear, "nine_year"},
                                                                    {SchoolType::kTwelveYear, "twelve_year"},
                                                                    {SchoolType::kSpecial, "special"},
                                                                    {SchoolType::kVocational, "vocational"}}};
constexpr std::array<std::pair<Locality, const char*>, 3> kLocalities{
    {{Locality::kUrban, "urban"}, {Locality::kTown, "town"}, {Locality::kRural, "rural"}}};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

const char* LevelName(Level l) { return NameOf(kLevels, l); }
std::optional<Level> LevelFromName(std::string_view s) { return FromName(kLevels, s); }
const char* SchoolTypeName(SchoolType t) { return NameOf(kTypes, t); }
std::optional<SchoolType> SchoolTypeFromName(std::string_view s) { return FromName(kTypes, s); }
const char* LocalityName(Locality l) { return NameOf(kLocalities, l); }
std::optional<Locality> LocalityFromName(std::string_view s) { return FromName(kLocalities, s); }

std::optional<std::string> NormaliseRegionCode(std::string_view code) {
  if (!AllDigits(code)) return std::nullopt;
  if (code.size() == 2) return std::string(code) + "0000";
  if (code.size() == 4) return std::string(code) + "00";
  if (code.size() == 6) return std::string(code);
  return std::nullopt;
}

std::string TrimBlanks(std::string_view text) {
  constexpr std::string_view kAscii = " \t\r\n";
  constexpr std::string_view kIdeographicSpace = "\u3000";
  for (bool cut = true; cut;) {
    cut = false;
    while (!text.empty() && kAscii.find(text.front()) != std::string_view::npos) text.remove_prefix(1), cut = true;
    while (!text.empty() && kAscii.find(text.back()) != std::string_view::npos) text.remove_suffix(1), cut = true;
    if (text.starts_with(kIdeographicSpace)) text.remove_prefix(kIdeographicSpace.size()), cut = true;
    if (text.ends_with(kIdeographicSpace)) text.remove_suffix(kIdeographicSpace.size()), cut = true;
  }
  return std::string(text);
}

bool IsSchoolCode(std::string_view code) { return code.size() == 10 && AllDigits(code); }

std::string ChildPath(const std::string& parent_path, const std::string& code) { return parent_path + code + "/"; }

bool CanManageSchools(Role role) {
  return role == Role::kBureauAdmin || role == Role::kBureauSafetyOfficer || role == Role::kSystemAdmin;
}

bool CanHoldSchools(Level level, int64_t county_children) {
  return level == Level::kCounty || (level == Level::kCity && county_children == 0);
}

void CheckAttributes(const SchoolAttributes& a, const std::string& prefix, std::vector<FieldError>& errors) {
  constexpr int64_t kMaxStudents = 100000;
  if (a.day_students < 0 || a.day_students > kMaxStudents)
    errors.push_back({prefix + "day_students", "Must be between 0 and 100000."});
  if (a.boarding_students < 0 || a.boarding_students > kMaxStudents)
    errors.push_back({prefix + "boarding_students", "Must be between 0 and 100000."});
  if (!a.boarding && a.boarding_students > 0)
    errors.push_back({prefix + "boarding_students", "A school without boarding has no boarding students."});
  if (a.class_count < 0 || a.class_count > 1000)
    errors.push_back({prefix + "class_count", "Must be between 0 and 1000."});
}

}  // namespace xiaoan::org
