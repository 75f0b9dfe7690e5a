#include "modules/alarms/alarms_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "base/scope.hpp"
#include "modules/accounts/password.hpp"
#include "modules/alarms/alarm_rules.hpp"
#include "modules/org/org_store.hpp"
#include "platform/log/log.hpp"
#include "xiaoan_alarms_sql.hpp"

namespace xiaoan::alarms {
namespace q = xiaoan::alarms::sql;
using json = nlohmann::json;

namespace {

using db::Opt;

Alarm AlarmFromRow(const db::Row& r) {
  Alarm a;
  a.id = r.Int(0);
  a.school_code = r.Text(1);
  a.school_name = r.Text(2);
  a.path = r.Text(3);
  a.source = r.Text(4);
  a.device_id = r.OptText(5);
  a.kind = r.Text(6);
  a.priority = r.Int(7);
  a.pressed_at = r.Text(8);
  a.received_at = r.Text(9);
  a.location = r.Text(10);
  a.description = r.Text(11);
  a.status = r.Text(12);
  a.level = r.Text(13);
  a.escalate_at = r.OptText(14);
  a.acknowledged_at = r.OptText(15);
  a.acknowledged_by = r.OptText(16);
  a.dispatched_at = r.OptText(17);
  a.on_scene_at = r.OptText(18);
  a.closed_at = r.OptText(19);
  a.outcome = r.OptText(20);
  a.raised_by = r.Text(21);
  a.raised_by_name = r.OptText(22);
  // The county is the third segment of /province/city/county/school/.
  std::vector<std::string> parts;
  size_t start = 1;
  while (start < a.path.size()) {
    const size_t end = a.path.find('/', start);
    if (end == std::string::npos) break;
    parts.push_back(a.path.substr(start, end - start));
    start = end + 1;
  }
  if (parts.size() >= 2) a.county_code = parts[parts.size() - 2];
  return a;
}

json Nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

Status ValidateInput(const RaiseInput& in, TimePoint now, const AlarmSettings& settings) {
  std::vector<FieldError> errors;
  if (in.kind != "real" && in.kind != "test" && in.kind != "drill")
    errors.push_back({"kind", "Use real, test or drill."});
  if (in.priority < 1 || in.priority > 4) errors.push_back({"priority", "1 (highest) to 4."});
  if (in.pressed_at) {
    auto t = ParseRfc3339(*in.pressed_at);
    if (!t)
      errors.push_back({"pressed_at", "A time as RFC 3339."});
    else if (*t > now + std::chrono::minutes(10))
      errors.push_back({"pressed_at", "Cannot be in the future."});
    else if (*t < now - std::chrono::hours(settings.pressed_at_max_age_hours))
      errors.push_back({"pressed_at", fmt::format("At most {} hours ago.", settings.pressed_at_max_age_hours)});
  }
  if (in.device_id &&
      (in.device_id->size() != 20 || in.device_id->find_first_not_of("0123456789") != std::string::npos))
    errors.push_back({"device_id", "A national device id has 20 digits."});
  if (in.dedup_key && (in.dedup_key->empty() || in.dedup_key->size() > 100))
    errors.push_back({"event_id", "1 to 100 characters."});
  if (errors.empty()) return {};
  Error e = Error::Invalid(errors[0].field, errors[0].message);
  e.fields = errors;
  return Fail(e);
}

}  // namespace

std::string AlarmJson(const Alarm& a) {
  json steps = json::array();
  for (const auto& s : a.steps) steps.push_back({{"step", s.step}, {"at", s.at}, {"by", s.by}, {"note", s.note}});
  json j{{"id", a.id},
         {"school", {{"code", a.school_code}, {"name", a.school_name}}},
         {"county_code", a.county_code},
         {"source", a.source},
         {"device_id", Nullable(a.device_id)},
         {"kind", a.kind},
         {"priority", a.priority},
         {"pressed_at", a.pressed_at},
         {"received_at", a.received_at},
         {"location", a.location},
         {"description", a.description},
         {"status", a.status},
         {"level", a.level},
         {"escalate_at", Nullable(a.escalate_at)},
         {"acknowledged_at", Nullable(a.acknowledged_at)},
         {"acknowledged_by", Nullable(a.acknowledged_by)},
         {"dispatched_at", Nullable(a.dispatched_at)},
         {"on_scene_at", Nullable(a.on_scene_at)},
         {"closed_at", Nullable(a.closed_at)},
         {"outcome", Nullable(a.outcome)},
         {"raised_by", a.raised_by},
         {"raised_by_name", Nullable(a.raised_by_name)}};
  if (!a.steps.empty()) j["steps"] = steps;
  return j.dump();
}

void AlarmsService::Publish(const Alarm& alarm, const std::string& type) const {
  if (publish_) publish_(alarm.path, type, AlarmJson(alarm));
}

Result<Alarm> AlarmsService::Load(db::Connection& c, const std::string& scope_lower, int64_t id) const {
  const Scope scope = Scope::ForPath(scope_lower);
  auto row = c.QueryOne(q::kAlarm, {id, scope.lower(), scope.upper()});
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound("The alarm"));
  Alarm a = AlarmFromRow(**row);
  auto steps = c.Query(q::kSteps, {id});
  if (!steps) return Fail(steps.error());
  for (const auto& s : *steps) a.steps.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3)});
  return a;
}

Result<Alarm> AlarmsService::Store(const std::string& source, const std::optional<std::string>& source_ref,
                                   const std::string& raised_by, const audit::Actor& actor, const RaiseInput& in) {
  const TimePoint now_tp = clock_.Now();
  if (auto s = ValidateInput(in, now_tp, settings_); !s) return Fail(s.error());
  const std::string now = FormatRfc3339(now_tp);
  int64_t id = 0;
  bool fresh = true;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto school = org::store::Get(tx, Scope::Everything(), in.school_code);
    if (!school) return Fail(school.error());
    if (school->level != org::Level::kSchool || !school->active)
      return Fail(Error::Invalid("school", "Not an active school."));
    if (in.dedup_key) {
      auto prev = tx.QueryOne(q::kAlarmByDedup, {in.school_code, source, *in.dedup_key});
      if (!prev) return Fail(prev.error());
      if (*prev) {
        const db::Row& first = **prev;
        // A phone's retry sends what it sent before; another alarm under the same key is a client
        // bug that must not be answered with the first alarm as if it were this one.
        if (source == "button" && (first.Text(1) != in.kind || first.Int(2) != in.priority ||
                                   first.Text(3) != in.location || first.Text(4) != in.description)) {
          Error e = Error::Invalid("Idempotency-Key",
                                   "This key was used for a different alarm; a retry must send the same one.");
          e.reason = "idempotency_key_reused";
          return Fail(e);
        }
        id = first.Int(0);
        fresh = false;
        return {};
      }
    }
    // An alarm host names a device of its own school's ledger; GB/T 28181 devices come from the
    // ledger's inventory already.
    if (source == "ingest" && in.device_id) {
      auto device = tx.QueryOne(q::kSchoolDevice, {in.school_code, *in.device_id});
      if (!device) return Fail(device.error());
      if (!*device) return Fail(Error::Invalid("device_id", "Not a device in this school's ledger."));
    }
    // Only real alarms climb; tests and drills are labelled and never escalate.
    std::optional<std::string> escalate;
    if (in.kind == "real") escalate = FormatRfc3339(now_tp + std::chrono::seconds(settings_.escalate_seconds));
    auto inserted =
        tx.InsertReturningId(q::kInsertAlarm, {in.school_code, school->path, source, Opt(source_ref), Opt(in.dedup_key),
                                               Opt(in.device_id), in.kind, in.priority, in.pressed_at.value_or(now),
                                               now, in.location, in.description, Opt(escalate), raised_by});
    if (!inserted) return Fail(inserted.error());
    id = *inserted;
    if (auto r = tx.Execute(q::kInsertStep, {id, std::string("raised"), now, raised_by, in.description}); !r)
      return Fail(r.error());
    return audit_.Append(tx, {actor, "alarm.raise", fmt::format("alarms/{}", id), audit::Outcome::kSuccess,
                              fmt::format("{} {} p{} via {}", in.school_code, in.kind, in.priority, source)});
  });
  if (!ok) return Fail(ok.error());
  auto alarm = db::ReadResult<Alarm>(db_, [&](db::Connection& c) { return Load(c, "/", id); });
  if (alarm && fresh) Publish(*alarm, "alarm.raised");
  return alarm;
}

Result<Alarm> AlarmsService::Raise(const Principal& p, const audit::Actor& a, RaiseInput in) {
  if (!MayRaise(p, in.school_code)) {
    // Outside the caller's jurisdiction the school does not exist (404); inside it, only the
    // school's own staff press its button (403).
    auto visible = db::ReadResult<org::OrgUnit>(
        db_, [&](db::Connection& c) { return org::store::Get(c, Scope::Of(p), in.school_code); });
    if (!visible) return Fail(visible.error());
    return Fail(Error::Denied("Only the school's own staff raise its alarm."));
  }
  // dedup_key here is the Idempotency-Key of a phone that may retry (one alarm per key).
  return Store("button", std::nullopt, p.username, a, in);
}

Result<Alarm> AlarmsService::Ingest(const std::string& key, RaiseInput in) {
  const Error refused{ErrorCode::kUnauthenticated, "The alarm source key is not valid.", "bad_source_key", {}, {}};
  const size_t dot = key.find('.');
  if (dot == std::string::npos || dot == 0 || dot > 18 ||
      key.substr(0, dot).find_first_not_of("0123456789") != std::string::npos)
    return Fail(refused);
  const int64_t source_id = std::stoll(key.substr(0, dot));
  auto source = db::ReadResult<std::optional<db::Row>>(db_, [&](db::Connection& c) -> Result<std::optional<db::Row>> {
    return c.QueryOne(q::kSourceById, {source_id});
  });
  if (!source) return Fail(source.error());
  if (!*source || !(*source)->IsNull(4) || accounts::Sha256Hex(key.substr(dot + 1)) != (*source)->Text(3))
    return Fail(refused);
  in.school_code = (*source)->Text(1);
  const std::string ref = fmt::format("source:{}", source_id);
  audit::Actor actor{0, ref, "alarm_source", in.school_code, ""};
  auto alarm = Store("ingest", ref, ref, actor, in);
  if (alarm) {
    (void)db_.Write([&](db::Connection& tx) -> Status {
      auto r = tx.Execute(q::kTouchSource, {source_id, FormatRfc3339(clock_.Now())});
      if (!r) return Fail(r.error());
      return {};
    });
  }
  return alarm;
}

Result<Alarm> AlarmsService::RaiseFromDevice(RaiseInput in) {
  const std::string ref = "device:" + in.device_id.value_or("");
  audit::Actor actor{0, ref, "gb28181", in.school_code, ""};
  return Store("gb28181", ref, ref, actor, in);
}

Result<Alarm> AlarmsService::Advance(const Principal& p, const audit::Actor& a, int64_t id, const std::string& to,
                                     const std::string& note, const std::optional<std::string>& outcome) {
  if (StepRank(to) <= 0) return Fail(Error::Invalid("status", "Use acknowledged, dispatched, on_scene or closed."));
  const std::string now = FormatRfc3339(clock_.Now());
  Alarm before;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto cur = Load(tx, p.org_path, id);
    if (!cur) return Fail(cur.error());
    before = *cur;
    // A guard or other school staff may close (only close) their own school's test or drill.
    const bool own_exercise =
        to == "closed" && before.kind != "real" && IsSchoolRole(p.role) && p.org_code == before.school_code;
    if (!MayHandle(p, before.path) && !own_exercise)
      return Fail(Error::Denied("The school's leaders and the bureau's duty officers handle alarms."));
    if (!MayAdvance(before.status, to)) {
      Error e = Error::Conflict("status", fmt::format("The alarm is {}; it cannot become {}.", before.status, to));
      e.reason = "alarm_step_out_of_order";
      return Fail(e);
    }
    if (to == "closed") {
      if (!outcome) return Fail(Error::Invalid("outcome", "Say how the alarm ended."));
      if (!OutcomeFits(before.kind, *outcome))
        return Fail(Error::Invalid("outcome", before.kind == "real"   ? "A real alarm ends handled or false_alarm."
                                              : before.kind == "test" ? "A test ends test_passed or test_failed."
                                                                      : "A drill ends drill_done."));
    }
    auto r = tx.Execute(q::kAdvance, {id, to, now, p.username, Opt(outcome), before.status});
    if (!r) return Fail(r.error());
    if (*r != 1) return Fail(Error::Conflict("status", "The alarm changed meanwhile; reload it."));
    if (auto s = tx.Execute(q::kInsertStep, {id, to, now, p.username, note}); !s) return Fail(s.error());
    return audit_.Append(tx, {a, "alarm." + to, fmt::format("alarms/{}", id), audit::Outcome::kSuccess,
                              fmt::format("{} → {}{}", before.status, to, outcome ? " (" + *outcome + ")" : "")});
  });
  if (!ok) return Fail(ok.error());
  auto after = db::ReadResult<Alarm>(db_, [&](db::Connection& c) { return Load(c, "/", id); });
  if (!after) return after;
  Publish(*after, "alarm.updated");
  // The closing step stands whatever the ledger answers; a failure is logged for the operator.
  if (after->status == "closed" && after->kind == "test" && record_test_) {
    if (auto s = record_test_(*after); !s)
      log::Event(log::Level::kWarn, "alarm.ledger_test", {{"alarm", id}, {"error", s.error().message}});
  }
  return after;
}

Result<std::pair<std::vector<Alarm>, int64_t>> AlarmsService::List(const Principal& p, const AlarmFilter& f) {
  using Out = std::pair<std::vector<Alarm>, int64_t>;
  auto range = DayRangeRfc3339(f.from, f.to);
  if (!range) return Fail(range.error());
  const std::string &from = range->first, &to = range->second;
  return db::ReadResult<Out>(db_, [&](db::Connection& c) -> Result<Out> {
    auto unit = org::store::Get(c, Scope::Of(p), f.org);
    if (!unit) return Fail(unit.error());
    const Scope scope = Scope::ForPath(unit->path);
    const db::Params filter{scope.lower(), scope.upper(), f.status.value_or(""), f.kind.value_or(""), from, to};
    auto count = c.QueryOne(q::kAlarmsCount, filter);
    if (!count) return Fail(count.error());
    db::Params page = filter;
    page.push_back(f.limit);
    page.push_back(f.offset);
    auto rows = c.Query(q::kAlarms, page);
    if (!rows) return Fail(rows.error());
    Out out;
    for (const auto& r : *rows) out.first.push_back(AlarmFromRow(r));
    out.second = *count ? (*count)->Int(0) : 0;
    return out;
  });
}

Result<Alarm> AlarmsService::Get(const Principal& p, int64_t id) {
  return db::ReadResult<Alarm>(db_, [&](db::Connection& c) { return Load(c, p.org_path, id); });
}

Result<int64_t> AlarmsService::EscalateDue() {
  const TimePoint now_tp = clock_.Now();
  const std::string now = FormatRfc3339(now_tp);
  std::vector<int64_t> climbed;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto due = tx.Query(q::kDueEscalations, {now});
    if (!due) return Fail(due.error());
    for (const auto& r : *due) {
      const auto next = NextLevel(r.Text(1));
      std::optional<std::string> again;
      if (next && NextLevel(*next)) again = FormatRfc3339(now_tp + std::chrono::seconds(settings_.escalate_seconds));
      auto u = tx.Execute(q::kEscalate, {r.Int(0), next.value_or(r.Text(1)), Opt(again), r.Text(1)});
      if (!u) return Fail(u.error());
      if (!next || *u != 1) continue;
      if (auto s = tx.Execute(q::kInsertStep, {r.Int(0), std::string("escalated"), now, std::string("system"),
                                               fmt::format("无人确认，升级至{}", *next == "city" ? "市级" : "省级")});
          !s)
        return Fail(s.error());
      if (auto s = audit_.Append(
              tx, {audit::SystemActor("alarm-escalation"), "alarm.escalate", fmt::format("alarms/{}", r.Int(0)),
                   audit::Outcome::kSuccess, r.Text(1) + " → " + *next});
          !s)
        return s;
      climbed.push_back(r.Int(0));
    }
    return {};
  });
  if (!ok) return Fail(ok.error());
  for (int64_t id : climbed) {
    auto a = db::ReadResult<Alarm>(db_, [&](db::Connection& c) { return Load(c, "/", id); });
    if (a) Publish(*a, "alarm.escalated");
  }
  return static_cast<int64_t>(climbed.size());
}

Result<AlarmStats> AlarmsService::Stats(const Principal& p, const std::string& org_code, Day from, Day to) {
  if (to < from) return Fail(Error::Invalid("to", "Not before from."));
  if (to - from > std::chrono::days(366)) return Fail(Error::Invalid("from", "At most a year at a time."));
  return db::ReadResult<AlarmStats>(db_, [&](db::Connection& c) -> Result<AlarmStats> {
    auto unit = org::store::Get(c, Scope::Of(p), org_code);
    if (!unit) return Fail(unit.error());
    const Scope scope = Scope::ForPath(unit->path);
    AlarmStats out{FormatDay(from), FormatDay(to), {unit->code, unit->name, org::LevelName(unit->level)}, {}};
    std::vector<std::string> prefixes;
    if (unit->level != org::Level::kSchool) {
      auto kids = org::store::Children(c, scope, org_code, {1, 100000});
      if (!kids) return Fail(kids.error());
      for (const auto& k : kids->items) {
        if (!k.active) continue;
        prefixes.push_back(k.path);
        out.children.push_back({k.code, k.name, org::LevelName(k.level)});
      }
    }
    auto figures_of = [&](const std::string& path) -> UnitAlarmFigures* {
      for (size_t i = 0; i < prefixes.size(); ++i)
        if (path.starts_with(prefixes[i])) return &out.children[i];
      return nullptr;
    };
    auto rows = c.Query(q::kStatsEvents, {scope.lower(), scope.upper(), FormatRfc3339(StartOfShanghaiDay(from)),
                                          FormatRfc3339(StartOfShanghaiDay(to + std::chrono::days(1)))});
    if (!rows) return Fail(rows.error());
    std::map<UnitAlarmFigures*, std::set<std::string>> tested;
    std::map<UnitAlarmFigures*, std::vector<double>> acks;
    for (const auto& r : *rows) {
      for (UnitAlarmFigures* f : {&out.unit, figures_of(r.Text(0))}) {
        if (!f) continue;
        const std::string kind = r.Text(2);
        const auto outcome = r.OptText(3);
        if (kind == "real") {
          f->real += 1;
          if (outcome == "false_alarm") f->false_alarms += 1;
          if (!r.IsNull(5)) {
            auto t0 = ParseRfc3339(r.Text(4)), t1 = ParseRfc3339(r.Text(5));
            if (t0 && t1) acks[f].push_back(std::chrono::duration<double>(*t1 - *t0).count());
          }
        } else if (kind == "test") {
          f->tests += 1;
          if (outcome == "test_passed") tested[f].insert(r.Text(1));
        } else {
          f->drills += 1;
        }
      }
    }
    // Schools per unit: the denominator of test coverage.
    auto finish = [&](UnitAlarmFigures& f, const std::string& path) -> Status {
      if (f.level == "school") {
        f.schools = 1;
      } else {
        auto n = org::store::GetStats(c, Scope::ForPath(path), f.code);
        if (!n) return Fail(n.error());
        f.schools = n->schools;
      }
      f.schools_tested = static_cast<int64_t>(tested[&f].size());
      if (f.real > 0) f.false_rate = static_cast<double>(f.false_alarms) / static_cast<double>(f.real);
      if (f.schools > 0) f.test_coverage = static_cast<double>(f.schools_tested) / static_cast<double>(f.schools);
      auto& v = acks[&f];
      if (!v.empty()) {
        std::sort(v.begin(), v.end());
        const size_t n = v.size();
        f.ack_p50_seconds = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
      }
      return {};
    };
    if (auto s = finish(out.unit, unit->path); !s) return Fail(s.error());
    for (size_t i = 0; i < out.children.size(); ++i)
      if (auto s = finish(out.children[i], prefixes[i]); !s) return Fail(s.error());
    return out;
  });
}

Result<AlarmSource> AlarmsService::CreateSource(const Principal& p, const audit::Actor& a, const std::string& school,
                                                const std::string& name) {
  if (name.empty() || name.size() > 100) return Fail(Error::Invalid("name", "1 to 100 characters."));
  AlarmSource out;
  const std::string secret = accounts::RandomToken(24);
  const std::string now = FormatRfc3339(clock_.Now());
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto unit = org::store::Get(tx, Scope::Of(p), school);
    if (!unit) return Fail(unit.error());
    if (unit->level != org::Level::kSchool) return Fail(Error::NotFound("The school"));
    if (!MayHandle(p, unit->path) || p.role == Role::kBureauSafetyOfficer)
      return Fail(Error::Denied("The school's principal or safety officer, or a bureau admin, adds alarm sources."));
    auto id = tx.InsertReturningId(q::kInsertSource,
                                   {school, unit->path, name, accounts::Sha256Hex(secret), p.username, now});
    if (!id) return Fail(id.error());
    out =
        AlarmSource{*id, school, name, p.username, now, std::nullopt, std::nullopt, fmt::format("{}.{}", *id, secret)};
    return audit_.Append(tx, {a, "alarm.source.create", fmt::format("alarm-sources/{}", *id), audit::Outcome::kSuccess,
                              school + " " + name});
  });
  if (!ok) return Fail(ok.error());
  return out;
}

Result<std::vector<AlarmSource>> AlarmsService::Sources(const Principal& p, const std::string& school) {
  return db::ReadResult<std::vector<AlarmSource>>(db_, [&](db::Connection& c) -> Result<std::vector<AlarmSource>> {
    auto unit = org::store::Get(c, Scope::Of(p), school);
    if (!unit) return Fail(unit.error());
    if (unit->level != org::Level::kSchool) return Fail(Error::NotFound("The school"));
    auto rows = c.Query(q::kSources, {school});
    if (!rows) return Fail(rows.error());
    std::vector<AlarmSource> out;
    for (const auto& r : *rows)
      out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.OptText(5), r.OptText(6), std::nullopt});
    return out;
  });
}

Result<AlarmSource> AlarmsService::RevokeSource(const Principal& p, const audit::Actor& a, const std::string& school,
                                                int64_t id) {
  const std::string now = FormatRfc3339(clock_.Now());
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto unit = org::store::Get(tx, Scope::Of(p), school);
    if (!unit) return Fail(unit.error());
    if (!MayHandle(p, unit->path) || p.role == Role::kBureauSafetyOfficer)
      return Fail(Error::Denied("The school's principal or safety officer, or a bureau admin, revokes alarm sources."));
    auto r = tx.Execute(q::kRevokeSource, {id, school, now});
    if (!r) return Fail(r.error());
    if (*r != 1) return Fail(Error::NotFound("The alarm source"));
    return audit_.Append(
        tx, {a, "alarm.source.revoke", fmt::format("alarm-sources/{}", id), audit::Outcome::kSuccess, school});
  });
  if (!ok) return Fail(ok.error());
  auto list = Sources(p, school);
  if (!list) return Fail(list.error());
  for (const auto& s : *list)
    if (s.id == id) return s;
  return Fail(Error::NotFound("The alarm source"));
}

}  // namespace xiaoan::alarms
