// The four 100% roll-up of the security ledger (issue #3) seen from outside: every unit's counters
// equal the sum of its children; gaps and trend agree with them; who may read and write which
// ledger. How writes move the counters is in ledger_live_test.cpp; bad input, photos and
// workbooks in ledger_input_test.cpp.
#include <algorithm>
#include <set>

#include "ledger_support.hpp"

namespace xiaoan::it {
namespace {

// ---------------------------------------------------------------------------------------------
// Reading the roll-up, gaps and trend; who may read and write what. Writes here never change an
// evaluation.
class LedgerRollup : public LedgerSuite<LedgerRollup> {};

// Asserts that `rollup`'s figures are the sum of its children's and that every rate is right.
void ExpectSumOfChildren(const json& rollup) {
  SCOPED_TRACE(rollup["org"]["code"].get<std::string>());
  ASSERT_FALSE(rollup["children"].empty());
  json sum = FiguresOf(rollup);
  sum["schools"] = 0;
  for (auto* f : {&sum["all_four"], &sum["items"]["guards"], &sum["items"]["closed_management"],
                  &sum["items"]["protection_posts"], &sum["items"]["alarm_video"]}) {
    (*f)["compliant"] = 0;
    (*f)["applicable"] = 0;
  }
  for (const auto& child : rollup["children"]) {
    ExpectRates(child);
    sum["schools"] = sum["schools"].get<int64_t>() + child["schools"].get<int64_t>();
    for (const std::string key : {"compliant", "applicable"}) {
      sum["all_four"][key] = sum["all_four"][key].get<int64_t>() + child["all_four"][key].get<int64_t>();
      for (const char* item : kItemNames)
        sum["items"][item][key] = sum["items"][item][key].get<int64_t>() + child["items"][item][key].get<int64_t>();
    }
  }
  EXPECT_EQ(sum["schools"], rollup["schools"]);
  EXPECT_EQ(sum["all_four"]["compliant"], rollup["all_four"]["compliant"]);
  EXPECT_EQ(sum["all_four"]["applicable"], rollup["all_four"]["applicable"]);
  for (const char* item : kItemNames) {
    EXPECT_EQ(sum["items"][item]["compliant"], rollup["items"][item]["compliant"]) << item;
    EXPECT_EQ(sum["items"][item]["applicable"], rollup["items"][item]["applicable"]) << item;
  }
  ExpectRates(rollup);
}

TEST_F(LedgerRollup, EveryUnitIsTheSumOfItsChildren) {
  const json province = Rollup("410000");
  ExpectSumOfChildren(province);
  EXPECT_EQ(province["org"], json({{"code", "410000"}, {"name", "河南省"}, {"level", "province"}}));
  EXPECT_EQ(province["schools"], 5775);
  EXPECT_EQ(province["all_four"]["applicable"], 5775) << "every school counts in all four";
  EXPECT_EQ(province["items"]["guards"]["applicable"], 5775);
  const auto posts = province["items"]["protection_posts"]["applicable"].get<int64_t>();
  EXPECT_LT(posts, 5775) << "rural schools have no 护学岗";
  EXPECT_GT(posts, 0);
  const json city = Rollup("410100");
  ExpectSumOfChildren(city);
  bool city_listed = false;
  for (const auto& c : province["children"])
    if (c["org"]["code"] == "410100") city_listed = (FiguresOf(c) == FiguresOf(city));
  EXPECT_TRUE(city_listed) << "the province lists the city with the city's own figures";
}

TEST_F(LedgerRollup, ACountysChildrenAreItsSchoolsEachCountingZeroOrOne) {
  const json county = Rollup("410105");
  ExpectSumOfChildren(county);
  const json stats = Read("/api/v1/org-units/410105/stats", "demo-county");
  EXPECT_EQ(county["schools"], stats["schools"]);
  EXPECT_EQ(county["children"].size(), stats["schools"].get<size_t>());
  std::set<std::string> rural;
  const json schools = Read("/api/v1/org-units/410105/schools?page_size=500", "demo-county")["items"];
  for (const auto& s : schools)
    if (s["attributes"]["locality"] == "rural") rural.insert(s["code"]);
  ASSERT_FALSE(rural.empty()) << "the demo county has rural schools";
  for (const auto& school : county["children"]) {
    const std::string code = school["org"]["code"];
    SCOPED_TRACE(code);
    EXPECT_EQ(school["org"]["level"], "school");
    EXPECT_EQ(school["schools"], 1);
    EXPECT_EQ(school["all_four"]["applicable"], 1);
    bool every_item_met = true;
    for (const char* item : kItemNames) {
      const auto& f = school["items"][item];
      EXPECT_TRUE(f["compliant"] == 0 || f["compliant"] == 1) << item;
      EXPECT_TRUE(f["applicable"] == 0 || f["applicable"] == 1) << item;
      if (f["applicable"] == 1 && f["compliant"] == 0) every_item_met = false;
    }
    EXPECT_EQ(school["all_four"]["compliant"], every_item_met ? 1 : 0);
    EXPECT_EQ(school["items"]["protection_posts"]["applicable"], rural.contains(code) ? 0 : 1);
    EXPECT_EQ(school["items"]["guards"]["applicable"], 1);
  }
  EXPECT_EQ(county["items"]["protection_posts"]["applicable"].get<size_t>(), county["children"].size() - rural.size());

  // A school's own figures are its row in the county's list.
  const json showcase = Rollup(kSchool);
  EXPECT_TRUE(showcase["children"].empty());
  for (const auto& s : county["children"]) {
    if (s["org"]["code"] == kSchool) {
      EXPECT_EQ(FiguresOf(s), FiguresOf(showcase));
    }
  }
}

TEST_F(LedgerRollup, GapsListExactlyTheSchoolsMissingAnItem) {
  const json county = Rollup("410105");
  const std::string base = "/api/v1/compliance/gaps?org=410105&page_size=500";
  for (const std::string item : {"guards", "closed_management", "protection_posts", "alarm_video", "all_four"}) {
    SCOPED_TRACE(item);
    const json gaps = Read(base + "&item=" + item, "demo-county");
    const json& f = item == "all_four" ? county["all_four"] : county["items"][item];
    EXPECT_EQ(gaps["total"], f["applicable"].get<int64_t>() - f["compliant"].get<int64_t>());
    EXPECT_EQ(gaps["items"].size(), gaps["total"].get<size_t>());
    std::set<std::string> listed, failing;
    for (const auto& g : gaps["items"]) {
      listed.insert(g["code"]);
      EXPECT_EQ(g["county"], json({{"code", "410105"}, {"name", "金水区"}})) << g.dump();
      EXPECT_FALSE(g["failed"].empty()) << g.dump();
      for (const auto& failed : g["failed"]) {
        ASSERT_TRUE(g["reasons"].contains(failed.get<std::string>())) << g.dump();
        EXPECT_FALSE(g["reasons"][failed.get<std::string>()]["zh"].empty()) << g.dump();
        EXPECT_FALSE(g["reasons"][failed.get<std::string>()]["en"].empty()) << g.dump();
      }
      if (item != "all_four") {
        EXPECT_NE(std::find(g["failed"].begin(), g["failed"].end(), json(item)), g["failed"].end()) << g.dump();
      }
    }
    for (const auto& s : county["children"]) {
      const json& sf = item == "all_four" ? s["all_four"] : s["items"][item];
      if (sf["applicable"] == 1 && sf["compliant"] == 0) failing.insert(s["org"]["code"]);
    }
    EXPECT_EQ(listed, failing) << "the gaps are the schools the roll-up counts as not compliant";
  }

  // The showcase school misses only its third guard.
  const json showcase = Read(base + "&item=guards&q=" + kSchool, "demo-county");
  ASSERT_EQ(showcase["total"], 1) << showcase.dump();
  EXPECT_EQ(showcase["items"][0]["code"], kSchool);
  EXPECT_EQ(showcase["items"][0]["failed"], json({"guards"}));
  EXPECT_EQ(showcase["items"][0]["reasons"]["guards"]["zh"], json({"应配备3名专职保安，现有2名"}));
  EXPECT_EQ(showcase["items"][0]["reasons"]["guards"]["en"], json({"needs 3 full-time guards, has 2"}));
  EXPECT_EQ(showcase["items"][0]["locality"], "urban");
  const json by_name = Read(base + "&item=guards&q=%E7%AC%AC1%E5%B0%8F%E5%AD%A6", "demo-county");  // 第1小学
  ASSERT_EQ(by_name["total"], 1) << by_name.dump();
  EXPECT_EQ(by_name["items"][0]["code"], kSchool);
  EXPECT_EQ(Read(base + "&q=nothing-like-this", "demo-county")["total"], 0);
}

TEST_F(LedgerRollup, GapFiltersAndPagingAddUp) {
  const std::string base = "/api/v1/compliance/gaps?org=410105";
  const json all = Read(base + "&page_size=500", "demo-county");
  const auto total = all["total"].get<int64_t>();
  ASSERT_GE(total, 4) << "the demo county has a few gaps to page through";
  int64_t by_locality = 0;
  for (const std::string locality : {"urban", "town", "rural"}) {
    const json part = Read(base + "&page_size=500&locality=" + locality, "demo-county");
    by_locality += part["total"].get<int64_t>();
    for (const auto& g : part["items"]) EXPECT_EQ(g["locality"], locality) << g.dump();
  }
  EXPECT_EQ(by_locality, total);

  const json page1 = Read(base + "&page_size=2&page=1", "demo-county");
  const json page2 = Read(base + "&page_size=2&page=2", "demo-county");
  EXPECT_EQ(page1["total"], total);
  EXPECT_EQ(page1["page"], 1);
  EXPECT_EQ(page1["page_size"], 2);
  ASSERT_EQ(page1["items"].size(), 2u);
  ASSERT_EQ(page2["items"].size(), 2u);
  EXPECT_EQ(page1["items"][0], all["items"][0]);
  EXPECT_EQ(page1["items"][1], all["items"][1]);
  EXPECT_EQ(page2["items"][0], all["items"][2]);
  EXPECT_EQ(page2["items"][1], all["items"][3]);
  const json beyond = Read(base + "&page_size=500&page=2", "demo-county");
  EXPECT_TRUE(beyond["items"].empty());
  EXPECT_EQ(beyond["total"], total);

  const std::string county = Token("demo-county");
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{{"&item=everything", "item"},
                                                                                     {"&item=Guards", "item"},
                                                                                     {"&locality=suburb", "locality"},
                                                                                     {"&page_size=0", "page_size"},
                                                                                     {"&page=0", "page"}}) {
    auto r = srv().Get(base + query, county);
    EXPECT_EQ(r.status, 400) << query << ": " << r;
    EXPECT_EQ(r.Code(), "validation_failed") << query;
    EXPECT_EQ(ErrorFields(r), std::set<std::string>{field}) << query << ": " << r;
  }
  auto no_org = srv().Get("/api/v1/compliance/gaps", county);
  EXPECT_EQ(no_org.status, 400) << no_org;
  EXPECT_TRUE(no_org.NamesField("org")) << no_org;
  auto bad_xlsx = srv().Get("/api/v1/compliance/gaps.xlsx?org=410105&item=everything", county);
  EXPECT_EQ(bad_xlsx.status, 400) << bad_xlsx;
  EXPECT_TRUE(bad_xlsx.NamesField("item")) << bad_xlsx;
}

TEST_F(LedgerRollup, TodaysTrendPointIsTheLiveFigures) {
  for (const char* org : {"410000", "410105"}) {
    SCOPED_TRACE(org);
    const json trend = Read(std::string("/api/v1/compliance/trend?org=") + org + "&days=7", "demo-province");
    const json live = FiguresOf(Rollup(org));
    ASSERT_FALSE(trend["items"].empty());
    EXPECT_LE(trend["items"].size(), 7u);
    json today = trend["items"].back();
    EXPECT_EQ(today["day"], ShanghaiDate());
    today.erase("day");
    EXPECT_EQ(today, live);
    std::string previous;
    for (const auto& p : trend["items"]) {
      EXPECT_GT(p["day"].get<std::string>(), previous) << "oldest first, one point a day";
      EXPECT_GE(p["day"].get<std::string>(), ShanghaiDate(-6));
      previous = p["day"];
      ExpectRates(p);
    }
  }
  const std::string province = Token("demo-province");
  for (const char* days : {"0", "400", "-1", "seven"}) {
    auto r = srv().Get(std::string("/api/v1/compliance/trend?org=410000&days=") + days, province);
    EXPECT_EQ(r.status, 400) << days << ": " << r;
    EXPECT_EQ(ErrorFields(r), std::set<std::string>{"days"}) << days << ": " << r;
  }
  EXPECT_EQ(srv().Get("/api/v1/compliance/trend?org=410000&days=1", province).status, 200);
  EXPECT_EQ(srv().Get("/api/v1/compliance/trend?org=410000&days=366", province).status, 200);
}

TEST_F(LedgerRollup, AnotherCountyGets404FromEveryLedgerEndpoint) {
  const std::string county2 = Token("demo-county2");
  const size_t guards_before = Guards().size();
  const json figures_before = FiguresAbove()["410105"];
  const json guard{{"name", "越权保安"}, {"employment", "full_time"}, {"certificate_no", "豫保00000001"}};
  json with_row = guard;
  with_row["row"] = 3;
  const std::vector<HttpRequest> cases = {
      {"GET", "/api/v1/compliance/four-100?org=410105", "", "", county2, {}},
      {"GET", "/api/v1/compliance/four-100?org=9410105001", "", "", county2, {}},
      {"GET", kLedger + "/ledger", "", "", county2, {}},
      {"GET", kLedger + "/ledger/history", "", "", county2, {}},
      {"GET", kLedger + "/guards", "", "", county2, {}},
      {"GET", kLedger + "/devices", "", "", county2, {}},
      {"GET", kLedger + "/gatehouse-shifts", "", "", county2, {}},
      {"GET", kLedger + "/closed-checks", "", "", county2, {}},
      {"GET", kLedger + "/protection-posts", "", "", county2, {}},
      {"GET", kLedger + "/alarm-tests", "", "", county2, {}},
      {"GET", kLedger + "/patrols", "", "", county2, {}},
      {"GET", kLedger + "/ledger/template.xlsx", "", "", county2, {}},
      {"GET", "/api/v1/compliance/gaps?org=410105", "", "", county2, {}},
      {"GET", "/api/v1/compliance/gaps.xlsx?org=410105", "", "", county2, {}},
      {"GET", "/api/v1/compliance/trend?org=410105", "", "", county2, {}},
      {"GET", "/api/v1/ledger/export.xlsx?org=410105", "", "", county2, {}},
      {"POST", kLedger + "/guards", guard.dump(), "application/json", county2, {}},
      {"POST",
       kLedger + "/ledger/import",
       json{{"guards", json::array({with_row})}}.dump(),
       "application/json",
       county2,
       {}},
  };
  for (const auto& c : cases) {
    auto r = srv().Send(c);
    EXPECT_EQ(r.status, 404) << c.method << " " << c.target << ": " << r;
    EXPECT_TRUE(r.IsProblem()) << c.target;
    EXPECT_EQ(r.Code(), "not_found") << c.method << " " << c.target;
  }
  // Its own county works, so the 404s above are about jurisdiction.
  EXPECT_EQ(srv().Get("/api/v1/compliance/four-100?org=410302", county2).status, 200);
  EXPECT_EQ(srv().Get("/api/v1/compliance/gaps?org=410302", county2).status, 200);
  EXPECT_EQ(Guards().size(), guards_before);
  EXPECT_EQ(FiguresAbove()["410105"], figures_before);
}

TEST_F(LedgerRollup, BureausReadSchoolLedgersButOnlyTheSchoolWritesThem) {
  const size_t guards_before = Guards().size();
  const json guard{{"name", "局里加的保安"}, {"employment", "full_time"}, {"certificate_no", "豫保00000002"}};
  for (const char* bureau : {"demo-county", "demo-city", "demo-province"}) {
    SCOPED_TRACE(bureau);
    const std::string token = Token(bureau);
    auto ledger = srv().Get(kLedger + "/ledger", token);
    ASSERT_EQ(ledger.status, 200) << ledger;
    EXPECT_EQ(ledger.Json()["school"]["code"], kSchool);
    EXPECT_EQ(ledger.Json()["can_edit"], false);
    EXPECT_EQ(ledger.Json()["can_record_duty"], false);
    EXPECT_EQ(srv().Get(kLedger + "/guards", token).status, 200);
    auto post = srv().Post(kLedger + "/guards", guard, token);
    EXPECT_EQ(post.status, 403) << post;
    EXPECT_EQ(post.Code(), "forbidden");
    auto patrol = srv().Post(
        kLedger + "/patrols",
        {{"patrolled_at", ShanghaiTime(-std::chrono::minutes(5))}, {"area", "校门"}, {"by_name", "x"}}, token);
    EXPECT_EQ(patrol.status, 403) << patrol;
  }
  EXPECT_EQ(Ledger()["can_edit"], true);
  EXPECT_EQ(Ledger()["can_record_duty"], true);
  const json guard_view = Read(kLedger + "/ledger", "demo-guard");
  EXPECT_EQ(guard_view["can_edit"], false);
  EXPECT_EQ(guard_view["can_record_duty"], true);
  EXPECT_EQ(Guards().size(), guards_before);

  // The school's guard logs patrols and 护学岗, but does not manage the guard roster.
  const std::string guard_token = Token("demo-guard");
  auto patrol = srv().Post(
      kLedger + "/patrols",
      {{"patrolled_at", ShanghaiTime(-std::chrono::minutes(10))}, {"area", "围墙周边"}, {"by_name", "值班保安"}},
      guard_token);
  EXPECT_EQ(patrol.status, 201) << patrol;
  EXPECT_EQ(patrol.Json()["recorded_by"], "demo-guard");
  auto post = srv().Send({"PUT",
                          kLedger + "/protection-posts/" + ShanghaiDate(-45) + "/arrival",
                          json{{"police", 1}, {"staff", 1}, {"guards", 1}}.dump(),
                          "application/json",
                          guard_token,
                          {}});
  EXPECT_EQ(post.status, 200) << post;
  auto roster = srv().Post(kLedger + "/guards", guard, guard_token);
  EXPECT_EQ(roster.status, 403) << roster;
  EXPECT_EQ(roster.Code(), "forbidden");
  auto gatehouse = srv().Send({"PUT",
                               kLedger + "/gatehouse-shifts",
                               json{{"shifts", json::array()}}.dump(),
                               "application/json",
                               guard_token,
                               {}});
  EXPECT_EQ(gatehouse.status, 403) << gatehouse;
  EXPECT_EQ(Guards().size(), guards_before);
  EXPECT_EQ(Read(kLedger + "/gatehouse-shifts", "demo-county")["covers_24h"], true);
}

TEST_F(LedgerRollup, ASchoolSeesOnlyItsOwnLedger) {
  const std::string other = SchoolWithLocality("town");  // any other school of the county
  for (const char* user : {"demo-principal", "demo-guard", "demo-teacher"}) {
    SCOPED_TRACE(user);
    const std::string token = Token(user);
    for (const std::string& target :
         std::vector<std::string>{"/api/v1/schools/" + other + "/ledger", "/api/v1/schools/" + other + "/guards",
                                  "/api/v1/compliance/four-100?org=" + other, "/api/v1/compliance/four-100?org=410105",
                                  "/api/v1/compliance/gaps?org=410105"}) {
      auto r = srv().Get(target, token);
      EXPECT_EQ(r.status, 404) << target << ": " << r;
    }
    auto write = srv().Post(
        "/api/v1/schools/" + other + "/patrols",
        {{"patrolled_at", ShanghaiTime(-std::chrono::minutes(5))}, {"area", "校门"}, {"by_name", "x"}}, token);
    EXPECT_EQ(write.status, 404) << write;
  }
  // And the other school's principal cannot see the showcase school.
  const std::string principal_b = SchoolAccount("it-principal-b", "principal", other);
  EXPECT_EQ(srv().Get("/api/v1/schools/" + other + "/ledger", principal_b).status, 200);
  EXPECT_EQ(srv().Get(kLedger + "/ledger", principal_b).status, 404);
  EXPECT_EQ(srv().Get(kLedger + "/guards", principal_b).status, 404);
  auto write = srv().Post(kLedger + "/guards", {{"name", "隔壁保安"}, {"employment", "full_time"}}, principal_b);
  EXPECT_EQ(write.status, 404) << write;

  // Nor does the showcase school reach the other school's records through its own address.
  const std::string principal = Token("demo-principal");
  const json other_guards = Read("/api/v1/schools/" + other + "/guards", "demo-county");
  const json other_devices = Read("/api/v1/schools/" + other + "/devices", "demo-county");
  const std::string guard_id = std::to_string(other_guards["items"][0]["id"].get<int64_t>());
  const std::string device_id = std::to_string(other_devices["items"][0]["id"].get<int64_t>());
  auto guard = srv().Patch(kLedger + "/guards/" + guard_id, {{"active", false}}, principal);
  EXPECT_EQ(guard.status, 404) << guard;
  auto device = srv().Patch(kLedger + "/devices/" + device_id, {{"police_networked", false}}, principal);
  EXPECT_EQ(device.status, 404) << device;
  auto imported = srv().Post(
      kLedger + "/ledger/import",
      {{"guards", json::array({json{{"row", 3}, {"id", other_guards["items"][0]["id"]}, {"active", false}}})}},
      principal);
  EXPECT_EQ(imported.status, 422) << imported;
  EXPECT_EQ(ErrorFields(imported), std::set<std::string>{"guards!A3"}) << imported;
  EXPECT_EQ(Read("/api/v1/schools/" + other + "/guards", "demo-county"), other_guards);
  EXPECT_EQ(Read("/api/v1/schools/" + other + "/devices", "demo-county"), other_devices);
}

}  // namespace
}  // namespace xiaoan::it
