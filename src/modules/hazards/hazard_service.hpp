// The hazards module's service: hazards registered from direct reports and failed inspection items;
// their workflow registered → rectifying → awaiting_acceptance → closed (rules in hazard_rules.hpp);
// the deadline job that marks overdue hazards and escalates them a level (挂牌督办); lists, the
// dashboard and the yearly ledger rows. Every write stores a hazard_events row and its audit record
// in the same transaction; nothing is deleted. Outside the caller's jurisdiction everything is
// kNotFound. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/principal.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/hazards/hazard_types.hpp"
#include "modules/org/org_unit.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::hazards {

struct HazardSettings {
  // A hazard still overdue this many days after its last climb climbs again (RULES.md "Hazards":
  // failed or overdue items stay open and escalate).
  int reescalate_days = 7;
  // Hazards per transaction of the deadline job: other writers go between its transactions.
  int deadline_batch = 1000;
  // A rectification deadline is at most this many days after today: a deadline years ahead would
  // keep a hazard from ever becoming overdue and climbing (RULES.md "Hazards": rectify by deadline,
  // overdue items escalate). A year covers the works of a major hazard across a school year.
  int max_deadline_days = 365;
};

// Called after a change is durable: (school path, event type, the hazard as JSON text).
using Publisher = std::function<void(const std::string& path, const std::string& type, const std::string& data_json)>;

class HazardService {
 public:
  HazardService(db::Database& db, const audit::AuditLog& audit, const Clock& clock, HazardSettings settings = {})
      : db_(db), audit_(audit), clock_(clock), settings_(settings) {}

  void SetPublisher(Publisher p) { publish_ = std::move(p); }

  // A hazard reported by `p` (see MayReport): kInvalidArgument naming the field (a location or
  // description of blanks, ASCII or U+3000, is empty; both are stored trimmed), kPermissionDenied,
  // kNotFound outside the jurisdiction. Answers the registered hazard.
  [[nodiscard]] Result<Hazard> Report(const Principal& p, const audit::Actor& a, NewHazard in);
  // Registers `in` inside the caller's transaction `tx` (a failed inspection item: the inspection
  // and its hazards are stored together or not at all). `in.found_by` must be set; the caller has
  // checked who may inspect. kInvalidArgument naming the field. Answers the new hazard's id.
  [[nodiscard]] Result<int64_t> RegisterIn(db::Connection& tx, const NewHazard& in, const audit::Actor& a) const;

  [[nodiscard]] Result<std::pair<std::vector<Hazard>, int64_t>> List(const Principal& p, const HazardFilter& f);
  // The hazard with its events.
  [[nodiscard]] Result<Hazard> Get(const Principal& p, int64_t id);
  // Takes one workflow action; answers the hazard after it, with its events. A refusal (see
  // Decide) writes nothing; a deadline more than `max_deadline_days` after today is
  // kInvalidArgument naming deadline.
  [[nodiscard]] Result<Hazard> Act(const Principal& p, const audit::Actor& a, int64_t id, const ActionInput& in);
  // Figures of `org` and each child unit, and the open hazards supervised at `org`'s level.
  [[nodiscard]] Result<Dashboard> GetDashboard(const Principal& p, const std::string& org);
  // The hazards of `org`'s subtree found in the Shanghai year `year` (at most `limit`), and the unit.
  [[nodiscard]] Result<std::pair<org::OrgUnit, std::vector<Hazard>>> YearRows(const Principal& p,
                                                                              const std::string& org, int year,
                                                                              int64_t limit);

  // The deadline job (timed, never on a request): marks every open hazard whose deadline is before
  // today (Asia/Shanghai, the service's clock) overdue, climbs it one level and asks the school for
  // a written explanation; climbs again those still open on their next_escalation_on. Each update
  // is conditional on what it read, so a rerun or a restart does nothing twice. Works in
  // transactions of at most `deadline_batch` hazards so that other writers are not held up.
  [[nodiscard]] Result<DeadlineRun> RunDeadlines();

  // A few demo hazards at 金水区's demo schools in different states (one overdue and escalated, one
  // D-grade building, and with `photo` — called only when seeding, answering a file id of
  // 9410105001 — one closed), once. Answers how many were added.
  [[nodiscard]] Result<int64_t> SeedDemo(const std::function<Result<std::string>()>& photo = {});

 private:
  [[nodiscard]] Result<Hazard> Load(db::Connection& c, const std::string& scope_lower, int64_t id,
                                    bool with_events) const;
  [[nodiscard]] Status ApplyAction(db::Connection& tx, const Principal& p, const audit::Actor& a, const Hazard& h,
                                   const ActionInput& in, const std::string& to) const;
  [[nodiscard]] Result<int64_t> DeadlineBatch(bool reescalation, DeadlineRun& run);
  void Publish(const Hazard& h) const;
  [[nodiscard]] Day Today() const { return ShanghaiDay(clock_.Now()); }

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  HazardSettings settings_;
  Publisher publish_;
};

// The hazard as the API and the live push show it (events only when `h.events` is not empty or
// `with_events`).
[[nodiscard]] std::string HazardJson(const Hazard& h, bool with_events);

}  // namespace xiaoan::hazards
