// Hazards (issue #6) over HTTP: a report, the five in place, rectification with photos, acceptance
// by someone other than the reporter, refusals that write nothing, escalation after a missed
// deadline (marked when the server starts again, and not twice), jurisdiction on every endpoint,
// bad input naming the field, the dashboard and the yearly workbook.
#include "ledger_support.hpp"

namespace xiaoan::it {
namespace {

class HazardsApi : public ServerSuite<HazardsApi> {
 protected:
  static std::string Tok(const std::string& user) { return server().Token(user); }
  static json Report(const json& body, const std::string& user) {
    auto r = server().Post("/api/v1/hazards", body, Tok(user));
    EXPECT_EQ(r.status, 201) << r;
    return r.Json();
  }
  static json Direct(const std::string& description, const std::string& grade = "ordinary") {
    return {{"school", kSchool},          {"category", "fire"}, {"location", "教学楼二楼走廊"},
            {"description", description}, {"grade", grade},     {"source", "direct"}};
  }
  static HttpResponse Act(int64_t id, const json& body, const std::string& user) {
    return server().Post("/api/v1/hazards/" + std::to_string(id) + "/actions", body, Tok(user));
  }
  static json Detail(int64_t id, const std::string& user = "demo-county") {
    auto r = server().Get("/api/v1/hazards/" + std::to_string(id), Tok(user));
    EXPECT_EQ(r.status, 200) << r;
    return r.Json();
  }
  static json Plan(const std::string& deadline) {
    return {{"action", "plan"},
            {"responsible", "后勤副校长"},
            {"measures", "更换灭火器"},
            {"funds", "3000元"},
            {"deadline", deadline},
            {"contingency_plan", "火情疏散预案"},
            {"interim_measures", "临时增配灭火器"}};
  }
  static std::string Photo() {
    auto r = server().Send(
        {"POST", "/api/v1/files?school=" + kSchool, TinyPng(10, 200, 30), "image/png", Tok("demo-principal"), {}});
    EXPECT_EQ(r.status, 201) << r;
    return r.Json().value("id", "");
  }
};

TEST_F(HazardsApi, AMajorHazardIsPlannedRectifiedRejectedOnceAndAcceptedBySomeoneOtherThanTheReporter) {
  const json h = Report(Direct("it-workflow 灭火器过期", "major"), "demo-safety");
  const int64_t id = h["id"];
  EXPECT_EQ(h["state"], "registered");
  EXPECT_EQ(h["found_by"], "demo-safety");
  EXPECT_EQ(h["five_in_place"], false);
  EXPECT_EQ(h["county_code"], "410105");
  ASSERT_EQ(h["events"].size(), 1u);

  // Refused steps answer 409 with a stable code and add no event.
  auto early = Act(id, {{"action", "start"}}, "demo-principal");
  EXPECT_EQ(early.status, 409) << early;
  EXPECT_EQ(early.Code(), "five_not_in_place");
  EXPECT_EQ(Act(id, {{"action", "submit"}, {"note", "x"}, {"photos", json::array()}}, "demo-principal").Code(),
            "invalid_transition");
  EXPECT_EQ(Act(id, Plan(ShanghaiDate(10)), "demo-guard").status, 403);
  EXPECT_EQ(Act(id, Plan(ShanghaiDate(10)), "demo-city").status, 403);
  EXPECT_EQ(Detail(id)["events"].size(), 1u);

  auto planned = Act(id, Plan(ShanghaiDate(10)), "demo-principal");
  ASSERT_EQ(planned.status, 200) << planned;
  EXPECT_EQ(planned.Json()["five_in_place"], true);
  ASSERT_EQ(Act(id, {{"action", "start"}}, "demo-principal").status, 200);
  auto no_photos = Act(id, {{"action", "submit"}, {"note", "已更换"}}, "demo-principal");
  EXPECT_EQ(no_photos.status, 409) << no_photos;
  EXPECT_EQ(no_photos.Code(), "photos_required");
  const std::string photo = Photo();
  auto foreign =
      Act(id, {{"action", "submit"}, {"note", "已更换"}, {"photos", {std::string(64, 'c')}}}, "demo-principal");
  EXPECT_TRUE(foreign.NamesField("photos[0]")) << foreign;
  auto submitted = Act(id, {{"action", "submit"}, {"note", "已更换"}, {"photos", {photo}}}, "demo-principal");
  ASSERT_EQ(submitted.status, 200) << submitted;
  EXPECT_EQ(submitted.Json()["state"], "awaiting_acceptance");

  auto same = Act(id, {{"action", "accept"}, {"note", "合格"}}, "demo-safety");
  EXPECT_EQ(same.status, 409) << same;
  EXPECT_EQ(same.Code(), "same_person");
  auto no_note = Act(id, {{"action", "reject"}}, "demo-county");
  EXPECT_EQ(no_note.status, 400) << no_note;
  EXPECT_TRUE(no_note.NamesField("note"));
  auto rejected = Act(id, {{"action", "reject"}, {"note", "数量不足"}}, "demo-county");
  ASSERT_EQ(rejected.status, 200) << rejected;
  EXPECT_EQ(rejected.Json()["state"], "rectifying");
  ASSERT_EQ(Act(id, {{"action", "submit"}, {"note", "补齐"}, {"photos", {photo}}}, "demo-principal").status, 200);
  auto accepted = Act(id, {{"action", "accept"}, {"note", "验收合格"}}, "demo-principal");
  ASSERT_EQ(accepted.status, 200) << accepted;
  const json done = accepted.Json();
  EXPECT_EQ(done["state"], "closed");
  EXPECT_EQ(done["accepted_by"], "demo-principal");
  EXPECT_FALSE(done["closed_at"].is_null());
  // register, plan, start, submit, reject, submit, accept
  ASSERT_EQ(done["events"].size(), 7u) << done;
  EXPECT_EQ(done["events"][3]["photos"][0], photo);
  EXPECT_EQ(Act(id, {{"action", "reject"}, {"note", "x"}}, "demo-county").Code(), "invalid_transition");
}

TEST_F(HazardsApi, OutsideTheJurisdictionEveryEndpointAnswers404) {
  const int64_t id = Report(Direct("it-jurisdiction"), "demo-guard")["id"];
  const std::string other = Tok("demo-county2");
  EXPECT_EQ(server().Get("/api/v1/hazards?org=410105", other).status, 404);
  EXPECT_EQ(server().Get("/api/v1/hazards/" + std::to_string(id), other).status, 404);
  EXPECT_EQ(server().Post("/api/v1/hazards/" + std::to_string(id) + "/actions", {{"action", "accept"}}, other).status,
            404);
  EXPECT_EQ(server().Get("/api/v1/hazards/dashboard?org=410105", other).status, 404);
  EXPECT_EQ(server().Get("/api/v1/hazards/export?org=410105", other).status, 404);
  json spot = Direct("it-spot");
  spot["source"] = "spot_check";
  EXPECT_EQ(server().Post("/api/v1/hazards", spot, other).status, 404);
  EXPECT_EQ(server().Get("/api/v1/hazards/99999999", Tok("demo-county")).status, 404);
  // Inside it, the county records a spot check and lists it; the school does not see other schools.
  auto recorded = server().Post("/api/v1/hazards", spot, Tok("demo-county"));
  ASSERT_EQ(recorded.status, 201) << recorded;
  EXPECT_EQ(recorded.Json()["source"], "spot_check");
  EXPECT_EQ(server().Get("/api/v1/hazards?org=9410105002", Tok("demo-principal")).status, 404);
  auto mine = server().Get("/api/v1/hazards?org=" + kSchool + "&state=open", Tok("demo-principal"));
  ASSERT_EQ(mine.status, 200) << mine;
  EXPECT_GE(mine.Json()["total"].get<int64_t>(), 2);
}

TEST_F(HazardsApi, BadInputNamesTheFieldAndWritesNothing) {
  const std::string county = Tok("demo-county");
  const int64_t before = server().Get("/api/v1/hazards?org=410105", county).Json()["total"];
  json bad = Direct("it-bad");
  bad["category"] = "weather";
  bad["mood"] = "calm";
  auto r = server().Post("/api/v1/hazards", bad, Tok("demo-guard"));
  EXPECT_EQ(r.status, 400) << r;
  EXPECT_TRUE(r.NamesField("mood")) << r;
  bad.erase("mood");
  r = server().Post("/api/v1/hazards", bad, Tok("demo-guard"));
  EXPECT_TRUE(r.NamesField("category")) << r;
  json no_location = Direct("it-bad");
  no_location.erase("location");
  EXPECT_TRUE(server().Post("/api/v1/hazards", no_location, Tok("demo-guard")).NamesField("location"));
  // Blanks, ASCII or the ideographic space, are no location or description.
  json blank_location = Direct("it-bad");
  blank_location["location"] = "   ";
  auto blank = server().Post("/api/v1/hazards", blank_location, Tok("demo-guard"));
  EXPECT_EQ(blank.status, 400) << blank;
  EXPECT_TRUE(blank.NamesField("location")) << blank;
  EXPECT_TRUE(server().Post("/api/v1/hazards", Direct("\u3000\u3000"), Tok("demo-guard")).NamesField("description"));
  json spot_by_guard = Direct("it-bad");
  spot_by_guard["source"] = "spot_check";
  EXPECT_TRUE(server().Post("/api/v1/hazards", spot_by_guard, Tok("demo-guard")).NamesField("source"));
  json grade_of_fire = Direct("it-bad");
  grade_of_fire["building_grade"] = "D";
  EXPECT_TRUE(server().Post("/api/v1/hazards", grade_of_fire, Tok("demo-guard")).NamesField("building_grade"));
  EXPECT_EQ(server().Get("/api/v1/hazards?org=410105", county).Json()["total"], before);
  EXPECT_TRUE(server().Get("/api/v1/hazards?org=410105&state=lost", county).NamesField("state"));
  EXPECT_TRUE(server().Get("/api/v1/hazards?org=410105&year=1999", county).NamesField("year"));
  EXPECT_TRUE(server().Get("/api/v1/hazards?org=410105&overdue=yes", county).NamesField("overdue"));
  EXPECT_TRUE(server().Get("/api/v1/hazards", county).NamesField("org"));
  const int64_t id = Report(Direct("it-bad-actions"), "demo-guard")["id"];
  auto plan = Act(id, {{"action", "plan"}, {"deadline", "2026-02-30"}}, "demo-principal");
  EXPECT_TRUE(plan.NamesField("deadline")) << plan;
  // A deadline a century ahead would keep the hazard from ever going overdue and climbing.
  auto far = Act(id, {{"action", "plan"}, {"deadline", "2126-11-01"}}, "demo-principal");
  EXPECT_EQ(far.status, 400) << far;
  EXPECT_TRUE(far.NamesField("deadline")) << far;
  EXPECT_TRUE(Act(id, {{"action", "plan"}}, "demo-principal").NamesField("body"));
  EXPECT_TRUE(Act(id, {{"action", "start"}, {"note", "x"}}, "demo-principal").NamesField("note"));
  EXPECT_TRUE(Act(id, {{"action", "burn"}}, "demo-principal").NamesField("action"));
  EXPECT_EQ(Detail(id)["events"].size(), 1u);
  auto near = Act(id, {{"action", "plan"}, {"deadline", ShanghaiDate(300)}}, "demo-principal");
  EXPECT_EQ(near.status, 200) << near;
}

TEST_F(HazardsApi, ADGradeBuildingIsOutOfUseAtOnceAndFirstInTheList) {
  json d = Direct("it-dgrade 教学楼经鉴定为D级危房");
  d["category"] = "building";
  d["building_grade"] = "D";
  const json h = Report(d, "demo-guard");
  EXPECT_EQ(h["out_of_use"], true);
  EXPECT_EQ(h["grade"], "major");
  auto list = server().Get("/api/v1/hazards?org=410105&state=open", Tok("demo-county"));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json()["items"][0]["out_of_use"], true);
}

TEST_F(HazardsApi, AMissedDeadlineIsMarkedOverdueAndEscalatedOnceEvenAcrossRestarts) {
  json late = Direct("it-overdue 锅炉房无一氧化碳报警器");
  late["found_at"] = ShanghaiDate(-20);
  const int64_t id = Report(late, "demo-guard")["id"];
  ASSERT_EQ(Act(id, Plan(ShanghaiDate(-10)), "demo-principal").status, 200);
  ASSERT_EQ(Act(id, {{"action", "start"}}, "demo-principal").status, 200);
  EXPECT_EQ(Detail(id)["overdue"], false);
  // The deadline job runs at start-up (and every minute): a restart catches up at once.
  server().Stop();
  server().Restart();
  const json seen = Detail(id, "demo-city");
  EXPECT_EQ(seen["overdue"], true) << seen;
  EXPECT_EQ(seen["overdue_since"], ShanghaiDate(0));
  EXPECT_EQ(seen["supervising_level"], "county");
  EXPECT_EQ(seen["explanation_required"], true);
  const size_t events = seen["events"].size();
  EXPECT_EQ(seen["events"][events - 1]["action"], "escalated");
  EXPECT_EQ(seen["events"][events - 2]["action"], "overdue");
  // The county sees it among the hazards escalated to it; the city does not (yet).
  auto county = server().Get("/api/v1/hazards/dashboard?org=410105", Tok("demo-county"));
  ASSERT_EQ(county.status, 200) << county;
  const json county_dash = county.Json();
  bool listed = false;
  for (const auto& e : county_dash["escalated"]) listed |= e["id"] == id;
  EXPECT_TRUE(listed) << county_dash["escalated"].dump();
  EXPECT_GE(county_dash["unit"]["overdue"].get<int64_t>(), 1);
  const json city_dash = server().Get("/api/v1/hazards/dashboard?org=410100", Tok("demo-city")).Json();
  ASSERT_TRUE(city_dash.contains("escalated")) << city_dash;
  for (const auto& e : city_dash["escalated"]) EXPECT_NE(e["id"], id);
  auto escalated = server().Get("/api/v1/hazards?org=410105&escalated=true&overdue=true", Tok("demo-county"));
  EXPECT_GE(escalated.Json()["total"].get<int64_t>(), 1);
  // Nothing twice: another restart adds no event.
  server().Stop();
  server().Restart();
  EXPECT_EQ(Detail(id)["events"].size(), events);
  // The deadline it missed stays; the school explains; the county supervises, the city may not.
  EXPECT_EQ(Act(id, Plan(ShanghaiDate(30)), "demo-principal").Code(), "deadline_locked");
  EXPECT_EQ(Act(id, {{"action", "supervise"}, {"note", "x"}}, "demo-city").Code(), "not_supervising_level");
  ASSERT_EQ(Act(id, {{"action", "supervise"}, {"note", "限期三日"}}, "demo-county").status, 200);
  auto explained = Act(id, {{"action", "explain"}, {"text", "设备采购周期长"}}, "demo-principal");
  ASSERT_EQ(explained.status, 200) << explained;
  EXPECT_EQ(explained.Json()["explanation_required"], false);
  EXPECT_EQ(explained.Json()["explanation"], "设备采购周期长");
}

TEST_F(HazardsApi, TheDashboardAndTheYearlyWorkbookHoldTheHazards) {
  const std::string marker = "it-export-" + ShanghaiDate(0);
  Report(Direct(marker), "demo-guard");
  auto d = server().Get("/api/v1/hazards/dashboard?org=410100", Tok("demo-city"));
  ASSERT_EQ(d.status, 200) << d;
  const json dash = d.Json();
  EXPECT_EQ(dash["unit"]["code"], "410100");
  EXPECT_GE(dash["unit"]["open"].get<int64_t>(), 1);
  bool county = false;
  for (const auto& c : dash["children"])
    if (c["code"] == "410105") {
      county = true;
      EXPECT_GE(c["open"].get<int64_t>(), 1);
      EXPECT_TRUE(c.contains("closure_rate"));
      EXPECT_TRUE(c.contains("median_days_to_close"));
    }
  EXPECT_TRUE(county);
  auto x = server().Get("/api/v1/hazards/export?org=410105&year=" + std::to_string(ShanghaiYear()), Tok("demo-county"));
  ASSERT_EQ(x.status, 200) << x.status;
  EXPECT_EQ(x.Header("content-type"), kXlsxType);
  const std::string strings = XlsxPart(x.body, "xl/sharedStrings.xml");
  EXPECT_TRUE(Contains(strings, marker));
  EXPECT_TRUE(Contains(strings, "整改期限"));
  EXPECT_TRUE(Contains(strings, "销号时间"));
  EXPECT_TRUE(Contains(strings, "消防安全"));
  auto empty = server().Get("/api/v1/hazards/export?org=410105&year=2001", Tok("demo-county"));
  ASSERT_EQ(empty.status, 200);
  EXPECT_FALSE(Contains(XlsxPart(empty.body, "xl/sharedStrings.xml"), marker));
  EXPECT_TRUE(server().Get("/api/v1/hazards/export?org=410105&year=abc", Tok("demo-county")).NamesField("year"));
}

}  // namespace
}  // namespace xiaoan::it
