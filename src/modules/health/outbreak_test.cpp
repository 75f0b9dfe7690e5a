#include "modules/health/outbreak.hpp"

#include <gtest/gtest.h>

namespace xiaoan::health {
namespace {

using std::chrono::days;

Day D(const char* s) { return *ParseDay(s); }
const OutbreakRules& Rules() { return ShippedOutbreakRules(); }

Case C(int64_t id, Day day, std::string cls, std::vector<Symptom> symptoms, std::optional<std::string> dorm = {}) {
  Case c;
  c.id = id;
  c.day = day;
  c.class_key = std::move(cls);
  c.dormitory_key = std::move(dorm);
  c.symptoms = std::move(symptoms);
  return c;
}

std::vector<Trigger> Only(const std::vector<Trigger>& ts, const std::string& rule) {
  std::vector<Trigger> out;
  for (const auto& t : ts)
    if (t.rule_id == rule) out.push_back(t);
  return out;
}

TEST(OutbreakRules, ShippedRulesParseWithTheir2006Thresholds) {
  const auto& r = Rules();
  ASSERT_EQ(r.clusters.size(), 2u);
  EXPECT_EQ(r.clusters[0].min_cases, 3);
  EXPECT_EQ(r.clusters[0].window_days, 1);
  EXPECT_EQ(r.clusters[1].min_cases, 6);  // "more than 5"
  EXPECT_EQ(r.clusters[1].window_days, 3);
  EXPECT_FALSE(r.disease_windows_enabled);
  EXPECT_EQ(LookbackDays(r), 2);
  EXPECT_FALSE(ParseOutbreakRules("[[group]]\nid = \"x\"\nsymptoms = [\"sneezing\"]\n"));
  EXPECT_FALSE(ParseOutbreakRules("[[cluster]]\nid = \"c\"\nwindow_days = 0\nmin_cases = 3\ndeadline_hours = 24\n"));
}

TEST(OutbreakRules, SymptomNamesRoundTrip) {
  for (int i = 0; i < kSymptomCount; ++i) {
    const auto s = static_cast<Symptom>(i);
    EXPECT_EQ(SymptomFromName(SymptomName(s)), s);
  }
  EXPECT_FALSE(SymptomFromName("Fever"));
  EXPECT_STREQ(SymptomNameZh(Symptom::kSwollenParotid), "腮腺肿大");
}

TEST(Outbreak, TwoCasesInADayAreNotAClusterThreeAre) {
  const Day d = D("2026-11-30");
  std::vector<Case> cases{C(1, d, "1-1", {Symptom::kFever}), C(2, d, "1-1", {Symptom::kFever, Symptom::kCough})};
  EXPECT_TRUE(Only(Evaluate(Rules(), cases, d, d), "cluster_1d").empty());
  cases.push_back(C(3, d, "1-1", {Symptom::kSoreThroat}));
  const auto t = Only(Evaluate(Rules(), cases, d, d), "cluster_1d");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].group_id, "fever_respiratory");
  EXPECT_EQ(t[0].unit_kind, UnitKind::kClass);
  EXPECT_EQ(t[0].unit_key, "1-1");
  EXPECT_EQ(t[0].case_ids, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(t[0].deadline_hours, 24);
}

TEST(Outbreak, AStudentOnSeveralReportsIsOneCase) {
  const Day d = D("2026-11-30");
  auto a = C(1, d, "1-1", {Symptom::kFever}), b = C(2, d, "1-1", {Symptom::kFever});
  auto a2 = C(3, d, "1-1", {Symptom::kFever}), b2 = C(4, d, "1-1", {Symptom::kCough});
  a.student = a2.student = "S1";
  b.student = b2.student = "S2";
  EXPECT_TRUE(Evaluate(Rules(), {a, b, a2, b2}, d, d).empty());  // morning and noon: still two students
  auto c = C(5, d, "1-1", {Symptom::kFever});
  c.student = "S3";
  const auto t = Only(Evaluate(Rules(), {a, b, a2, b2, c}, d, d), "cluster_1d");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].case_ids, (std::vector<int64_t>{3, 4, 5}));  // the latest record of each student
  // Two students ill for three days are 2 cases, not 6.
  std::vector<Case> days;
  for (int i = 0; i < 3; ++i)
    for (const char* who : {"S1", "S2", "S3"}) {
      auto x = C(static_cast<int64_t>(days.size() + 1), d - std::chrono::days(i), "1-1", {Symptom::kFever});
      x.student = who;
      if (std::string(who) != "S3") days.push_back(x);
    }
  EXPECT_TRUE(Only(Evaluate(Rules(), days, d, d), "cluster_3d").empty());
}

TEST(Outbreak, DifferentSymptomGroupsOrClassesDoNotAddUp) {
  const Day d = D("2026-11-30");
  std::vector<Case> cases{C(1, d, "1-1", {Symptom::kFever}), C(2, d, "1-1", {Symptom::kFever}),
                          C(3, d, "1-1", {Symptom::kDiarrhoea}), C(4, d, "1-2", {Symptom::kFever}),
                          C(5, d, "1-1", {Symptom::kHeadache})};  // headache alone is in no group
  EXPECT_TRUE(Evaluate(Rules(), cases, d, d).empty());
}

TEST(Outbreak, ADormitoryCountsAcrossClasses) {
  const Day d = D("2026-11-30");
  std::vector<Case> cases{C(1, d, "1-1", {Symptom::kVomiting}, "A101"), C(2, d, "1-2", {Symptom::kDiarrhoea}, "A101"),
                          C(3, d, "2-1", {Symptom::kAbdominalPain}, "A101")};
  const auto t = Only(Evaluate(Rules(), cases, d, d), "cluster_1d");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].unit_kind, UnitKind::kDormitory);
  EXPECT_EQ(t[0].unit_key, "A101");
  EXPECT_EQ(t[0].group_id, "gastrointestinal");
}

TEST(Outbreak, FiveInThreeDaysAreNotEnoughSixAre) {
  const Day d1 = D("2026-11-30"), d2 = d1 + days(1), d3 = d1 + days(2);
  std::vector<Case> cases{C(1, d1, "3-2", {Symptom::kFever}), C(2, d1, "3-2", {Symptom::kFever}),
                          C(3, d2, "3-2", {Symptom::kFever}), C(4, d2, "3-2", {Symptom::kFever}),
                          C(5, d3, "3-2", {Symptom::kFever})};
  EXPECT_TRUE(Evaluate(Rules(), cases, d3, d3).empty());
  cases.push_back(C(6, d3, "3-2", {Symptom::kCough}));
  const auto t = Evaluate(Rules(), cases, d3, d3);
  ASSERT_EQ(Only(t, "cluster_3d").size(), 1u);
  EXPECT_EQ(Only(t, "cluster_3d")[0].window_start, d1);
  EXPECT_EQ(Only(t, "cluster_3d")[0].window_end, d3);
  EXPECT_TRUE(Only(t, "cluster_1d").empty());  // never 3 on one day
  // Four consecutive days spread 2+2+1+1: no three-day window holds 6.
  std::vector<Case> spread{C(1, d1, "3-2", {Symptom::kFever}), C(2, d1, "3-2", {Symptom::kFever}),
                           C(3, d2, "3-2", {Symptom::kFever}), C(4, d2, "3-2", {Symptom::kFever}),
                           C(5, d3, "3-2", {Symptom::kFever}), C(6, d3 + days(1), "3-2", {Symptom::kFever})};
  EXPECT_TRUE(Only(Evaluate(Rules(), spread, d3 + days(1), d3 + days(1)), "cluster_3d").empty());
}

TEST(Outbreak, MidnightInShanghaiSplitsTheDayNotMidnightUtc) {
  // 23:59 and 00:01 in Shanghai are two days, although both instants are on 30 November in UTC.
  const auto before = *ParseRfc3339("2026-11-30T23:59:00+08:00");
  const auto after = *ParseRfc3339("2026-12-01T00:01:00+08:00");
  ASSERT_EQ(std::chrono::floor<days>(before), std::chrono::floor<days>(after));  // the UTC day
  const Day late = ShanghaiDay(before), early = ShanghaiDay(after);
  ASSERT_EQ(early, late + days(1));
  std::vector<Case> cases{C(1, late, "1-1", {Symptom::kFever}), C(2, late, "1-1", {Symptom::kFever}),
                          C(3, early, "1-1", {Symptom::kFever})};
  EXPECT_TRUE(Only(Evaluate(Rules(), cases, early, early), "cluster_1d").empty());
  cases.push_back(C(4, early, "1-1", {Symptom::kFever}));
  cases.push_back(C(5, early, "1-1", {Symptom::kCough}));
  EXPECT_EQ(Only(Evaluate(Rules(), cases, early, early), "cluster_1d").at(0).case_ids, (std::vector<int64_t>{3, 4, 5}));
}

TEST(Outbreak, WindowsMustContainTheDayAndNotEndAfterToday) {
  const Day d = D("2026-11-30");
  // Six cases on the 30th, evaluated for a report of the 30th on the 30th: the only 3-day window
  // that ends by today is 28–30.
  std::vector<Case> cases;
  for (int i = 1; i <= 6; ++i) cases.push_back(C(i, d, "1-1", {Symptom::kRash}));
  const auto t = Only(Evaluate(Rules(), cases, d, d), "cluster_3d");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].window_start, d - days(2));
  // A correction to the 28th evaluated on the 30th sees windows 26–28, 27–29 and 28–30.
  std::vector<Case> old{C(1, d - days(2), "1-1", {Symptom::kRash})};
  EXPECT_TRUE(Evaluate(Rules(), old, d - days(2), d).empty());
}

TEST(Outbreak, NotifiableDiseasesAreImmediateAndGroupedByClassAndDisease) {
  const Day d = D("2026-11-30");
  Case a = C(1, d, "2-3", {Symptom::kFever, Symptom::kRash});
  a.diagnosis = "水痘";
  Case b = C(2, d, "2-3", {Symptom::kRash});
  b.diagnosis = "水痘";
  Case c = C(3, d, "2-4", {Symptom::kFever});
  c.suspected_notifiable = true;
  Case e = C(4, d, "2-4", {Symptom::kFever});
  e.diagnosis = "普通感冒";  // not notifiable
  const auto t = Only(Evaluate(Rules(), {a, b, c, e}, d, d), "notifiable");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].unit_key, "2-3");
  EXPECT_EQ(t[0].group_id, "水痘");
  EXPECT_EQ(t[0].case_ids, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(t[0].deadline_hours, 0);
  EXPECT_EQ(t[1].group_id, "suspected");
}

TEST(Outbreak, DiseaseWindowsApplyOnlyWhenEnabled) {
  auto rules = Rules();
  const Day d = D("2026-11-30");
  std::vector<Case> cases;
  for (int i = 0; i < 2; ++i) {
    Case x = C(i + 1, d - days(i * 3), "1-1", {Symptom::kRash});
    x.diagnosis = "手足口病";
    cases.push_back(x);
  }
  auto disease = [&](const OutbreakRules& r) { return Only(Evaluate(r, cases, d, d), "disease:手足口病"); };
  EXPECT_TRUE(disease(rules).empty());
  rules.disease_windows_enabled = true;
  const auto t = disease(rules);
  ASSERT_EQ(t.size(), 1u);  // class ≥ 2 within 7 days; the school needs 5
  EXPECT_EQ(t[0].unit_kind, UnitKind::kClass);
  EXPECT_EQ(LookbackDays(rules), 9);  // measles: 10 days
}

}  // namespace
}  // namespace xiaoan::health
