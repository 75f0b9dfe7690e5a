#include "modules/audit/audit_log.hpp"

#include <gtest/gtest.h>

#include "platform/db/test_db.hpp"

namespace xiaoan::audit {
namespace {

class FixedClock final : public Clock {
 public:
  TimePoint Now() const override { return now; }
  TimePoint now = FromUnixSeconds(1795867200);
};

Entry Sample(int i) {
  return Entry{Actor{i, "user" + std::to_string(i), "bureau_admin", "410105", "req-" + std::to_string(i)},
               i % 2 ? "org.school.update" : "auth.login", "target", Outcome::kSuccess, "summary " + std::to_string(i)};
}

constexpr db::Sql kDelete{"delete", "DELETE FROM audit_log"};
constexpr db::Sql kUpdateFirst{"update_first", "UPDATE audit_log SET summary = 'forged' WHERE id = 1"};
constexpr db::Sql kTamper{"tamper", "UPDATE audit_log SET summary = 'forged' WHERE id = 2"};
constexpr db::Sql kDropTrigger{"drop", "DROP TRIGGER audit_log_no_update"};

TEST(AuditLog, AppendsAChainThatVerifiesAndSearches) {
  db::TestDb db;
  FixedClock clock;
  AuditLog log("sha256", clock);
  for (int i = 1; i <= 6; ++i) ASSERT_TRUE(log.AppendDurable(*db, Sample(i)));
  auto report = log.Verify(*db);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->checked, 6);
  auto page = log.Search(*db, {"", "", "", "org.school", "", 1, 10});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(page->items.front().id, 5) << "newest first";
}

TEST(AuditLog, SensitiveReadsAreRecordedLikeWrites) {
  db::TestDb db;
  FixedClock clock;
  AuditLog log("sha256", clock);
  ASSERT_TRUE(log.RecordSensitiveRead(*db, Sample(1).actor, "health.case", "student:42", "opened case file"));
  auto page = log.Search(*db, {"", "", "", "read.health", "", 1, 10});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].target, "student:42");
}

TEST(AuditLog, TheTableRefusesUpdatesAndDeletes) {
  db::TestDb db;
  FixedClock clock;
  AuditLog log("sha256", clock);
  ASSERT_TRUE(log.AppendDurable(*db, Sample(1)));
  EXPECT_FALSE(db->Write([](db::Connection& c) -> Status {
    if (auto r = c.Execute(kDelete, {}); !r) return Fail(r.error());
    return {};
  }));
  EXPECT_FALSE(db->Write([](db::Connection& c) -> Status {
    if (auto r = c.Execute(kUpdateFirst, {}); !r) return Fail(r.error());
    return {};
  }));
  auto report = log.Verify(*db);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->checked, 1);
}

TEST(AuditLog, TamperingPastTheTriggersIsFound) {
  db::TestDb db;
  FixedClock clock;
  AuditLog log("sm3", clock);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(log.AppendDurable(*db, Sample(i)));
  ASSERT_TRUE(db->Write([](db::Connection& c) -> Status {
    if (auto r = c.Execute(kDropTrigger, {}); !r) return Fail(r.error());
    if (auto r = c.Execute(kTamper, {}); !r) return Fail(r.error());
    return {};
  }));
  auto report = log.Verify(*db);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_id, 2);
}

TEST(AuditLog, PurgeKeepsAtLeastSixMonthsAndTheChainVerifiable) {
  db::TestDb db;
  FixedClock clock;
  AuditLog log("sha256", clock);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(log.AppendDurable(*db, Sample(i)));
  clock.now += std::chrono::hours(24 * 200);
  for (int i = 4; i <= 5; ++i) ASSERT_TRUE(log.AppendDurable(*db, Sample(i)));
  EXPECT_FALSE(log.Purge(*db, 182, SystemActor("test"))) << "less than 183 days is refused";
  auto purged = log.Purge(*db, 183, SystemActor("test"));
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 3);
  auto report = log.Verify(*db);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok) << report->reason;
  EXPECT_EQ(report->checked, 3) << "two kept rows and the purge record";
}

}  // namespace
}  // namespace xiaoan::audit
