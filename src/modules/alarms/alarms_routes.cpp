#include "modules/alarms/alarms_routes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "modules/alarms/alarms_service.hpp"
#include "modules/audit/actor.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/paging.hpp"
#include "platform/http/problem.hpp"
#include "platform/xlsx/workbook.hpp"

namespace xiaoan::alarms {
namespace {

using http::Access;
using http::Need;
using json = nlohmann::json;

audit::Actor ActorOf(const http::Context& ctx) { return audit::ActorFor(ctx.Caller(), ctx.request_id); }

http::Response AlarmResponse(const Result<Alarm>& a, int status = 200) {
  if (!a) return http::Problem(a.error());
  return http::Json(status, json::parse(AlarmJson(*a)));
}

Result<int64_t> IdParam(const http::Context& ctx) {
  const auto& s = ctx.Param("id");
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    return Fail(Error::NotFound("The alarm"));
  return std::stoll(s);
}

std::optional<std::string> Query(const http::Request& r, const std::string& name) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// The fields every source sends; `school` only from the button (a key knows its school).
Result<RaiseInput> ReadRaise(const std::string& body_text, bool from_device) {
  auto body = http::JsonBody::Parse(body_text);
  if (!body) return Fail(body.error());
  RaiseInput in;
  if (!from_device) {
    if (auto s = body->String("school", Need::kOptional, 20, 1)) in.school_code = *s;
  }
  if (auto k = body->String("kind", from_device ? Need::kRequired : Need::kOptional, 10, 1)) in.kind = *k;
  if (auto p = body->Int("priority", Need::kOptional, 1, 4)) in.priority = *p;
  if (auto l = body->String("location", Need::kOptional, 100)) in.location = *l;
  if (auto d = body->String("description", Need::kOptional, 500)) in.description = *d;
  if (from_device) {
    in.pressed_at = body->String("pressed_at", Need::kOptional, 40, 1);
    in.device_id = body->String("device_id", Need::kOptional, 20, 1);
    in.dedup_key = body->String("event_id", Need::kOptional, 100, 1);
  }
  if (auto s = body->Finish(); !s) return Fail(s.error());
  return in;
}

Result<AlarmFilter> ReadFilter(const http::Request& r) {
  AlarmFilter f;
  auto org = Query(r, "org");
  if (!org) return Fail(Error::Invalid("org", "Name the unit by its code."));
  f.org = *org;
  f.status = Query(r, "status");
  if (f.status && *f.status != "open" && *f.status != "raised" && *f.status != "acknowledged" &&
      *f.status != "dispatched" && *f.status != "on_scene" && *f.status != "closed")
    return Fail(Error::Invalid("status", "Use open, raised, acknowledged, dispatched, on_scene or closed."));
  f.kind = Query(r, "kind");
  if (f.kind && *f.kind != "real" && *f.kind != "test" && *f.kind != "drill")
    return Fail(Error::Invalid("kind", "Use real, test or drill."));
  f.from = Query(r, "from");
  f.to = Query(r, "to");
  return f;
}

json FiguresJson(const UnitAlarmFigures& f) {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return {{"org", {{"code", f.code}, {"name", f.name}, {"level", f.level}}},
          {"schools", f.schools},
          {"real", f.real},
          {"false_alarms", f.false_alarms},
          {"false_rate", opt(f.false_rate)},
          {"tests", f.tests},
          {"drills", f.drills},
          {"schools_tested", f.schools_tested},
          {"test_coverage", opt(f.test_coverage)},
          {"ack_p50_seconds", opt(f.ack_p50_seconds)}};
}

json SourceJson(const AlarmSource& s) {
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  json j{{"id", s.id},
         {"school_code", s.school_code},
         {"name", s.name},
         {"created_by", s.created_by},
         {"created_at", s.created_at},
         {"revoked_at", opt(s.revoked_at)},
         {"last_used_at", opt(s.last_used_at)}};
  if (s.key) j["key"] = *s.key;
  return j;
}

const char* KindZh(const std::string& k) { return k == "real" ? "真实报警" : k == "test" ? "测试" : "演练"; }
const char* StatusZh(const std::string& s) {
  if (s == "raised") return "待确认";
  if (s == "acknowledged") return "已确认";
  if (s == "dispatched") return "已出警";
  if (s == "on_scene") return "已到场";
  return "已关闭";
}
std::string OutcomeZh(const std::optional<std::string>& o) {
  if (!o) return "";
  if (*o == "handled") return "已处置";
  if (*o == "false_alarm") return "误报";
  if (*o == "test_passed") return "测试通过";
  if (*o == "test_failed") return "测试未通过";
  return "演练完成";
}

}  // namespace

void RegisterRoutes(http::Router& router, AlarmsService& s) {
  // The alarm button of the school's staff: a guard presses, the school and bureau see it at once.
  router.Add("POST", "/api/v1/alarms", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto in = ReadRaise(ctx.request.body, false);
    if (!in) return http::Problem(in.error());
    if (in->school_code.empty()) in->school_code = ctx.Caller().org_code;
    if (auto key = ctx.request.Header("idempotency-key")) {
      if (key->empty() || key->size() > 100 ||
          !std::all_of(key->begin(), key->end(), [](char c) { return c > 32 && c < 127; }))
        return http::Problem(Error::Invalid("Idempotency-Key", "1 to 100 visible ASCII characters."));
      in->dedup_key = *key;
    }
    return AlarmResponse(s.Raise(ctx.Caller(), ActorOf(ctx), *in), 201);
  });
  // Alarm hosts and regional interfaces: the key of an alarm source, not a user session.
  router.Add("POST", "/api/v1/alarm-ingest", Access::kPublic, [&s](http::Context& ctx) {
    auto key = ctx.request.Header("x-alarm-key");
    if (!key || key->empty() || key->size() > 200)
      return http::Problem(
          Error{ErrorCode::kUnauthenticated, "Send the alarm source's key in X-Alarm-Key.", "bad_source_key", {}, {}});
    auto in = ReadRaise(ctx.request.body, true);
    if (!in) return http::Problem(in.error());
    return AlarmResponse(s.Ingest(*key, *in), 201);
  });
  router.Add("GET", "/api/v1/alarms", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto f = ReadFilter(ctx.request);
    if (!f) return http::Problem(f.error());
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    f->limit = page->page_size;
    f->offset = (page->page - 1) * page->page_size;
    auto list = s.List(ctx.Caller(), *f);
    if (!list) return http::Problem(list.error());
    json items = json::array();
    for (const auto& a : list->first) items.push_back(json::parse(AlarmJson(a)));
    return http::Json(200, http::PageEnvelope(items, list->second, *page));
  });
  router.Add("GET", "/api/v1/alarms.xlsx", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto f = ReadFilter(ctx.request);
    if (!f) return http::Problem(f.error());
    f->limit = 50000;
    auto list = s.List(ctx.Caller(), *f);
    if (!list) return http::Problem(list.error());
    xlsx::Sheet sheet{"报警记录",
                      {{"编号", 8},
                       {"学校", 30},
                       {"学校标识码", 14},
                       {"类别", 10},
                       {"优先级", 8},
                       {"来源", 10},
                       {"设备编码", 22},
                       {"报警时间", 26},
                       {"接收时间", 26},
                       {"位置", 16},
                       {"说明", 30},
                       {"状态", 10},
                       {"当前层级", 10},
                       {"确认时间", 26},
                       {"确认人", 14},
                       {"出警时间", 26},
                       {"到场时间", 26},
                       {"关闭时间", 26},
                       {"结果", 12}},
                      {},
                      "",
                      0};
    for (const auto& a : list->first)
      sheet.rows.push_back({a.id, a.school_name, a.school_code, std::string(KindZh(a.kind)), a.priority, a.source,
                            a.device_id.value_or(""), a.pressed_at, a.received_at, a.location, a.description,
                            std::string(StatusZh(a.status)), a.level, a.acknowledged_at.value_or(""),
                            a.acknowledged_by.value_or(""), a.dispatched_at.value_or(""), a.on_scene_at.value_or(""),
                            a.closed_at.value_or(""), OutcomeZh(a.outcome)});
    auto bytes = xlsx::Write({sheet});
    if (!bytes) return http::Problem(bytes.error());
    http::Response r;
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::move(*bytes);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"alarms-" + f->org + ".xlsx\"");
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  });
  router.Add("GET", "/api/v1/alarms/{id}", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    return AlarmResponse(s.Get(ctx.Caller(), *id));
  });
  router.Add("POST", "/api/v1/alarms/{id}/steps", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    auto body = http::JsonBody::Parse(ctx.request.body);
    if (!body) return http::Problem(body.error());
    auto status = body->String("status", Need::kRequired, 20, 1);
    auto note = body->String("note", Need::kOptional, 500);
    auto outcome = body->String("outcome", Need::kOptional, 20, 1);
    if (auto f = body->Finish(); !f) return http::Problem(f.error());
    return AlarmResponse(s.Advance(ctx.Caller(), ActorOf(ctx), *id, *status, note.value_or(""), outcome));
  });
  router.Add("GET", "/api/v1/alarm-stats", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = Query(ctx.request, "org");
    if (!org) return http::Problem(Error::Invalid("org", "Name the unit by its code."));
    const Day today = ShanghaiDay(Clock::System().Now());
    Day from = today - std::chrono::days(30), to = today;
    if (auto v = Query(ctx.request, "from")) {
      auto d = ParseDay(*v);
      if (!d) return http::Problem(Error::Invalid("from", "A date as YYYY-MM-DD."));
      from = *d;
    }
    if (auto v = Query(ctx.request, "to")) {
      auto d = ParseDay(*v);
      if (!d) return http::Problem(Error::Invalid("to", "A date as YYYY-MM-DD."));
      to = *d;
    }
    auto stats = s.Stats(ctx.Caller(), *org, from, to);
    if (!stats) return http::Problem(stats.error());
    json children = json::array();
    for (const auto& c : stats->children) children.push_back(FiguresJson(c));
    return http::Json(
        200, {{"from", stats->from}, {"to", stats->to}, {"unit", FiguresJson(stats->unit)}, {"children", children}});
  });
  router.Add("GET", "/api/v1/schools/{code}/alarm-sources", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto list = s.Sources(ctx.Caller(), ctx.Param("code"));
    if (!list) return http::Problem(list.error());
    json items = json::array();
    for (const auto& x : *list) items.push_back(SourceJson(x));
    return http::Json(200, {{"items", items}});
  });
  router.Add("POST", "/api/v1/schools/{code}/alarm-sources", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto body = http::JsonBody::Parse(ctx.request.body);
    if (!body) return http::Problem(body.error());
    auto name = body->String("name", Need::kRequired, 100, 1);
    if (auto f = body->Finish(); !f) return http::Problem(f.error());
    auto src = s.CreateSource(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), *name);
    if (!src) return http::Problem(src.error());
    return http::Json(201, SourceJson(*src));
  });
  router.Add("DELETE", "/api/v1/schools/{code}/alarm-sources/{id}", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    auto src = s.RevokeSource(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), *id);
    if (!src) return http::Problem(src.error());
    return http::Json(200, SourceJson(*src));
  });
}

}  // namespace xiaoan::alarms
