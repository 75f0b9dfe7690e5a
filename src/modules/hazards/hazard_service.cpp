#include "modules/hazards/hazard_service.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>
#include <set>

#include "base/scope.hpp"
#include "modules/hazards/hazard_rules.hpp"
#include "modules/ledger/ledger_store.hpp"
#include "modules/org/org_rules.hpp"
#include "modules/org/org_store.hpp"
#include "xiaoan_hazards_sql.hpp"

namespace xiaoan::hazards {
namespace q = xiaoan::hazards::sql;
using json = nlohmann::json;
using db::Opt;

namespace {

std::vector<std::string> PhotoList(const std::string& text) {
  std::vector<std::string> out;
  const auto j = json::parse(text, nullptr, false);
  if (j.is_array())
    for (const auto& p : j)
      if (p.is_string()) out.push_back(p.get<std::string>());
  return out;
}

int64_t DaysBetween(const std::string& from_day, Day to) {
  auto d = ParseDay(from_day);
  return d ? (to - *d).count() : 0;
}

Hazard FromRow(const db::Row& r, Day today) {
  Hazard h;
  h.id = r.Int(0);
  h.school_code = r.Text(1);
  h.school_name = r.Text(2);
  h.path = r.Text(3);
  h.category = r.Text(4);
  h.location = r.Text(5);
  h.description = r.Text(6);
  h.grade = r.Text(7);
  h.source = r.Text(8);
  if (!r.IsNull(9)) h.inspection_id = r.Int(9);
  h.item_code = r.OptText(10);
  h.building_grade = r.OptText(11);
  h.out_of_use = r.Int(12) != 0;
  h.fixed_at_once = r.Int(13) != 0;
  h.found_by = r.Text(14);
  h.found_at = r.Text(15);
  h.found_on = r.Text(16);
  h.photos = PhotoList(r.Text(17));
  h.state = r.Text(18);
  h.responsible = r.Text(19);
  h.measures = r.Text(20);
  h.funds = r.Text(21);
  h.deadline = r.OptText(22);
  h.contingency_plan = r.Text(23);
  h.interim_measures = r.Text(24);
  h.overdue = r.Int(25) != 0;
  h.overdue_since = r.OptText(26);
  h.supervising_level = r.Text(27);
  h.escalated_at = r.OptText(28);
  h.next_escalation_on = r.OptText(29);
  h.explanation_required = r.Int(30) != 0;
  h.explanation = r.OptText(31);
  h.accepted_by = r.OptText(32);
  h.accepted_at = r.OptText(33);
  h.closed_at = r.OptText(34);
  h.days_open = r.IsNull(35) ? DaysBetween(h.found_on, today) : r.Int(35);
  h.county_code = r.Text(36);
  h.county_name = r.Text(37);
  return h;
}

const std::set<std::string>& Categories() {
  static const std::set<std::string> s{"fire",     "building", "food",         "school_bus", "electricity", "heating",
                                       "snow_ice", "lab",      "surroundings", "drowning",   "security",    "other"};
  return s;
}

bool ValidPhotoId(const std::string& id) {
  return id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void CheckPhotoIds(const std::vector<std::string>& photos, std::vector<FieldError>& errors) {
  if (photos.size() > 9) errors.push_back({"photos", "At most 9 photos."});
  for (size_t i = 0; i < photos.size(); ++i)
    if (!ValidPhotoId(photos[i])) errors.push_back({fmt::format("photos[{}]", i), "Not a file id."});
}

Error Invalid(std::vector<FieldError> errors) {
  Error e = Error::Invalid(errors[0].field, errors[0].message);
  e.fields = std::move(errors);
  return e;
}

// Every photo must have been uploaded for the school (POST /api/v1/files?school=).
Status PhotosOfSchool(db::Connection& c, const std::string& school, const std::vector<std::string>& photos) {
  for (size_t i = 0; i < photos.size(); ++i) {
    auto has = ledger::store::SchoolHasFile(c, school, photos[i]);
    if (!has) return Fail(has.error());
    if (!*has) return Fail(Error::Invalid(fmt::format("photos[{}]", i), "Upload the photo for this school first."));
  }
  return {};
}

const char* LevelZh(const std::string& level) {
  if (level == "county") return "县级";
  if (level == "city") return "市级";
  if (level == "province") return "省级";
  return "学校";
}

json Nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace

std::string HazardJson(const Hazard& h, bool with_events) {
  json j{{"id", h.id},
         {"school_code", h.school_code},
         {"school_name", h.school_name},
         {"county_code", h.county_code},
         {"county_name", h.county_name},
         {"category", h.category},
         {"location", h.location},
         {"description", h.description},
         {"grade", h.grade},
         {"source", h.source},
         {"inspection_id", h.inspection_id ? json(*h.inspection_id) : json(nullptr)},
         {"item_code", Nullable(h.item_code)},
         {"building_grade", Nullable(h.building_grade)},
         {"out_of_use", h.out_of_use},
         {"fixed_at_once", h.fixed_at_once},
         {"found_by", h.found_by},
         {"found_at", h.found_at},
         {"photos", h.photos},
         {"state", h.state},
         {"responsible", h.responsible},
         {"measures", h.measures},
         {"funds", h.funds},
         {"deadline", Nullable(h.deadline)},
         {"contingency_plan", h.contingency_plan},
         {"interim_measures", h.interim_measures},
         {"five_in_place", h.FiveInPlace()},
         {"overdue", h.overdue},
         {"overdue_since", Nullable(h.overdue_since)},
         {"supervising_level", h.supervising_level},
         {"escalated_at", Nullable(h.escalated_at)},
         {"explanation_required", h.explanation_required},
         {"explanation", Nullable(h.explanation)},
         {"accepted_by", Nullable(h.accepted_by)},
         {"accepted_at", Nullable(h.accepted_at)},
         {"closed_at", Nullable(h.closed_at)},
         {"days_open", h.days_open}};
  if (with_events || !h.events.empty()) {
    json events = json::array();
    for (const auto& e : h.events)
      events.push_back({{"at", e.at},
                        {"by", e.by},
                        {"action", e.action},
                        {"from", Nullable(e.from)},
                        {"to", Nullable(e.to)},
                        {"note", e.note},
                        {"photos", e.photos}});
    j["events"] = std::move(events);
  }
  return j.dump();
}

void HazardService::Publish(const Hazard& h) const {
  if (publish_) publish_(h.path, "hazard.changed", HazardJson(h, false));
}

Result<Hazard> HazardService::Load(db::Connection& c, const std::string& scope_lower, int64_t id,
                                   bool with_events) const {
  const Scope scope = Scope::ForPath(scope_lower);
  auto row = c.QueryOne(q::kHazard, {id, scope.lower(), scope.upper()});
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound("The hazard"));
  Hazard h = FromRow(**row, Today());
  if (!with_events) return h;
  auto events = c.Query(q::kEvents, {id});
  if (!events) return Fail(events.error());
  for (const auto& e : *events)
    h.events.push_back({e.Text(0), e.Text(1), e.Text(2), e.OptText(3), e.OptText(4), e.Text(5), PhotoList(e.Text(6))});
  return h;
}

Result<int64_t> HazardService::RegisterIn(db::Connection& tx, const NewHazard& in, const audit::Actor& a) const {
  const TimePoint now = clock_.Now();
  std::vector<FieldError> errors;
  if (!Categories().contains(in.category)) errors.push_back({"category", "Not a hazard category."});
  // Stored trimmed; blanks only are no location or description at all.
  const std::string location = org::TrimBlanks(in.location), description = org::TrimBlanks(in.description);
  if (location.empty() || location.size() > 300) errors.push_back({"location", "1 to 100 characters."});
  if (description.empty() || description.size() > 3000) errors.push_back({"description", "1 to 1000 characters."});
  if (in.grade != "ordinary" && in.grade != "major") errors.push_back({"grade", "Use ordinary or major."});
  if (in.source != "inspection" && in.source != "direct" && in.source != "spot_check" && in.source != "unannounced")
    errors.push_back({"source", "Use inspection, direct, spot_check or unannounced."});
  if (in.building_grade) {
    if (in.category != "building")
      errors.push_back({"building_grade", "Only a building hazard has a building grade."});
    else if (*in.building_grade != "A" && *in.building_grade != "B" && *in.building_grade != "C" &&
             *in.building_grade != "D")
      errors.push_back({"building_grade", "Use A, B, C or D."});
  }
  const bool out_of_use = in.category == "building" && in.building_grade == "D";
  // A D-grade building (危房) is a major hazard whatever the reporter chose.
  const std::string grade = out_of_use ? "major" : in.grade;
  if (in.fixed_at_once && grade == "major")
    errors.push_back({"fixed_at_once", "A major hazard is planned and rectified, not fixed at once."});
  if (in.found_by.empty()) errors.push_back({"found_by", "Who found it."});
  CheckPhotoIds(in.photos, errors);
  TimePoint found = now;
  if (in.found_at) {
    auto t = ParseRfc3339(*in.found_at);
    if (!t)
      errors.push_back({"found_at", "Use RFC 3339 (2026-11-28T08:00:00+08:00) or YYYY-MM-DD."});
    else if (*t > now + std::chrono::minutes(10))
      errors.push_back({"found_at", "Cannot be in the future."});
    else if (*t < now - std::chrono::days(366))
      errors.push_back({"found_at", "At most a year ago."});
    else
      found = *t;
  }
  if (!errors.empty()) return Fail(Invalid(std::move(errors)));

  auto school = org::store::Get(tx, Scope::Everything(), in.school_code);
  if (!school) return Fail(school.error());
  if (school->level != org::Level::kSchool || !school->active)
    return Fail(Error::Invalid("school", "Not an active school."));
  if (auto s = PhotosOfSchool(tx, in.school_code, in.photos); !s) return Fail(s.error());
  const std::string found_on = FormatDay(ShanghaiDay(found));
  // What is fixed at once is fixed on the day it is found; otherwise the plan sets the deadline.
  const std::optional<std::string> deadline = in.fixed_at_once ? std::optional(found_on) : std::nullopt;
  const std::string now_s = FormatRfc3339(now);
  auto id = tx.InsertReturningId(
      q::kInsertHazard,
      {in.school_code, school->path, in.category, location, description, grade, in.source, Opt(in.inspection_id),
       Opt(in.item_code), Opt(in.building_grade), int64_t{out_of_use}, int64_t{in.fixed_at_once}, in.found_by,
       FormatRfc3339(found), found_on, json(in.photos).dump(), Opt(deadline), now_s});
  if (!id) return Fail(id.error());
  const std::string note = out_of_use ? "D级危房，立即停止使用" : "";
  if (auto e = tx.Execute(q::kInsertEvent, {*id, now_s, in.found_by, std::string("register"), nullptr,
                                            std::string("registered"), note, json(in.photos).dump()});
      !e)
    return Fail(e.error());
  if (auto s = audit_.Append(tx, {a, "hazard.register", fmt::format("hazards/{}", *id), audit::Outcome::kSuccess,
                                  fmt::format("{} {} {} via {}{}", in.school_code, in.category, grade, in.source,
                                              out_of_use ? " (D-grade building out of use)" : "")});
      !s)
    return Fail(s.error());
  return *id;
}

Result<Hazard> HazardService::Report(const Principal& p, const audit::Actor& a, NewHazard in) {
  in.found_by = p.username;
  int64_t id = 0;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto school = org::store::Get(tx, Scope::Of(p), in.school_code);
    if (!school) return Fail(school.error());
    if (school->level != org::Level::kSchool) return Fail(Error::Invalid("school", "Not a school."));
    if (auto s = MayReport(p, school->code, school->path, in.source); !s) return s;
    auto registered = RegisterIn(tx, in, a);
    if (!registered) return Fail(registered.error());
    id = *registered;
    return {};
  });
  if (!ok) return Fail(ok.error());
  auto h = db::ReadResult<Hazard>(db_, [&](db::Connection& c) { return Load(c, "/", id, true); });
  if (h) Publish(*h);
  return h;
}

Result<std::pair<std::vector<Hazard>, int64_t>> HazardService::List(const Principal& p, const HazardFilter& f) {
  using Out = std::pair<std::vector<Hazard>, int64_t>;
  std::string from, to;
  if (f.year) {
    from = fmt::format("{:04}-01-01", *f.year);
    to = fmt::format("{:04}-01-01", *f.year + 1);
  }
  const Day today = Today();
  return db::ReadResult<Out>(db_, [&](db::Connection& c) -> Result<Out> {
    auto unit = org::store::Get(c, Scope::Of(p), f.org);
    if (!unit) return Fail(unit.error());
    const Scope scope = Scope::ForPath(unit->path);
    const db::Params filter{scope.lower(),
                            scope.upper(),
                            f.state.value_or(""),
                            f.grade.value_or(""),
                            f.category.value_or(""),
                            int64_t{f.overdue_only},
                            int64_t{f.escalated_only},
                            from,
                            to};
    auto count = c.QueryOne(q::kHazardsCount, filter);
    if (!count) return Fail(count.error());
    db::Params page = filter;
    page.push_back(f.limit);
    page.push_back(f.offset);
    auto rows = c.Query(q::kHazards, page);
    if (!rows) return Fail(rows.error());
    Out out;
    for (const auto& r : *rows) out.first.push_back(FromRow(r, today));
    out.second = *count ? (*count)->Int(0) : 0;
    return out;
  });
}

Result<Hazard> HazardService::Get(const Principal& p, int64_t id) {
  return db::ReadResult<Hazard>(db_, [&](db::Connection& c) { return Load(c, p.org_path, id, true); });
}

Result<Hazard> HazardService::Act(const Principal& p, const audit::Actor& a, int64_t id, const ActionInput& in) {
  std::vector<FieldError> errors;
  if (in.plan.deadline) {
    const auto deadline = ParseDay(*in.plan.deadline);
    if (!deadline)
      errors.push_back({"deadline", "A date as YYYY-MM-DD."});
    else if (*deadline > Today() + std::chrono::days(settings_.max_deadline_days))
      errors.push_back({"deadline", fmt::format("At most {} days from today.", settings_.max_deadline_days)});
  }
  CheckPhotoIds(in.photos, errors);
  if (!errors.empty()) return Fail(Invalid(std::move(errors)));
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto h = Load(tx, p.org_path, id, false);
    if (!h) return Fail(h.error());
    auto to = Decide(*h, p, in);
    if (!to) return Fail(to.error());
    if (in.plan.deadline && *in.plan.deadline < h->found_on)
      return Fail(Error::Invalid("deadline", "Not before the day the hazard was found."));
    if (in.action == "reject" && in.plan.deadline && *in.plan.deadline < FormatDay(Today()))
      return Fail(Error::Invalid("deadline", "Not in the past."));
    if (auto s = PhotosOfSchool(tx, h->school_code, in.photos); !s) return s;
    return ApplyAction(tx, p, a, *h, in, *to);
  });
  if (!ok) return Fail(ok.error());
  auto after = db::ReadResult<Hazard>(db_, [&](db::Connection& c) { return Load(c, "/", id, true); });
  if (after) Publish(*after);
  return after;
}

Status HazardService::ApplyAction(db::Connection& tx, const Principal& p, const audit::Actor& a, const Hazard& h,
                                  const ActionInput& in, const std::string& to) const {
  const std::string now = FormatRfc3339(clock_.Now());
  std::string note = in.note;
  Result<int64_t> changed = 0;
  if (in.action == "plan") {
    const Hazard after = ApplyPlan(h, in.plan);
    changed = tx.Execute(q::kUpdatePlan, {h.id, after.responsible, after.measures, after.funds, Opt(after.deadline),
                                          after.contingency_plan, after.interim_measures, now, h.state});
    std::vector<std::string> parts;
    if (in.plan.responsible) parts.push_back("责任人：" + after.responsible);
    if (in.plan.measures) parts.push_back("整改措施：" + after.measures);
    if (in.plan.funds) parts.push_back("整改资金：" + after.funds);
    if (in.plan.deadline) parts.push_back("整改期限：" + after.deadline.value_or(""));
    if (in.plan.contingency_plan) parts.push_back("应急预案：" + after.contingency_plan);
    if (in.plan.interim_measures) parts.push_back("临时措施：" + after.interim_measures);
    note = fmt::format("{}", fmt::join(parts, "；"));
  } else if (in.action == "explain") {
    changed = tx.Execute(q::kSetExplanation, {h.id, in.text, now});
    note = in.text;
  } else if (in.action == "supervise") {
    changed = tx.Execute(q::kTouch, {h.id, now, h.state});
  } else {
    if (in.action == "reject" && in.plan.deadline) {  // the rework's deadline, set by the acceptor
      PlanFields rework;
      rework.deadline = in.plan.deadline;
      const Hazard after = ApplyPlan(h, rework);
      auto planned =
          tx.Execute(q::kUpdatePlan, {h.id, after.responsible, after.measures, after.funds, Opt(after.deadline),
                                      after.contingency_plan, after.interim_measures, now, h.state});
      if (!planned) return Fail(planned.error());
      note += "（整改期限：" + *in.plan.deadline + "）";
    }
    const int64_t days = DaysBetween(h.found_on, Today());
    changed = tx.Execute(q::kSetState, {h.id, to, now, p.username, days < 0 ? 0 : days, h.state});
  }
  if (!changed) return Fail(changed.error());
  if (*changed != 1) return Fail(Error::Conflict("state", "The hazard changed meanwhile; reload it."));
  const bool moves = to != h.state;
  if (auto e = tx.Execute(q::kInsertEvent, {h.id, now, p.username, in.action, moves ? db::Value(h.state) : nullptr,
                                            moves ? db::Value(to) : nullptr, note, json(in.photos).dump()});
      !e)
    return Fail(e.error());
  return audit_.Append(tx, {a, "hazard." + in.action, fmt::format("hazards/{}", h.id), audit::Outcome::kSuccess,
                            moves ? h.state + " → " + to : h.state});
}

Result<std::pair<org::OrgUnit, std::vector<Hazard>>> HazardService::YearRows(const Principal& p,
                                                                             const std::string& org_code, int year,
                                                                             int64_t limit) {
  using Out = std::pair<org::OrgUnit, std::vector<Hazard>>;
  const Day today = Today();
  return db::ReadResult<Out>(db_, [&](db::Connection& c) -> Result<Out> {
    auto unit = org::store::Get(c, Scope::Of(p), org_code);
    if (!unit) return Fail(unit.error());
    const Scope scope = Scope::ForPath(unit->path);
    auto rows = c.Query(q::kYearRows, {scope.lower(), scope.upper(), fmt::format("{:04}-01-01", year),
                                       fmt::format("{:04}-01-01", year + 1), limit});
    if (!rows) return Fail(rows.error());
    Out out{*unit, {}};
    for (const auto& r : *rows) out.second.push_back(FromRow(r, today));
    return out;
  });
}

// ---- the deadline job

Result<int64_t> HazardService::DeadlineBatch(bool reescalation, DeadlineRun& run) {
  const int64_t batch_size = settings_.deadline_batch;
  const TimePoint now_tp = clock_.Now();
  const Day today = ShanghaiDay(now_tp);
  const std::string now = FormatRfc3339(now_tp), today_s = FormatDay(today);
  const std::string again_s = FormatDay(today + std::chrono::days(settings_.reescalate_days));
  DeadlineRun batch;
  int64_t seen = 0;
  std::vector<int64_t> changed;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    batch = {};
    seen = 0;
    changed.clear();
    auto due = tx.Query(reescalation ? q::kDueReescalation : q::kDueOverdue, {today_s, batch_size});
    if (!due) return Fail(due.error());
    seen = static_cast<int64_t>(due->size());
    for (const auto& r : *due) {
      const int64_t id = r.Int(0);
      const std::string path = r.Text(1), level = r.Text(2);
      const auto next = NextLevel(level, path);
      const std::string to = next.value_or(level);
      // The next climb is due only while there is a level left above.
      const db::Value again = next && NextLevel(*next, path) ? db::Value(again_s) : db::Value(nullptr);
      auto u = reescalation ? tx.Execute(q::kReescalate, {id, to, now, again, level, r.Text(3)})
                            : tx.Execute(q::kMarkOverdue, {id, today_s, to, now, again, level});
      if (!u) return Fail(u.error());
      if (*u != 1) continue;
      batch.rows_touched += 1;
      if (!reescalation) {
        batch.marked += 1;
        if (auto e = tx.Execute(q::kInsertEvent, {id, now, std::string("system"), std::string("overdue"), nullptr,
                                                  nullptr, std::string("逾期未完成整改"), std::string("[]")});
            !e)
          return Fail(e.error());
        batch.rows_touched += 1;
      }
      if (next) {
        batch.escalated += 1;
        if (auto e =
                tx.Execute(q::kInsertEvent,
                           {id, now, std::string("system"), std::string("escalated"), nullptr, nullptr,
                            fmt::format("升级至{}挂牌督办，学校须作出书面说明", LevelZh(*next)), std::string("[]")});
            !e)
          return Fail(e.error());
        batch.rows_touched += 1;
      }
      changed.push_back(id);
    }
    if (changed.empty()) return {};
    // One audit record for the batch: each hazard's own step is its event above.
    batch.rows_touched += 1;
    return audit_.Append(
        tx, {audit::SystemActor("hazard-deadlines"), reescalation ? "hazard.escalate" : "hazard.overdue", "hazards",
             audit::Outcome::kSuccess, fmt::format("{} hazards: {}", changed.size(), fmt::join(changed, ","))});
  });
  if (!ok) return Fail(ok.error());
  run.marked += batch.marked;
  run.escalated += batch.escalated;
  run.rows_touched += batch.rows_touched;
  // Live consoles hear of the first few; after a mass run they reload.
  if (publish_ && changed.size() <= 200) {
    for (int64_t id : changed) {
      auto h = db::ReadResult<Hazard>(db_, [&](db::Connection& c) { return Load(c, "/", id, false); });
      if (h) Publish(*h);
    }
  }
  return seen;
}

Result<DeadlineRun> HazardService::RunDeadlines() {
  DeadlineRun run;
  for (bool reescalation : {false, true}) {
    while (true) {
      auto n = DeadlineBatch(reescalation, run);
      if (!n) return Fail(n.error());
      if (*n < settings_.deadline_batch) break;
    }
  }
  return run;
}

}  // namespace xiaoan::hazards
