// The four 100% at province and national scale (issue #3), through the production code: a real
// LedgerService over a real SQLite database file (WAL, synchronous=FULL, the real migrations).
//
// Province: the real Henan divisions (OrgService::SeedDivisions) and --schools demo schools
// (org::DemoSchools: the demo mix of type, locality and enrolment) spread over the 157 units that
// hold schools in proportion to DemoSchoolCount, inserted through org::store::Insert in large
// durable jobs; their ledgers from LedgerService::SeedDemo; then LedgerService::Rebuild. Measures
// - FourHundred for the province, for 金水区 and for random counties, against the reference in the
//   same run: the same figures by one SQL statement over the ledger tables
//   (sql/rollup_reference.sql), compared figure by figure for the unit and every child;
// - one ledger change, CreateGuard as the school's principal (one durable commit each), for random
//   schools and for schools whose guards item is not met: its latency beside that of a durable write
//   of one audit record (the commit floor), and, on other schools through CountingDatabase, the rows
//   each change touches. Afterwards every counter is compared with the reference again.
//
// National (--national-schools=N > 0): N schools over Henan's tree replicated under the 31 province
// codes (41 is Henan itself), ledgers from SeedDemo; then a fresh process (this binary with
// --rebuild-only) opens the database and times Rebuild from empty counters, and its peak resident
// memory is read from wait4's ru_maxrss.
//
// Usage: compliance_bench [--dir=DIR] [--json=FILE] [--schools=N] [--calls=N] [--changes=N]
//                         [--national-schools=N]
#include <fmt/format.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <expected>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "compliance_reference.hpp"
#include "counting_database.hpp"
#include "measure.hpp"
#include "modules/audit/actor.hpp"
#include "modules/ledger/ledger_service.hpp"
#include "modules/org/org_seed.hpp"
#include "modules/org/org_service.hpp"
#include "modules/org/org_store.hpp"
#include "platform/db/database.hpp"
#include "school_tree.hpp"
#include "xiaoan_platform_sql.hpp"

extern char** environ;

namespace {

using xiaoan::bench::FileMib;
using xiaoan::bench::Latencies;
using xiaoan::bench::LoadAverage;
using xiaoan::bench::RemoveDatabase;

namespace fs = std::filesystem;
namespace db = xiaoan::db;
namespace org = xiaoan::org;
namespace ledger = xiaoan::ledger;
using xiaoan::Principal;
using xiaoan::Role;
using Clock = std::chrono::steady_clock;
using SchoolRef = std::pair<std::string, std::string>;  // code, path

constexpr const char* kProvince = "410000";
constexpr const char* kCounty = "410105";  // 金水区, Zhengzhou: a large urban district
constexpr int kProvinceReferenceCalls = 20;
constexpr int kCountyReferenceCalls = 200;

struct Options {
  std::string dir = ".";
  std::string json;
  int schools = 50000;
  int calls = 1000;   // FourHundred calls per row
  int changes = 500;  // CreateGuard calls per kind of school (and a fifth as many counted)
  int national_schools = 0;
  std::string rebuild_only;  // internal: the national rebuild in a fresh process
};

// A Thursday in term, 10:00 in Shanghai: the post window and the alarm test age are the same on
// every run.
class FixedClock final : public xiaoan::Clock {
 public:
  xiaoan::TimePoint Now() const override { return *xiaoan::ParseRfc3339("2026-11-26T10:00:00+08:00"); }
};

void Check(const xiaoan::Status& s, const std::string& what) {
  if (!s) throw std::runtime_error(what + ": " + s.error().message);
}
template <class T>
T Must(xiaoan::Result<T> r, const std::string& what) {
  if (!r) throw std::runtime_error(what + ": " + r.error().message);
  return std::move(*r);
}

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The store and the services, wired as the app wires them (default ledger settings).
struct Stack {
  FixedClock clock;
  std::unique_ptr<db::Database> database;
  std::unique_ptr<xiaoan::audit::AuditLog> audit;
  std::unique_ptr<ledger::LedgerService> ledger;

  // The demo's evidence photos (SeedDemo) are stored beside the database, not in the working directory.
  std::string photo_dir;

  explicit Stack(const std::string& path) : photo_dir(path + ".files") {
    std::vector<std::pair<std::string, std::string>> migrations;
    for (const auto& m : db::migrations::kAll) migrations.emplace_back(std::string(m.name), std::string(m.text));
    database = Must(db::OpenSqlite({.path = path}, migrations), "open " + path);
    audit = std::make_unique<xiaoan::audit::AuditLog>("sha256", clock);
    ledger = Must(ledger::LedgerService::Create(*database, *audit, clock, {.photo_dir = photo_dir}), "ledger service");
  }
  ~Stack() {
    database->Shutdown();
    std::error_code ignored;
    fs::remove_all(photo_dir, ignored);
  }
  [[nodiscard]] xiaoan::Day Today() const { return xiaoan::ShanghaiDay(clock.Now()); }
};

// Rows in the ledger tables. (A connection caches statements by the address of their text, so each
// is a constant.)
int64_t LedgerRows(db::Database& database) {
  static constexpr db::Sql kCounts[] = {{"count_guards", "SELECT count(*) FROM ledger_guards"},
                                        {"count_shifts", "SELECT count(*) FROM ledger_gatehouse_shifts"},
                                        {"count_patrols", "SELECT count(*) FROM ledger_patrols"},
                                        {"count_checks", "SELECT count(*) FROM ledger_closed_checks"},
                                        {"count_posts", "SELECT count(*) FROM ledger_posts"},
                                        {"count_devices", "SELECT count(*) FROM ledger_devices"},
                                        {"count_tests", "SELECT count(*) FROM ledger_alarm_tests"}};
  int64_t n = 0;
  for (const auto& sql : kCounts) {
    n += Must(db::ReadResult<int64_t>(database,
                                      [&](db::Connection& c) -> xiaoan::Result<int64_t> {
                                        auto row = c.QueryOne(sql, {});
                                        if (!row) return xiaoan::Fail(row.error());
                                        return (*row)->Int(0);
                                      }),
              std::string(sql.name));
  }
  return n;
}

// ---- the roll-up request

Principal Officer() {
  Principal p;
  p.user_id = 1;
  p.username = "bench-officer";
  p.role = Role::kBureauSafetyOfficer;
  p.org_code = kProvince;
  p.org_path = fmt::format("/{}/", kProvince);
  return p;
}

db::Params ParamsFor(Stack& s, const std::string& code) {
  auto unit =
      Must(db::ReadResult<org::OrgUnit>(
               *s.database, [&](db::Connection& c) { return org::store::Get(c, xiaoan::Scope::Everything(), code); }),
           "unit " + code);
  return xiaoan::bench::ReferenceParams(s.ledger->rules(), ledger::ComplianceSettings{}, unit, s.Today());
}

xiaoan::bench::FiguresByChild Reference(Stack& s, const db::Params& params) {
  return Must(db::ReadResult<xiaoan::bench::FiguresByChild>(
                  *s.database, [&](db::Connection& c) { return xiaoan::bench::RunReference(c, params); }),
              "reference");
}

// The live roll-up of `code` against the reference (untimed).
xiaoan::bench::Comparison CheckUnit(Stack& s, const std::string& code) {
  auto reference = Reference(s, ParamsFor(s, code));
  return xiaoan::bench::Compare(Must(s.ledger->FourHundred(Officer(), code), "FourHundred " + code), reference);
}

struct RollupResult {
  std::string level, unit;
  int64_t schools = 0, children = 0;  // per call
  Latencies live, reference;
  xiaoan::bench::Comparison check;
};

// `calls` FourHundred calls and `reference_calls` reference statements over `codes` in turn, after
// a few untimed ones; each code's figures compared once.
RollupResult MeasureRollup(Stack& s, const std::string& level, const std::vector<std::string>& codes, int calls,
                           int reference_calls) {
  RollupResult out;
  out.level = level;
  out.unit = codes.size() == 1 ? codes.front() : fmt::format("{} random", codes.size());
  const Principal officer = Officer();
  std::vector<db::Params> params;
  for (const auto& code : codes) params.push_back(ParamsFor(s, code));
  for (size_t i = 0; i < 20; ++i) (void)Must(s.ledger->FourHundred(officer, codes[i % codes.size()]), "warm-up");
  for (int i = 0; i < calls; ++i) {
    const auto& code = codes[static_cast<size_t>(i) % codes.size()];
    const auto t0 = Clock::now();
    auto r = s.ledger->FourHundred(officer, code);
    out.live.ms.push_back(MsSince(t0));
    const auto rollup = Must(std::move(r), "FourHundred " + code);
    out.schools += rollup.figures.schools;
    out.children += static_cast<int64_t>(rollup.children.size());
  }
  out.schools /= std::max(1, calls);
  out.children /= std::max(1, calls);
  (void)Reference(s, params.front());
  for (int i = 0; i < reference_calls; ++i) {
    const auto t0 = Clock::now();
    (void)Reference(s, params[static_cast<size_t>(i) % codes.size()]);
    out.reference.ms.push_back(MsSince(t0));
  }
  for (const auto& code : codes) out.check.Add(CheckUnit(s, code));
  return out;
}

// ---- one ledger change

struct ChangeResult {
  std::string schools;
  Latencies timed;
  int counted = 0;
  std::map<int64_t, int> rows_histogram;             // rows touched -> changes
  std::map<std::string, int64_t> rows_by_statement;  // summed over the counted changes
};

ledger::GuardFields NewGuard(int i) {
  ledger::GuardFields f;
  f.name = fmt::format("基准保安{}", i);
  f.certificate_no = std::optional<std::string>(fmt::format("豫保{:08}", i));
  f.birth_year = std::optional<int64_t>(1975 + i % 20);
  f.employment = "full_time";
  f.employed_since = std::optional<std::string>("2025-09-01");
  f.active = true;
  return f;
}

Principal SchoolPrincipal(const SchoolRef& school) {
  Principal p;
  p.user_id = 2;
  p.username = "bench-principal";
  p.role = Role::kPrincipal;
  p.org_code = school.first;
  p.org_path = school.second;
  return p;
}

// CreateGuard at each of `timed` through the service (latency), then at each of `counted` through
// a second service over CountingDatabase (rows touched).
ChangeResult MeasureChanges(Stack& s, const std::string& label, const std::vector<SchoolRef>& timed,
                            const std::vector<SchoolRef>& counted) {
  ChangeResult out;
  out.schools = label;
  int i = 0;
  for (const auto& school : timed) {
    const auto p = SchoolPrincipal(school);
    const auto actor = xiaoan::audit::ActorFor(p, fmt::format("bench-{}", i));
    const auto t0 = Clock::now();
    auto guard = s.ledger->CreateGuard(p, actor, school.first, NewGuard(i++));
    out.timed.ms.push_back(MsSince(t0));
    (void)Must(std::move(guard), "CreateGuard " + school.first);
  }
  xiaoan::bench::CountingDatabase counting(*s.database);
  auto service =
      Must(ledger::LedgerService::Create(counting, *s.audit, s.clock, {.photo_dir = s.photo_dir}), "counting service");
  for (const auto& school : counted) {
    const auto p = SchoolPrincipal(school);
    (void)Must(
        service->CreateGuard(p, xiaoan::audit::ActorFor(p, fmt::format("bench-{}", i)), school.first, NewGuard(i)),
        "CreateGuard " + school.first);
    ++i;
    const auto rows = counting.Last();
    ++out.rows_histogram[rows.total];
    for (const auto& [name, n] : rows.by_statement) out.rows_by_statement[name] += n;
    ++out.counted;
  }
  return out;
}

// The floor under every change: a durable write job that appends one audit record and nothing else.
ChangeResult MeasureCommitFloor(Stack& s, int n) {
  ChangeResult out;
  out.schools = "(audit record only)";
  for (int i = 0; i < n; ++i) {
    const xiaoan::audit::Entry entry{xiaoan::audit::SystemActor("bench"), "bench.floor", "bench",
                                     xiaoan::audit::Outcome::kSuccess, fmt::format("{}", i)};
    const auto t0 = Clock::now();
    Check(s.audit->AppendDurable(*s.database, entry), "audit append");
    out.timed.ms.push_back(MsSince(t0));
  }
  return out;
}

// Distinct schools for the changes: random ones, and ones whose guards item is not met.
struct ChangeSchools {
  std::vector<SchoolRef> random_timed, random_counted, not_met_timed, not_met_counted;
};

ChangeSchools PickSchools(db::Database& database, int timed, int counted) {
  static constexpr db::Sql kEvaluated{"bench_evaluated",
                                      "SELECT school_code, path, guards FROM compliance_school ORDER BY school_code"};
  auto rows =
      Must(db::ReadResult<std::vector<db::Row>>(database, [](db::Connection& c) { return c.Query(kEvaluated, {}); }),
           "evaluations");
  std::vector<SchoolRef> all, not_met;
  for (const auto& r : rows) {
    all.emplace_back(r.Text(0), r.Text(1));
    if (r.Int(2) == 0) not_met.emplace_back(r.Text(0), r.Text(1));
  }
  std::mt19937_64 rng(20261126);
  std::shuffle(all.begin(), all.end(), rng);
  std::shuffle(not_met.begin(), not_met.end(), rng);
  std::set<std::string> used;
  auto take = [&](const std::vector<SchoolRef>& from, int n) {
    std::vector<SchoolRef> got;
    for (const auto& school : from) {
      if (static_cast<int>(got.size()) == n) break;
      if (used.insert(school.first).second) got.push_back(school);
    }
    return got;
  };
  ChangeSchools out;
  out.not_met_timed = take(not_met, timed);
  out.not_met_counted = take(not_met, counted);
  out.random_timed = take(all, timed);
  out.random_counted = take(all, counted);
  return out;
}

// ---- province scale

struct ProvinceResult {
  int64_t schools = 0, seeded = 0, ledger_rows = 0;
  double load_s = 0, seed_s = 0, rebuild_s = 0, db_mib = 0;
  ledger::RollStats rebuild;
  std::vector<RollupResult> rollups;
  std::vector<ChangeResult> changes;
  xiaoan::bench::Comparison after;  // every counter, after the changes
  long rss_kb = 0;
};

ProvinceResult RunProvince(const Options& o) {
  ProvinceResult out;
  const std::string path = (fs::path(o.dir) / "compliance-province.db").string();
  RemoveDatabase(path);
  {
    Stack s(path);
    org::OrgService orgs(*s.database, *s.audit, s.clock);
    auto t0 = Clock::now();
    (void)Must(orgs.SeedDivisions(), "SeedDivisions");
    const auto henan = Must(org::HenanDivisions(), "HenanDivisions");
    const auto spread = xiaoan::bench::SpreadSchools(henan, o.schools);
    out.schools = Must(xiaoan::bench::InsertSchools(*s.database, spread), "insert schools");
    out.load_s = MsSince(t0) / 1000;
    t0 = Clock::now();
    out.seeded = Must(s.ledger->SeedDemo(), "SeedDemo");
    out.seed_s = MsSince(t0) / 1000;
    t0 = Clock::now();
    out.rebuild = Must(s.ledger->Rebuild(), "Rebuild");
    out.rebuild_s = MsSince(t0) / 1000;
    out.ledger_rows = LedgerRows(*s.database);

    std::vector<std::string> counties;
    for (const auto& [unit, n] : spread) counties.push_back(unit->code);
    std::mt19937_64 rng(20261126);
    std::shuffle(counties.begin(), counties.end(), rng);
    out.rollups.push_back(MeasureRollup(s, "province", {kProvince}, o.calls, kProvinceReferenceCalls));
    out.rollups.push_back(MeasureRollup(s, "county", {kCounty}, o.calls, kCountyReferenceCalls));
    out.rollups.push_back(MeasureRollup(s, "county", counties, o.calls, kCountyReferenceCalls));

    const auto picked = PickSchools(*s.database, o.changes, std::max(1, o.changes / 5));
    out.changes.push_back(MeasureCommitFloor(s, o.changes));
    out.changes.push_back(MeasureChanges(s, "random", picked.random_timed, picked.random_counted));
    out.changes.push_back(MeasureChanges(s, "guards item not met", picked.not_met_timed, picked.not_met_counted));
    out.after = CheckUnit(s, kProvince);  // the province and its cities
    for (const auto& u : henan)
      if (u.level != org::Level::kProvince) out.after.Add(CheckUnit(s, u.code));
    out.rss_kb = xiaoan::bench::ProcStatusKb("VmRSS:");
  }
  out.db_mib = FileMib(path) + FileMib(path + "-wal");
  RemoveDatabase(path);
  return out;
}

// ---- national scale

struct NationalResult {
  int64_t schools = 0, units = 0, ledger_rows = 0;
  double load_s = 0, seed_s = 0, db_mib = 0;
  // From the fresh process.
  double rebuild_s = 0;
  int64_t evaluated = 0, unit_rows = 0;
  long rss_open_kb = 0, peak_kb = 0;
};

// The fresh process: opens the database and rebuilds from empty counters; writes "key value" lines
// to `out_path`.
int RebuildOnly(const std::string& path, const std::string& out_path) {
  Stack s(path);
  const long open_kb = xiaoan::bench::ProcStatusKb("VmRSS:");
  auto t0 = Clock::now();
  const auto first = Must(s.ledger->Rebuild(), "Rebuild");
  const double first_s = MsSince(t0) / 1000;
  std::ofstream out(out_path);
  out << "rebuild_s " << first_s << "\nevaluated " << first.schools << "\nunit_rows " << first.unit_rows
      << "\nrss_open_kb " << open_kb << "\n";
  return out ? 0 : 1;
}

NationalResult RunNational(const Options& o) {
  NationalResult out;
  const std::string path = (fs::path(o.dir) / "compliance-national.db").string();
  RemoveDatabase(path);
  {
    Stack s(path);
    auto t0 = Clock::now();
    const auto divisions = xiaoan::bench::NationalDivisions(Must(org::HenanDivisions(), "HenanDivisions"));
    Check(xiaoan::bench::InsertUnits(*s.database, divisions), "insert divisions");
    out.schools =
        Must(xiaoan::bench::InsertSchools(*s.database, xiaoan::bench::SpreadSchools(divisions, o.national_schools)),
             "insert schools");
    out.units = static_cast<int64_t>(divisions.size()) + out.schools;
    out.load_s = MsSince(t0) / 1000;
    t0 = Clock::now();
    (void)Must(s.ledger->SeedDemo(), "SeedDemo");
    out.seed_s = MsSince(t0) / 1000;
    out.ledger_rows = LedgerRows(*s.database);
  }
  const std::string result = path + ".rebuild";
  std::string arg0 = "compliance_bench", arg_db = "--rebuild-only=" + path, arg_out = "--json=" + result;
  char* argv[] = {arg0.data(), arg_db.data(), arg_out.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv, environ) != 0)
    throw std::runtime_error("cannot start the rebuild process");
  int status = 0;
  rusage ru{};
  if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("the rebuild process failed");
  out.peak_kb = ru.ru_maxrss;
  std::ifstream in(result);
  std::string key;
  double value = 0;
  while (in >> key >> value) {
    if (key == "rebuild_s") out.rebuild_s = value;
    if (key == "evaluated") out.evaluated = static_cast<int64_t>(value);
    if (key == "unit_rows") out.unit_rows = static_cast<int64_t>(value);
    if (key == "rss_open_kb") out.rss_open_kb = static_cast<long>(value);
  }
  out.db_mib = FileMib(path) + FileMib(path + "-wal");
  fs::remove(result);
  RemoveDatabase(path);
  return out;
}

// ---- report

std::string Histogram(const std::map<int64_t, int>& h) {
  std::string out;
  for (const auto& [rows, n] : h) out += fmt::format("{}{} rows x {}", out.empty() ? "" : ", ", rows, n);
  return out;
}

void Print(const ProvinceResult& p, const NationalResult* n) {
  fmt::print("Province: Henan's real divisions + {} demo schools over 157 units, {} ledger rows (SeedDemo)\n",
             p.schools, p.ledger_rows);
  fmt::print(
      "load schools {:.1f} s, SeedDemo {:.1f} s, Rebuild {:.2f} s ({} schools evaluated, {} counter rows), "
      "database {:.0f} MiB, VmRSS at the end {:.0f} MiB\n",
      p.load_s, p.seed_s, p.rebuild_s, p.rebuild.schools, p.rebuild.unit_rows, p.db_mib, p.rss_kb / 1024.0);

  fmt::print(
      "\nRoll-up request, ms: LedgerService::FourHundred (live counters) vs the same figures by one SQL "
      "statement over the ledger tables (sql/rollup_reference.sql)\n");
  fmt::print("{:<9} {:<10} {:>7} {:>8} | {:>5} {:>7} {:>7} | {:>5} {:>8} {:>8} | {:>7} | {}\n", "level", "unit",
             "schools", "children", "calls", "p50", "p99", "calls", "SQL p50", "SQL p99", "SQL/live", "figures");
  for (const auto& r : p.rollups) {
    const double live50 = r.live.Percentile(0.5), ref50 = r.reference.Percentile(0.5);
    fmt::print("{:<9} {:<10} {:>7} {:>8} | {:>5} {:>7.3f} {:>7.3f} | {:>5} {:>8.1f} {:>8.1f} | {:>7.0f} | {}\n",
               r.level, r.unit, r.schools, r.children, r.live.ms.size(), live50, r.live.Percentile(0.99),
               r.reference.ms.size(), ref50, r.reference.Percentile(0.99), live50 > 0 ? ref50 / live50 : 0.0,
               r.check.Describe());
  }

  fmt::print(
      "\nOne ledger change, ms: LedgerService::CreateGuard as the school's principal, one durable commit "
      "each; rows touched counted on other schools\n");
  fmt::print("{:<20} {:>7} {:>7} {:>7} {:>7} | {:>7} | {}\n", "schools", "changes", "p50", "p99", "max", "counted",
             "rows touched per change");
  for (const auto& c : p.changes)
    fmt::print("{:<20} {:>7} {:>7.2f} {:>7.2f} {:>7.2f} | {:>7} | {}\n", c.schools, c.timed.ms.size(),
               c.timed.Percentile(0.5), c.timed.Percentile(0.99), c.timed.Percentile(1.0), c.counted,
               c.counted ? Histogram(c.rows_histogram) : "1 row (audit_log): the floor under every change");
  for (const auto& c : p.changes) {
    if (c.counted == 0) continue;
    std::string by;
    for (const auto& [name, k] : c.rows_by_statement)
      by += fmt::format("{}{} {:.2f}", by.empty() ? "" : ", ", name, static_cast<double>(k) / std::max(1, c.counted));
    fmt::print("  {}: rows per change by statement: {}\n", c.schools, by);
  }
  fmt::print("after the changes, every counter vs the SQL reference: {}\n", p.after.Describe());

  if (!n) return;
  fmt::print("\nNational: {} schools over Henan's tree under the 31 province codes ({} units), {} ledger rows\n",
             n->schools, n->units, n->ledger_rows);
  fmt::print("load schools {:.1f} s, SeedDemo {:.1f} s, database {:.0f} MiB\n", n->load_s, n->seed_s, n->db_mib);
  fmt::print("Rebuild in a fresh process, from empty counters: {:.1f} s ({} schools evaluated, {} counter rows)\n",
             n->rebuild_s, n->evaluated, n->unit_rows);
  fmt::print("resident memory of that process: {:.0f} MiB once open, peak (ru_maxrss) {:.0f} MiB\n",
             n->rss_open_kb / 1024.0, n->peak_kb / 1024.0);
}

void WriteJson(const std::string& file, const ProvinceResult& p, const NationalResult* n) {
  std::ofstream out(file);
  out << fmt::format(
      "{{\"province\": {{\"schools\": {}, \"ledger_rows\": {}, \"load_seconds\": {:.2f}, \"seed_seconds\": {:.2f}, "
      "\"rebuild_seconds\": {:.3f}, \"db_mib\": {:.1f}, \"rollups\": [",
      p.schools, p.ledger_rows, p.load_s, p.seed_s, p.rebuild_s, p.db_mib);
  for (size_t i = 0; i < p.rollups.size(); ++i) {
    const auto& r = p.rollups[i];
    out << (i ? ", " : "")
        << fmt::format(
               "{{\"level\": \"{}\", \"unit\": \"{}\", \"schools\": {}, \"calls\": {}, \"p50_ms\": {:.4f}, "
               "\"p99_ms\": {:.4f}, \"sql_calls\": {}, \"sql_p50_ms\": {:.3f}, \"sql_p99_ms\": {:.3f}, "
               "\"figures_equal\": {}}}",
               r.level, r.unit, r.schools, r.live.ms.size(), r.live.Percentile(0.5), r.live.Percentile(0.99),
               r.reference.ms.size(), r.reference.Percentile(0.5), r.reference.Percentile(0.99),
               r.check.differences == 0);
  }
  out << "], \"changes\": [";
  for (size_t i = 0; i < p.changes.size(); ++i) {
    const auto& c = p.changes[i];
    std::string rows;
    for (const auto& [k, v] : c.rows_histogram) rows += fmt::format("{}\"{}\": {}", rows.empty() ? "" : ", ", k, v);
    out << (i ? ", " : "")
        << fmt::format(
               "{{\"schools\": \"{}\", \"changes\": {}, \"p50_ms\": {:.3f}, \"p99_ms\": {:.3f}, \"counted\": {}, "
               "\"rows_touched\": {{{}}}}}",
               c.schools, c.timed.ms.size(), c.timed.Percentile(0.5), c.timed.Percentile(0.99), c.counted, rows);
  }
  out << fmt::format("], \"counters_equal_after_changes\": {}}}", p.after.differences == 0);
  if (n)
    out << fmt::format(
        ", \"national\": {{\"schools\": {}, \"ledger_rows\": {}, \"seed_seconds\": {:.1f}, \"rebuild_seconds\": "
        "{:.2f}, \"peak_rss_mib\": {:.1f}, \"db_mib\": {:.1f}}}",
        n->schools, n->ledger_rows, n->seed_s, n->rebuild_s, n->peak_kb / 1024.0, n->db_mib);
  out << "}\n";
}

// The options, or the exit status once CLI11 has printed --help or the parse error. Throws
// std::runtime_error for sizes out of range.
std::expected<Options, int> ParseArgs(int argc, char** argv) {
  Options o;
  CLI::App cli{"The four-100% roll-up: live counters vs plain SQL, ledger changes, national rebuild"};
  cli.option_defaults()->always_capture_default();
  cli.add_option("--dir", o.dir, "Folder for the databases");
  cli.add_option("--json", o.json, "Write the results as JSON to this file");
  cli.add_option("--schools", o.schools, "Schools in the province");
  cli.add_option("--calls", o.calls, "FourHundred calls per row");
  cli.add_option("--changes", o.changes, "CreateGuard calls per kind of school");
  cli.add_option("--national-schools", o.national_schools, "Schools for the national rebuild (0 skips it)");
  // Internal: the national rebuild in a fresh process, started by this program.
  cli.add_option("--rebuild-only", o.rebuild_only)->group("");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return std::unexpected(cli.exit(e));
  }
  if (o.schools < 1 || o.calls < 1 || o.changes < 1) throw std::runtime_error("counts must be positive");
  return o;
}

int Run(const Options& o) {
  if (!o.rebuild_only.empty()) return RebuildOnly(o.rebuild_only, o.json);
  fs::create_directories(o.dir);
  const std::string load_start = LoadAverage();
  const auto province = RunProvince(o);
  std::optional<NationalResult> national;
  if (o.national_schools > 0) national = RunNational(o);
  Print(province, national ? &*national : nullptr);
  fmt::print("load average at start {}, at end {} (2 cores, shared)\n", load_start, LoadAverage());
  if (!o.json.empty()) WriteJson(o.json, province, national ? &*national : nullptr);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto o = ParseArgs(argc, argv);
    if (!o) return o.error();
    return Run(*o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "compliance_bench: %s\n", e.what());
    return 1;
  }
}
