// A Henan school day of morning and noon checks (issue #4), through the production code: a real
// HealthService over a real SQLite database file (WAL, synchronous=FULL, the real migrations).
//
// Henan's real divisions (OrgService::SeedDivisions) and --schools demo schools (school_tree.cpp)
// with --classes-per-school classes each, loaded in large durable jobs. Then one school day is
// replayed: the morning check of every class, then the noon check of every class, each one
// HealthService::Submit as the school's principal (its own durable write through the group-commit
// writer) from --threads threads, in a shuffled order. About 1% of the reports carry ill students:
// - planted clusters: some classes report 3 students with fever or cough in the morning (the 2006
//   rule of 3 similar cases in one class in one day opens a warning), half of them a 4th at noon
//   (which joins the open warning);
// - planted notifiable cases: some classes report one student diagnosed with chickenpox at noon
//   (a warning at once);
// - single ill students in other classes (never enough for a rule), so that exactly the planted
//   warnings open.
// Warning latency: for every report that opens or joins a warning, the time from the start of its
// Submit until the warning is read back by the county (HealthService::GetWarning as the county's
// safety officer, on a reader connection, right after Submit returns). Afterwards the stored
// reports and warnings are counted and compared with the plan, and the bureaus' view of the day is
// timed: HealthService::GetCompleteness for the province, 郑州 and 金水区, each session, as the
// unit's safety officer; the province's figures must count every class and school as reported.
//
// Usage: health_bench [--dir=DIR] [--json=FILE] [--schools=N] [--classes-per-school=N]
//                     [--threads=N] [--clusters=N] [--quick]
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <expected>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "health_bench_sql.hpp"
#include "measure.hpp"
#include "modules/audit/actor.hpp"
#include "modules/health/health_service.hpp"
#include "modules/org/org_seed.hpp"
#include "modules/org/org_service.hpp"
#include "platform/crypto/field_cipher.hpp"
#include "platform/db/database.hpp"
#include "school_tree.hpp"
#include "xiaoan_platform_sql.hpp"

namespace {

using xiaoan::bench::FileMib;
using xiaoan::bench::Latencies;
using xiaoan::bench::LoadAverage;
using xiaoan::bench::RemoveDatabase;

namespace fs = std::filesystem;
namespace db = xiaoan::db;
namespace org = xiaoan::org;
namespace health = xiaoan::health;
namespace sql = xiaoan::bench::sql;
using xiaoan::Principal;
using xiaoan::Role;
using Clock = std::chrono::steady_clock;

constexpr const char* kDay = "2026-11-26";  // a Thursday in term
constexpr size_t kClassesPerJob = 20000;

struct Options {
  std::string dir = ".";
  std::string json;
  int schools = 25000;
  int classes_per_school = 22;
  int threads = 64;
  int clusters = -1;         // planted 3-case clusters; default one per 1,000 classes
  double ill_percent = 1.0;  // reports carrying ill students, planted ones included
};

// The replay's clock: 07:50 for the morning checks, 12:50 for the noon checks (both before their
// deadline), on kDay in Shanghai.
class SessionClock final : public xiaoan::Clock {
 public:
  SessionClock() { Set("07:50"); }
  void Set(const std::string& hhmm) {
    now_.store(xiaoan::ParseRfc3339(fmt::format("{}T{}:00+08:00", kDay, hhmm))->time_since_epoch().count());
  }
  xiaoan::TimePoint Now() const override {
    return xiaoan::TimePoint(xiaoan::TimePoint::duration(now_.load(std::memory_order_relaxed)));
  }

 private:
  std::atomic<xiaoan::TimePoint::rep> now_{0};
};

void Check(const xiaoan::Status& s, const std::string& what) {
  if (!s) throw std::runtime_error(what + ": " + s.error().message);
}
template <class T>
T Must(xiaoan::Result<T> r, const std::string& what) {
  if (!r) throw std::runtime_error(what + ": " + r.error().message);
  return std::move(*r);
}

double MsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Bytes this process has caused to be written to the disk so far (/proc/self/io).
int64_t DiskWriteBytes() {
  std::ifstream in("/proc/self/io");
  std::string key;
  int64_t value = 0;
  while (in >> key >> value)
    if (key == "write_bytes:") return value;
  return 0;
}

// ---- the plan of the day

// A school and the unit above it (its county, or a city without counties).
struct SchoolRef {
  std::string code, path, county, county_path;
};

struct ClassRef {
  int64_t id = 0;
  int32_t enrolment = 0;
  uint32_t school = 0;  // index into the schools
};

enum class Ill { kNone, kOne, kCluster, kClusterJoin, kNotifiable };

// One report of the day: the class (index into the classes) and what it carries.
struct Report {
  uint32_t klass = 0;
  Ill ill = Ill::kNone;
};

struct Plan {
  std::vector<Report> morning, noon;
  int64_t clusters = 0, joins = 0, notifiable = 0, single = 0;
};

Plan MakePlan(size_t classes, const Options& o) {
  Plan plan;
  std::mt19937_64 rng(20261126);
  std::vector<uint32_t> order(classes);
  for (size_t i = 0; i < classes; ++i) order[i] = static_cast<uint32_t>(i);
  std::shuffle(order.begin(), order.end(), rng);
  // The first classes of a shuffled list are planted; single ill students go to the others.
  plan.clusters = o.clusters >= 0 ? o.clusters : std::max<int64_t>(1, static_cast<int64_t>(classes) / 1000);
  plan.clusters = std::min<int64_t>(plan.clusters, static_cast<int64_t>(classes) / 4);
  plan.joins = plan.clusters / 2;
  plan.notifiable = std::max<int64_t>(1, plan.clusters / 5);
  const int64_t planted = plan.clusters + plan.notifiable;
  const int64_t ill_reports = std::llround(o.ill_percent / 100.0 * 2.0 * static_cast<double>(classes));
  plan.single = std::max<int64_t>(0, ill_reports - plan.clusters - plan.joins - plan.notifiable);
  std::vector<Ill> morning(classes, Ill::kNone), noon(classes, Ill::kNone);
  for (int64_t i = 0; i < plan.clusters; ++i) {
    morning[order[static_cast<size_t>(i)]] = Ill::kCluster;
    if (i < plan.joins) noon[order[static_cast<size_t>(i)]] = Ill::kClusterJoin;
  }
  for (int64_t i = plan.clusters; i < planted; ++i) noon[order[static_cast<size_t>(i)]] = Ill::kNotifiable;
  // Single ill students: spread over the unplanted classes' 2 reports, at most one per report.
  std::uniform_int_distribution<size_t> pick(static_cast<size_t>(planted), classes - 1);
  for (int64_t n = 0; n < plan.single;) {
    const uint32_t k = order[pick(rng)];
    auto& slot = rng() % 2 ? morning[k] : noon[k];
    if (slot != Ill::kNone) continue;
    slot = Ill::kOne;
    ++n;
  }
  // Each session in an order of its own, so that planted reports come at any time.
  std::shuffle(order.begin(), order.end(), rng);
  for (uint32_t k : order) plan.morning.push_back({k, morning[k]});
  std::shuffle(order.begin(), order.end(), rng);
  for (uint32_t k : order) plan.noon.push_back({k, noon[k]});
  return plan;
}

health::CaseRecord Student(int64_t klass, int n, std::vector<health::Symptom> symptoms, bool absent) {
  health::CaseRecord c;
  c.student_no = fmt::format("{}-{:02d}", klass, n);
  c.sex = n % 2 ? "male" : "female";
  c.age = 9;
  c.symptoms = std::move(symptoms);
  c.absent = absent;
  return c;
}

health::CheckInput InputFor(const ClassRef& k, const Report& r, const std::string& session) {
  using health::Symptom;
  health::CheckInput in;
  in.class_id = k.id;
  in.date = kDay;
  in.session = session;
  in.enrolled = k.enrolment;
  in.idempotency_key = fmt::format("{}-{}", k.id, session);
  switch (r.ill) {
    case Ill::kNone:
      break;
    case Ill::kOne: {
      static constexpr Symptom kOne[] = {Symptom::kFever, Symptom::kCough,    Symptom::kDiarrhoea,
                                         Symptom::kRash,  Symptom::kHeadache, Symptom::kVomiting};
      const auto s = kOne[static_cast<size_t>(k.id) % std::size(kOne)];
      in.cases.push_back(Student(k.id, session == "morning" ? 1 : 2, {s}, k.id % 3 == 0));
      break;
    }
    case Ill::kCluster:
      in.cases.push_back(Student(k.id, 1, {Symptom::kFever}, true));
      in.cases.push_back(Student(k.id, 2, {Symptom::kFever, Symptom::kCough}, false));
      in.cases.push_back(Student(k.id, 3, {Symptom::kCough}, false));
      break;
    case Ill::kClusterJoin:
      in.cases.push_back(Student(k.id, 4, {Symptom::kFever}, true));
      break;
    case Ill::kNotifiable: {
      auto c = Student(k.id, 5, {Symptom::kRash, Symptom::kFever}, true);
      c.diagnosis = "水痘";
      c.doctor_visit = true;
      in.cases.push_back(std::move(c));
      break;
    }
  }
  for (const auto& c : in.cases) in.absent_ill += c.absent ? 1 : 0;
  in.absent_other = k.enrolment > 40 ? 1 : 0;
  in.present = in.enrolled - in.absent_ill - in.absent_other;
  return in;
}

// ---- the stack and the load

struct Stack {
  SessionClock clock;
  std::unique_ptr<db::Database> database;
  std::unique_ptr<xiaoan::audit::AuditLog> audit;
  std::unique_ptr<health::HealthService> health;

  explicit Stack(const std::string& path) {
    std::vector<std::pair<std::string, std::string>> migrations;
    for (const auto& m : db::migrations::kAll) migrations.emplace_back(std::string(m.name), std::string(m.text));
    database = Must(db::OpenSqlite({.path = path}, migrations), "open " + path);
    audit = std::make_unique<xiaoan::audit::AuditLog>("sha256", clock);
    auto cipher = Must(xiaoan::crypto::FieldCipher::FromHex(xiaoan::crypto::FieldCipher::NewHexKey(), "key"), "key");
    health = std::make_unique<health::HealthService>(*database, *audit, clock, std::move(cipher));
  }
  ~Stack() { database->Shutdown(); }
};

// The demo schools of SpreadSchools, as InsertSchools inserts them.
std::vector<SchoolRef> Schools(const std::vector<org::OrgUnit>& henan, int total) {
  std::vector<SchoolRef> out;
  for (const auto& [unit, n] : xiaoan::bench::SpreadSchools(henan, total))
    for (auto& s : org::DemoSchools(*unit, n))
      out.push_back({std::move(s.code), std::move(s.path), unit->code, unit->path});
  return out;
}

// `per_school` classes for every school, named like a primary school's (一年级1班 ...), enrolment
// 35..55, in durable jobs of about 20,000 rows.
std::vector<ClassRef> InsertClasses(db::Database& database, const std::vector<SchoolRef>& schools, int per_school) {
  static constexpr const char* kGrades[] = {"一年级", "二年级", "三年级", "四年级", "五年级", "六年级"};
  const std::string now = "2026-09-01T08:00:00+08:00";
  std::mt19937_64 rng(7);
  std::vector<ClassRef> out;
  out.reserve(schools.size() * static_cast<size_t>(per_school));
  const size_t schools_per_job = std::max<size_t>(1, kClassesPerJob / static_cast<size_t>(per_school));
  for (size_t start = 0; start < schools.size(); start += schools_per_job) {
    const size_t end = std::min(schools.size(), start + schools_per_job);
    std::vector<ClassRef> job;
    Check(database.Write([&](db::Connection& tx) -> xiaoan::Status {
      job.clear();
      for (size_t s = start; s < end; ++s) {
        for (int k = 0; k < per_school; ++k) {
          const int grade = k % 6;
          const auto enrolment = static_cast<int32_t>(35 + rng() % 21);
          auto id = tx.QueryOne(sql::kHealthBenchInsertClass,
                                {schools[s].code, int64_t{grade + 1}, fmt::format("{}{}班", kGrades[grade], k / 6 + 1),
                                 int64_t{enrolment}, now});
          if (!id) return xiaoan::Fail(id.error());
          if (!*id) return xiaoan::Fail(xiaoan::Error::Internal("insert returned no id"));
          job.push_back({(*id)->Int(0), enrolment, static_cast<uint32_t>(s)});
        }
      }
      return {};
    }),
          "insert classes");
    out.insert(out.end(), job.begin(), job.end());
  }
  return out;
}

// ---- the replay

struct SessionResult {
  std::string session;
  int64_t reports = 0, failed = 0;
  double seconds = 0;
  Latencies submit;
};

struct ReplayResult {
  std::vector<SessionResult> sessions;
  Latencies opened, joined;  // ms from the start of Submit until the county reads the warning
  Latencies warning_submit;  // of which Submit, for the same reports
  int64_t warnings_seen = 0, unreadable = 0, read_retries = 0;
  std::map<std::string, int64_t> errors;  // first words of each error -> count
  int64_t opened_reports = 0, joined_reports = 0;
};

Principal PrincipalOf(const SchoolRef& s) {
  Principal p;
  p.user_id = 2;
  p.username = "bench-principal";
  p.role = Role::kPrincipal;
  p.org_code = s.code;
  p.org_path = s.path;
  return p;
}

// A bureau's safety officer of the unit at `code` and `path`.
Principal Officer(const std::string& code, const std::string& path) {
  Principal p;
  p.user_id = 3;
  p.username = "bench-officer";
  p.role = Role::kBureauSafetyOfficer;
  p.org_code = code;
  p.org_path = path;
  return p;
}

void RunSession(Stack& s, const std::vector<SchoolRef>& schools, const std::vector<ClassRef>& classes,
                const std::vector<Report>& reports, const std::string& session, int threads, ReplayResult& out) {
  s.clock.Set(session == "morning" ? "07:50" : "12:50");
  SessionResult result;
  result.session = session;
  std::atomic<size_t> next{0};
  std::mutex mu;
  const auto start = Clock::now();
  auto worker = [&](int t) {
    Latencies submit, opened, joined, warning_submit;
    std::map<std::string, int64_t> errors;
    int64_t failed = 0, seen = 0, unreadable = 0, retries = 0;
    for (size_t i = next.fetch_add(1); i < reports.size(); i = next.fetch_add(1)) {
      const Report& r = reports[i];
      const ClassRef& k = classes[r.klass];
      const auto in = InputFor(k, r, session);
      const SchoolRef& school = schools[k.school];
      const auto p = PrincipalOf(school);
      const auto t0 = Clock::now();
      auto record = s.health->Submit(p, xiaoan::audit::ActorFor(p, fmt::format("bench-{}-{}", t, i)), in);
      const auto t1 = Clock::now();
      submit.ms.push_back(MsBetween(t0, t1));
      if (!record) {
        ++failed;
        std::string what = record.error().message;
        for (const auto& f : record.error().fields) what += " [" + f.field + "] " + f.message;
        ++errors[what.substr(0, 160)];
        continue;
      }
      if (record->warnings.empty()) continue;
      // The county reads each warning the report opened or joined, as soon as Submit answers.
      const auto officer = Officer(school.county, school.county_path);
      const auto actor = xiaoan::audit::ActorFor(officer, "bench-read");
      bool all = true;
      for (int64_t id : record->warnings) {
        bool read = false;
        for (int attempt = 0; attempt < 1000 && !read; ++attempt) {
          auto w = s.health->GetWarning(officer, actor, id);
          read = w.has_value() && w->status == "open";
          if (!read) {
            ++retries;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        }
        all = all && read;
        seen += read ? 1 : 0;
      }
      const double ms = MsBetween(t0, Clock::now());
      if (!all) {
        ++unreadable;
        continue;
      }
      (r.ill == Ill::kClusterJoin ? joined : opened).ms.push_back(ms);
      warning_submit.ms.push_back(MsBetween(t0, t1));
    }
    std::lock_guard lock(mu);
    result.submit.ms.insert(result.submit.ms.end(), submit.ms.begin(), submit.ms.end());
    out.opened.ms.insert(out.opened.ms.end(), opened.ms.begin(), opened.ms.end());
    out.joined.ms.insert(out.joined.ms.end(), joined.ms.begin(), joined.ms.end());
    out.warning_submit.ms.insert(out.warning_submit.ms.end(), warning_submit.ms.begin(), warning_submit.ms.end());
    for (const auto& [what, n] : errors) out.errors[what] += n;
    result.failed += failed;
    out.warnings_seen += seen;
    out.unreadable += unreadable;
    out.read_retries += retries;
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
  for (auto& th : pool) th.join();
  result.seconds = MsBetween(start, Clock::now()) / 1000;
  result.reports = static_cast<int64_t>(reports.size());
  out.sessions.push_back(std::move(result));
}

// ---- the bureaus' view of the day

// GetCompleteness for one unit and session after the replay, as the unit's safety officer: timed
// over `calls` calls, with the figures of the last.
struct CompletenessRun {
  std::string code, level, session;
  Latencies ms;
  int64_t classes = 0, reported = 0, schools = 0, schools_complete = 0, children = 0;
};

// The province, a city and a county (Henan, 郑州, 金水区): each session, the province 10 times, the
// others 50 (the province reads every school's slots: 25,000 schools at full size).
std::vector<CompletenessRun> TimeCompleteness(Stack& s, const std::vector<org::OrgUnit>& henan) {
  std::vector<CompletenessRun> out;
  for (const auto& [code, calls] : {std::pair<const char*, int>{"410000", 10}, {"410100", 50}, {"410105", 50}}) {
    const auto unit = std::find_if(henan.begin(), henan.end(), [&](const org::OrgUnit& u) { return u.code == code; });
    if (unit == henan.end()) throw std::runtime_error(fmt::format("no unit {} in Henan's divisions", code));
    const Principal officer = Officer(unit->code, unit->path);
    for (const char* session : {"morning", "noon"}) {
      CompletenessRun run{unit->code, std::string(org::LevelName(unit->level)), session, {}};
      for (int i = 0; i < calls; ++i) {
        const auto start = Clock::now();
        const auto c =
            Must(s.health->GetCompleteness(officer, unit->code, xiaoan::ParseDay(kDay), std::string(session)),
                 fmt::format("GetCompleteness {} {}", code, session));
        run.ms.ms.push_back(xiaoan::bench::MsSince(start));
        run.classes = c.unit.classes;
        run.reported = c.unit.reported;
        run.schools = c.unit.schools;
        run.schools_complete = c.unit.schools_complete;
        run.children = static_cast<int64_t>(c.children.size());
      }
      out.push_back(std::move(run));
    }
  }
  return out;
}

// ---- the run

struct Counts {
  int64_t reports = 0, cases = 0, warnings = 0, clusters = 0, notifiable = 0, with_four = 0, tasks = 0, absences = 0;
};

Counts CountStored(db::Database& database) {
  auto row = Must(db::ReadResult<std::optional<db::Row>>(
                      database, [](db::Connection& c) { return c.QueryOne(sql::kHealthBenchCounts, {}); }),
                  "counts");
  if (!row) throw std::runtime_error("counts: no row");
  return {row->Int(0), row->Int(1), row->Int(2), row->Int(3), row->Int(4), row->Int(5), row->Int(6), row->Int(7)};
}

struct DayResult {
  int64_t schools = 0, classes = 0;
  double load_s = 0, replay_s = 0, db_mib = 0;
  Plan plan;
  ReplayResult replay;
  Counts stored;
  std::vector<CompletenessRun> completeness;
  db::Database::Stats writer_before, writer_after;
  long rss_kb = 0, hwm_kb = 0, hwm_before_replay_kb = 0;
  int64_t disk_written = 0;  // bytes written to the disk during the replay
  int threads = 0;
  std::string load_start, load_end;

  [[nodiscard]] int64_t Reports() const {
    int64_t n = 0;
    for (const auto& s : replay.sessions) n += s.reports;
    return n;
  }
  [[nodiscard]] int64_t Failed() const {
    int64_t n = 0;
    for (const auto& s : replay.sessions) n += s.failed;
    return n;
  }
  [[nodiscard]] int64_t PlannedWarnings() const { return plan.clusters + plan.notifiable; }
  [[nodiscard]] bool WarningsMatch() const {
    return stored.warnings == PlannedWarnings() && stored.clusters == plan.clusters &&
           stored.notifiable == plan.notifiable && stored.with_four == plan.joins && replay.unreadable == 0;
  }
  // The province's completeness counts every class and school, each of them reported in both
  // sessions (when no report failed).
  [[nodiscard]] bool CompletenessMatches() const {
    if (completeness.empty()) return false;
    for (const auto& c : completeness)
      if (c.code == "410000" && (c.classes != classes || c.schools != schools ||
                                 (Failed() == 0 && (c.reported != classes || c.schools_complete != schools))))
        return false;
    return true;
  }
  [[nodiscard]] Latencies AllWarningLatencies() const {
    Latencies all = replay.opened;
    all.ms.insert(all.ms.end(), replay.joined.ms.begin(), replay.joined.ms.end());
    return all;
  }
};

DayResult Run(const Options& o) {
  DayResult out;
  out.threads = o.threads;
  out.load_start = LoadAverage();
  const std::string path = (fs::path(o.dir) / "health-bench.db").string();
  RemoveDatabase(path);
  {
    Stack s(path);
    org::OrgService orgs(*s.database, *s.audit, s.clock);
    auto t0 = Clock::now();
    (void)Must(orgs.SeedDivisions(), "SeedDivisions");
    const auto henan = Must(org::HenanDivisions(), "HenanDivisions");
    out.schools =
        Must(xiaoan::bench::InsertSchools(*s.database, xiaoan::bench::SpreadSchools(henan, o.schools)), "schools");
    const auto schools = Schools(henan, o.schools);
    if (static_cast<int64_t>(schools.size()) != out.schools)
      throw std::runtime_error(fmt::format("{} schools inserted, {} planned", out.schools, schools.size()));
    const auto classes = InsertClasses(*s.database, schools, o.classes_per_school);
    out.classes = static_cast<int64_t>(classes.size());
    out.load_s = MsBetween(t0, Clock::now()) / 1000;
    out.plan = MakePlan(classes.size(), o);
    out.hwm_before_replay_kb = xiaoan::bench::ProcStatusKb("VmHWM:");
    fmt::print("health_bench: {} schools, {} classes loaded in {:.1f} s; replaying {} reports with {} threads\n",
               out.schools, out.classes, out.load_s, 2 * classes.size(), o.threads);
    std::fflush(stdout);

    out.writer_before = s.database->GetStats();
    const int64_t written_before = DiskWriteBytes();
    t0 = Clock::now();
    RunSession(s, schools, classes, out.plan.morning, "morning", o.threads, out.replay);
    RunSession(s, schools, classes, out.plan.noon, "noon", o.threads, out.replay);
    out.replay_s = MsBetween(t0, Clock::now()) / 1000;
    out.writer_after = s.database->GetStats();
    out.disk_written = DiskWriteBytes() - written_before;
    out.stored = CountStored(*s.database);
    out.completeness = TimeCompleteness(s, henan);
    out.rss_kb = xiaoan::bench::ProcStatusKb("VmRSS:");
    out.hwm_kb = xiaoan::bench::ProcStatusKb("VmHWM:");
  }
  out.db_mib = FileMib(path) + FileMib(path + "-wal");
  out.load_end = LoadAverage();
  RemoveDatabase(path);
  return out;
}

// ---- report

void Print(const DayResult& r) {
  const auto& p = r.plan;
  const int64_t reports = r.Reports(), failed = r.Failed();
  const double commits = static_cast<double>(r.writer_after.commits - r.writer_before.commits);
  const double jobs = static_cast<double>(r.writer_after.jobs - r.writer_before.jobs);
  fmt::print(
      "\nHenan school day: {} schools (real divisions), {} classes; {} reports (morning + noon), each "
      "HealthService::Submit as the principal, one durable write, {} threads\n",
      r.schools, r.classes, reports, r.threads);
  fmt::print(
      "ill: {} reports with one ill student, {} planted clusters (3 fever/cough in the morning), {} of them a 4th "
      "at noon, {} chickenpox cases at noon = {:.2f}% of reports\n",
      p.single, p.clusters, p.joins, p.notifiable,
      100.0 * static_cast<double>(p.single + p.clusters + p.joins + p.notifiable) / std::max<int64_t>(1, reports));
  fmt::print("load {:.1f} s (divisions, schools, classes)\n", r.load_s);
  fmt::print("\n{:<8} {:>9} {:>7} {:>9} {:>10} {:>12} {:>12}\n", "session", "reports", "failed", "seconds", "reports/s",
             "Submit p50", "Submit p99");
  for (const auto& s : r.replay.sessions)
    fmt::print("{:<8} {:>9} {:>7} {:>9.1f} {:>10.0f} {:>9.2f} ms {:>9.2f} ms\n", s.session, s.reports, s.failed,
               s.seconds, static_cast<double>(s.reports) / std::max(1e-9, s.seconds), s.submit.Percentile(0.5),
               s.submit.Percentile(0.99));
  fmt::print("{:<8} {:>9} {:>7} {:>9.1f} {:>10.0f}\n", "day", reports, failed, r.replay_s,
             static_cast<double>(reports) / std::max(1e-9, r.replay_s));
  fmt::print("group commit: {:.0f} commits for {:.0f} write jobs, {:.1f} jobs per commit on average, largest {}\n",
             commits, jobs, commits > 0 ? jobs / commits : 0.0, r.writer_after.max_batch);
  fmt::print("written to the disk during the replay (WAL and checkpoints): {:.1f} GiB, {:.0f} KiB per report\n",
             static_cast<double>(r.disk_written) / (1 << 30),
             static_cast<double>(r.disk_written) / 1024 / static_cast<double>(std::max<int64_t>(1, reports)));

  const auto all = r.AllWarningLatencies();
  fmt::print(
      "\nWarning latency, ms from the start of the triggering Submit until the county reads the warning "
      "(GetWarning on a reader connection; target p99 < 100 ms)\n");
  fmt::print("{:<20} {:>7} {:>8} {:>8} {:>8}\n", "reports", "n", "p50", "p99", "max");
  for (const auto& [name, l] : {std::pair<const char*, const Latencies*>{"opening a warning", &r.replay.opened},
                                {"joining a warning", &r.replay.joined},
                                {"all", &all},
                                {"  of which Submit", &r.replay.warning_submit}})
    fmt::print("{:<20} {:>7} {:>8.2f} {:>8.2f} {:>8.2f}\n", name, l->ms.size(), l->Percentile(0.5), l->Percentile(0.99),
               l->Percentile(1.0));
  if (r.replay.unreadable || r.replay.read_retries)
    fmt::print("reads: {} warnings not readable after 1 s, {} retries\n", r.replay.unreadable, r.replay.read_retries);

  const auto& st = r.stored;
  fmt::print(
      "\nstored: {} reports, {} cases, {} illness absences, {} warnings ({} cluster_1d fever_respiratory, {} "
      "notifiable, {} with 4 cases), {} report tasks\n",
      st.reports, st.cases, st.absences, st.warnings, st.clusters, st.notifiable, st.with_four, st.tasks);
  fmt::print("planted: {} warnings ({} clusters, {} notifiable, {} joined by a 4th case): {}\n", r.PlannedWarnings(),
             p.clusters, p.notifiable, p.joins, r.WarningsMatch() ? "match" : "MISMATCH");
  if (!r.WarningsMatch())
    fmt::print(stderr,
               "health_bench: MISMATCH: {} warnings stored ({} cluster, {} notifiable, {} with 4 cases), {} "
               "planted ({} cluster, {} notifiable, {} joined), {} unreadable\n",
               st.warnings, st.clusters, st.notifiable, st.with_four, r.PlannedWarnings(), p.clusters, p.notifiable,
               p.joins, r.replay.unreadable);
  if (st.reports != reports - failed)
    fmt::print(stderr, "health_bench: MISMATCH: {} reports stored, {} answered\n", st.reports, reports - failed);
  if (failed) {
    fmt::print(stderr, "health_bench: {} reports FAILED:\n", failed);
    for (const auto& [what, n] : r.replay.errors) fmt::print(stderr, "  {} x {}\n", n, what);
  }
  fmt::print(
      "\nCompleteness of the day after the replay, ms per GetCompleteness as the unit's safety officer (a reader "
      "connection: the unit, its children, every school's classes and slots)\n");
  fmt::print("{:<22} {:<8} {:>5} {:>8} {:>8} {:>17} {:>17} {:>8}\n", "unit", "session", "calls", "p50", "p99",
             "classes reported", "schools complete", "children");
  for (const auto& c : r.completeness)
    fmt::print("{:<22} {:<8} {:>5} {:>8.1f} {:>8.1f} {:>8}/{:<8} {:>8}/{:<8} {:>8}\n",
               fmt::format("{} {}", c.code, c.level), c.session, c.ms.ms.size(), c.ms.Percentile(0.5),
               c.ms.Percentile(0.99), c.reported, c.classes, c.schools_complete, c.schools, c.children);
  fmt::print("the province's figures against the classes and schools replayed: {}\n",
             r.CompletenessMatches() ? "match" : "MISMATCH");
  if (!r.CompletenessMatches())
    fmt::print(stderr, "health_bench: MISMATCH: the province's completeness does not count every class and school\n");
  fmt::print("memory: peak resident (VmHWM) {:.0f} MiB ({:.0f} MiB before the replay), VmRSS at the end {:.0f} MiB\n",
             r.hwm_kb / 1024.0, r.hwm_before_replay_kb / 1024.0, r.rss_kb / 1024.0);
  fmt::print("database {:.0f} MiB; load average at start {}, at end {} (2 cores, shared)\n", r.db_mib, r.load_start,
             r.load_end);
}

void WriteJson(const std::string& file, const DayResult& r) {
  const auto all = r.AllWarningLatencies();
  const double commits = static_cast<double>(r.writer_after.commits - r.writer_before.commits);
  const double jobs = static_cast<double>(r.writer_after.jobs - r.writer_before.jobs);
  std::ofstream out(file);
  out << fmt::format(
      "{{\"schools\": {}, \"classes\": {}, \"threads\": {}, \"load_seconds\": {:.2f}, \"reports\": {}, \"failed\": {}, "
      "\"replay_seconds\": {:.2f}, \"reports_per_second\": {:.1f}, \"sessions\": [",
      r.schools, r.classes, r.threads, r.load_s, r.Reports(), r.Failed(), r.replay_s,
      static_cast<double>(r.Reports()) / std::max(1e-9, r.replay_s));
  for (size_t i = 0; i < r.replay.sessions.size(); ++i) {
    const auto& s = r.replay.sessions[i];
    out << (i ? ", " : "")
        << fmt::format(
               "{{\"session\": \"{}\", \"reports\": {}, \"failed\": {}, \"seconds\": {:.2f}, \"submit_p50_ms\": "
               "{:.3f}, \"submit_p99_ms\": {:.3f}}}",
               s.session, s.reports, s.failed, s.seconds, s.submit.Percentile(0.5), s.submit.Percentile(0.99));
  }
  out << fmt::format(
      "], \"commits\": {:.0f}, \"jobs_per_commit\": {:.2f}, \"max_batch\": {}, "
      "\"warning_latency_ms\": {{\"n\": {}, \"p50\": {:.3f}, \"p99\": {:.3f}, \"max\": {:.3f}, "
      "\"open_p99\": {:.3f}, \"join_p99\": {:.3f}}}, "
      "\"warnings\": {{\"stored\": {}, \"planted\": {}, \"match\": {}}}, \"ill_reports\": {}, "
      "\"disk_written_mib\": {:.0f}, \"peak_rss_mib\": {:.1f}, \"db_mib\": {:.1f}, ",
      commits, commits > 0 ? jobs / commits : 0.0, r.writer_after.max_batch, all.ms.size(), all.Percentile(0.5),
      all.Percentile(0.99), all.Percentile(1.0), r.replay.opened.Percentile(0.99), r.replay.joined.Percentile(0.99),
      r.stored.warnings, r.PlannedWarnings(), r.WarningsMatch(),
      r.plan.single + r.plan.clusters + r.plan.joins + r.plan.notifiable,
      static_cast<double>(r.disk_written) / (1 << 20), r.hwm_kb / 1024.0, r.db_mib);
  out << "\"completeness\": [";
  for (size_t i = 0; i < r.completeness.size(); ++i) {
    const auto& c = r.completeness[i];
    out << (i ? ", " : "")
        << fmt::format(
               "{{\"unit\": \"{}\", \"level\": \"{}\", \"session\": \"{}\", \"calls\": {}, \"p50_ms\": {:.3f}, "
               "\"p99_ms\": {:.3f}, \"classes\": {}, \"reported\": {}, \"schools\": {}, \"schools_complete\": {}}}",
               c.code, c.level, c.session, c.ms.ms.size(), c.ms.Percentile(0.5), c.ms.Percentile(0.99), c.classes,
               c.reported, c.schools, c.schools_complete);
  }
  out << fmt::format("], \"completeness_match\": {}}}\n", r.CompletenessMatches());
}

// The options, or the exit status once CLI11 has printed --help or the parse error. Throws
// std::runtime_error for sizes out of range.
std::expected<Options, int> ParseArgs(int argc, char** argv) {
  Options o;
  CLI::App cli{"A school day of morning and noon checks through HealthService::Submit, warning latency"};
  cli.option_defaults()->always_capture_default();
  cli.add_option("--dir", o.dir, "Folder for the database");
  cli.add_option("--json", o.json, "Write the results as JSON to this file");
  cli.add_option("--schools", o.schools, "Schools reporting");
  cli.add_option("--classes-per-school", o.classes_per_school, "Classes per school (at least 4)");
  cli.add_option("--threads", o.threads, "Threads submitting reports");
  cli.add_option("--clusters", o.clusters, "Planted 3-case clusters (-1: one per 1,000 classes)");
  cli.add_option("--ill-percent", o.ill_percent, "Percent of reports carrying ill students, planted ones included");
  bool quick = false;
  cli.add_flag("--quick", quick, "A short run: 500 schools (overrides --schools)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return std::unexpected(cli.exit(e));
  }
  if (quick) o.schools = 500;
  if (o.schools < 1 || o.classes_per_school < 4 || o.threads < 1) throw std::runtime_error("sizes must be positive");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto parsed = ParseArgs(argc, argv);
    if (!parsed) return parsed.error();
    const Options& o = *parsed;
    fs::create_directories(o.dir);
    const DayResult r = Run(o);
    Print(r);
    if (!o.json.empty()) WriteJson(o.json, r);
    return r.Failed() == 0 && r.WarningsMatch() && r.CompletenessMatches() ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "health_bench: %s\n", e.what());
    return 1;
  }
}
