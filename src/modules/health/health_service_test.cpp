#include "modules/health/health_service.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "modules/org/org_service.hpp"
#include "platform/db/test_db.hpp"
#include "xiaoan_audit_sql.hpp"
#include "xiaoan_health_sql.hpp"

namespace xiaoan::health {
namespace {

class StepClock final : public Clock {
 public:
  TimePoint Now() const override { return now.load(); }
  std::atomic<TimePoint> now{*ParseRfc3339("2026-11-30T08:10:00+08:00")};  // a Monday morning
};

Principal At(const std::string& code, const std::string& path, Role role, std::vector<std::string> classes = {}) {
  Principal p;
  p.user_id = 9;
  p.username = std::string(RoleName(role));
  p.role = role;
  p.org_code = code;
  p.org_path = path;
  p.classes = std::move(classes);
  return p;
}

const std::string kSchool = "9410105001";
const std::string kPath = "/410000/410100/410105/9410105001/";
const Principal kTeacher = At(kSchool, kPath, Role::kClassTeacher, {"一年级1班"});
const Principal kDoctor = At(kSchool, kPath, Role::kSchoolDoctor);
const Principal kCounty = At("410105", "/410000/410100/410105/", Role::kBureauSafetyOfficer);
const Principal kOtherCounty = At("410302", "/410000/410300/410302/", Role::kBureauSafetyOfficer);
const audit::Actor kActor{9, "tester", "class_teacher", kSchool, "req"};

CaseRecord Ill(const std::string& no, std::vector<Symptom> s, bool absent = true) {
  CaseRecord c;
  c.student_no = no;
  c.name = "学生" + no;
  c.sex = "male";
  c.age = 7;
  c.symptoms = std::move(s);
  c.absent = absent;
  return c;
}

class HealthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(org_.SeedDivisions());
    ASSERT_TRUE(org_.SeedDemoSchools());
    auto classes = service_.SeedDemo();
    ASSERT_TRUE(classes);
    ASSERT_GT(*classes, 10000);
    auto list = service_.Classes(kTeacher, kSchool);
    ASSERT_TRUE(list);
    for (const auto& k : *list) ids_[k.name] = k;
  }
  CheckInput Report(const std::string& cls, std::vector<CaseRecord> cases, const std::string& key,
                    const std::string& date = "2026-11-30", const std::string& session = "morning") {
    CheckInput in;
    const auto& k = ids_.at(cls);
    in.class_id = k.id;
    in.date = date;
    in.session = session;
    in.enrolled = k.enrolment;
    in.absent_ill = static_cast<int64_t>(std::count_if(cases.begin(), cases.end(), [](auto& c) { return c.absent; }));
    in.present = k.enrolment - in.absent_ill;
    in.cases = std::move(cases);
    in.idempotency_key = key;
    return in;
  }
  int64_t OpenWarnings(const Principal& p, const std::string& org) {
    auto w = service_.Warnings(p, org, "open", 100, 0);
    EXPECT_TRUE(w) << (w ? "" : w.error().message);
    return w ? w->second : -1;
  }
  // SQLite's plan for `q` with `args`, one step per line.
  std::string PlanOf(const db::Sql& q, std::vector<db::Value> args) {
    std::string plan;
    EXPECT_TRUE(db_->Read([&](db::Connection& c) -> Status {
      auto rows = c.Query(db::Explained("EXPLAIN QUERY PLAN ", q), args);
      if (!rows) return Fail(rows.error());
      for (const auto& r : *rows) plan += r.Text(3) + "\n";
      return {};
    }));
    return plan;
  }

  db::TestDb db_;
  StepClock clock_;
  audit::AuditLog audit_{"sha256", clock_};
  org::OrgService org_{*db_, audit_, clock_};
  HealthService service_{*db_, audit_, clock_, *crypto::FieldCipher::FromHex(std::string(64, '7'), "k")};
  std::map<std::string, SchoolClass> ids_;
};

// The canonical text of a request is what its stored fingerprint was made from: it must stay, byte
// for byte, the dump of the JSON array it has always been (written without building that value).
TEST(CanonicalRequest, IsTheDumpOfTheRequestAsAJsonArrayByteForByte) {
  const auto reference = [](const CheckInput& in) {
    nlohmann::json cases = nlohmann::json::array();
    for (const auto& c : in.cases) {
      nlohmann::json symptoms = nlohmann::json::array();
      for (const Symptom x : c.symptoms) symptoms.push_back(SymptomName(x));
      cases.push_back({c.student_no, c.name.value_or(""), c.sex, c.age, c.dormitory_id ? *c.dormitory_id : -1, symptoms,
                       c.onset_at.value_or(""), c.absent, c.doctor_visit, c.diagnosis.value_or(""),
                       c.suspected_notifiable});
    }
    return nlohmann::json{in.class_id, in.date,       in.session,      in.enrolled,
                          in.present,  in.absent_ill, in.absent_other, cases}
        .dump();
  };
  CheckInput zero{41, "2026-11-30", "morning", 44, 43, 0, 1, {}, "key"};
  EXPECT_EQ(CanonicalRequest(zero), R"([41,"2026-11-30","morning",44,43,0,1,[]])");
  EXPECT_EQ(CanonicalRequest(zero), reference(zero));
  CheckInput ill = zero;
  ill.absent_ill = 2;
  ill.present = 41;
  CaseRecord a;
  a.student_no = "2026-\"07\"\\x";  // quotes and a backslash are escaped alike
  a.name = "张小明\n";
  a.sex = "female";
  a.age = 9;
  a.dormitory_id = 3;
  a.symptoms = {Symptom::kFever, Symptom::kCough, Symptom::kRash};
  a.onset_at = "2026-11-30T07:10:00+08:00";
  a.absent = true;
  a.diagnosis = "流感";
  a.suspected_notifiable = true;
  CaseRecord b;
  b.student_no = "8";
  b.sex = "male";
  b.age = 12;
  b.absent = true;
  b.doctor_visit = true;
  ill.cases = {a, b};
  EXPECT_EQ(CanonicalRequest(ill), reference(ill));
  EXPECT_NE(CanonicalRequest(ill).find(R"("fever","cough","rash"])"), std::string::npos);
  // Every field counts: changing any one changes the text.
  for (int field = 0; field < 8; ++field) {
    CheckInput other = ill;
    switch (field) {
      case 0:
        other.class_id = 42;
        break;
      case 1:
        other.session = "noon";
        break;
      case 2:
        other.cases[0].dormitory_id.reset();
        break;
      case 3:
        other.cases[0].symptoms.pop_back();
        break;
      case 4:
        other.cases[1].doctor_visit = false;
        break;
      case 5:
        other.cases[0].name.reset();
        break;
      case 6:
        other.cases[1].diagnosis = "x";
        break;
      case 7:
        other.absent_other = 2;
        break;
    }
    EXPECT_NE(CanonicalRequest(other), CanonicalRequest(ill)) << field;
    EXPECT_EQ(CanonicalRequest(other), reference(other)) << field;
  }
}

TEST_F(HealthServiceTest, TheThirdFeverCaseOfTheDayOpensOneWarningWithAReportTaskAndTheFourthJoinsIt) {
  auto first = service_.Submit(kTeacher, kActor,
                               Report("一年级1班", {Ill("S1", {Symptom::kFever}), Ill("S2", {Symptom::kCough})}, "k1"));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->warnings.empty());
  EXPECT_EQ(OpenWarnings(kCounty, "410105"), 0);
  // The noon check adds a third similar case on the same day.
  auto noon = service_.Submit(
      kTeacher, kActor, Report("一年级1班", {Ill("S3", {Symptom::kSoreThroat}, false)}, "k2", "2026-11-30", "noon"));
  ASSERT_TRUE(noon) << noon.error().message;
  ASSERT_EQ(noon->warnings.size(), 1u);
  auto w = service_.GetWarning(kDoctor, kActor, noon->warnings[0]);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->rule, "cluster_1d");
  EXPECT_EQ(w->group, "fever_respiratory");
  EXPECT_EQ(w->unit_name, "一年级1班");
  EXPECT_EQ(w->cases, 3);
  ASSERT_TRUE(w->task);
  EXPECT_EQ(w->task->due_at, "2026-12-01T08:10:00+08:00");
  EXPECT_FALSE(w->task->immediate);
  EXPECT_NE(w->task->draft.find("一年级1班"), std::string::npos);
  EXPECT_EQ(OpenWarnings(kCounty, "410105"), 1);
  EXPECT_EQ(service_.Warnings(kCounty, "410000", "open", 10, 0).error().code, ErrorCode::kNotFound);
  auto board = service_.DayReports(kDoctor, kActor, kSchool, *ParseDay("2026-11-30"), "noon");
  ASSERT_TRUE(board);
  EXPECT_EQ(board->reports.at(0).warnings, noon->warnings);  // the board shows what the report raised
  auto retried = service_.Submit(
      kTeacher, kActor, Report("一年级1班", {Ill("S3", {Symptom::kSoreThroat}, false)}, "k2", "2026-11-30", "noon"));
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(retried->warnings, noon->warnings);  // and so does a retry's answer
  // The noon report corrected with a fourth case joins the open warning instead of opening a second.
  auto more =
      service_.Submit(kDoctor, kActor,
                      Report("一年级1班", {Ill("S3", {Symptom::kSoreThroat}, false), Ill("S4", {Symptom::kFever})},
                             "k3", "2026-11-30", "noon"));
  ASSERT_TRUE(more) << more.error().message;
  EXPECT_EQ(OpenWarnings(kCounty, "410105"), 1);
  EXPECT_EQ(service_.GetWarning(kDoctor, kActor, noon->warnings[0])->cases, 4);
}

TEST_F(HealthServiceTest, ARetryWithTheSameKeyWritesNothingAndAnswersTheFirstResult) {
  const auto in = Report("一年级1班", {Ill("S1", {Symptom::kFever})}, "same-key");
  auto a = service_.Submit(kTeacher, kActor, in);
  auto b = service_.Submit(kTeacher, kActor, in);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(b->version, 1);
  EXPECT_EQ(b->cases.size(), 1u);
  EXPECT_EQ(b->enrolled, a->enrolled);
  auto day = service_.DayReports(kDoctor, kActor, kSchool, *ParseDay("2026-11-30"), "morning");
  ASSERT_TRUE(day);
  EXPECT_EQ(day->reports.size(), 1u);
}

TEST_F(HealthServiceTest, AKeyUsedAgainForADifferentReportIsRefusedAndWritesNothing) {
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {}, "key-1")));
  // The same key with a case added, and with only a name changed: both are another report.
  auto changed = service_.Submit(kTeacher, kActor, Report("一年级1班", {Ill("S1", {Symptom::kFever})}, "key-1"));
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().reason, "idempotency_key_reused");
  EXPECT_EQ(changed.error().fields.at(0).field, "Idempotency-Key");
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {Ill("S2", {Symptom::kFever})}, "key-2")));
  auto renamed = Report("一年级1班", {Ill("S2", {Symptom::kFever})}, "key-2");
  renamed.cases[0].name = "另一个名字";
  EXPECT_EQ(service_.Submit(kTeacher, kActor, renamed).error().reason, "idempotency_key_reused");
  auto day = service_.DayReports(kDoctor, kActor, kSchool, *ParseDay("2026-11-30"), "morning");
  ASSERT_EQ(day->reports.size(), 1u);
  EXPECT_EQ(day->reports[0].version, 2);  // key-1 then key-2; the refused requests wrote nothing
  EXPECT_EQ(day->reports[0].cases.at(0).name, "学生S2");
}

TEST_F(HealthServiceTest, ACorrectionThatTakesCasesBackRecountsTheWarningAndWithdrawsItWhenNoneIsLeft) {
  auto three = service_.Submit(
      kTeacher, kActor,
      Report("一年级1班", {Ill("W1", {Symptom::kFever}), Ill("W2", {Symptom::kFever}), Ill("W3", {Symptom::kCough})},
             "w1"));
  ASSERT_TRUE(three) << three.error().message;
  ASSERT_EQ(three->warnings.size(), 1u);
  const int64_t id = three->warnings[0];
  EXPECT_EQ(service_.GetWarning(kDoctor, kActor, id)->cases, 3);
  // W3 was a mistake: two cases are left, the warning shows two.
  auto two = service_.Submit(kTeacher, kActor,
                             Report("一年级1班", {Ill("W1", {Symptom::kFever}), Ill("W2", {Symptom::kFever})}, "w2"));
  ASSERT_TRUE(two) << two.error().message;
  auto w = service_.GetWarning(kDoctor, kActor, id);
  EXPECT_EQ(w->cases, 2);
  EXPECT_EQ(w->case_ids.size(), 2u);
  EXPECT_EQ(w->status, "open");
  // A symptom changed to one outside the group counts no longer either.
  auto other = service_.Submit(kTeacher, kActor,
                               Report("一年级1班", {Ill("W1", {Symptom::kFever}), Ill("W2", {Symptom::kRash})}, "w3"));
  ASSERT_TRUE(other);
  EXPECT_EQ(service_.GetWarning(kDoctor, kActor, id)->cases, 1);
  // A zero report: nobody was ill; the warning is withdrawn, and its overdue task never escalates.
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {}, "w4")));
  w = service_.GetWarning(kDoctor, kActor, id);
  EXPECT_EQ(w->status, "closed");
  EXPECT_EQ(w->cases, 0);
  EXPECT_EQ(OpenWarnings(kCounty, "410105"), 0);
  clock_.now = clock_.now.load() + std::chrono::hours(25);
  EXPECT_EQ(*service_.EscalateOverdue(), 0);
}

TEST_F(HealthServiceTest, ACorrectionReplacesTheCasesItCorrects) {
  // Two noon cases, then the noon report corrected to one: the class has two current cases, not three.
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {Ill("S1", {Symptom::kFever})}, "r1")));
  ASSERT_TRUE(service_.Submit(kTeacher, kActor,
                              Report("一年级1班", {Ill("S2", {Symptom::kFever})}, "r2", "2026-11-30", "noon")));
  auto fixed = service_.Submit(kTeacher, kActor,
                               Report("一年级1班", {Ill("S3", {Symptom::kFever})}, "r3", "2026-11-30", "noon"));
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->version, 2);
  EXPECT_TRUE(fixed->warnings.empty());
  EXPECT_EQ(OpenWarnings(kCounty, "410105"), 0);
}

TEST_F(HealthServiceTest, ACorrectionIsANewVersionWithinTheWindowOnly) {
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {}, "v1")));
  auto v2 = service_.Submit(kTeacher, kActor, Report("一年级1班", {Ill("S1", {Symptom::kRash})}, "v2"));
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->version, 2);
  auto day = service_.DayReports(kDoctor, kActor, kSchool, *ParseDay("2026-11-30"), "morning");
  ASSERT_EQ(day->reports.size(), 1u);  // only the version in force
  EXPECT_EQ(day->reports[0].version, 2);
  EXPECT_EQ(day->reports[0].absent_ill, 1);
  // The window runs from the first version, whichever version is in force: a correction 20 hours
  // on is taken, and one 25 hours after the first is not, though only 5 after the last.
  clock_.now = clock_.now.load() + std::chrono::hours(20);
  auto v3 = service_.Submit(kTeacher, kActor, Report("一年级1班", {}, "v3"));
  ASSERT_TRUE(v3) << v3.error().message;
  EXPECT_EQ(v3->version, 3);
  // Every version carries the first version's time, as text, whatever the slot's row keeps.
  static constexpr db::Sql kFirstAt{
      "first_at", "SELECT count(*), count(DISTINCT first_at), min(first_at), min(submitted_at) FROM health_reports"};
  const auto first_at = db_->Read([&](db::Connection& c) -> Status {
    auto row = c.QueryOne(kFirstAt, {});
    if (!row) return Fail(row.error());
    EXPECT_EQ((**row).Int(0), 3);
    EXPECT_EQ((**row).Int(1), 1);
    EXPECT_EQ((**row).Text(2), (**row).Text(3));
    return {};
  });
  ASSERT_TRUE(first_at) << first_at.error().message;
  clock_.now = clock_.now.load() + std::chrono::hours(5);
  auto late = service_.Submit(kTeacher, kActor, Report("一年级1班", {}, "v4"));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().reason, "correction_window_closed");
}

// Versions are only added: a correction leaves every stored version as it was, and the day and
// completeness read the highest version of each class as the one in force.
TEST_F(HealthServiceTest, CorrectionsAddVersionsAndLeaveTheStoredOnesAsTheyWere) {
  static constexpr db::Sql kVersions{
      "versions",
      "SELECT id, version, enrolled, present, absent_ill, cases, submitted_at, result FROM health_reports "
      "ORDER BY id"};
  const auto versions = [&] {
    std::vector<std::string> got;
    EXPECT_TRUE(db_->Read([&](db::Connection& c) -> Status {
      auto rows = c.Query(kVersions, {});
      if (!rows) return Fail(rows.error());
      for (const auto& r : *rows) {
        std::string line;
        for (size_t i = 0; i < 8; ++i) line += r.Text(i) + "|";
        got.push_back(line);
      }
      return {};
    }));
    return got;
  };
  const auto reported = [&] {
    auto c = service_.GetCompleteness(kCounty, "410105", *ParseDay("2026-11-30"), "morning");
    EXPECT_TRUE(c) << c.error().message;
    for (const auto& child : c->children)
      if (child.code == kSchool) return std::tuple{child.reported, child.absent_ill, child.cases};
    return std::tuple<int64_t, int64_t, int64_t>{-1, -1, -1};
  };
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {}, "a1")));
  EXPECT_EQ(reported(), (std::tuple<int64_t, int64_t, int64_t>{1, 0, 0}));
  const auto first = versions();
  ASSERT_EQ(first.size(), 1u);
  auto v2 = service_.Submit(kTeacher, kActor, Report("一年级1班", {Ill("S1", {Symptom::kFever})}, "a2"));
  ASSERT_TRUE(v2) << v2.error().message;
  auto after = versions();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0], first[0]) << "the first version is kept as it was";
  EXPECT_EQ(reported(), (std::tuple<int64_t, int64_t, int64_t>{1, 1, 1})) << "one class, with version 2's figures";
  const auto second = after;
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {}, "a3")));
  after = versions();
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(after.begin(), after.begin() + 2), second);
  EXPECT_EQ(reported(), (std::tuple<int64_t, int64_t, int64_t>{1, 0, 0}));
  auto day = service_.DayReports(kDoctor, kActor, kSchool, *ParseDay("2026-11-30"), "morning");
  ASSERT_TRUE(day);
  ASSERT_EQ(day->reports.size(), 1u);
  EXPECT_EQ(day->reports[0].version, 3);
}

TEST_F(HealthServiceTest, EachCorrectionFindsTheVersionInForceByItsSlotsRowAlone) {
  for (int v = 1; v <= 6; ++v) {
    auto r = service_.Submit(kTeacher, kActor, Report("一年级1班", {}, "c" + std::to_string(v)));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->version, v);
  }
  auto day = service_.DayReports(kDoctor, kActor, kSchool, *ParseDay("2026-11-30"), "morning");
  ASSERT_EQ(day->reports.size(), 1u);
  EXPECT_EQ(day->reports[0].version, 6);
  // Every version is kept; the slot has one row, naming the sixth.
  static constexpr db::Sql kKept{
      "kept",
      "SELECT (SELECT count(*) FROM health_reports WHERE class_id = $1 AND day = '2026-11-30' AND session = "
      "'morning'), (SELECT count(*) FROM health_report_slots WHERE class_id = $1), (SELECT r.version FROM "
      "health_report_slots s JOIN health_reports r ON r.id = s.report_id WHERE s.class_id = $1)"};
  const auto kept = db_->Read([&](db::Connection& c) -> Status {
    auto row = c.QueryOne(kKept, {ids_.at("一年级1班").id});
    if (!row) return Fail(row.error());
    EXPECT_EQ((**row).Int(0), 6);
    EXPECT_EQ((**row).Int(1), 1);
    EXPECT_EQ((**row).Int(2), 6);
    return {};
  });
  ASSERT_TRUE(kept) << kept.error().message;
  // The class, the key's report and the slot's row each by its key: no scan, no sort, and no
  // report version read.
  const std::string plan = PlanOf(sql::kSubmitContext, {ids_.at("一年级1班").id, "k", "2026-11-30", "morning"});
  EXPECT_NE(plan.find("SEARCH s USING PRIMARY KEY (school_code=? AND day=? AND session=? AND class_id=?)"),
            std::string::npos)
      << plan;
  EXPECT_NE(plan.find("SEARCH k USING INDEX health_reports_idempotency (school_code=? AND idempotency_key=?)"),
            std::string::npos)
      << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("MATERIALIZE"), std::string::npos) << plan;
}

// A slot's row moves only from the version a correction replaces: a version skipped or written
// twice changes nothing, and the writer refuses such a report rather than store it.
TEST_F(HealthServiceTest, ASlotsRowMovesOnlyFromTheVersionReplaced) {
  auto first = service_.Submit(kTeacher, kActor, Report("一年级1班", {}, "s1"));
  ASSERT_TRUE(first) << first.error().message;
  const int64_t class_id = ids_.at("一年级1班").id;
  int64_t skipped = -1, again = -1;
  ASSERT_TRUE(db_->Write([&](db::Connection& c) -> Status {
    const auto upsert = [&](int64_t version) {
      return c.Execute(sql::kUpsertSlot,
                       db::ParamsOf(std::string(kSchool), std::string("2026-11-30"), std::string("morning"), class_id,
                                    first->id, version, int64_t{0}, int64_t{0}, int64_t{0}));
    };
    auto s = upsert(3);
    if (!s) return Fail(s.error());
    skipped = *s;
    auto a = upsert(1);
    if (!a) return Fail(a.error());
    again = *a;
    return {};
  }));
  EXPECT_EQ(skipped, 0);
  EXPECT_EQ(again, 0);
  auto second = service_.Submit(kTeacher, kActor, Report("一年级1班", {}, "s2"));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->version, 2);
}

// SQLite tests `x IN (three or more constants)` with a temporary B-tree of the constants, built
// and dropped on every run of the statement, and a CHECK is tested on every row inserted: that cost
// a class report about a quarter of its work in the writer until migration 0016 (decision 0023).
// None of the statements a zero report runs in the writer opens one.
TEST_F(HealthServiceTest, TheStatementsOfAReportOpenNoTemporaryBtree) {
  const auto opcodes = [&](const db::Sql& q, size_t params) {
    std::vector<std::string> ops;
    EXPECT_TRUE(db_->Read([&](db::Connection& c) -> Status {
      auto rows = c.Query(db::Explained("EXPLAIN ", q), std::vector<db::Value>(params, nullptr));
      if (!rows) return Fail(rows.error());
      for (const auto& r : *rows) ops.push_back(r.Text(1));
      return {};
    }));
    return ops;
  };
  for (const auto& [q, params] : std::vector<std::pair<db::Sql, size_t>>{
           {sql::kSubmitContext, 4}, {sql::kInsertReport, 18}, {audit::sql::kInsertRecord, 14}}) {
    const auto ops = opcodes(q, params);
    EXPECT_GT(ops.size(), 5u) << q.name;
    EXPECT_EQ(std::count(ops.begin(), ops.end(), "OpenEphemeral"), 0) << q.name;
  }
  // The table's CHECK still refuses what it refused.
  static constexpr db::Sql kBadSession{
      "bad_session",
      "INSERT INTO health_reports (school_code, path, class_id, day, session, version, enrolled, present, absent_ill, "
      "absent_other, cases, late, submitted_by, submitted_at, idempotency_key) "
      "SELECT school_code, '/x/', id, '2026-11-30', 'night', 1, 1, 1, 0, 0, 0, 0, 'u', 't', 'bad' FROM health_classes "
      "LIMIT 1"};
  const auto refused = db_->Write([](db::Connection& c) -> Status {
    auto r = c.Execute(kBadSession, {});
    if (!r) return Fail(r.error());
    return {};
  });
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("CHECK"), std::string::npos) << refused.error().message;
}

// A school's day, its missing classes and the completeness of a jurisdiction reach the reports
// through the slots' rows, by their key: no scan. The day reads the version in force of each slot
// by its id; missing classes and completeness read no report version at all.
TEST_F(HealthServiceTest, TheDayMissingClassesAndCompletenessReadTheSlotsByTheirKey) {
  const std::string day = PlanOf(sql::kDayReports, {kSchool, "2026-11-30", "morning"});
  EXPECT_NE(day.find("SEARCH s USING PRIMARY KEY (school_code=? AND day=? AND session=?)"), std::string::npos) << day;
  EXPECT_NE(day.find("SEARCH r USING INTEGER PRIMARY KEY (rowid=?)"), std::string::npos) << day;
  const std::string missing = PlanOf(sql::kMissingClasses, {kSchool, "2026-11-30", "morning"});
  EXPECT_NE(missing.find("SEARCH s USING PRIMARY KEY (school_code=? AND day=? AND session=? AND class_id=?)"),
            std::string::npos)
      << missing;
  const Scope county = Scope::ForPath(kCounty.org_path);
  const std::string complete =
      PlanOf(sql::kCompletenessReported, {county.lower(), county.upper(), "2026-11-30", "morning"});
  EXPECT_NE(complete.find("SEARCH u USING INDEX org_units_level_path (level=? AND path>? AND path<?)"),
            std::string::npos)
      << complete;
  EXPECT_NE(complete.find("SEARCH s USING PRIMARY KEY (school_code=? AND day=? AND session=?)"), std::string::npos)
      << complete;
  // The classes expected: counted per school from an index holding every column read (0018).
  const std::string expected = PlanOf(sql::kCompletenessExpected, {county.lower(), county.upper(), "morning"});
  EXPECT_NE(expected.find("SEARCH c USING COVERING INDEX health_classes_school_active (school_code=? AND active=?)"),
            std::string::npos)
      << expected;
  for (const auto& plan : {missing, complete}) EXPECT_EQ(plan.find(" r "), std::string::npos) << plan;
  for (const auto& plan : {day, missing, complete, expected}) EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
}

TEST_F(HealthServiceTest, BadReportsAreRefusedNamingTheFieldAndWriteNothing) {
  auto in = Report("一年级1班", {Ill("S1", {Symptom::kFever})}, "bad1");
  in.present += 1;  // counts do not add up
  EXPECT_EQ(service_.Submit(kTeacher, kActor, in).error().fields.at(0).field, "enrolled");
  in = Report("一年级1班", {Ill("S1", {Symptom::kFever}), Ill("S1", {Symptom::kCough})}, "bad2");
  EXPECT_EQ(service_.Submit(kTeacher, kActor, in).error().fields.at(0).field, "cases[1].student_no");
  in = Report("一年级1班", {}, "bad3", "2026-12-01");
  EXPECT_EQ(service_.Submit(kTeacher, kActor, in).error().fields.at(0).field, "date");
  in = Report("一年级1班", {}, "bad4", "2026-11-30", "evening");
  EXPECT_EQ(service_.Submit(kTeacher, kActor, in).error().fields.at(0).field, "session");
  in = Report("一年级1班", {}, "bad5");
  in.enrolled = in.present = 1;
  EXPECT_EQ(service_.Submit(kTeacher, kActor, in).error().fields.at(0).field, "enrolled");
  // Another class's teacher, a county officer and another county cannot report for this class.
  EXPECT_EQ(service_.Submit(kTeacher, kActor, Report("一年级2班", {}, "x1")).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.Submit(kCounty, kActor, Report("一年级1班", {}, "x2")).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.Submit(kOtherCounty, kActor, Report("一年级1班", {}, "x3")).error().fields.at(0).field,
            "class_id");
  auto day = service_.DayReports(kDoctor, kActor, kSchool, *ParseDay("2026-11-30"), "morning");
  EXPECT_TRUE(day->reports.empty());
}

TEST_F(HealthServiceTest, NamesAreEncryptedAtRestAndShownOnlyToTheSchoolWithTheReadAudited) {
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {Ill("S1", {Symptom::kFever})}, "n1")));
  db_->Shutdown();  // everything committed and checkpointed as far as it goes
  std::ifstream raw(db_.path(), std::ios::binary);
  std::stringstream bytes;
  bytes << raw.rdbuf();
  std::ifstream wal(db_.path() + "-wal", std::ios::binary);
  bytes << wal.rdbuf();
  EXPECT_EQ(bytes.str().find("学生S1"), std::string::npos);
}

TEST_F(HealthServiceTest, TheCountySeesCountsButNoNames) {
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {Ill("S1", {Symptom::kFever})}, "n2")));
  auto school_view = service_.DayReports(kDoctor, kActor, kSchool, *ParseDay("2026-11-30"), "morning");
  ASSERT_TRUE(school_view);
  EXPECT_EQ(school_view->reports.at(0).cases.at(0).name, "学生S1");
  auto county_view = service_.DayReports(kCounty, kActor, kSchool, *ParseDay("2026-11-30"), "morning");
  ASSERT_TRUE(county_view);
  EXPECT_FALSE(county_view->reports.at(0).cases.at(0).name.has_value());
  EXPECT_EQ(service_.DayReports(kOtherCounty, kActor, kSchool, {}, {}).error().code, ErrorCode::kNotFound);
  audit::SearchFilter f;
  f.action_prefix = "read.health_cases";
  auto reads = audit_.Search(*db_, f);
  ASSERT_TRUE(reads);
  EXPECT_EQ(reads->total, 1);  // the doctor's read, not the county's
}

TEST_F(HealthServiceTest, AClassTeacherSeesNamesOfTheirOwnClassesOnly) {
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {Ill("T1", {Symptom::kFever})}, "t1")));
  ASSERT_TRUE(service_.Submit(kDoctor, kActor, Report("一年级2班", {Ill("T2", {Symptom::kCough})}, "t2")));
  auto day = service_.DayReports(kTeacher, kActor, kSchool, *ParseDay("2026-11-30"), "morning");
  ASSERT_TRUE(day) << day.error().message;
  std::map<std::string, std::optional<std::string>> seen;
  for (const auto& r : day->reports) seen[r.class_name] = r.cases.at(0).name;
  EXPECT_EQ(seen["一年级1班"], "学生T1");
  EXPECT_TRUE(seen.contains("一年级2班"));
  EXPECT_FALSE(seen["一年级2班"].has_value());  // counts and symptoms, no name
  EXPECT_TRUE(SeesNames(kTeacher, kSchool, "一年级1班"));
  EXPECT_FALSE(SeesNames(kTeacher, kSchool, "一年级2班"));
  EXPECT_TRUE(SeesNames(kDoctor, kSchool, "一年级2班"));
  EXPECT_FALSE(SeesNames(At(kSchool, kPath, Role::kGuard), kSchool, "一年级1班"));
  EXPECT_FALSE(SeesNames(kTeacher, "9410105002", "一年级1班"));
}

TEST_F(HealthServiceTest, ManyClassesReportingAtOnceAreAllCountedOnce) {
  std::vector<std::string> names;
  for (const auto& [name, k] : ids_)
    if (k.active) names.push_back(name);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (size_t i = 0; i < names.size(); ++i) {
    threads.emplace_back([&, i] {
      auto r = service_.Submit(kDoctor, kActor, Report(names[i], {}, "c" + std::to_string(i)));
      if (!r) ++failures;
      auto again = service_.Submit(kDoctor, kActor, Report(names[i], {}, "c" + std::to_string(i)));
      if (!again) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto c = service_.GetCompleteness(kCounty, "410105", *ParseDay("2026-11-30"), "morning");
  ASSERT_TRUE(c);
  for (const auto& child : c->children) {
    if (child.code != kSchool) continue;
    EXPECT_EQ(child.reported, static_cast<int64_t>(names.size()));
    EXPECT_EQ(child.classes, static_cast<int64_t>(names.size()));
    EXPECT_EQ(child.schools_complete, 1);
  }
  EXPECT_EQ(c->unit.reported, static_cast<int64_t>(names.size()));
  EXPECT_GT(c->unit.classes, c->unit.reported);
}

TEST_F(HealthServiceTest, AnOverdueReportEscalatesOnceAndASubmittedOneCanBeClosed) {
  ASSERT_TRUE(service_.Submit(kDoctor, kActor, Report("二年级1班", {Ill("D0", {Symptom::kVomiting})}, "e0")));
  ASSERT_TRUE(service_.Submit(kDoctor, kActor,
                              Report("二年级1班", {Ill("D1", {Symptom::kVomiting}), Ill("D2", {Symptom::kDiarrhoea})},
                                     "e1", "2026-11-30", "noon")));
  auto list = service_.Warnings(kCounty, "410105", "open", 10, 0);
  ASSERT_EQ(list->second, 1);
  const int64_t id = list->first[0].id;
  EXPECT_EQ(*service_.EscalateOverdue(), 0);
  EXPECT_EQ(service_.CloseWarning(kDoctor, kActor, id, "已处理").error().code, ErrorCode::kConflict);
  clock_.now = clock_.now.load() + std::chrono::hours(25);
  EXPECT_EQ(*service_.EscalateOverdue(), 1);
  EXPECT_EQ(*service_.EscalateOverdue(), 0);
  auto w = service_.GetWarning(kCounty, kActor, id);
  EXPECT_TRUE(w->task->escalated);
  EXPECT_EQ(w->task->status, "overdue");
  EXPECT_EQ(service_.SubmitTask(kCounty, kActor, w->task->id, "x", "y").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.SubmitTask(kDoctor, kActor, w->task->id, " ", "y").error().fields.at(0).field, "summary");
  auto t = service_.SubmitTask(kDoctor, kActor, w->task->id, w->task->draft, "隔离观察，通知家长，教室消毒");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->status, "submitted");
  auto closed = service_.CloseWarning(kDoctor, kActor, id, "3名学生康复返校");
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->status, "closed");
  EXPECT_EQ(OpenWarnings(kCounty, "410105"), 0);
}

TEST_F(HealthServiceTest, ANotifiableDiagnosisIsReportedImmediately) {
  auto c = Ill("N1", {Symptom::kFever, Symptom::kRash});
  c.diagnosis = "水痘";
  auto r = service_.Submit(kDoctor, kActor, Report("一年级1班", {c}, "nd"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->warnings.size(), 1u);
  auto w = service_.GetWarning(kDoctor, kActor, r->warnings[0]);
  EXPECT_EQ(w->rule, "notifiable");
  EXPECT_TRUE(w->task->immediate);
  EXPECT_EQ(w->task->due_at, "2026-11-30T08:10:00+08:00");
}

TEST_F(HealthServiceTest, AnIllnessAbsenceIsFollowedUntilTheStudentIsBackWithAClearanceWhenNeeded) {
  ASSERT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {Ill("A1", {Symptom::kFever})}, "a1")));
  // The same student absent again at noon stays one absence.
  ASSERT_TRUE(service_.Submit(kTeacher, kActor,
                              Report("一年级1班", {Ill("A1", {Symptom::kFever})}, "a2", "2026-11-30", "noon")));
  auto open = service_.Absences(kDoctor, kSchool, "open", 50, 0);
  ASSERT_TRUE(open);
  ASSERT_EQ(open->second, 1);
  const auto id = open->first[0].id;
  EXPECT_EQ(open->first[0].started_on, "2026-11-30");
  EXPECT_EQ(service_.Absences(kOtherCounty, kSchool, "open", 50, 0).error().code, ErrorCode::kNotFound);

  AbsenceEntry e;
  e.day = "2026-11-30";
  e.outcome = "diagnosed";
  EXPECT_EQ(service_.AddAbsenceEntry(kDoctor, kActor, id, e).error().fields.at(0).field, "diagnosis");
  e.diagnosis = "水痘";
  EXPECT_EQ(service_.AddAbsenceEntry(kTeacher, kActor, id, e).error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(service_.AddAbsenceEntry(kDoctor, kActor, id, e));
  AbsenceEntry back;
  back.day = "2026-11-30";
  back.outcome = "returned";
  EXPECT_EQ(service_.AddAbsenceEntry(kDoctor, kActor, id, back).error().fields.at(0).field, "clearance");
  back.clearance = true;
  auto done = service_.AddAbsenceEntry(kDoctor, kActor, id, back);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, "returned");
  EXPECT_EQ(done->entries.size(), 2u);
  EXPECT_EQ(service_.AddAbsenceEntry(kDoctor, kActor, id, back).error().code, ErrorCode::kConflict);
  EXPECT_EQ(service_.Absences(kDoctor, kSchool, "open", 50, 0)->second, 0);
}

TEST_F(HealthServiceTest, AfterANotifiableDiagnosisTheStudentReturnsOnlyWithAClearance) {
  // Diagnosed in the report itself; a blank diagnosis on return neither clears it nor erases it.
  auto c = Ill("C1", {Symptom::kFever, Symptom::kRash});
  c.diagnosis = "手足口病";
  ASSERT_TRUE(service_.Submit(kDoctor, kActor, Report("一年级1班", {c}, "c1")));
  // Diagnosed in a follow-up, then another diagnosis named later.
  ASSERT_TRUE(service_.Submit(kDoctor, kActor, Report("一年级2班", {Ill("C2", {Symptom::kFever})}, "c2")));
  auto open = service_.Absences(kDoctor, kSchool, "open", 50, 0);
  ASSERT_TRUE(open);
  ASSERT_EQ(open->second, 2);
  std::map<std::string, int64_t> id;
  for (const auto& a : open->first) id[a.student_no] = a.id;

  AbsenceEntry back;
  back.day = "2026-11-30";
  back.outcome = "returned";
  back.diagnosis = "  ";
  auto refused = service_.AddAbsenceEntry(kDoctor, kActor, id["C1"], back);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().fields.at(0).field, "clearance");
  EXPECT_NE(refused.error().fields.at(0).message.find("手足口病"), std::string::npos);

  AbsenceEntry e;
  e.day = "2026-11-30";
  e.outcome = "absent";
  e.diagnosis = "";
  auto kept = service_.AddAbsenceEntry(kDoctor, kActor, id["C1"], e);  // a blank diagnosis names none
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->diagnosis, "手足口病");
  EXPECT_FALSE(kept->entries.back().diagnosis);
  e.outcome = "diagnosed";
  e.diagnosis = " \u3000";
  EXPECT_EQ(service_.AddAbsenceEntry(kDoctor, kActor, id["C1"], e).error().fields.at(0).field, "diagnosis");

  e.diagnosis = "麻疹";
  ASSERT_TRUE(service_.AddAbsenceEntry(kDoctor, kActor, id["C2"], e));
  e.outcome = "hospitalised";
  e.diagnosis = "流感";
  auto later = service_.AddAbsenceEntry(kDoctor, kActor, id["C2"], e);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->diagnosis, "流感");
  back.diagnosis.reset();
  refused = service_.AddAbsenceEntry(kDoctor, kActor, id["C2"], back);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().fields.at(0).message.find("麻疹"), std::string::npos);
  EXPECT_EQ(service_.Absences(kDoctor, kSchool, "open", 50, 0)->second, 2);  // neither refusal wrote
  back.clearance = true;
  ASSERT_TRUE(service_.AddAbsenceEntry(kDoctor, kActor, id["C1"], back));
  ASSERT_TRUE(service_.AddAbsenceEntry(kDoctor, kActor, id["C2"], back));
  EXPECT_EQ(service_.Absences(kDoctor, kSchool, "open", 50, 0)->second, 0);
}

TEST_F(HealthServiceTest, ANotifiableDiseaseFirstNamedInAFollowUpOpensItsWarningAtOnce) {
  auto r = service_.Submit(
      kTeacher, kActor,
      Report("一年级1班", {Ill("M1", {Symptom::kFever}), Ill("M2", {Symptom::kFever}), Ill("M3", {Symptom::kCough})},
             "m1"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->warnings.size(), 1u);  // three with fever or cough: a cluster
  EXPECT_EQ(OpenWarnings(kCounty, "410105"), 1);
  int64_t m3 = 0;
  const auto absences = service_.Absences(kDoctor, kSchool, "open", 50, 0);
  ASSERT_TRUE(absences) << absences.error().message;
  for (const auto& a : absences->first)
    if (a.student_no == "M3") m3 = a.id;
  ASSERT_NE(m3, 0);
  // The next day the hospital names measles.
  clock_.now = *ParseRfc3339("2026-12-01T09:00:00+08:00");
  AbsenceEntry e;
  e.day = "2026-12-01";
  e.outcome = "diagnosed";
  e.diagnosis = "麻疹";
  ASSERT_TRUE(service_.AddAbsenceEntry(kDoctor, kActor, m3, e));
  auto open = service_.Warnings(kCounty, "410105", "open", 100, 0);
  ASSERT_EQ(open->second, 2);
  const Warning* measles = nullptr;
  for (const auto& w : open->first)
    if (w.rule == "notifiable") measles = &w;
  ASSERT_NE(measles, nullptr);
  EXPECT_EQ(measles->group, "麻疹");
  EXPECT_EQ(measles->unit_name, "一年级1班");
  EXPECT_EQ(measles->cases, 1);
  ASSERT_TRUE(measles->task);
  EXPECT_TRUE(measles->task->immediate);
  EXPECT_NE(measles->task->draft.find("麻疹"), std::string::npos);
  // The same diagnosis again, or another one: no further warning, and the cluster is not opened anew.
  e.outcome = "hospitalised";
  ASSERT_TRUE(service_.AddAbsenceEntry(kDoctor, kActor, m3, e));
  e.diagnosis = "流感";
  ASSERT_TRUE(service_.AddAbsenceEntry(kDoctor, kActor, m3, e));
  EXPECT_EQ(OpenWarnings(kCounty, "410105"), 2);
}

TEST_F(HealthServiceTest, ACorrectionThatNoLongerHasAStudentAbsentTakesBackTheAbsenceItOpened) {
  // D1-D3 absent in the morning; D3 also followed up by the doctor; D4 was absent the day before.
  clock_.now = *ParseRfc3339("2026-11-29T08:10:00+08:00");
  ASSERT_TRUE(
      service_.Submit(kDoctor, kActor, Report("二年级1班", {Ill("D4", {Symptom::kCough})}, "y1", "2026-11-29")));
  clock_.now = *ParseRfc3339("2026-11-30T08:10:00+08:00");
  auto first = service_.Submit(kDoctor, kActor,
                               Report("二年级1班",
                                      {Ill("D1", {Symptom::kFever}), Ill("D2", {Symptom::kFever}),
                                       Ill("D3", {Symptom::kFever}), Ill("D4", {Symptom::kCough})},
                                      "d1"));
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->warnings.size(), 1u);
  auto open = service_.Absences(kDoctor, kSchool, "open", 50, 0);
  ASSERT_EQ(open->second, 4);
  for (const auto& a : open->first)
    if (a.student_no == "D3") {
      AbsenceEntry e;
      e.day = "2026-11-30";
      e.outcome = "absent";
      e.note = "家长电话：发热38.5℃";
      ASSERT_TRUE(service_.AddAbsenceEntry(kDoctor, kActor, a.id, e));
    }
  // Corrected: D1 came after all (present, with a cough), D2, D3 and D4 were never absent today.
  auto fixed = service_.Submit(kDoctor, kActor, Report("二年级1班", {Ill("D1", {Symptom::kCough}, false)}, "d2"));
  ASSERT_TRUE(fixed) << fixed.error().message;
  std::set<std::string> left;
  const auto absences = service_.Absences(kDoctor, kSchool, "open", 50, 0);
  ASSERT_TRUE(absences) << absences.error().message;
  for (const auto& a : absences->first) left.insert(a.student_no);
  // D3 has the doctor's follow-up, D4 its record of yesterday: both stay. D1 and D2 are gone.
  EXPECT_EQ(left, (std::set<std::string>{"D3", "D4"}));
  // The warning they raised is recounted: D1's cough is left of its cases.
  EXPECT_EQ(service_.GetWarning(kDoctor, kActor, first->warnings[0])->cases, 1);
}

TEST_F(HealthServiceTest, AWarningsReportIsDraftedAgainWhenItsCasesChange) {
  ASSERT_TRUE(service_.Submit(kTeacher, kActor,
                              Report("一年级1班", {Ill("F1", {Symptom::kFever}), Ill("F2", {Symptom::kFever})}, "f1")));
  auto noon = service_.Submit(kTeacher, kActor,
                              Report("一年级1班", {Ill("F3", {Symptom::kFever})}, "f2", "2026-11-30", "noon"));
  ASSERT_TRUE(noon);
  ASSERT_EQ(noon->warnings.size(), 1u);
  const int64_t id = noon->warnings[0];
  EXPECT_NE(service_.GetWarning(kDoctor, kActor, id)->task->draft.find("3例"), std::string::npos);
  // A fourth case joins: the facts say four.
  ASSERT_TRUE(service_.Submit(
      kTeacher, kActor,
      Report("一年级1班", {Ill("F3", {Symptom::kFever}), Ill("F4", {Symptom::kCough})}, "f3", "2026-11-30", "noon")));
  auto w = service_.GetWarning(kDoctor, kActor, id);
  EXPECT_EQ(w->cases, 4);
  EXPECT_NE(w->task->draft.find("4例"), std::string::npos) << w->task->draft;
  // Taken back to three by a correction: three again.
  ASSERT_TRUE(service_.Submit(kTeacher, kActor,
                              Report("一年级1班", {Ill("F3", {Symptom::kFever})}, "f4", "2026-11-30", "noon")));
  w = service_.GetWarning(kDoctor, kActor, id);
  EXPECT_EQ(w->cases, 3);
  EXPECT_NE(w->task->draft.find("3例"), std::string::npos) << w->task->draft;
  // Once submitted, the report is the doctor's: a later case no longer rewrites it.
  ASSERT_TRUE(service_.SubmitTask(kDoctor, kActor, w->task->id, "已报告", "隔离观察"));
  ASSERT_TRUE(service_.Submit(
      kTeacher, kActor,
      Report("一年级1班", {Ill("F3", {Symptom::kFever}), Ill("F5", {Symptom::kFever})}, "f5", "2026-11-30", "noon")));
  w = service_.GetWarning(kDoctor, kActor, id);
  EXPECT_EQ(w->cases, 4);
  EXPECT_NE(w->task->draft.find("3例"), std::string::npos) << w->task->draft;
  EXPECT_EQ(w->task->summary, "已报告");
}

TEST_F(HealthServiceTest, ADormitorysWarningIsNamedByTheDormitory) {
  const Principal principal = At(kSchool, kPath, Role::kPrincipal);
  ClassFields f;
  f.grade = 7;
  f.name = "寄宿6班";
  f.enrolment = 40;
  f.boarding = true;
  auto k = service_.CreateClass(principal, kActor, kSchool, f);
  ASSERT_TRUE(k) << k.error().message;
  ids_[k->name] = *k;
  auto dorm = service_.CreateDormitory(principal, kActor, kSchool, " 1号楼101\u3000", 8);
  ASSERT_TRUE(dorm) << dorm.error().message;
  EXPECT_EQ(dorm->name, "1号楼101");
  std::vector<CaseRecord> cases;
  for (const char* no : {"V1", "V2", "V3"}) {
    cases.push_back(Ill(no, {Symptom::kVomiting}, false));
    cases.back().dormitory_id = dorm->id;
  }
  auto r = service_.Submit(principal, kActor, Report("寄宿6班", cases, "v1", "2026-11-30", "evening"));
  ASSERT_TRUE(r) << r.error().message;
  bool named = false;
  for (const int64_t id : r->warnings) {
    auto w = service_.GetWarning(kDoctor, kActor, id);
    if (w->unit_kind != "dormitory") continue;
    named = true;
    EXPECT_EQ(w->unit_name, "1号楼101");
    EXPECT_NE(w->task->draft.find("1号楼101"), std::string::npos) << w->task->draft;
    const auto listed = service_.Warnings(kCounty, "410105", "open", 100, 0);
    ASSERT_TRUE(listed) << listed.error().message;
    for (const auto& l : listed->first)
      if (l.id == id) EXPECT_EQ(l.unit_name, "1号楼101");
  }
  EXPECT_TRUE(named);
}

TEST_F(HealthServiceTest, NamesThatDifferOnlyByBlanksAreTheSameName) {
  ClassFields f;
  f.grade = 1;
  f.name = " 一年级1班\u3000";
  f.enrolment = 40;
  auto dup = service_.CreateClass(kDoctor, kActor, kSchool, f);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  f.name = "\u3000 ";
  EXPECT_EQ(service_.CreateClass(kDoctor, kActor, kSchool, f).error().fields.at(0).field, "name");
  f.name = " 九年级9班 ";
  auto made = service_.CreateClass(kDoctor, kActor, kSchool, f);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->name, "九年级9班");
}

TEST_F(HealthServiceTest, AnOnsetLongBeforeTheReportIsRefused) {
  auto c = Ill("O1", {Symptom::kFever});
  c.onset_at = "1990-01-01T08:00:00+08:00";
  auto r = service_.Submit(kTeacher, kActor, Report("一年级1班", {c}, "o1"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).field, "cases[0].onset_at");
  c.onset_at = "2026-11-01T08:00:00+08:00";  // 29 days before
  EXPECT_TRUE(service_.Submit(kTeacher, kActor, Report("一年级1班", {c}, "o2")));
}

TEST_F(HealthServiceTest, TheBoardsSessionInTheEveningIsNoonUnlessTheSchoolHasBoardingClasses) {
  const auto day = *ParseDay("2026-11-30");
  clock_.now = *ParseRfc3339("2026-11-30T11:29:00+08:00");
  const auto morning = service_.DayReports(kDoctor, kActor, kSchool, day, std::nullopt);
  ASSERT_TRUE(morning) << morning.error().message;
  EXPECT_EQ(morning->session, "morning");
  clock_.now = *ParseRfc3339("2026-11-30T19:00:00+08:00");
  // The demo school has day classes only: its evening board shows the noon check and who missed it.
  const auto noon = service_.DayReports(kDoctor, kActor, kSchool, day, std::nullopt);
  ASSERT_TRUE(noon) << noon.error().message;
  EXPECT_EQ(noon->session, "noon");
  EXPECT_FALSE(noon->missing.empty());
  ClassFields f;
  f.grade = 7;
  f.name = "寄宿1班";
  f.enrolment = 40;
  f.boarding = true;
  auto boarding = service_.CreateClass(At(kSchool, kPath, Role::kPrincipal), kActor, kSchool, f);
  ASSERT_TRUE(boarding) << boarding.error().message;
  const auto evening = service_.DayReports(kDoctor, kActor, kSchool, day, std::nullopt);
  ASSERT_TRUE(evening) << evening.error().message;
  EXPECT_EQ(evening->session, "evening");
  ASSERT_EQ(evening->missing.size(), 1u);
  EXPECT_EQ(evening->missing[0].name, "寄宿1班");
  // Asked for, a session is what is shown.
  const auto asked = service_.DayReports(kDoctor, kActor, kSchool, day, "noon");
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_EQ(asked->session, "noon");
}

TEST_F(HealthServiceTest, OnADayWithoutSchoolNoClassIsExpectedButReportsMadeAnywayAreShown) {
  HealthSettings settings;
  settings.is_school_day = [](Day d) { return IsoWeekday(d) <= 5; };
  HealthService weekdays{*db_, audit_, clock_, *crypto::FieldCipher::FromHex(std::string(64, '7'), "k"), settings};
  clock_.now = *ParseRfc3339("2026-12-05T08:10:00+08:00");  // a Saturday
  ASSERT_TRUE(weekdays.Submit(kTeacher, kActor, Report("一年级1班", {}, "sat", "2026-12-05")));
  auto c = weekdays.GetCompleteness(kCounty, "410105", *ParseDay("2026-12-05"), "morning");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->school_day);
  EXPECT_EQ(c->unit.classes, 0);
  EXPECT_EQ(c->unit.schools, 0);
  EXPECT_EQ(c->unit.reported, 1);
  auto day = weekdays.DayReports(kDoctor, kActor, kSchool, *ParseDay("2026-12-05"), "morning");
  ASSERT_TRUE(day);
  EXPECT_FALSE(day->school_day);
  EXPECT_TRUE(day->missing.empty());
  EXPECT_EQ(day->reports.size(), 1u);
  // The Monday after: a school day again, every class expected.
  clock_.now = *ParseRfc3339("2026-12-07T08:10:00+08:00");
  auto monday = weekdays.GetCompleteness(kCounty, "410105", *ParseDay("2026-12-07"), "morning");
  EXPECT_TRUE(monday->school_day);
  EXPECT_GT(monday->unit.classes, 0);
  EXPECT_EQ(weekdays.DayReports(kDoctor, kActor, kSchool, *ParseDay("2026-12-07"), "morning")->missing.size(),
            ids_.size() - static_cast<size_t>(std::count_if(ids_.begin(), ids_.end(),
                                                            [](const auto& kv) { return !kv.second.active; })));
}

}  // namespace

// Migration 0013 fills first_at on the report versions already stored: each version carries its
// first version's time, so a correction after the upgrade keeps the window of the first. After 0015
// the version in force of the versions already stored is still the one that was: the highest. After
// 0016 (the table rebuilt) every report keeps its id and its cases. 0017 gives each slot its row.
TEST(HealthMigrations, FirstAtIsFilledAndTheHighestVersionIsInForceOnTheVersionsAlreadyStored) {
  const auto dir = std::filesystem::temp_directory_path() / ("xiaoan-health-0013-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "m.db").string();
  std::vector<std::pair<std::string, std::string>> before, all;
  for (const auto& m : db::migrations::kAll) {
    all.emplace_back(std::string(m.name), std::string(m.text));
    if (std::string_view(m.name) < "0013") before.push_back(all.back());
  }
  ASSERT_LT(before.size(), all.size());
  static constexpr db::Sql kSeed{"seed", R"(
    INSERT INTO org_units (code, name, level, path, created_at, updated_at)
      VALUES ('9000000001', 'S', 'school', '/9000000001/', 't', 't');
    INSERT INTO health_classes (id, school_code, grade, name, enrolment, created_at, updated_at)
      VALUES (1, '9000000001', 1, 'C', 30, 't', 't');
    INSERT INTO health_reports (school_code, path, class_id, day, session, version, current, enrolled, present,
      absent_ill, absent_other, cases, late, submitted_by, submitted_at, idempotency_key)
    VALUES ('9000000001', '/9000000001/', 1, '2026-11-30', 'morning', 1, 0, 30, 30, 0, 0, 0, 0, 'u',
            '2026-11-30T07:00:00+08:00', 'k1'),
           ('9000000001', '/9000000001/', 1, '2026-11-30', 'morning', 2, 1, 30, 30, 0, 0, 0, 0, 'u',
            '2026-11-30T09:00:00+08:00', 'k2'),
           ('9000000001', '/9000000001/', 1, '2026-11-30', 'noon', 1, 1, 30, 30, 0, 0, 0, 0, 'u',
            '2026-11-30T12:00:00+08:00', 'k3');
    INSERT INTO health_cases (report_id, school_code, class_id, day, current, student_no, sex, age, symptoms, absent,
      doctor_visit, suspected_notifiable)
    VALUES (2, '9000000001', 1, '2026-11-30', 1, 'n1', 'female', 9, '["fever"]', 1, 0, 0);)"};
  {
    auto old = db::OpenSqlite({path, 2, 16}, before);
    ASSERT_TRUE(old) << old.error().message;
    auto seeded = (*old)->Write([](db::Connection& c) -> Status { return c.ExecuteScript(kSeed.text); });
    ASSERT_TRUE(seeded) << seeded.error().message;
  }
  auto upgraded = db::OpenSqlite({path, 2, 16}, all);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  static constexpr db::Sql kFirst{"first", "SELECT session, version, first_at FROM health_reports ORDER BY id"};
  std::vector<std::string> got;
  ASSERT_TRUE((*upgraded)->Read([&](db::Connection& c) -> Status {
    auto rows = c.Query(kFirst, {});
    if (!rows) return Fail(rows.error());
    for (const auto& r : *rows) got.push_back(r.Text(0) + " v" + std::to_string(r.Int(1)) + " " + r.Text(2));
    return {};
  }));
  EXPECT_EQ(got,
            (std::vector<std::string>{"morning v1 2026-11-30T07:00:00+08:00", "morning v2 2026-11-30T07:00:00+08:00",
                                      "noon v1 2026-11-30T12:00:00+08:00"}));
  // 0015: `current` is gone; the highest version of the slot is the one in force.
  static constexpr db::Sql kCurrentColumn{
      "current_column", "SELECT count(*) FROM pragma_table_info('health_reports') WHERE name = 'current'"};
  ASSERT_TRUE((*upgraded)->Read([&](db::Connection& c) -> Status {
    auto column = c.QueryOne(kCurrentColumn, {});
    if (!column) return Fail(column.error());
    EXPECT_EQ((**column).Int(0), 0);
    auto day = c.Query(sql::kDayReports, {"9000000001", "2026-11-30", "morning"});
    if (!day) return Fail(day.error());
    EXPECT_EQ(day->size(), 1u);
    if (!day->empty()) EXPECT_EQ(day->front().Int(6), 2);
    return {};
  }));
  // 0016 rebuilt health_reports (its session CHECK without an IN list): every row kept its id, so the
  // case still belongs to the morning's second version, and the rebuilt CHECK refuses what the old did.
  static constexpr db::Sql kCaseReport{
      "case_report",
      "SELECT r.session, r.version, r.idempotency_key FROM health_cases c JOIN health_reports r "
      "ON r.id = c.report_id"};
  static constexpr db::Sql kOrphans{"orphans", "SELECT count(*) FROM pragma_foreign_key_check"};
  static constexpr db::Sql kCheck{"check", "SELECT sql FROM sqlite_schema WHERE name = 'health_reports'"};
  ASSERT_TRUE((*upgraded)->Read([&](db::Connection& c) -> Status {
    auto owner = c.QueryOne(kCaseReport, {});
    if (!owner) return Fail(owner.error());
    EXPECT_TRUE(*owner);
    if (*owner)
      EXPECT_EQ((**owner).Text(0) + " v" + std::to_string((**owner).Int(1)) + " " + (**owner).Text(2), "morning v2 k2");
    auto orphans = c.QueryOne(kOrphans, {});
    if (!orphans) return Fail(orphans.error());
    EXPECT_EQ((**orphans).Int(0), 0);
    auto check = c.QueryOne(kCheck, {});
    if (!check) return Fail(check.error());
    EXPECT_NE((**check).Text(0).find("session = 'morning' OR session = 'noon' OR session = 'evening'"),
              std::string::npos);
    return {};
  }));
  // 0017: one row per slot, naming its version in force, with the first version's time.
  static constexpr db::Sql kSlots{
      "slots", "SELECT session, report_id, version, first_at FROM health_report_slots ORDER BY session"};
  std::vector<std::string> slots;
  ASSERT_TRUE((*upgraded)->Read([&](db::Connection& c) -> Status {
    auto rows = c.Query(kSlots, {});
    if (!rows) return Fail(rows.error());
    for (const auto& r : *rows)
      slots.push_back(r.Text(0) + " #" + std::to_string(r.Int(1)) + " v" + std::to_string(r.Int(2)) + " " + r.Text(3));
    return {};
  }));
  EXPECT_EQ(slots, (std::vector<std::string>{
                       "morning #2 v2 " + std::to_string(ToUnixSeconds(*ParseRfc3339("2026-11-30T07:00:00+08:00"))),
                       "noon #3 v1 " + std::to_string(ToUnixSeconds(*ParseRfc3339("2026-11-30T12:00:00+08:00")))}));
  static constexpr db::Sql kNight{
      "night",
      "INSERT INTO health_reports (school_code, path, class_id, day, session, version, enrolled, present, "
      "absent_ill, absent_other, cases, late, submitted_by, submitted_at, idempotency_key) VALUES "
      "('9000000001', '/9000000001/', 1, '2026-11-30', 'night', 1, 30, 30, 0, 0, 0, 0, 'u', 't', 'k4')"};
  const auto night = (*upgraded)->Write([](db::Connection& c) -> Status {
    auto r = c.Execute(kNight, {});
    if (!r) return Fail(r.error());
    return {};
  });
  EXPECT_FALSE(night);
  upgraded->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace xiaoan::health
