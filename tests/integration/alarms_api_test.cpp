// One-click alarms (issue #5) over HTTP: the guard's button, the lifecycle steps with the roles
// that may take them, escalation of an unacknowledged real alarm, alarm-source keys posting to the
// ingest, bad input refused naming the field with nothing written, jurisdiction, figures per unit,
// the Excel export, and a closed test alarm entering the school's ledger.
//
// One server for the suite, started with XIAOAN_ALARM_ESCALATE_SECONDS=5.
#include <chrono>
#include <thread>

#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

const std::string kSchool = "9410105001";

class AlarmsApi : public ServerSuite<AlarmsApi> {
 public:
  static void SetUpTestSuite() {
    TestServer::extra_environment = {"XIAOAN_ALARM_ESCALATE_SECONDS=5"};
    ServerSuite::SetUpTestSuite();
    TestServer::extra_environment.clear();
  }

 protected:
  void SetUp() override {
    ServerSuite::SetUp();
    guard_ = server().Token("demo-guard");
    principal_ = server().Token("demo-principal");
    county_ = server().Token("demo-county");
    county2_ = server().Token("demo-county2");
    city_ = server().Token("demo-city");
  }
  json Raise(const std::string& kind, const std::string& description) {
    auto r = server().Post("/api/v1/alarms", {{"kind", kind}, {"location", "东门门卫室"}, {"description", description}},
                           guard_);
    EXPECT_EQ(r.status, 201) << r;
    return r.Json();
  }
  HttpResponse Step(int64_t id, const json& body, const std::string& token) {
    return server().Post("/api/v1/alarms/" + std::to_string(id) + "/steps", body, token);
  }
  int64_t Total(const std::string& target, const std::string& token) {
    auto r = server().Get(target, token);
    EXPECT_EQ(r.status, 200) << r;
    return r.Json().value("total", int64_t{-1});
  }

  std::string guard_, principal_, county_, county2_, city_;
};

TEST_F(AlarmsApi, AGuardsPressReachesTheCountyAndTheCityButNotAnotherCounty) {
  const json a = Raise("real", "it-visible");
  const int64_t id = a["id"];
  EXPECT_EQ(a["status"], "raised");
  EXPECT_EQ(a["level"], "county");
  EXPECT_EQ(a["school"]["code"], kSchool);
  EXPECT_EQ(a["source"], "button");
  EXPECT_EQ(server().Get("/api/v1/alarms/" + std::to_string(id), county_).status, 200);
  EXPECT_EQ(server().Get("/api/v1/alarms/" + std::to_string(id), city_).status, 200);
  EXPECT_EQ(server().Get("/api/v1/alarms/" + std::to_string(id), county2_).status, 404);
  EXPECT_EQ(server().Get("/api/v1/alarms?org=410105", county2_).status, 404);
  EXPECT_GE(Total("/api/v1/alarms?org=410105&status=open", county_), 1);
  EXPECT_EQ(Total("/api/v1/alarms?org=410302", county2_), 0);
  // A phone retrying with its Idempotency-Key raises one alarm; a bad key is refused.
  const json press{{"kind", "real"}, {"description", "it-retry"}};
  auto r1 = server().Send(
      {"POST", "/api/v1/alarms", press.dump(), "application/json", guard_, {{"Idempotency-Key", "it-k1"}}});
  auto r2 = server().Send(
      {"POST", "/api/v1/alarms", press.dump(), "application/json", guard_, {{"Idempotency-Key", "it-k1"}}});
  ASSERT_EQ(r1.status, 201) << r1;
  ASSERT_EQ(r2.status, 201) << r2;
  EXPECT_EQ(r1.Json()["id"], r2.Json()["id"]);
  // The same key with another alarm is refused, not answered with the first one.
  json drill = press;
  drill["kind"] = "drill";
  auto reused = server().Send(
      {"POST", "/api/v1/alarms", drill.dump(), "application/json", guard_, {{"Idempotency-Key", "it-k1"}}});
  EXPECT_EQ(reused.status, 422) << reused;
  EXPECT_EQ(reused.Json().value("code", ""), "idempotency_key_reused") << reused;
  EXPECT_TRUE(reused.NamesField("Idempotency-Key")) << reused;
  auto bad_key =
      server().Send({"POST", "/api/v1/alarms", press.dump(), "application/json", guard_, {{"Idempotency-Key", "a b"}}});
  EXPECT_TRUE(bad_key.NamesField("Idempotency-Key")) << bad_key;
  // A county officer cannot press a school's button; nobody presses another school's.
  EXPECT_EQ(server().Post("/api/v1/alarms", {{"kind", "real"}, {"school", kSchool}}, county_).status, 403);
  EXPECT_EQ(server().Post("/api/v1/alarms", {{"kind", "real"}, {"school", "9410302001"}}, guard_).status, 404);
}

TEST_F(AlarmsApi, TheLifecycleTakesItsStepsInOrderByThoseWhoHandleAlarms) {
  const int64_t id = Raise("real", "it-lifecycle")["id"];
  EXPECT_EQ(Step(id, {{"status", "acknowledged"}}, guard_).status, 403);
  auto ack = Step(id, {{"status", "acknowledged"}, {"note", "值班室已确认"}}, county_);
  ASSERT_EQ(ack.status, 200) << ack;
  EXPECT_EQ(ack.Json()["acknowledged_by"], "demo-county");
  auto again = Step(id, {{"status", "acknowledged"}}, county_);
  EXPECT_EQ(again.status, 409) << again;
  ASSERT_EQ(Step(id, {{"status", "dispatched"}, {"note", "110已出警"}}, principal_).status, 200);
  ASSERT_EQ(Step(id, {{"status", "on_scene"}}, principal_).status, 200);
  auto no_outcome = Step(id, {{"status", "closed"}}, principal_);
  EXPECT_EQ(no_outcome.status, 400);
  EXPECT_TRUE(no_outcome.NamesField("outcome")) << no_outcome;
  auto wrong = Step(id, {{"status", "closed"}, {"outcome", "test_passed"}}, principal_);
  EXPECT_TRUE(wrong.NamesField("outcome")) << wrong;
  auto unknown = Step(id, {{"status", "closed"}, {"outcome", "handled"}, {"mood", "calm"}}, principal_);
  EXPECT_TRUE(unknown.NamesField("mood")) << unknown;
  auto closed = Step(id, {{"status", "closed"}, {"outcome", "handled"}, {"note", "处置完毕"}}, principal_);
  ASSERT_EQ(closed.status, 200) << closed;
  auto detail = server().Get("/api/v1/alarms/" + std::to_string(id), county_).Json();
  ASSERT_EQ(detail["steps"].size(), 5u) << detail;
  EXPECT_EQ(detail["steps"][0]["step"], "raised");
  EXPECT_EQ(detail["steps"][4]["note"], "处置完毕");
  EXPECT_EQ(detail["outcome"], "handled");
}

TEST_F(AlarmsApi, AnUnacknowledgedRealAlarmClimbsToTheCityWhileATestDoesNot) {
  const int64_t real = Raise("real", "it-escalate")["id"];
  const int64_t test = Raise("test", "it-escalate-test")["id"];
  json seen;
  for (int i = 0; i < 40; ++i) {  // 5 s to escalate, the job looks every second
    seen = server().Get("/api/v1/alarms/" + std::to_string(real), city_).Json();
    if (seen["level"] != "county") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_EQ(seen["level"], "city") << seen;
  bool escalated_step = false;
  for (const auto& s : seen["steps"]) escalated_step |= s["step"] == "escalated";
  EXPECT_TRUE(escalated_step) << seen;
  EXPECT_EQ(server().Get("/api/v1/alarms/" + std::to_string(test), city_).Json()["level"], "county");
  ASSERT_EQ(Step(real, {{"status", "closed"}, {"outcome", "false_alarm"}, {"note", "误按"}}, city_).status, 200);
}

TEST_F(AlarmsApi, AnAlarmSourcePostsWithItsKeyAndBadInputChangesNothing) {
  EXPECT_EQ(server().Post("/api/v1/schools/9410105001/alarm-sources", {{"name", "x"}}, guard_).status, 403);
  auto created = server().Post("/api/v1/schools/9410105001/alarm-sources", {{"name", "东门报警主机"}}, principal_);
  ASSERT_EQ(created.status, 201) << created;
  const std::string key = created.Json()["key"];
  const int64_t source = created.Json()["id"];
  auto listed = server().Get("/api/v1/schools/9410105001/alarm-sources", principal_);
  ASSERT_EQ(listed.status, 200);
  const json sources = listed.Json();
  for (const auto& s : sources["items"]) EXPECT_FALSE(s.contains("key")) << "the key is shown once";

  const std::string before = std::to_string(Total("/api/v1/alarms?org=410105", county_));
  const json event{{"kind", "real"},
                   {"priority", 1},
                   {"event_id", "it-host-1"},
                   {"description", "紧急按钮"},
                   {"device_id", "41010500001340000001"}};
  auto post = [&](const json& body, const std::string& k) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!k.empty()) headers.emplace_back("X-Alarm-Key", k);
    return server().Send({"POST", "/api/v1/alarm-ingest", body.dump(), "application/json", "", headers});
  };
  auto first = post(event, key);
  ASSERT_EQ(first.status, 201) << first;
  EXPECT_EQ(first.Json()["source"], "ingest");
  EXPECT_EQ(first.Json()["school"]["code"], kSchool);
  // The consoles name the source, not its id.
  EXPECT_EQ(first.Json()["raised_by"], "source:" + std::to_string(source));
  EXPECT_EQ(first.Json()["raised_by_name"], "东门报警主机");
  EXPECT_EQ(server().Get("/api/v1/alarms/" + first.Json()["id"].dump(), county_).Json()["raised_by_name"],
            "东门报警主机");
  auto repeat = post(event, key);
  ASSERT_EQ(repeat.status, 201) << repeat;
  EXPECT_EQ(repeat.Json()["id"], first.Json()["id"]);
  EXPECT_EQ(post(event, "").status, 401);
  EXPECT_EQ(post(event, key + "x").status, 401);
  EXPECT_EQ(post(event, "1.nonsense").status, 401);
  json bad = event;
  bad["priority"] = 9;
  bad["event_id"] = "it-host-2";
  auto refused = post(bad, key);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(refused.NamesField("priority")) << refused;
  bad = event;
  bad["event_id"] = "it-host-3";
  bad["device_id"] = "12345";
  EXPECT_TRUE(post(bad, key).NamesField("device_id"));
  // A 20-digit id that is not one of the school's ledger devices.
  bad["event_id"] = "it-host-5";
  bad["device_id"] = "41030200001340000099";
  auto stranger = post(bad, key);
  EXPECT_EQ(stranger.status, 400) << stranger;
  EXPECT_TRUE(stranger.NamesField("device_id")) << stranger;
  // A press buffered for years is no alarm to answer.
  bad = event;
  bad["event_id"] = "it-host-6";
  bad["pressed_at"] = "2020-01-01T00:00:00+08:00";
  auto stale = post(bad, key);
  EXPECT_EQ(stale.status, 400) << stale;
  EXPECT_TRUE(stale.NamesField("pressed_at")) << stale;
  EXPECT_EQ(server()
                .Send({"POST", "/api/v1/alarm-ingest", "{\"kind\":", "application/json", "", {{"X-Alarm-Key", key}}})
                .status,
            400);
  EXPECT_EQ(std::to_string(Total("/api/v1/alarms?org=410105", county_)), std::to_string(std::stoll(before) + 1));

  auto revoked = server().Send(
      {"DELETE", "/api/v1/schools/9410105001/alarm-sources/" + std::to_string(source), "", "", principal_, {}});
  ASSERT_EQ(revoked.status, 200) << revoked;
  json after = event;
  after["event_id"] = "it-host-4";
  EXPECT_EQ(post(after, key).status, 401);
}

TEST_F(AlarmsApi, AClosedTestEntersTheLedgerAndTheFiguresAndExportFollow) {
  const int64_t before = Total("/api/v1/schools/9410105001/alarm-tests", principal_);
  const int64_t id = Raise("test", "it-monthly-test")["id"];
  auto closed = Step(id, {{"status", "closed"}, {"outcome", "test_passed"}, {"note", "联动正常"}}, guard_);
  ASSERT_EQ(closed.status, 200) << closed;
  EXPECT_EQ(Total("/api/v1/schools/9410105001/alarm-tests", principal_), before + 1);
  // Closing it again changes nothing.
  EXPECT_EQ(Step(id, {{"status", "closed"}, {"outcome", "test_passed"}}, guard_).status, 409);
  EXPECT_EQ(Total("/api/v1/schools/9410105001/alarm-tests", principal_), before + 1);

  auto stats = server().Get("/api/v1/alarm-stats?org=410105", county_);
  ASSERT_EQ(stats.status, 200) << stats;
  EXPECT_GE(stats.Json()["unit"]["tests"].get<int64_t>(), 1);
  EXPECT_GE(stats.Json()["unit"]["schools_tested"].get<int64_t>(), 1);
  EXPECT_EQ(server().Get("/api/v1/alarm-stats?org=410105&from=2026-13-01", county_).status, 400);
  EXPECT_EQ(server().Get("/api/v1/alarm-stats?org=410105", county2_).status, 404);
  auto xlsx = server().Get("/api/v1/alarms.xlsx?org=410105", county_);
  ASSERT_EQ(xlsx.status, 200) << xlsx;
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  EXPECT_EQ(server().Get("/api/v1/alarms?org=410105&status=sleeping", county_).status, 400);
  EXPECT_EQ(server().Get("/api/v1/alarms?org=410105&kind=practice", county_).status, 400);
}

}  // namespace
}  // namespace xiaoan::it
