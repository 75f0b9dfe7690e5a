// SQL access for the ledger and the four-100% counters. Functions take a school code the caller
// has already resolved inside its Scope (LedgerService does that in the same transaction), or a
// Scope for reads that span a subtree.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/scope.hpp"
#include "modules/audit/audit.hpp"
#include "modules/ledger/compliance.hpp"
#include "modules/ledger/ledger_types.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::ledger::store {

// ---- facts and evaluations
struct FactsQuery {
  std::string first, last;  // school codes, inclusive ("" and "~" for all)
  Day window_start, today;  // posts in [window_start, today), tests up to today
  int current_year = 2026;
  int guard_max_age = 60;
};
// The facts of every school (active or not) with a code in [first, last], in code order.
[[nodiscard]] Result<std::vector<SchoolFacts>> LoadFacts(db::Connection& c, const FactsQuery& q);
[[nodiscard]] Result<std::vector<std::string>> SchoolCodes(db::Connection& c);

struct StoredEvaluation {
  std::string code, path;
  std::array<ItemState, 4> states{};
  bool all_four = false;
  std::string reasons_json = "{}";
  std::string evaluated_at;
};
[[nodiscard]] Result<std::optional<StoredEvaluation>> GetEvaluation(db::Connection& c, const std::string& code);
[[nodiscard]] Result<std::vector<StoredEvaluation>> EvaluationsInRange(db::Connection& c, const std::string& first,
                                                                       const std::string& last);
[[nodiscard]] Status PutEvaluation(db::Connection& tx, const StoredEvaluation& e);
[[nodiscard]] Status DeleteEvaluation(db::Connection& tx, const std::string& code);
[[nodiscard]] Status AddToUnit(db::Connection& tx, const std::string& unit_code, const Contribution& delta);
[[nodiscard]] Status ClearAll(db::Connection& tx);
[[nodiscard]] Result<int64_t> CountUnitCounters(db::Connection& c);
[[nodiscard]] Status Snapshot(db::Connection& tx, Day day);
[[nodiscard]] Result<std::optional<std::string>> GetRollDay(db::Connection& c);
[[nodiscard]] Status SetRollDay(db::Connection& tx, Day day);

// ---- figures
struct Figures {
  int64_t schools = 0;
  std::array<std::pair<int64_t, int64_t>, 5> items{};  // (met, applicable) for the four items, then all four
};
struct UnitFigures {
  std::string code, name, level;
  Figures figures;
};
[[nodiscard]] Result<Figures> UnitCounters(db::Connection& c, const std::string& unit_code);
// Child units (not schools) of `parent_code` with their counters.
[[nodiscard]] Result<std::vector<UnitFigures>> ChildUnits(db::Connection& c, const std::string& parent_code);
// Active child schools of `parent_code`, each as 0/1 figures.
[[nodiscard]] Result<std::vector<UnitFigures>> ChildSchools(db::Connection& c, const std::string& parent_code);
[[nodiscard]] Figures SchoolFigures(const StoredEvaluation& e);

struct GapFilter {
  std::string item = "all_four";
  std::string locality, q;
  int64_t limit = 50, offset = 0;
};
struct GapRow {
  std::string code, name, locality, county_code, county_name;
  std::array<ItemState, 4> states{};
  std::string reasons_json, evaluated_at;
};
[[nodiscard]] Result<std::pair<std::vector<GapRow>, int64_t>> Gaps(db::Connection& c, const Scope& scope,
                                                                   const GapFilter& f);
struct TrendPoint {
  std::string day;
  Figures figures;
};
[[nodiscard]] Result<std::vector<TrendPoint>> Trend(db::Connection& c, const std::string& unit_code, Day from);

// ---- ledger records (school_code already checked)
[[nodiscard]] Result<std::vector<Guard>> Guards(db::Connection& c, const std::string& school);
[[nodiscard]] Result<std::optional<Guard>> GetGuard(db::Connection& c, const std::string& school, int64_t id);
[[nodiscard]] Result<int64_t> InsertGuard(db::Connection& tx, const Guard& g, const std::string& now);
[[nodiscard]] Status UpdateGuard(db::Connection& tx, const Guard& g, const std::string& now);

[[nodiscard]] Result<std::vector<Shift>> Shifts(db::Connection& c, const std::string& school);
[[nodiscard]] Status ReplaceShifts(db::Connection& tx, const std::string& school, const std::vector<Shift>& shifts);

[[nodiscard]] Result<std::vector<Patrol>> Patrols(db::Connection& c, const std::string& school, Day day);
[[nodiscard]] Result<int64_t> CountPatrols(db::Connection& c, const std::string& school, Day day);
[[nodiscard]] Result<int64_t> InsertPatrol(db::Connection& tx, const std::string& school, const Patrol& p, Day day,
                                           const std::string& now);

// The record a retried POST with the same Idempotency-Key created, if any.
[[nodiscard]] Result<std::optional<Patrol>> PatrolByKey(db::Connection& c, const std::string& school,
                                                        const std::string& key);
[[nodiscard]] Result<std::optional<ClosedCheck>> ClosedCheckByKey(db::Connection& c, const std::string& school,
                                                                  const std::string& key);
[[nodiscard]] Result<std::optional<AlarmTest>> AlarmTestByKey(db::Connection& c, const std::string& school,
                                                              const std::string& key);

[[nodiscard]] Result<std::vector<ClosedCheck>> ClosedChecks(db::Connection& c, const std::string& school);
[[nodiscard]] Result<int64_t> InsertClosedCheck(db::Connection& tx, const std::string& school, const ClosedCheck& k,
                                                const std::string& now);

[[nodiscard]] Result<std::vector<PostRecord>> Posts(db::Connection& c, const std::string& school, Day from, Day to);
[[nodiscard]] Result<std::optional<PostRecord>> GetPost(db::Connection& c, const std::string& school,
                                                        const std::string& day, const std::string& session);
[[nodiscard]] Status PutPost(db::Connection& tx, const std::string& school, const PostRecord& r);

[[nodiscard]] Result<std::vector<Device>> Devices(db::Connection& c, const std::string& school);
[[nodiscard]] Result<std::vector<InventoryDevice>> DeviceInventory(db::Connection& c);
[[nodiscard]] Result<std::optional<Device>> GetDevice(db::Connection& c, const std::string& school, int64_t id);
[[nodiscard]] Result<int64_t> InsertDevice(db::Connection& tx, const Device& d, const std::string& now);
[[nodiscard]] Status UpdateDevice(db::Connection& tx, const Device& d, const std::string& now);
// Whether a device other than `except_id` (0: none) holds `national_id`, in any school: a GB/T
// 28181 id names one device nationwide, so this query, unlike the others, takes no school or scope.
[[nodiscard]] Result<bool> NationalIdTaken(db::Connection& c, const std::string& national_id, int64_t except_id);

[[nodiscard]] Result<std::pair<std::vector<AlarmTest>, int64_t>> AlarmTests(db::Connection& c,
                                                                            const std::string& school, int64_t limit,
                                                                            int64_t offset);
[[nodiscard]] Result<int64_t> InsertAlarmTest(db::Connection& tx, const std::string& school, const AlarmTest& t,
                                              Day day, const std::string& now);

struct FileMeta {
  std::string id, school_code, content_type;
  int64_t size = 0;
};
[[nodiscard]] Status InsertFile(db::Connection& tx, const FileMeta& f, const std::string& by, const std::string& now);
// The file if some school inside `scope` holds it.
[[nodiscard]] Result<std::optional<FileMeta>> GetFile(db::Connection& c, const Scope& scope, const std::string& id);
[[nodiscard]] Result<bool> SchoolHasFile(db::Connection& c, const std::string& school, const std::string& id);

[[nodiscard]] Result<std::pair<std::vector<audit::Record>, int64_t>> History(db::Connection& c,
                                                                             const std::string& school, int64_t limit,
                                                                             int64_t offset);

}  // namespace xiaoan::ledger::store
