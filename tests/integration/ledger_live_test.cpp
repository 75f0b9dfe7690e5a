// How ledger writes move the four 100% (issue #3), seen from outside: a school's evaluation and the
// counters of its county, city and province change in the same request; guards that do not count,
// the 24-hour gatehouse, 护学岗 retries, schools opening and closing, and the ledger's history.
//
// A test that changes the showcase school's evaluation puts it back before it ends.
#include <set>

#include "ledger_support.hpp"

namespace xiaoan::it {
namespace {

// ---------------------------------------------------------------------------------------------
// Writes to the showcase school and what they do to the roll-up.
class LedgerLive : public LedgerSuite<LedgerLive> {
 protected:
  // Numerators and denominators of `figures` (rates are checked by ExpectRates).
  static json Counts(const json& figures) {
    json counts{{"schools", figures["schools"]},
                {"all_four", {figures["all_four"]["compliant"], figures["all_four"]["applicable"]}}};
    for (const char* item : kItemNames)
      counts[item] = {figures["items"][item]["compliant"], figures["items"][item]["applicable"]};
    return counts;
  }
  // `counts` with `d` added to the numerator (0) or denominator (1) of `keys`.
  static json Add(json counts, std::initializer_list<const char*> keys, size_t which, int64_t d) {
    for (const char* key : keys) {
      if (std::string(key) == "schools") {
        counts[key] = counts[key].get<int64_t>() + d;
      } else {
        counts[key][which] = counts[key][which].get<int64_t>() + d;
      }
    }
    return counts;
  }
};

TEST_F(LedgerLive, AThirdGuardMakesTheSchoolCompliantAndEveryUnitAboveCountsItAtOnce) {
  const json ledger = Ledger();
  EXPECT_EQ(ledger["required_guards"], 3);
  EXPECT_EQ(ledger["counts"]["guards_qualified"], 2);
  EXPECT_EQ(ledger["can_edit"], true);
  const json guards_item = ledger["evaluation"]["items"]["guards"];
  ASSERT_EQ(guards_item["state"], "not_met") << ledger.dump();
  EXPECT_EQ(guards_item["reasons_en"], json({"needs 3 full-time guards, has 2"}));
  EXPECT_EQ(guards_item["reasons_zh"], json({"应配备3名专职保安，现有2名"}));
  for (const char* item : {"closed_management", "protection_posts", "alarm_video"})
    EXPECT_EQ(ledger["evaluation"]["items"][item]["state"], "met") << item;
  EXPECT_EQ(ledger["evaluation"]["all_four"], false);
  const auto before = FiguresAbove();

  const json body{{"name", "王守门"},
                  {"certificate_no", "豫保20260001"},
                  {"birth_year", 1985},
                  {"employment", "full_time"},
                  {"employed_since", "2025-09-01"}};
  auto created = srv().Post(kLedger + "/guards", body, Token("demo-principal"));
  ASSERT_EQ(created.status, 201) << created;
  const json guard = created.Json();
  for (const auto& [key, value] : body.items()) EXPECT_EQ(guard[key], value) << key;
  EXPECT_EQ(guard["active"], true);
  EXPECT_EQ(guard["qualified"], true);
  EXPECT_EQ(guard["issues"], json::array());
  const std::string id = std::to_string(guard["id"].get<int64_t>());

  const json met = Ledger();
  EXPECT_EQ(met["evaluation"]["items"]["guards"],
            json({{"state", "met"}, {"reasons_zh", json::array()}, {"reasons_en", json::array()}}));
  EXPECT_EQ(met["evaluation"]["all_four"], true);
  EXPECT_EQ(met["counts"]["guards_qualified"], 3);
  EXPECT_EQ(met["counts"]["guards_active"], ledger["counts"]["guards_active"].get<int64_t>() + 1);
  const auto after = FiguresAbove();
  for (const char* org : kAbove) {
    SCOPED_TRACE(org);
    json expected = before.at(org);
    for (const char* item : {"guards", "all_four"}) {
      json& f = std::string(item) == "all_four" ? expected["all_four"] : expected["items"][item];
      f["compliant"] = f["compliant"].get<int64_t>() + 1;
      f["rate"] = static_cast<double>(f["compliant"].get<int64_t>()) / f["applicable"].get<double>();
    }
    EXPECT_EQ(Compliant(after.at(org), "guards"), Compliant(before.at(org), "guards") + 1);
    EXPECT_EQ(Compliant(after.at(org), "all_four"), Compliant(before.at(org), "all_four") + 1);
    EXPECT_EQ(after.at(org), expected) << "only guards and all four move: " << json::diff(expected, after.at(org));
  }
  const json county = Rollup("410105");
  for (const auto& s : county["children"]) {
    if (s["org"]["code"] == kSchool) {
      EXPECT_EQ(s["all_four"]["compliant"], 1);
    }
  }

  // The guard leaves: everything goes back.
  auto left = srv().Patch(kLedger + "/guards/" + id, {{"active", false}}, Token("demo-principal"));
  ASSERT_EQ(left.status, 200) << left;
  EXPECT_EQ(left.Json()["active"], false);
  EXPECT_EQ(left.Json()["qualified"], false);
  EXPECT_EQ(left.Json()["issues"], json({"inactive"}));
  EXPECT_EQ(left.Json()["name"], "王守门") << "a patch keeps the fields it does not name";
  EXPECT_EQ(GuardsItem(), guards_item);
  EXPECT_EQ(Ledger()["evaluation"]["all_four"], false);
  const auto back = FiguresAbove();
  for (const char* org : kAbove)
    EXPECT_EQ(back.at(org), before.at(org)) << org << ": " << json::diff(before.at(org), back.at(org));
}

TEST_F(LedgerLive, GuardsWithoutACertificateOrOverTheAgeLimitDoNotCount) {
  const json guards_item = GuardsItem();
  ASSERT_EQ(guards_item["state"], "not_met");
  const auto before = FiguresAbove();
  const int year = ShanghaiYear();
  const std::string principal = Token("demo-principal");
  struct Case {
    const char* what;
    json body;
    json issues;
  };
  const std::vector<Case> cases = {
      {"no certificate",
       {{"name", "无证保安"}, {"employment", "full_time"}, {"birth_year", 1980}},
       json::array({"no_certificate"})},
      {"empty certificate",
       {{"name", "空证保安"}, {"employment", "full_time"}, {"certificate_no", ""}},
       json::array({"no_certificate"})},
      {"61 this year",
       {{"name", "超龄保安"}, {"employment", "full_time"}, {"certificate_no", "豫保1"}, {"birth_year", year - 61}},
       json::array({"over_age"})},
      {"part time",
       {{"name", "兼职保安"}, {"employment", "part_time"}, {"certificate_no", "豫保2"}, {"birth_year", 1980}},
       json::array({"part_time"})},
      // 60 this year is still within the limit: only the inactive flag keeps this one out.
      {"60 this year, inactive",
       {{"name", "六十岁保安"},
        {"employment", "full_time"},
        {"certificate_no", "豫保3"},
        {"birth_year", year - 60},
        {"active", false}},
       json::array({"inactive"})},
  };
  std::vector<std::string> ids;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto r = srv().Post(kLedger + "/guards", c.body, principal);
    ASSERT_EQ(r.status, 201) << r;
    EXPECT_EQ(r.Json()["qualified"], false);
    EXPECT_EQ(r.Json()["issues"], c.issues);
    ids.push_back(std::to_string(r.Json()["id"].get<int64_t>()));
  }
  const json item = GuardsItem();
  EXPECT_EQ(item["state"], "not_met");
  EXPECT_EQ(item["reasons_zh"],
            json({"应配备3名专职保安，现有2名", "2名专职保安无保安员证，不计入", "1名专职保安超过60岁，不计入"}));
  EXPECT_EQ(item["reasons_en"],
            json({"needs 3 full-time guards, has 2", "2 full-time guard(s) without a guard certificate are not counted",
                  "1 full-time guard(s) over 60 are not counted"}));
  EXPECT_EQ(Ledger()["counts"]["guards_qualified"], 2);
  EXPECT_EQ(FiguresAbove(), before);

  // Listed with their issues; then they leave, and the reasons go with them.
  std::map<std::string, json> listed;
  for (const auto& g : Guards()) listed[std::to_string(g["id"].get<int64_t>())] = g;
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(listed[ids[i]]["issues"], cases[i].issues) << cases[i].what;
  for (const auto& id : ids)
    ASSERT_EQ(srv().Patch(kLedger + "/guards/" + id, {{"active", false}}, principal).status, 200);
  EXPECT_EQ(GuardsItem(), guards_item);

  // Clearing a counted guard's certificate takes the guard out of the count.
  json counted;
  for (const auto& g : Guards()) {
    if (g["qualified"] == true && counted.is_null()) counted = g;
  }
  ASSERT_TRUE(counted.is_object());
  const std::string url = kLedger + "/guards/" + std::to_string(counted["id"].get<int64_t>());
  auto cleared = srv().Patch(url, {{"certificate_no", nullptr}}, principal);
  ASSERT_EQ(cleared.status, 200) << cleared;
  EXPECT_EQ(cleared.Json()["certificate_no"], nullptr);
  EXPECT_EQ(cleared.Json()["issues"], json::array({"no_certificate"}));
  EXPECT_EQ(GuardsItem()["reasons_zh"], json({"应配备3名专职保安，现有1名", "1名专职保安无保安员证，不计入"}));
  EXPECT_EQ(FiguresAbove(), before) << "the school was not compliant before either";
  ASSERT_EQ(srv().Patch(url, {{"certificate_no", counted["certificate_no"]}}, principal).status, 200);
  EXPECT_EQ(GuardsItem(), guards_item);
}

TEST_F(LedgerLive, TheGatehouseMustBeStaffedAroundTheClock) {
  const std::string principal = Token("demo-principal");
  const json original = Read(kLedger + "/gatehouse-shifts", "demo-principal");
  ASSERT_EQ(original["covers_24h"], true);
  EXPECT_EQ(original["uncovered"], json::array());
  const json guards_item = GuardsItem();

  json holes = json::array();
  for (int wd = 1; wd <= 7; ++wd) {
    if (wd != 7) holes.push_back({{"weekday", wd}, {"start", "00:00"}, {"end", "08:00"}, {"staff", "夜班"}});
    holes.push_back({{"weekday", wd}, {"start", "08:00"}, {"end", wd == 3 ? "12:00" : "24:00"}, {"staff", "白班"}});
  }
  auto put = Put(kLedger + "/gatehouse-shifts", {{"shifts", holes}}, principal);
  ASSERT_EQ(put.status, 200) << put;
  EXPECT_EQ(put.Json()["covers_24h"], false);
  EXPECT_EQ(put.Json()["uncovered"], json({{{"weekday", 3}, {"start", "12:00"}, {"end", "24:00"}},
                                           {{"weekday", 7}, {"start", "00:00"}, {"end", "08:00"}}}));
  EXPECT_EQ(put.Json()["shifts"].size(), holes.size());
  EXPECT_EQ(Read(kLedger + "/gatehouse-shifts", "demo-county"), put.Json()) << "the schedule as stored";
  const json item = GuardsItem();
  EXPECT_EQ(item["state"], "not_met");
  EXPECT_EQ(item["reasons_zh"],
            json({"应配备3名专职保安，现有2名", "门卫室未实现24小时值守：周三 12:00–24:00等2个时段无人值守"}));
  EXPECT_EQ(item["reasons_en"], json({"needs 3 full-time guards, has 2",
                                      "the gatehouse is not staffed 24 h: nobody on Wed 12:00–24:00 and 1 more"}));

  // Overlapping shifts that together cover the week are fine.
  json full = json::array();
  for (int wd = 1; wd <= 7; ++wd) {
    full.push_back({{"weekday", wd}, {"start", "00:00"}, {"end", "09:00"}});
    full.push_back({{"weekday", wd}, {"start", "08:00"}, {"end", "24:00"}});
  }
  auto covered = Put(kLedger + "/gatehouse-shifts", {{"shifts", full}}, principal);
  ASSERT_EQ(covered.status, 200) << covered;
  EXPECT_EQ(covered.Json()["covers_24h"], true);
  EXPECT_EQ(covered.Json()["uncovered"], json::array());
  EXPECT_EQ(GuardsItem(), guards_item);

  auto empty = Put(kLedger + "/gatehouse-shifts", {{"shifts", json::array()}}, principal);
  ASSERT_EQ(empty.status, 200) << empty;
  EXPECT_EQ(empty.Json()["uncovered"].size(), 7u) << "each day wholly uncovered";

  json restore = json::array();
  for (const auto& s : original["shifts"]) restore.push_back(s);
  ASSERT_EQ(Put(kLedger + "/gatehouse-shifts", {{"shifts", restore}}, principal).status, 200);
  EXPECT_EQ(Read(kLedger + "/gatehouse-shifts", "demo-principal"), original);
  EXPECT_EQ(GuardsItem(), guards_item);
}

TEST_F(LedgerLive, RecordingTheSamePostTwiceWritesItOnce) {
  const std::string principal = Token("demo-principal");
  const std::string date = ShanghaiDate(-40);
  const std::string target = kLedger + "/protection-posts/" + date + "/arrival";
  const json body{{"police", 1},      {"staff", 2},     {"guards", 1},
                  {"start", "07:15"}, {"end", "08:05"}, {"note", "集成测试"}};
  const int64_t history = HistoryTotal();

  auto first = Put(target, body, principal);
  ASSERT_EQ(first.status, 200) << first;
  for (const auto& [key, value] : body.items()) EXPECT_EQ(first.Json()[key], value) << key;
  EXPECT_EQ(first.Json()["date"], date);
  EXPECT_EQ(first.Json()["session"], "arrival");
  EXPECT_EQ(first.Json()["recorded_by"], "demo-principal");
  EXPECT_EQ(HistoryTotal(), history + 1);
  EXPECT_EQ(NewestHistory()["action"], "ledger.post.create");
  EXPECT_EQ(NewestHistory()["target"], "ledger/" + kSchool + "/posts/" + date + "/arrival");

  auto retry = Put(target, body, principal);
  ASSERT_EQ(retry.status, 200) << retry;
  EXPECT_EQ(retry.Json(), first.Json()) << "a retry answers the record as first stored";
  EXPECT_EQ(HistoryTotal(), history + 1) << "and writes nothing";
  const json day = Read(kLedger + "/protection-posts?from=" + date + "&to=" + date, "demo-principal");
  ASSERT_EQ(day["items"].size(), 1u) << day.dump();
  EXPECT_EQ(day["items"][0], first.Json());

  json corrected = body;
  corrected["police"] = 2;
  auto update = Put(target, corrected, principal);
  ASSERT_EQ(update.status, 200) << update;
  EXPECT_EQ(update.Json()["police"], 2);
  EXPECT_EQ(HistoryTotal(), history + 2);
  EXPECT_EQ(NewestHistory()["action"], "ledger.post.update");
  EXPECT_EQ(Read(kLedger + "/protection-posts?from=" + date + "&to=" + date, "demo-principal")["items"].size(), 1u);

  // The window the evaluation looks at: the last 10 school days before today.
  const json window = Read(kLedger + "/protection-posts", "demo-principal");
  EXPECT_EQ(window["applicable"], true);
  ASSERT_EQ(window["school_days"].size(), 10u) << window.dump();
  std::string previous;
  for (const auto& d : window["school_days"]) {
    const std::string s = d;
    EXPECT_GT(s, previous);
    EXPECT_LT(s, ShanghaiDate());
    EXPECT_LE(IsoWeekday(s), 5u) << s << " is a weekend day";
    previous = s;
  }
  const std::string rural = SchoolWithLocality("rural");
  const json rural_posts = Read("/api/v1/schools/" + rural + "/protection-posts", "demo-county");
  EXPECT_EQ(rural_posts["applicable"], false);
  EXPECT_EQ(rural_posts["school_days"], window["school_days"]);
  EXPECT_EQ(rural_posts["items"], json::array());

  // An unstaffed post on a school day in the window is a missed post, at once.
  const std::string last = window["school_days"].back();
  json seeded;
  for (const auto& item : window["items"]) {
    if (item["date"] == last && item["session"] == "arrival") seeded = item;
  }
  ASSERT_TRUE(seeded.is_object()) << window.dump();
  const auto before = FiguresAbove();
  const std::string url = kLedger + "/protection-posts/" + last + "/arrival";
  ASSERT_EQ(Put(url, {{"police", 0}, {"staff", 0}, {"guards", 0}}, principal).status, 200);
  const json missed = Ledger()["evaluation"]["items"]["protection_posts"];
  EXPECT_EQ(missed["state"], "not_met");
  EXPECT_EQ(missed["reasons_zh"], json({"最近10个上学日中有1天未记录上学时段护学岗"}));
  EXPECT_EQ(missed["reasons_en"], json({"no arrival post recorded on 1 of the last 10 school days"}));
  const auto after = FiguresAbove();
  for (const char* org : kAbove) {
    EXPECT_EQ(Compliant(after.at(org), "protection_posts"), Compliant(before.at(org), "protection_posts") - 1) << org;
    EXPECT_EQ(Compliant(after.at(org), "guards"), Compliant(before.at(org), "guards")) << org;
  }
  json restore;
  for (const char* key : {"police", "staff", "guards", "start", "end", "note"}) restore[key] = seeded[key];
  ASSERT_EQ(Put(url, restore, principal).status, 200);
  EXPECT_EQ(Ledger()["evaluation"]["items"]["protection_posts"]["state"], "met");
  EXPECT_EQ(FiguresAbove(), before);
}

// QA: today's 护学岗 was saved but never shown. The window the evaluation counts ends yesterday; the
// answer names today beside it (when it is a school day) and lists today's posts.
TEST_F(LedgerLive, TodaysPostIsListedBesideTheWindow) {
  const json window = Read(kLedger + "/protection-posts", "demo-principal");
  ASSERT_TRUE(window.contains("today")) << window.dump();
  // Whether today is a school day, as the server's calendar says (the same one the health checks use).
  const bool school_day =
      Read("/api/v1/health-checks/completeness?org=410105&session=morning", "demo-county")["school_day"];
  if (!school_day) {
    EXPECT_TRUE(window["today"].is_null()) << window.dump();
    GTEST_SKIP() << "today is not a school day; ledger_service_test.cpp covers both";
  }
  const std::string today = ShanghaiDate();
  ASSERT_EQ(window["today"], today) << window.dump();
  EXPECT_LT(window["school_days"].back().get<std::string>(), today);
  json seeded;
  for (const auto& item : window["items"]) {
    if (item["date"] == today && item["session"] == "arrival") seeded = item;
  }
  const json evaluation = Ledger()["evaluation"]["items"]["protection_posts"];
  const std::string url = kLedger + "/protection-posts/" + today + "/arrival";
  auto saved = Put(url, {{"police", 3}, {"staff", 4}, {"guards", 2}}, Token("demo-guard"));
  ASSERT_EQ(saved.status, 200) << saved;
  const json after = Read(kLedger + "/protection-posts", "demo-guard");
  int found = 0;
  for (const auto& item : after["items"]) {
    if (item["date"] == today && item["session"] == "arrival") {
      ++found;
      EXPECT_EQ(item, saved.Json());
    }
  }
  EXPECT_EQ(found, 1) << after.dump();
  EXPECT_EQ(Ledger()["evaluation"]["items"]["protection_posts"], evaluation) << "today counts from tomorrow";
  if (seeded.is_object()) {
    json restore;
    for (const char* key : {"police", "staff", "guards", "start", "end", "note"}) restore[key] = seeded[key];
    ASSERT_EQ(Put(url, restore, Token("demo-principal")).status, 200);
  }
}

TEST_F(LedgerLive, RetriesWithTheSameIdempotencyKeyWriteOnce) {
  const std::string principal = Token("demo-principal");
  auto post = [&](const std::string& path, const json& body, const std::string& key) {
    return srv().Send({"POST", kLedger + path, body.dump(), "application/json", principal, {{"Idempotency-Key", key}}});
  };
  int64_t alarm = 0;
  for (const auto& d : Devices()) {
    if (d["kind"] == "alarm") alarm = d["id"];
  }
  const json evaluation = Ledger()["evaluation"];
  const int64_t history = HistoryTotal();
  // The patrols of the day the retried patrol falls on (which is not today just after midnight).
  const std::string patrolled_at = ShanghaiTime(-std::chrono::minutes(2));
  const std::string day_patrols = kLedger + "/patrols?date=" + patrolled_at.substr(0, 10);
  const size_t patrols = Read(day_patrols, "demo-principal")["items"].size();
  const size_t checks = Read(kLedger + "/closed-checks", "demo-principal")["history"].size();
  const int64_t tests = Read(kLedger + "/alarm-tests?page_size=1", "demo-principal")["total"];
  struct Case {
    std::string path;
    json body, retry;  // the retry differs, and still answers the first record
  };
  const json patrol{{"patrolled_at", patrolled_at}, {"area", "后门"}, {"by_name", "重试保安"}};
  const json check{{"measure", "separate_gates"}, {"status", "not_possible"}, {"checked_on", ShanghaiDate(-1)}};
  const json test{{"tested_at", ShanghaiTime(-std::chrono::hours(1))}, {"result", "pass"}, {"device_id", alarm}};
  json patrol2 = patrol, check2 = check, test2 = test;
  patrol2["area"] = "前门";
  check2["note"] = "重试";
  test2["ack_seconds"] = 30;
  for (const auto& c : std::vector<Case>{
           {"/patrols", patrol, patrol2}, {"/closed-checks", check, check2}, {"/alarm-tests", test, test2}}) {
    SCOPED_TRACE(c.path);
    auto first = post(c.path, c.body, "it-retry-0001");
    ASSERT_EQ(first.status, 201) << first;
    auto again = post(c.path, c.body, "it-retry-0001");
    EXPECT_TRUE(again.status == 200 || again.status == 201) << again;
    EXPECT_EQ(again.Json(), first.Json());
    auto changed = post(c.path, c.retry, "it-retry-0001");
    EXPECT_EQ(changed.Json(), first.Json()) << "the key, not the body, names the record";
  }
  EXPECT_EQ(Read(day_patrols, "demo-principal")["items"].size(), patrols + 1);
  EXPECT_EQ(Read(kLedger + "/closed-checks", "demo-principal")["history"].size(), checks + 1);
  EXPECT_EQ(Read(kLedger + "/alarm-tests?page_size=1", "demo-principal")["total"], tests + 1);
  EXPECT_EQ(HistoryTotal(), history + 3);
  // Another key is another record.
  EXPECT_EQ(post("/patrols", patrol, "it-retry-0002").status, 201);
  EXPECT_EQ(Read(day_patrols, "demo-principal")["items"].size(), patrols + 2);

  for (const std::string& key : {std::string(""), std::string("has space"), std::string(101, 'k')}) {
    auto bad = post("/patrols", patrol, key);
    EXPECT_EQ(bad.status, 400) << "key '" << key << "': " << bad;
    EXPECT_EQ(ErrorFields(bad), std::set<std::string>{"Idempotency-Key"}) << bad;
  }
  EXPECT_EQ(Read(day_patrols, "demo-principal")["items"].size(), patrols + 2);
  EXPECT_EQ(Ledger()["evaluation"]["items"], evaluation["items"]);
}

TEST_F(LedgerLive, HistoryListsEveryChangeNewestFirst) {
  const std::string principal = Token("demo-principal");
  auto created = srv().Post(kLedger + "/guards", {{"name", "历史保安"}, {"employment", "part_time"}}, principal);
  ASSERT_EQ(created.status, 201) << created;
  const std::string id = std::to_string(created.Json()["id"].get<int64_t>());
  ASSERT_EQ(srv().Patch(kLedger + "/guards/" + id, {{"certificate_no", "豫保9"}}, principal).status, 200);
  const json shifts = Read(kLedger + "/gatehouse-shifts", "demo-principal")["shifts"];
  ASSERT_EQ(Put(kLedger + "/gatehouse-shifts", {{"shifts", shifts}}, principal).status, 200);
  auto patrol = srv().Post(
      kLedger + "/patrols",
      {{"patrolled_at", ShanghaiTime(-std::chrono::minutes(3))}, {"area", "操场"}, {"by_name", "李四"}}, principal);
  ASSERT_EQ(patrol.status, 201) << patrol;

  const json page = Read(kLedger + "/ledger/history?page_size=4", "demo-county");
  ASSERT_EQ(page["items"].size(), 4u) << page.dump();
  const json& items = page["items"];
  EXPECT_EQ(items[0]["action"], "ledger.patrol.create");
  EXPECT_EQ(items[0]["target"], "ledger/" + kSchool + "/patrols/" + std::to_string(patrol.Json()["id"].get<int64_t>()));
  EXPECT_EQ(items[1]["action"], "ledger.gatehouse.replace");
  EXPECT_EQ(items[2]["action"], "ledger.guard.update");
  EXPECT_EQ(items[2]["target"], "ledger/" + kSchool + "/guards/" + id);
  EXPECT_TRUE(Contains(items[2]["summary"].get<std::string>(), "certificate=yes")) << items[2].dump();
  EXPECT_EQ(items[3]["action"], "ledger.guard.create");
  EXPECT_EQ(items[3]["target"], "ledger/" + kSchool + "/guards/" + id);
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(items[i]["username"], "demo-principal");
    EXPECT_EQ(items[i]["role"], "principal");
    EXPECT_EQ(items[i]["outcome"], "success");
    if (i > 0) {
      EXPECT_LT(items[i]["id"].get<int64_t>(), items[i - 1]["id"].get<int64_t>());
    }
  }
  const json second = Read(kLedger + "/ledger/history?page_size=4&page=2", "demo-county");
  EXPECT_EQ(second["total"], page["total"]);
  if (!second["items"].empty()) {
    EXPECT_LT(second["items"][0]["id"].get<int64_t>(), items[3]["id"].get<int64_t>());
  }
  // Only this school's ledger: the seeding of 5,775 demo ledgers is not in it.
  const json all = Read(kLedger + "/ledger/history?page_size=500", "demo-county");
  for (const auto& r : all["items"])
    EXPECT_TRUE(r["target"].get<std::string>().starts_with("ledger/" + kSchool + "/")) << r.dump();
}

TEST_F(LedgerLive, SchoolsThatOpenChangeOrCloseMoveTheCountersAtOnce) {
  const std::string county = Token("demo-county");
  const auto before = FiguresAbove();
  auto created = srv().Post("/api/v1/org-units", NewSchoolBody("410105", "8410105951", "台账测试新学校"), county);
  ASSERT_EQ(created.status, 201) << created;

  // A new school has an empty ledger: it counts in every denominator and in no numerator.
  const json ledger = Read("/api/v1/schools/8410105951/ledger", "demo-county");
  for (const char* item : kItemNames) EXPECT_EQ(ledger["evaluation"]["items"][item]["state"], "not_met") << item;
  const auto required = ledger["required_guards"].get<int64_t>();
  EXPECT_EQ(ledger["evaluation"]["items"]["guards"]["reasons_zh"],
            json({"应配备" + std::to_string(required) + "名专职保安，现有0名",
                  "门卫室未实现24小时值守：周一 00:00–24:00等7个时段无人值守"}));
  const auto opened = FiguresAbove();
  for (const char* org : kAbove) {
    SCOPED_TRACE(org);
    EXPECT_EQ(Counts(opened.at(org)),
              Add(Add(Counts(before.at(org)), {"schools"}, 0, 1),
                  {"all_four", "guards", "closed_management", "protection_posts", "alarm_video"}, 1, 1));
    ExpectRates(opened.at(org));
  }

  // 护学岗 does not apply once the school is rural.
  auto rural = srv().Patch("/api/v1/org-units/8410105951", {{"attributes", {{"locality", "rural"}}}}, county);
  ASSERT_EQ(rural.status, 200) << rural;
  const auto changed = FiguresAbove();
  for (const char* org : kAbove)
    EXPECT_EQ(Counts(changed.at(org)), Add(Counts(opened.at(org)), {"protection_posts"}, 1, -1)) << org;
  EXPECT_EQ(
      Read("/api/v1/schools/8410105951/ledger", "demo-county")["evaluation"]["items"]["protection_posts"]["state"],
      "not_applicable");

  // A closed school counts nowhere.
  auto closed = srv().Post("/api/v1/org-units/8410105951/deactivate", json::object(), county);
  ASSERT_EQ(closed.status, 200) << closed;
  const auto after = FiguresAbove();
  for (const char* org : kAbove)
    EXPECT_EQ(after.at(org), before.at(org)) << org << ": " << json::diff(before.at(org), after.at(org));
  EXPECT_EQ(Read("/api/v1/compliance/gaps?org=410105&q=8410105951", "demo-county")["total"], 0);
}

}  // namespace
}  // namespace xiaoan::it
