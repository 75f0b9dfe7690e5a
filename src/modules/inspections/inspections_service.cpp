#include "modules/inspections/inspections_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "base/scope.hpp"
#include "modules/accounts/password.hpp"
#include "modules/inspections/inspection_rules.hpp"
#include "modules/inspections/inspections_support.hpp"
#include "modules/ledger/ledger_store.hpp"
#include "modules/ledger/photo_store.hpp"
#include "modules/org/org_rules.hpp"
#include "modules/org/org_store.hpp"
#include "platform/http/json_body.hpp"
#include "xiaoan_inspections_sql.hpp"

namespace xiaoan::inspections {
namespace q = xiaoan::inspections::sql;
using json = nlohmann::json;
using db::Opt;

using support::Invalid;
using support::IsBureauOfficer;
using support::IsSchoolInspector;
using support::JsonOf;
using support::StringsOf;

namespace {

Inspection InspectionFromRow(const db::Row& r) {
  Inspection i;
  i.id = r.Int(0);
  i.school_code = r.Text(1);
  i.school_name = r.Text(2);
  i.path = r.Text(3);
  i.template_id = r.Int(4);
  i.template_name = r.Text(5);
  i.template_version = r.Int(6);
  if (!r.IsNull(7)) i.campaign_id = r.Int(7);
  if (!r.IsNull(8)) i.due_id = r.Int(8);
  i.source = r.Text(9);
  i.inspector = r.Text(10);
  i.inspected_at = r.Text(11);
  i.notes = r.Text(12);
  i.pass = r.Int(13);
  i.fail = r.Int(14);
  i.na = r.Int(15);
  return i;
}

// Whether a template owned at `owner_path` (nullopt: shipped) serves a unit at `path`: shipped, or
// owned by the unit or one above it.
bool ServesUnit(const std::optional<std::string>& owner_path, const std::string& path) {
  return !owner_path || path.starts_with(*owner_path);
}

// The request as canonical text, for the fingerprint that tells a retry from a new request.
std::string CanonicalRequest(const InspectionInput& in) {
  json results = json::array();
  for (const auto& r : in.results) {
    json h = nullptr;
    if (r.hazard)
      h = {r.hazard->grade, r.hazard->location, r.hazard->description, r.hazard->building_grade.value_or(""),
           r.hazard->fixed_at_once};
    results.push_back({r.code, r.result, r.note, r.photos, h});
  }
  return json{in.school, in.template_id, in.due_id ? *in.due_id : -1, in.source, in.notes, results}.dump();
}

Totals TotalsOf(int64_t due, int64_t on_time, int64_t late, int64_t missed, int64_t open) {
  return Totals{due, on_time + late, on_time, late, missed, open};
}

void Rates(inspections::Progress& p) {
  if (p.totals.due <= 0) return;
  p.completeness = static_cast<double>(p.totals.done) / static_cast<double>(p.totals.due);
  p.timeliness = static_cast<double>(p.totals.on_time) / static_cast<double>(p.totals.due);
}

}  // namespace

// ---- campaigns

Result<Campaign> InspectionsService::LoadCampaign(db::Connection& c, int64_t id, Day today, std::string* org_path,
                                                  bool with_totals) const {
  auto row = c.QueryOne(q::kCampaign, {id});
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound("The campaign"));
  const auto& r = **row;
  Campaign out;
  out.id = r.Int(0);
  out.name = r.Text(1);
  out.org_code = r.Text(2);
  out.org_name = r.Text(3);
  out.template_id = r.Int(4);
  out.template_name = r.Text(5);
  out.cadence = r.Text(6);
  out.starts_on = r.Text(7);
  out.ends_on = r.Text(8);
  out.school_types = StringsOf(r.Text(9));
  out.locality = StringsOf(r.Text(10));
  out.description = r.Text(11);
  out.created_by = r.Text(12);
  out.created_at = r.Text(13);
  out.rounds = r.Int(14);
  if (org_path) *org_path = r.Text(15);
  auto starts = ParseDay(out.starts_on), ends = ParseDay(out.ends_on);
  if (starts && ends) {
    auto rounds = MakeRounds(out.cadence, *starts, *ends);
    if (rounds) out.current_round = CurrentRound(*rounds, today);
  }
  if (!with_totals) return out;
  auto totals = c.QueryOne(q::kCampaignTotals, {id});
  if (!totals) return Fail(totals.error());
  if (*totals) {
    const auto& t = **totals;
    out.totals = TotalsOf(t.Int(0), static_cast<int64_t>(t.Real(1)), static_cast<int64_t>(t.Real(2)),
                          static_cast<int64_t>(t.Real(3)), static_cast<int64_t>(t.Real(4)));
  }
  return out;
}

Result<Campaign> InspectionsService::VisibleCampaign(db::Connection& c, int64_t id, const std::string& path,
                                                     std::string* org_path, bool with_totals) const {
  std::string issued_at;
  auto campaign = LoadCampaign(c, id, Today(), &issued_at, with_totals);
  if (!campaign) return campaign;
  if (org_path) *org_path = issued_at;
  const Scope scope = Scope::ForPath(path);
  if (scope.Contains(issued_at)) return campaign;
  if (path.starts_with(issued_at)) {
    auto any = c.QueryOne(q::kDuesInRange, {id, scope.lower(), scope.upper()});
    if (!any) return Fail(any.error());
    if (*any) return campaign;
  }
  return Fail(Error::NotFound("The campaign"));
}

Result<int64_t> InspectionsService::Issue(db::Connection& tx, const audit::Actor& a, const CampaignInput& in,
                                          const std::string& org_path, const std::vector<Round>& rounds, Day today) {
  const std::string now = FormatRfc3339(clock_.Now());
  auto id =
      tx.InsertReturningId(q::kInsertCampaign, {in.name, in.org, org_path, in.template_id, in.cadence, in.starts_on,
                                                in.ends_on, JsonOf(in.school_types), JsonOf(in.locality),
                                                in.description, static_cast<int64_t>(rounds.size()), a.username, now});
  if (!id) return Fail(id.error());
  // The current round's due rows exist when the campaign is issued; rounds that closed before it
  // was issued are not created, later ones by the window job when they open.
  const auto current = CurrentRound(rounds, today);
  if (!current) return Fail(Error::Invalid("ends_on", "The campaign has ended already."));
  const Scope scope = Scope::ForPath(org_path);
  auto n = tx.Execute(q::kInsertDues, {*id, current->round, current->opens_on, current->due_on, scope.lower(),
                                       scope.upper(), JsonOf(in.school_types), JsonOf(in.locality)});
  if (!n) return Fail(n.error());
  if (auto r = tx.Execute(q::kSetRoundsCreated, {*id, current->round}); !r) return Fail(r.error());
  if (auto s =
          audit_.Append(tx, {a, "campaign.create", fmt::format("campaigns/{}", *id), audit::Outcome::kSuccess,
                             fmt::format("{} {} {} {}..{}, {} round(s), round {}: {} school(s)", in.org, in.name,
                                         in.cadence, in.starts_on, in.ends_on, rounds.size(), current->round, *n)});
      !s)
    return Fail(s.error());
  return *id;
}

Result<Campaign> InspectionsService::CreateCampaign(const Principal& p, const audit::Actor& a,
                                                    const CampaignInput& given) {
  const Day today = Today();
  std::vector<FieldError> errors;
  if (!IsBureauOfficer(p.role)) return Fail(Error::Denied("A bureau's admin or safety officer issues campaigns."));
  CampaignInput in = given;
  in.name = org::TrimBlanks(in.name);
  in.description = org::TrimBlanks(in.description);
  const long name_len = http::Utf8Length(in.name);
  if (name_len == 0)
    errors.push_back({"name", "Must not be empty."});
  else if (name_len < 1 || name_len > 60)
    errors.push_back({"name", "1 to 60 characters."});
  if (http::Utf8Length(in.description) > 1000) errors.push_back({"description", "At most 1000 characters."});
  const auto starts = ParseDay(in.starts_on), ends = ParseDay(in.ends_on);
  if (!starts) errors.push_back({"starts_on", "A date as YYYY-MM-DD."});
  if (!ends) errors.push_back({"ends_on", "A date as YYYY-MM-DD."});
  for (size_t i = 0; i < in.school_types.size(); ++i)
    if (!org::SchoolTypeFromName(in.school_types[i]))
      errors.push_back({fmt::format("school_types[{}]", i), "Not a school type."});
  for (size_t i = 0; i < in.locality.size(); ++i)
    if (!org::LocalityFromName(in.locality[i]))
      errors.push_back({fmt::format("locality[{}]", i), "Use urban, town or rural."});
  std::vector<Round> rounds;
  if (starts && ends) {
    if (*ends < today) {
      errors.push_back({"ends_on", "Not in the past."});
    } else if (*ends - *starts > std::chrono::days(731)) {
      errors.push_back({"ends_on", "A campaign lasts at most two years."});
    } else if (*starts < today - std::chrono::days(366)) {
      errors.push_back({"starts_on", "At most a year ago."});
    } else {
      auto made = MakeRounds(in.cadence, *starts, *ends);
      if (!made)
        errors.insert(errors.end(), made.error().fields.begin(), made.error().fields.end());
      else
        rounds = std::move(*made);
    }
  } else if (in.cadence != "once" && in.cadence != "weekly" && in.cadence != "monthly" && in.cadence != "semester") {
    errors.push_back({"cadence", "Use once, weekly, monthly or semester."});
  }
  if (!errors.empty()) return Fail(Invalid(errors));
  int64_t id = 0;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto unit = org::store::Get(tx, Scope::Of(p), in.org);
    if (!unit) return Fail(unit.error());
    if (unit->level == org::Level::kSchool)
      return Fail(Error::Invalid("org", "A campaign is issued by a province, city or county unit."));
    auto tpl = tx.QueryOne(q::kTemplate, {in.template_id});
    if (!tpl) return Fail(tpl.error());
    if (!*tpl || !ServesUnit((*tpl)->OptText(5), unit->path))
      return Fail(Error::Invalid("template_id", "No such checklist for this unit."));
    CampaignInput fixed = in;
    fixed.org = unit->code;
    auto issued = Issue(tx, a, fixed, unit->path, rounds, today);
    if (!issued) return Fail(issued.error());
    id = *issued;
    return {};
  });
  if (!ok) return Fail(ok.error());
  return db::ReadResult<Campaign>(db_, [&](db::Connection& c) { return LoadCampaign(c, id, today, nullptr); });
}

Result<std::pair<std::vector<Campaign>, int64_t>> InspectionsService::Campaigns(const Principal& p,
                                                                                const std::string& org, int64_t limit,
                                                                                int64_t offset) {
  using Out = std::pair<std::vector<Campaign>, int64_t>;
  const Day today = Today();
  return db::ReadResult<Out>(db_, [&](db::Connection& c) -> Result<Out> {
    auto unit = org::store::Get(c, Scope::Of(p), org);
    if (!unit) return Fail(unit.error());
    const Scope scope = Scope::ForPath(unit->path);
    auto count = c.QueryOne(q::kCampaignsCount, {scope.lower(), scope.upper()});
    if (!count) return Fail(count.error());
    auto ids = c.Query(q::kCampaigns, {scope.lower(), scope.upper(), limit, offset});
    if (!ids) return Fail(ids.error());
    Out out;
    out.second = *count ? (*count)->Int(0) : 0;
    for (const auto& r : *ids) {
      auto campaign = LoadCampaign(c, r.Int(0), today, nullptr);
      if (!campaign) return Fail(campaign.error());
      out.first.push_back(std::move(*campaign));
    }
    return out;
  });
}

Result<Campaign> InspectionsService::GetCampaign(const Principal& p, int64_t id) {
  return db::ReadResult<Campaign>(db_, [&](db::Connection& c) { return VisibleCampaign(c, id, p.org_path, nullptr); });
}

Result<CampaignProgress> InspectionsService::Progress(const Principal& p, int64_t id, std::optional<std::string> org,
                                                      std::optional<int64_t> round) {
  const Day today = Today();
  return db::ReadResult<CampaignProgress>(db_, [&](db::Connection& c) -> Result<CampaignProgress> {
    std::string issued_at;
    auto campaign = VisibleCampaign(c, id, p.org_path, &issued_at, false);
    if (!campaign) return Fail(campaign.error());
    if (!org) org = Scope::Of(p).Contains(issued_at) ? campaign->org_code : p.org_code;
    auto unit = org::store::Get(c, Scope::Of(p), *org);
    if (!unit) return Fail(unit.error());
    auto row = c.QueryOne(q::kCampaign, {id});
    if (!row || !*row) return Fail(row ? Error::NotFound("The campaign") : row.error());
    const int64_t created = (*row)->Int(16);
    auto rounds = MakeRounds(campaign->cadence, *ParseDay(campaign->starts_on), *ParseDay(campaign->ends_on));
    if (!rounds) return Fail(rounds.error());
    int64_t n = round.value_or(campaign->current_round ? campaign->current_round->round : created);
    if (!round && n > created) n = created;
    if (n < 1 || n > created) return Fail(Error::Invalid("round", fmt::format("A round from 1 to {}.", created)));
    CampaignProgress out;
    out.round = (*rounds)[static_cast<size_t>(n - 1)];
    out.unit = {unit->code, unit->name, org::LevelName(unit->level), {}, std::nullopt, std::nullopt};
    const Scope scope = Scope::ForPath(unit->path);
    auto groups =
        c.Query(q::kProgress, {id, n, scope.lower(), static_cast<int64_t>(scope.lower().size()), scope.upper()});
    if (!groups) return Fail(groups.error());
    for (const auto& g : *groups) {
      inspections::Progress child{g.Text(0),
                                  g.Text(1),
                                  g.Text(2),
                                  TotalsOf(g.Int(3), static_cast<int64_t>(g.Real(4)), static_cast<int64_t>(g.Real(5)),
                                           static_cast<int64_t>(g.Real(6)), static_cast<int64_t>(g.Real(7))),
                                  std::nullopt,
                                  std::nullopt};
      Rates(child);
      auto& u = out.unit.totals;
      u.due += child.totals.due;
      u.done += child.totals.done;
      u.on_time += child.totals.on_time;
      u.late += child.totals.late;
      u.missed += child.totals.missed;
      u.open += child.totals.open;
      // A school's own row is its unit, not a child.
      if (unit->level != org::Level::kSchool) out.children.push_back(std::move(child));
    }
    Rates(out.unit);
    auto missed = c.Query(q::kMissedSchools, {id, n, scope.lower(), scope.upper(), FormatDay(today)});
    if (!missed) return Fail(missed.error());
    for (const auto& m : *missed) out.missed_schools.push_back({m.Text(0), m.Text(1), m.Text(2), m.Text(3), m.Text(4)});
    return out;
  });
}

// ---- dues and inspections

Result<std::vector<Due>> InspectionsService::Dues(const Principal& p, const std::string& school) {
  const std::string today = FormatDay(Today());
  const std::string since = FormatDay(Today() - std::chrono::days(30));
  return db::ReadResult<std::vector<Due>>(db_, [&](db::Connection& c) -> Result<std::vector<Due>> {
    auto unit = org::store::Get(c, Scope::Of(p), school);
    if (!unit) return Fail(unit.error());
    if (unit->level != org::Level::kSchool) return Fail(Error::NotFound("The school"));
    auto rows = c.Query(q::kSchoolDues, {school, since});
    if (!rows) return Fail(rows.error());
    std::vector<Due> out;
    for (const auto& r : *rows) {
      Due d{r.Int(0), r.Int(1),  r.Text(2), r.Int(3),  r.Text(4),
            r.Int(5), r.Text(6), r.Text(7), r.Text(8), std::nullopt};
      if (!r.IsNull(9)) d.inspection_id = r.Int(9);
      d.upcoming = d.opens_on > today;
      out.push_back(std::move(d));
    }
    return out;
  });
}

Result<Inspection> InspectionsService::LoadInspection(db::Connection& c, const std::string& scope_path,
                                                      int64_t id) const {
  const Scope scope = Scope::ForPath(scope_path);
  auto row = c.QueryOne(q::kInspection, {id, scope.lower(), scope.upper()});
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound("The inspection"));
  Inspection out = InspectionFromRow(**row);
  auto results = c.Query(q::kInspectionResults, {id});
  if (!results) return Fail(results.error());
  for (const auto& r : *results) {
    ResultRecord rec{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), StringsOf(r.Text(5)), std::nullopt};
    if (!r.IsNull(6)) rec.hazard_id = r.Int(6);
    out.results.push_back(std::move(rec));
  }
  return out;
}

Result<Recorded> InspectionsService::Replay(db::Connection& c, int64_t id) const {
  auto inspection = LoadInspection(c, "/", id);
  if (!inspection) return Fail(inspection.error());
  Recorded out{std::move(*inspection), {}};
  for (const auto& r : out.inspection.results)
    if (r.hazard_id) out.hazard_ids.push_back(*r.hazard_id);
  return out;
}

Result<Recorded> InspectionsService::Record(const Principal& p, const audit::Actor& a, const InspectionInput& in) {
  const TimePoint now_tp = clock_.Now();
  const std::string now = FormatRfc3339(now_tp);
  const std::string today = FormatDay(ShanghaiDay(now_tp));
  const bool by_school = in.source == "campaign" || in.source == "self";
  const bool by_bureau = in.source == "spot_check" || in.source == "unannounced";
  std::vector<FieldError> errors;
  if (!by_school && !by_bureau) errors.push_back({"source", "Use campaign, self, spot_check or unannounced."});
  if (in.source == "campaign" && !in.due_id) errors.push_back({"due_id", "A campaign inspection names its due row."});
  if (in.due_id && in.source != "campaign") errors.push_back({"due_id", "Only a campaign inspection has a due row."});
  if (http::Utf8Length(in.notes) > 2000) errors.push_back({"notes", "At most 2000 characters."});
  if (in.results.empty() || in.results.size() > 200) errors.push_back({"results", "1 to 200 results."});
  for (size_t i = 0; i < in.results.size(); ++i) {
    const auto& r = in.results[i];
    if (r.photos.size() > 9) errors.push_back({fmt::format("results[{}].photos", i), "At most 9 photos."});
    for (size_t j = 0; j < r.photos.size(); ++j)
      if (!ledger::PhotoStore::ValidId(r.photos[j]))
        errors.push_back({fmt::format("results[{}].photos[{}]", i, j), "Not a file id."});
  }
  if (!errors.empty()) return Fail(Invalid(errors));
  const std::string request_hash = accounts::Sha256Hex(CanonicalRequest(in));

  int64_t id = 0;
  std::optional<Recorded> replayed;
  std::vector<int64_t> hazard_ids;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    hazard_ids.clear();
    auto school = org::store::Get(tx, Scope::Of(p), in.school);
    if (!school) return Fail(school.error());
    if (school->level != org::Level::kSchool) return Fail(Error::NotFound("The school"));
    if (by_school && !(IsSchoolInspector(p.role) && p.org_code == school->code))
      return Fail(Error::Denied("The school's principal, Party secretary or safety officer inspects the school."));
    if (by_bureau && !IsBureauOfficer(p.role))
      return Fail(Error::Denied("A bureau's admin or safety officer records spot checks and unannounced visits."));
    if (!school->active) return Fail(Error::Conflict("school", "The school is deactivated."));
    if (in.idempotency_key) {
      auto prev = tx.QueryOne(q::kInspectionByKey, {school->code, *in.idempotency_key});
      if (!prev) return Fail(prev.error());
      if (*prev) {
        if ((*prev)->Text(1) != request_hash) {
          Error e = Error::Invalid("Idempotency-Key",
                                   "This key was used for a different inspection; a retry must send the same one.");
          e.reason = "idempotency_key_reused";
          return Fail(e);
        }
        auto r = Replay(tx, (*prev)->Int(0));
        if (!r) return Fail(r.error());
        replayed = std::move(*r);
        return {};
      }
    }
    auto tpl = tx.QueryOne(q::kTemplate, {in.template_id});
    if (!tpl) return Fail(tpl.error());
    if (!*tpl || !ServesUnit((*tpl)->OptText(5), school->path))
      return Fail(Error::Invalid("template_id", "No such checklist for this school."));
    auto checklist = LoadChecklist(tx, in.template_id, true);
    if (!checklist) return Fail(checklist.error());

    std::optional<int64_t> campaign_id;
    std::string due_status;
    if (in.due_id) {
      auto due = tx.QueryOne(q::kDueById, {*in.due_id});
      if (!due) return Fail(due.error());
      if (!*due || (*due)->Text(2) != school->code)
        return Fail(Error::Invalid("due_id", "Not a due inspection of this school."));
      const auto& d = **due;
      if (d.Text(3) == "done" || d.Text(3) == "late")
        return Fail(Error::Conflict("due_id", "This due inspection has been done already."));
      if (d.Text(4) > today) return Fail(Error::Invalid("due_id", "Its window opens on " + d.Text(4) + "."));
      if (d.Int(6) != in.template_id)
        return Fail(Error::Invalid("template_id", fmt::format("The campaign's checklist is {}.", d.Int(6))));
      campaign_id = d.Int(1);
      due_status = today > d.Text(5) ? "late" : "done";
    }

    auto problems = CheckResults(checklist->items, in.results);
    for (size_t i = 0; i < in.results.size() && problems.empty(); ++i) {
      for (size_t j = 0; j < in.results[i].photos.size(); ++j) {
        auto has = ledger::store::SchoolHasFile(tx, school->code, in.results[i].photos[j]);
        if (!has) return Fail(has.error());
        if (!*has)
          problems.push_back({fmt::format("results[{}].photos[{}]", i, j), "Upload the photo for this school first."});
      }
    }
    if (!problems.empty()) return Fail(Invalid(problems));

    int64_t pass = 0, fail = 0, na = 0;
    for (const auto& r : in.results) (r.result == "pass" ? pass : r.result == "fail" ? fail : na) += 1;
    auto inserted = tx.InsertReturningId(
        q::kInsertInspection, {school->code, school->path, in.template_id, Opt(campaign_id), Opt(in.due_id), in.source,
                               p.username, now, in.notes, pass, fail, na, Opt(in.idempotency_key), request_hash});
    if (!inserted) return Fail(inserted.error());
    id = *inserted;
    std::map<std::string, size_t> position;
    for (size_t i = 0; i < checklist->items.size(); ++i) position[checklist->items[i].code] = i;
    for (size_t i = 0; i < in.results.size(); ++i) {
      const ResultInput& r = in.results[i];
      const ChecklistItem& item = checklist->items[position[r.code]];
      std::optional<int64_t> hazard_id;
      if (r.result == "fail" && sink_) {
        const HazardInput& h = *r.hazard;
        std::string description = h.description;
        if (org::TrimBlanks(description).empty()) description = r.note.empty() ? item.text : item.text + "：" + r.note;
        FailedItem failed{school->code,
                          school->path,
                          item.category,
                          h.location,
                          description,
                          h.grade,
                          h.building_grade,
                          h.fixed_at_once,
                          id,
                          item.code,
                          by_school ? std::string("inspection") : in.source,
                          p.username,
                          now,
                          r.photos,
                          a};
        auto hid = sink_(tx, failed);
        if (!hid) {
          // The hazards module names its own fields; the caller sent them as this result's hazard.
          Error e = hid.error();
          if (e.code == ErrorCode::kInvalidArgument)
            for (auto& f : e.fields) f.field = fmt::format("results[{}].hazard.{}", i, f.field);
          return Fail(e);
        }
        hazard_id = *hid;
        hazard_ids.push_back(*hid);
      }
      if (auto x = tx.Execute(q::kInsertResult, {id, static_cast<int64_t>(position[r.code]), r.code, r.result, r.note,
                                                 JsonOf(r.photos), Opt(hazard_id)});
          !x)
        return Fail(x.error());
    }
    if (in.due_id) {
      auto u = tx.Execute(q::kCompleteDue, {*in.due_id, due_status, id});
      if (!u) return Fail(u.error());
      if (*u != 1) return Fail(Error::Conflict("due_id", "This due inspection has been done already."));
    }
    return audit_.Append(
        tx, {a, "inspection.create", fmt::format("inspections/{}", id), audit::Outcome::kSuccess,
             fmt::format("{} {} checklist {} v{}: {} pass, {} fail, {} n/a{}", school->code, in.source, checklist->key,
                         checklist->version, pass, fail, na, due_status.empty() ? "" : " (" + due_status + ")")});
  });
  if (!ok) return Fail(ok.error());
  if (replayed) return std::move(*replayed);
  auto inspection = db::ReadResult<Inspection>(db_, [&](db::Connection& c) { return LoadInspection(c, "/", id); });
  if (!inspection) return Fail(inspection.error());
  return Recorded{std::move(*inspection), std::move(hazard_ids)};
}

Result<std::pair<std::vector<Inspection>, int64_t>> InspectionsService::Inspections(const Principal& p,
                                                                                    const InspectionFilter& f) {
  using Out = std::pair<std::vector<Inspection>, int64_t>;
  auto range = DayRangeRfc3339(f.from, f.to);
  if (!range) return Fail(range.error());
  const std::string &from = range->first, &to = range->second;
  return db::ReadResult<Out>(db_, [&](db::Connection& c) -> Result<Out> {
    auto unit = org::store::Get(c, Scope::Of(p), f.org);
    if (!unit) return Fail(unit.error());
    const Scope scope = Scope::ForPath(unit->path);
    const db::Params filter{scope.lower(), scope.upper(), f.source.value_or(""), from, to};
    auto count = c.QueryOne(q::kInspectionsCount, filter);
    if (!count) return Fail(count.error());
    db::Params page = filter;
    page.push_back(f.limit);
    page.push_back(f.offset);
    auto rows = c.Query(q::kInspections, page);
    if (!rows) return Fail(rows.error());
    Out out;
    for (const auto& r : *rows) out.first.push_back(InspectionFromRow(r));
    out.second = *count ? (*count)->Int(0) : 0;
    return out;
  });
}

Result<Inspection> InspectionsService::GetInspection(const Principal& p, int64_t id) {
  return db::ReadResult<Inspection>(db_, [&](db::Connection& c) { return LoadInspection(c, p.org_path, id); });
}

// ---- the window job

Result<WindowStats> InspectionsService::RunWindows(Day today) {
  WindowStats stats;
  const std::string t = FormatDay(today);
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    stats = {};
    auto pending = tx.Query(q::kPendingRounds, {});
    if (!pending) return Fail(pending.error());
    for (const auto& c : *pending) {
      const int64_t id = c.Int(0);
      auto starts = ParseDay(c.Text(2)), ends = ParseDay(c.Text(3));
      if (!starts || !ends) continue;
      auto rounds = MakeRounds(c.Text(1), *starts, *ends);
      if (!rounds) continue;
      const Scope scope = Scope::ForPath(c.Text(5));
      for (const auto& r : *rounds) {
        if (r.round <= c.Int(4) || r.opens_on > t) continue;
        auto n = tx.Execute(q::kInsertDues,
                            {id, r.round, r.opens_on, r.due_on, scope.lower(), scope.upper(), c.Text(6), c.Text(7)});
        if (!n) return Fail(n.error());
        auto moved = tx.Execute(q::kSetRoundsCreated, {id, r.round});
        if (!moved) return Fail(moved.error());
        if (*moved != 1) continue;
        stats.rounds_opened += 1;
        stats.dues_created += *n;
        if (auto s =
                audit_.Append(tx, {audit::SystemActor("inspection-windows"), "campaign.round_open",
                                   fmt::format("campaigns/{}", id), audit::Outcome::kSuccess,
                                   fmt::format("round {} {}..{}: {} school(s)", r.round, r.opens_on, r.due_on, *n)});
            !s)
          return s;
      }
    }
    auto missed = tx.Execute(q::kMarkMissed, {t});
    if (!missed) return Fail(missed.error());
    stats.dues_missed = *missed;
    if (*missed > 0)
      return audit_.Append(tx, {audit::SystemActor("inspection-windows"), "inspection.missed", "inspection-dues",
                                audit::Outcome::kSuccess,
                                fmt::format("{} due inspection(s) missed their window (before {})", *missed, t)});
    return {};
  });
  if (!ok) return Fail(ok.error());
  return stats;
}

}  // namespace xiaoan::inspections
