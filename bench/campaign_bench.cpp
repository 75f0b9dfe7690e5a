// An inspection campaign issued by the province to 50,000 schools (issue #6), through the
// production code: a real InspectionsService over a real SQLite database file (WAL,
// durable writes as in the server, the real migrations).
//
// Set-up: Henan's real divisions (OrgService::SeedDivisions) and --schools demo schools spread over
// the units that hold schools (school_tree.cpp); the shipped checklists.
//
// Measures:
// - CreateCampaign as the province's safety officer (410000, the fire checklist, cadence once): one
//   durable write that inserts the campaign, its due rows (one INSERT … SELECT over the schools) and
//   its audit record; --runs fresh campaigns, p50 and each run;
// - the reference, interleaved with the runs on the same table and indexes: plain SQLite (its own
//   connection, synchronous=FULL) inserting the same due rows with one prepared statement in one
//   transaction, the schools read beforehand;
// - Progress of the first campaign (a share of its rows set done, late and missed by one set-up
//   statement) as the province's safety officer: p50/p99 for the province and random counties.
//
// Usage: campaign_bench [--dir=DIR] [--json=FILE] [--schools=N] [--runs=N] [--calls=N]
#include <fmt/format.h>
#include <sqlite3.h>
#include <CLI/CLI.hpp>

#include <algorithm>
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
#include "modules/inspections/inspections_service.hpp"
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
namespace insp = xiaoan::inspections;
using Steady = std::chrono::steady_clock;

struct Options {
  std::string dir = ".";
  std::string json;
  int schools = 50000;
  int runs = 5;
  int calls = 200;  // progress calls for random counties (the province gets a fifth)
};

class FixedClock final : public xiaoan::Clock {
 public:
  xiaoan::TimePoint Now() const override { return now.load(); }
  std::atomic<xiaoan::TimePoint> now{*xiaoan::ParseRfc3339("2026-12-01T09:00:00+08:00")};
};

void Check(const xiaoan::Status& s, const std::string& what) {
  if (!s) throw std::runtime_error(what + ": " + s.error().message);
}
template <class T>
T Must(xiaoan::Result<T> r, const std::string& what) {
  if (!r) throw std::runtime_error(what + ": " + r.error().message);
  return std::move(*r);
}

constexpr db::Sql kSchools{"bench_schools",
                           "SELECT code, path FROM org_units WHERE level = 'school' AND active = 1 ORDER BY path"};
constexpr db::Sql kCounties{"bench_counties", "SELECT code FROM org_units WHERE level = 'county' ORDER BY code"};
// Set-up only: 60% done, 10% late, 10% missed, the rest open, spread over the campaign's schools.
constexpr db::Sql kSpreadStatus{
    "bench_spread_status",
    "UPDATE inspection_dues SET status = CASE (id * 2654435761) % 10 WHEN 0 THEN 'missed' WHEN 1 THEN 'late'"
    " WHEN 2 THEN 'open' WHEN 3 THEN 'open' ELSE 'done' END WHERE campaign_id = $1"};

// The reference: one prepared INSERT of the same due rows, one transaction, its own connection.
class PlainSqlite {
 public:
  explicit PlainSqlite(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("sqlite3_open " + path);
    Exec("PRAGMA journal_mode=WAL");
    Exec("PRAGMA synchronous=FULL");
    Exec("PRAGMA busy_timeout=10000");
  }
  ~PlainSqlite() { sqlite3_close(db_); }
  double Insert(int64_t campaign_id, const std::vector<std::pair<std::string, std::string>>& schools) {
    const auto t0 = Steady::now();
    Exec("BEGIN IMMEDIATE");
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_,
                           "INSERT INTO inspection_dues (campaign_id, round, school_code, path, opens_on, due_on,"
                           " status) VALUES (?1, 1, ?2, ?3, '2026-12-01', '2026-12-15', 'open')",
                           -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db_));
    for (const auto& [code, path] : schools) {
      sqlite3_bind_int64(st, 1, campaign_id);
      sqlite3_bind_text(st, 2, code.c_str(), static_cast<int>(code.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 3, path.c_str(), static_cast<int>(path.size()), SQLITE_STATIC);
      if (sqlite3_step(st) != SQLITE_DONE) throw std::runtime_error(std::string("insert: ") + sqlite3_errmsg(db_));
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    Exec("COMMIT");
    return MsSince(t0);
  }

 private:
  void Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(std::string(sql) + ": " + m);
    }
  }
  sqlite3* db_ = nullptr;
};

int Run(const Options& o) {
  fs::create_directories(o.dir);
  const std::string path = (fs::path(o.dir) / "campaign-bench.db").string();
  xiaoan::bench::RemoveDatabase(path);
  FixedClock clock;
  std::vector<std::pair<std::string, std::string>> migrations;
  for (const auto& m : db::migrations::kAll) migrations.emplace_back(std::string(m.name), std::string(m.text));
  auto database = Must(db::OpenSqlite({.path = path}, migrations), "open " + path);
  xiaoan::audit::AuditLog audit("sha256", clock);
  org::OrgService orgs(*database, audit, clock);
  insp::InspectionsService service(*database, audit, clock);

  auto t0 = Steady::now();
  (void)Must(orgs.SeedDivisions(), "SeedDivisions");
  const auto henan = Must(org::HenanDivisions(), "HenanDivisions");
  const int64_t schools =
      Must(xiaoan::bench::InsertSchools(*database, xiaoan::bench::SpreadSchools(henan, o.schools)), "schools");
  (void)Must(service.InstallShippedChecklists(), "InstallShippedChecklists");
  const double setup_s = MsSince(t0) / 1000;
  std::vector<std::pair<std::string, std::string>> school_rows;
  std::vector<std::string> county_codes;
  Check(database->Read([&](db::Connection& c) -> xiaoan::Status {
    auto rows = c.Query(kSchools, {});
    if (!rows) return xiaoan::Fail(rows.error());
    for (const auto& r : *rows) school_rows.emplace_back(r.Text(0), r.Text(1));
    auto counties = c.Query(kCounties, {});
    if (!counties) return xiaoan::Fail(counties.error());
    for (const auto& r : *counties) county_codes.push_back(r.Text(0));
    return {};
  }),
        "read schools");
  std::printf("set-up: %lld schools, divisions and checklists in %.1f s\n", static_cast<long long>(schools), setup_s);

  xiaoan::Principal province;
  province.user_id = 1;
  province.username = "bench-province";
  province.role = xiaoan::Role::kBureauSafetyOfficer;
  province.org_code = "410000";
  province.org_path = "/410000/";
  const xiaoan::audit::Actor actor{1, "bench-province", "bureau_safety_officer", "410000", "bench"};
  int64_t fire = 0;
  for (const auto& c : Must(service.Checklists(province), "Checklists"))
    if (c.key == "fire" && !c.owner_code) fire = c.id;

  PlainSqlite reference(path);
  Latencies create, plain;
  int64_t first_campaign = 0, due_rows = 0;
  for (int run = 0; run < o.runs; ++run) {
    insp::CampaignInput in;
    in.name = fmt::format("全省消防安全大检查 {}", run + 1);
    in.org = "410000";
    in.template_id = fire;
    in.cadence = "once";
    in.starts_on = "2026-12-01";
    in.ends_on = "2026-12-15";
    const auto c0 = Steady::now();
    const auto campaign = Must(service.CreateCampaign(province, actor, in), "CreateCampaign");
    create.ms.push_back(MsSince(c0));
    if (run == 0) first_campaign = campaign.id;
    due_rows = campaign.totals.due;
    plain.ms.push_back(reference.Insert(1000000 + run, school_rows));
    std::printf("run %d: CreateCampaign %8.1f ms (%lld due rows)   plain SQLite %8.1f ms (%zu rows)\n", run + 1,
                create.ms.back(), static_cast<long long>(due_rows), plain.ms.back(), school_rows.size());
  }
  std::printf("CreateCampaign p50 %.1f ms, plain SQLite p50 %.1f ms (ratio %.2f)\n", create.Percentile(0.5),
              plain.Percentile(0.5), create.Percentile(0.5) / std::max(0.001, plain.Percentile(0.5)));

  Check(database->Write([&](db::Connection& tx) -> xiaoan::Status {
    auto r = tx.Execute(kSpreadStatus, {first_campaign});
    if (!r) return xiaoan::Fail(r.error());
    return {};
  }),
        "spread status");
  std::mt19937 rng(12);
  Latencies province_lat, county_lat;
  size_t missed_listed = 0;
  for (int i = 0; i < std::max(1, o.calls / 5); ++i) {
    const auto c0 = Steady::now();
    auto p = Must(service.Progress(province, first_campaign, std::string("410000"), std::nullopt), "Progress");
    province_lat.ms.push_back(MsSince(c0));
    missed_listed = p.missed_schools.size();
  }
  for (int i = 0; i < o.calls; ++i) {
    const std::string& county = county_codes[rng() % county_codes.size()];
    const auto c0 = Steady::now();
    (void)Must(service.Progress(province, first_campaign, county, std::nullopt), "Progress county");
    county_lat.ms.push_back(MsSince(c0));
  }
  std::printf("Progress province 410000  p50 %7.2f ms  p99 %7.2f ms  (%zu calls, %zu missed schools listed)\n",
              province_lat.Percentile(0.5), province_lat.Percentile(0.99), province_lat.ms.size(), missed_listed);
  std::printf("Progress random counties  p50 %7.2f ms  p99 %7.2f ms  (%zu calls)\n", county_lat.Percentile(0.5),
              county_lat.Percentile(0.99), county_lat.ms.size());
  const double db_mib = xiaoan::bench::DatabaseMib(path);
  const long rss_kb = xiaoan::bench::ProcStatusKb("VmHWM:");
  std::printf("database %.1f MiB, peak RSS %.1f MiB, load %s\n", db_mib, rss_kb / 1024.0,
              xiaoan::bench::LoadAverage().c_str());
  database->Shutdown();
  xiaoan::bench::RemoveDatabase(path);

  if (!o.json.empty()) {
    std::ofstream out(o.json);
    auto runs = [](const Latencies& l) {
      std::string s;
      for (size_t i = 0; i < l.ms.size(); ++i) s += fmt::format("{}{:.1f}", i ? ", " : "", l.ms[i]);
      return s;
    };
    out << fmt::format(R"({{"schools": {}, "due_rows": {}, "setup_seconds": {:.1f}, )"
                       R"("create_campaign": {{"p50_ms": {:.1f}, "runs_ms": [{}]}}, )"
                       R"("plain_sqlite_insert": {{"p50_ms": {:.1f}, "runs_ms": [{}]}}, )"
                       R"("progress": {{"province": {{"p50_ms": {:.2f}, "p99_ms": {:.2f}, "calls": {}}}, )"
                       R"("random_counties": {{"p50_ms": {:.2f}, "p99_ms": {:.2f}, "calls": {}}}}}, )"
                       R"("db_mib": {:.1f}, "peak_rss_mib": {:.1f}}})",
                       schools, due_rows, setup_s, create.Percentile(0.5), runs(create), plain.Percentile(0.5),
                       runs(plain), province_lat.Percentile(0.5), province_lat.Percentile(0.99), province_lat.ms.size(),
                       county_lat.Percentile(0.5), county_lat.Percentile(0.99), county_lat.ms.size(), db_mib,
                       rss_kb / 1024.0)
        << "\n";
  }
  return 0;
}

// The options, or the exit status once CLI11 has printed --help or the parse error. Throws
// std::runtime_error for sizes out of range.
std::expected<Options, int> ParseArgs(int argc, char** argv) {
  Options o;
  CLI::App cli{"A province inspection campaign to many schools: CreateCampaign vs plain SQLite, progress"};
  cli.option_defaults()->always_capture_default();
  cli.add_option("--dir", o.dir, "Folder for the database");
  cli.add_option("--json", o.json, "Write the results as JSON to this file");
  cli.add_option("--schools", o.schools, "Schools the campaign goes to");
  cli.add_option("--runs", o.runs, "Fresh campaigns created (and reference runs)");
  cli.add_option("--calls", o.calls, "Progress calls for random counties (the province gets a fifth)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return std::unexpected(cli.exit(e));
  }
  if (o.schools < 1 || o.runs < 1 || o.calls < 1) throw std::runtime_error("counts must be positive");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto o = ParseArgs(argc, argv);
    if (!o) return o.error();
    return Run(*o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "campaign_bench: %s\n", e.what());
    return 1;
  }
}
