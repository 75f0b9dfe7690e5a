#include "modules/ledger/ledger_routes.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <span>

#include "modules/audit/actor.hpp"
#include "modules/ledger/guard_rules.hpp"
#include "modules/ledger/ledger_export.hpp"
#include "modules/ledger/ledger_service.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/paging.hpp"
#include "platform/http/problem.hpp"

namespace xiaoan::ledger {
namespace {
using http::Need;
using nlohmann::json;

json ValueJson(const RuleValue& v) {
  return {{"value", v.value}, {"source", v.source}, {"clause", v.clause}, {"confidence", v.confidence}};
}

json Nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json Nullable(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

int CurrentYear() { return static_cast<int>(std::chrono::year_month_day(ShanghaiDay(Clock::System().Now())).year()); }

json GuardJson(const Guard& g, int max_age) {
  const auto issues = GuardIssues(g, CurrentYear(), max_age);
  return {{"id", g.id},
          {"name", g.name},
          {"certificate_no", Nullable(g.certificate_no)},
          {"birth_year", Nullable(g.birth_year)},
          {"employment", g.employment},
          {"employed_since", Nullable(g.employed_since)},
          {"active", g.active},
          {"qualified", issues.empty()},
          {"issues", issues},
          {"updated_at", g.updated_at}};
}

json DeviceJson(const Device& d) {
  return {{"id", d.id},
          {"kind", d.kind},
          {"name", d.name},
          {"location", d.location},
          {"national_id", Nullable(d.national_id)},
          {"police_networked", d.police_networked},
          {"installed_on", Nullable(d.installed_on)},
          {"active", d.active},
          {"expected_channels", d.expected_channels},
          {"updated_at", d.updated_at}};
}

json ScheduleJson(const GatehouseSchedule& s) {
  json shifts = json::array(), uncovered = json::array();
  for (const auto& x : s.shifts)
    shifts.push_back({{"weekday", x.weekday},
                      {"start", FormatMinutes(x.start_min)},
                      {"end", FormatMinutes(x.end_min)},
                      {"staff", x.staff}});
  for (const auto& g : s.uncovered)
    uncovered.push_back(
        {{"weekday", g.weekday}, {"start", FormatMinutes(g.start_min)}, {"end", FormatMinutes(g.end_min)}});
  return {{"shifts", shifts}, {"covers_24h", s.uncovered.empty()}, {"uncovered", uncovered}};
}

json PatrolJson(const Patrol& p) {
  return {{"id", p.id},     {"patrolled_at", p.patrolled_at}, {"area", p.area}, {"by_name", p.by_name},
          {"note", p.note}, {"recorded_by", p.recorded_by}};
}

json CheckJson(const ClosedCheck& k) {
  return {{"id", k.id},     {"measure", k.measure}, {"status", k.status},           {"checked_on", k.checked_on},
          {"note", k.note}, {"photos", k.photos},   {"recorded_by", k.recorded_by}, {"recorded_at", k.recorded_at}};
}

json PostJson(const PostRecord& r) {
  return {{"date", r.day},
          {"session", r.session},
          {"police", r.police},
          {"staff", r.staff},
          {"guards", r.guards},
          {"start", Nullable(r.start)},
          {"end", Nullable(r.end)},
          {"note", r.note},
          {"recorded_by", r.recorded_by},
          {"recorded_at", r.recorded_at}};
}

json TestJson(const AlarmTest& t) {
  return {{"id", t.id},
          {"tested_at", t.tested_at},
          {"device_id", Nullable(t.device_id)},
          {"result", t.result},
          {"ack_seconds", Nullable(t.ack_seconds)},
          {"note", t.note},
          {"recorded_by", t.recorded_by}};
}

json FigureJson(std::pair<int64_t, int64_t> f) {
  return {{"compliant", f.first},
          {"applicable", f.second},
          {"rate", f.second > 0 ? json(static_cast<double>(f.first) / static_cast<double>(f.second)) : json(nullptr)}};
}

json FiguresJson(const store::Figures& f) {
  json items = json::object();
  for (size_t i = 0; i < 4; ++i) items[ItemName(kItems[i])] = FigureJson(f.items[i]);
  return {{"schools", f.schools}, {"items", items}, {"all_four", FigureJson(f.items[4])}};
}

json EvaluationJson(const SchoolEvaluation& e) {
  json items = json::object();
  for (size_t i = 0; i < 4; ++i)
    items[ItemName(kItems[i])] = {{"state", ItemStateName(e.items[i].state)},
                                  {"reasons_zh", e.items[i].reasons_zh},
                                  {"reasons_en", e.items[i].reasons_en}};
  return {{"items", items}, {"all_four", e.all_four}};
}

json UnitJson(const org::OrgUnit& u) {
  json j{{"code", u.code},
         {"name", u.name},
         {"level", org::LevelName(u.level)},
         {"parent_code", u.parent_code ? json(*u.parent_code) : json(nullptr)},
         {"active", u.active},
         {"demo", u.demo},
         {"attributes", nullptr}};
  if (u.attributes) {
    const auto& a = *u.attributes;
    j["attributes"] = {{"school_type", org::SchoolTypeName(a.school_type)},
                       {"locality", org::LocalityName(a.locality)},
                       {"boarding", a.boarding},
                       {"day_students", a.day_students},
                       {"boarding_students", a.boarding_students},
                       {"class_count", a.class_count}};
  }
  return j;
}

audit::Actor ActorOf(const http::Context& ctx) { return audit::ActorFor(ctx.Caller(), ctx.request_id); }

template <class T, class F>
http::Response Answer(const Result<T>& r, F&& to_json, int status = 200) {
  if (!r) return http::Problem(r.error());
  return http::Json(status, to_json(*r));
}

Result<int64_t> IdParam(const http::Context& ctx) {
  const auto& s = ctx.Param("id");
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    return Fail(Error::NotFound("The record"));
  return std::stoll(s);
}

// A field that may be left out but has no empty value: null is refused naming it, where reading
// it as absent would answer a change that was not made. (A required field's null is "Expected a
// string." already.)
void RefuseNull(http::JsonBody& body, Need need, const char* key) {
  if (need == Need::kOptional && body.IsNull(key)) body.AddError(key, "Cannot be null.");
}

// Reads the guard fields present in `body` (for create: name and employment required).
GuardFields ReadGuard(http::JsonBody& body, bool create) {
  const Need need = create ? Need::kRequired : Need::kOptional;
  for (const char* key : {"name", "employment"}) RefuseNull(body, need, key);
  RefuseNull(body, Need::kOptional, "active");
  GuardFields f;
  if (auto v = body.String("name", need, 50, 1)) f.name = *v;
  if (body.IsNull("certificate_no")) f.certificate_no = std::optional<std::string>();
  if (auto v = body.String("certificate_no", Need::kOptional, 30)) f.certificate_no = std::optional<std::string>(*v);
  if (body.IsNull("birth_year")) f.birth_year = std::optional<int64_t>();
  if (auto v = body.Int("birth_year", Need::kOptional, 1900, 2100)) f.birth_year = std::optional<int64_t>(*v);
  if (auto v = body.String("employment", need, 20)) f.employment = *v;
  if (body.IsNull("employed_since")) f.employed_since = std::optional<std::string>();
  if (auto v = body.String("employed_since", Need::kOptional, 10)) f.employed_since = std::optional<std::string>(*v);
  if (auto v = body.Bool("active", Need::kOptional)) f.active = *v;
  return f;
}

DeviceFields ReadDevice(http::JsonBody& body, bool create) {
  const Need need = create ? Need::kRequired : Need::kOptional;
  for (const char* key : {"kind", "name", "police_networked"}) RefuseNull(body, need, key);
  for (const char* key : {"location", "active", "expected_channels"}) RefuseNull(body, Need::kOptional, key);
  DeviceFields f;
  if (auto v = body.String("kind", need, 10)) f.kind = *v;
  if (auto v = body.String("name", need, 100, 1)) f.name = *v;
  if (auto v = body.String("location", Need::kOptional, 100)) f.location = *v;
  if (body.IsNull("national_id")) f.national_id = std::optional<std::string>();
  if (auto v = body.String("national_id", Need::kOptional, 20)) f.national_id = std::optional<std::string>(*v);
  if (auto v = body.Bool("police_networked", need)) f.police_networked = *v;
  if (body.IsNull("installed_on")) f.installed_on = std::optional<std::string>();
  if (auto v = body.String("installed_on", Need::kOptional, 10)) f.installed_on = std::optional<std::string>(*v);
  if (auto v = body.Bool("active", Need::kOptional)) f.active = *v;
  if (auto v = body.Int("expected_channels", Need::kOptional, 1, 512)) f.expected_channels = *v;
  return f;
}

Result<std::optional<Day>> DayParam(const http::Request& req, const std::string& name) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty()) return std::optional<Day>();
  auto d = ParseDay(it->second);
  if (!d) return Fail(Error::Invalid(name, "A date as YYYY-MM-DD."));
  return std::optional<Day>(*d);
}

Result<std::string> OrgParam(const http::Request& req) {
  auto it = req.query.find("org");
  if (it == req.query.end() || it->second.empty()) return Fail(Error::Invalid("org", "Name the unit by its code."));
  if (it->second.size() > 20) return Fail(Error::Invalid("org", "Not a unit code."));
  return it->second;
}

Result<store::GapFilter> ReadGapFilter(const http::Request& req) {
  store::GapFilter f;
  auto get = [&](const char* k) {
    auto it = req.query.find(k);
    return it == req.query.end() ? std::string() : it->second;
  };
  f.item = get("item");
  if (f.item.empty()) f.item = "all_four";
  if (f.item != "all_four" && !ItemFromName(f.item))
    return Fail(Error::Invalid("item", "Use guards, closed_management, protection_posts, alarm_video or all_four."));
  f.locality = get("locality");
  if (!f.locality.empty() && !org::LocalityFromName(f.locality))
    return Fail(Error::Invalid("locality", "Use urban, town or rural."));
  f.q = get("q");
  if (http::Utf8Length(f.q) < 0 || f.q.size() > 100) return Fail(Error::Invalid("q", "At most 100 characters."));
  return f;
}

json GapJson(const store::GapRow& g) {
  json failed = json::array();
  for (size_t i = 0; i < 4; ++i)
    if (g.states[i] == ItemState::kNotMet) failed.push_back(ItemName(kItems[i]));
  json reasons = json::parse(g.reasons_json, nullptr, false);
  if (!reasons.is_object()) reasons = json::object();
  return {{"code", g.code},
          {"name", g.name},
          {"county", {{"code", g.county_code}, {"name", g.county_name}}},
          {"locality", g.locality},
          {"failed", failed},
          {"reasons", reasons},
          {"evaluated_at", g.evaluated_at}};
}

http::Response Xlsx(Result<std::string> bytes, const std::string& filename) {
  if (!bytes) return http::Problem(bytes.error());
  http::Response r;
  r.status = 200;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(*bytes);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// The optional Idempotency-Key header: 1–100 visible ASCII characters.
Result<std::optional<std::string>> IdempotencyKey(const http::Request& req) {
  auto key = req.Header("idempotency-key");
  if (!key) return std::optional<std::string>();
  if (key->empty() || key->size() > 100 ||
      !std::all_of(key->begin(), key->end(), [](char c) { return c > 32 && c < 127; }))
    return Fail(Error::Invalid("Idempotency-Key", "1 to 100 visible ASCII characters."));
  return key;
}

// ---- handlers

http::Response CreateGuard(LedgerService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  auto f = ReadGuard(*body, true);
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  return Answer(
      s.CreateGuard(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), f),
      [&](const Guard& g) { return GuardJson(g, s.guard_max_age()); }, 201);
}

http::Response UpdateGuard(LedgerService& s, http::Context& ctx) {
  auto id = IdParam(ctx);
  if (!id) return http::Problem(id.error());
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  auto f = ReadGuard(*body, false);
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  return Answer(s.UpdateGuard(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), *id, f),
                [&](const Guard& g) { return GuardJson(g, s.guard_max_age()); });
}

http::Response PutGatehouse(LedgerService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  std::vector<Shift> shifts;
  if (auto arr = body->Array("shifts", Need::kRequired, 200)) {
    for (size_t i = 0; i < arr->size(); ++i) {
      auto item = arr->Object(i, "shifts[" + std::to_string(i) + "].");
      if (!item) {
        body->AddError("shifts[" + std::to_string(i) + "]", "Expected an object.");
        continue;
      }
      Shift sh;
      auto wd = item->Int("weekday", Need::kRequired, 1, 7);
      auto start = item->String("start", Need::kRequired, 5);
      auto end = item->String("end", Need::kRequired, 5);
      auto staff = item->String("staff", Need::kOptional, 50);
      std::optional<int> sm, em;
      if (start && !(sm = ParseMinutes(*start))) item->AddError("start", "A time as HH:MM.");
      if (end && !(em = ParseMinutes(*end))) item->AddError("end", "A time as HH:MM (24:00 for midnight).");
      if (sm && *sm == 1440) item->AddError("start", "A shift starts at 23:59 at the latest.");
      (void)item->Finish();
      body->Merge(*item);
      if (wd && sm && em) {
        sh.weekday = static_cast<int>(*wd);
        sh.start_min = *sm;
        sh.end_min = *em;
        sh.staff = staff.value_or("");
        shifts.push_back(sh);
      }
    }
  }
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  return Answer(s.ReplaceGatehouse(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), shifts), ScheduleJson);
}

http::Response AddPatrol(LedgerService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  Patrol p;
  auto at = body->String("patrolled_at", Need::kRequired, 40);
  auto area = body->String("area", Need::kRequired, 100, 1);
  auto by = body->String("by_name", Need::kRequired, 50, 1);
  auto note = body->String("note", Need::kOptional, 500);
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  auto key = IdempotencyKey(ctx.request);
  if (!key) return http::Problem(key.error());
  p.idempotency_key = *key;
  p.patrolled_at = *at;
  p.area = *area;
  p.by_name = *by;
  p.note = note.value_or("");
  return Answer(s.AddPatrol(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), p), PatrolJson, 201);
}

http::Response AddClosedCheck(LedgerService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  ClosedCheck k;
  auto measure = body->String("measure", Need::kRequired, 40);
  auto status = body->String("status", Need::kRequired, 20);
  auto on = body->String("checked_on", Need::kRequired, 10);
  auto note = body->String("note", Need::kOptional, 500);
  auto photos = body->StringList("photos", Need::kOptional, 9, 64);
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  auto key = IdempotencyKey(ctx.request);
  if (!key) return http::Problem(key.error());
  k.idempotency_key = *key;
  k.measure = *measure;
  k.status = *status;
  k.checked_on = *on;
  k.note = note.value_or("");
  k.photos = photos.value_or(std::vector<std::string>{});
  return Answer(s.AddClosedCheck(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), k), CheckJson, 201);
}

http::Response PutPost(LedgerService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  PostRecord r;
  r.day = ctx.Param("date");
  r.session = ctx.Param("session");
  auto police = body->Int("police", Need::kRequired, 0, 50);
  auto staff = body->Int("staff", Need::kRequired, 0, 50);
  auto guards = body->Int("guards", Need::kRequired, 0, 50);
  auto start = body->String("start", Need::kOptional, 5);
  auto end = body->String("end", Need::kOptional, 5);
  auto note = body->String("note", Need::kOptional, 500);
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  r.police = *police;
  r.staff = *staff;
  r.guards = *guards;
  r.start = start;
  r.end = end;
  r.note = note.value_or("");
  return Answer(s.PutPost(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), r), PostJson);
}

http::Response CreateDevice(LedgerService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  auto f = ReadDevice(*body, true);
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  return Answer(s.CreateDevice(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), f), DeviceJson, 201);
}

http::Response UpdateDevice(LedgerService& s, http::Context& ctx) {
  auto id = IdParam(ctx);
  if (!id) return http::Problem(id.error());
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  auto f = ReadDevice(*body, false);
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  return Answer(s.UpdateDevice(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), *id, f), DeviceJson);
}

http::Response AddAlarmTest(LedgerService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  AlarmTest t;
  auto at = body->String("tested_at", Need::kRequired, 40);
  auto device = body->Int("device_id", Need::kOptional, 1, INT64_MAX);
  auto result = body->String("result", Need::kRequired, 10);
  auto ack = body->Int("ack_seconds", Need::kOptional, 0, 86400);
  auto note = body->String("note", Need::kOptional, 500);
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  auto key = IdempotencyKey(ctx.request);
  if (!key) return http::Problem(key.error());
  t.idempotency_key = *key;
  t.tested_at = *at;
  t.device_id = device;
  t.result = *result;
  t.ack_seconds = ack;
  t.note = note.value_or("");
  return Answer(s.AddAlarmTest(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), t), TestJson, 201);
}

// Column letter of `key` in a template sheet whose columns are `cols` (A = the first).
std::string CellOf(const char* sheet, std::span<const char* const> cols, const std::string& key, int row) {
  for (size_t i = 0; i < cols.size(); ++i)
    if (key == cols[i]) return fmt::format("{}!{}{}", sheet, static_cast<char>('A' + i), row);
  return fmt::format("{}!{}", sheet, row > 0 ? "row " + std::to_string(row) + " " + key : key);
}

http::Response Import(LedgerService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  std::vector<GuardImportRow> guards;
  std::vector<DeviceImportRow> devices;
  // Problems inside a row are named by sheet and cell (as the service names its own), so every
  // bad row is answered the same way: 422 import_failed.
  std::vector<FieldError> cell_errors;
  auto read_rows = [&](const char* key, std::span<const char* const> cols, size_t max, auto&& read) {
    if (auto arr = body->Array(key, Need::kOptional, max)) {
      for (size_t i = 0; i < arr->size(); ++i) {
        const std::string prefix = std::string(key) + "[" + std::to_string(i) + "].";
        auto item = arr->Object(i, prefix);
        if (!item) {
          body->AddError(std::string(key) + "[" + std::to_string(i) + "]", "Expected an object.");
          continue;
        }
        const int row = static_cast<int>(item->Int("row", Need::kRequired, 1, 100000).value_or(0));
        read(*item, row);
        (void)item->Finish();
        for (const auto& e : item->errors()) {
          if (row == 0)  // no row number: the client's mistake, not a cell's (400)
            body->AddError(e.field, e.message);
          else
            cell_errors.push_back({CellOf(key, cols, e.field.substr(prefix.size()), row), e.message, row});
        }
      }
    }
  };
  read_rows("guards", kGuardColumns, 500, [&](http::JsonBody& item, int row) {
    GuardImportRow r;
    r.row = row;
    r.id = item.Int("id", Need::kOptional, 1, INT64_MAX);
    r.fields = ReadGuard(item, !item.HasField("id") || item.IsNull("id"));
    guards.push_back(std::move(r));
  });
  read_rows("devices", kDeviceColumns, 2000, [&](http::JsonBody& item, int row) {
    DeviceImportRow r;
    r.row = row;
    r.id = item.Int("id", Need::kOptional, 1, INT64_MAX);
    r.fields = ReadDevice(item, !item.HasField("id") || item.IsNull("id"));
    devices.push_back(std::move(r));
  });
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  if (guards.empty() && devices.empty()) cell_errors.push_back({"guards", "The workbook has no rows to import.", 0});
  if (!cell_errors.empty()) {
    return http::Problem(Error{ErrorCode::kInvalidArgument,
                               "The workbook has errors; nothing was imported.",
                               "import_failed",
                               std::move(cell_errors),
                               {}});
  }
  return Answer(s.Import(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), guards, devices), [](const ImportCounts& c) {
    return json{{"guards", {{"created", c.guards_created}, {"updated", c.guards_updated}}},
                {"devices", {{"created", c.devices_created}, {"updated", c.devices_updated}}}};
  });
}

http::Response Upload(LedgerService& s, http::Context& ctx) {
  auto it = ctx.request.query.find("school");
  if (it == ctx.request.query.end() || it->second.empty() || it->second.size() > 20)
    return http::Problem(Error::Invalid("school", "Name the school by its code."));
  std::string declared = ctx.request.Header("content-type").value_or("");
  if (auto semi = declared.find(';'); semi != std::string::npos) declared.resize(semi);
  if (ctx.request.body.empty()) return http::Problem(Error::Invalid("body", "The photo is empty."));
  auto meta = s.UploadPhoto(ctx.Caller(), ActorOf(ctx), it->second, declared, ctx.request.body);
  if (!meta) {
    if (meta.error().reason == "unsupported_media_type") return http::Problem(meta.error(), 415);
    return http::Problem(meta.error());
  }
  return http::Json(201, {{"id", meta->id}, {"content_type", meta->content_type}, {"size", meta->size}});
}

http::Response GetFile(LedgerService& s, http::Context& ctx) {
  auto photo = s.GetPhoto(ctx.Caller(), ctx.Param("id"));
  if (!photo) return http::Problem(photo.error());
  http::Response r;
  r.status = 200;
  r.content_type = photo->first;
  r.body = std::move(photo->second);
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
  r.headers.emplace_back("Content-Disposition", "inline");
  r.headers.emplace_back("Cache-Control", "private, max-age=86400, immutable");
  return r;
}

}  // namespace

void RegisterRoutes(http::Router& router, LedgerService& s) {
  using http::Access;
  router.Add("GET", "/api/v1/rules/guard-staffing", Access::kAuthenticated, [&s](http::Context&) {
    json sets = json::array();
    for (const auto& r : ShippedGuardRuleSets()) {
      sets.push_back({{"id", r.id},
                      {"name", r.name},
                      {"default", r.is_default},
                      {"in_use", r.id == s.rules().id},
                      {"effective", r.effective},
                      {"values",
                       {{"small_threshold", ValueJson(r.small_threshold)},
                        {"base_small", ValueJson(r.base_small)},
                        {"base_medium", ValueJson(r.base_medium)},
                        {"large_threshold", ValueJson(r.large_threshold)},
                        {"base_large", ValueJson(r.base_large)},
                        {"step_students", ValueJson(r.step_students)},
                        {"per_boarders", ValueJson(r.per_boarders)},
                        {"minimum", ValueJson(r.minimum)},
                        {"boarding_minimum", ValueJson(r.boarding_minimum)}}}});
    }
    return http::Json(200, {{"items", sets}});
  });

  router.Add("GET", "/api/v1/schools/{code}/ledger", Access::kAuthenticated, [&s](http::Context& ctx) {
    return Answer(s.GetSummary(ctx.Caller(), ctx.Param("code")), [](const Summary& m) {
      json ev = EvaluationJson(m.evaluation);
      ev["evaluated_at"] = m.evaluated_at;
      return json{{"school", UnitJson(m.school)},
                  {"rule_set", {{"id", m.rules->id}, {"name", m.rules->name}}},
                  {"required_guards", m.evaluation.required_guards},
                  {"evaluation", ev},
                  {"counts",
                   {{"guards_active", m.guards_active},
                    {"guards_qualified", m.guards_qualified},
                    {"devices", m.devices},
                    {"patrols_today", m.patrols_today}}},
                  {"can_edit", m.can_edit},
                  {"can_record_duty", m.can_record_duty}};
    });
  });
  router.Add("GET", "/api/v1/schools/{code}/ledger/history", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    auto r = s.History(ctx.Caller(), ctx.Param("code"), page->page_size, (page->page - 1) * page->page_size);
    if (!r) return http::Problem(r.error());
    json items = json::array();
    for (const auto& a : r->first)
      items.push_back({{"id", a.id},
                       {"at", a.at},
                       {"username", a.username},
                       {"role", a.role},
                       {"org_code", a.org_code},
                       {"action", a.action},
                       {"target", a.target},
                       {"outcome", a.outcome},
                       {"request_id", a.request_id},
                       {"summary", a.summary}});
    return http::Json(200, http::PageEnvelope(items, r->second, *page));
  });
  router.Add("GET", "/api/v1/schools/{code}/guards", Access::kAuthenticated, [&s](http::Context& ctx) {
    return Answer(s.Guards(ctx.Caller(), ctx.Param("code")), [&](const std::vector<Guard>& gs) {
      json items = json::array();
      for (const auto& g : gs) items.push_back(GuardJson(g, s.guard_max_age()));
      return json{{"items", items}};
    });
  });
  router.Add("POST", "/api/v1/schools/{code}/guards", Access::kAuthenticated,
             [&s](http::Context& ctx) { return CreateGuard(s, ctx); });
  router.Add("PATCH", "/api/v1/schools/{code}/guards/{id}", Access::kAuthenticated,
             [&s](http::Context& ctx) { return UpdateGuard(s, ctx); });
  router.Add("GET", "/api/v1/schools/{code}/gatehouse-shifts", Access::kAuthenticated,
             [&s](http::Context& ctx) { return Answer(s.Gatehouse(ctx.Caller(), ctx.Param("code")), ScheduleJson); });
  router.Add("PUT", "/api/v1/schools/{code}/gatehouse-shifts", Access::kAuthenticated,
             [&s](http::Context& ctx) { return PutGatehouse(s, ctx); });
  router.Add("GET", "/api/v1/schools/{code}/patrols", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto day = DayParam(ctx.request, "date");
    if (!day) return http::Problem(day.error());
    const Day d = day->value_or(ShanghaiDay(Clock::System().Now()));
    return Answer(s.Patrols(ctx.Caller(), ctx.Param("code"), d), [&](const std::vector<Patrol>& ps) {
      json items = json::array();
      for (const auto& p : ps) items.push_back(PatrolJson(p));
      return json{{"date", FormatDay(d)}, {"items", items}, {"count", ps.size()}, {"required_per_day", 5}};
    });
  });
  router.Add("POST", "/api/v1/schools/{code}/patrols", Access::kAuthenticated,
             [&s](http::Context& ctx) { return AddPatrol(s, ctx); });
  router.Add("GET", "/api/v1/schools/{code}/closed-checks", Access::kAuthenticated, [&s](http::Context& ctx) {
    return Answer(s.ClosedChecks(ctx.Caller(), ctx.Param("code")), [](const std::vector<ClosedCheck>& ks) {
      json current = json::object(), history = json::array();
      for (const char* m : kMeasures) current[m] = nullptr;
      for (const auto& k : ks) {  // newest first
        if (current[k.measure].is_null()) current[k.measure] = CheckJson(k);
        history.push_back(CheckJson(k));
      }
      return json{{"current", current}, {"history", history}};
    });
  });
  router.Add("POST", "/api/v1/schools/{code}/closed-checks", Access::kAuthenticated,
             [&s](http::Context& ctx) { return AddClosedCheck(s, ctx); });
  router.Add("GET", "/api/v1/schools/{code}/protection-posts", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto from = DayParam(ctx.request, "from");
    if (!from) return http::Problem(from.error());
    auto to = DayParam(ctx.request, "to");
    if (!to) return http::Problem(to.error());
    return Answer(s.Posts(ctx.Caller(), ctx.Param("code"), *from, *to), [](const PostsView& v) {
      json days = json::array(), items = json::array();
      for (Day d : v.school_days) days.push_back(FormatDay(d));
      for (const auto& r : v.items) items.push_back(PostJson(r));
      return json{{"applicable", v.applicable},
                  {"school_days", days},
                  {"today", v.today ? json(FormatDay(*v.today)) : json(nullptr)},
                  {"items", items}};
    });
  });
  router.Add("PUT", "/api/v1/schools/{code}/protection-posts/{date}/{session}", Access::kAuthenticated,
             [&s](http::Context& ctx) { return PutPost(s, ctx); });
  router.Add("GET", "/api/v1/schools/{code}/devices", Access::kAuthenticated, [&s](http::Context& ctx) {
    return Answer(s.Devices(ctx.Caller(), ctx.Param("code")), [](const std::vector<Device>& ds) {
      json items = json::array();
      for (const auto& d : ds) items.push_back(DeviceJson(d));
      return json{{"items", items}};
    });
  });
  router.Add("POST", "/api/v1/schools/{code}/devices", Access::kAuthenticated,
             [&s](http::Context& ctx) { return CreateDevice(s, ctx); });
  router.Add("PATCH", "/api/v1/schools/{code}/devices/{id}", Access::kAuthenticated,
             [&s](http::Context& ctx) { return UpdateDevice(s, ctx); });
  router.Add("GET", "/api/v1/schools/{code}/alarm-tests", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    auto r = s.AlarmTests(ctx.Caller(), ctx.Param("code"), page->page_size, (page->page - 1) * page->page_size);
    if (!r) return http::Problem(r.error());
    json items = json::array();
    for (const auto& t : r->first) items.push_back(TestJson(t));
    return http::Json(200, http::PageEnvelope(items, r->second, *page));
  });
  router.Add("POST", "/api/v1/schools/{code}/alarm-tests", Access::kAuthenticated,
             [&s](http::Context& ctx) { return AddAlarmTest(s, ctx); });
  router.Add("GET", "/api/v1/schools/{code}/ledger/template.xlsx", Access::kAuthenticated, [&s](http::Context& ctx) {
    return Xlsx(TemplateWorkbook(s, ctx.Caller(), ctx.Param("code")), "ledger-template-" + ctx.Param("code") + ".xlsx");
  });
  router.Add("POST", "/api/v1/schools/{code}/ledger/import", Access::kAuthenticated,
             [&s](http::Context& ctx) { return Import(s, ctx); });
  router.Add("POST", "/api/v1/files", Access::kAuthenticated, [&s](http::Context& ctx) { return Upload(s, ctx); });
  router.Add("GET", "/api/v1/files/{id}", Access::kAuthenticated, [&s](http::Context& ctx) { return GetFile(s, ctx); });

  router.Add("GET", "/api/v1/compliance/four-100", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = OrgParam(ctx.request);
    if (!org) return http::Problem(org.error());
    return Answer(s.FourHundred(ctx.Caller(), *org), [](const Rollup& r) {
      json j = FiguresJson(r.figures);
      j["org"] = {{"code", r.unit.code}, {"name", r.unit.name}, {"level", org::LevelName(r.unit.level)}};
      json children = json::array();
      for (const auto& c : r.children) {
        json cj = FiguresJson(c.figures);
        cj["org"] = {{"code", c.code}, {"name", c.name}, {"level", c.level}};
        children.push_back(std::move(cj));
      }
      j["children"] = std::move(children);
      return j;
    });
  });
  router.Add("GET", "/api/v1/compliance/gaps", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = OrgParam(ctx.request);
    if (!org) return http::Problem(org.error());
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    auto f = ReadGapFilter(ctx.request);
    if (!f) return http::Problem(f.error());
    f->limit = page->page_size;
    f->offset = (page->page - 1) * page->page_size;
    auto r = s.Gaps(ctx.Caller(), *org, *f);
    if (!r) return http::Problem(r.error());
    json items = json::array();
    for (const auto& g : r->first) items.push_back(GapJson(g));
    return http::Json(200, http::PageEnvelope(items, r->second, *page));
  });
  router.Add("GET", "/api/v1/compliance/gaps.xlsx", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = OrgParam(ctx.request);
    if (!org) return http::Problem(org.error());
    auto f = ReadGapFilter(ctx.request);
    if (!f) return http::Problem(f.error());
    return Xlsx(GapsWorkbook(s, ctx.Caller(), *org, *f), "four-100-gaps-" + *org + ".xlsx");
  });
  router.Add("GET", "/api/v1/compliance/trend", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = OrgParam(ctx.request);
    if (!org) return http::Problem(org.error());
    auto days = http::ReadIntParam(ctx.request, "days", 1, 366);
    if (!days) return http::Problem(days.error());
    return Answer(s.Trend(ctx.Caller(), *org, static_cast<int>(days->value_or(30))),
                  [](const std::vector<store::TrendPoint>& ps) {
                    json items = json::array();
                    for (const auto& p : ps) {
                      json j = FiguresJson(p.figures);
                      j["day"] = p.day;
                      items.push_back(std::move(j));
                    }
                    return json{{"items", items}};
                  });
  });
  router.Add("GET", "/api/v1/ledger/export.xlsx", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = OrgParam(ctx.request);
    if (!org) return http::Problem(org.error());
    return Xlsx(LedgerWorkbook(s, ctx.Caller(), *org), "ledger-" + *org + ".xlsx");
  });
}

}  // namespace xiaoan::ledger
