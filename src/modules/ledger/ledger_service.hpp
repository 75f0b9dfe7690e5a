// The ledger module's service: a school's security ledger (read by everyone whose jurisdiction
// holds the school, written by the school's principal, Party secretary and safety officer — and
// patrols and posts also by its guards), and the four 100% kept current: every ledger write
// re-evaluates its school in the same transaction and adds the difference to the counters of the
// county, city and province above it. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/principal.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/ledger/compliance.hpp"
#include "modules/ledger/ledger_store.hpp"
#include "modules/ledger/ledger_types.hpp"
#include "modules/ledger/photo_store.hpp"
#include "modules/org/org_unit.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::ledger {

struct LedgerSettings {
  std::string guard_rule_set;  // id; "" = the default set
  ComplianceSettings compliance;
  // School days (the 护学岗 window); nullopt = the calendar shipped in data/rules/calendar.toml.
  std::optional<SchoolCalendar> calendar;
  std::string photo_dir = "var/files";
};

struct Summary {
  org::OrgUnit school;
  const GuardRuleSet* rules = nullptr;
  SchoolEvaluation evaluation;
  std::string evaluated_at;
  int64_t guards_active = 0, guards_qualified = 0, devices = 0, patrols_today = 0;
  bool can_edit = false;         // the whole ledger
  bool can_record_duty = false;  // patrols and 护学岗 posts (also the school's guards)
};

struct GatehouseSchedule {
  std::vector<Shift> shifts;
  std::vector<Gap> uncovered;
};

struct PostsView {
  bool applicable = true;
  // The 护学岗 window of the four 100%: the school days before today.
  std::vector<Day> school_days;
  // Today, when it is a school day: listed for recording, but outside the window until tomorrow
  // (in the morning the day's dismissal post cannot have happened yet).
  std::optional<Day> today;
  std::vector<PostRecord> items;
};

struct Rollup {
  org::OrgUnit unit;
  store::Figures figures;
  std::vector<store::UnitFigures> children;
};

struct ImportRow {
  int row = 0;
  std::optional<int64_t> id;
};
struct GuardImportRow : ImportRow {
  GuardFields fields;
};
struct DeviceImportRow : ImportRow {
  DeviceFields fields;
};
struct ImportCounts {
  int64_t guards_created = 0, guards_updated = 0, devices_created = 0, devices_updated = 0;
};

// Work done by a day roll or a rebuild.
struct RollStats {
  int64_t schools = 0, changed = 0, unit_rows = 0;
  bool ran = false;
};

class LedgerService {
 public:
  // Fails when `settings.guard_rule_set` names no shipped rule set.
  [[nodiscard]] static Result<std::unique_ptr<LedgerService>> Create(db::Database& db, const audit::AuditLog& audit,
                                                                     const Clock& clock, LedgerSettings settings);

  [[nodiscard]] const GuardRuleSet& rules() const { return *rules_; }
  [[nodiscard]] const PhotoStore& photos() const { return photos_; }
  [[nodiscard]] int guard_max_age() const { return settings_.compliance.guard_max_age; }

  // ---- reads: kNotFound for a school outside the caller's jurisdiction or not a school.
  [[nodiscard]] Result<Summary> GetSummary(const Principal& p, const std::string& school);
  [[nodiscard]] Result<std::vector<Guard>> Guards(const Principal& p, const std::string& school);
  [[nodiscard]] Result<GatehouseSchedule> Gatehouse(const Principal& p, const std::string& school);
  [[nodiscard]] Result<std::vector<Patrol>> Patrols(const Principal& p, const std::string& school, Day day);
  [[nodiscard]] Result<std::vector<ClosedCheck>> ClosedChecks(const Principal& p, const std::string& school);
  [[nodiscard]] Result<PostsView> Posts(const Principal& p, const std::string& school, std::optional<Day> from,
                                        std::optional<Day> to);
  [[nodiscard]] Result<std::vector<Device>> Devices(const Principal& p, const std::string& school);
  // Every active device with a national id in active schools, oldest first: what the devices module
  // expects to hear from (GB/T 28181). For start-up and timed refreshes, not for requests.
  [[nodiscard]] Result<std::vector<InventoryDevice>> DeviceInventory();
  [[nodiscard]] Result<std::pair<std::vector<AlarmTest>, int64_t>> AlarmTests(const Principal& p,
                                                                              const std::string& school, int64_t limit,
                                                                              int64_t offset);
  [[nodiscard]] Result<std::pair<std::vector<audit::Record>, int64_t>> History(const Principal& p,
                                                                               const std::string& school, int64_t limit,
                                                                               int64_t offset);
  // The photo `id` if a school in the caller's jurisdiction holds it: (content type, bytes).
  [[nodiscard]] Result<std::pair<std::string, std::string>> GetPhoto(const Principal& p, const std::string& id);

  // ---- writes: kNotFound outside the jurisdiction, kPermissionDenied for a caller who may not
  // write this school's ledger, kInvalidArgument naming the field. Posts, closed-management checks
  // and alarm tests are recorded at most 60 days late, patrols 31. An update without a field is
  // kInvalidArgument naming "body"; one that changes no value answers the record and writes nothing.
  // A device's national id is held by one device in all schools: kConflict naming national_id.
  [[nodiscard]] Result<Guard> CreateGuard(const Principal& p, const audit::Actor& a, const std::string& school,
                                          const GuardFields& f);
  [[nodiscard]] Result<Guard> UpdateGuard(const Principal& p, const audit::Actor& a, const std::string& school,
                                          int64_t id, const GuardFields& f);
  [[nodiscard]] Result<GatehouseSchedule> ReplaceGatehouse(const Principal& p, const audit::Actor& a,
                                                           const std::string& school, const std::vector<Shift>& s);
  [[nodiscard]] Result<Patrol> AddPatrol(const Principal& p, const audit::Actor& a, const std::string& school,
                                         Patrol patrol);
  [[nodiscard]] Result<ClosedCheck> AddClosedCheck(const Principal& p, const audit::Actor& a, const std::string& school,
                                                   ClosedCheck check);
  [[nodiscard]] Result<PostRecord> PutPost(const Principal& p, const audit::Actor& a, const std::string& school,
                                           PostRecord record);
  [[nodiscard]] Result<Device> CreateDevice(const Principal& p, const audit::Actor& a, const std::string& school,
                                            const DeviceFields& f);
  [[nodiscard]] Result<Device> UpdateDevice(const Principal& p, const audit::Actor& a, const std::string& school,
                                            int64_t id, const DeviceFields& f);
  [[nodiscard]] Result<AlarmTest> AddAlarmTest(const Principal& p, const audit::Actor& a, const std::string& school,
                                               AlarmTest test);
  // All rows or none; kInvalidArgument (reason "import_failed") with every problem as
  // "<sheet>!<cell>" fields and rows.
  [[nodiscard]] Result<ImportCounts> Import(const Principal& p, const audit::Actor& a, const std::string& school,
                                            const std::vector<GuardImportRow>& guards,
                                            const std::vector<DeviceImportRow>& devices);
  // Stores a photo for `school`'s ledger (ledger writers and guards, and the bureau admins and
  // safety officers over the school, for their inspections). kUnsupported types answer
  // kInvalidArgument with reason "unsupported_media_type".
  [[nodiscard]] Result<store::FileMeta> UploadPhoto(const Principal& p, const audit::Actor& a,
                                                    const std::string& school, const std::string& declared_type,
                                                    const std::string& bytes);

  // Rows of an export query (params: path lower, path upper, limit) over the subtree of `org`,
  // which must be in the caller's jurisdiction; also answers the unit.
  [[nodiscard]] Result<std::pair<org::OrgUnit, std::vector<db::Row>>> SubtreeRows(const Principal& p,
                                                                                  const std::string& org,
                                                                                  const db::Sql& sql, int64_t limit);

  // ---- the four 100%
  [[nodiscard]] Result<Rollup> FourHundred(const Principal& p, const std::string& org);
  [[nodiscard]] Result<std::pair<std::vector<store::GapRow>, int64_t>> Gaps(const Principal& p, const std::string& org,
                                                                            const store::GapFilter& f);
  // Daily snapshots from `days` days ago; today's point is the live figures.
  [[nodiscard]] Result<std::vector<store::TrendPoint>> Trend(const Principal& p, const std::string& org, int days);

  // Re-evaluates `school` inside the writer's transaction `tx` and applies the difference to the
  // counters above it (org module calls this when a school is created, edited or deactivated).
  [[nodiscard]] Status Reevaluate(db::Connection& tx, const std::string& school);
  // Once per Shanghai day: snapshots the previous day's figures, re-evaluates every school (the post
  // window and the alarm test age with the calendar) in chunks, then snapshots today's. Does
  // nothing when today has already been rolled.
  [[nodiscard]] Result<RollStats> Roll();
  // Recomputes every evaluation and counter from the ledger (start-up repair, benchmarks).
  [[nodiscard]] Result<RollStats> Rebuild();
  // Whether counters exist (false on a fresh database or after migration).
  [[nodiscard]] Result<bool> HasCounters();

  // Demo ledgers for the demo schools (deterministic; skips schools that have guards already).
  // Answers the number of schools seeded.
  [[nodiscard]] Result<int64_t> SeedDemo();

 private:
  [[nodiscard]] const SchoolCalendar& Calendar() const {
    return settings_.calendar ? *settings_.calendar : SchoolCalendar::Shipped();
  }
  LedgerService(db::Database& db, const audit::AuditLog& audit, const Clock& clock, LedgerSettings settings,
                const GuardRuleSet* rules)
      : db_(db),
        audit_(audit),
        clock_(clock),
        settings_(std::move(settings)),
        rules_(rules),
        photos_(settings_.photo_dir) {}
  [[nodiscard]] std::string Now() const { return FormatRfc3339(clock_.Now()); }
  [[nodiscard]] Day Today() const { return ShanghaiDay(clock_.Now()); }
  [[nodiscard]] store::FactsQuery FactsFor(const std::string& first, const std::string& last, Day today) const;
  // The school `code` inside the caller's jurisdiction.
  [[nodiscard]] Result<org::OrgUnit> ResolveSchool(db::Connection& c, const Principal& p,
                                                   const std::string& code) const;
  // Runs `work` in a write transaction after resolving the school and checking that `p` may write
  // (`guard_allowed`: the school's guards may too), then re-evaluates the school.
  template <class F>
  [[nodiscard]] Status WriteLedger(const Principal& p, const std::string& code, bool guard_allowed, F&& work);
  // Evaluates the chunk [first, last] inside `tx` and applies what changed. `clear` ignores stored
  // evaluations (a rebuild).
  [[nodiscard]] Status ApplyChunk(db::Connection& tx, const std::string& first, const std::string& last, Day today,
                                  RollStats& stats);
  [[nodiscard]] Result<RollStats> EvaluateAll(Day today);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  LedgerSettings settings_;
  const GuardRuleSet* rules_;
  PhotoStore photos_;
};

// Whether `p` may change the ledger of `school` (and, with `guard_allowed`, whether a guard may).
[[nodiscard]] bool CanWriteLedger(const Principal& p, const org::OrgUnit& school, bool guard_allowed);

}  // namespace xiaoan::ledger
