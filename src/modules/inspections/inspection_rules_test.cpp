#include "modules/inspections/inspection_rules.hpp"

#include <gtest/gtest.h>

#include <set>

namespace xiaoan::inspections {
namespace {

Day D(const char* s) { return *ParseDay(s); }

std::vector<std::string> Windows(const std::vector<Round>& rounds) {
  std::vector<std::string> out;
  for (const auto& r : rounds) out.push_back(r.opens_on + ".." + r.due_on);
  return out;
}

TEST(CampaignRounds, EachCadenceCutsTheWindowAsTheContractSays) {
  struct Case {
    const char* cadence;
    const char* starts;
    const char* ends;
    std::vector<std::string> windows;
  };
  const std::vector<Case> cases = {
      {"once", "2026-12-01", "2026-12-15", {"2026-12-01..2026-12-15"}},
      {"once", "2026-12-01", "2026-12-01", {"2026-12-01..2026-12-01"}},
      {"weekly",
       "2026-12-02",
       "2026-12-20",
       {"2026-12-02..2026-12-08", "2026-12-09..2026-12-15", "2026-12-16..2026-12-20"}},
      {"weekly", "2026-12-02", "2026-12-15", {"2026-12-02..2026-12-08", "2026-12-09..2026-12-15"}},
      {"monthly",
       "2026-11-20",
       "2027-02-10",
       {"2026-11-20..2026-11-30", "2026-12-01..2026-12-31", "2027-01-01..2027-01-31", "2027-02-01..2027-02-10"}},
      {"monthly", "2028-02-01", "2028-03-01", {"2028-02-01..2028-02-29", "2028-03-01..2028-03-01"}},
      {"semester",
       "2026-11-01",
       "2027-12-31",
       {"2026-11-01..2027-01-31", "2027-02-15..2027-07-15", "2027-09-01..2027-12-31"}},
      {"semester", "2027-03-01", "2027-06-30", {"2027-03-01..2027-06-30"}},
  };
  for (const auto& c : cases) {
    auto rounds = MakeRounds(c.cadence, D(c.starts), D(c.ends));
    ASSERT_TRUE(rounds) << c.cadence << " " << c.starts;
    EXPECT_EQ(Windows(*rounds), c.windows) << c.cadence << " " << c.starts << ".." << c.ends;
    for (size_t i = 0; i < rounds->size(); ++i) EXPECT_EQ((*rounds)[i].round, static_cast<int64_t>(i) + 1);
  }
}

TEST(CampaignRounds, BadWindowsAreRefusedNamingTheField) {
  EXPECT_EQ(MakeRounds("once", D("2026-12-02"), D("2026-12-01")).error().fields[0].field, "ends_on");
  EXPECT_EQ(MakeRounds("daily", D("2026-12-01"), D("2026-12-02")).error().fields[0].field, "cadence");
  // 07-16..08-31 is the summer holiday: no semester day.
  EXPECT_EQ(MakeRounds("semester", D("2027-07-16"), D("2027-08-31")).error().fields[0].field, "starts_on");
}

TEST(CampaignRounds, TheCurrentRoundIsTheOpenOneOrTheNextThenNone) {
  auto rounds = *MakeRounds("weekly", D("2026-12-02"), D("2026-12-15"));
  EXPECT_EQ(CurrentRound(rounds, D("2026-11-30"))->round, 1);  // not begun: the first to open
  EXPECT_EQ(CurrentRound(rounds, D("2026-12-08"))->round, 1);  // its last day
  EXPECT_EQ(CurrentRound(rounds, D("2026-12-09"))->round, 2);
  EXPECT_EQ(CurrentRound(rounds, D("2026-12-15"))->round, 2);
  EXPECT_FALSE(CurrentRound(rounds, D("2026-12-16")));
}

std::vector<ChecklistItem> Items() {
  return {{"A1", "疏散通道畅通", "fire", "", true},
          {"A2", "校舍无裂缝", "building", "", false},
          {"A3", "留样", "food", "", false}};
}

ResultInput Answer(const std::string& code, const std::string& result, std::vector<std::string> photos = {}) {
  ResultInput r;
  r.code = code;
  r.result = result;
  r.photos = std::move(photos);
  if (result == "fail") r.hazard = HazardInput{"ordinary", "一楼东侧", "", std::nullopt, false};
  return r;
}

std::set<std::string> Fields(const std::vector<FieldError>& errors) {
  std::set<std::string> out;
  for (const auto& e : errors) out.insert(e.field);
  return out;
}

TEST(InspectionAnswers, EveryItemOnceWithItsPhotoPasses) {
  EXPECT_TRUE(CheckResults(Items(), {Answer("A1", "pass", {"p"}), Answer("A2", "fail"), Answer("A3", "na")}).empty());
  // A photo_required item answered not applicable needs no photo.
  EXPECT_TRUE(CheckResults(Items(), {Answer("A1", "na"), Answer("A2", "pass"), Answer("A3", "pass")}).empty());
}

TEST(InspectionAnswers, EachBrokenRuleIsNamed) {
  struct Case {
    std::vector<ResultInput> results;
    std::set<std::string> fields;
  };
  ResultInput no_hazard = Answer("A2", "fail");
  no_hazard.hazard.reset();
  ResultInput hazard_on_pass = Answer("A2", "pass");
  hazard_on_pass.hazard = HazardInput{"ordinary", "x", "", std::nullopt, false};
  ResultInput bad_grade = Answer("A2", "fail");
  bad_grade.hazard->grade = "severe";
  bad_grade.hazard->location = " \u3000";
  ResultInput d_building = Answer("A2", "fail");
  d_building.hazard->building_grade = "D";
  ResultInput e_building = Answer("A2", "fail");
  e_building.hazard->building_grade = "E";
  ResultInput grade_on_fire = Answer("A1", "fail", {"p"});
  grade_on_fire.hazard->building_grade = "C";
  ResultInput major_at_once = Answer("A2", "fail");
  major_at_once.hazard->grade = "major";
  major_at_once.hazard->fixed_at_once = true;
  const std::vector<Case> cases = {
      {{Answer("A1", "pass"), Answer("A2", "pass"), Answer("A3", "pass")}, {"results[0].photos"}},
      {{Answer("A1", "fail"), Answer("A2", "pass"), Answer("A3", "pass")}, {"results[0].photos"}},
      {{Answer("A1", "na"), Answer("A2", "pass")}, {"results"}},
      {{Answer("A1", "na"), Answer("A2", "pass"), Answer("A2", "na"), Answer("A3", "na")}, {"results[2].code"}},
      {{Answer("A1", "na"), Answer("A2", "pass"), Answer("A3", "na"), Answer("Z9", "na")}, {"results[3].code"}},
      {{Answer("A1", "na"), Answer("A2", "ok"), Answer("A3", "na")}, {"results[1].result"}},
      {{Answer("A1", "na"), no_hazard, Answer("A3", "na")}, {"results[1].hazard"}},
      {{Answer("A1", "na"), hazard_on_pass, Answer("A3", "na")}, {"results[1].hazard"}},
      {{Answer("A1", "na"), bad_grade, Answer("A3", "na")}, {"results[1].hazard.grade", "results[1].hazard.location"}},
      {{Answer("A1", "na"), d_building, Answer("A3", "na")}, {}},
      {{Answer("A1", "na"), e_building, Answer("A3", "na")}, {"results[1].hazard.building_grade"}},
      {{grade_on_fire, Answer("A2", "na"), Answer("A3", "na")}, {"results[0].hazard.building_grade"}},
      {{Answer("A1", "na"), major_at_once, Answer("A3", "na")}, {"results[1].hazard.fixed_at_once"}},
  };
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(Fields(CheckResults(Items(), cases[i].results)), cases[i].fields) << "case " << i;
}

TEST(ChecklistTemplates, ANameOrTextOfBlanksIsEmptyOnceTrimmed) {
  const auto in = TrimmedChecklist({"k", "\u3000 ", {{"K1", "  ", "fire", " 看 ", false}}});
  EXPECT_EQ(in.name, "");
  EXPECT_EQ(in.items[0].text, "");
  EXPECT_EQ(in.items[0].how, "看");
  auto r = ValidateChecklist(in);
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "name");
  EXPECT_EQ(r.error().fields[0].message, "Must not be empty.");
  EXPECT_EQ(r.error().fields[1].field, "items[0].text");
  EXPECT_EQ(r.error().fields[1].message, "Must not be empty.");
}

TEST(ChecklistTemplates, ABureausTemplateIsCheckedFieldByField) {
  ChecklistInput ok{"winter_2026", "冬季检查", {{"W1", "取暖", "heating", "看", false}}};
  EXPECT_TRUE(ValidateChecklist(ok));
  ChecklistInput bad{"Winter 2026", "", {{"W1", "", "weather", "", false}, {"W1", "x", "fire", "", false}}};
  auto r = ValidateChecklist(bad);
  ASSERT_FALSE(r);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"key", "name", "items[0].text", "items[0].category", "items[1].code"}));
  EXPECT_FALSE(ValidateChecklist({"k", "n", {}}));
}

TEST(ShippedChecklists, EveryFileParsesWithUsefulChineseItems) {
  const auto& all = ShippedChecklists();
  std::set<std::string> keys;
  for (const auto& c : all) {
    keys.insert(c.input.key);
    EXPECT_GE(c.version, 1) << c.input.key;
    EXPECT_GE(c.input.items.size(), 8u) << c.input.key;
    EXPECT_LE(c.input.items.size(), 15u) << c.input.key;
    int photos = 0;
    for (const auto& i : c.input.items) {
      EXPECT_FALSE(i.how.empty()) << c.input.key << " " << i.code;
      photos += i.photo_required ? 1 : 0;
    }
    EXPECT_GE(photos, 1) << c.input.key << " has no item needing a photo";
  }
  EXPECT_EQ(keys, (std::set<std::string>{"fire", "building", "food", "school_bus", "electricity", "heating", "snow_ice",
                                         "lab", "surroundings", "drowning", "security"}));
}

TEST(ShippedChecklists, ABrokenFileIsRefusedNamingTheProblem) {
  EXPECT_FALSE(ParseChecklistToml("key = \"x\"\nversion = 0\nname = \"n\"\n"));
  auto bad = ParseChecklistToml(
      "key = \"x\"\nversion = 1\nname = \"n\"\n[[items]]\ncode = \"A\"\ntext = \"t\"\ncategory = \"weather\"\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields[0].field, "x.items[0].category");
  EXPECT_FALSE(ParseChecklistToml("key = "));
}

}  // namespace
}  // namespace xiaoan::inspections
