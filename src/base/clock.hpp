// Time vocabulary: a replaceable clock and RFC 3339 formatting in Asia/Shanghai (+08:00).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/error.hpp"

namespace xiaoan {

using TimePoint = std::chrono::system_clock::time_point;

// Source of the current time. Thread-safe. Tests replace it with a fixed or stepping clock.
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint Now() const = 0;
  // The process-wide wall clock.
  static const Clock& System();
};

// The system clock moved a fixed number of days ahead: for rehearsals and tests that need
// deadlines to pass (`xiaoan serve --clock-offset-days`), never for a live system.
class OffsetClock final : public Clock {
 public:
  OffsetClock(const Clock& base, std::chrono::days offset) : base_(base), offset_(offset) {}
  [[nodiscard]] TimePoint Now() const override { return base_.Now() + offset_; }

 private:
  const Clock& base_;
  std::chrono::days offset_;
};

// Unix seconds of `t`.
[[nodiscard]] int64_t ToUnixSeconds(TimePoint t);
[[nodiscard]] TimePoint FromUnixSeconds(int64_t s);
// "2026-11-28T20:09:11+08:00": RFC 3339 with the China Standard Time offset.
[[nodiscard]] std::string FormatRfc3339(TimePoint t);
// Parses RFC 3339 with any offset ("Z" or ±hh:mm), or a bare YYYY-MM-DD (midnight +08:00). Every
// field has its full width of digits: "2026-1-5" and " 2026-11-28" are refused.
[[nodiscard]] std::optional<TimePoint> ParseRfc3339(std::string_view s);

// Calendar days as people in Henan count them (Asia/Shanghai, no daylight saving).
using Day = std::chrono::sys_days;
// The Asia/Shanghai calendar day of `t`.
[[nodiscard]] Day ShanghaiDay(TimePoint t);
// The instant a Shanghai calendar day begins (00:00 +08:00).
[[nodiscard]] TimePoint StartOfShanghaiDay(Day d);
// "2026-11-28".
[[nodiscard]] std::string FormatDay(Day d);
// Strict YYYY-MM-DD; nullopt for anything else or an impossible date.
[[nodiscard]] std::optional<Day> ParseDay(std::string_view s);
// A filter's Shanghai days [from, to] as RFC 3339 instants: the start of `from` and the start of
// the day after `to`, "" for an absent end. kInvalidArgument naming "from" or "to" otherwise.
[[nodiscard]] Result<std::pair<std::string, std::string>> DayRangeRfc3339(const std::optional<std::string>& from,
                                                                          const std::optional<std::string>& to);
// ISO weekday: 1 = Monday … 7 = Sunday.
[[nodiscard]] int IsoWeekday(Day d);

}  // namespace xiaoan
