#include "base/clock.hpp"

#include <gtest/gtest.h>

namespace xiaoan {
namespace {

TEST(Rfc3339, FormatsInChinaStandardTime) {
  // 2026-11-28T12:00:00Z is 20:00 in Beijing.
  EXPECT_EQ(FormatRfc3339(FromUnixSeconds(1795867200)), "2026-11-28T20:00:00+08:00");
}

TEST(Rfc3339, ParsesOffsetsAndDates) {
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("2026-11-28T12:00:00Z")), 1795867200);
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("2026-11-28T20:00:00+08:00")), 1795867200);
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("2026-11-28T20:00:00.123+08:00")), 1795867200);
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("2026-11-29")), 1795867200 + 4 * 3600);
}

TEST(Rfc3339, RejectsMalformedInput) {
  for (const char* bad : {"",
                          "2026-13-01",
                          "2026-02-30",
                          "2026-11-28T25:00:00Z",
                          "2026-11-28T20:00:00",
                          "yesterday",
                          "2026-11-28T20:00:00+0800",
                          "2026-1-05",
                          "2026-11-5T20:00:00Z",
                          " 2026-11-28",
                          "2026-11-28T2:00:00Z",
                          "2026-11-28T20:00:+0Z",
                          "2026-11-28T20:00:00.Z",
                          "2026-11-28t20:00:00Z",
                          "2026-11-28T20:00:00+8:00",
                          "2026-11-28T20:00:00+24:00",
                          "2026-11-28T20:00:00+08:60",
                          "2026-11-28T20:00:00Zjunk",
                          "2026-11-28T20:00:0",
                          "2026/11/28"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
}

TEST(Rfc3339, RoundTrips) {
  const auto t = FromUnixSeconds(1700000000);
  EXPECT_EQ(*ParseRfc3339(FormatRfc3339(t)), t);
  // Every field's digits, either side of a Shanghai midnight and a leap day.
  for (int64_t s : {int64_t{0}, int64_t{951782399}, int64_t{951782400}, int64_t{1795867199}, int64_t{4102444799}}) {
    const std::string text = FormatRfc3339(FromUnixSeconds(s));
    ASSERT_EQ(text.size(), 25u) << text;
    EXPECT_EQ(ToUnixSeconds(*ParseRfc3339(text)), s) << text;
  }
  EXPECT_EQ(FormatRfc3339(FromUnixSeconds(951782400)), "2000-02-29T08:00:00+08:00");
  EXPECT_EQ(FormatRfc3339(FromUnixSeconds(4102444799)), "2100-01-01T07:59:59+08:00");
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("2026-11-28T07:30:00-04:30")), 1795867200);
}

TEST(ShanghaiDay, ChangesAtMidnightInShanghaiNotUtc) {
  // 2026-11-28T15:59:59Z is 23:59:59 in Shanghai; one second later it is the 29th.
  EXPECT_EQ(FormatDay(ShanghaiDay(*ParseRfc3339("2026-11-28T15:59:59Z"))), "2026-11-28");
  EXPECT_EQ(FormatDay(ShanghaiDay(*ParseRfc3339("2026-11-28T16:00:00Z"))), "2026-11-29");
  EXPECT_EQ(FormatDay(ShanghaiDay(*ParseRfc3339("2026-11-29T00:00:00+08:00"))), "2026-11-29");
  EXPECT_EQ(StartOfShanghaiDay(*ParseDay("2026-11-29")), *ParseRfc3339("2026-11-28T16:00:00Z"));
}

TEST(ShanghaiDay, ParsesStrictDaysAndWeekdays) {
  EXPECT_EQ(FormatDay(*ParseDay("2028-02-29")), "2028-02-29");
  // Every field its full width, and years beyond four digits as printf writes them.
  EXPECT_EQ(FormatDay(*ParseDay("0987-01-02")), "0987-01-02");
  EXPECT_EQ(FormatDay(*ParseDay("9999-12-31")), "9999-12-31");
  EXPECT_EQ(FormatDay(*ParseDay("9999-12-31") + std::chrono::days(1)), "10000-01-01");
  for (const char* bad : {"", "2026-2-01", "2026-02-30", "2026-13-01", "2026-11-28T00:00", "2026/11/28", "20261128xx"})
    EXPECT_FALSE(ParseDay(bad).has_value()) << bad;
  EXPECT_EQ(IsoWeekday(*ParseDay("2026-11-28")), 6);  // a Saturday
  EXPECT_EQ(IsoWeekday(*ParseDay("2026-11-29")), 7);
  EXPECT_EQ(IsoWeekday(*ParseDay("2026-11-30")), 1);
}

}  // namespace
TEST(OffsetClock, RunsTheGivenDaysAheadOfItsBase) {
  const auto base = Clock::System().Now();
  const OffsetClock ahead(Clock::System(), std::chrono::days(8));
  const auto shifted = ahead.Now() - base;
  EXPECT_GE(shifted, std::chrono::days(8));
  EXPECT_LT(shifted, std::chrono::days(8) + std::chrono::minutes(1));
  EXPECT_EQ(ShanghaiDay(ahead.Now()), ShanghaiDay(Clock::System().Now() + std::chrono::days(8)));
}

TEST(DayRangeRfc3339, CoversWholeShanghaiDaysAndNamesTheBadEnd) {
  auto r = DayRangeRfc3339(std::string("2026-11-01"), std::string("2026-11-30"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->first, "2026-11-01T00:00:00+08:00");
  EXPECT_EQ(r->second, "2026-12-01T00:00:00+08:00");
  EXPECT_EQ(DayRangeRfc3339(std::nullopt, std::nullopt)->first, "");
  EXPECT_EQ(DayRangeRfc3339(std::string("2026-13-01"), std::nullopt).error().fields.at(0).field, "from");
  EXPECT_EQ(DayRangeRfc3339(std::nullopt, std::string("x")).error().fields.at(0).field, "to");
}

}  // namespace xiaoan
