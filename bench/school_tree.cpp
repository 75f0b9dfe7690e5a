#include "school_tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <string>
#include <string_view>

#include "modules/org/org_rules.hpp"
#include "modules/org/org_seed.hpp"
#include "modules/org/org_store.hpp"

namespace xiaoan::bench {
namespace {

constexpr std::array<int, 31> kProvinces{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                                         42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
constexpr size_t kUnitsPerJob = 20000;

}  // namespace

std::vector<std::pair<const org::OrgUnit*, int>> SpreadSchools(const std::vector<org::OrgUnit>& divisions, int total) {
  std::map<std::string, int> counties_under;
  for (const auto& u : divisions)
    if (u.level == org::Level::kCounty && u.parent_code) ++counties_under[*u.parent_code];
  std::vector<std::pair<const org::OrgUnit*, int>> out;
  int64_t weight = 0;
  for (const auto& u : divisions) {
    if (!org::CanHoldSchools(u.level, counties_under[u.code])) continue;
    out.emplace_back(&u, org::DemoSchoolCount(u.code));
    weight += out.back().second;
  }
  int64_t given = 0, acc = 0;
  for (auto& [unit, n] : out) {
    acc += n;
    const int64_t upto = acc * total / weight;
    n = static_cast<int>(upto - given);
    given = upto;
  }
  return out;
}

std::vector<org::OrgUnit> NationalDivisions(const std::vector<org::OrgUnit>& henan) {
  std::vector<org::OrgUnit> out;
  out.reserve(henan.size() * kProvinces.size());
  for (int p : kProvinces) {
    const std::string prefix = fmt::format("{:02d}", p);
    auto recode = [&](std::string_view code) { return fmt::format("{}{}", prefix, code.substr(2)); };
    for (const auto& h : henan) {
      org::OrgUnit u = h;
      u.code = recode(h.code);
      if (h.parent_code) u.parent_code = recode(*h.parent_code);
      if (p != 41) u.name = fmt::format("省{}{}", prefix, h.name);
      std::string path(1, '/');
      for (size_t i = 1; i + 6 < h.path.size(); i += 7) {
        path += recode(std::string_view(h.path).substr(i, 6));
        path += '/';
      }
      u.path = std::move(path);
      out.push_back(std::move(u));
    }
  }
  return out;
}

Status InsertUnits(db::Database& database, const std::vector<org::OrgUnit>& units) {
  const std::string now = "2026-09-01T08:00:00+08:00";
  for (size_t start = 0; start < units.size(); start += kUnitsPerJob) {
    const size_t end = std::min(units.size(), start + kUnitsPerJob);
    auto ok = database.Write([&](db::Connection& tx) -> Status {
      for (size_t i = start; i < end; ++i)
        if (auto s = org::store::Insert(tx, units[i], now); !s) return s;
      return {};
    });
    if (!ok) return ok;
  }
  return {};
}

Result<int64_t> InsertSchools(db::Database& database, const std::vector<std::pair<const org::OrgUnit*, int>>& spread) {
  int64_t n = 0;
  std::vector<org::OrgUnit> batch;
  for (size_t i = 0; i < spread.size(); ++i) {
    auto made = org::DemoSchools(*spread[i].first, spread[i].second);
    n += static_cast<int64_t>(made.size());
    std::move(made.begin(), made.end(), std::back_inserter(batch));
    if (batch.size() >= kUnitsPerJob || i + 1 == spread.size()) {
      if (auto ok = InsertUnits(database, batch); !ok) return Fail(ok.error());
      batch.clear();
    }
  }
  return n;
}

}  // namespace xiaoan::bench
