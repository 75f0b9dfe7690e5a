#include "modules/hazards/hazard_rules.hpp"

#include <algorithm>

#include "base/scope.hpp"

namespace xiaoan::hazards {
namespace {

int Depth(const std::string& path) { return static_cast<int>(std::count(path.begin(), path.end(), '/')) - 1; }

Error Refuse(const std::string& reason, const std::string& message, const std::string& field = "action") {
  Error e = Error::Conflict(field, message);
  e.reason = reason;
  return e;
}

bool IsSchoolLeader(const Principal& p, const Hazard& h) {
  if (p.org_code != h.school_code) return false;
  return p.role == Role::kPrincipal || p.role == Role::kPartySecretary || p.role == Role::kSchoolSafetyOfficer;
}

bool IsBureauOfficer(const Principal& p, const Hazard& h) {
  return (p.role == Role::kBureauSafetyOfficer || p.role == Role::kBureauAdmin) && Scope::Of(p).Contains(h.path);
}

bool IsAcceptor(const Principal& p, const Hazard& h) {
  if (p.org_code == h.school_code && (p.role == Role::kPrincipal || p.role == Role::kSchoolSafetyOfficer)) return true;
  return IsBureauOfficer(p, h);
}

}  // namespace

std::string LevelOfPath(const std::string& path) {
  switch (Depth(path)) {
    case 1:
      return "province";
    case 2:
      return "city";
    case 3:
      return "county";
    default:
      return "school";
  }
}

std::optional<std::string> NextLevel(const std::string& level, const std::string& school_path) {
  if (level == "school") return Depth(school_path) >= 4 ? "county" : "city";
  if (level == "county") return "city";
  if (level == "city") return "province";
  return std::nullopt;
}

Status MayReport(const Principal& p, const std::string& school_code, const std::string& school_path,
                 const std::string& source) {
  if (IsSchoolRole(p.role) && p.org_code == school_code) {
    if (source != "direct") return Fail(Error::Invalid("source", "The school's own staff report with source direct."));
    return {};
  }
  if ((p.role == Role::kBureauSafetyOfficer || p.role == Role::kBureauAdmin) && Scope::Of(p).Contains(school_path)) {
    if (source != "spot_check" && source != "unannounced")
      return Fail(Error::Invalid("source", "A bureau records hazards with source spot_check or unannounced."));
    return {};
  }
  return Fail(Error::Denied("The school's staff and the bureau's safety officers report hazards."));
}

Hazard ApplyPlan(Hazard h, const PlanFields& plan) {
  if (plan.responsible) h.responsible = *plan.responsible;
  if (plan.measures) h.measures = *plan.measures;
  if (plan.funds) h.funds = *plan.funds;
  if (plan.deadline) h.deadline = plan.deadline->empty() ? std::nullopt : plan.deadline;
  if (plan.contingency_plan) h.contingency_plan = *plan.contingency_plan;
  if (plan.interim_measures) h.interim_measures = *plan.interim_measures;
  return h;
}

Result<std::string> Decide(const Hazard& h, const Principal& p, const ActionInput& in) {
  const std::string& a = in.action;
  const bool school_action = a == "plan" || a == "start" || a == "fix_now" || a == "submit" || a == "explain";
  const bool acceptance = a == "accept" || a == "reject";
  if (!school_action && !acceptance && a != "supervise")
    return Fail(Error::Invalid("action", "Use plan, start, fix_now, submit, accept, reject, explain or supervise."));
  if (school_action && !IsSchoolLeader(p, h))
    return Fail(Error::Denied("The school's principal, Party secretary or safety officer takes this step."));
  if (acceptance && !IsAcceptor(p, h))
    return Fail(Error::Denied("The school's principal or safety officer, or a bureau safety officer, accepts."));
  if (a == "supervise" && !IsBureauOfficer(p, h))
    return Fail(Error::Denied("The supervising bureau's safety officer or administrator supervises."));
  if (h.state == "closed") return Fail(Refuse("invalid_transition", "The hazard is closed.", "state"));
  auto from = [&](const char* state) -> Status {
    if (h.state == state) return {};
    return Fail(Refuse("invalid_transition", "The hazard is " + h.state + "; " + a + " is not possible now.", "state"));
  };

  if (a == "plan") {
    if (h.state != "registered" && h.state != "rectifying")
      return Fail(Refuse("invalid_transition", "The plan can change while registered or rectifying.", "state"));
    // An overdue hazard stays judged against the deadline it missed.
    if (h.overdue && in.plan.deadline && (!h.deadline || *in.plan.deadline != *h.deadline))
      return Fail(Refuse("deadline_locked", "The deadline of an overdue hazard cannot move.", "deadline"));
    return h.state;
  }
  if (a == "start") {
    if (auto s = from("registered"); !s) return Fail(s.error());
    if (h.grade == "major" && !h.FiveInPlace())
      return Fail(Refuse("five_not_in_place",
                         "A major hazard needs responsible person, measures, funds, deadline and contingency plan "
                         "before work starts.",
                         "five_in_place"));
    // Henan 2021: what cannot be fixed at once gets interim measures and a deadline.
    if (!h.fixed_at_once) {
      if (h.interim_measures.empty())
        return Fail(Refuse("interim_measures_required", "Record the interim measures first.", "interim_measures"));
      if (!h.deadline) return Fail(Refuse("deadline_required", "Set the deadline first.", "deadline"));
    }
    return std::string("rectifying");
  }
  if (a == "fix_now") {
    if (auto s = from("registered"); !s) return Fail(s.error());
    if (h.grade == "major")
      return Fail(
          Refuse("major_not_fixable_at_once", "A major hazard is planned and rectified, not fixed at once.", "grade"));
    if (in.photos.empty()) return Fail(Refuse("photos_required", "Add photos of the fixed hazard.", "photos"));
    return std::string("awaiting_acceptance");
  }
  if (a == "submit") {
    if (auto s = from("rectifying"); !s) return Fail(s.error());
    if (in.photos.empty()) return Fail(Refuse("photos_required", "Add photos after the rectification.", "photos"));
    return std::string("awaiting_acceptance");
  }
  if (acceptance) {
    if (auto s = from("awaiting_acceptance"); !s) return Fail(s.error());
    if (p.username == h.found_by)
      return Fail(Refuse("same_person", "Acceptance is by someone other than the reporter.", "found_by"));
    if (a == "reject") {
      if (in.note.empty()) return Fail(Refuse("note_required", "Say what is still wrong.", "note"));
      // Back to rectifying always with a deadline: one fixed at once had none of its own.
      if (!h.deadline && !in.plan.deadline)
        return Fail(Refuse("deadline_required", "Set the deadline of the rework.", "deadline"));
      return std::string("rectifying");
    }
    return std::string("closed");
  }
  if (a == "explain") {
    if (!h.explanation_required)
      return Fail(Refuse("explanation_not_required", "No written explanation is asked for.", "explanation_required"));
    if (in.text.empty()) return Fail(Refuse("text_required", "Write the explanation.", "text"));
    return h.state;
  }
  // supervise
  if (h.supervising_level == "school" || LevelOfPath(p.org_path) != h.supervising_level)
    return Fail(Refuse("not_supervising_level", "The hazard is supervised at the " + h.supervising_level + " level.",
                       "supervising_level"));
  if (in.note.empty()) return Fail(Refuse("note_required", "Write the supervision note.", "note"));
  return h.state;
}

}  // namespace xiaoan::hazards
