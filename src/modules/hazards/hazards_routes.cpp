#include "modules/hazards/hazards_routes.hpp"

#include <nlohmann/json.hpp>

#include "modules/audit/actor.hpp"
#include "modules/hazards/hazard_export.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/paging.hpp"
#include "platform/http/problem.hpp"

namespace xiaoan::hazards {
namespace {

using http::Access;
using http::Need;
using json = nlohmann::json;

audit::Actor ActorOf(const http::Context& ctx) { return audit::ActorFor(ctx.Caller(), ctx.request_id); }

http::Response HazardResponse(const Result<Hazard>& h, int status = 200) {
  if (!h) return http::Problem(h.error());
  return http::Json(status, json::parse(HazardJson(*h, true)));
}

Result<int64_t> IdParam(const http::Context& ctx) {
  const auto& s = ctx.Param("id");
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    return Fail(Error::NotFound("The hazard"));
  return std::stoll(s);
}

std::optional<std::string> Query(const http::Request& r, const std::string& name) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<bool> BoolParam(const http::Request& r, const std::string& name) {
  auto v = Query(r, name);
  if (!v || *v == "false") return false;
  if (*v == "true") return true;
  return Fail(Error::Invalid(name, "Use true or false."));
}

bool OneOf(const std::string& v, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed)
    if (v == a) return true;
  return false;
}

Result<HazardFilter> ReadFilter(const http::Request& r) {
  HazardFilter f;
  auto org = Query(r, "org");
  if (!org) return Fail(Error::Invalid("org", "Name the unit by its code."));
  f.org = *org;
  f.state = Query(r, "state");
  if (f.state && !OneOf(*f.state, {"open", "registered", "rectifying", "awaiting_acceptance", "closed"}))
    return Fail(Error::Invalid("state", "Use open, registered, rectifying, awaiting_acceptance or closed."));
  f.grade = Query(r, "grade");
  if (f.grade && !OneOf(*f.grade, {"ordinary", "major"}))
    return Fail(Error::Invalid("grade", "Use ordinary or major."));
  f.category = Query(r, "category");
  if (f.category && !OneOf(*f.category, {"fire", "building", "food", "school_bus", "electricity", "heating", "snow_ice",
                                         "lab", "surroundings", "drowning", "security", "other"}))
    return Fail(Error::Invalid("category", "Not a hazard category."));
  auto overdue = BoolParam(r, "overdue");
  if (!overdue) return Fail(overdue.error());
  f.overdue_only = *overdue;
  auto escalated = BoolParam(r, "escalated");
  if (!escalated) return Fail(escalated.error());
  f.escalated_only = *escalated;
  auto year = http::ReadIntParam(r, "year", 2000, 2100);
  if (!year) return Fail(year.error());
  if (*year) f.year = static_cast<int>(**year);
  return f;
}

Result<NewHazard> ReadReport(const std::string& text) {
  auto body = http::JsonBody::Parse(text);
  if (!body) return Fail(body.error());
  NewHazard in;
  if (auto v = body->String("school", Need::kRequired, 20, 1)) in.school_code = *v;
  if (auto v = body->String("category", Need::kRequired, 20, 1)) in.category = *v;
  if (auto v = body->String("location", Need::kRequired, 100, 1)) in.location = *v;
  if (auto v = body->String("description", Need::kRequired, 1000, 1)) in.description = *v;
  if (auto v = body->String("grade", Need::kRequired, 10, 1)) in.grade = *v;
  if (auto v = body->String("source", Need::kRequired, 20, 1)) in.source = *v;
  in.building_grade = body->String("building_grade", Need::kOptional, 1, 1);
  if (auto v = body->StringList("photos", Need::kOptional, 9, 64)) in.photos = *v;
  if (auto v = body->Bool("fixed_at_once", Need::kOptional)) in.fixed_at_once = *v;
  in.found_at = body->String("found_at", Need::kOptional, 40, 10);
  if (auto s = body->Finish(); !s) return Fail(s.error());
  if (in.source == "inspection")
    return Fail(Error::Invalid("source", "Hazards from inspections are registered by the inspection."));
  return in;
}

// The fields each action takes; any other field is refused as unknown.
Result<ActionInput> ReadAction(const std::string& text) {
  auto body = http::JsonBody::Parse(text);
  if (!body) return Fail(body.error());
  ActionInput in;
  if (auto v = body->String("action", Need::kRequired, 20, 1)) in.action = *v;
  const std::string& a = in.action;
  if (a == "plan") {
    in.plan.responsible = body->String("responsible", Need::kOptional, 50);
    in.plan.measures = body->String("measures", Need::kOptional, 1000);
    in.plan.funds = body->String("funds", Need::kOptional, 100);
    in.plan.deadline = body->String("deadline", Need::kOptional, 10, 10);
    in.plan.contingency_plan = body->String("contingency_plan", Need::kOptional, 1000);
    in.plan.interim_measures = body->String("interim_measures", Need::kOptional, 1000);
    const auto& p = in.plan;
    if (!p.responsible && !p.measures && !p.funds && !p.deadline && !p.contingency_plan && !p.interim_measures &&
        body->errors().empty())
      body->AddError("body", "Send at least one of the plan's fields.");
  } else if (a == "fix_now" || a == "submit" || a == "accept") {
    in.note = body->String("note", a == "accept" ? Need::kOptional : Need::kRequired, 500).value_or("");
    if (auto v = body->StringList("photos", Need::kOptional, 9, 64)) in.photos = *v;
  } else if (a == "reject" || a == "supervise") {
    in.note = body->String("note", Need::kRequired, 500).value_or("");
    if (a == "reject") in.plan.deadline = body->String("deadline", Need::kOptional, 10, 10);
  } else if (a == "explain") {
    in.text = body->String("text", Need::kRequired, 2000).value_or("");
  } else if (a != "start" && !a.empty()) {
    body->AddError("action", "Use plan, start, fix_now, submit, accept, reject, explain or supervise.");
  }
  if (auto s = body->Finish(); !s) return Fail(s.error());
  return in;
}

json FiguresJson(const Figures& f) {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return {{"code", f.code},
          {"name", f.name},
          {"level", f.level},
          {"open", f.open},
          {"overdue", f.overdue},
          {"major", f.major},
          {"out_of_use", f.out_of_use},
          {"found_this_year", f.found_this_year},
          {"closed", f.closed},
          {"closure_rate", opt(f.closure_rate)},
          {"median_days_to_close", opt(f.median_days_to_close)}};
}

}  // namespace

void RegisterRoutes(http::Router& router, HazardService& s) {
  router.Add("POST", "/api/v1/hazards", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto in = ReadReport(ctx.request.body);
    if (!in) return http::Problem(in.error());
    return HazardResponse(s.Report(ctx.Caller(), ActorOf(ctx), std::move(*in)), 201);
  });
  router.Add("GET", "/api/v1/hazards", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto f = ReadFilter(ctx.request);
    if (!f) return http::Problem(f.error());
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    f->limit = page->page_size;
    f->offset = (page->page - 1) * page->page_size;
    auto list = s.List(ctx.Caller(), *f);
    if (!list) return http::Problem(list.error());
    json items = json::array();
    for (const auto& h : list->first) items.push_back(json::parse(HazardJson(h, false)));
    return http::Json(200, http::PageEnvelope(items, list->second, *page));
  });
  router.Add("GET", "/api/v1/hazards/dashboard", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = Query(ctx.request, "org");
    if (!org) return http::Problem(Error::Invalid("org", "Name the unit by its code."));
    auto d = s.GetDashboard(ctx.Caller(), *org);
    if (!d) return http::Problem(d.error());
    json children = json::array(), escalated = json::array();
    for (const auto& c : d->children) children.push_back(FiguresJson(c));
    for (const auto& h : d->escalated) escalated.push_back(json::parse(HazardJson(h, false)));
    return http::Json(200, {{"unit", FiguresJson(d->unit)}, {"children", children}, {"escalated", escalated}});
  });
  router.Add("GET", "/api/v1/hazards/export", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = Query(ctx.request, "org");
    if (!org) return http::Problem(Error::Invalid("org", "Name the unit by its code."));
    auto year = http::ReadIntParam(ctx.request, "year", 2000, 2100);
    if (!year) return http::Problem(year.error());
    const int y = *year ? static_cast<int>(**year)
                        : static_cast<int>(std::chrono::year_month_day(ShanghaiDay(Clock::System().Now())).year());
    auto bytes = HazardWorkbook(s, ctx.Caller(), *org, y);
    if (!bytes) return http::Problem(bytes.error());
    http::Response r;
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::move(*bytes);
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"hazards-" + *org + "-" + std::to_string(y) + ".xlsx\"");
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  });
  router.Add("GET", "/api/v1/hazards/{id}", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    return HazardResponse(s.Get(ctx.Caller(), *id));
  });
  router.Add("POST", "/api/v1/hazards/{id}/actions", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    auto in = ReadAction(ctx.request.body);
    if (!in) return http::Problem(in.error());
    return HazardResponse(s.Act(ctx.Caller(), ActorOf(ctx), *id, *in));
  });
}

}  // namespace xiaoan::hazards
