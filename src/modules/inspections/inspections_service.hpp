// The inspections module's service: checklist templates (shipped and a bureau's own, versioned),
// campaigns issued by a bureau to its subtree with one due row per school and round, inspections
// against a template with per-item results and photos (a failed item handed to the HazardSink in
// the same transaction), progress by child unit, and the window job that opens later rounds and
// marks missed windows. Every write carries its audit record in the same transaction.
// Jurisdiction: outside the caller's subtree everything answers kNotFound. Thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/principal.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/inspections/inspection_types.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::inspections {

// An inspection as stored, and the hazards its failed items became.
struct Recorded {
  Inspection inspection;
  std::vector<int64_t> hazard_ids;
};

class InspectionsService {
 public:
  InspectionsService(db::Database& db, const audit::AuditLog& audit, const Clock& clock)
      : db_(db), audit_(audit), clock_(clock) {}

  // Set before serving; without a sink failed items are stored without a hazard.
  void SetHazardSink(HazardSink sink) { sink_ = std::move(sink); }

  // Stores each shipped checklist whose version is newer than the stored one (start-up; a rerun
  // stores nothing). Answers how many templates were stored.
  [[nodiscard]] Result<int64_t> InstallShippedChecklists();

  // ---- checklists
  // The shipped templates and those of the caller's unit and its ancestors, newest version of each.
  [[nodiscard]] Result<std::vector<Checklist>> Checklists(const Principal& p);
  // A template with its items: shipped, or owned by a unit above, at or below the caller's.
  [[nodiscard]] Result<Checklist> GetChecklist(const Principal& p, int64_t id);
  // A bureau admin's or safety officer's template, owned by the caller's unit; the same key again is
  // its next version. Stored trimmed (TrimmedChecklist). kPermissionDenied for other roles,
  // kInvalidArgument naming the field (a name or item text of blanks only is empty).
  [[nodiscard]] Result<Checklist> CreateChecklist(const Principal& p, const audit::Actor& a, const ChecklistInput& in);

  // ---- campaigns
  // Issues a campaign to the schools under `in.org` (bureau admin or safety officer of that unit or
  // above) and creates the due rows of its current round in the same transaction (one INSERT …
  // SELECT). Its name and description are stored trimmed (org::TrimBlanks); a name of blanks only is
  // kInvalidArgument naming name. kNotFound when `org` is outside the jurisdiction.
  [[nodiscard]] Result<Campaign> CreateCampaign(const Principal& p, const audit::Actor& a, const CampaignInput& in);
  // Campaigns issued inside `org`'s subtree, or above it with a due row inside it; newest first.
  [[nodiscard]] Result<std::pair<std::vector<Campaign>, int64_t>> Campaigns(const Principal& p, const std::string& org,
                                                                            int64_t limit, int64_t offset);
  [[nodiscard]] Result<Campaign> GetCampaign(const Principal& p, int64_t id);
  // Counts of round `round` (default: the current one) under `org` (default: the campaign's unit
  // when the caller sees it, else the caller's) by child unit, and the schools that missed it.
  [[nodiscard]] Result<CampaignProgress> Progress(const Principal& p, int64_t id, std::optional<std::string> org,
                                                  std::optional<int64_t> round);

  // ---- dues and inspections
  // The school's open dues and those due in the last 30 days, each saying whether its window has
  // yet to open (upcoming).
  [[nodiscard]] Result<std::vector<Due>> Dues(const Principal& p, const std::string& school);
  // Records an inspection. School staff (principal, Party secretary, safety officer) inspect their
  // own school (campaign, self); bureau admins and safety officers over the school record spot
  // checks and unannounced visits. With `in.idempotency_key`, a retry of the same request answers
  // the first result (a different request under the same key: kInvalidArgument, reason
  // idempotency_key_reused). Bad input: kInvalidArgument naming every field, nothing written.
  [[nodiscard]] Result<Recorded> Record(const Principal& p, const audit::Actor& a, const InspectionInput& in);
  [[nodiscard]] Result<std::pair<std::vector<Inspection>, int64_t>> Inspections(const Principal& p,
                                                                                const InspectionFilter& f);
  [[nodiscard]] Result<Inspection> GetInspection(const Principal& p, int64_t id);

  // The window job (every minute; idempotent): creates the due rows of every round that has opened
  // by `today`, and marks missed every open row whose due day is before `today`.
  [[nodiscard]] Result<WindowStats> RunWindows(Day today);

  // The demo: one county campaign from 410105 (冬季安全大检查, winter heating) unless it exists.
  // Answers whether it was created.
  [[nodiscard]] Result<bool> SeedDemo();

 private:
  [[nodiscard]] Day Today() const { return ShanghaiDay(clock_.Now()); }
  [[nodiscard]] Result<Checklist> LoadChecklist(db::Connection& c, int64_t id, bool with_items) const;
  // The campaign; its totals (a count over every due row) only `with_totals`.
  [[nodiscard]] Result<Campaign> LoadCampaign(db::Connection& c, int64_t id, Day today, std::string* org_path,
                                              bool with_totals = true) const;
  // The campaign if `path`'s unit sees it (issued inside it, or above it with a due row inside it).
  [[nodiscard]] Result<Campaign> VisibleCampaign(db::Connection& c, int64_t id, const std::string& path,
                                                 std::string* org_path, bool with_totals = true) const;
  [[nodiscard]] Result<Inspection> LoadInspection(db::Connection& c, const std::string& scope_path, int64_t id) const;
  [[nodiscard]] Result<Recorded> Replay(db::Connection& c, int64_t id) const;
  [[nodiscard]] Result<int64_t> Issue(db::Connection& tx, const audit::Actor& a, const CampaignInput& in,
                                      const std::string& org_path, const std::vector<Round>& rounds, Day today);

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  HazardSink sink_;
};

}  // namespace xiaoan::inspections
