#include "modules/ledger/ledger_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "modules/org/org_store.hpp"

namespace xiaoan::ledger {
namespace {

constexpr size_t kChunk = 2000;  // schools per transaction in a roll or rebuild
// Records often kept on paper first (护学岗 posts, closed-management checks, alarm tests) may be
// entered this many days late; patrols, logged as they happen, 31.
constexpr int kLateEntryDays = 60;
constexpr const char* kNationalIdTaken = "This national id is already used by another device.";

int YearOf(Day d) { return static_cast<int>(std::chrono::year_month_day(d).year()); }

bool IsLedgerWriterRole(Role r) {
  return r == Role::kPrincipal || r == Role::kPartySecretary || r == Role::kSchoolSafetyOfficer;
}

std::string ReasonsJson(const SchoolEvaluation& e) {
  nlohmann::json j = nlohmann::json::object();
  for (size_t i = 0; i < 4; ++i) {
    if (e.items[i].state != ItemState::kNotMet) continue;
    j[ItemName(kItems[i])] = {{"zh", e.items[i].reasons_zh}, {"en", e.items[i].reasons_en}};
  }
  return j.dump();
}

std::array<ItemState, 4> StatesOf(const SchoolEvaluation& e) {
  std::array<ItemState, 4> s{};
  for (size_t i = 0; i < 4; ++i) s[i] = e.items[i].state;
  return s;
}

bool IsZero(const Contribution& c) {
  return std::all_of(c.v.begin(), c.v.end(), [](int64_t v) { return v == 0; });
}

void AddInto(Contribution& into, const Contribution& d) {
  for (size_t i = 0; i < d.v.size(); ++i) into.v[i] += d.v[i];
}

Error Invalid(std::vector<FieldError> errors) {
  Error e = Error::Invalid("", "");
  e.fields = std::move(errors);
  return e;
}

// ---- semantic checks shared by the API and the import (field names are the JSON keys)

void CheckGuard(const Guard& g, Day today, std::vector<FieldError>& errors) {
  const auto blank = g.name.find_first_not_of(" \t") == std::string::npos;
  if (blank) errors.push_back({"name", "The name is required."});
  if (g.employment != "full_time" && g.employment != "part_time")
    errors.push_back({"employment", "Use full_time or part_time."});
  if (g.birth_year && (*g.birth_year < 1940 || *g.birth_year > YearOf(today) - 16))
    errors.push_back({"birth_year", fmt::format("A year between 1940 and {}.", YearOf(today) - 16)});
  if (g.employed_since) {
    auto d = ParseDay(*g.employed_since);
    if (!d)
      errors.push_back({"employed_since", "A date as YYYY-MM-DD."});
    else if (*d > today)
      errors.push_back({"employed_since", "Cannot be in the future."});
  }
  if (g.certificate_no && g.certificate_no->size() > 30) errors.push_back({"certificate_no", "At most 30 characters."});
}

void CheckDevice(const Device& d, Day today, std::vector<FieldError>& errors) {
  if (d.kind != "alarm" && d.kind != "camera" && d.kind != "nvr")
    errors.push_back({"kind", "Use alarm, camera or nvr."});
  if (d.name.find_first_not_of(" \t") == std::string::npos) errors.push_back({"name", "The name is required."});
  if (d.national_id) {
    const auto& id = *d.national_id;
    if (id.size() != 20 || !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
      errors.push_back({"national_id", "The GB/T 28181 device ID has 20 digits."});
  }
  if (d.expected_channels < 1 || d.expected_channels > 512)
    errors.push_back({"expected_channels", "1 to 512 channels."});
  if (d.installed_on) {
    auto day = ParseDay(*d.installed_on);
    if (!day)
      errors.push_back({"installed_on", "A date as YYYY-MM-DD."});
    else if (*day > today)
      errors.push_back({"installed_on", "Cannot be in the future."});
  }
}

// Refuses `d`'s national id (kConflict naming national_id) when another device, of any school, holds
// it: the devices module monitors devices by that id, so a second holder would take the first one's
// place. `stored` is the id the device has now; keeping it is not checked, so that a pair written
// before this check stays editable until one of them is given another id.
Status CheckNationalIdFree(db::Connection& tx, const Device& d, const std::optional<std::string>& stored) {
  if (!d.national_id || d.national_id == stored) return {};
  auto taken = store::NationalIdTaken(tx, *d.national_id, d.id);
  if (!taken) return Fail(taken.error());
  if (*taken) return Fail(Error::Conflict("national_id", kNationalIdTaken));
  return {};
}

// A patch without a field: refused, rather than answered as a change that was made.
Error NothingToChange() { return Error::Invalid("body", "Nothing to change."); }

void ApplyGuard(Guard& g, const GuardFields& f) {
  if (f.name) g.name = *f.name;
  if (f.certificate_no) g.certificate_no = *f.certificate_no;
  if (f.birth_year) g.birth_year = *f.birth_year;
  if (f.employment) g.employment = *f.employment;
  if (f.employed_since) g.employed_since = *f.employed_since;
  if (f.active) g.active = *f.active;
  if (g.certificate_no && g.certificate_no->empty()) g.certificate_no.reset();
}

void ApplyDevice(Device& d, const DeviceFields& f) {
  if (f.kind) d.kind = *f.kind;
  if (f.name) d.name = *f.name;
  if (f.location) d.location = *f.location;
  if (f.national_id) d.national_id = *f.national_id;
  if (f.police_networked) d.police_networked = *f.police_networked;
  if (f.installed_on) d.installed_on = *f.installed_on;
  if (f.active) d.active = *f.active;
  if (f.expected_channels) d.expected_channels = *f.expected_channels;
  if (d.national_id && d.national_id->empty()) d.national_id.reset();
}

std::string DescribeGuard(const Guard& g) {
  return fmt::format("name={} employment={} certificate={} birth_year={} active={}", g.name, g.employment,
                     g.certificate_no ? "yes" : "no", g.birth_year ? std::to_string(*g.birth_year) : "-", g.active);
}

std::string DescribeDevice(const Device& d) {
  return fmt::format("kind={} name={} location={} police_networked={} active={}", d.kind, d.name, d.location,
                     d.police_networked, d.active);
}

}  // namespace

std::vector<std::string> GuardIssues(const Guard& g, int current_year, int max_age) {
  std::vector<std::string> issues;
  if (!g.active) issues.emplace_back("inactive");
  if (g.employment != "full_time") issues.emplace_back("part_time");
  if (!g.certificate_no || g.certificate_no->empty()) issues.emplace_back("no_certificate");
  if (g.birth_year && current_year - *g.birth_year > max_age) issues.emplace_back("over_age");
  return issues;
}

bool CanWriteLedger(const Principal& p, const org::OrgUnit& school, bool guard_allowed) {
  if (p.org_code != school.code) return false;
  return IsLedgerWriterRole(p.role) || (guard_allowed && p.role == Role::kGuard);
}

Result<std::unique_ptr<LedgerService>> LedgerService::Create(db::Database& db, const audit::AuditLog& audit,
                                                             const Clock& clock, LedgerSettings settings) {
  const GuardRuleSet* rules = nullptr;
  for (const auto& s : ShippedGuardRuleSets()) {
    if ((settings.guard_rule_set.empty() && s.is_default) || s.id == settings.guard_rule_set) rules = &s;
  }
  if (!rules) return Fail(Error::Invalid("guard_rule_set", "No guard rule set " + settings.guard_rule_set + "."));
  return std::unique_ptr<LedgerService>(new LedgerService(db, audit, clock, std::move(settings), rules));
}

store::FactsQuery LedgerService::FactsFor(const std::string& first, const std::string& last, Day today) const {
  return {first, last,          PostWindowStart(Calendar(), settings_.compliance, today),
          today, YearOf(today), settings_.compliance.guard_max_age};
}

Result<org::OrgUnit> LedgerService::ResolveSchool(db::Connection& c, const Principal& p,
                                                  const std::string& code) const {
  auto unit = org::store::Get(c, Scope::Of(p), code);
  if (!unit) return Fail(unit.error());
  if (unit->level != org::Level::kSchool) return Fail(Error::NotFound("The school"));
  return unit;
}

template <class F>
Status LedgerService::WriteLedger(const Principal& p, const std::string& code, bool guard_allowed, F&& work) {
  return db_.Write([&](db::Connection& tx) -> Status {
    auto school = ResolveSchool(tx, p, code);
    if (!school) return Fail(school.error());
    if (!CanWriteLedger(p, *school, guard_allowed))
      return Fail(
          Error::Denied("Only the school's principal, Party secretary or safety officer may change its ledger."));
    if (!school->active) return Fail(Error::Conflict("code", "The school is deactivated."));
    if (auto ok = work(tx, *school); !ok) return ok;
    return Reevaluate(tx, code);
  });
}

// ---- evaluation and counters

Status LedgerService::Reevaluate(db::Connection& tx, const std::string& school) {
  RollStats stats;
  return ApplyChunk(tx, school, school, Today(), stats);
}

Status LedgerService::ApplyChunk(db::Connection& tx, const std::string& first, const std::string& last, Day today,
                                 RollStats& stats) {
  auto facts = store::LoadFacts(tx, FactsFor(first, last, today));
  if (!facts) return Fail(facts.error());
  auto stored = store::EvaluationsInRange(tx, first, last);
  if (!stored) return Fail(stored.error());
  std::map<std::string, store::StoredEvaluation, std::less<>> old;
  for (auto& e : *stored) old.emplace(e.code, std::move(e));

  std::map<std::string, Contribution, std::less<>> deltas;
  const std::string now = Now();
  for (const auto& f : *facts) {
    ++stats.schools;
    auto it = old.find(f.code);
    const store::StoredEvaluation* before = it == old.end() ? nullptr : &it->second;
    const Contribution old_c = before ? ContributionOf(true, before->states, before->all_four) : Contribution{};
    if (!f.active) {
      if (before) {
        if (auto ok = store::DeleteEvaluation(tx, f.code); !ok) return ok;
        for (const auto& u : AncestorCodes(before->path)) AddInto(deltas[u], Minus(Contribution{}, old_c));
        ++stats.changed;
      }
      continue;
    }
    const auto e = Evaluate(f, *rules_, Calendar(), settings_.compliance, today);
    store::StoredEvaluation now_e{f.code, f.path, StatesOf(e), e.all_four, ReasonsJson(e), now};
    if (before && before->path == now_e.path && before->states == now_e.states && before->all_four == now_e.all_four &&
        before->reasons_json == now_e.reasons_json)
      continue;
    if (auto ok = store::PutEvaluation(tx, now_e); !ok) return ok;
    ++stats.changed;
    const Contribution new_c = ContributionOf(true, now_e.states, now_e.all_four);
    if (before && before->path != now_e.path) {
      for (const auto& u : AncestorCodes(before->path)) AddInto(deltas[u], Minus(Contribution{}, old_c));
      for (const auto& u : AncestorCodes(now_e.path)) AddInto(deltas[u], new_c);
    } else {
      const auto d = Minus(new_c, old_c);
      for (const auto& u : AncestorCodes(now_e.path)) AddInto(deltas[u], d);
    }
  }
  for (const auto& [unit, d] : deltas) {
    if (IsZero(d)) continue;
    if (auto ok = store::AddToUnit(tx, unit, d); !ok) return ok;
    ++stats.unit_rows;
  }
  return {};
}

Result<RollStats> LedgerService::EvaluateAll(Day today) {
  auto codes = db::ReadResult<std::vector<std::string>>(db_, [](db::Connection& c) { return store::SchoolCodes(c); });
  if (!codes) return Fail(codes.error());
  RollStats stats;
  stats.ran = true;
  for (size_t i = 0; i < codes->size(); i += kChunk) {
    const std::string& first = (*codes)[i];
    const std::string& last = (*codes)[std::min(i + kChunk, codes->size()) - 1];
    RollStats chunk;
    auto ok = db_.Write([&](db::Connection& tx) -> Status {
      chunk = RollStats{};
      return ApplyChunk(tx, first, last, today, chunk);
    });
    if (!ok) return Fail(ok.error());
    stats.schools += chunk.schools;
    stats.changed += chunk.changed;
    stats.unit_rows += chunk.unit_rows;
  }
  return stats;
}

Result<RollStats> LedgerService::Roll() {
  const Day today = Today();
  auto last = db::ReadResult<std::optional<std::string>>(db_, [](db::Connection& c) { return store::GetRollDay(c); });
  if (!last) return Fail(last.error());
  if (*last && **last == FormatDay(today)) return RollStats{};
  if (*last) {  // the previous day closes with the figures it ended with
    if (auto prev = ParseDay(**last)) {
      if (auto ok = db_.Write([&](db::Connection& tx) { return store::Snapshot(tx, *prev); }); !ok)
        return Fail(ok.error());
    }
  }
  auto stats = EvaluateAll(today);
  if (!stats) return stats;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    if (auto s = store::Snapshot(tx, today); !s) return s;
    return store::SetRollDay(tx, today);
  });
  if (!ok) return Fail(ok.error());
  return stats;
}

Result<RollStats> LedgerService::Rebuild() {
  if (auto ok = db_.Write([](db::Connection& tx) { return store::ClearAll(tx); }); !ok) return Fail(ok.error());
  const Day today = Today();
  auto stats = EvaluateAll(today);
  if (!stats) return stats;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    if (auto s = store::Snapshot(tx, today); !s) return s;
    return store::SetRollDay(tx, today);
  });
  if (!ok) return Fail(ok.error());
  return stats;
}

Result<bool> LedgerService::HasCounters() {
  return db::ReadResult<bool>(db_, [](db::Connection& c) -> Result<bool> {
    auto n = store::CountUnitCounters(c);
    if (!n) return Fail(n.error());
    return *n > 0;
  });
}

// ---- reads

Result<Summary> LedgerService::GetSummary(const Principal& p, const std::string& code) {
  const Day today = Today();
  return db::ReadResult<Summary>(db_, [&](db::Connection& c) -> Result<Summary> {
    auto school = ResolveSchool(c, p, code);
    if (!school) return Fail(school.error());
    auto facts = store::LoadFacts(c, FactsFor(code, code, today));
    if (!facts) return Fail(facts.error());
    if (facts->empty()) return Fail(Error::NotFound("The school"));
    Summary s;
    s.school = *school;
    s.rules = rules_;
    s.evaluation = Evaluate(facts->front(), *rules_, Calendar(), settings_.compliance, today);
    auto stored = store::GetEvaluation(c, code);
    if (!stored) return Fail(stored.error());
    s.evaluated_at = *stored ? (*stored)->evaluated_at : Now();
    auto guards = store::Guards(c, code);
    if (!guards) return Fail(guards.error());
    for (const auto& g : *guards) {
      if (g.active) ++s.guards_active;
      if (GuardIssues(g, YearOf(today), settings_.compliance.guard_max_age).empty()) ++s.guards_qualified;
    }
    auto devices = store::Devices(c, code);
    if (!devices) return Fail(devices.error());
    s.devices = static_cast<int64_t>(std::count_if(devices->begin(), devices->end(), [](auto& d) { return d.active; }));
    auto patrols = store::CountPatrols(c, code, today);
    if (!patrols) return Fail(patrols.error());
    s.patrols_today = *patrols;
    s.can_edit = CanWriteLedger(p, *school, false) && school->active;
    s.can_record_duty = CanWriteLedger(p, *school, true) && school->active;
    return s;
  });
}

Result<std::vector<Guard>> LedgerService::Guards(const Principal& p, const std::string& code) {
  return db::ReadResult<std::vector<Guard>>(db_, [&](db::Connection& c) -> Result<std::vector<Guard>> {
    if (auto s = ResolveSchool(c, p, code); !s) return Fail(s.error());
    return store::Guards(c, code);
  });
}

Result<GatehouseSchedule> LedgerService::Gatehouse(const Principal& p, const std::string& code) {
  return db::ReadResult<GatehouseSchedule>(db_, [&](db::Connection& c) -> Result<GatehouseSchedule> {
    if (auto s = ResolveSchool(c, p, code); !s) return Fail(s.error());
    auto shifts = store::Shifts(c, code);
    if (!shifts) return Fail(shifts.error());
    return GatehouseSchedule{*shifts, UncoveredHours(*shifts)};
  });
}

Result<std::vector<Patrol>> LedgerService::Patrols(const Principal& p, const std::string& code, Day day) {
  return db::ReadResult<std::vector<Patrol>>(db_, [&](db::Connection& c) -> Result<std::vector<Patrol>> {
    if (auto s = ResolveSchool(c, p, code); !s) return Fail(s.error());
    return store::Patrols(c, code, day);
  });
}

Result<std::vector<ClosedCheck>> LedgerService::ClosedChecks(const Principal& p, const std::string& code) {
  return db::ReadResult<std::vector<ClosedCheck>>(db_, [&](db::Connection& c) -> Result<std::vector<ClosedCheck>> {
    if (auto s = ResolveSchool(c, p, code); !s) return Fail(s.error());
    return store::ClosedChecks(c, code);
  });
}

Result<PostsView> LedgerService::Posts(const Principal& p, const std::string& code, std::optional<Day> from,
                                       std::optional<Day> to) {
  const Day today = Today();
  return db::ReadResult<PostsView>(db_, [&](db::Connection& c) -> Result<PostsView> {
    auto school = ResolveSchool(c, p, code);
    if (!school) return Fail(school.error());
    PostsView v;
    v.applicable = school->attributes && school->attributes->locality != org::Locality::kRural;
    v.school_days = Calendar().SchoolDaysBefore(today, settings_.compliance.post_window_school_days);
    if (Calendar().IsSchoolDay(today)) v.today = today;
    const Day f = from.value_or(v.school_days.empty() ? today : v.school_days.front());
    const Day t = to.value_or(today);
    if (t < f) return Fail(Error::Invalid("to", "Must not be before from."));
    if ((t - f).count() > 366) return Fail(Error::Invalid("from", "At most a year at a time."));
    auto rows = store::Posts(c, code, f, t);
    if (!rows) return Fail(rows.error());
    v.items = std::move(*rows);
    return v;
  });
}

Result<std::vector<Device>> LedgerService::Devices(const Principal& p, const std::string& code) {
  return db::ReadResult<std::vector<Device>>(db_, [&](db::Connection& c) -> Result<std::vector<Device>> {
    if (auto s = ResolveSchool(c, p, code); !s) return Fail(s.error());
    return store::Devices(c, code);
  });
}

Result<std::vector<InventoryDevice>> LedgerService::DeviceInventory() {
  using Out = std::vector<InventoryDevice>;
  return db::ReadResult<Out>(db_, [&](db::Connection& c) -> Result<Out> { return store::DeviceInventory(c); });
}

Result<std::pair<std::vector<AlarmTest>, int64_t>> LedgerService::AlarmTests(const Principal& p,
                                                                             const std::string& code, int64_t limit,
                                                                             int64_t offset) {
  using R = std::pair<std::vector<AlarmTest>, int64_t>;
  return db::ReadResult<R>(db_, [&](db::Connection& c) -> Result<R> {
    if (auto s = ResolveSchool(c, p, code); !s) return Fail(s.error());
    return store::AlarmTests(c, code, limit, offset);
  });
}

Result<std::pair<std::vector<audit::Record>, int64_t>> LedgerService::History(const Principal& p,
                                                                              const std::string& code, int64_t limit,
                                                                              int64_t offset) {
  using R = std::pair<std::vector<audit::Record>, int64_t>;
  return db::ReadResult<R>(db_, [&](db::Connection& c) -> Result<R> {
    if (auto s = ResolveSchool(c, p, code); !s) return Fail(s.error());
    return store::History(c, code, limit, offset);
  });
}

Result<std::pair<std::string, std::string>> LedgerService::GetPhoto(const Principal& p, const std::string& id) {
  if (!PhotoStore::ValidId(id)) return Fail(Error::NotFound("The file"));
  auto meta = db::ReadResult<std::optional<store::FileMeta>>(
      db_, [&](db::Connection& c) { return store::GetFile(c, Scope::Of(p), id); });
  if (!meta) return Fail(meta.error());
  if (!*meta) return Fail(Error::NotFound("The file"));
  auto bytes = photos_.Get(id);
  if (!bytes) return Fail(bytes.error());
  return std::make_pair((*meta)->content_type, std::move(*bytes));
}

// ---- writes

Result<Guard> LedgerService::CreateGuard(const Principal& p, const audit::Actor& a, const std::string& code,
                                         const GuardFields& f) {
  Guard g;
  g.school_code = code;
  ApplyGuard(g, f);
  std::vector<FieldError> errors;
  CheckGuard(g, Today(), errors);
  if (!errors.empty()) return Fail(Invalid(errors));
  auto ok = WriteLedger(p, code, false, [&](db::Connection& tx, const org::OrgUnit&) -> Status {
    auto id = store::InsertGuard(tx, g, Now());
    if (!id) return Fail(id.error());
    g.id = *id;
    g.updated_at = Now();
    return audit_.Append(tx, {a, "ledger.guard.create", fmt::format("ledger/{}/guards/{}", code, g.id),
                              audit::Outcome::kSuccess, DescribeGuard(g)});
  });
  if (!ok) return Fail(ok.error());
  return g;
}

Result<Guard> LedgerService::UpdateGuard(const Principal& p, const audit::Actor& a, const std::string& code, int64_t id,
                                         const GuardFields& f) {
  if (f.IsEmpty()) return Fail(NothingToChange());
  Guard g;
  auto ok = WriteLedger(p, code, false, [&](db::Connection& tx, const org::OrgUnit&) -> Status {
    auto found = store::GetGuard(tx, code, id);
    if (!found) return Fail(found.error());
    if (!*found) return Fail(Error::NotFound("The guard"));
    g = **found;
    const std::string before = DescribeGuard(g);
    ApplyGuard(g, f);
    std::vector<FieldError> errors;
    CheckGuard(g, Today(), errors);
    if (!errors.empty()) return Fail(Invalid(errors));
    if (g == **found) return {};  // the values it has already (a retry): nothing is written
    if (auto s = store::UpdateGuard(tx, g, Now()); !s) return s;
    g.updated_at = Now();
    return audit_.Append(tx, {a, "ledger.guard.update", fmt::format("ledger/{}/guards/{}", code, id),
                              audit::Outcome::kSuccess, "before: " + before + "; after: " + DescribeGuard(g)});
  });
  if (!ok) return Fail(ok.error());
  return g;
}

Result<GatehouseSchedule> LedgerService::ReplaceGatehouse(const Principal& p, const audit::Actor& a,
                                                          const std::string& code, const std::vector<Shift>& shifts) {
  std::vector<FieldError> errors;
  for (size_t i = 0; i < shifts.size(); ++i) {
    const auto& s = shifts[i];
    const std::string at = fmt::format("shifts[{}].", i);
    if (s.weekday < 1 || s.weekday > 7) errors.push_back({at + "weekday", "1 (Monday) to 7 (Sunday)."});
    if (s.start_min < 0 || s.start_min > 1439) errors.push_back({at + "start", "A time from 00:00 to 23:59."});
    if (s.end_min <= s.start_min || s.end_min > 1440)
      errors.push_back({at + "end", "After the start, at most 24:00; split a night shift at midnight."});
  }
  if (!errors.empty()) return Fail(Invalid(errors));
  auto ok = WriteLedger(p, code, false, [&](db::Connection& tx, const org::OrgUnit&) -> Status {
    if (auto s = store::ReplaceShifts(tx, code, shifts); !s) return s;
    const auto gaps = UncoveredHours(shifts);
    return audit_.Append(
        tx, {a, "ledger.gatehouse.replace", fmt::format("ledger/{}/gatehouse", code), audit::Outcome::kSuccess,
             fmt::format("{} shifts, {} uncovered stretches", shifts.size(), gaps.size())});
  });
  if (!ok) return Fail(ok.error());
  auto sorted = shifts;
  std::sort(sorted.begin(), sorted.end(), [](const Shift& x, const Shift& y) {
    return std::tie(x.weekday, x.start_min) < std::tie(y.weekday, y.start_min);
  });
  return GatehouseSchedule{sorted, UncoveredHours(sorted)};
}

Result<Patrol> LedgerService::AddPatrol(const Principal& p, const audit::Actor& a, const std::string& code,
                                        Patrol patrol) {
  std::vector<FieldError> errors;
  const auto at = ParseRfc3339(patrol.patrolled_at);
  const auto now = clock_.Now();
  if (!at)
    errors.push_back({"patrolled_at", "A time as RFC 3339, e.g. 2026-11-28T08:30:00+08:00."});
  else if (*at > now + std::chrono::minutes(5))
    errors.push_back({"patrolled_at", "Cannot be in the future."});
  else if (*at < now - std::chrono::days(31))
    errors.push_back({"patrolled_at", "Patrols are logged within 31 days."});
  if (patrol.area.find_first_not_of(" \t") == std::string::npos) errors.push_back({"area", "Name the route or area."});
  if (patrol.by_name.find_first_not_of(" \t") == std::string::npos) errors.push_back({"by_name", "Who patrolled."});
  if (!errors.empty()) return Fail(Invalid(errors));
  patrol.patrolled_at = FormatRfc3339(*at);
  patrol.recorded_by = p.username;
  auto ok = WriteLedger(p, code, true, [&](db::Connection& tx, const org::OrgUnit&) -> Status {
    if (patrol.idempotency_key) {  // a retry answers the first record and writes nothing
      auto prev = store::PatrolByKey(tx, code, *patrol.idempotency_key);
      if (!prev) return Fail(prev.error());
      if (*prev) {
        patrol = **prev;
        return {};
      }
    }
    auto id = store::InsertPatrol(tx, code, patrol, ShanghaiDay(*at), Now());
    if (!id) return Fail(id.error());
    patrol.id = *id;
    return audit_.Append(tx, {a, "ledger.patrol.create", fmt::format("ledger/{}/patrols/{}", code, patrol.id),
                              audit::Outcome::kSuccess, patrol.patrolled_at + " " + patrol.area});
  });
  if (!ok) return Fail(ok.error());
  return patrol;
}

Result<ClosedCheck> LedgerService::AddClosedCheck(const Principal& p, const audit::Actor& a, const std::string& code,
                                                  ClosedCheck check) {
  std::vector<FieldError> errors;
  if (std::find_if(std::begin(kMeasures), std::end(kMeasures), [&](const char* m) { return check.measure == m; }) ==
      std::end(kMeasures))
    errors.push_back(
        {"measure", "Use enclosure_anti_climb, separate_gates, anti_ram_barriers or visitor_registration."});
  if (check.status != "in_place" && check.status != "not_in_place" && check.status != "not_possible")
    errors.push_back({"status", "Use in_place, not_in_place or not_possible."});
  else if (check.status == "not_possible" && check.measure != "separate_gates")
    errors.push_back({"status", "Only separate gates can be not possible on a site."});
  const auto day = ParseDay(check.checked_on);
  if (!day)
    errors.push_back({"checked_on", "A date as YYYY-MM-DD."});
  else if (*day > Today())
    errors.push_back({"checked_on", "Cannot be in the future."});
  else if (*day < Today() - std::chrono::days(kLateEntryDays))
    errors.push_back({"checked_on", fmt::format("Checks are recorded within {} days.", kLateEntryDays)});
  if (check.status == "in_place" && check.photos.empty())
    errors.push_back({"photos", "A measure in place needs at least one photo as evidence."});
  for (size_t i = 0; i < check.photos.size(); ++i)
    if (!PhotoStore::ValidId(check.photos[i])) errors.push_back({fmt::format("photos[{}]", i), "Not a file id."});
  if (!errors.empty()) return Fail(Invalid(errors));
  check.recorded_by = p.username;
  check.recorded_at = Now();
  auto ok = WriteLedger(p, code, false, [&](db::Connection& tx, const org::OrgUnit&) -> Status {
    if (check.idempotency_key) {
      auto prev = store::ClosedCheckByKey(tx, code, *check.idempotency_key);
      if (!prev) return Fail(prev.error());
      if (*prev) {
        check = **prev;
        return {};
      }
    }
    for (size_t i = 0; i < check.photos.size(); ++i) {
      auto has = store::SchoolHasFile(tx, code, check.photos[i]);
      if (!has) return Fail(has.error());
      if (!*has) return Fail(Error::Invalid(fmt::format("photos[{}]", i), "Upload the photo for this school first."));
    }
    auto id = store::InsertClosedCheck(tx, code, check, check.recorded_at);
    if (!id) return Fail(id.error());
    check.id = *id;
    return audit_.Append(tx, {a, "ledger.closed_check.create",
                              fmt::format("ledger/{}/closed-checks/{}", code, check.id), audit::Outcome::kSuccess,
                              fmt::format("{} {} on {}, {} photo(s)", check.measure, check.status, check.checked_on,
                                          check.photos.size())});
  });
  if (!ok) return Fail(ok.error());
  return check;
}

Result<PostRecord> LedgerService::PutPost(const Principal& p, const audit::Actor& a, const std::string& code,
                                          PostRecord r) {
  std::vector<FieldError> errors;
  const auto day = ParseDay(r.day);
  if (!day)
    errors.push_back({"date", "A date as YYYY-MM-DD."});
  else if (*day > Today())
    errors.push_back({"date", "Cannot be in the future."});
  else if (*day < Today() - std::chrono::days(kLateEntryDays))
    errors.push_back({"date", fmt::format("Posts are recorded within {} days.", kLateEntryDays)});
  if (r.session != "arrival" && r.session != "dismissal") errors.push_back({"session", "Use arrival or dismissal."});
  std::optional<int> start, end;
  if (r.start && !(start = ParseMinutes(*r.start))) errors.push_back({"start", "A time as HH:MM."});
  if (r.end && !(end = ParseMinutes(*r.end))) errors.push_back({"end", "A time as HH:MM."});
  if (start && end && *end <= *start) errors.push_back({"end", "After the start."});
  if (!errors.empty()) return Fail(Invalid(errors));
  auto ok = WriteLedger(p, code, true, [&](db::Connection& tx, const org::OrgUnit& school) -> Status {
    if (school.attributes && school.attributes->locality == org::Locality::kRural)
      return Fail(Error::Invalid("code", "护学岗 applies to urban and town schools; this school is rural."));
    auto existing = store::GetPost(tx, code, r.day, r.session);
    if (!existing) return Fail(existing.error());
    if (*existing && (*existing)->police == r.police && (*existing)->staff == r.staff &&
        (*existing)->guards == r.guards && (*existing)->start == r.start && (*existing)->end == r.end &&
        (*existing)->note == r.note) {
      r = **existing;  // a retry: nothing changes, nothing is written twice
      return {};
    }
    r.recorded_by = p.username;
    r.recorded_at = Now();
    if (auto s = store::PutPost(tx, code, r); !s) return s;
    return audit_.Append(tx, {a, *existing ? "ledger.post.update" : "ledger.post.create",
                              fmt::format("ledger/{}/posts/{}/{}", code, r.day, r.session), audit::Outcome::kSuccess,
                              fmt::format("police={} staff={} guards={}", r.police, r.staff, r.guards)});
  });
  if (!ok) return Fail(ok.error());
  return r;
}

Result<Device> LedgerService::CreateDevice(const Principal& p, const audit::Actor& a, const std::string& code,
                                           const DeviceFields& f) {
  Device d;
  d.school_code = code;
  ApplyDevice(d, f);
  std::vector<FieldError> errors;
  CheckDevice(d, Today(), errors);
  if (!errors.empty()) return Fail(Invalid(errors));
  auto ok = WriteLedger(p, code, false, [&](db::Connection& tx, const org::OrgUnit&) -> Status {
    if (auto free = CheckNationalIdFree(tx, d, std::nullopt); !free) return free;
    auto id = store::InsertDevice(tx, d, Now());
    if (!id) return Fail(id.error());
    d.id = *id;
    d.updated_at = Now();
    return audit_.Append(tx, {a, "ledger.device.create", fmt::format("ledger/{}/devices/{}", code, d.id),
                              audit::Outcome::kSuccess, DescribeDevice(d)});
  });
  if (!ok) return Fail(ok.error());
  return d;
}

Result<Device> LedgerService::UpdateDevice(const Principal& p, const audit::Actor& a, const std::string& code,
                                           int64_t id, const DeviceFields& f) {
  if (f.IsEmpty()) return Fail(NothingToChange());
  Device d;
  auto ok = WriteLedger(p, code, false, [&](db::Connection& tx, const org::OrgUnit&) -> Status {
    auto found = store::GetDevice(tx, code, id);
    if (!found) return Fail(found.error());
    if (!*found) return Fail(Error::NotFound("The device"));
    d = **found;
    const std::string before = DescribeDevice(d);
    ApplyDevice(d, f);
    std::vector<FieldError> errors;
    CheckDevice(d, Today(), errors);
    if (!errors.empty()) return Fail(Invalid(errors));
    if (d == **found) return {};  // the values it has already (a retry): nothing is written
    if (auto free = CheckNationalIdFree(tx, d, (*found)->national_id); !free) return free;
    if (auto s = store::UpdateDevice(tx, d, Now()); !s) return s;
    d.updated_at = Now();
    return audit_.Append(tx, {a, "ledger.device.update", fmt::format("ledger/{}/devices/{}", code, id),
                              audit::Outcome::kSuccess, "before: " + before + "; after: " + DescribeDevice(d)});
  });
  if (!ok) return Fail(ok.error());
  return d;
}

Result<AlarmTest> LedgerService::AddAlarmTest(const Principal& p, const audit::Actor& a, const std::string& code,
                                              AlarmTest t) {
  std::vector<FieldError> errors;
  const auto at = ParseRfc3339(t.tested_at);
  if (!at)
    errors.push_back({"tested_at", "A time as RFC 3339, e.g. 2026-11-28T10:00:00+08:00."});
  else if (*at > clock_.Now() + std::chrono::minutes(5))
    errors.push_back({"tested_at", "Cannot be in the future."});
  else if (*at < clock_.Now() - std::chrono::days(kLateEntryDays))
    errors.push_back({"tested_at", fmt::format("Alarm tests are recorded within {} days.", kLateEntryDays)});
  if (t.result != "pass" && t.result != "fail") errors.push_back({"result", "Use pass or fail."});
  if (!errors.empty()) return Fail(Invalid(errors));
  t.tested_at = FormatRfc3339(*at);
  t.recorded_by = p.username;
  auto ok = WriteLedger(p, code, false, [&](db::Connection& tx, const org::OrgUnit&) -> Status {
    if (t.idempotency_key) {
      auto prev = store::AlarmTestByKey(tx, code, *t.idempotency_key);
      if (!prev) return Fail(prev.error());
      if (*prev) {
        t = **prev;
        return {};
      }
    }
    if (t.device_id) {
      auto d = store::GetDevice(tx, code, *t.device_id);
      if (!d) return Fail(d.error());
      if (!*d || (*d)->kind != "alarm") return Fail(Error::Invalid("device_id", "Not an alarm device of this school."));
    }
    auto id = store::InsertAlarmTest(tx, code, t, ShanghaiDay(*at), Now());
    if (!id) return Fail(id.error());
    t.id = *id;
    return audit_.Append(tx, {a, "ledger.alarm_test.create", fmt::format("ledger/{}/alarm-tests/{}", code, t.id),
                              audit::Outcome::kSuccess, t.tested_at + " " + t.result});
  });
  if (!ok) return Fail(ok.error());
  return t;
}

Result<ImportCounts> LedgerService::Import(const Principal& p, const audit::Actor& a, const std::string& code,
                                           const std::vector<GuardImportRow>& guards,
                                           const std::vector<DeviceImportRow>& devices) {
  static const std::vector<std::string> kGuardCols{"id",         "name",           "certificate_no", "birth_year",
                                                   "employment", "employed_since", "active"};
  static const std::vector<std::string> kDeviceCols{
      "id", "kind", "name", "location", "national_id", "police_networked", "installed_on", "active"};
  ImportCounts counts;
  const Day today = Today();
  auto cell = [](const char* sheet, const std::vector<std::string>& cols, const std::string& field, int row) {
    const auto it = std::find(cols.begin(), cols.end(), field);
    const int col = it == cols.end() ? 0 : static_cast<int>(it - cols.begin());
    return fmt::format("{}!{}{}", sheet, static_cast<char>('A' + col), row);
  };
  auto ok = WriteLedger(p, code, false, [&](db::Connection& tx, const org::OrgUnit&) -> Status {
    std::vector<FieldError> errors;
    for (const auto& r : guards) {
      Guard g;
      g.school_code = code;
      if (r.id) {
        auto found = store::GetGuard(tx, code, *r.id);
        if (!found) return Fail(found.error());
        if (!*found) {
          errors.push_back({cell("guards", kGuardCols, "id", r.row), "No guard with this id at this school.", r.row});
          continue;
        }
        g = **found;
      }
      ApplyGuard(g, r.fields);
      std::vector<FieldError> row_errors;
      CheckGuard(g, today, row_errors);
      for (auto& e : row_errors) errors.push_back({cell("guards", kGuardCols, e.field, r.row), e.message, r.row});
      if (!row_errors.empty() || !errors.empty()) continue;
      if (r.id) {
        if (auto s = store::UpdateGuard(tx, g, Now()); !s) return s;
        ++counts.guards_updated;
      } else {
        auto id = store::InsertGuard(tx, g, Now());
        if (!id) return Fail(id.error());
        ++counts.guards_created;
      }
    }
    std::set<std::string, std::less<>> claimed;  // national ids given by the rows read so far
    for (const auto& r : devices) {
      Device d;
      d.school_code = code;
      if (r.id) {
        auto found = store::GetDevice(tx, code, *r.id);
        if (!found) return Fail(found.error());
        if (!*found) {
          errors.push_back(
              {cell("devices", kDeviceCols, "id", r.row), "No device with this id at this school.", r.row});
          continue;
        }
        d = **found;
      }
      const std::optional<std::string> stored_id = d.national_id;
      ApplyDevice(d, r.fields);
      std::vector<FieldError> row_errors;
      CheckDevice(d, today, row_errors);
      // A new id is refused when an earlier row gives it too (rows after an error are not written,
      // so the store alone would not see it) or another device holds it; a kept id never is.
      if (row_errors.empty() && d.national_id) {
        const bool repeated = !claimed.insert(*d.national_id).second;
        if (d.national_id != stored_id && repeated) {
          row_errors.push_back({"national_id", kNationalIdTaken});
        } else if (auto free = CheckNationalIdFree(tx, d, stored_id); !free) {
          if (free.error().code != ErrorCode::kConflict) return free;
          row_errors.push_back({"national_id", kNationalIdTaken});
        }
      }
      for (auto& e : row_errors) errors.push_back({cell("devices", kDeviceCols, e.field, r.row), e.message, r.row});
      if (!row_errors.empty() || !errors.empty()) continue;
      if (r.id) {
        if (auto s = store::UpdateDevice(tx, d, Now()); !s) return s;
        ++counts.devices_updated;
      } else {
        auto id = store::InsertDevice(tx, d, Now());
        if (!id) return Fail(id.error());
        ++counts.devices_created;
      }
    }
    if (!errors.empty()) {
      Error e{ErrorCode::kInvalidArgument,
              "The workbook has errors; nothing was imported.",
              "import_failed",
              std::move(errors),
              {}};
      return Fail(e);
    }
    return audit_.Append(tx, {a, "ledger.import", fmt::format("ledger/{}/import", code), audit::Outcome::kSuccess,
                              fmt::format("guards +{} ~{}; devices +{} ~{}", counts.guards_created,
                                          counts.guards_updated, counts.devices_created, counts.devices_updated)});
  });
  if (!ok) return Fail(ok.error());
  return counts;
}

Result<store::FileMeta> LedgerService::UploadPhoto(const Principal& p, const audit::Actor& a, const std::string& code,
                                                   const std::string& declared_type, const std::string& bytes) {
  const auto sniffed = SniffImageType(bytes);
  if (!sniffed || (!declared_type.empty() && declared_type != *sniffed)) {
    Error e{ErrorCode::kInvalidArgument,
            "Upload a JPEG, PNG or WebP photo.",
            "unsupported_media_type",
            {FieldError{"body", "Not a JPEG, PNG or WebP image, or not the declared type."}},
            {}};
    return Fail(e);
  }
  // Check the caller before anything touches the disk.
  auto school = db::ReadResult<org::OrgUnit>(db_, [&](db::Connection& c) { return ResolveSchool(c, p, code); });
  if (!school) return Fail(school.error());
  // Bureau officers upload the photos of their spot checks and unannounced visits (issue #6) for
  // a school inside their jurisdiction (ResolveSchool has checked it).
  const bool inspecting_officer = p.role == Role::kBureauAdmin || p.role == Role::kBureauSafetyOfficer;
  if (!CanWriteLedger(p, *school, true) && !inspecting_officer)
    return Fail(Error::Denied("Only the school's staff, or a bureau officer over it, may upload its evidence."));
  auto id = photos_.Put(bytes);
  if (!id) return Fail(id.error());
  store::FileMeta meta{*id, code, *sniffed, static_cast<int64_t>(bytes.size())};
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    if (auto s = store::InsertFile(tx, meta, p.username, Now()); !s) return s;
    return audit_.Append(tx, {a, "ledger.file.upload", fmt::format("ledger/{}/files/{}", code, meta.id),
                              audit::Outcome::kSuccess, fmt::format("{} {} bytes", meta.content_type, meta.size)});
  });
  if (!ok) return Fail(ok.error());
  return meta;
}

Result<std::pair<org::OrgUnit, std::vector<db::Row>>> LedgerService::SubtreeRows(const Principal& p,
                                                                                 const std::string& org_code,
                                                                                 const db::Sql& sql, int64_t limit) {
  using R = std::pair<org::OrgUnit, std::vector<db::Row>>;
  return db::ReadResult<R>(db_, [&](db::Connection& c) -> Result<R> {
    auto unit = org::store::Get(c, Scope::Of(p), org_code);
    if (!unit) return Fail(unit.error());
    const Scope scope = Scope::ForPath(unit->path);
    auto rows = c.Query(sql, {scope.lower(), scope.upper(), limit});
    if (!rows) return Fail(rows.error());
    return R{*unit, std::move(*rows)};
  });
}

// ---- the four 100%

Result<Rollup> LedgerService::FourHundred(const Principal& p, const std::string& org_code) {
  return db::ReadResult<Rollup>(db_, [&](db::Connection& c) -> Result<Rollup> {
    auto unit = org::store::Get(c, Scope::Of(p), org_code);
    if (!unit) return Fail(unit.error());
    Rollup r;
    r.unit = *unit;
    if (unit->level == org::Level::kSchool) {
      auto e = store::GetEvaluation(c, org_code);
      if (!e) return Fail(e.error());
      if (*e) r.figures = store::SchoolFigures(**e);
      return r;
    }
    auto figures = store::UnitCounters(c, org_code);
    if (!figures) return Fail(figures.error());
    r.figures = *figures;
    auto units = store::ChildUnits(c, org_code);
    if (!units) return Fail(units.error());
    auto schools = store::ChildSchools(c, org_code);
    if (!schools) return Fail(schools.error());
    r.children = std::move(*units);
    r.children.insert(r.children.end(), schools->begin(), schools->end());
    return r;
  });
}

Result<std::pair<std::vector<store::GapRow>, int64_t>> LedgerService::Gaps(const Principal& p,
                                                                           const std::string& org_code,
                                                                           const store::GapFilter& f) {
  using R = std::pair<std::vector<store::GapRow>, int64_t>;
  return db::ReadResult<R>(db_, [&](db::Connection& c) -> Result<R> {
    auto unit = org::store::Get(c, Scope::Of(p), org_code);
    if (!unit) return Fail(unit.error());
    return store::Gaps(c, Scope::ForPath(unit->path), f);
  });
}

Result<std::vector<store::TrendPoint>> LedgerService::Trend(const Principal& p, const std::string& org_code, int days) {
  const Day today = Today();
  return db::ReadResult<std::vector<store::TrendPoint>>(
      db_, [&](db::Connection& c) -> Result<std::vector<store::TrendPoint>> {
        auto unit = org::store::Get(c, Scope::Of(p), org_code);
        if (!unit) return Fail(unit.error());
        if (unit->level == org::Level::kSchool) return std::vector<store::TrendPoint>{};
        auto points = store::Trend(c, org_code, today - std::chrono::days(days - 1));
        if (!points) return Fail(points.error());
        auto live = store::UnitCounters(c, org_code);
        if (!live) return Fail(live.error());
        const std::string t = FormatDay(today);
        if (!points->empty() && points->back().day == t) points->pop_back();
        points->push_back({t, *live});
        return points;
      });
}

}  // namespace xiaoan::ledger
