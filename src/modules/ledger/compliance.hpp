// The "four 100%" of one school from the facts of its ledger, and what a school contributes to the
// counters of the units above it. Pure: the store loads facts, this decides. See RULES.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "modules/ledger/four_items.hpp"
#include "modules/ledger/guard_rules.hpp"
#include "modules/org/org_unit.hpp"

namespace xiaoan::ledger {

// School days: Monday to Friday (or the weekdays the calendar names) except closed ranges
// (breaks, public holidays), plus make-up working days (调休) that fall on other weekdays.
class SchoolCalendar {
 public:
  struct Closed {
    Day from, to;  // inclusive
    std::string name;
  };
  explicit SchoolCalendar(std::vector<Closed> closed, std::vector<int> weekdays = {1, 2, 3, 4, 5},
                          std::vector<Day> open = {})
      : closed_(std::move(closed)), weekdays_(std::move(weekdays)), open_(std::move(open)) {}
  // Parses data/rules/calendar.toml's format (`weekdays = [1, …]` ISO weekdays, default Monday to
  // Friday; `[[closed]]` ranges; `[[open]]` make-up days); kInvalidArgument naming the entry.
  [[nodiscard]] static Result<SchoolCalendar> Parse(std::string_view toml_text);
  // Reads and parses a calendar file (the --school-calendar setting).
  [[nodiscard]] static Result<SchoolCalendar> Load(const std::string& path);
  // The calendar shipped with the project.
  [[nodiscard]] static const SchoolCalendar& Shipped();

  [[nodiscard]] bool IsSchoolDay(Day d) const;
  // The `n` school days before `day` (not including it), oldest first. Looks back at most a year.
  [[nodiscard]] std::vector<Day> SchoolDaysBefore(Day day, int n) const;

 private:
  std::vector<Closed> closed_;
  std::vector<int> weekdays_;
  std::vector<Day> open_;
};

// Settings of the evaluation, with their defaults from RULES.md.
struct ComplianceSettings {
  int post_window_school_days = 10;  // 护学岗 checked over the last 10 school days
  int max_days_since_test = 31;      // monthly live alarm test [L]
  int guard_max_age = 60;            // age limit of guards [L]
};

// A closed-management measure's newest check.
enum class MeasureStatus { kUnchecked, kInPlace, kNotInPlace, kNotPossible };

struct Shift {
  int weekday = 1;  // 1 = Monday
  int start_min = 0, end_min = 0;
  std::string staff;
};

// What the ledger says about one school.
struct SchoolFacts {
  std::string code, path;
  bool active = true;
  org::SchoolAttributes attributes;
  int64_t guards_qualified = 0;  // full-time, active, certified, within the age limit
  int64_t guards_full_time_uncertified = 0;
  int64_t guards_full_time_over_age = 0;
  std::vector<Shift> shifts;
  std::array<MeasureStatus, 4> measures{};     // enclosure, separate gates, anti-ram, visitor registration
  std::set<Day> arrival_days, dismissal_days;  // days with a staffed post, within the window
  bool alarm_networked = false, video_networked = false;
  std::optional<Day> last_passed_test;
};

// One uncovered stretch of the gatehouse week.
struct Gap {
  int weekday = 1;
  int start_min = 0, end_min = 0;
};
// The stretches of the week (Monday 00:00 to Sunday 24:00) that no shift covers.
[[nodiscard]] std::vector<Gap> UncoveredHours(const std::vector<Shift>& shifts);
// "08:30" from 510; "24:00" from 1440.
[[nodiscard]] std::string FormatMinutes(int minutes);
// 510 from "08:30"; "24:00" is 1440; nullopt for anything else.
[[nodiscard]] std::optional<int> ParseMinutes(std::string_view hhmm);

enum class Item { kGuards, kClosedManagement, kProtectionPosts, kAlarmVideo };
inline constexpr std::array<Item, 4> kItems{Item::kGuards, Item::kClosedManagement, Item::kProtectionPosts,
                                            Item::kAlarmVideo};
// "guards", "closed_management", "protection_posts", "alarm_video".
[[nodiscard]] const char* ItemName(Item i);
[[nodiscard]] std::optional<Item> ItemFromName(std::string_view s);
[[nodiscard]] const char* ItemStateName(ItemState s);  // "met", "not_met", "not_applicable"

struct SchoolEvaluation {
  std::array<ItemResult, 4> items;  // in kItems order
  bool all_four = false;            // every applicable item met
  int64_t required_guards = 0;
};

// Evaluates the four items for `facts` on Shanghai day `today`. Time enters only through `today`:
// the post window ends yesterday, and the alarm test ages by calendar days.
[[nodiscard]] SchoolEvaluation Evaluate(const SchoolFacts& facts, const GuardRuleSet& rules,
                                        const SchoolCalendar& calendar, const ComplianceSettings& settings, Day today);
// The first day of the post window that `Evaluate` uses on `today` (facts need no older posts).
[[nodiscard]] Day PostWindowStart(const SchoolCalendar& calendar, const ComplianceSettings& settings, Day today);

// What one school adds to each counter of its province, city and county. All zero for an inactive
// school; a school counts in every applicable denominator and in all_four's.
struct Contribution {
  // schools, then met/applicable for guards, closed, posts, alarm, all four.
  std::array<int64_t, 11> v{};
  [[nodiscard]] bool operator==(const Contribution&) const = default;
};
[[nodiscard]] Contribution ContributionOf(bool active, const std::array<ItemState, 4>& states, bool all_four);
[[nodiscard]] Contribution Minus(const Contribution& a, const Contribution& b);

// The ancestors' codes of a materialised path, excluding the last element (the school):
// "/410000/410100/410105/9410105001/" → {"410000", "410100", "410105"}.
[[nodiscard]] std::vector<std::string> AncestorCodes(std::string_view path);

}  // namespace xiaoan::ledger
