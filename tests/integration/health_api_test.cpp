// Morning and noon checks (晨午检) and outbreak warnings (issue #4) over HTTP: class reports with
// Idempotency-Key retries and versioned corrections, warnings opened in the report's write and seen
// only inside the jurisdiction, students' names shown to the school alone and never stored in plain
// text, completeness, report tasks, and the classes and dormitories the checks count.
//
// One server for the suite. The showcase school 9410105001 has 25 demo classes (一年级1班 ...,
// 44 students each, none boarding); each test works on its own classes, or on a day and session no
// other test uses, so that its figures are exact whatever ran before it.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>
#include <thread>

#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

const std::string kSchool = "9410105001";
const std::string kChecks = "/api/v1/health-checks";
const std::string kDayView = "/api/v1/schools/9410105001/health-checks";
constexpr int64_t kEnrolment = 44;  // every demo class of the showcase school

// "YYYY-MM-DD" in Asia/Shanghai, `days` from today.
std::string ShanghaiDate(int days) {
  using namespace std::chrono;
  const auto day = floor<std::chrono::days>(system_clock::now() + hours(8)) + std::chrono::days(days);
  const year_month_day ymd(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

// Seconds since the epoch of "YYYY-MM-DDThh:mm:ss+08:00" (the server's only format); -1 otherwise.
int64_t EpochOf(const std::string& rfc3339) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, oh = 0, om = 0;
  char sign = 0;
  if (std::sscanf(rfc3339.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &d, &h, &mi, &s, &sign, &oh, &om) !=
          9 ||
      (sign != '+' && sign != '-'))
    return -1;
  using namespace std::chrono;
  const auto day = sys_days(year{y} / month{static_cast<unsigned>(mo)} / std::chrono::day{static_cast<unsigned>(d)});
  const int64_t offset = (sign == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  return duration_cast<seconds>(day.time_since_epoch()).count() + h * 3600 + mi * 60 + s - offset;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One case of a check report.
json Case(const std::string& student_no, std::vector<std::string> symptoms, bool absent) {
  return {{"student_no", student_no}, {"sex", "female"},  {"age", 7},
          {"symptoms", symptoms},     {"absent", absent}, {"doctor_visit", false}};
}

// A report of class `class_id` whose counts agree with `cases` (the rest present).
json Report(int64_t class_id, const std::string& date, const std::string& session, const json& cases) {
  int64_t ill = 0;
  for (const auto& c : cases) ill += c["absent"].get<bool>() ? 1 : 0;
  return {{"class_id", class_id},        {"date", date},      {"session", session}, {"enrolled", kEnrolment},
          {"present", kEnrolment - ill}, {"absent_ill", ill}, {"absent_other", 0},  {"cases", cases}};
}

std::set<std::string> StudentNumbers(const json& report) {
  std::set<std::string> out;
  for (const auto& c : report["cases"]) out.insert(c["student_no"].get<std::string>());
  return out;
}

class HealthApi : public ServerSuite<HealthApi> {
 public:
  static std::vector<NewAccount> Accounts() { return {{"it-auditor", "audit_admin", "410000"}}; }
  // Every day a school day, so that the figures below hold on weekends and holidays too (the
  // calendar itself is tested in the unit tests).
  static void SetUpTestSuite() {
    SetUpTestSuiteWithFile("XIAOAN_SCHOOL_CALENDAR", "weekdays = [1, 2, 3, 4, 5, 6, 7]\n");
  }

 protected:
  void SetUp() override {
    ServerSuite::SetUp();
    teacher_ = server().Token("demo-teacher");
    doctor_ = server().Token("demo-doctor");
    principal_ = server().Token("demo-principal");
    county_ = server().Token("demo-county");
    county2_ = server().Token("demo-county2");
    auto r = server().Get("/api/v1/schools/9410105001/classes", doctor_);
    ASSERT_EQ(r.status, 200) << r;
    classes_ = r.Json()["items"];
    ASSERT_GE(classes_.size(), 25u) << r;
  }

  // The id of the showcase school's class `name`.
  int64_t ClassId(const std::string& name) {
    for (const auto& k : classes_)
      if (k["name"] == name) return k["id"].get<int64_t>();
    ADD_FAILURE() << "no class " << name;
    return 0;
  }

  HttpResponse PostCheck(const json& body, const std::string& key, const std::string& token) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
    return server().Send({"POST", kChecks, body.dump(), "application/json", token, headers});
  }

  // The school's day view of `date` and `session` as `token` sees it.
  json DayView(const std::string& date, const std::string& session, const std::string& token) {
    auto r = server().Get(kDayView + "?date=" + date + "&session=" + session, token);
    EXPECT_EQ(r.status, 200) << r;
    return r.Json();
  }

  // The reports of class `class_id` in a day view.
  static std::vector<json> ReportsOf(const json& view, int64_t class_id) {
    std::vector<json> out;
    for (const auto& r : view["reports"])
      if (r["class_id"] == class_id) out.push_back(r);
    return out;
  }

  // Warning `id` in the list of `org` with `status` as `token` sees it; null when not listed.
  json Listed(const std::string& org, const std::string& status, int64_t id, const std::string& token) {
    auto r = server().Get("/api/v1/health-warnings?org=" + org + "&status=" + status + "&page_size=500", token);
    EXPECT_EQ(r.status, 200) << r;
    const json page = r.Json();
    EXPECT_LE(page.value("total", int64_t{0}), 500) << "the list outgrew one page";
    for (const auto& w : page["items"])
      if (w["id"] == id) return w;
    return nullptr;
  }

  // The open warnings of the county with unit `class_name` of the showcase school.
  std::vector<json> OpenWarningsOfClass(const std::string& class_name) {
    auto r = server().Get("/api/v1/health-warnings?org=410105&status=open&page_size=500", county_);
    EXPECT_EQ(r.status, 200) << r;
    std::vector<json> out;
    const json items = r.Json()["items"];
    for (const auto& w : items)
      if (w["school"]["code"] == kSchool && w["unit_kind"] == "class" && w["unit_name"] == class_name) out.push_back(w);
    return out;
  }

  // Of the warning ids a report answered, those about the report's own class.
  std::vector<int64_t> OwnWarnings(const json& report) {
    std::vector<int64_t> out;
    for (const auto& id : report["warnings"]) {
      auto w = server().Get("/api/v1/health-warnings/" + std::to_string(id.get<int64_t>()), doctor_);
      EXPECT_EQ(w.status, 200) << w;
      if (w.Json()["unit_kind"] == "class" && w.Json()["unit_name"] == report["class_name"])
        out.push_back(id.get<int64_t>());
    }
    return out;
  }

  // The audit records of `username` whose action starts with `action`.
  json Audit(const std::string& username, const std::string& action) {
    auto r = server().Get("/api/v1/audit?username=" + username + "&action=" + action + "&page_size=500",
                          server().Token("it-auditor"));
    EXPECT_EQ(r.status, 200) << r;
    return r.Json()["items"];
  }

  json classes_;
  std::string teacher_, doctor_, principal_, county_, county2_;
};

TEST_F(HealthApi, ThirdSimilarCaseInAClassOnOneDayOpensAWarningTheCountySeesAndAnotherCountyDoesNot) {
  const std::string today = ShanghaiDate(0);
  const int64_t klass = ClassId("一年级1班");
  const json morning = Report(klass, today, "morning",
                              {Case("it-w1-01", {"fever"}, false), Case("it-w1-02", {"fever", "cough"}, false)});

  auto keyless = PostCheck(morning, "", teacher_);
  EXPECT_EQ(keyless.status, 400) << keyless;
  EXPECT_TRUE(keyless.NamesField("Idempotency-Key")) << keyless;
  EXPECT_TRUE(ReportsOf(DayView(today, "morning", doctor_), klass).empty()) << "a refused report writes nothing";

  auto first = PostCheck(morning, "it-w1-morning", teacher_);
  ASSERT_EQ(first.status, 201) << first;
  // The same key again with another body is not a retry: 422 naming the header, nothing written.
  auto reused = PostCheck(Report(klass, today, "morning", json::array()), "it-w1-morning", teacher_);
  EXPECT_EQ(reused.status, 422) << reused;
  EXPECT_TRUE(reused.NamesField("Idempotency-Key")) << reused;
  EXPECT_EQ(ReportsOf(DayView(today, "morning", doctor_), klass).at(0)["cases"].size(), 2u);
  EXPECT_EQ(first.Json()["class_name"], "一年级1班");
  EXPECT_EQ(first.Json()["version"], 1);
  EXPECT_EQ(first.Json()["submitted_by"], "demo-teacher");
  EXPECT_EQ(first.Json()["cases"].size(), 2u);
  EXPECT_TRUE(OwnWarnings(first.Json()).empty()) << "two cases are not a cluster: " << first;
  EXPECT_TRUE(OpenWarningsOfClass("一年级1班").empty());

  const json noon_body = Report(klass, today, "noon", json::array({Case("it-w1-03", {"sore_throat"}, false)}));
  auto noon = PostCheck(noon_body, "it-w1-noon", teacher_);
  ASSERT_EQ(noon.status, 201) << noon;
  const auto own = OwnWarnings(noon.Json());
  ASSERT_EQ(own.size(), 1u) << noon;
  const int64_t id = own[0];

  const json w = Listed("410105", "open", id, county_);
  ASSERT_TRUE(w.is_object()) << "demo-county lists warning " << id;
  EXPECT_EQ(w["rule"], "cluster_1d");
  EXPECT_EQ(w["rule_name"], "同一班级或宿舍1天内3例及以上症状相似病例");
  EXPECT_EQ(w["group"], "fever_respiratory");
  EXPECT_EQ(w["unit_kind"], "class");
  EXPECT_EQ(w["unit_name"], "一年级1班");
  EXPECT_EQ(w["cases"], 3);
  EXPECT_EQ(w["status"], "open");
  EXPECT_EQ(w["school"]["code"], kSchool);
  EXPECT_EQ(w["county"]["code"], "410105");
  EXPECT_EQ(w["window_start"], today);
  EXPECT_EQ(w["window_end"], today);
  EXPECT_TRUE(w["closed_at"].is_null());
  const json task = w["task"];
  ASSERT_TRUE(task.is_object()) << w;
  EXPECT_EQ(task["status"], "pending");
  EXPECT_EQ(task["immediate"], false);
  EXPECT_EQ(task["escalated"], false);
  EXPECT_EQ(task["recipients"], json::array({"县疾病预防控制中心", "县级教育行政部门"}));
  EXPECT_TRUE(task["summary"].is_null());
  const int64_t opened = EpochOf(w["opened_at"]), due = EpochOf(task["due_at"]);
  ASSERT_GT(opened, 0) << w;
  // The due time is taken a moment after the opening time, in the same write.
  EXPECT_GE(due - opened, 24 * 3600) << w;
  EXPECT_LE(due - opened, 24 * 3600 + 1) << w;
  const std::string draft = task["draft"];
  EXPECT_NE(draft.find("一年级1班"), std::string::npos) << draft;
  EXPECT_NE(draft.find(kSchool), std::string::npos) << draft;
  EXPECT_NE(draft.find("3例"), std::string::npos) << draft;
  EXPECT_NE(draft.find("24小时内"), std::string::npos) << draft;

  EXPECT_TRUE(Listed("410100", "open", id, server().Token("demo-city")).is_object()) << "the city sees it too";
  EXPECT_TRUE(Listed("410000", "open", id, server().Token("demo-province")).is_object());
  auto other_county = server().Get("/api/v1/health-warnings?org=410105", county2_);
  EXPECT_EQ(other_county.status, 404) << other_county;
  auto other_detail = server().Get("/api/v1/health-warnings/" + std::to_string(id), county2_);
  EXPECT_EQ(other_detail.status, 404) << other_detail;
  EXPECT_EQ(other_detail.body.find("一年级1班"), std::string::npos);
  auto own_county = server().Get("/api/v1/health-warnings?org=410302&status=all&page_size=500", county2_);
  ASSERT_EQ(own_county.status, 200) << own_county;
  const json own_items = own_county.Json()["items"];
  for (const auto& x : own_items) EXPECT_NE(x["id"], id);

  // A retry of the noon report answers the first result and writes nothing.
  auto retry = PostCheck(noon_body, "it-w1-noon", teacher_);
  ASSERT_EQ(retry.status, 201) << retry;
  EXPECT_EQ(retry.Json(), noon.Json());
  const auto noon_reports = ReportsOf(DayView(today, "noon", doctor_), klass);
  ASSERT_EQ(noon_reports.size(), 1u);
  EXPECT_EQ(noon_reports[0]["id"], noon.Json()["id"]);
  EXPECT_EQ(noon_reports[0]["version"], 1);
  EXPECT_EQ(OpenWarningsOfClass("一年级1班").size(), 1u) << "the retry opened no second warning";
  EXPECT_EQ(Listed("410105", "open", id, county_)["cases"], 3);
}

TEST_F(HealthApi, AReportListsOnlyTheWarningsOfItsOwnClass) {
  const std::string today = ShanghaiDate(0);
  auto cluster = PostCheck(
      Report(ClassId("二年级4班"), today, "noon",
             {Case("it-x-01", {"fever"}, false), Case("it-x-02", {"cough"}, false), Case("it-x-03", {"fever"}, true)}),
      "it-x-cluster", doctor_);
  ASSERT_EQ(cluster.status, 201) << cluster;
  ASSERT_EQ(OwnWarnings(cluster.Json()).size(), 1u) << cluster;

  // A zero report of 二年级3班 the same day and session opens or joins nothing.
  auto zero = PostCheck(Report(ClassId("二年级3班"), today, "noon", json::array()), "it-x-zero", doctor_);
  ASSERT_EQ(zero.status, 201) << zero;
  EXPECT_EQ(zero.Json()["warnings"], json::array())
      << "its `warnings` are the ids of warnings this report opened or joined (docs/openapi.yaml)";
}

TEST_F(HealthApi, ConcurrentReportsOfTwentyClassesAndTheirRetriesAreEachCountedOnce) {
  // Yesterday's morning belongs to this test alone.
  const std::string yesterday = ShanghaiDate(-1);
  std::vector<json> bodies;
  for (const auto& k : classes_) {
    // The demo classes only (another test adds one), and not the class demo-teacher reports.
    if (k["name"] == "一年级1班" || k["enrolment"] != kEnrolment || k["boarding"] == true) continue;
    bodies.push_back(Report(k["id"], yesterday, "morning",
                            json::array({Case("it-c-" + std::to_string(bodies.size()), {"headache"}, true)})));
    if (bodies.size() == 20) break;
  }
  ASSERT_EQ(bodies.size(), 20u);
  const auto post_all = [&] {
    std::vector<HttpResponse> answers(bodies.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < bodies.size(); ++i)
      threads.emplace_back([&, i] { answers[i] = PostCheck(bodies[i], "it-c-key-" + std::to_string(i), doctor_); });
    for (auto& t : threads) t.join();
    return answers;
  };
  const auto first = post_all();
  std::set<int64_t> ids;
  for (size_t i = 0; i < first.size(); ++i) {
    ASSERT_EQ(first[i].status, 201) << i << ": " << first[i];
    EXPECT_EQ(first[i].Json()["class_id"], bodies[i]["class_id"]);
    EXPECT_EQ(first[i].Json()["version"], 1);
    ids.insert(first[i].Json()["id"].get<int64_t>());
  }
  EXPECT_EQ(ids.size(), 20u);
  const auto again = post_all();
  for (size_t i = 0; i < again.size(); ++i) {
    ASSERT_EQ(again[i].status, 201) << i << ": " << again[i];
    EXPECT_EQ(again[i].Json(), first[i].Json()) << i;
  }

  const json view = DayView(yesterday, "morning", doctor_);
  EXPECT_EQ(view["reports"].size(), 20u);
  for (const auto& b : bodies) {
    const auto reports = ReportsOf(view, b["class_id"]);
    ASSERT_EQ(reports.size(), 1u) << b;
    EXPECT_EQ(reports[0]["version"], 1);
  }
  const size_t active =
      std::count_if(classes_.begin(), classes_.end(), [](const json& k) { return k["active"] == true; });
  EXPECT_EQ(view["missing"].size(), active - 20);

  auto school =
      server().Get("/api/v1/health-checks/completeness?org=9410105001&date=" + yesterday + "&session=morning", doctor_);
  ASSERT_EQ(school.status, 200) << school;
  const json s = school.Json();
  EXPECT_EQ(s["org"]["code"], kSchool);
  EXPECT_EQ(s["classes"], active);
  EXPECT_EQ(s["reported"], 20);
  EXPECT_EQ(s["absent_ill"], 20);
  EXPECT_EQ(s["cases"], 20);
  EXPECT_EQ(s["schools"], 1);
  EXPECT_EQ(s["schools_complete"], active == 20 ? 1 : 0);
  EXPECT_DOUBLE_EQ(s["rate"].get<double>(), 20.0 / static_cast<double>(active));

  auto county =
      server().Get("/api/v1/health-checks/completeness?org=410105&date=" + yesterday + "&session=morning", county_);
  ASSERT_EQ(county.status, 200) << county;
  const json c = county.Json();
  EXPECT_EQ(c["reported"], 20) << "no other school reported yesterday morning";
  EXPECT_EQ(c["absent_ill"], 20);
  json child;
  for (const auto& k : c["children"])
    if (k["org"]["code"] == kSchool) child = k;
  ASSERT_TRUE(child.is_object()) << county;
  EXPECT_EQ(child["org"]["level"], "school");
  EXPECT_EQ(child["classes"], active);
  EXPECT_EQ(child["reported"], 20);
  EXPECT_EQ(child["absent_ill"], 20);
  EXPECT_EQ(child["cases"], 20);

  // The concurrent reports shared the writer's transactions, each appending its audit record after
  // the one before it in the same transaction (decision 0031): the chain still verifies.
  auto verify = server().Get("/api/v1/audit/verify", server().Token("it-auditor"));
  ASSERT_EQ(verify.status, 200) << verify;
  EXPECT_EQ(verify.Json()["ok"], true) << verify;
}

TEST_F(HealthApi, CompletenessAnswersOnlyInsideTheJurisdictionAndRejectsBadParameters) {
  const std::string base = "/api/v1/health-checks/completeness";
  auto outside = server().Get(base + "?org=410302&session=morning", county_);
  EXPECT_EQ(outside.status, 404) << outside;
  auto above = server().Get(base + "?org=410105&session=morning", doctor_);
  EXPECT_EQ(above.status, 404) << above;
  auto session = server().Get(base + "?org=410105&session=afternoon", county_);
  EXPECT_EQ(session.status, 400) << session;
  EXPECT_TRUE(session.NamesField("session")) << session;
  for (const char* date : {"2026-02-30", "yesterday", "20261128"}) {
    auto r = server().Get(base + "?org=410105&session=morning&date=" + date, county_);
    EXPECT_EQ(r.status, 400) << date << ": " << r;
    EXPECT_TRUE(r.NamesField("date")) << date << ": " << r;
  }
  auto no_org = server().Get(base + "?session=morning", county_);
  EXPECT_EQ(no_org.status, 400) << no_org;
  EXPECT_TRUE(no_org.NamesField("org")) << no_org;
}

TEST_F(HealthApi, ACorrectionBecomesVersionTwoAndItsCasesReplaceTheFirstVersions) {
  const std::string today = ShanghaiDate(0);
  const int64_t klass = ClassId("一年级3班");
  json v1_body =
      Report(klass, today, "morning",
             {Case("it-v-01", {"fever"}, false), Case("it-v-02", {"fever"}, false), Case("it-v-03", {"cough"}, false)});
  auto v1 = PostCheck(v1_body, "it-v-1", doctor_);
  ASSERT_EQ(v1.status, 201) << v1;
  EXPECT_EQ(v1.Json()["version"], 1);
  const auto opened = OwnWarnings(v1.Json());
  ASSERT_EQ(opened.size(), 1u) << v1;

  // The same three students (one age corrected) and a fourth found later.
  json cases = v1_body["cases"];
  cases[0]["age"] = 8;
  cases.push_back(Case("it-v-04", {"sore_throat"}, true));
  auto v2 = PostCheck(Report(klass, today, "morning", cases), "it-v-2", doctor_);
  ASSERT_EQ(v2.status, 201) << v2;
  EXPECT_EQ(v2.Json()["version"], 2);
  EXPECT_NE(v2.Json()["id"], v1.Json()["id"]);

  const auto reports = ReportsOf(DayView(today, "morning", doctor_), klass);
  ASSERT_EQ(reports.size(), 1u) << "only the version in force";
  EXPECT_EQ(reports[0], v2.Json()) << "the answer to a report is the report as the school's day lists it";
  EXPECT_EQ(reports[0]["id"], v2.Json()["id"]);
  EXPECT_EQ(reports[0]["version"], 2);
  EXPECT_EQ(reports[0]["absent_ill"], 1);
  EXPECT_EQ(StudentNumbers(reports[0]), (std::set<std::string>{"it-v-01", "it-v-02", "it-v-03", "it-v-04"}));
  for (const auto& c : reports[0]["cases"])
    if (c["student_no"] == "it-v-01") {
      EXPECT_EQ(c["age"], 8);
    }

  // The correction joins the class's warning; its cases are the four students, not 3 + 4 records.
  EXPECT_EQ(OwnWarnings(v2.Json()), opened);
  const auto warnings = OpenWarningsOfClass("一年级3班");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0]["id"], opened[0]);
  EXPECT_EQ(warnings[0]["cases"], 4) << "a corrected student is still one case";
  auto detail = server().Get("/api/v1/health-warnings/" + std::to_string(opened[0]), doctor_);
  ASSERT_EQ(detail.status, 200) << detail;
  std::multiset<std::string> listed;
  const json case_list = detail.Json()["case_list"];
  for (const auto& c : case_list) listed.insert(c["student_no"].get<std::string>());
  EXPECT_EQ(listed, (std::multiset<std::string>{"it-v-01", "it-v-02", "it-v-03", "it-v-04"}));

  // A late retry of the first version answers the first result and does not restore it.
  auto retry = PostCheck(v1_body, "it-v-1", doctor_);
  ASSERT_EQ(retry.status, 201) << retry;
  EXPECT_EQ(retry.Json()["id"], v1.Json()["id"]);
  EXPECT_EQ(retry.Json()["version"], 1);
  const auto after = ReportsOf(DayView(today, "morning", doctor_), klass);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0]["version"], 2);
}

TEST_F(HealthApi, TheAnswerToAZeroReportIsTheReportAsListed) {
  const std::string today = ShanghaiDate(0);
  const int64_t klass = ClassId("二年级2班");
  auto posted = PostCheck(Report(klass, today, "noon", json::array()), "it-z-1", doctor_);
  ASSERT_EQ(posted.status, 201) << posted;
  EXPECT_TRUE(posted.Header("content-type").starts_with("application/json")) << posted.Header("content-type");
  const auto reports = ReportsOf(DayView(today, "noon", doctor_), klass);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0], posted.Json());
  EXPECT_EQ(posted.Json()["class_name"], "二年级2班");
  EXPECT_EQ(posted.Json()["cases"], json::array());
  EXPECT_EQ(posted.Json()["warnings"], json::array());
}

TEST_F(HealthApi, AStudentIllAtMorningAndNoonIsOneCaseOfTheDay) {
  const std::string today = ShanghaiDate(0);
  const int64_t klass = ClassId("三年级1班");
  // Two students absent through illness all day: both checks must list them (absent_ill = absent cases).
  const json cases = {Case("it-d-01", {"fever"}, true), Case("it-d-02", {"fever", "cough"}, true)};
  auto morning = PostCheck(Report(klass, today, "morning", cases), "it-d-morning", doctor_);
  ASSERT_EQ(morning.status, 201) << morning;
  auto noon = PostCheck(Report(klass, today, "noon", cases), "it-d-noon", doctor_);
  ASSERT_EQ(noon.status, 201) << noon;
  EXPECT_TRUE(OwnWarnings(noon.Json()).empty())
      << "two students are two cases, not a cluster of 3 (2006 rules count students): " << noon;
  EXPECT_TRUE(OpenWarningsOfClass("三年级1班").empty());
}

TEST_F(HealthApi, NamesAreShownToTheSchoolOnlyAuditedWhenReadAndNeverStoredInPlainText) {
  const std::string today = ShanghaiDate(0);
  const std::string name = "欧阳集测娜";
  const std::string student_no = "it-n-7731";
  json c = Case(student_no, {"fever", "rash"}, false);
  c["name"] = name;
  c["diagnosis"] = "水痘";
  auto posted = PostCheck(Report(ClassId("一年级4班"), today, "morning", json::array({c})), "it-n-1", doctor_);
  ASSERT_EQ(posted.status, 201) << posted;
  EXPECT_EQ(posted.Json()["cases"][0]["name"], name);
  const auto own = OwnWarnings(posted.Json());
  ASSERT_EQ(own.size(), 1u) << posted;
  const std::string warning = "/api/v1/health-warnings/" + std::to_string(own[0]);

  const auto doctor_reports = ReportsOf(DayView(today, "morning", doctor_), ClassId("一年级4班"));
  ASSERT_EQ(doctor_reports.size(), 1u);
  EXPECT_EQ(doctor_reports[0]["cases"][0]["name"], name);
  auto doctor_detail = server().Get(warning, doctor_);
  ASSERT_EQ(doctor_detail.status, 200) << doctor_detail;
  ASSERT_EQ(doctor_detail.Json()["case_list"].size(), 1u) << doctor_detail;
  EXPECT_EQ(doctor_detail.Json()["case_list"][0]["name"], name);
  EXPECT_EQ(doctor_detail.Json()["case_list"][0]["student_no"], student_no);

  const std::string county_view = server().Get(kDayView + "?date=" + today + "&session=morning", county_).body;
  const auto county_reports = ReportsOf(json::parse(county_view), ClassId("一年级4班"));
  ASSERT_EQ(county_reports.size(), 1u) << county_view;
  EXPECT_EQ(county_reports[0]["cases"][0]["student_no"], student_no);
  EXPECT_FALSE(county_reports[0]["cases"][0].contains("name"));
  EXPECT_EQ(county_view.find(name), std::string::npos);
  auto county_detail = server().Get(warning, county_);
  ASSERT_EQ(county_detail.status, 200) << county_detail;
  ASSERT_EQ(county_detail.Json()["case_list"].size(), 1u) << county_detail;
  EXPECT_FALSE(county_detail.Json()["case_list"][0].contains("name"));
  EXPECT_EQ(county_detail.body.find(name), std::string::npos);
  auto county_list = server().Get("/api/v1/health-warnings?org=410105&status=all&page_size=500", county_);
  EXPECT_EQ(county_list.body.find(name), std::string::npos);

  // The doctor's two reads are audited; the county read no names, so nothing to audit.
  std::set<std::string> targets;
  for (const auto& r : Audit("demo-doctor", "read.health_cases")) targets.insert(r["target"].get<std::string>());
  EXPECT_TRUE(targets.contains("health/9410105001/checks/" + today)) << json(targets);
  EXPECT_TRUE(targets.contains("health/9410105001/warnings/" + std::to_string(own[0]))) << json(targets);
  EXPECT_EQ(Audit("demo-county", "read.health_cases").size(), 0u);

  // The raw database: the student number is there in plain text (so the search works), the name not.
  const std::string bytes = ReadBytes(server().db_path()) + ReadBytes(server().db_path() + "-wal");
  EXPECT_NE(bytes.find(student_no), std::string::npos) << "the raw read sees the stored cases";
  EXPECT_EQ(bytes.find(name), std::string::npos) << "the name is stored in plain text";
  EXPECT_EQ(server().Output().find(name), std::string::npos) << "the name is in the server log";
}

TEST_F(HealthApi, BadReportsAreRefusedNamingTheFieldAndChangeNothing) {
  const std::string today = ShanghaiDate(0);
  const int64_t klass = ClassId("三年级2班");
  const json good = Report(klass, today, "noon", {Case("it-b-01", {"fever"}, true), Case("it-b-02", {"cough"}, false)});
  auto other_school = server().Get("/api/v1/schools/9410105002/classes", county_);
  ASSERT_EQ(other_school.status, 200) << other_school;
  ASSERT_FALSE(other_school.Json()["items"].empty()) << other_school;
  const int64_t foreign_class = other_school.Json()["items"][0]["id"];

  struct Bad {
    std::string what;
    json body;
    std::string field;
  };
  std::vector<Bad> bad;
  auto with = [&](const std::string& what, const std::string& field, auto&& change) {
    json b = good;
    change(b);
    bad.push_back({what, b, field});
  };
  with("counts do not add up", "enrolled", [](json& b) { b["present"] = kEnrolment; });
  with("absent_ill is not the absent cases", "absent_ill", [](json& b) {
    b["absent_ill"] = 2;
    b["present"] = kEnrolment - 2;
  });
  with("unknown symptom", "cases[0].symptoms", [](json& b) { b["cases"][0]["symptoms"] = {"fever", "sneezing"}; });
  with("duplicate student_no", "cases[1].student_no", [](json& b) { b["cases"][1]["student_no"] = "it-b-01"; });
  with("a date tomorrow", "date", [&](json& b) { b["date"] = ShanghaiDate(1); });
  with("a date two days ago", "date", [&](json& b) { b["date"] = ShanghaiDate(-2); });
  with("not a date", "date", [](json& b) { b["date"] = "2026-02-30"; });
  with("evening for a non-boarding class", "session", [](json& b) { b["session"] = "evening"; });
  with("unknown session", "session", [](json& b) { b["session"] = "night"; });
  with("enrolled is not the class's enrolment", "enrolled", [](json& b) {
    b["enrolled"] = kEnrolment + 1;
    b["present"] = kEnrolment;
  });
  with("a class of another school", "class_id", [&](json& b) { b["class_id"] = foreign_class; });
  with("no such class", "class_id", [](json& b) { b["class_id"] = 999999999; });
  with("unknown field", "temperature", [](json& b) { b["temperature"] = 37.5; });
  with("unknown case field", "cases[0].colour", [](json& b) { b["cases"][0]["colour"] = "red"; });
  with("a number as text", "present", [](json& b) { b["present"] = std::to_string(kEnrolment - 1); });
  with("class_id as text", "class_id", [](json& b) { b["class_id"] = "三年级2班"; });
  with("absent as text", "cases[0].absent", [](json& b) { b["cases"][0]["absent"] = "yes"; });
  with("cases not a list", "cases", [](json& b) { b["cases"] = {{"student_no", "x"}}; });
  with("a missing count", "absent_other", [](json& b) { b.erase("absent_other"); });
  with("unknown sex", "cases[0].sex", [](json& b) { b["cases"][0]["sex"] = "x"; });
  with("an age out of range", "cases[0].age", [](json& b) { b["cases"][0]["age"] = 1; });
  with("onset in the future", "cases[0].onset_at",
       [](json& b) { b["cases"][0]["onset_at"] = "2099-01-01T08:00:00+08:00"; });

  const json before = DayView(today, "noon", doctor_);
  ASSERT_TRUE(ReportsOf(before, klass).empty());
  // Every refusal uses the key the good report uses last: a refused request does not spend it.
  const std::string key = "it-b-key";
  for (const auto& b : bad) {
    auto r = PostCheck(b.body, key, doctor_);
    EXPECT_EQ(r.status, 400) << b.what << ": " << r;
    EXPECT_TRUE(r.IsProblem()) << b.what;
    EXPECT_TRUE(r.NamesField(b.field)) << b.what << " should name " << b.field << ": " << r;
    EXPECT_EQ(DayView(today, "noon", doctor_), before) << b.what;
  }
  auto malformed =
      server().Send({"POST", kChecks, "{\"class_id\": 1,", "application/json", doctor_, {{"Idempotency-Key", key}}});
  EXPECT_EQ(malformed.status, 400) << malformed;
  EXPECT_TRUE(malformed.NamesField("body")) << malformed;
  // A field given twice is ambiguous (which count is meant?): refused, naming it.
  std::string twice = good.dump();
  twice.insert(twice.size() - 1, ",\"present\":0");
  auto repeated = server().Send({"POST", kChecks, twice, "application/json", doctor_, {{"Idempotency-Key", key}}});
  EXPECT_EQ(repeated.status, 400) << repeated;
  EXPECT_TRUE(repeated.NamesField("present")) << repeated;
  EXPECT_EQ(DayView(today, "noon", doctor_), before);

  // Callers who may not report this class.
  const std::vector<std::pair<std::string, std::string>> denied{{"demo-teacher", "the teacher of 一年级1班"},
                                                                {"demo-guard", "a guard"},
                                                                {"demo-county", "a county officer"},
                                                                {"demo-city", "a city officer"}};
  for (const auto& [user, who] : denied) {
    auto r = PostCheck(good, key, server().Token(user));
    EXPECT_EQ(r.status, 403) << who << ": " << r;
    EXPECT_EQ(DayView(today, "noon", doctor_), before) << who;
    // A refused report is a security event: audited before the answer, like every denied write.
    auto audit = server().Get("/api/v1/audit?username=" + user + "&outcome=denied", server().Token("it-auditor"));
    ASSERT_EQ(audit.status, 200) << audit;
    bool recorded = false;
    const json items = audit.Json()["items"];
    for (const auto& item : items)
      recorded |= item["action"] == "http.denied" && item["target"] == std::string("POST ") + kChecks &&
                  item["request_id"] == r.Header("x-request-id");
    EXPECT_TRUE(recorded) << who << ": " << audit;
  }
  auto other_county = PostCheck(good, key, county2_);
  EXPECT_EQ(other_county.status, 400) << "outside its jurisdiction the class does not exist: " << other_county;
  EXPECT_TRUE(other_county.NamesField("class_id")) << other_county;
  EXPECT_EQ(DayView(today, "noon", doctor_), before);
  for (int days : {1, -2}) EXPECT_TRUE(ReportsOf(DayView(ShanghaiDate(days), "noon", doctor_), klass).empty()) << days;
  EXPECT_TRUE(ReportsOf(DayView(today, "evening", doctor_), klass).empty());

  auto ok = PostCheck(good, key, doctor_);
  ASSERT_EQ(ok.status, 201) << ok;
  EXPECT_EQ(ok.Json()["version"], 1);
  EXPECT_EQ(StudentNumbers(ok.Json()), (std::set<std::string>{"it-b-01", "it-b-02"}));
  const auto stored = ReportsOf(DayView(today, "noon", doctor_), klass);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0]["id"], ok.Json()["id"]);
  EXPECT_EQ(stored[0]["absent_ill"], 1);
}

TEST_F(HealthApi, AWarningIsClosedOnlyAfterItsReportIsSubmittedByTheSchool) {
  const std::string today = ShanghaiDate(0);
  auto posted = PostCheck(Report(ClassId("二年级2班"), today, "morning",
                                 {Case("it-t-01", {"fever"}, false), Case("it-t-02", {"cough"}, false),
                                  Case("it-t-03", {"sore_throat", "fever"}, true)}),
                          "it-t-1", doctor_);
  ASSERT_EQ(posted.status, 201) << posted;
  const auto own = OwnWarnings(posted.Json());
  ASSERT_EQ(own.size(), 1u) << posted;
  const int64_t id = own[0];
  const std::string close = "/api/v1/health-warnings/" + std::to_string(id) + "/close";
  const json w = Listed("410105", "open", id, county_);
  ASSERT_TRUE(w.is_object());
  ASSERT_TRUE(w["task"].is_object()) << w;
  const std::string submit =
      "/api/v1/health-report-tasks/" + std::to_string(w["task"]["id"].get<int64_t>()) + "/submit";

  auto early = server().Post(close, {{"note", "已处置"}}, doctor_);
  EXPECT_EQ(early.status, 409) << early;
  const json report{{"summary", "二年级2班3名学生发热咳嗽"}, {"measures", "隔离观察，通知家长，教室消毒"}};
  auto by_county = server().Post(submit, report, county_);
  EXPECT_EQ(by_county.status, 403) << by_county;
  auto by_teacher = server().Post(submit, report, teacher_);
  EXPECT_EQ(by_teacher.status, 403) << by_teacher;
  auto by_other_county = server().Post(submit, report, county2_);
  EXPECT_EQ(by_other_county.status, 404) << by_other_county;
  auto empty = server().Post(submit, {{"summary", "x"}}, doctor_);
  EXPECT_EQ(empty.status, 400) << empty;
  EXPECT_TRUE(empty.NamesField("measures")) << empty;
  EXPECT_EQ(Listed("410105", "open", id, county_)["task"]["status"], "pending");

  auto submitted = server().Post(submit, report, doctor_);
  ASSERT_EQ(submitted.status, 200) << submitted;
  EXPECT_EQ(submitted.Json()["status"], "submitted");
  EXPECT_EQ(submitted.Json()["summary"], report["summary"]);
  EXPECT_EQ(submitted.Json()["measures"], report["measures"]);
  EXPECT_EQ(submitted.Json()["submitted_by"], "demo-doctor");
  EXPECT_GT(EpochOf(submitted.Json()["submitted_at"]), 0) << submitted;
  auto twice = server().Post(submit, report, doctor_);
  EXPECT_EQ(twice.status, 409) << twice;

  auto by_county_close = server().Post(close, {{"note", "已处置"}}, county_);
  EXPECT_EQ(by_county_close.status, 403) << by_county_close;
  auto no_note = server().Post(close, json::object(), doctor_);
  EXPECT_EQ(no_note.status, 400) << no_note;
  EXPECT_TRUE(no_note.NamesField("note")) << no_note;
  EXPECT_EQ(Listed("410105", "open", id, county_)["status"], "open");

  auto closed = server().Post(close, {{"note", "3名学生均已康复返校"}}, doctor_);
  ASSERT_EQ(closed.status, 200) << closed;
  EXPECT_EQ(closed.Json()["status"], "closed");
  EXPECT_GT(EpochOf(closed.Json()["closed_at"]), 0) << closed;
  EXPECT_EQ(closed.Json()["task"]["status"], "submitted");
  auto again = server().Post(close, {{"note", "再次关闭"}}, doctor_);
  EXPECT_EQ(again.status, 409) << again;

  EXPECT_TRUE(Listed("410105", "open", id, county_).is_null()) << "a closed warning leaves the open list";
  const json listed = Listed("410105", "closed", id, county_);
  ASSERT_TRUE(listed.is_object());
  EXPECT_EQ(listed["status"], "closed");
  EXPECT_TRUE(Listed("410105", "all", id, county_).is_object());
  auto bad_status = server().Get("/api/v1/health-warnings?org=410105&status=done", county_);
  EXPECT_EQ(bad_status.status, 400) << bad_status;
  EXPECT_TRUE(bad_status.NamesField("status")) << bad_status;
}

TEST_F(HealthApi, ANotifiableDiagnosisOpensAWarningToReportImmediately) {
  const std::string today = ShanghaiDate(0);
  json varicella = Case("it-f-01", {"fever", "rash"}, true);
  varicella["diagnosis"] = "水痘";
  varicella["doctor_visit"] = true;
  json suspected = Case("it-f-02", {"rash"}, false);
  suspected["suspected_notifiable"] = true;
  auto posted = PostCheck(Report(ClassId("二年级1班"), today, "morning", {varicella, suspected}), "it-f-1", doctor_);
  ASSERT_EQ(posted.status, 201) << posted;
  const auto own = OwnWarnings(posted.Json());
  ASSERT_EQ(own.size(), 2u) << "one for 水痘, one for the suspected case: " << posted;

  std::map<std::string, json> by_group;
  for (int64_t id : own) {
    const json w = Listed("410105", "open", id, county_);
    ASSERT_TRUE(w.is_object()) << id;
    by_group[w["group"].get<std::string>()] = w;
  }
  // The clock's second once the warnings were read: a task due at once shows as overdue as soon
  // as a second has passed since it opened.
  const int64_t read_by =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  ASSERT_TRUE(by_group.contains("水痘"));
  ASSERT_TRUE(by_group.contains("suspected"));
  const json w = by_group["水痘"];
  EXPECT_EQ(w["rule"], "notifiable");
  EXPECT_EQ(w["rule_name"], "法定传染病病例：水痘");
  EXPECT_EQ(w["unit_name"], "二年级1班");
  EXPECT_EQ(w["cases"], 1);
  EXPECT_EQ(w["task"]["immediate"], true);
  // Pending while its second lasts (read within it, it cannot be overdue), overdue after.
  if (read_by <= EpochOf(w["task"]["due_at"]))
    EXPECT_EQ(w["task"]["status"], "pending") << w;
  else
    EXPECT_TRUE(w["task"]["status"] == "pending" || w["task"]["status"] == "overdue") << w;
  const int64_t lag = EpochOf(w["task"]["due_at"]) - EpochOf(w["opened_at"]);
  EXPECT_GE(lag, 0) << w;
  EXPECT_LE(lag, 1) << "due at once: " << w;
  EXPECT_NE(w["task"]["draft"].get<std::string>().find("立即"), std::string::npos) << w;
  EXPECT_EQ(by_group["suspected"]["rule"], "notifiable");
  EXPECT_EQ(by_group["suspected"]["rule_name"], "疑似法定传染病病例");
  EXPECT_EQ(by_group["suspected"]["task"]["immediate"], true);
}

TEST_F(HealthApi, ThePrincipalManagesClassesAndDormitoriesAndEveningChecksFollowThem) {
  const std::string base = "/api/v1/schools/9410105001/classes";
  const json klass{{"grade", 3}, {"name", "集成测试寄宿1班"}, {"enrolment", 30}, {"boarding", true}};
  auto by_teacher = server().Post(base, klass, teacher_);
  EXPECT_EQ(by_teacher.status, 403) << by_teacher;
  auto by_county = server().Post(base, klass, county_);
  EXPECT_EQ(by_county.status, 403) << by_county;
  auto by_other_county = server().Post(base, klass, county2_);
  EXPECT_EQ(by_other_county.status, 404) << by_other_county;
  auto invalid = server().Post(base, {{"grade", 13}, {"name", ""}, {"enrolment", 30}}, principal_);
  EXPECT_EQ(invalid.status, 400) << invalid;
  EXPECT_TRUE(invalid.NamesField("grade")) << invalid;
  EXPECT_TRUE(invalid.NamesField("name")) << invalid;

  auto created = server().Post(base, klass, principal_);
  ASSERT_EQ(created.status, 201) << created;
  const json k = created.Json();
  EXPECT_EQ(k["name"], "集成测试寄宿1班");
  EXPECT_EQ(k["grade"], 3);
  EXPECT_EQ(k["enrolment"], 30);
  EXPECT_EQ(k["boarding"], true);
  EXPECT_EQ(k["active"], true);
  const int64_t id = k["id"];
  auto duplicate = server().Post(base, {{"grade", 4}, {"name", "集成测试寄宿1班"}, {"enrolment", 20}}, principal_);
  EXPECT_EQ(duplicate.status, 409) << duplicate;
  EXPECT_TRUE(duplicate.NamesField("name")) << duplicate;

  auto patched = server().Patch(base + "/" + std::to_string(id), {{"enrolment", 32}}, principal_);
  ASSERT_EQ(patched.status, 200) << patched;
  EXPECT_EQ(patched.Json()["enrolment"], 32);
  EXPECT_EQ(patched.Json()["name"], "集成测试寄宿1班");
  auto patch_by_teacher = server().Patch(base + "/" + std::to_string(id), {{"enrolment", 31}}, teacher_);
  EXPECT_EQ(patch_by_teacher.status, 403) << patch_by_teacher;
  auto list = server().Get(base, teacher_);
  ASSERT_EQ(list.status, 200) << list;
  json listed;
  const json items = list.Json()["items"];
  for (const auto& x : items)
    if (x["id"] == id) listed = x;
  EXPECT_EQ(listed, patched.Json());

  const std::string dorms = "/api/v1/schools/9410105001/dormitories";
  auto dorm_by_teacher = server().Post(dorms, {{"name", "集成测试1号楼"}, {"beds", 120}}, teacher_);
  EXPECT_EQ(dorm_by_teacher.status, 403) << dorm_by_teacher;
  auto dorm = server().Post(dorms, {{"name", "集成测试1号楼"}, {"beds", 120}}, principal_);
  ASSERT_EQ(dorm.status, 201) << dorm;
  EXPECT_EQ(dorm.Json()["name"], "集成测试1号楼");
  EXPECT_EQ(dorm.Json()["beds"], 120);
  const int64_t dorm_id = dorm.Json()["id"];
  auto dorm_again = server().Post(dorms, {{"name", "集成测试1号楼"}}, principal_);
  EXPECT_EQ(dorm_again.status, 409) << dorm_again;
  auto dorm_list = server().Get(dorms, doctor_);
  ASSERT_EQ(dorm_list.status, 200) << dorm_list;
  EXPECT_EQ(dorm_list.Json()["items"], json::array({dorm.Json()}));
  EXPECT_EQ(server().Get(dorms, county2_).status, 404);

  // The boarding class reports in the evening, with its new enrolment and its dormitory.
  const std::string today = ShanghaiDate(0);
  json c = Case("it-e-01", {"vomiting"}, false);
  c["dormitory_id"] = dorm_id;
  json evening{{"class_id", id}, {"date", today},   {"session", "evening"}, {"enrolled", 30},
               {"present", 30},  {"absent_ill", 0}, {"absent_other", 0},    {"cases", json::array({c})}};
  auto stale = PostCheck(evening, "it-e-1", principal_);
  EXPECT_EQ(stale.status, 400) << stale;
  EXPECT_TRUE(stale.NamesField("enrolled")) << stale;
  evening["enrolled"] = 32;
  evening["present"] = 32;
  evening["cases"][0]["dormitory_id"] = dorm_id + 1000;
  auto no_dorm = PostCheck(evening, "it-e-1", principal_);
  EXPECT_EQ(no_dorm.status, 400) << no_dorm;
  EXPECT_TRUE(no_dorm.NamesField("cases[0].dormitory_id")) << no_dorm;
  evening["cases"][0]["dormitory_id"] = dorm_id;
  auto ok = PostCheck(evening, "it-e-1", principal_);
  ASSERT_EQ(ok.status, 201) << ok;
  EXPECT_EQ(ok.Json()["session"], "evening");
  EXPECT_EQ(ok.Json()["cases"][0]["dormitory_id"], dorm_id);
  const json view = DayView(today, "evening", doctor_);
  ASSERT_EQ(ReportsOf(view, id).size(), 1u) << view;
  EXPECT_TRUE(view["missing"].empty()) << "only boarding classes are expected in the evening: " << view;
}

}  // namespace
}  // namespace xiaoan::it
