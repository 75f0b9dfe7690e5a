// HazardService::GetDashboard: grouped counts over the indexed paths, no counters kept in step.
#include <fmt/format.h>

#include <algorithm>

#include "base/scope.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/org/org_store.hpp"
#include "xiaoan_hazards_sql.hpp"

namespace xiaoan::hazards {
namespace q = xiaoan::hazards::sql;

namespace {

Figures FiguresOf(const std::string& code, const std::string& name, org::Level level) {
  Figures f;
  f.code = code;
  f.name = name;
  f.level = org::LevelName(level);
  return f;
}

std::optional<double> Median(std::vector<int64_t>& v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? static_cast<double>(v[n / 2]) : (static_cast<double>(v[n / 2 - 1] + v[n / 2])) / 2.0;
}

}  // namespace

Result<Dashboard> HazardService::GetDashboard(const Principal& p, const std::string& org_code) {
  const Day today = Today();
  const auto ymd = std::chrono::year_month_day(today);
  const std::string year_start = fmt::format("{:04}-01-01", static_cast<int>(ymd.year()));
  return db::ReadResult<Dashboard>(db_, [&](db::Connection& c) -> Result<Dashboard> {
    auto unit = org::store::Get(c, Scope::Of(p), org_code);
    if (!unit) return Fail(unit.error());
    const Scope scope = Scope::ForPath(unit->path);
    Dashboard out;
    out.unit = FiguresOf(unit->code, unit->name, unit->level);
    std::vector<std::string> child_paths;
    if (unit->level != org::Level::kSchool) {
      auto kids = org::store::Children(c, scope, org_code, {1, 100000});
      if (!kids) return Fail(kids.error());
      for (const auto& k : kids->items) {
        child_paths.push_back(k.path);
        out.children.push_back(FiguresOf(k.code, k.name, k.level));
      }
    }
    // One range query per subtree (no GROUP BY, so no sort); the unit is the sum of its children,
    // since every hazard belongs to a school.
    auto count = [&](const std::string& path, Figures& f, std::vector<int64_t>& days) -> Status {
      const Scope sub = Scope::ForPath(path);
      auto row = c.QueryOne(q::kUnitFigures, {sub.lower(), sub.upper(), year_start});
      if (!row) return Fail(row.error());
      if (*row) {
        f.open = (*row)->Int(0);
        f.overdue = (*row)->Int(1);
        f.major = (*row)->Int(2);
        f.out_of_use = (*row)->Int(3);
        f.found_this_year = (*row)->Int(4);
        f.closed = (*row)->Int(5);
      }
      auto closed = c.Query(q::kCloseDays, {sub.lower(), sub.upper(), year_start});
      if (!closed) return Fail(closed.error());
      for (const auto& r : *closed) days.push_back(r.Int(0));
      return {};
    };
    auto finish = [](Figures& f, std::vector<int64_t>& d) {
      if (f.found_this_year > 0)
        f.closure_rate = static_cast<double>(f.closed) / static_cast<double>(f.found_this_year);
      f.median_days_to_close = Median(d);
    };
    std::vector<int64_t> unit_days;
    if (out.children.empty()) {
      if (auto st = count(unit->path, out.unit, unit_days); !st) return Fail(st.error());
    }
    for (size_t i = 0; i < out.children.size(); ++i) {
      std::vector<int64_t> days;
      Figures& f = out.children[i];
      if (auto st = count(child_paths[i], f, days); !st) return Fail(st.error());
      out.unit.open += f.open;
      out.unit.overdue += f.overdue;
      out.unit.major += f.major;
      out.unit.out_of_use += f.out_of_use;
      out.unit.found_this_year += f.found_this_year;
      out.unit.closed += f.closed;
      unit_days.insert(unit_days.end(), days.begin(), days.end());
      finish(f, days);
    }
    finish(out.unit, unit_days);
    if (unit->level != org::Level::kSchool) {
      auto escalated = c.Query(q::kEscalated, {out.unit.level, scope.lower(), scope.upper(), int64_t{200}});
      if (!escalated) return Fail(escalated.error());
      for (const auto& r : *escalated) {
        auto h = Load(c, "/", r.Int(0), false);
        if (!h) return Fail(h.error());
        out.escalated.push_back(std::move(*h));
      }
    }
    return out;
  });
}

}  // namespace xiaoan::hazards
