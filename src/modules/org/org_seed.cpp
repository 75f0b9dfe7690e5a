#include "modules/org/org_seed.hpp"

#include <fmt/format.h>
#include <array>
#include <cstdint>

#include "henan_divisions.hpp"
#include "modules/org/org_rules.hpp"

namespace xiaoan::org {
namespace {

// SplitMix64: a small deterministic generator, so the demo is the same on every machine.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  double Unit() { return static_cast<double>(Next() >> 11) / static_cast<double>(1ULL << 53); }

 private:
  uint64_t state_;
};

struct TypeProfile {
  SchoolType type;
  double share;         // of all schools
  const char* name_cn;  // used in demo names
  int64_t min_students, max_students, class_size;
  double boarding_rural;  // chance of boarding in a rural/town school
};

// Rough shares of Henan's school mix (kindergartens and primary schools dominate).
constexpr std::array<TypeProfile, 8> kProfiles{{
    {SchoolType::kKindergarten, 0.38, "幼儿园", 60, 450, 30, 0.0},
    {SchoolType::kPrimary, 0.38, "小学", 120, 2600, 45, 0.15},
    {SchoolType::kJunior, 0.11, "初级中学", 300, 2800, 50, 0.6},
    {SchoolType::kSenior, 0.045, "高级中学", 900, 4500, 55, 0.9},
    {SchoolType::kNineYear, 0.045, "九年一贯制学校", 300, 2400, 45, 0.5},
    {SchoolType::kTwelveYear, 0.01, "十二年一贯制学校", 1200, 4800, 50, 0.8},
    {SchoolType::kSpecial, 0.01, "特殊教育学校", 40, 300, 12, 0.7},
    {SchoolType::kVocational, 0.01, "中等职业学校", 600, 5000, 50, 0.8},
}};

std::vector<std::string_view> SplitCsvLine(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

Result<std::vector<OrgUnit>> HenanDivisions() {
  std::vector<OrgUnit> units;
  std::string_view text = data::kHenanDivisions;
  bool header = true;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty()) continue;
    if (header) {
      header = false;
      continue;
    }
    const auto cols = SplitCsvLine(line);
    if (cols.size() != 4) return Fail(Error::Internal("henan.csv: bad line"));
    OrgUnit u;
    auto code = NormaliseRegionCode(cols[0]);
    auto level = LevelFromName(cols[2]);
    if (!code || !level) return Fail(Error::Internal("henan.csv: bad code or level"));
    u.code = *code;
    u.name = std::string(cols[1]);
    u.level = *level;
    std::string parent_path = "/";
    if (!cols[3].empty()) {
      auto parent = NormaliseRegionCode(cols[3]);
      if (!parent) return Fail(Error::Internal("henan.csv: bad parent"));
      u.parent_code = *parent;
      bool found = false;
      for (const auto& p : units) {
        if (p.code == *parent) {
          parent_path = p.path;
          found = true;
          break;
        }
      }
      if (!found) return Fail(Error::Internal("henan.csv: parent after child: " + *parent));
    }
    u.path = ChildPath(parent_path, u.code);
    units.push_back(std::move(u));
  }
  return units;
}

int DemoSchoolCount(std::string_view county_code) {
  uint64_t seed = 0;
  for (char c : county_code) seed = seed * 31 + static_cast<uint64_t>(c);
  Rng rng(seed);
  return static_cast<int>(rng.Between(24, 48));
}

std::vector<OrgUnit> DemoSchools(const OrgUnit& county, int count) {
  uint64_t seed = 1469598103934665603ULL;
  for (char c : county.code) seed = (seed ^ static_cast<uint64_t>(c)) * 1099511628211ULL;
  Rng rng(seed);
  // Districts (区) are mostly urban; counties and county-level cities mostly town and rural.
  const bool district = county.name.ends_with("区");
  std::array<int, 8> serial_by_type{};
  std::vector<OrgUnit> schools;
  schools.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    // The first school of every unit is a primary school, so demo accounts land somewhere familiar.
    size_t t = 1;
    if (i > 0) {
      double roll = rng.Unit(), acc = 0;
      for (t = 0; t < kProfiles.size() - 1; ++t) {
        acc += kProfiles[t].share;
        if (roll < acc) break;
      }
    }
    const TypeProfile& p = kProfiles[t];
    const double lroll = rng.Unit();
    const Locality loc = district ? (lroll < 0.8    ? Locality::kUrban
                                     : lroll < 0.95 ? Locality::kTown
                                                    : Locality::kRural)
                                  : (lroll < 0.2    ? Locality::kUrban
                                     : lroll < 0.55 ? Locality::kTown
                                                    : Locality::kRural);
    SchoolAttributes a;
    a.school_type = p.type;
    a.locality = loc;
    const int64_t students = rng.Between(p.min_students, p.max_students) / (loc == Locality::kRural ? 2 : 1);
    a.boarding = loc != Locality::kUrban && rng.Unit() < p.boarding_rural;
    a.boarding_students = a.boarding ? students * rng.Between(30, 90) / 100 : 0;
    a.day_students = students - a.boarding_students;
    a.class_count = std::max<int64_t>(1, (students + p.class_size - 1) / p.class_size);
    const int n = ++serial_by_type[t];
    OrgUnit s;
    s.code = fmt::format("9{}{:03d}", county.code, i + 1);
    s.name = fmt::format("【演示】{}第{}{}", county.name, n, p.name_cn);
    s.level = Level::kSchool;
    s.parent_code = county.code;
    s.path = ChildPath(county.path, s.code);
    s.demo = true;
    s.attributes = a;
    schools.push_back(std::move(s));
  }
  return schools;
}

}  // namespace xiaoan::org
