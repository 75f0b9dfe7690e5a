#include "modules/ledger/compliance.hpp"

#include <gtest/gtest.h>

namespace xiaoan::ledger {
namespace {

using std::chrono::days;

Day D(const char* s) { return *ParseDay(s); }
const GuardRuleSet& Gbt() { return ShippedGuardRuleSets().front(); }
const SchoolCalendar kWeekdays({});  // no breaks: Monday to Friday

std::vector<Shift> FullWeek() {
  std::vector<Shift> s;
  for (int wd = 1; wd <= 7; ++wd) {
    s.push_back({wd, 0, 720, ""});
    s.push_back({wd, 720, 1440, ""});
  }
  return s;
}

// A compliant urban school of 1,111 day students on Saturday 2026-11-28.
SchoolFacts Compliant(const SchoolCalendar& calendar, Day today) {
  SchoolFacts f;
  f.code = "9410105001";
  f.path = "/410000/410100/410105/9410105001/";
  f.attributes.locality = org::Locality::kUrban;
  f.attributes.day_students = 1111;
  f.guards_qualified = 3;
  f.shifts = FullWeek();
  f.measures = {MeasureStatus::kInPlace, MeasureStatus::kInPlace, MeasureStatus::kInPlace, MeasureStatus::kInPlace};
  for (Day d : calendar.SchoolDaysBefore(today, 10)) {
    f.arrival_days.insert(d);
    f.dismissal_days.insert(d);
  }
  f.alarm_networked = f.video_networked = true;
  f.last_passed_test = today - days(3);
  return f;
}

SchoolEvaluation Eval(const SchoolFacts& f, Day today, const SchoolCalendar& calendar = kWeekdays) {
  return Evaluate(f, Gbt(), calendar, ComplianceSettings{}, today);
}

TEST(Calendar, SchoolDaysAreWeekdaysOutsideBreaksAndEndYesterday) {
  // Saturday 28 Nov 2026: the ten school days before it are 16–27 Nov, weekdays only.
  const auto days10 = kWeekdays.SchoolDaysBefore(D("2026-11-28"), 10);
  ASSERT_EQ(days10.size(), 10u);
  EXPECT_EQ(FormatDay(days10.front()), "2026-11-16");
  EXPECT_EQ(FormatDay(days10.back()), "2026-11-27");
  // Monday 30 Nov: Monday itself is not in the window (it is not over yet).
  EXPECT_EQ(FormatDay(kWeekdays.SchoolDaysBefore(D("2026-11-30"), 1).back()), "2026-11-27");
  // The shipped calendar skips the National Day holiday.
  const auto& shipped = SchoolCalendar::Shipped();
  EXPECT_FALSE(shipped.IsSchoolDay(D("2026-10-05")));
  EXPECT_TRUE(shipped.IsSchoolDay(D("2026-10-09")));
  EXPECT_FALSE(shipped.IsSchoolDay(D("2026-07-15")));  // summer break
  const auto after_holiday = shipped.SchoolDaysBefore(D("2026-10-09"), 3);
  EXPECT_EQ(FormatDay(after_holiday.front()), "2026-09-29");
  EXPECT_EQ(FormatDay(after_holiday.back()), "2026-10-08");
}

TEST(Calendar, ParseRejectsBadRanges) {
  EXPECT_FALSE(SchoolCalendar::Parse("[[closed]]\nfrom = \"2026-02-01\"\nto = \"2026-01-01\"\n"));
  EXPECT_FALSE(SchoolCalendar::Parse("[[closed]]\nfrom = \"2026-02-30\"\nto = \"2026-03-01\"\n"));
  auto ok = SchoolCalendar::Parse("[[closed]]\nfrom = \"2026-11-23\"\nto = \"2026-11-24\"\nname = \"x\"\n");
  ASSERT_TRUE(ok);
  EXPECT_FALSE(ok->IsSchoolDay(D("2026-11-24")));
  EXPECT_TRUE(ok->IsSchoolDay(D("2026-11-25")));
}

TEST(Calendar, WeekdaysAndMakeUpDaysAreConfigurable) {
  // A boarding school with Saturday classes, and a make-up Sunday (调休) after a holiday.
  auto c = SchoolCalendar::Parse("weekdays = [1, 2, 3, 4, 5, 6]\n[[open]]\nday = \"2026-11-29\"\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->IsSchoolDay(*ParseDay("2026-11-28")));   // Saturday
  EXPECT_TRUE(c->IsSchoolDay(*ParseDay("2026-11-29")));   // the make-up Sunday
  EXPECT_FALSE(c->IsSchoolDay(*ParseDay("2026-12-06")));  // another Sunday
  EXPECT_EQ(SchoolCalendar::Parse("weekdays = [0]\n").error().fields.at(0).field, "weekdays");
  EXPECT_EQ(SchoolCalendar::Parse("[[open]]\nday = \"someday\"\n").error().fields.at(0).field, "open[1]");
  EXPECT_FALSE(SchoolCalendar::Load("/nonexistent/calendar.toml"));
}

TEST(Gatehouse, UncoveredHoursFindEveryHoleAndMergeOverlaps) {
  EXPECT_TRUE(UncoveredHours(FullWeek()).empty());
  auto s = FullWeek();
  s.erase(s.begin());              // Monday 00:00–12:00 gone
  s.push_back({1, 300, 600, ""});  // partly refilled 05:00–10:00
  s.push_back({3, 100, 200, ""});  // overlaps, changes nothing
  const auto gaps = UncoveredHours(s);
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0].weekday, 1);
  EXPECT_EQ(gaps[0].start_min, 0);
  EXPECT_EQ(gaps[0].end_min, 300);
  EXPECT_EQ(gaps[1].start_min, 600);
  EXPECT_EQ(gaps[1].end_min, 720);
  EXPECT_EQ(UncoveredHours({}).size(), 7u);  // a whole empty day each
}

TEST(Gatehouse, MinutesParseAndFormat) {
  EXPECT_EQ(ParseMinutes("00:00"), 0);
  EXPECT_EQ(ParseMinutes("08:30"), 510);
  EXPECT_EQ(ParseMinutes("24:00"), 1440);
  for (const char* bad : {"24:01", "25:00", "8:30", "08:60", "0830", "ab:cd", ""})
    EXPECT_FALSE(ParseMinutes(bad).has_value()) << bad;
  EXPECT_EQ(FormatMinutes(510), "08:30");
  EXPECT_EQ(FormatMinutes(1440), "24:00");
}

TEST(Evaluate, ACompliantSchoolMeetsAllFour) {
  const Day today = D("2026-11-28");
  const auto e = Eval(Compliant(kWeekdays, today), today);
  for (const auto& item : e.items) EXPECT_EQ(item.state, ItemState::kMet) << item.reasons_en.size();
  EXPECT_TRUE(e.all_four);
  EXPECT_EQ(e.required_guards, 3);
}

TEST(Evaluate, GuardsCountOnlyQualifiedAndSayWhyOthersDoNot) {
  const Day today = D("2026-11-28");
  auto f = Compliant(kWeekdays, today);
  f.guards_qualified = 2;
  f.guards_full_time_uncertified = 1;
  const auto e = Eval(f, today);
  ASSERT_EQ(e.items[0].state, ItemState::kNotMet);
  EXPECT_EQ(e.items[0].reasons_en.at(0), "needs 3 full-time guards, has 2");
  EXPECT_EQ(e.items[0].reasons_zh.at(1), "1名专职保安无保安员证，不计入");
  EXPECT_FALSE(e.all_four);
}

TEST(Evaluate, AGatehouseHoleFailsTheGuardsItemEvenWithEnoughGuards) {
  const Day today = D("2026-11-28");
  auto f = Compliant(kWeekdays, today);
  f.shifts.pop_back();  // Sunday 12:00–24:00
  const auto e = Eval(f, today);
  ASSERT_EQ(e.items[0].state, ItemState::kNotMet);
  EXPECT_EQ(e.items[0].reasons_zh.at(0), "门卫室未实现24小时值守：周日 12:00–24:00无人值守");
  EXPECT_EQ(e.items[0].reasons_en.at(0), "the gatehouse is not staffed 24 h: nobody on Sun 12:00–24:00");
}

TEST(Evaluate, ClosedManagementTreatsSeparateGatesNotPossibleAsMetButNothingElse) {
  const Day today = D("2026-11-28");
  auto f = Compliant(kWeekdays, today);
  f.measures[1] = MeasureStatus::kNotPossible;
  EXPECT_EQ(Eval(f, today).items[1].state, ItemState::kMet);
  f.measures[2] = MeasureStatus::kUnchecked;
  const auto e = Eval(f, today);
  EXPECT_EQ(e.items[1].state, ItemState::kNotMet);
  EXPECT_EQ(e.items[1].reasons_en, std::vector<std::string>{"no anti-ram barriers at the gate"});
}

TEST(Evaluate, ProtectionPostsCountMissingDaysInTheWindowAndSkipRuralSchools) {
  const Day today = D("2026-11-28");
  auto f = Compliant(kWeekdays, today);
  const auto window = kWeekdays.SchoolDaysBefore(today, 10);
  for (int i = 0; i < 4; ++i) f.arrival_days.erase(window[static_cast<size_t>(i)]);
  f.arrival_days.insert(today - days(1));  // a Friday already in; a Saturday post would not count
  f.arrival_days.insert(D("2026-11-22"));  // Sunday: not a school day, does not make up a missing one
  const auto e = Eval(f, today);
  ASSERT_EQ(e.items[2].state, ItemState::kNotMet);
  EXPECT_EQ(e.items[2].reasons_en,
            std::vector<std::string>{"no arrival post recorded on 4 of the last 10 school days"});
  f.attributes.locality = org::Locality::kRural;
  const auto rural = Eval(f, today);
  EXPECT_EQ(rural.items[2].state, ItemState::kNotApplicable);
  EXPECT_TRUE(rural.all_four);  // not applicable is not a gap
  f.attributes.locality = org::Locality::kTown;
  EXPECT_EQ(Eval(f, today).items[2].state, ItemState::kNotMet);
}

TEST(Evaluate, AlarmTestAgesByCalendarDays) {
  const Day today = D("2026-11-28");
  auto f = Compliant(kWeekdays, today);
  f.last_passed_test = today - days(31);
  EXPECT_EQ(Eval(f, today).items[3].state, ItemState::kMet);
  f.last_passed_test = today - days(32);
  auto e = Eval(f, today);
  EXPECT_EQ(e.items[3].state, ItemState::kNotMet);
  EXPECT_EQ(e.items[3].reasons_en, std::vector<std::string>{"alarm not tested in the last 31 days"});
  f.last_passed_test.reset();
  EXPECT_EQ(Eval(f, today).items[3].reasons_zh, std::vector<std::string>{"一键报警从未测试"});
  // The same facts on a later day: a test 20 days ago on the 28th is 33 days old on 11 December.
  f.last_passed_test = today - days(20);
  EXPECT_EQ(Eval(f, today).items[3].state, ItemState::kMet);
  EXPECT_EQ(Eval(f, today + days(13)).items[3].state, ItemState::kNotMet);
}

TEST(Contribution, CountsApplicableItemsAndNothingForInactiveSchools) {
  const std::array<ItemState, 4> states{ItemState::kMet, ItemState::kNotMet, ItemState::kNotApplicable,
                                        ItemState::kMet};
  const auto c = ContributionOf(true, states, false);
  EXPECT_EQ(c.v, (std::array<int64_t, 11>{1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1}));
  EXPECT_EQ(ContributionOf(false, states, false), Contribution{});
  const auto d = Minus(ContributionOf(true, states, true), c);
  EXPECT_EQ(d.v, (std::array<int64_t, 11>{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}));
}

TEST(Contribution, AncestorCodesComeFromThePath) {
  EXPECT_EQ(AncestorCodes("/410000/410100/410105/9410105001/"),
            (std::vector<std::string>{"410000", "410100", "410105"}));
  EXPECT_EQ(AncestorCodes("/410000/419001/9419001001/"), (std::vector<std::string>{"410000", "419001"}));
  EXPECT_TRUE(AncestorCodes("/410000/").empty());
}

TEST(Items, NamesRoundTrip) {
  for (Item i : kItems) EXPECT_EQ(ItemFromName(ItemName(i)), i);
  EXPECT_FALSE(ItemFromName("all_four"));
  EXPECT_STREQ(ItemStateName(ItemState::kNotApplicable), "not_applicable");
}

}  // namespace
}  // namespace xiaoan::ledger
