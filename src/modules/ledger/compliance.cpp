#include "modules/ledger/compliance.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <fstream>
#include <sstream>

#include "calendar_data.hpp"

namespace xiaoan::ledger {
namespace {

constexpr std::array<const char*, 7> kWeekdayZh{"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
constexpr std::array<const char*, 7> kWeekdayEn{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

void Add(ItemResult& r, std::string zh, std::string en) {
  r.reasons_zh.push_back(std::move(zh));
  r.reasons_en.push_back(std::move(en));
  r.state = ItemState::kNotMet;
}

}  // namespace

Result<SchoolCalendar> SchoolCalendar::Parse(std::string_view toml_text) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return Fail(Error::Invalid("calendar", std::string(e.description())));
  }
  std::vector<Closed> closed;
  if (auto* arr = doc["closed"].as_array()) {
    int i = 0;
    for (auto& node : *arr) {
      ++i;
      auto* t = node.as_table();
      if (!t) return Fail(Error::Invalid(fmt::format("closed[{}]", i), "Expected a table."));
      auto from = ParseDay((*t)["from"].value_or(std::string()));
      auto to = ParseDay((*t)["to"].value_or(std::string()));
      if (!from || !to || *to < *from)
        return Fail(Error::Invalid(fmt::format("closed[{}]", i), "Needs from <= to, as YYYY-MM-DD."));
      closed.push_back({*from, *to, (*t)["name"].value_or(std::string())});
    }
  }
  std::vector<int> weekdays = {1, 2, 3, 4, 5};
  if (auto* w = doc["weekdays"].as_array()) {
    weekdays.clear();
    for (auto& node : *w) {
      const auto v = node.value<int64_t>();
      if (!v || *v < 1 || *v > 7) return Fail(Error::Invalid("weekdays", "ISO weekdays, 1 (Monday) to 7 (Sunday)."));
      weekdays.push_back(static_cast<int>(*v));
    }
  }
  std::vector<Day> open;
  if (auto* arr = doc["open"].as_array()) {
    int i = 0;
    for (auto& node : *arr) {
      ++i;
      auto* t = node.as_table();
      auto day = t ? ParseDay((*t)["day"].value_or(std::string())) : std::nullopt;
      if (!day) return Fail(Error::Invalid(fmt::format("open[{}]", i), "Needs day = YYYY-MM-DD."));
      open.push_back(*day);
    }
  }
  return SchoolCalendar(std::move(closed), std::move(weekdays), std::move(open));
}

Result<SchoolCalendar> SchoolCalendar::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(Error::Invalid("school_calendar", "Cannot read " + path + "."));
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = Parse(text.str());
  if (!parsed) {
    Error e = parsed.error();
    if (!e.fields.empty()) e.fields[0].message = path + ": " + e.fields[0].field + ": " + e.fields[0].message;
    return Fail(e);
  }
  return parsed;
}

const SchoolCalendar& SchoolCalendar::Shipped() {
  static const SchoolCalendar calendar = [] {
    auto parsed = Parse(data::kSchoolCalendar);
    if (!parsed) throw std::runtime_error("data/rules/calendar.toml: " + parsed.error().fields.at(0).message);
    return *parsed;
  }();
  return calendar;
}

bool SchoolCalendar::IsSchoolDay(Day d) const {
  if (std::find(open_.begin(), open_.end(), d) != open_.end()) return true;
  if (std::find(weekdays_.begin(), weekdays_.end(), IsoWeekday(d)) == weekdays_.end()) return false;
  return std::none_of(closed_.begin(), closed_.end(), [&](const Closed& c) { return d >= c.from && d <= c.to; });
}

std::vector<Day> SchoolCalendar::SchoolDaysBefore(Day day, int n) const {
  std::vector<Day> out;
  for (Day d = day - std::chrono::days(1); static_cast<int>(out.size()) < n && d > day - std::chrono::days(366);
       d -= std::chrono::days(1)) {
    if (IsSchoolDay(d)) out.push_back(d);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<Gap> UncoveredHours(const std::vector<Shift>& shifts) {
  std::vector<Gap> gaps;
  for (int wd = 1; wd <= 7; ++wd) {
    std::vector<std::pair<int, int>> spans;
    for (const auto& s : shifts)
      if (s.weekday == wd) spans.emplace_back(s.start_min, s.end_min);
    std::sort(spans.begin(), spans.end());
    int covered_to = 0;
    for (const auto& [start, end] : spans) {
      if (start > covered_to) gaps.push_back({wd, covered_to, start});
      covered_to = std::max(covered_to, end);
    }
    if (covered_to < 1440) gaps.push_back({wd, covered_to, 1440});
  }
  return gaps;
}

std::string FormatMinutes(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

std::optional<int> ParseMinutes(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h == 24 && m == 0) return 1440;
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

const char* ItemName(Item i) {
  switch (i) {
    case Item::kGuards:
      return "guards";
    case Item::kClosedManagement:
      return "closed_management";
    case Item::kProtectionPosts:
      return "protection_posts";
    case Item::kAlarmVideo:
      return "alarm_video";
  }
  return "guards";
}

std::optional<Item> ItemFromName(std::string_view s) {
  for (Item i : kItems)
    if (s == ItemName(i)) return i;
  return std::nullopt;
}

const char* ItemStateName(ItemState s) {
  switch (s) {
    case ItemState::kMet:
      return "met";
    case ItemState::kNotMet:
      return "not_met";
    case ItemState::kNotApplicable:
      return "not_applicable";
  }
  return "not_met";
}

Day PostWindowStart(const SchoolCalendar& calendar, const ComplianceSettings& settings, Day today) {
  const auto days = calendar.SchoolDaysBefore(today, settings.post_window_school_days);
  return days.empty() ? today : days.front();
}

SchoolEvaluation Evaluate(const SchoolFacts& f, const GuardRuleSet& rules, const SchoolCalendar& calendar,
                          const ComplianceSettings& settings, Day today) {
  SchoolEvaluation e;
  const auto& a = f.attributes;
  e.required_guards = RequiredGuards(rules, a.day_students, a.boarding_students, a.boarding);

  // 专职保安: enough qualified full-time guards, and a gatehouse staffed around the clock.
  auto guards = EvaluateGuards(rules, a.day_students, a.boarding_students, a.boarding, f.guards_qualified);
  if (guards.state == ItemState::kNotMet) {
    if (f.guards_full_time_uncertified > 0)
      Add(guards, fmt::format("{}名专职保安无保安员证，不计入", f.guards_full_time_uncertified),
          fmt::format("{} full-time guard(s) without a guard certificate are not counted",
                      f.guards_full_time_uncertified));
    if (f.guards_full_time_over_age > 0)
      Add(guards, fmt::format("{}名专职保安超过{}岁，不计入", f.guards_full_time_over_age, settings.guard_max_age),
          fmt::format("{} full-time guard(s) over {} are not counted", f.guards_full_time_over_age,
                      settings.guard_max_age));
  }
  const auto gaps = UncoveredHours(f.shifts);
  if (!gaps.empty()) {
    const auto& g = gaps.front();
    const std::string more_zh = gaps.size() > 1 ? fmt::format("等{}个时段", gaps.size()) : "";
    const std::string more_en = gaps.size() > 1 ? fmt::format(" and {} more", gaps.size() - 1) : "";
    Add(guards,
        fmt::format("门卫室未实现24小时值守：{} {}–{}{}无人值守", kWeekdayZh[g.weekday - 1], FormatMinutes(g.start_min),
                    FormatMinutes(g.end_min), more_zh),
        fmt::format("the gatehouse is not staffed 24 h: nobody on {} {}–{}{}", kWeekdayEn[g.weekday - 1],
                    FormatMinutes(g.start_min), FormatMinutes(g.end_min), more_en));
  }
  e.items[0] = std::move(guards);

  // 封闭化管理: the newest check of each measure says it is in place (or, for separate gates, not
  // possible on this site).
  ClosedManagementFacts closed;
  closed.enclosure_anti_climb = f.measures[0] == MeasureStatus::kInPlace;
  closed.separate_gates = f.measures[1] == MeasureStatus::kInPlace || f.measures[1] == MeasureStatus::kNotPossible;
  closed.anti_ram_barriers = f.measures[2] == MeasureStatus::kInPlace;
  closed.visitor_registration = f.measures[3] == MeasureStatus::kInPlace;
  e.items[1] = EvaluateClosedManagement(closed);

  // 护学岗: urban and town schools, arrival and dismissal on each of the last school days.
  const bool urban_or_town = a.locality != org::Locality::kRural;
  const auto window = calendar.SchoolDaysBefore(today, settings.post_window_school_days);
  int missing_arrival = 0, missing_dismissal = 0;
  for (Day d : window) {
    if (!f.arrival_days.contains(d)) ++missing_arrival;
    if (!f.dismissal_days.contains(d)) ++missing_dismissal;
  }
  e.items[2] =
      EvaluateProtectionPosts(urban_or_town, static_cast<int>(window.size()), missing_arrival, missing_dismissal);

  // 一键报警与视频监控联网.
  std::optional<int> days_since_test;
  if (f.last_passed_test) days_since_test = static_cast<int>((today - *f.last_passed_test).count());
  e.items[3] =
      EvaluateAlarmAndVideo(f.alarm_networked, f.video_networked, days_since_test, settings.max_days_since_test);

  e.all_four =
      std::all_of(e.items.begin(), e.items.end(), [](const ItemResult& r) { return r.state != ItemState::kNotMet; });
  return e;
}

Contribution ContributionOf(bool active, const std::array<ItemState, 4>& states, bool all_four) {
  Contribution c;
  if (!active) return c;
  c.v[0] = 1;
  for (size_t i = 0; i < 4; ++i) {
    c.v[1 + 2 * i] = states[i] == ItemState::kMet ? 1 : 0;
    c.v[2 + 2 * i] = states[i] == ItemState::kNotApplicable ? 0 : 1;
  }
  c.v[9] = all_four ? 1 : 0;
  c.v[10] = 1;
  return c;
}

Contribution Minus(const Contribution& a, const Contribution& b) {
  Contribution c;
  for (size_t i = 0; i < c.v.size(); ++i) c.v[i] = a.v[i] - b.v[i];
  return c;
}

std::vector<std::string> AncestorCodes(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const size_t j = path.find('/', i);
    const size_t end = j == std::string_view::npos ? path.size() : j;
    parts.emplace_back(path.substr(i, end - i));
    i = end;
  }
  if (!parts.empty()) parts.pop_back();
  return parts;
}

}  // namespace xiaoan::ledger
