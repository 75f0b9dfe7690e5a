#include "compliance_reference.hpp"

#include <fmt/format.h>

#include <set>

#include "base/scope.hpp"
#include "compliance_bench_sql.hpp"

namespace xiaoan::bench {
namespace {

std::string Format(const ledger::store::Figures& f) {
  std::string out = fmt::format("{} schools", f.schools);
  for (const auto& [met, applicable] : f.items) out += fmt::format(" {}/{}", met, applicable);
  return out;
}

}  // namespace

db::Params ReferenceParams(const ledger::GuardRuleSet& rules, const ledger::ComplianceSettings& settings,
                           const org::OrgUnit& unit, Day today) {
  const auto scope = Scope::ForPath(unit.path);
  std::string days = "[";
  for (Day d : ledger::SchoolCalendar::Shipped().SchoolDaysBefore(today, settings.post_window_school_days))
    days += fmt::format("{}\"{}\"", days.size() > 1 ? "," : "", FormatDay(d));
  days += "]";
  const int year = static_cast<int>(std::chrono::year_month_day(today).year());
  return {scope.lower(),
          scope.upper(),
          static_cast<int64_t>(unit.path.size()),
          int64_t{year},
          int64_t{settings.guard_max_age},
          rules.small_threshold.value,
          rules.base_small.value,
          rules.base_medium.value,
          rules.large_threshold.value,
          rules.base_large.value,
          rules.step_students.value,
          rules.per_boarders.value,
          rules.minimum.value,
          rules.boarding_minimum.value,
          days,
          FormatDay(today - std::chrono::days(settings.max_days_since_test)),
          FormatDay(today)};
}

Result<FiguresByChild> RunReference(db::Connection& c, const db::Params& params) {
  auto rows = c.Query(sql::kRollupReference, params);
  if (!rows) return Fail(rows.error());
  FiguresByChild out;
  for (const auto& r : *rows) {
    ledger::store::Figures f;
    f.schools = r.Int(1);
    for (size_t i = 0; i < 5; ++i) f.items[i] = {r.Int(2 + 2 * i), r.Int(3 + 2 * i)};
    out[r.Text(0)] = f;
  }
  return out;
}

void Comparison::Add(const Comparison& other) {
  units += other.units;
  children += other.children;
  differences += other.differences;
  for (size_t i = 0; i < by_figure.size(); ++i) by_figure[i] += other.by_figure[i];
  if (first.empty()) first = other.first;
}

std::string Comparison::Describe() const {
  if (differences == 0)
    return fmt::format("equal ({} unit{} + {} children, 11 figures each)", units, units == 1 ? "" : "s", children);
  return fmt::format("{} DIFFER (schools {}, guards {}, closed {}, posts {}, alarm {}, all four {}); first: {}",
                     differences, by_figure[0], by_figure[1], by_figure[2], by_figure[3], by_figure[4], by_figure[5],
                     first);
}

Comparison Compare(const ledger::Rollup& live, const FiguresByChild& reference) {
  Comparison c;
  c.units = 1;
  const ledger::store::Figures none;
  auto check = [&](const std::string& code, const ledger::store::Figures& a) {
    const auto it = reference.find(code);
    const auto& b = it == reference.end() ? none : it->second;
    if (a.schools == b.schools && a.items == b.items) return;
    ++c.differences;
    if (a.schools != b.schools) ++c.by_figure[0];
    for (size_t i = 0; i < a.items.size(); ++i) c.by_figure[1 + i] += a.items[i] != b.items[i] ? 1 : 0;
    if (c.first.empty())
      c.first = fmt::format("{}: live {} vs SQL {}", code.empty() ? live.unit.code : code, Format(a), Format(b));
  };
  check("", live.figures);
  std::set<std::string> listed{""};
  for (const auto& child : live.children) {
    if (child.figures.schools == 0 && !reference.contains(child.code)) continue;
    ++c.children;
    listed.insert(child.code);
    check(child.code, child.figures);
  }
  for (const auto& [code, figures] : reference) {
    if (listed.contains(code)) continue;
    ++c.differences;
    if (c.first.empty()) c.first = code + ": in the SQL result only";
  }
  return c;
}

}  // namespace xiaoan::bench
