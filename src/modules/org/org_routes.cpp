#include "modules/org/org_routes.hpp"

#include <nlohmann/json.hpp>

#include "modules/audit/actor.hpp"
#include "modules/org/org_rules.hpp"
#include "modules/org/school_import.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/paging.hpp"
#include "platform/http/problem.hpp"

namespace xiaoan::org {
namespace {
using http::Need;
using nlohmann::json;

json ToJson(const OrgUnit& u) {
  json j{{"code", u.code},
         {"name", u.name},
         {"level", LevelName(u.level)},
         {"parent_code", u.parent_code ? json(*u.parent_code) : json(nullptr)},
         {"active", u.active},
         {"demo", u.demo},
         {"child_count", u.child_count},
         {"attributes", nullptr}};
  if (u.attributes) {
    const auto& a = *u.attributes;
    j["attributes"] = {{"school_type", SchoolTypeName(a.school_type)},
                       {"locality", LocalityName(a.locality)},
                       {"boarding", a.boarding},
                       {"day_students", a.day_students},
                       {"boarding_students", a.boarding_students},
                       {"class_count", a.class_count}};
  }
  return j;
}

json PageJson(const Page& page, http::PageParams p) {
  json items = json::array();
  for (const auto& u : page.items) items.push_back(ToJson(u));
  return http::PageEnvelope(std::move(items), page.total, p);
}

template <class T, class F>
http::Response Answer(const Result<T>& r, F&& to_json, int status = 200) {
  if (!r) return http::Problem(r.error());
  return http::Json(status, to_json(*r));
}

// The attributes object, all fields required (creation).
std::optional<SchoolAttributes> ReadAttributes(http::JsonBody& body) {
  auto obj = body.Object("attributes", Need::kRequired);
  if (!obj) return std::nullopt;
  SchoolAttributes a;
  auto type = obj->String("school_type", Need::kRequired, 20);
  auto locality = obj->String("locality", Need::kRequired, 10);
  auto boarding = obj->Bool("boarding", Need::kRequired);
  auto day = obj->Int("day_students", Need::kRequired, 0, 100000);
  auto boarders = obj->Int("boarding_students", Need::kRequired, 0, 100000);
  auto classes = obj->Int("class_count", Need::kRequired, 0, 1000);
  if (type && !SchoolTypeFromName(*type)) obj->AddError("school_type", "Unknown school type.");
  if (locality && !LocalityFromName(*locality)) obj->AddError("locality", "Use urban, town or rural.");
  body.Merge(*obj);
  if (!type || !locality || !boarding || !day || !boarders || !classes || !SchoolTypeFromName(*type) ||
      !LocalityFromName(*locality))
    return std::nullopt;
  a.school_type = *SchoolTypeFromName(*type);
  a.locality = *LocalityFromName(*locality);
  a.boarding = *boarding;
  a.day_students = *day;
  a.boarding_students = *boarders;
  a.class_count = *classes;
  return a;
}

http::Response GetUnit(OrgService& s, http::Context& ctx) {
  auto unit = s.Get(ctx.Caller(), ctx.Param("code"));
  if (!unit) return http::Problem(unit.error());
  auto ancestors = s.Ancestors(ctx.Caller(), *unit);
  if (!ancestors) return http::Problem(ancestors.error());
  json j = ToJson(*unit);
  j["ancestors"] = json::array();
  for (const auto& a : *ancestors)
    j["ancestors"].push_back({{"code", a.code}, {"name", a.name}, {"level", LevelName(a.level)}});
  return http::Json(200, j);
}

http::Response ListSchools(OrgService& s, http::Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::Problem(page.error());
  SchoolFilter f;
  const auto& q = ctx.request.query;
  if (auto it = q.find("q"); it != q.end()) f.q = it->second.substr(0, 100);
  if (auto it = q.find("school_type"); it != q.end() && !it->second.empty()) {
    if (!SchoolTypeFromName(it->second)) return http::Problem(Error::Invalid("school_type", "Unknown school type."));
    f.school_type = it->second;
  }
  if (auto it = q.find("locality"); it != q.end() && !it->second.empty()) {
    if (!LocalityFromName(it->second)) return http::Problem(Error::Invalid("locality", "Use urban, town or rural."));
    f.locality = it->second;
  }
  if (auto it = q.find("active"); it != q.end() && !it->second.empty()) {
    if (it->second != "true" && it->second != "false")
      return http::Problem(Error::Invalid("active", "Use true or false."));
    f.active = it->second == "true" ? 1 : 0;
  }
  return Answer(s.Schools(ctx.Caller(), ctx.Param("code"), f, {page->page, page->page_size}),
                [&](const Page& p) { return PageJson(p, *page); });
}

http::Response CreateSchool(OrgService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  NewSchool n;
  auto parent = body->String("parent_code", Need::kRequired, 10, 1);
  auto code = body->String("code", Need::kRequired, 10, 1);
  auto name = body->String("name", Need::kRequired, 100, 1);
  auto attributes = ReadAttributes(*body);
  if (code && !IsSchoolCode(*code)) body->AddError("code", "A school identifier has 10 digits.");
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  n.parent_code = *parent;
  n.code = *code;
  n.name = *name;
  n.attributes = *attributes;
  return Answer(
      s.CreateSchool(ctx.Caller(), audit::ActorFor(ctx.Caller(), ctx.request_id), n),
      [](const OrgUnit& u) { return ToJson(u); }, 201);
}

http::Response UpdateSchool(OrgService& s, http::Context& ctx) {
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return http::Problem(body.error());
  SchoolPatch patch;
  patch.name = body->String("name", Need::kOptional, 100, 1);
  if (auto obj = body->Object("attributes", Need::kOptional)) {
    if (auto t = obj->String("school_type", Need::kOptional, 20)) {
      patch.school_type = SchoolTypeFromName(*t);
      if (!patch.school_type) obj->AddError("school_type", "Unknown school type.");
    }
    if (auto l = obj->String("locality", Need::kOptional, 10)) {
      patch.locality = LocalityFromName(*l);
      if (!patch.locality) obj->AddError("locality", "Use urban, town or rural.");
    }
    patch.boarding = obj->Bool("boarding", Need::kOptional);
    patch.day_students = obj->Int("day_students", Need::kOptional, 0, 100000);
    patch.boarding_students = obj->Int("boarding_students", Need::kOptional, 0, 100000);
    patch.class_count = obj->Int("class_count", Need::kOptional, 0, 1000);
    body->Merge(*obj);
  }
  if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
  return Answer(s.UpdateSchool(ctx.Caller(), audit::ActorFor(ctx.Caller(), ctx.request_id), ctx.Param("code"), patch),
                [](const OrgUnit& u) { return ToJson(u); });
}

http::Response ImportSchools(OrgService& s, http::Context& ctx) {
  const std::string parent = ctx.Param("code");
  std::vector<FieldError> errors;
  std::vector<NewSchool> rows;
  const std::string type = ctx.request.Header("content-type").value_or("");
  if (type.starts_with("text/csv")) {
    auto table = ParseCsv(ctx.request.body);
    if (!table) return http::Problem(table.error());
    rows = SchoolsFromTable(*table, parent, errors);
  } else {
    auto body = http::JsonBody::Parse(ctx.request.body);
    if (!body) return http::Problem(body.error());
    auto list = body->Array("rows", Need::kRequired, kMaxImportRows);
    if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
    rows = SchoolsFromJsonRows(list->ToJson(), parent, errors);
  }
  if (!errors.empty()) {
    // Also check the well-formed rows against the store (without writing), so the user sees
    // every problem at once.
    auto more = s.CheckImport(ctx.Caller(), parent, rows);
    if (!more) return http::Problem(more.error());
    errors.insert(errors.end(), more->begin(), more->end());
    std::stable_sort(errors.begin(), errors.end(),
                     [](const FieldError& a, const FieldError& b) { return a.row < b.row; });
    return http::Problem(Error{ErrorCode::kInvalidArgument,
                               "Nothing was imported: fix the rows listed and try again.",
                               "import_failed",
                               errors,
                               {}});
  }
  if (rows.empty())
    return http::Problem(Error{ErrorCode::kInvalidArgument,
                               "The file has no rows.",
                               "import_failed",
                               {FieldError{"rows", "No rows to import.", 1}},
                               {}});
  return Answer(s.ImportSchools(ctx.Caller(), audit::ActorFor(ctx.Caller(), ctx.request_id), parent, rows),
                [](int64_t n) {
                  return json{{"created", n}};
                });
}

}  // namespace

void RegisterRoutes(http::Router& router, OrgService& s) {
  using http::Access;
  router.Add("GET", "/api/v1/org-units", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    auto it = ctx.request.query.find("q");
    const std::string q = it == ctx.request.query.end() ? "" : it->second;
    if (http::Utf8Length(q) < 1 || http::Utf8Length(q) > 50)
      return http::Problem(Error::Invalid("q", "Give 1 to 50 characters of a name or a code."));
    return Answer(s.Search(ctx.Caller(), q, {page->page, page->page_size}),
                  [&](const Page& p) { return PageJson(p, *page); });
  });
  router.Add("GET", "/api/v1/org-units/{code}", Access::kAuthenticated,
             [&s](http::Context& ctx) { return GetUnit(s, ctx); });
  router.Add("GET", "/api/v1/org-units/{code}/children", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    return Answer(s.Children(ctx.Caller(), ctx.Param("code"), {page->page, page->page_size}),
                  [&](const Page& p) { return PageJson(p, *page); });
  });
  router.Add("GET", "/api/v1/org-units/{code}/schools", Access::kAuthenticated,
             [&s](http::Context& ctx) { return ListSchools(s, ctx); });
  router.Add("GET", "/api/v1/org-units/{code}/stats", Access::kAuthenticated, [&s](http::Context& ctx) {
    return Answer(s.GetStats(ctx.Caller(), ctx.Param("code")), [](const Stats& st) {
      json by_type = json::object(), by_loc = json::object();
      for (const auto& [k, v] : st.by_type) by_type[k] = v;
      for (const auto& [k, v] : st.by_locality) by_loc[k] = v;
      return json{{"schools", st.schools}, {"students", st.students}, {"by_type", by_type}, {"by_locality", by_loc}};
    });
  });
  router.Add("POST", "/api/v1/org-units", Access::kAuthenticated,
             [&s](http::Context& ctx) { return CreateSchool(s, ctx); });
  router.Add("PATCH", "/api/v1/org-units/{code}", Access::kAuthenticated,
             [&s](http::Context& ctx) { return UpdateSchool(s, ctx); });
  router.Add("POST", "/api/v1/org-units/{code}/deactivate", Access::kAuthenticated, [&s](http::Context& ctx) {
    return Answer(s.Deactivate(ctx.Caller(), audit::ActorFor(ctx.Caller(), ctx.request_id), ctx.Param("code")),
                  [](const OrgUnit& u) { return ToJson(u); });
  });
  router.Add("POST", "/api/v1/org-units/{code}/schools/import", Access::kAuthenticated,
             [&s](http::Context& ctx) { return ImportSchools(s, ctx); });
}

}  // namespace xiaoan::org
