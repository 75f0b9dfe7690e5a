// The rules of a hazard's life, pure: who may report one, which action may follow which state for
// whom, and how an overdue hazard climbs. RULES.md "Hazards" and decision 0012.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "base/principal.hpp"
#include "modules/hazards/hazard_types.hpp"

namespace xiaoan::hazards {

// The level of a bureau unit from its path's depth: /410000/ province, /410000/410100/ city,
// /410000/410100/410105/ county; "school" for anything deeper.
[[nodiscard]] std::string LevelOfPath(const std::string& path);

// The level that supervises an overdue hazard after `level`, for a school at `school_path`:
// school → county → city → province; a school directly under a city (济源) skips the county.
// nullopt at the province (it never climbs above).
[[nodiscard]] std::optional<std::string> NextLevel(const std::string& level, const std::string& school_path);

// Whether `p` may report a hazard at the school (`school_code`, `school_path`) with `source`: any
// of the school's own staff report "direct"; bureau safety officers and administrators whose
// jurisdiction holds the school record "spot_check" and "unannounced". kPermissionDenied for the
// wrong role, kInvalidArgument (field "source") for a source the caller may not use.
[[nodiscard]] Status MayReport(const Principal& p, const std::string& school_code, const std::string& school_path,
                               const std::string& source);

// Decides `in.action` on `h` (in the caller's jurisdiction) by `p`. Answers the state after it, or
// the refusal:
// - kPermissionDenied (reason "forbidden"): the role may not take this action here. School leaders
//   (principal, Party secretary, school safety officer of the school) plan, start, fix_now, submit
//   and explain; the school's principal or safety officer, or a bureau safety officer or admin with
//   jurisdiction, accept and reject; the bureau at the supervising level supervises.
// - kConflict with a stable reason: invalid_transition (not from this state), five_not_in_place
//   (a major hazard starting without responsible person, measures, funds, deadline and
//   contingency plan), interim_measures_required and deadline_required (starting anything not
//   fixed at once), major_not_fixable_at_once (fix_now on a major hazard), photos_required (fix_now
//   and submit need photos after), same_person (the reporter accepts or rejects), note_required
//   (reject and supervise), text_required (explain), explanation_not_required,
//   not_supervising_level, deadline_locked (moving the deadline of an overdue hazard).
// `in.plan` fields are checked for form by the caller; the rules look only at their presence.
[[nodiscard]] Result<std::string> Decide(const Hazard& h, const Principal& p, const ActionInput& in);

// The hazard as `plan` leaves it (fields present in `plan` replace the hazard's).
[[nodiscard]] Hazard ApplyPlan(Hazard h, const PlanFields& plan);

}  // namespace xiaoan::hazards
