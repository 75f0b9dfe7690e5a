#include "base/clock.hpp"

#include <cstdio>

namespace xiaoan {
namespace {

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

constexpr int64_t kChinaOffsetSeconds = 8 * 3600;

}  // namespace

const Clock& Clock::System() {
  static const SystemClock clock;
  return clock;
}

int64_t ToUnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

TimePoint FromUnixSeconds(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

namespace {
// Writes v over out[at, at + width) with exactly `width` decimal digits.
void PutDigits(std::string& out, size_t at, size_t width, long v) {
  for (size_t i = at + width; i-- > at; v /= 10) out[i] = static_cast<char>('0' + v % 10);
}
}  // namespace

std::string FormatRfc3339(TimePoint t) {
  using namespace std::chrono;
  const auto local = sys_seconds(duration_cast<seconds>(t.time_since_epoch())) + seconds(kChinaOffsetSeconds);
  const auto day = floor<days>(local);
  const hh_mm_ss hms(local - day);
  // The day as FormatDay writes it, then the time digit by digit: this runs for every stored
  // record, and snprintf's format parsing cost more than the rest of a class report's timestamps
  // together.
  std::string out = FormatDay(day);
  const size_t at = out.size();
  out += "T00:00:00+08:00";
  PutDigits(out, at + 1, 2, static_cast<long>(hms.hours().count()));
  PutDigits(out, at + 4, 2, static_cast<long>(hms.minutes().count()));
  PutDigits(out, at + 7, 2, static_cast<long>(hms.seconds().count()));
  return out;
}

namespace {

// The number written with exactly `n` ASCII digits at `at`, or -1.
int Digits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::optional<TimePoint> ParseRfc3339(std::string_view s) {
  using namespace std::chrono;
  // YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM); every field its full width.
  const auto date = ParseDay(s.substr(0, 10));
  if (!date) return std::nullopt;
  if (s.size() == 10) return StartOfShanghaiDay(*date);
  const int h = Digits(s, 11, 2), mi = Digits(s, 14, 2), se = Digits(s, 17, 2);
  if (s[10] != 'T' || h < 0 || mi < 0 || se < 0 || s[13] != ':' || s[16] != ':') return std::nullopt;
  if (h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::string_view rest = s.substr(19);
  if (!rest.empty() && rest.front() == '.') {  // fractional seconds are accepted and dropped
    rest.remove_prefix(1);
    const size_t digits = rest.find_first_not_of("0123456789");
    if (digits == 0) return std::nullopt;
    rest.remove_prefix(digits == std::string_view::npos ? rest.size() : digits);
  }
  int64_t offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    const int oh = Digits(rest, 1, 2), om = Digits(rest, 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
    offset = (rest[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  const auto local = *date + hours(h) + minutes(mi) + seconds(se);
  return TimePoint(local - seconds(offset));
}

Day ShanghaiDay(TimePoint t) {
  using namespace std::chrono;
  return floor<days>(time_point_cast<seconds>(t) + seconds(kChinaOffsetSeconds));
}

TimePoint StartOfShanghaiDay(Day d) { return TimePoint(d) - std::chrono::seconds(kChinaOffsetSeconds); }

std::string FormatDay(Day d) {
  const std::chrono::year_month_day ymd(d);
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) {  // not a day this system meets; printf's widths say what it is
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
  }
  // Digit by digit: every stored record's time starts with it (FormatRfc3339), and every class
  // report works out its session's deadline from it.
  std::string out = "0000-00-00";
  PutDigits(out, 0, 4, y);
  PutDigits(out, 5, 2, static_cast<long>(static_cast<unsigned>(ymd.month())));
  PutDigits(out, 8, 2, static_cast<long>(static_cast<unsigned>(ymd.day())));
  return out;
}

std::optional<Day> ParseDay(std::string_view s) {
  using namespace std::chrono;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const int y = Digits(s, 0, 4), mo = Digits(s, 5, 2), d = Digits(s, 8, 2);
  if (y < 0 || mo < 0 || d < 0) return std::nullopt;
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd);
}

int IsoWeekday(Day d) { return static_cast<int>(std::chrono::weekday(d).iso_encoding()); }

Result<std::pair<std::string, std::string>> DayRangeRfc3339(const std::optional<std::string>& from,
                                                            const std::optional<std::string>& to) {
  std::pair<std::string, std::string> out;
  if (from) {
    auto d = ParseDay(*from);
    if (!d) return Fail(Error::Invalid("from", "A date as YYYY-MM-DD."));
    out.first = FormatRfc3339(StartOfShanghaiDay(*d));
  }
  if (to) {
    auto d = ParseDay(*to);
    if (!d) return Fail(Error::Invalid("to", "A date as YYYY-MM-DD."));
    out.second = FormatRfc3339(StartOfShanghaiDay(*d + std::chrono::days(1)));
  }
  return out;
}

}  // namespace xiaoan
