#include "modules/health/health_routes.hpp"

#include <nlohmann/json.hpp>

#include "modules/audit/actor.hpp"
#include "modules/health/health_service.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/json_text.hpp"
#include "platform/http/paging.hpp"
#include "platform/http/problem.hpp"

namespace xiaoan::health {
namespace {
using http::Need;
using nlohmann::json;

json Nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json Nullable(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

json ClassJson(const SchoolClass& k) {
  return {
      {"id", k.id},        {"grade", k.grade}, {"name", k.name}, {"enrolment", k.enrolment}, {"boarding", k.boarding},
      {"active", k.active}};
}

json CaseJson(const CaseRecord& c) {
  json symptoms = json::array();
  for (Symptom s : c.symptoms) symptoms.push_back(SymptomName(s));
  json j{{"id", c.id},
         {"student_no", c.student_no},
         {"sex", c.sex},
         {"age", c.age},
         {"dormitory_id", Nullable(c.dormitory_id)},
         {"symptoms", symptoms},
         {"onset_at", Nullable(c.onset_at)},
         {"absent", c.absent},
         {"doctor_visit", c.doctor_visit},
         {"diagnosis", Nullable(c.diagnosis)},
         {"suspected_notifiable", c.suspected_notifiable}};
  if (c.name) j["name"] = *c.name;
  return j;
}

// A report as the school's day lists it (the answer to a report is CheckText, below). Built member
// by member: an initializer list of pairs copies every value twice, and a day lists every class.
json CheckJson(const CheckRecord& r) {
  json j = json::object();
  j["id"] = r.id;
  j["school_code"] = r.school_code;
  j["class_id"] = r.class_id;
  j["class_name"] = r.class_name;
  j["date"] = r.date;
  j["session"] = r.session;
  j["version"] = r.version;
  j["enrolled"] = r.enrolled;
  j["present"] = r.present;
  j["absent_ill"] = r.absent_ill;
  j["absent_other"] = r.absent_other;
  json& cases = j["cases"] = json::array();
  for (const auto& c : r.cases) cases.push_back(CaseJson(c));
  j["submitted_by"] = r.submitted_by;
  j["submitted_at"] = r.submitted_at;
  j["late"] = r.late;
  j["warnings"] = r.warnings;
  return j;
}

// The answer to a class report: CheckJson's members, in the order its dump has them, written as
// text (the syncer answers every class report, and building the JSON value first was a quarter of
// its time per report). health_api_test compares the answer with the report as listed.
std::string CheckText(const CheckRecord& r) {
  std::string text;
  text.reserve(400);
  http::JsonText t(text);
  t.Open('{').Key("absent_ill").Int(r.absent_ill).Key("absent_other").Int(r.absent_other).Key("cases").Open('[');
  for (const auto& c : r.cases) t.Value(CaseJson(c));
  t.Close(']')
      .Key("class_id")
      .Int(r.class_id)
      .Key("class_name")
      .String(r.class_name)
      .Key("date")
      .String(r.date)
      .Key("enrolled")
      .Int(r.enrolled)
      .Key("id")
      .Int(r.id)
      .Key("late")
      .Bool(r.late)
      .Key("present")
      .Int(r.present)
      .Key("school_code")
      .String(r.school_code)
      .Key("session")
      .String(r.session)
      .Key("submitted_at")
      .String(r.submitted_at)
      .Key("submitted_by")
      .String(r.submitted_by)
      .Key("version")
      .Int(r.version)
      .Key("warnings")
      .Open('[');
  for (const int64_t w : r.warnings) t.Int(w);
  t.Close(']').Close('}');
  return text;
}

json TaskJson(const ReportTask& t) {
  return {{"id", t.id},
          {"recipients", {"县疾病预防控制中心", "县级教育行政部门"}},
          {"due_at", t.due_at},
          {"immediate", t.immediate},
          {"status", t.status},
          {"escalated", t.escalated},
          {"draft", t.draft},
          {"summary", Nullable(t.summary)},
          {"measures", Nullable(t.measures)},
          {"submitted_at", Nullable(t.submitted_at)},
          {"submitted_by", Nullable(t.submitted_by)}};
}

json WarningJson(const Warning& w) {
  return {{"id", w.id},
          {"school", {{"code", w.school_code}, {"name", w.school_name}}},
          {"county", {{"code", w.county_code}, {"name", w.county_name}}},
          {"rule", w.rule},
          {"rule_name", w.rule_name},
          {"group", w.group},
          {"unit_kind", w.unit_kind},
          {"unit_name", w.unit_name},
          {"window_start", w.window_start},
          {"window_end", w.window_end},
          {"cases", w.cases},
          {"status", w.status},
          {"opened_at", w.opened_at},
          {"closed_at", Nullable(w.closed_at)},
          {"task", w.task ? TaskJson(*w.task) : json(nullptr)}};
}

json FiguresJson(const CompletenessFigures& f) {
  return {
      {"org", {{"code", f.code}, {"name", f.name}, {"level", f.level}}},
      {"classes", f.classes},
      {"reported", f.reported},
      {"rate", f.classes > 0 ? json(static_cast<double>(f.reported) / static_cast<double>(f.classes)) : json(nullptr)},
      {"schools", f.schools},
      {"schools_complete", f.schools_complete},
      {"absent_ill", f.absent_ill},
      {"cases", f.cases}};
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

Result<std::optional<Day>> DayParam(const http::Request& req) {
  auto it = req.query.find("date");
  if (it == req.query.end() || it->second.empty()) return std::optional<Day>();
  auto d = ParseDay(it->second);
  if (!d) return Fail(Error::Invalid("date", "A date as YYYY-MM-DD."));
  return std::optional<Day>(*d);
}

Result<std::optional<std::string>> SessionParam(const http::Request& req) {
  auto it = req.query.find("session");
  if (it == req.query.end() || it->second.empty()) return std::optional<std::string>();
  if (it->second != "morning" && it->second != "noon" && it->second != "evening")
    return Fail(Error::Invalid("session", "Use morning, noon or evening."));
  return std::optional<std::string>(it->second);
}

Result<std::string> OrgParam(const http::Request& req) {
  auto it = req.query.find("org");
  if (it == req.query.end() || it->second.empty()) return Fail(Error::Invalid("org", "Name the unit by its code."));
  if (it->second.size() > 20) return Fail(Error::Invalid("org", "Not a unit code."));
  return it->second;
}

ClassFields ReadClass(http::JsonBody& body, bool create) {
  const Need need = create ? Need::kRequired : Need::kOptional;
  ClassFields f;
  if (create) f.grade = body.Int("grade", Need::kRequired, 0, 12);
  f.name = body.String("name", need, 30, 1);
  f.enrolment = body.Int("enrolment", need, 0, 200);
  f.boarding = body.Bool("boarding", Need::kOptional);
  if (!create) f.active = body.Bool("active", Need::kOptional);
  return f;
}

// Answers once the report is durable, without holding a thread meanwhile (a class report is the
// most frequent write of all).
void Submit(HealthService& s, http::Context& ctx, http::Reply reply) {
  auto key = ctx.request.Header("idempotency-key");
  if (!key || key->empty() || key->size() > 100 ||
      !std::all_of(key->begin(), key->end(), [](char c) { return c > 32 && c < 127; }))
    return reply(http::Problem(Error::Invalid(
        "Idempotency-Key",
        "Send an Idempotency-Key header (1–100 visible ASCII characters) so a retry never writes twice.")));
  auto body = http::JsonBody::Parse(ctx.request.body);
  if (!body) return reply(http::Problem(body.error()));
  CheckInput in;
  in.idempotency_key = *key;
  auto class_id = body->Int("class_id", Need::kRequired, 1, INT64_MAX);
  auto date = body->String("date", Need::kRequired, 10);
  auto session = body->String("session", Need::kRequired, 10);
  auto enrolled = body->Int("enrolled", Need::kRequired, 0, 200);
  auto present = body->Int("present", Need::kRequired, 0, 200);
  auto ill = body->Int("absent_ill", Need::kRequired, 0, 200);
  auto other = body->Int("absent_other", Need::kRequired, 0, 200);
  if (auto arr = body->Array("cases", Need::kOptional, 200)) {
    for (size_t i = 0; i < arr->size(); ++i) {
      const std::string prefix = "cases[" + std::to_string(i) + "].";
      auto item = arr->Object(i, prefix);
      if (!item) {
        body->AddError("cases[" + std::to_string(i) + "]", "Expected an object.");
        continue;
      }
      CaseRecord c;
      c.student_no = item->String("student_no", Need::kRequired, 30, 1).value_or("");
      c.name = item->String("name", Need::kOptional, 30);
      c.sex = item->String("sex", Need::kRequired, 10).value_or("");
      c.age = item->Int("age", Need::kRequired, 2, 25).value_or(0);
      c.dormitory_id = item->Int("dormitory_id", Need::kOptional, 1, INT64_MAX);
      if (auto list = item->StringList("symptoms", Need::kRequired, kSymptomCount, 30)) {
        for (const auto& name : *list) {
          auto sym = SymptomFromName(name);
          if (!sym)
            item->AddError("symptoms", "Unknown symptom " + name + ".");
          else if (std::find(c.symptoms.begin(), c.symptoms.end(), *sym) == c.symptoms.end())
            c.symptoms.push_back(*sym);
        }
      }
      c.onset_at = item->String("onset_at", Need::kOptional, 40);
      c.absent = item->Bool("absent", Need::kRequired).value_or(false);
      c.doctor_visit = item->Bool("doctor_visit", Need::kOptional).value_or(false);
      c.diagnosis = item->String("diagnosis", Need::kOptional, 50);
      c.suspected_notifiable = item->Bool("suspected_notifiable", Need::kOptional).value_or(false);
      (void)item->Finish();
      body->Merge(*item);
      in.cases.push_back(std::move(c));
    }
  }
  if (auto ok = body->Finish(); !ok) return reply(http::Problem(ok.error()));
  in.class_id = *class_id;
  in.date = *date;
  in.session = *session;
  in.enrolled = *enrolled;
  in.present = *present;
  in.absent_ill = *ill;
  in.absent_other = *other;
  s.SubmitAsync(ctx.Caller(), ActorOf(ctx), std::move(in), [reply = std::move(reply)](Result<CheckRecord> r) {
    if (!r) return reply(http::Problem(r.error()));
    http::Response answer;
    answer.status = 201;
    answer.body = CheckText(*r);
    reply(std::move(answer));
  });
}

json AbsenceJson(const Absence& a) {
  json entries = json::array();
  for (const auto& e : a.entries)
    entries.push_back({{"id", e.id},
                       {"date", e.day},
                       {"outcome", e.outcome},
                       {"diagnosis", Nullable(e.diagnosis)},
                       {"clearance", e.clearance},
                       {"note", e.note},
                       {"recorded_by", e.recorded_by},
                       {"recorded_at", e.recorded_at}});
  return {{"id", a.id},
          {"class_id", a.class_id},
          {"class_name", a.class_name},
          {"student_no", a.student_no},
          {"started_on", a.started_on},
          {"last_seen_on", a.last_seen_on},
          {"status", a.status},
          {"outcome", a.outcome},
          {"diagnosis", Nullable(a.diagnosis)},
          {"updated_at", a.updated_at},
          {"entries", entries}};
}

}  // namespace

void RegisterRoutes(http::Router& router, HealthService& s) {
  using http::Access;
  router.Add("GET", "/api/v1/schools/{code}/classes", Access::kAuthenticated, [&s](http::Context& ctx) {
    return Answer(s.Classes(ctx.Caller(), ctx.Param("code")), [](const std::vector<SchoolClass>& ks) {
      json items = json::array();
      for (const auto& k : ks) items.push_back(ClassJson(k));
      return json{{"items", items}};
    });
  });
  router.Add("POST", "/api/v1/schools/{code}/classes", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto body = http::JsonBody::Parse(ctx.request.body);
    if (!body) return http::Problem(body.error());
    auto f = ReadClass(*body, true);
    if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
    return Answer(s.CreateClass(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), f), ClassJson, 201);
  });
  router.Add("PATCH", "/api/v1/schools/{code}/classes/{id}", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    auto body = http::JsonBody::Parse(ctx.request.body);
    if (!body) return http::Problem(body.error());
    auto f = ReadClass(*body, false);
    if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
    return Answer(s.UpdateClass(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), *id, f), ClassJson);
  });
  router.Add("GET", "/api/v1/schools/{code}/dormitories", Access::kAuthenticated, [&s](http::Context& ctx) {
    return Answer(s.Dormitories(ctx.Caller(), ctx.Param("code")), [](const std::vector<Dormitory>& ds) {
      json items = json::array();
      for (const auto& d : ds) items.push_back({{"id", d.id}, {"name", d.name}, {"beds", d.beds}});
      return json{{"items", items}};
    });
  });
  router.Add("POST", "/api/v1/schools/{code}/dormitories", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto body = http::JsonBody::Parse(ctx.request.body);
    if (!body) return http::Problem(body.error());
    auto name = body->String("name", Need::kRequired, 50, 1);
    auto beds = body->Int("beds", Need::kOptional, 0, 5000);
    if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
    return Answer(
        s.CreateDormitory(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), *name, beds.value_or(0)),
        [](const Dormitory& d) {
          return json{{"id", d.id}, {"name", d.name}, {"beds", d.beds}};
        },
        201);
  });
  router.AddAsync("POST", "/api/v1/health-checks", Access::kAuthenticated,
                  [&s](http::Context& ctx, http::Reply reply) { Submit(s, ctx, std::move(reply)); });
  router.Add("GET", "/api/v1/schools/{code}/health-checks", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto date = DayParam(ctx.request);
    if (!date) return http::Problem(date.error());
    auto session = SessionParam(ctx.request);
    if (!session) return http::Problem(session.error());
    return Answer(s.DayReports(ctx.Caller(), ActorOf(ctx), ctx.Param("code"), *date, *session), [](const DayView& v) {
      json reports = json::array(), missing = json::array();
      for (const auto& r : v.reports) reports.push_back(CheckJson(r));
      for (const auto& k : v.missing) missing.push_back(ClassJson(k));
      return json{{"date", v.date},     {"session", v.session}, {"deadline", v.deadline}, {"school_day", v.school_day},
                  {"reports", reports}, {"missing", missing}};
    });
  });
  router.Add("GET", "/api/v1/health-checks/completeness", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = OrgParam(ctx.request);
    if (!org) return http::Problem(org.error());
    auto date = DayParam(ctx.request);
    if (!date) return http::Problem(date.error());
    auto session = SessionParam(ctx.request);
    if (!session) return http::Problem(session.error());
    return Answer(s.GetCompleteness(ctx.Caller(), *org, *date, *session), [](const Completeness& c) {
      json j = FiguresJson(c.unit);
      json children = json::array();
      for (const auto& k : c.children) children.push_back(FiguresJson(k));
      j["children"] = children;
      j["school_day"] = c.school_day;
      return j;
    });
  });
  router.Add("GET", "/api/v1/health-warnings", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = OrgParam(ctx.request);
    if (!org) return http::Problem(org.error());
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    std::string status = "open";
    if (auto it = ctx.request.query.find("status"); it != ctx.request.query.end() && !it->second.empty())
      status = it->second;
    if (status != "open" && status != "closed" && status != "all")
      return http::Problem(Error::Invalid("status", "Use open, closed or all."));
    auto r = s.Warnings(ctx.Caller(), *org, status, page->page_size, (page->page - 1) * page->page_size);
    if (!r) return http::Problem(r.error());
    json items = json::array();
    for (const auto& w : r->first) items.push_back(WarningJson(w));
    return http::Json(200, http::PageEnvelope(items, r->second, *page));
  });
  router.Add("GET", "/api/v1/health-warnings/{id}", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    return Answer(s.GetWarning(ctx.Caller(), ActorOf(ctx), *id), [](const Warning& w) {
      json j = WarningJson(w);
      json cases = json::array();
      for (const auto& c : w.case_list) cases.push_back(CaseJson(c));
      j["case_list"] = cases;
      return j;
    });
  });
  router.Add("POST", "/api/v1/health-warnings/{id}/close", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    auto body = http::JsonBody::Parse(ctx.request.body);
    if (!body) return http::Problem(body.error());
    auto note = body->String("note", Need::kRequired, 1000, 1);
    if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
    return Answer(s.CloseWarning(ctx.Caller(), ActorOf(ctx), *id, *note), WarningJson);
  });
  router.Add("GET", "/api/v1/schools/{code}/illness-absences", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    std::string status = "open";
    if (auto it = ctx.request.query.find("status"); it != ctx.request.query.end() && !it->second.empty())
      status = it->second;
    if (status != "open" && status != "returned" && status != "all")
      return http::Problem(Error::Invalid("status", "Use open, returned or all."));
    auto r = s.Absences(ctx.Caller(), ctx.Param("code"), status, page->page_size, (page->page - 1) * page->page_size);
    if (!r) return http::Problem(r.error());
    json items = json::array();
    for (const auto& a : r->first) items.push_back(AbsenceJson(a));
    return http::Json(200, http::PageEnvelope(items, r->second, *page));
  });
  router.Add("POST", "/api/v1/illness-absences/{id}/entries", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    auto body = http::JsonBody::Parse(ctx.request.body);
    if (!body) return http::Problem(body.error());
    AbsenceEntry e;
    auto date = body->String("date", Need::kRequired, 10);
    auto outcome = body->String("outcome", Need::kRequired, 20);
    e.diagnosis = body->String("diagnosis", Need::kOptional, 50);
    e.clearance = body->Bool("clearance", Need::kOptional).value_or(false);
    e.note = body->String("note", Need::kOptional, 500).value_or("");
    if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
    e.day = *date;
    e.outcome = *outcome;
    return Answer(s.AddAbsenceEntry(ctx.Caller(), ActorOf(ctx), *id, e), AbsenceJson, 201);
  });
  router.Add("POST", "/api/v1/health-report-tasks/{id}/submit", Access::kAuthenticated, [&s](http::Context& ctx) {
    auto id = IdParam(ctx);
    if (!id) return http::Problem(id.error());
    auto body = http::JsonBody::Parse(ctx.request.body);
    if (!body) return http::Problem(body.error());
    auto summary = body->String("summary", Need::kRequired, 4000, 1);
    auto measures = body->String("measures", Need::kRequired, 4000, 1);
    if (auto ok = body->Finish(); !ok) return http::Problem(ok.error());
    return Answer(s.SubmitTask(ctx.Caller(), ActorOf(ctx), *id, *summary, *measures), TaskJson);
  });
}

}  // namespace xiaoan::health
