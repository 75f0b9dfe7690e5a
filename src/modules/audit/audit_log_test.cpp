#include "modules/audit/audit_log.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "modules/audit/audit_routes.hpp"
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

constexpr db::Sql kIds{"ids", "SELECT group_concat(id, ',') FROM (SELECT id FROM audit_log ORDER BY id)"};
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

TEST(AuditRoutes, APlainDayInToTakesTheWholeDayInAndATimeIsExclusive) {
  db::TestDb db;
  FixedClock clock;
  AuditLog log("sha256", clock);
  // Records just before, at the start of, late in, at the last second of and just after
  // 2026-12-01 in Shanghai.
  for (const char* at : {"2026-11-30T23:59:59+08:00", "2026-12-01T00:00:00+08:00", "2026-12-01T18:30:00+08:00",
                         "2026-12-01T23:59:59+08:00", "2026-12-02T00:00:00+08:00"}) {
    clock.now = *ParseRfc3339(at);
    ASSERT_TRUE(log.AppendDurable(*db, Sample(1)));
  }
  http::Router router;
  RegisterRoutes(router, log, *db);
  Principal auditor;
  auditor.user_id = 9;
  auditor.username = "auditor";
  auditor.role = Role::kAuditAdmin;
  auto search = [&](std::map<std::string, std::string> query) {
    http::Request request;
    request.method = "GET";
    request.path = request.target = "/api/v1/audit";
    request.query = std::move(query);
    auto match = router.Find("GET", "/api/v1/audit");
    http::Context ctx{.request = request,
                      .params = match.params,
                      .principal = auditor,
                      .request_id = "req",
                      .route = {},
                      .csrf_token = {}};
    const http::Response response = match.route->handler(ctx);
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<std::string> times;
    const auto body = nlohmann::json::parse(response.body);
    for (const auto& item : body["items"]) times.push_back(item["at"]);
    std::reverse(times.begin(), times.end());  // oldest first
    return times;
  };
  const std::vector<std::string> kDay{"2026-12-01T00:00:00+08:00", "2026-12-01T18:30:00+08:00",
                                      "2026-12-01T23:59:59+08:00"};
  EXPECT_EQ(search({{"from", "2026-12-01"}, {"to", "2026-12-01"}}), kDay);
  EXPECT_EQ(search({{"to", "2026-12-01"}}).size(), 4u) << "the day and the one before it";
  EXPECT_EQ(search({{"from", "2026-12-01"}, {"to", "2026-12-02T00:00:00+08:00"}}), kDay) << "a time is exclusive";
  EXPECT_EQ(search({{"from", "2026-12-01T00:00:00+08:00"}, {"to", "2026-12-01T23:59:59+08:00"}}),
            (std::vector<std::string>{"2026-12-01T00:00:00+08:00", "2026-12-01T18:30:00+08:00"}))
      << "RFC 3339 times unchanged";
  EXPECT_EQ(search({{"from", "2026-12-01"}, {"to", "2026-11-30T16:00:00Z"}}), std::vector<std::string>{})
      << "any offset: 2026-12-01T00:00:00+08:00, exclusive";
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

// Runs one job per entry of `repeat` in one batch of the writer (queued behind a job that holds it),
// each appending the record Sample(first + i); the job at `failing` fails after its append.
// Answers each job's outcome.
std::vector<Status> AppendInOneBatch(db::Database& db, const AuditLog& log, const std::vector<db::Repeat>& repeat,
                                     int first, size_t failing) {
  std::promise<void> holding, release;
  auto released = release.get_future();
  db.WriteAsync(
      [&](db::Connection&) -> Status {
        holding.set_value();
        released.wait();
        return {};
      },
      [](Status) {});
  holding.get_future().wait();
  std::vector<std::promise<Status>> answers(repeat.size());
  for (size_t i = 0; i < repeat.size(); ++i)
    db.WriteAsync(
        [&, i](db::Connection& tx) -> Status {
          if (auto s = log.Append(tx, Sample(first + static_cast<int>(i))); !s) return s;
          if (i == failing) return Fail(Error::Invalid("job", "fails after its append"));
          return {};
        },
        [&answers, i](Status s) { answers[i].set_value(std::move(s)); }, repeat[i]);
  release.set_value();
  std::vector<Status> out;
  for (auto& a : answers) out.push_back(a.get_future().get());
  return out;
}

std::string Ids(db::Database& db) {
  std::string ids;
  EXPECT_TRUE(db.Read([&](db::Connection& c) -> Status {
    auto r = c.QueryOne(kIds, {});
    if (!r) return Fail(r.error());
    ids = (*r)->Text(0);
    return {};
  }));
  return ids;
}

// The jobs of a batch share its transaction, and each append after the first takes the chain's
// head from the one before (db::Connection::Note). A job that fails takes its record with it: the
// writer rolls back the whole batch and runs the rest again (repeatable work), or rolls back to the
// job's savepoint. Either way the next record follows the last one kept.
TEST(AuditLog, RecordsOfABatchChainOnPastAJobRolledBackWithItsRecord) {
  db::TestDb db;
  FixedClock clock;
  AuditLog log("sha256", clock);
  ASSERT_TRUE(log.AppendDurable(*db, Sample(1)));

  const auto repeatable = AppendInOneBatch(*db, log, std::vector<db::Repeat>(4, db::Repeat::kYes), 2, 1);
  EXPECT_TRUE(repeatable[0] && repeatable[2] && repeatable[3]);
  EXPECT_FALSE(repeatable[1]);
  EXPECT_EQ(db->GetStats().repeats, 1u) << "the batch was rolled back and run again";
  EXPECT_EQ(Ids(*db), "1,2,3,4");

  const auto in_savepoints = AppendInOneBatch(*db, log, std::vector<db::Repeat>(4, db::Repeat::kNo), 6, 2);
  EXPECT_TRUE(in_savepoints[0] && in_savepoints[1] && in_savepoints[3]);
  EXPECT_FALSE(in_savepoints[2]);
  EXPECT_EQ(Ids(*db), "1,2,3,4,5,6,7");

  ASSERT_TRUE(log.AppendDurable(*db, Sample(10)));
  auto report = log.Verify(*db);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok) << report->reason;
  EXPECT_EQ(report->checked, 8);
}

}  // namespace
}  // namespace xiaoan::audit
