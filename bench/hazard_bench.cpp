// Hazards at province scale (issue #6), through the production code: a real HazardService over a
// real SQLite database file (WAL, durable writes as in the server, the real migrations).
//
// Set-up: Henan's real divisions (OrgService::SeedDivisions) and --schools demo schools spread over
// the units that hold schools (school_tree.cpp), then --hazards open hazards registered through
// HazardService::RegisterIn (each with its event and audit record) in durable jobs of 10,000,
// round-robin over the schools, found 0–59 days before the bench's "today". Their deadlines are
// then spread by one set-up statement (found day + 0–89 days, state rectifying), so that a share is
// already past on the first run of the job, and more fall due day by day.
//
// Measures, on a stepping clock:
// - the reference: one plain SQL UPDATE doing the same overdue marking and one-level climb (no
//   events, no audit) in one durable transaction; the rows are then set back (set-up, not timed) so
//   that the job below sees the same rows;
// - RunDeadlines: the first run (many newly overdue), a rerun the same day (steady state: should
//   touch nothing), a run on the next day (those due yesterday) and its rerun, and a run a week
//   later (the first ones climb again), each with its time, the hazards marked and climbed and the
//   rows written;
// - GetDashboard as the province's safety officer: p50/p99 for the province, a city (郑州, 410100),
//   and random counties.
//
// Usage: hazard_bench [--dir=DIR] [--json=FILE] [--schools=N] [--hazards=N] [--calls=N] [--batch=N]
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <expected>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "measure.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/org/org_seed.hpp"
#include "modules/org/org_service.hpp"
#include "platform/db/database.hpp"
#include "school_tree.hpp"
#include "xiaoan_platform_sql.hpp"

namespace {

using xiaoan::bench::Latencies;
using xiaoan::bench::MsSince;
namespace fs = std::filesystem;
namespace db = xiaoan::db;
namespace org = xiaoan::org;
namespace hazards = xiaoan::hazards;
using Steady = std::chrono::steady_clock;

struct Options {
  std::string dir = ".";
  std::string json;
  int schools = 50000;
  int hazards = 250000;
  int calls = 200;   // dashboard calls per row (the province gets a fifth)
  int batch = 1000;  // hazards per transaction of the deadline job
};

class StepClock final : public xiaoan::Clock {
 public:
  xiaoan::TimePoint Now() const override { return now.load(); }
  std::atomic<xiaoan::TimePoint> now{*xiaoan::ParseRfc3339("2026-11-26T10:00:00+08:00")};
};

void Check(const xiaoan::Status& s, const std::string& what) {
  if (!s) throw std::runtime_error(what + ": " + s.error().message);
}
template <class T>
T Must(xiaoan::Result<T> r, const std::string& what) {
  if (!r) throw std::runtime_error(what + ": " + r.error().message);
  return std::move(*r);
}

constexpr db::Sql kSchools{"bench_schools", "SELECT code, path FROM org_units WHERE level = 'school' ORDER BY code"};
constexpr db::Sql kCounties{"bench_counties", "SELECT code FROM org_units WHERE level = 'county' ORDER BY code"};
// Set-up only: spread the deadlines (0–89 days after the found day) and start the rectification.
constexpr db::Sql kSpreadDeadlines{"bench_spread_deadlines",
                                   "UPDATE hazards SET state = 'rectifying', deadline = date(found_on, '+' || (((id * "
                                   "2654435761) % 1000003) % 90) || ' days')"};
// The reference: the job's marking and first climb as one statement (no events, no audit).
constexpr db::Sql kReferenceMark{
    "bench_reference_mark",
    "UPDATE hazards SET overdue = 1, overdue_since = $1, escalated_at = $2, next_escalation_on = $3,"
    " explanation_required = 1, updated_at = $2,"
    " supervising_level = CASE supervising_level WHEN 'school' THEN"
    "   CASE WHEN length(path) - length(replace(path, '/', '')) >= 5 THEN 'county' ELSE 'city' END"
    "   WHEN 'county' THEN 'city' ELSE 'province' END"
    " WHERE state <> 'closed' AND overdue = 0 AND deadline IS NOT NULL AND deadline < $1"};

constexpr db::Sql kUndoReference{
    "bench_undo_reference",
    "UPDATE hazards SET overdue = 0, overdue_since = NULL, escalated_at = NULL, next_escalation_on = NULL,"
    " explanation_required = 0, supervising_level = 'school' WHERE overdue = 1"};

struct RunFigures {
  double ms = 0;
  hazards::DeadlineRun run;
};

RunFigures TimedRun(hazards::HazardService& s) {
  const auto t0 = Steady::now();
  RunFigures f;
  f.run = Must(s.RunDeadlines(), "RunDeadlines");
  f.ms = MsSince(t0);
  return f;
}

struct DashRow {
  std::string name;
  Latencies lat;
};

int Run(const Options& o) {
  fs::create_directories(o.dir);
  const std::string path = (fs::path(o.dir) / "hazard-bench.db").string();
  xiaoan::bench::RemoveDatabase(path);
  StepClock clock;
  std::vector<std::pair<std::string, std::string>> migrations;
  for (const auto& m : db::migrations::kAll) migrations.emplace_back(std::string(m.name), std::string(m.text));
  auto database = Must(db::OpenSqlite({.path = path}, migrations), "open " + path);
  xiaoan::audit::AuditLog audit("sha256", clock);
  org::OrgService orgs(*database, audit, clock);
  hazards::HazardService service(*database, audit, clock, {.reescalate_days = 7, .deadline_batch = o.batch});

  auto t0 = Steady::now();
  (void)Must(orgs.SeedDivisions(), "SeedDivisions");
  const auto henan = Must(org::HenanDivisions(), "HenanDivisions");
  const int64_t schools =
      Must(xiaoan::bench::InsertSchools(*database, xiaoan::bench::SpreadSchools(henan, o.schools)), "schools");
  const double schools_s = MsSince(t0) / 1000;
  std::vector<std::string> school_codes, county_codes;
  Check(database->Read([&](db::Connection& c) -> xiaoan::Status {
    auto rows = c.Query(kSchools, {});
    if (!rows) return xiaoan::Fail(rows.error());
    for (const auto& r : *rows) school_codes.push_back(r.Text(0));
    auto counties = c.Query(kCounties, {});
    if (!counties) return xiaoan::Fail(counties.error());
    for (const auto& r : *counties) county_codes.push_back(r.Text(0));
    return {};
  }),
        "read schools");

  // Hazards through RegisterIn, each with its event and audit record.
  t0 = Steady::now();
  static const char* kCategories[] = {"fire", "building", "food", "electricity", "heating", "snow_ice", "lab"};
  const xiaoan::audit::Actor actor = xiaoan::audit::SystemActor("hazard-bench");
  const xiaoan::TimePoint now = clock.Now();
  for (int start = 0; start < o.hazards; start += 10000) {
    const int end = std::min(o.hazards, start + 10000);
    Check(database->Write([&](db::Connection& tx) -> xiaoan::Status {
      for (int i = start; i < end; ++i) {
        hazards::NewHazard in;
        in.school_code = school_codes[static_cast<size_t>(i) % school_codes.size()];
        in.category = kCategories[i % 7];
        in.location = "教学楼";
        in.description = fmt::format("隐患 {}", i);
        in.grade = i % 10 == 0 ? "major" : "ordinary";
        in.source = "inspection";
        in.found_by = "inspector";
        in.found_at = xiaoan::FormatRfc3339(now - std::chrono::hours(24 * (i % 60) + 1));
        auto id = service.RegisterIn(tx, in, actor);
        if (!id) return xiaoan::Fail(id.error());
      }
      return {};
    }),
          "register hazards");
  }
  Check(database->Write([&](db::Connection& tx) -> xiaoan::Status {
    auto r = tx.Execute(kSpreadDeadlines, {});
    if (!r) return xiaoan::Fail(r.error());
    return {};
  }),
        "spread deadlines");
  const double hazards_s = MsSince(t0) / 1000;
  std::printf("set-up: %lld schools in %.1f s, %d hazards registered in %.1f s\n", static_cast<long long>(schools),
              schools_s, o.hazards, hazards_s);

  // The reference, committed and timed like the job's writes; then the rows are set back (set-up,
  // not timed) so that the job sees the same rows.
  const std::string today = xiaoan::FormatDay(xiaoan::ShanghaiDay(clock.Now()));
  const std::string again = xiaoan::FormatDay(xiaoan::ShanghaiDay(clock.Now()) + std::chrono::days(7));
  int64_t reference_rows = 0;
  const auto r0 = Steady::now();
  Check(database->Write([&](db::Connection& tx) -> xiaoan::Status {
    auto r = tx.Execute(kReferenceMark, {today, xiaoan::FormatRfc3339(clock.Now()), again});
    if (!r) return xiaoan::Fail(r.error());
    reference_rows = *r;
    return {};
  }),
        "reference");
  const double reference_ms = MsSince(r0);
  Check(database->Write([&](db::Connection& tx) -> xiaoan::Status {
    auto r = tx.Execute(kUndoReference, {});
    if (!r) return xiaoan::Fail(r.error());
    return {};
  }),
        "undo the reference");
  std::printf("reference: one UPDATE marks %lld overdue in %.1f ms (committed)\n",
              static_cast<long long>(reference_rows), reference_ms);

  const RunFigures first = TimedRun(service);
  const RunFigures rerun = TimedRun(service);
  clock.now = clock.now.load() + std::chrono::days(1);
  const RunFigures next_day = TimedRun(service);
  const RunFigures next_rerun = TimedRun(service);
  clock.now = clock.now.load() + std::chrono::days(7);
  const RunFigures week_later = TimedRun(service);
  auto show = [](const char* what, const RunFigures& f) {
    std::printf("RunDeadlines %-22s %9.1f ms  marked %7lld  escalated %7lld  rows %8lld\n", what, f.ms,
                static_cast<long long>(f.run.marked), static_cast<long long>(f.run.escalated),
                static_cast<long long>(f.run.rows_touched));
  };
  show("first run", first);
  show("rerun, same day", rerun);
  show("next day", next_day);
  show("rerun, next day", next_rerun);
  show("a week later", week_later);

  // The dashboard through the service, as the province's safety officer.
  xiaoan::Principal province;
  province.username = "bench-province";
  province.role = xiaoan::Role::kBureauSafetyOfficer;
  province.org_code = "410000";
  province.org_path = "/410000/";
  std::mt19937 rng(6);
  std::vector<DashRow> rows{{"province 410000", {}}, {"city 410100", {}}, {"random counties", {}}};
  for (int i = 0; i < std::max(1, o.calls / 5); ++i) {
    const auto c0 = Steady::now();
    (void)Must(service.GetDashboard(province, "410000"), "dashboard province");
    rows[0].lat.ms.push_back(MsSince(c0));
  }
  for (int i = 0; i < o.calls; ++i) {
    auto c0 = Steady::now();
    (void)Must(service.GetDashboard(province, "410100"), "dashboard city");
    rows[1].lat.ms.push_back(MsSince(c0));
    const std::string& county = county_codes[rng() % county_codes.size()];
    c0 = Steady::now();
    (void)Must(service.GetDashboard(province, county), "dashboard county");
    rows[2].lat.ms.push_back(MsSince(c0));
  }
  for (const auto& r : rows)
    std::printf("GetDashboard %-16s p50 %7.2f ms  p99 %7.2f ms  (%zu calls)\n", r.name.c_str(), r.lat.Percentile(0.5),
                r.lat.Percentile(0.99), r.lat.ms.size());
  const double db_mib = xiaoan::bench::DatabaseMib(path);
  const long rss_kb = xiaoan::bench::ProcStatusKb("VmHWM:");
  std::printf("database %.1f MiB, peak RSS %.1f MiB, load %s\n", db_mib, rss_kb / 1024.0,
              xiaoan::bench::LoadAverage().c_str());
  database->Shutdown();
  xiaoan::bench::RemoveDatabase(path);

  if (!o.json.empty()) {
    std::ofstream out(o.json);
    auto run_json = [](const RunFigures& f) {
      return fmt::format(R"({{"ms": {:.1f}, "marked": {}, "escalated": {}, "rows_touched": {}}})", f.ms, f.run.marked,
                         f.run.escalated, f.run.rows_touched);
    };
    out << fmt::format(
        R"({{"schools": {}, "hazards": {}, "setup_seconds": {:.1f}, "reference_update": {{"ms": {:.1f}, "rows": {}}}, )"
        R"("deadlines": {{"first": {}, "rerun": {}, "next_day": {}, "next_day_rerun": {}, "week_later": {}}}, )"
        R"("dashboard": {{)",
        schools, o.hazards, hazards_s, reference_ms, reference_rows, run_json(first), run_json(rerun),
        run_json(next_day), run_json(next_rerun), run_json(week_later));
    for (size_t i = 0; i < rows.size(); ++i)
      out << fmt::format(R"({}"{}": {{"p50_ms": {:.2f}, "p99_ms": {:.2f}, "calls": {}}})", i ? ", " : "", rows[i].name,
                         rows[i].lat.Percentile(0.5), rows[i].lat.Percentile(0.99), rows[i].lat.ms.size());
    out << fmt::format(R"(}}, "db_mib": {:.1f}, "peak_rss_mib": {:.1f}}})", db_mib, rss_kb / 1024.0) << "\n";
  }
  return 0;
}

// The options, or the exit status once CLI11 has printed --help or the parse error. Throws
// std::runtime_error for sizes out of range.
std::expected<Options, int> ParseArgs(int argc, char** argv) {
  Options o;
  CLI::App cli{"Hazards at province scale: the deadline job vs one SQL UPDATE, the dashboard"};
  cli.option_defaults()->always_capture_default();
  cli.add_option("--dir", o.dir, "Folder for the database");
  cli.add_option("--json", o.json, "Write the results as JSON to this file");
  cli.add_option("--schools", o.schools, "Schools in the province");
  cli.add_option("--hazards", o.hazards, "Open hazards");
  cli.add_option("--calls", o.calls, "Dashboard calls per row (the province gets a fifth)");
  cli.add_option("--batch", o.batch, "Hazards per transaction of the deadline job");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return std::unexpected(cli.exit(e));
  }
  if (o.schools < 1 || o.hazards < 1 || o.calls < 1 || o.batch < 1) throw std::runtime_error("counts must be positive");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto o = ParseArgs(argc, argv);
    if (!o) return o.error();
    return Run(*o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hazard_bench: %s\n", e.what());
    return 1;
  }
}
