// Org units: province → prefecture city → county-level unit → school (GB/T 2260 region codes; a
// school's 10-digit identifier 学校标识码).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace xiaoan::org {

enum class Level { kProvince, kCity, kCounty, kSchool };

enum class SchoolType {
  kKindergarten,  // 幼儿园
  kPrimary,       // 小学
  kJunior,        // 初级中学
  kSenior,        // 高级中学
  kNineYear,      // 九年一贯制学校
  kTwelveYear,    // 十二年一贯制学校
  kSpecial,       // 特殊教育学校
  kVocational,    // 中等职业学校
};

enum class Locality { kUrban, kTown, kRural };  // 城区 / 镇区 / 乡村

struct SchoolAttributes {
  SchoolType school_type = SchoolType::kPrimary;
  Locality locality = Locality::kUrban;
  bool boarding = false;
  int64_t day_students = 0;       // 走读生
  int64_t boarding_students = 0;  // 寄宿生
  int64_t class_count = 0;
};

struct OrgUnit {
  std::string code;
  std::string name;
  Level level = Level::kSchool;
  std::optional<std::string> parent_code;
  std::string path;  // "/410000/410100/410105/"
  bool active = true;
  bool demo = false;
  int64_t child_count = 0;
  std::optional<SchoolAttributes> attributes;  // schools only
};

struct UnitRef {
  std::string code, name;
  Level level;
};

struct Page {
  std::vector<OrgUnit> items;
  int64_t total = 0;
};

struct Stats {
  int64_t schools = 0;
  int64_t students = 0;
  std::vector<std::pair<std::string, int64_t>> by_type;
  std::vector<std::pair<std::string, int64_t>> by_locality;
};

[[nodiscard]] const char* LevelName(Level l);
[[nodiscard]] std::optional<Level> LevelFromName(std::string_view s);
[[nodiscard]] const char* SchoolTypeName(SchoolType t);
[[nodiscard]] std::optional<SchoolType> SchoolTypeFromName(std::string_view s);
[[nodiscard]] const char* LocalityName(Locality l);
[[nodiscard]] std::optional<Locality> LocalityFromName(std::string_view s);

}  // namespace xiaoan::org
