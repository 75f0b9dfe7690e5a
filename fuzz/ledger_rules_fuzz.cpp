// Fuzz target: the ledger's parsers and rules on arbitrary input. The first bytes choose a calendar
// text, times, days and a gatehouse schedule; the rest is sniffed as an upload. Checks the
// invariants the service relies on: a parsed time is in [0, 1440], uncovered stretches lie inside
// the day and never overlap a shift, an evaluation has reasons exactly when an item is not met, and
// a school's contribution never exceeds one.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "modules/ledger/compliance.hpp"
#include "modules/ledger/photo_store.hpp"

using namespace xiaoan;
using namespace xiaoan::ledger;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // Calendar text and strict parsers never crash.
  auto calendar = SchoolCalendar::Parse(input);
  if (auto m = ParseMinutes(input.substr(0, 5)); m && (*m < 0 || *m > 1440)) __builtin_trap();
  (void)ParseDay(input.substr(0, 10));
  (void)SniffImageType(input);
  (void)AncestorCodes(input);
  if (PhotoStore::ValidId(input) && input.size() != 64) __builtin_trap();

  // A schedule from the bytes: (weekday, start, end) triples, clamped into the valid domain.
  std::vector<Shift> shifts;
  for (size_t i = 0; i + 4 < size && shifts.size() < 64; i += 5) {
    Shift s;
    s.weekday = 1 + data[i] % 7;
    s.start_min = ((data[i + 1] << 8) | data[i + 2]) % 1440;
    s.end_min = s.start_min + 1 + ((data[i + 3] << 8) | data[i + 4]) % (1440 - s.start_min);
    shifts.push_back(s);
  }
  for (const auto& g : UncoveredHours(shifts)) {
    if (g.start_min < 0 || g.end_min > 1440 || g.start_min >= g.end_min || g.weekday < 1 || g.weekday > 7)
      __builtin_trap();
    for (const auto& s : shifts)
      if (s.weekday == g.weekday && s.start_min < g.end_min && g.start_min < s.end_min) __builtin_trap();
  }

  // An evaluation from fuzzed facts.
  SchoolFacts f;
  f.shifts = shifts;
  if (size > 8) {
    f.attributes.day_students = (data[0] << 8) | data[1];
    f.attributes.boarding_students = data[2];
    f.attributes.boarding = data[3] & 1;
    f.attributes.locality = static_cast<org::Locality>(data[4] % 3);
    f.guards_qualified = data[5] % 8;
    for (size_t m = 0; m < 4; ++m) f.measures[m] = static_cast<MeasureStatus>((data[6] >> (2 * m)) % 4);
    f.alarm_networked = data[7] & 1;
    f.video_networked = data[7] & 2;
    if (data[8] & 1) f.last_passed_test = *ParseDay("2026-11-28") - std::chrono::days(data[8]);
  }
  const Day today = *ParseDay("2026-11-28");
  const auto& cal = calendar ? *calendar : SchoolCalendar::Shipped();
  for (Day d : cal.SchoolDaysBefore(today, 10))
    if (size > 9 && (data[9] ^ static_cast<uint8_t>(d.time_since_epoch().count())) & 1) f.arrival_days.insert(d);
  const auto e = Evaluate(f, ShippedGuardRuleSets().front(), cal, ComplianceSettings{}, today);
  for (const auto& item : e.items) {
    const bool has_reasons = !item.reasons_zh.empty();
    if (has_reasons != (item.state == ItemState::kNotMet) || item.reasons_zh.size() != item.reasons_en.size())
      __builtin_trap();
  }
  std::array<ItemState, 4> states{};
  for (size_t i = 0; i < 4; ++i) states[i] = e.items[i].state;
  for (auto v : ContributionOf(true, states, e.all_four).v)
    if (v < 0 || v > 1) __builtin_trap();
  return 0;
}
