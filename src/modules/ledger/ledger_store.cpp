#include "modules/ledger/ledger_store.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "xiaoan_ledger_sql.hpp"

namespace xiaoan::ledger::store {
namespace q = xiaoan::ledger::sql;
namespace {

using db::Opt;

std::optional<int64_t> OptInt(const db::Row& r, size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<int64_t>(r.Int(i));
}

ItemState StateOf(int64_t v) {
  return v == 1 ? ItemState::kMet : v == 2 ? ItemState::kNotApplicable : ItemState::kNotMet;
}
int64_t StateValue(ItemState s) { return s == ItemState::kMet ? 1 : s == ItemState::kNotApplicable ? 2 : 0; }

MeasureStatus MeasureOf(const std::string& s) {
  if (s == "in_place") return MeasureStatus::kInPlace;
  if (s == "not_in_place") return MeasureStatus::kNotInPlace;
  if (s == "not_possible") return MeasureStatus::kNotPossible;
  return MeasureStatus::kUnchecked;
}

StoredEvaluation EvaluationFromRow(const db::Row& r) {
  StoredEvaluation e;
  e.code = r.Text(0);
  e.path = r.Text(1);
  for (size_t i = 0; i < 4; ++i) e.states[i] = StateOf(r.Int(2 + i));
  e.all_four = r.Int(6) != 0;
  e.reasons_json = r.Text(7);
  e.evaluated_at = r.Text(8);
  return e;
}

Figures FiguresFromRow(const db::Row& r, size_t at) {
  Figures f;
  f.schools = r.Int(at);
  for (size_t i = 0; i < 5; ++i) f.items[i] = {r.Int(at + 1 + 2 * i), r.Int(at + 2 + 2 * i)};
  return f;
}

Guard GuardFromRow(const db::Row& r) {
  Guard g;
  g.id = r.Int(0);
  g.school_code = r.Text(1);
  g.name = r.Text(2);
  g.certificate_no = r.OptText(3);
  g.birth_year = OptInt(r, 4);
  g.employment = r.Text(5);
  g.employed_since = r.OptText(6);
  g.active = r.Int(7) != 0;
  g.updated_at = r.Text(8);
  return g;
}

Device DeviceFromRow(const db::Row& r) {
  Device d;
  d.id = r.Int(0);
  d.school_code = r.Text(1);
  d.kind = r.Text(2);
  d.name = r.Text(3);
  d.location = r.Text(4);
  d.national_id = r.OptText(5);
  d.police_networked = r.Int(6) != 0;
  d.installed_on = r.OptText(7);
  d.active = r.Int(8) != 0;
  d.updated_at = r.Text(9);
  d.expected_channels = r.Int(10);
  return d;
}

PostRecord PostFromRow(const db::Row& r) {
  PostRecord p;
  p.day = r.Text(0);
  p.session = r.Text(1);
  p.police = r.Int(2);
  p.staff = r.Int(3);
  p.guards = r.Int(4);
  p.start = r.OptText(5);
  p.end = r.OptText(6);
  p.note = r.Text(7);
  p.recorded_by = r.Text(8);
  p.recorded_at = r.Text(9);
  return p;
}

Result<int64_t> Count(db::Connection& c, const db::Sql& sql, const db::Params& params) {
  auto row = c.QueryOne(sql, params);
  if (!row) return Fail(row.error());
  return *row ? (*row)->Int(0) : 0;
}

}  // namespace

Result<std::vector<SchoolFacts>> LoadFacts(db::Connection& c, const FactsQuery& fq) {
  const db::Params range{fq.first, fq.last};
  auto schools = c.Query(q::kFactsSchools, range);
  if (!schools) return Fail(schools.error());
  std::vector<SchoolFacts> out;
  out.reserve(schools->size());
  std::map<std::string, size_t, std::less<>> index;
  for (const auto& r : *schools) {
    if (r.Text(9) != "school") continue;  // the range is by code alone
    SchoolFacts f;
    f.code = r.Text(0);
    f.path = r.Text(1);
    f.active = r.Int(2) != 0;
    f.attributes.school_type = org::SchoolTypeFromName(r.Text(3)).value_or(org::SchoolType::kPrimary);
    f.attributes.locality = org::LocalityFromName(r.Text(4)).value_or(org::Locality::kUrban);
    f.attributes.boarding = r.Int(5) != 0;
    f.attributes.day_students = r.Int(6);
    f.attributes.boarding_students = r.Int(7);
    f.attributes.class_count = r.Int(8);
    index.emplace(f.code, out.size());
    out.push_back(std::move(f));
  }
  auto each = [&](const db::Sql& sql, const db::Params& params, auto&& apply) -> Status {
    auto rows = c.Query(sql, params);
    if (!rows) return Fail(rows.error());
    for (const auto& r : *rows) {
      auto it = index.find(r.Text(0));
      if (it != index.end()) apply(out[it->second], r);
    }
    return {};
  };
  if (auto ok = each(q::kFactsGuards, {fq.first, fq.last, int64_t{fq.current_year}, int64_t{fq.guard_max_age}},
                     [](SchoolFacts& f, const db::Row& r) {
                       f.guards_qualified = r.Int(1);
                       f.guards_full_time_uncertified = r.Int(2);
                       f.guards_full_time_over_age = r.Int(3);
                     });
      !ok)
    return Fail(ok.error());
  if (auto ok = each(q::kFactsShifts, range,
                     [](SchoolFacts& f, const db::Row& r) {
                       f.shifts.push_back({static_cast<int>(r.Int(1)), static_cast<int>(r.Int(2)),
                                           static_cast<int>(r.Int(3)), r.Text(4)});
                     });
      !ok)
    return Fail(ok.error());
  if (auto ok = each(q::kFactsMeasures, range,
                     [](SchoolFacts& f, const db::Row& r) {
                       const auto m = r.Text(1);
                       for (size_t i = 0; i < 4; ++i)
                         if (m == kMeasures[i]) f.measures[i] = MeasureOf(r.Text(2));
                     });
      !ok)
    return Fail(ok.error());
  if (auto ok = each(q::kFactsPosts, {fq.first, fq.last, FormatDay(fq.window_start), FormatDay(fq.today)},
                     [](SchoolFacts& f, const db::Row& r) {
                       auto day = ParseDay(r.Text(1));
                       if (!day) return;
                       (r.Text(2) == "arrival" ? f.arrival_days : f.dismissal_days).insert(*day);
                     });
      !ok)
    return Fail(ok.error());
  if (auto ok = each(q::kFactsDevices, range,
                     [](SchoolFacts& f, const db::Row& r) {
                       f.alarm_networked = r.Int(1) > 0;
                       f.video_networked = r.Int(2) > 0;
                     });
      !ok)
    return Fail(ok.error());
  if (auto ok = each(q::kFactsTests, {fq.first, fq.last, FormatDay(fq.today)},
                     [](SchoolFacts& f, const db::Row& r) {
                       if (!r.IsNull(1)) f.last_passed_test = ParseDay(r.Text(1));
                     });
      !ok)
    return Fail(ok.error());
  return out;
}

Result<std::vector<std::string>> SchoolCodes(db::Connection& c) {
  auto rows = c.Query(q::kSchoolCodes, {});
  if (!rows) return Fail(rows.error());
  std::vector<std::string> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(r.Text(0));
  return out;
}

Result<std::optional<StoredEvaluation>> GetEvaluation(db::Connection& c, const std::string& code) {
  auto row = c.QueryOne(q::kGetEvaluation, {code});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<StoredEvaluation>();
  return std::optional<StoredEvaluation>(EvaluationFromRow(**row));
}

Result<std::vector<StoredEvaluation>> EvaluationsInRange(db::Connection& c, const std::string& first,
                                                         const std::string& last) {
  auto rows = c.Query(q::kEvaluationsInRange, {first, last});
  if (!rows) return Fail(rows.error());
  std::vector<StoredEvaluation> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(EvaluationFromRow(r));
  return out;
}

Status PutEvaluation(db::Connection& tx, const StoredEvaluation& e) {
  auto r = tx.Execute(q::kPutEvaluation,
                      {e.code, e.path, StateValue(e.states[0]), StateValue(e.states[1]), StateValue(e.states[2]),
                       StateValue(e.states[3]), int64_t{e.all_four ? 1 : 0}, e.reasons_json, e.evaluated_at});
  if (!r) return Fail(r.error());
  return {};
}

Status DeleteEvaluation(db::Connection& tx, const std::string& code) {
  auto r = tx.Execute(q::kDeleteEvaluation, {code});
  if (!r) return Fail(r.error());
  return {};
}

Status AddToUnit(db::Connection& tx, const std::string& unit_code, const Contribution& d) {
  db::Params p{unit_code};
  for (auto v : d.v) p.emplace_back(v);
  auto r = tx.Execute(q::kAddToUnit, p);
  if (!r) return Fail(r.error());
  return {};
}

Status ClearAll(db::Connection& tx) {
  if (auto r = tx.Execute(q::kClearUnits, {}); !r) return Fail(r.error());
  if (auto r = tx.Execute(q::kClearEvaluations, {}); !r) return Fail(r.error());
  return {};
}

Result<int64_t> CountUnitCounters(db::Connection& c) { return Count(c, q::kCountUnits, {}); }

Status Snapshot(db::Connection& tx, Day day) {
  if (auto r = tx.Execute(q::kSnapshotUnits, {FormatDay(day)}); !r) return Fail(r.error());
  return {};
}

Result<std::optional<std::string>> GetRollDay(db::Connection& c) {
  auto row = c.QueryOne(q::kGetRollDay, {});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>((*row)->Text(0));
}

Status SetRollDay(db::Connection& tx, Day day) {
  if (auto r = tx.Execute(q::kSetRollDay, {FormatDay(day)}); !r) return Fail(r.error());
  return {};
}

Result<Figures> UnitCounters(db::Connection& c, const std::string& unit_code) {
  auto row = c.QueryOne(q::kUnitFigures, {unit_code});
  if (!row) return Fail(row.error());
  if (!*row) return Figures{};
  return FiguresFromRow(**row, 0);
}

Result<std::vector<UnitFigures>> ChildUnits(db::Connection& c, const std::string& parent_code) {
  auto rows = c.Query(q::kChildUnitFigures, {parent_code});
  if (!rows) return Fail(rows.error());
  std::vector<UnitFigures> out;
  for (const auto& r : *rows) out.push_back({r.Text(0), r.Text(1), r.Text(2), FiguresFromRow(r, 3)});
  return out;
}

Figures SchoolFigures(const StoredEvaluation& e) {
  Figures f;
  f.schools = 1;
  for (size_t i = 0; i < 4; ++i)
    f.items[i] = {e.states[i] == ItemState::kMet ? 1 : 0, e.states[i] == ItemState::kNotApplicable ? 0 : 1};
  f.items[4] = {e.all_four ? 1 : 0, 1};
  return f;
}

Result<std::vector<UnitFigures>> ChildSchools(db::Connection& c, const std::string& parent_code) {
  auto rows = c.Query(q::kChildSchoolFigures, {parent_code});
  if (!rows) return Fail(rows.error());
  std::vector<UnitFigures> out;
  for (const auto& r : *rows) {
    UnitFigures u{r.Text(0), r.Text(1), r.Text(2), {}};
    if (!r.IsNull(4)) {
      StoredEvaluation e;
      for (size_t i = 0; i < 4; ++i) e.states[i] = StateOf(r.Int(4 + i));
      e.all_four = r.Int(8) != 0;
      u.figures = SchoolFigures(e);
    }
    out.push_back(std::move(u));
  }
  return out;
}

Result<std::pair<std::vector<GapRow>, int64_t>> Gaps(db::Connection& c, const Scope& scope, const GapFilter& f) {
  // The name filter is literal: % and _ in it match themselves.
  std::string like;
  for (char ch : f.q) {
    if (ch == '%' || ch == '_' || ch == '!') like += '!';
    like += ch;
  }
  db::Params params{scope.lower(), scope.upper(), f.item, f.locality, f.q};
  db::Params count_params = params;
  count_params.emplace_back(like);
  auto total = Count(c, q::kGapsCount, count_params);
  if (!total) return Fail(total.error());
  params.emplace_back(f.limit);
  params.emplace_back(f.offset);
  params.emplace_back(like);
  auto rows = c.Query(q::kGaps, params);
  if (!rows) return Fail(rows.error());
  std::vector<GapRow> out;
  for (const auto& r : *rows) {
    GapRow g;
    g.code = r.Text(0);
    g.name = r.Text(1);
    g.locality = r.Text(2);
    g.county_code = r.Text(3);
    g.county_name = r.Text(4);
    for (size_t i = 0; i < 4; ++i) g.states[i] = StateOf(r.Int(5 + i));
    g.reasons_json = r.Text(9);
    g.evaluated_at = r.Text(10);
    out.push_back(std::move(g));
  }
  return std::make_pair(std::move(out), *total);
}

Result<std::vector<TrendPoint>> Trend(db::Connection& c, const std::string& unit_code, Day from) {
  auto rows = c.Query(q::kTrend, {unit_code, FormatDay(from)});
  if (!rows) return Fail(rows.error());
  std::vector<TrendPoint> out;
  for (const auto& r : *rows) out.push_back({r.Text(0), FiguresFromRow(r, 1)});
  return out;
}

Result<std::vector<Guard>> Guards(db::Connection& c, const std::string& school) {
  auto rows = c.Query(q::kGuards, {school});
  if (!rows) return Fail(rows.error());
  std::vector<Guard> out;
  for (const auto& r : *rows) out.push_back(GuardFromRow(r));
  return out;
}

Result<std::optional<Guard>> GetGuard(db::Connection& c, const std::string& school, int64_t id) {
  auto row = c.QueryOne(q::kGetGuard, {school, id});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Guard>();
  return std::optional<Guard>(GuardFromRow(**row));
}

Result<int64_t> InsertGuard(db::Connection& tx, const Guard& g, const std::string& now) {
  return tx.InsertReturningId(q::kInsertGuard, {g.school_code, g.name, Opt(g.certificate_no), Opt(g.birth_year),
                                                g.employment, Opt(g.employed_since), int64_t{g.active ? 1 : 0}, now});
}

Status UpdateGuard(db::Connection& tx, const Guard& g, const std::string& now) {
  auto r = tx.Execute(q::kUpdateGuard, {g.school_code, g.id, g.name, Opt(g.certificate_no), Opt(g.birth_year),
                                        g.employment, Opt(g.employed_since), int64_t{g.active ? 1 : 0}, now});
  if (!r) return Fail(r.error());
  return {};
}

Result<std::vector<Shift>> Shifts(db::Connection& c, const std::string& school) {
  auto rows = c.Query(q::kShifts, {school});
  if (!rows) return Fail(rows.error());
  std::vector<Shift> out;
  for (const auto& r : *rows)
    out.push_back({static_cast<int>(r.Int(1)), static_cast<int>(r.Int(2)), static_cast<int>(r.Int(3)), r.Text(4)});
  return out;
}

Status ReplaceShifts(db::Connection& tx, const std::string& school, const std::vector<Shift>& shifts) {
  if (auto r = tx.Execute(q::kDeleteShifts, {school}); !r) return Fail(r.error());
  for (const auto& s : shifts) {
    if (auto r = tx.Execute(q::kInsertShift,
                            {school, int64_t{s.weekday}, int64_t{s.start_min}, int64_t{s.end_min}, s.staff});
        !r)
      return Fail(r.error());
  }
  return {};
}

Result<std::vector<Patrol>> Patrols(db::Connection& c, const std::string& school, Day day) {
  auto rows = c.Query(q::kPatrols, {school, FormatDay(day)});
  if (!rows) return Fail(rows.error());
  std::vector<Patrol> out;
  for (const auto& r : *rows)
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), std::nullopt});
  return out;
}

Result<int64_t> CountPatrols(db::Connection& c, const std::string& school, Day day) {
  return Count(c, q::kCountPatrols, {school, FormatDay(day)});
}

Result<int64_t> InsertPatrol(db::Connection& tx, const std::string& school, const Patrol& p, Day day,
                             const std::string& now) {
  return tx.InsertReturningId(q::kInsertPatrol, {school, p.patrolled_at, FormatDay(day), p.area, p.by_name, p.note,
                                                 p.recorded_by, now, Opt(p.idempotency_key)});
}

namespace {
ClosedCheck CheckFromRow(const db::Row& r) {
  ClosedCheck k;
  k.id = r.Int(0);
  k.measure = r.Text(1);
  k.status = r.Text(2);
  k.checked_on = r.Text(3);
  k.note = r.Text(4);
  const auto photos = nlohmann::json::parse(r.Text(5), nullptr, false);
  if (photos.is_array())
    for (const auto& p : photos)
      if (p.is_string()) k.photos.push_back(p.get<std::string>());
  k.recorded_by = r.Text(6);
  k.recorded_at = r.Text(7);
  return k;
}
AlarmTest TestFromRow(const db::Row& r) {
  return {r.Int(0), r.Text(1), OptInt(r, 2), r.Text(3), OptInt(r, 4), r.Text(5), r.Text(6), std::nullopt};
}
}  // namespace

Result<std::optional<Patrol>> PatrolByKey(db::Connection& c, const std::string& school, const std::string& key) {
  auto row = c.QueryOne(q::kPatrolByKey, {school, key});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Patrol>();
  const auto& r = **row;
  return std::optional<Patrol>(Patrol{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), key});
}

Result<std::optional<ClosedCheck>> ClosedCheckByKey(db::Connection& c, const std::string& school,
                                                    const std::string& key) {
  auto row = c.QueryOne(q::kClosedCheckByKey, {school, key});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<ClosedCheck>();
  return std::optional<ClosedCheck>(CheckFromRow(**row));
}

Result<std::optional<AlarmTest>> AlarmTestByKey(db::Connection& c, const std::string& school, const std::string& key) {
  auto row = c.QueryOne(q::kAlarmTestByKey, {school, key});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<AlarmTest>();
  return std::optional<AlarmTest>(TestFromRow(**row));
}

Result<std::vector<ClosedCheck>> ClosedChecks(db::Connection& c, const std::string& school) {
  auto rows = c.Query(q::kClosedChecks, {school});
  if (!rows) return Fail(rows.error());
  std::vector<ClosedCheck> out;
  for (const auto& r : *rows) out.push_back(CheckFromRow(r));
  return out;
}

Result<int64_t> InsertClosedCheck(db::Connection& tx, const std::string& school, const ClosedCheck& k,
                                  const std::string& now) {
  return tx.InsertReturningId(q::kInsertClosedCheck,
                              {school, k.measure, k.status, k.checked_on, k.note, nlohmann::json(k.photos).dump(),
                               k.recorded_by, now, Opt(k.idempotency_key)});
}

Result<std::vector<PostRecord>> Posts(db::Connection& c, const std::string& school, Day from, Day to) {
  auto rows = c.Query(q::kPosts, {school, FormatDay(from), FormatDay(to)});
  if (!rows) return Fail(rows.error());
  std::vector<PostRecord> out;
  for (const auto& r : *rows) out.push_back(PostFromRow(r));
  return out;
}

Result<std::optional<PostRecord>> GetPost(db::Connection& c, const std::string& school, const std::string& day,
                                          const std::string& session) {
  auto row = c.QueryOne(q::kGetPost, {school, day, session});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<PostRecord>();
  return std::optional<PostRecord>(PostFromRow(**row));
}

Status PutPost(db::Connection& tx, const std::string& school, const PostRecord& p) {
  auto r = tx.Execute(q::kPutPost, {school, p.day, p.session, p.police, p.staff, p.guards, Opt(p.start), Opt(p.end),
                                    p.note, p.recorded_by, p.recorded_at});
  if (!r) return Fail(r.error());
  return {};
}

Result<std::vector<InventoryDevice>> DeviceInventory(db::Connection& c) {
  auto rows = c.Query(q::kDeviceInventory, {});
  if (!rows) return Fail(rows.error());
  std::vector<InventoryDevice> out;
  for (const auto& r : *rows)
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6)});
  return out;
}

Result<std::vector<Device>> Devices(db::Connection& c, const std::string& school) {
  auto rows = c.Query(q::kDevices, {school});
  if (!rows) return Fail(rows.error());
  std::vector<Device> out;
  for (const auto& r : *rows) out.push_back(DeviceFromRow(r));
  return out;
}

Result<std::optional<Device>> GetDevice(db::Connection& c, const std::string& school, int64_t id) {
  auto row = c.QueryOne(q::kGetDevice, {school, id});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Device>();
  return std::optional<Device>(DeviceFromRow(**row));
}

Result<int64_t> InsertDevice(db::Connection& tx, const Device& d, const std::string& now) {
  return tx.InsertReturningId(q::kInsertDevice, {d.school_code, d.kind, d.name, d.location, Opt(d.national_id),
                                                 int64_t{d.police_networked ? 1 : 0}, Opt(d.installed_on),
                                                 int64_t{d.active ? 1 : 0}, now, d.expected_channels});
}

Status UpdateDevice(db::Connection& tx, const Device& d, const std::string& now) {
  auto r = tx.Execute(q::kUpdateDevice, {d.school_code, d.id, d.kind, d.name, d.location, Opt(d.national_id),
                                         int64_t{d.police_networked ? 1 : 0}, Opt(d.installed_on),
                                         int64_t{d.active ? 1 : 0}, now, d.expected_channels});
  if (!r) return Fail(r.error());
  return {};
}

Result<bool> NationalIdTaken(db::Connection& c, const std::string& national_id, int64_t except_id) {
  auto row = c.QueryOne(q::kNationalIdTaken, {national_id, except_id});
  if (!row) return Fail(row.error());
  return row->has_value();
}

Result<std::pair<std::vector<AlarmTest>, int64_t>> AlarmTests(db::Connection& c, const std::string& school,
                                                              int64_t limit, int64_t offset) {
  auto total = Count(c, q::kAlarmTestsCount, {school});
  if (!total) return Fail(total.error());
  auto rows = c.Query(q::kAlarmTests, {school, limit, offset});
  if (!rows) return Fail(rows.error());
  std::vector<AlarmTest> out;
  for (const auto& r : *rows) out.push_back(TestFromRow(r));
  return std::make_pair(std::move(out), *total);
}

Result<int64_t> InsertAlarmTest(db::Connection& tx, const std::string& school, const AlarmTest& t, Day day,
                                const std::string& now) {
  return tx.InsertReturningId(
      q::kInsertAlarmTest, {school, t.tested_at, FormatDay(day), Opt(t.device_id), t.result, Opt(t.ack_seconds), t.note,
                            t.recorded_by, now, Opt(t.idempotency_key)});
}

Status InsertFile(db::Connection& tx, const FileMeta& f, const std::string& by, const std::string& now) {
  auto r = tx.Execute(q::kInsertFile, {f.id, f.school_code, f.content_type, f.size, by, now});
  if (!r) return Fail(r.error());
  return {};
}

Result<std::optional<FileMeta>> GetFile(db::Connection& c, const Scope& scope, const std::string& id) {
  auto row = c.QueryOne(q::kGetFile, {id, scope.lower(), scope.upper()});
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<FileMeta>();
  return std::optional<FileMeta>(FileMeta{(*row)->Text(0), (*row)->Text(1), (*row)->Text(2), (*row)->Int(3)});
}

Result<bool> SchoolHasFile(db::Connection& c, const std::string& school, const std::string& id) {
  auto row = c.QueryOne(q::kFileOfSchool, {id, school});
  if (!row) return Fail(row.error());
  return row->has_value();
}

Result<std::pair<std::vector<audit::Record>, int64_t>> History(db::Connection& c, const std::string& school,
                                                               int64_t limit, int64_t offset) {
  // Targets are "ledger/<code>/..." so the school's records are one index range.
  const std::string lower = "ledger/" + school + "/";
  const std::string upper = "ledger/" + school + "0";  // '0' follows '/'
  auto total = Count(c, q::kHistoryCount, {lower, upper});
  if (!total) return Fail(total.error());
  auto rows = c.Query(q::kHistory, {lower, upper, limit, offset});
  if (!rows) return Fail(rows.error());
  std::vector<audit::Record> out;
  for (const auto& r : *rows) {
    audit::Record a;
    a.id = r.Int(0);
    a.at = r.Text(1);
    a.user_id = OptInt(r, 2);
    a.username = r.Text(3);
    a.role = r.Text(4);
    a.org_code = r.Text(5);
    a.action = r.Text(6);
    a.target = r.Text(7);
    a.outcome = r.Text(8);
    a.request_id = r.Text(9);
    a.summary = r.Text(10);
    a.algorithm = r.Text(11);
    a.prev_hash = r.Text(12);
    a.hash = r.Text(13);
    out.push_back(std::move(a));
  }
  return std::make_pair(std::move(out), *total);
}

}  // namespace xiaoan::ledger::store
