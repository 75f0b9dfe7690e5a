// Inspections (issue #6) over HTTP: a county issues a campaign, its schools see their due
// inspections, the principal inspects with photos and a failed item (which becomes a hazard), the
// county's progress counts it; jurisdiction (404 outside) and roles (403) on every endpoint; bad
// input refused naming the field with nothing written; an Idempotency-Key retry answered once; the
// window job marking missed windows.
//
// The App runs in-process (demo seeded) so that the suite can run the window job for a later day
// (InspectionsService::RunWindows) instead of waiting for the calendar.
#include <chrono>

#include "in_process_server.hpp"
#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

const std::string kSchool = "9410105001";

class InspectionsApi : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      server_ = InProcessServer::Start();
    } catch (const std::exception& e) {
      startup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { server_.reset(); }

 protected:
  void SetUp() override { ASSERT_TRUE(server_) << "the server did not start: " << startup_error_; }

  static std::string Token(const std::string& username) {
    auto it = tokens_.find(username);
    if (it != tokens_.end()) return it->second;
    return tokens_[username] = server_->Login(username);
  }
  static HttpResponse Send(const HttpRequest& r) {
    HttpConnection http(server_->port());
    return http.Send(r);
  }
  static HttpResponse Get(const std::string& target, const std::string& user) {
    return Send({"GET", target, "", "application/json", Token(user), {}});
  }
  static HttpResponse Post(const std::string& target, const json& body, const std::string& user,
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
    return Send({"POST", target, body.dump(), "application/json", Token(user), std::move(headers)});
  }
  static std::string Today(int offset_days = 0) {
    const auto t = std::chrono::system_clock::now() + std::chrono::hours(8) + std::chrono::days(offset_days);
    const std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(t)};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
  }
  static int64_t TemplateId(const std::string& key) {
    auto r = Get("/api/v1/checklists", "demo-county");
    EXPECT_EQ(r.status, 200) << r;
    const json list = r.Json();
    for (const auto& c : list["items"])
      if (c["key"] == key && c["owner_code"].is_null()) return c["id"].get<int64_t>();
    ADD_FAILURE() << "no shipped checklist " << key << ": " << r;
    return 0;
  }
  // The fire campaign of the suite: issued once by the county.
  static json Campaign() {
    if (!campaign_.is_null()) return campaign_;
    json body{{"name", "消防安全专项检查"},
              {"org", "410105"},
              {"template_id", TemplateId("fire")},
              {"cadence", "once"},
              {"starts_on", Today()},
              {"ends_on", Today(6)},
              {"locality", json::array({"urban", "town", "rural"})},
              {"description", "it"}};
    auto r = Post("/api/v1/campaigns", body, "demo-county");
    EXPECT_EQ(r.status, 201) << r;
    campaign_ = r.Json();
    return campaign_;
  }
  static json DueOf(int64_t campaign_id) {
    auto r = Get("/api/v1/inspection-dues?school=" + kSchool, "demo-principal");
    EXPECT_EQ(r.status, 200) << r;
    const json list = r.Json();
    for (const auto& d : list["items"])
      if (d["campaign_id"] == campaign_id) return d;
    return nullptr;
  }
  static std::string UploadPhoto(const std::string& user, char variant) {
    const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + variant;
    auto r = Send({"POST", "/api/v1/files?school=" + kSchool, png, "image/png", Token(user), {}});
    EXPECT_EQ(r.status, 201) << r;
    return r.Json().value("id", "");
  }
  // Answers for every item of `template_id`: pass, with a photo where one is required.
  static json AllPass(int64_t template_id, const std::string& photo) {
    auto t = Get("/api/v1/checklists/" + std::to_string(template_id), "demo-principal");
    EXPECT_EQ(t.status, 200) << t;
    json results = json::array();
    const json checklist = t.Json();
    for (const auto& item : checklist["items"]) {
      json r{{"code", item["code"]}, {"result", "pass"}};
      if (item["photo_required"] == true) r["photos"] = json::array({photo});
      results.push_back(r);
    }
    return results;
  }
  static int64_t InspectionsTotal() {
    auto r = Get("/api/v1/inspections?org=410105", "demo-county");
    EXPECT_EQ(r.status, 200) << r;
    return r.Json().value("total", int64_t{-1});
  }

  static inline std::unique_ptr<InProcessServer> server_;
  static inline std::string startup_error_;
  static inline std::map<std::string, std::string> tokens_;
  static inline json campaign_;
};

TEST_F(InspectionsApi, ACountysCampaignReachesItsSchoolsAndNoOneOutside) {
  const json c = Campaign();
  const int64_t id = c["id"];
  EXPECT_EQ(c["org_code"], "410105");
  EXPECT_EQ(c["cadence"], "once");
  EXPECT_EQ(c["rounds"], 1);
  EXPECT_EQ(c["current_round"]["due_on"], Today(6));
  EXPECT_GT(c["totals"]["due"].get<int64_t>(), 20);
  EXPECT_EQ(c["totals"]["open"], c["totals"]["due"]);
  const std::string path = "/api/v1/campaigns/" + std::to_string(id);
  for (const char* user : {"demo-county", "demo-city", "demo-province", "demo-principal"})
    EXPECT_EQ(Get(path, user).status, 200) << user;
  EXPECT_EQ(Get(path, "demo-county2").status, 404);
  EXPECT_EQ(Get(path + "/progress", "demo-county2").status, 404);
  EXPECT_EQ(Get("/api/v1/campaigns?org=410105", "demo-county2").status, 404);
  EXPECT_EQ(Get("/api/v1/inspection-dues?school=" + kSchool, "demo-county2").status, 404);
  EXPECT_EQ(Get("/api/v1/inspections?org=410105", "demo-county2").status, 404);
  auto listed = Get("/api/v1/campaigns?org=" + kSchool, "demo-principal");
  ASSERT_EQ(listed.status, 200) << listed;
  bool found = false;
  const json listed_json = listed.Json();
  for (const auto& x : listed_json["items"]) found |= x["id"] == id;
  EXPECT_TRUE(found) << listed;
  // Who may issue: a bureau officer over the unit; not a school, not another county.
  json body{{"name", "x"},       {"org", "410105"},      {"template_id", TemplateId("fire")},
            {"cadence", "once"}, {"starts_on", Today()}, {"ends_on", Today(3)}};
  EXPECT_EQ(Post("/api/v1/campaigns", body, "demo-principal").status, 403);
  EXPECT_EQ(Post("/api/v1/campaigns", body, "demo-county2").status, 404);
  // The demo campaign (冬季安全大检查) is there for a newcomer.
  bool demo = false;
  const json campaigns = Get("/api/v1/campaigns?org=410105", "demo-county").Json();
  for (const auto& x : campaigns["items"])
    demo |= x["name"].get<std::string>().find("冬季安全大检查") != std::string::npos;
  EXPECT_TRUE(demo);
}

TEST_F(InspectionsApi, BadInputIsRefusedNamingTheFieldAndNothingIsWritten) {
  const json c = Campaign();
  json body{{"name", ""},         {"org", "410105"},           {"template_id", 999999},
            {"cadence", "daily"}, {"starts_on", "2026-02-30"}, {"ends_on", Today(3)},
            {"colour", "red"}};
  auto r = Post("/api/v1/campaigns", body, "demo-county");
  EXPECT_EQ(r.status, 400) << r;
  for (const char* f : {"name", "colour"}) EXPECT_TRUE(r.NamesField(f)) << f << r;
  body = {{"name", "x"},        {"org", "410105"},           {"template_id", 999999},
          {"cadence", "daily"}, {"starts_on", "2026-02-30"}, {"ends_on", Today(3)}};
  r = Post("/api/v1/campaigns", body, "demo-county");
  EXPECT_EQ(r.status, 400) << r;
  EXPECT_TRUE(r.NamesField("starts_on")) << r;
  const int64_t before = Get("/api/v1/campaigns?org=410105", "demo-county").Json()["total"];
  // A name of blanks is no name: nothing is issued, no school gets a due.
  body = {{"name", "   "},     {"org", "410105"},      {"template_id", c["template_id"]},
          {"cadence", "once"}, {"starts_on", Today()}, {"ends_on", Today(3)}};
  r = Post("/api/v1/campaigns", body, "demo-county");
  EXPECT_EQ(r.status, 400) << r;
  EXPECT_TRUE(r.NamesField("name")) << r;

  const json due = DueOf(c["id"]);
  ASSERT_FALSE(due.is_null());
  json results = AllPass(c["template_id"], UploadPhoto("demo-principal", 'x'));
  results[0].erase("photos");  // F01 needs a photo
  results.erase(results.size() - 1);
  json insp{{"school", kSchool},
            {"template_id", c["template_id"]},
            {"due_id", due["id"]},
            {"source", "campaign"},
            {"results", results}};
  auto bad = Post("/api/v1/inspections", insp, "demo-principal");
  EXPECT_EQ(bad.status, 400) << bad;
  EXPECT_TRUE(bad.NamesField("results[0].photos")) << bad;
  EXPECT_TRUE(bad.NamesField("results")) << bad;
  insp["results"] = AllPass(c["template_id"], std::string(64, 'a'));
  auto unknown_photo = Post("/api/v1/inspections", insp, "demo-principal");
  EXPECT_TRUE(unknown_photo.NamesField("results[0].photos[0]")) << unknown_photo;
  insp["results"][1]["result"] = "broken";
  insp["mood"] = "calm";
  auto shape = Post("/api/v1/inspections", insp, "demo-principal");
  EXPECT_TRUE(shape.NamesField("mood")) << shape;
  EXPECT_EQ(DueOf(c["id"])["status"], "open");
  EXPECT_EQ(InspectionsTotal(), 0);
  EXPECT_EQ(Get("/api/v1/campaigns?org=410105", "demo-county").Json()["total"], before);
}

TEST_F(InspectionsApi, ThePrincipalInspectsAFailBecomesAHazardAndTheCountySeesProgress) {
  const json c = Campaign();
  const int64_t id = c["id"];
  const json due = DueOf(id);
  ASSERT_FALSE(due.is_null());
  EXPECT_EQ(due["status"], "open");
  EXPECT_EQ(due["template_name"], "消防安全检查");
  json results = AllPass(c["template_id"], UploadPhoto("demo-principal", 'p'));
  results[2]["result"] = "fail";
  results[2]["note"] = "三楼灭火器压力不足";
  results[2]["hazard"] = {{"grade", "ordinary"}, {"location", "教学楼三楼"}, {"fixed_at_once", false}};
  json body{{"school", kSchool},   {"template_id", c["template_id"]},
            {"due_id", due["id"]}, {"source", "campaign"},
            {"notes", "it"},       {"results", results}};
  // A class teacher does not inspect; the principal does, and a retry with its key is answered once.
  EXPECT_EQ(Post("/api/v1/inspections", body, "demo-teacher").status, 403);
  auto first = Post("/api/v1/inspections", body, "demo-principal", {{"Idempotency-Key", "it-insp-1"}});
  ASSERT_EQ(first.status, 201) << first;
  auto retry = Post("/api/v1/inspections", body, "demo-principal", {{"Idempotency-Key", "it-insp-1"}});
  ASSERT_EQ(retry.status, 201) << retry;
  const json inspection = first.Json()["inspection"];
  EXPECT_EQ(retry.Json()["inspection"]["id"], inspection["id"]);
  EXPECT_EQ(retry.Json()["hazard_ids"], first.Json()["hazard_ids"]);
  body["notes"] = "another";
  auto reused = Post("/api/v1/inspections", body, "demo-principal", {{"Idempotency-Key", "it-insp-1"}});
  EXPECT_EQ(reused.status, 422) << reused;
  EXPECT_TRUE(reused.NamesField("Idempotency-Key")) << reused;
  EXPECT_EQ(InspectionsTotal(), 1);

  EXPECT_EQ(inspection["fail"], 1);
  EXPECT_EQ(inspection["source"], "campaign");
  EXPECT_EQ(inspection["inspector"], "demo-principal");
  EXPECT_EQ(inspection["results"][2]["category"], "fire");
  ASSERT_EQ(first.Json()["hazard_ids"].size(), 1u) << first;
  const int64_t hazard = first.Json()["hazard_ids"][0];
  EXPECT_EQ(inspection["results"][2]["hazard_id"], hazard);
  auto h = Get("/api/v1/hazards/" + std::to_string(hazard), "demo-county");
  ASSERT_EQ(h.status, 200) << h;
  EXPECT_EQ(h.Json()["inspection_id"], inspection["id"]);
  EXPECT_EQ(h.Json()["category"], "fire");
  EXPECT_EQ(h.Json()["location"], "教学楼三楼");

  const std::string detail = "/api/v1/inspections/" + inspection["id"].dump();
  EXPECT_EQ(Get(detail, "demo-city").status, 200);
  EXPECT_EQ(Get(detail, "demo-county2").status, 404);
  EXPECT_EQ(DueOf(id)["status"], "done");
  EXPECT_EQ(DueOf(id)["inspection_id"], inspection["id"]);

  auto progress = Get("/api/v1/campaigns/" + std::to_string(id) + "/progress", "demo-county");
  ASSERT_EQ(progress.status, 200) << progress;
  const json p = progress.Json();
  EXPECT_EQ(p["round"], 1);
  EXPECT_EQ(p["unit"]["code"], "410105");
  EXPECT_EQ(p["unit"]["done"], 1);
  EXPECT_EQ(p["unit"]["on_time"], 1);
  EXPECT_GT(p["unit"]["completeness"].get<double>(), 0.0);
  bool school_row = false;
  for (const auto& child : p["children"])
    if (child["code"] == kSchool) {
      school_row = true;
      EXPECT_EQ(child["completeness"], 1.0);
      EXPECT_EQ(child["level"], "school");
    }
  EXPECT_TRUE(school_row) << p;
  auto city = Get("/api/v1/campaigns/" + std::to_string(id) + "/progress?org=410100", "demo-city");
  ASSERT_EQ(city.status, 200) << city;
  ASSERT_EQ(city.Json()["children"].size(), 1u);
  EXPECT_EQ(city.Json()["children"][0]["code"], "410105");
  EXPECT_EQ(Get("/api/v1/campaigns/" + std::to_string(id) + "/progress?org=410302", "demo-county").status, 404);
}

TEST_F(InspectionsApi, TheCountysOfficerRecordsAnUnannouncedVisitWithItsOwnPhotos) {
  const int64_t fire = TemplateId("fire");
  const std::string photo = UploadPhoto("demo-county", 'c');
  json results = AllPass(fire, photo);
  json body{{"school", kSchool}, {"template_id", fire}, {"source", "unannounced"}, {"results", results}};
  EXPECT_EQ(Post("/api/v1/inspections", body, "demo-principal").status, 403);
  auto r = Post("/api/v1/inspections", body, "demo-county");
  ASSERT_EQ(r.status, 201) << r;
  EXPECT_EQ(r.Json()["inspection"]["source"], "unannounced");
  EXPECT_EQ(r.Json()["hazard_ids"], json::array());
  auto listed = Get("/api/v1/inspections?org=410100&source=unannounced", "demo-city");
  ASSERT_EQ(listed.status, 200) << listed;
  EXPECT_EQ(listed.Json()["total"], 1);
  EXPECT_FALSE(listed.Json()["items"][0].contains("results"));
  EXPECT_EQ(Post("/api/v1/inspections", body, "demo-county2").status, 404);
}

TEST_F(InspectionsApi, ABureauAddsItsOwnChecklistWhichItsSubtreeSees) {
  json body{{"key", "it_winter"},
            {"name", "金水区冬季专项"},
            {"items", json::array({{{"code", "W1"},
                                    {"text", "取暖设施完好"},
                                    {"category", "heating"},
                                    {"how", "查看"},
                                    {"photo_required", true}}})}};
  auto r = Post("/api/v1/checklists", body, "demo-county");
  ASSERT_EQ(r.status, 201) << r;
  EXPECT_EQ(r.Json()["owner_code"], "410105");
  EXPECT_EQ(r.Json()["version"], 1);
  EXPECT_EQ(r.Json()["items"][0]["photo_required"], true);
  EXPECT_EQ(Post("/api/v1/checklists", body, "demo-principal").status, 403);
  body["items"][0]["category"] = "weather";
  auto bad = Post("/api/v1/checklists", body, "demo-county");
  EXPECT_TRUE(bad.NamesField("items[0].category")) << bad;
  json blank = body;
  blank["key"] = "it_blank";
  blank["name"] = "  ";
  blank["items"][0]["category"] = "heating";
  blank["items"][0]["text"] = "\u3000 ";
  auto refused = Post("/api/v1/checklists", blank, "demo-county");
  EXPECT_EQ(refused.status, 400) << refused;
  EXPECT_TRUE(refused.NamesField("name")) << refused;
  EXPECT_TRUE(refused.NamesField("items[0].text")) << refused;
  const json lists = Get("/api/v1/checklists", "demo-county").Json();
  for (const auto& x : lists["items"]) EXPECT_NE(x["key"], "it_blank");
  EXPECT_EQ(Get("/api/v1/checklists/" + r.Json()["id"].dump(), "demo-principal").status, 200);
  EXPECT_EQ(Get("/api/v1/checklists/" + r.Json()["id"].dump(), "demo-county2").status, 404);
}

TEST_F(InspectionsApi, ARoundThatHasNotOpenedIsListedAsUpcomingAndCannotBeInspectedYet) {
  json body{{"name", "春季开学安全检查"}, {"org", "410105"},        {"template_id", TemplateId("fire")},
            {"cadence", "monthly"},       {"starts_on", Today(40)}, {"ends_on", Today(100)}};
  auto created = Post("/api/v1/campaigns", body, "demo-county");
  ASSERT_EQ(created.status, 201) << created;
  const json due = DueOf(created.Json()["id"]);
  ASSERT_FALSE(due.is_null());
  EXPECT_EQ(due["opens_on"], Today(40));
  EXPECT_EQ(due["status"], "open");
  EXPECT_EQ(due["upcoming"], true);
  EXPECT_EQ(DueOf(Campaign()["id"])["upcoming"], false);
  json insp{{"school", kSchool},
            {"template_id", created.Json()["template_id"]},
            {"due_id", due["id"]},
            {"source", "campaign"},
            {"results", AllPass(created.Json()["template_id"], UploadPhoto("demo-principal", 'u'))}};
  auto early = Post("/api/v1/inspections", insp, "demo-principal");
  EXPECT_EQ(early.status, 400) << early;
  EXPECT_TRUE(early.NamesField("due_id")) << early;
}

// Last: the job is run for a day after the window, which marks every open due of the county missed.
TEST_F(InspectionsApi, ZTheWindowJobMarksTheSchoolsThatMissedTheWindow) {
  const json c = Campaign();
  const int64_t id = c["id"];
  auto run = server_->app().inspections().RunWindows(*ParseDay(Today(7)));
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_GE(run->dues_missed, c["totals"]["due"].get<int64_t>() - 1);
  EXPECT_EQ(server_->app().inspections().RunWindows(*ParseDay(Today(7)))->dues_missed, 0);
  auto p = Get("/api/v1/campaigns/" + std::to_string(id) + "/progress?round=1", "demo-county");
  ASSERT_EQ(p.status, 200) << p;
  const json j = p.Json();
  EXPECT_EQ(j["unit"]["missed"], j["unit"]["due"].get<int64_t>() - 1);
  EXPECT_EQ(j["missed_schools"].size(), j["unit"]["missed"].get<size_t>());
  EXPECT_EQ(j["missed_schools"][0]["county_name"], "金水区");
  EXPECT_EQ(j["missed_schools"][0]["status"], "missed");
  auto bad_round = Get("/api/v1/campaigns/" + std::to_string(id) + "/progress?round=2", "demo-county");
  EXPECT_TRUE(bad_round.NamesField("round")) << bad_round;
}

}  // namespace
}  // namespace xiaoan::it
