#include "modules/inspections/inspections_routes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "modules/audit/actor.hpp"
#include "modules/inspections/inspections_service.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/paging.hpp"
#include "platform/http/problem.hpp"

namespace xiaoan::inspections {
namespace {

using http::Access;
using http::Need;
using json = nlohmann::json;

audit::Actor ActorOf(const http::Context& ctx) { return audit::ActorFor(ctx.Caller(), ctx.request_id); }

json Nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json Nullable(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
json Nullable(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

Result<int64_t> IdParam(const http::Context& ctx, const char* what) {
  const auto& s = ctx.Param("id");
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    return Fail(Error::NotFound(what));
  return std::stoll(s);
}

std::optional<std::string> Query(const http::Request& r, const std::string& name) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

json ChecklistJson(const Checklist& c) {
  json j{{"id", c.id},
         {"key", c.key},
         {"version", c.version},
         {"name", c.name},
         {"owner_code", Nullable(c.owner_code)},
         {"categories", c.categories},
         {"item_count", c.item_count}};
  return j;
}

json ChecklistDetailJson(const Checklist& c) {
  json j = ChecklistJson(c);
  json items = json::array();
  for (const auto& i : c.items)
    items.push_back({{"code", i.code},
                     {"text", i.text},
                     {"category", i.category},
                     {"how", i.how},
                     {"photo_required", i.photo_required}});
  j["items"] = items;
  return j;
}

json RoundJson(const std::optional<Round>& r) {
  if (!r) return nullptr;
  return {{"round", r->round}, {"opens_on", r->opens_on}, {"due_on", r->due_on}};
}

json TotalsJson(const Totals& t) {
  return {{"due", t.due},   {"done", t.done},     {"on_time", t.on_time},
          {"late", t.late}, {"missed", t.missed}, {"open", t.open}};
}

json CampaignJson(const Campaign& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"org_code", c.org_code},
          {"org_name", c.org_name},
          {"template_id", c.template_id},
          {"template_name", c.template_name},
          {"cadence", c.cadence},
          {"starts_on", c.starts_on},
          {"ends_on", c.ends_on},
          {"school_types", c.school_types},
          {"locality", c.locality},
          {"description", c.description},
          {"created_by", c.created_by},
          {"created_at", c.created_at},
          {"rounds", c.rounds},
          {"current_round", RoundJson(c.current_round)},
          {"totals", TotalsJson(c.totals)}};
}

json ProgressJson(const Progress& p) {
  return {{"code", p.code},
          {"name", p.name},
          {"level", p.level},
          {"due", p.totals.due},
          {"done", p.totals.done},
          {"on_time", p.totals.on_time},
          {"late", p.totals.late},
          {"missed", p.totals.missed},
          {"open", p.totals.open},
          {"completeness", Nullable(p.completeness)},
          {"timeliness", Nullable(p.timeliness)}};
}

json DueJson(const Due& d) {
  return {{"id", d.id},
          {"campaign_id", d.campaign_id},
          {"campaign_name", d.campaign_name},
          {"template_id", d.template_id},
          {"template_name", d.template_name},
          {"round", d.round},
          {"opens_on", d.opens_on},
          {"due_on", d.due_on},
          {"status", d.status},
          {"inspection_id", Nullable(d.inspection_id)},
          {"upcoming", d.upcoming}};
}

json InspectionJson(const Inspection& i, bool with_results) {
  json j{{"id", i.id},
         {"school_code", i.school_code},
         {"school_name", i.school_name},
         {"template_id", i.template_id},
         {"template_name", i.template_name},
         {"template_version", i.template_version},
         {"campaign_id", Nullable(i.campaign_id)},
         {"due_id", Nullable(i.due_id)},
         {"source", i.source},
         {"inspector", i.inspector},
         {"inspected_at", i.inspected_at},
         {"notes", i.notes},
         {"pass", i.pass},
         {"fail", i.fail},
         {"na", i.na}};
  if (with_results) {
    json results = json::array();
    for (const auto& r : i.results)
      results.push_back({{"code", r.code},
                         {"text", r.text},
                         {"category", r.category},
                         {"result", r.result},
                         {"note", r.note},
                         {"photos", r.photos},
                         {"hazard_id", Nullable(r.hazard_id)}});
    j["results"] = results;
  }
  return j;
}

Result<ChecklistInput> ReadChecklist(const std::string& text) {
  auto body = http::JsonBody::Parse(text);
  if (!body) return Fail(body.error());
  ChecklistInput in;
  in.key = body->String("key", Need::kRequired, 40, 1).value_or("");
  in.name = body->String("name", Need::kRequired, 60, 1).value_or("");
  if (auto arr = body->Array("items", Need::kRequired, 100)) {
    for (size_t i = 0; i < arr->size(); ++i) {
      const std::string at = "items[" + std::to_string(i) + "]";
      auto item = arr->Object(i, at + ".");
      if (!item) {
        body->AddError(at, "Expected an object.");
        continue;
      }
      ChecklistItem it;
      it.code = item->String("code", Need::kRequired, 20, 1).value_or("");
      it.text = item->String("text", Need::kRequired, 200, 1).value_or("");
      it.category = item->String("category", Need::kRequired, 20, 1).value_or("");
      it.how = item->String("how", Need::kOptional, 500).value_or("");
      it.photo_required = item->Bool("photo_required", Need::kOptional).value_or(false);
      body->Merge(*item);
      in.items.push_back(std::move(it));
    }
  }
  if (auto s = body->Finish(); !s) return Fail(s.error());
  return in;
}

Result<CampaignInput> ReadCampaign(const std::string& text) {
  auto body = http::JsonBody::Parse(text);
  if (!body) return Fail(body.error());
  CampaignInput in;
  in.name = body->String("name", Need::kRequired, 60, 1).value_or("");
  in.org = body->String("org", Need::kRequired, 20, 1).value_or("");
  in.template_id = body->Int("template_id", Need::kRequired, 1, INT64_MAX).value_or(0);
  in.cadence = body->String("cadence", Need::kRequired, 10, 1).value_or("");
  in.starts_on = body->String("starts_on", Need::kRequired, 10, 1).value_or("");
  in.ends_on = body->String("ends_on", Need::kRequired, 10, 1).value_or("");
  in.school_types = body->StringList("school_types", Need::kOptional, 8, 20).value_or(std::vector<std::string>{});
  in.locality = body->StringList("locality", Need::kOptional, 3, 10).value_or(std::vector<std::string>{});
  in.description = body->String("description", Need::kOptional, 1000).value_or("");
  if (auto s = body->Finish(); !s) return Fail(s.error());
  return in;
}

Result<InspectionInput> ReadInspection(const std::string& text) {
  auto body = http::JsonBody::Parse(text);
  if (!body) return Fail(body.error());
  InspectionInput in;
  in.school = body->String("school", Need::kRequired, 20, 1).value_or("");
  in.template_id = body->Int("template_id", Need::kRequired, 1, INT64_MAX).value_or(0);
  in.due_id = body->Int("due_id", Need::kOptional, 1, INT64_MAX);
  in.source = body->String("source", Need::kRequired, 20, 1).value_or("");
  in.notes = body->String("notes", Need::kOptional, 2000).value_or("");
  if (auto arr = body->Array("results", Need::kRequired, 200)) {
    for (size_t i = 0; i < arr->size(); ++i) {
      const std::string at = "results[" + std::to_string(i) + "]";
      auto item = arr->Object(i, at + ".");
      if (!item) {
        body->AddError(at, "Expected an object.");
        continue;
      }
      ResultInput r;
      r.code = item->String("code", Need::kRequired, 20, 1).value_or("");
      r.result = item->String("result", Need::kRequired, 10, 1).value_or("");
      r.note = item->String("note", Need::kOptional, 500).value_or("");
      r.photos = item->StringList("photos", Need::kOptional, 9, 64).value_or(std::vector<std::string>{});
      if (auto h = item->Object("hazard", Need::kOptional)) {
        HazardInput hazard;
        hazard.grade = h->String("grade", Need::kRequired, 10, 1).value_or("");
        hazard.location = h->String("location", Need::kRequired, 100, 1).value_or("");
        hazard.description = h->String("description", Need::kOptional, 500).value_or("");
        hazard.building_grade = h->String("building_grade", Need::kOptional, 1, 1);
        hazard.fixed_at_once = h->Bool("fixed_at_once", Need::kOptional).value_or(false);
        item->Merge(*h);
        r.hazard = std::move(hazard);
      }
      body->Merge(*item);
      in.results.push_back(std::move(r));
    }
  }
  if (auto s = body->Finish(); !s) return Fail(s.error());
  return in;
}

}  // namespace

void RegisterRoutes(http::Router& router, InspectionsService& s) {
  router.Add("GET", "/api/v1/checklists", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto list = s.Checklists(ctx.Caller());
    if (!list) return http::Problem(list.error());
    json items = json::array();
    for (const auto& c : *list) items.push_back(ChecklistJson(c));
    return http::Json(200, {{"items", items}});
  });
  router.Add("GET", "/api/v1/checklists/{id}", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx, "The checklist");
    if (!id) return http::Problem(id.error());
    auto c = s.GetChecklist(ctx.Caller(), *id);
    if (!c) return http::Problem(c.error());
    return http::Json(200, ChecklistDetailJson(*c));
  });
  router.Add("POST", "/api/v1/checklists", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto in = ReadChecklist(ctx.request.body);
    if (!in) return http::Problem(in.error());
    auto c = s.CreateChecklist(ctx.Caller(), ActorOf(ctx), *in);
    if (!c) return http::Problem(c.error());
    return http::Json(201, ChecklistDetailJson(*c));
  });

  router.Add("POST", "/api/v1/campaigns", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto in = ReadCampaign(ctx.request.body);
    if (!in) return http::Problem(in.error());
    auto c = s.CreateCampaign(ctx.Caller(), ActorOf(ctx), *in);
    if (!c) return http::Problem(c.error());
    return http::Json(201, CampaignJson(*c));
  });
  router.Add("GET", "/api/v1/campaigns", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = Query(ctx.request, "org");
    if (!org) return http::Problem(Error::Invalid("org", "Name the unit by its code."));
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    auto list = s.Campaigns(ctx.Caller(), *org, page->page_size, (page->page - 1) * page->page_size);
    if (!list) return http::Problem(list.error());
    json items = json::array();
    for (const auto& c : list->first) items.push_back(CampaignJson(c));
    return http::Json(200, http::PageEnvelope(items, list->second, *page));
  });
  router.Add("GET", "/api/v1/campaigns/{id}", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx, "The campaign");
    if (!id) return http::Problem(id.error());
    auto c = s.GetCampaign(ctx.Caller(), *id);
    if (!c) return http::Problem(c.error());
    return http::Json(200, CampaignJson(*c));
  });
  router.Add("GET", "/api/v1/campaigns/{id}/progress", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx, "The campaign");
    if (!id) return http::Problem(id.error());
    auto round = http::ReadIntParam(ctx.request, "round", 1, 10000);
    if (!round) return http::Problem(round.error());
    auto p = s.Progress(ctx.Caller(), *id, Query(ctx.request, "org"), *round);
    if (!p) return http::Problem(p.error());
    json children = json::array();
    for (const auto& c : p->children) children.push_back(ProgressJson(c));
    json missed = json::array();
    for (const auto& m : p->missed_schools)
      missed.push_back({{"code", m.code},
                        {"name", m.name},
                        {"county_name", m.county_name},
                        {"due_on", m.due_on},
                        {"status", m.status}});
    return http::Json(200, {{"round", p->round.round},
                            {"opens_on", p->round.opens_on},
                            {"due_on", p->round.due_on},
                            {"unit", ProgressJson(p->unit)},
                            {"children", children},
                            {"missed_schools", missed}});
  });

  router.Add("GET", "/api/v1/inspection-dues", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto school = Query(ctx.request, "school");
    if (!school) return http::Problem(Error::Invalid("school", "Name the school by its code."));
    auto list = s.Dues(ctx.Caller(), *school);
    if (!list) return http::Problem(list.error());
    json items = json::array();
    for (const auto& d : *list) items.push_back(DueJson(d));
    return http::Json(200, {{"items", items}});
  });
  router.Add("POST", "/api/v1/inspections", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto in = ReadInspection(ctx.request.body);
    if (!in) return http::Problem(in.error());
    if (auto key = ctx.request.Header("idempotency-key")) {
      if (key->empty() || key->size() > 100 ||
          !std::all_of(key->begin(), key->end(), [](char c) { return c > 32 && c < 127; }))
        return http::Problem(Error::Invalid("Idempotency-Key", "1 to 100 visible ASCII characters."));
      in->idempotency_key = *key;
    }
    auto r = s.Record(ctx.Caller(), ActorOf(ctx), *in);
    if (!r) return http::Problem(r.error());
    return http::Json(201, {{"inspection", InspectionJson(r->inspection, true)}, {"hazard_ids", r->hazard_ids}});
  });
  router.Add("GET", "/api/v1/inspections", Access::kAuthenticated, [&s](http::Context& ctx) {
    InspectionFilter f;
    auto org = Query(ctx.request, "org");
    if (!org) return http::Problem(Error::Invalid("org", "Name the unit by its code."));
    f.org = *org;
    f.source = Query(ctx.request, "source");
    if (f.source && *f.source != "campaign" && *f.source != "self" && *f.source != "spot_check" &&
        *f.source != "unannounced")
      return http::Problem(Error::Invalid("source", "Use campaign, self, spot_check or unannounced."));
    f.from = Query(ctx.request, "from");
    f.to = Query(ctx.request, "to");
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    f.limit = page->page_size;
    f.offset = (page->page - 1) * page->page_size;
    auto list = s.Inspections(ctx.Caller(), f);
    if (!list) return http::Problem(list.error());
    json items = json::array();
    for (const auto& i : list->first) items.push_back(InspectionJson(i, false));
    return http::Json(200, http::PageEnvelope(items, list->second, *page));
  });
  router.Add("GET", "/api/v1/inspections/{id}", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx, "The inspection");
    if (!id) return http::Problem(id.error());
    auto i = s.GetInspection(ctx.Caller(), *id);
    if (!i) return http::Problem(i.error());
    return http::Json(200, InspectionJson(*i, true));
  });
}

}  // namespace xiaoan::inspections
