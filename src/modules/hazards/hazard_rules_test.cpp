#include "modules/hazards/hazard_rules.hpp"

#include <gtest/gtest.h>

namespace xiaoan::hazards {
namespace {

const std::string kSchool = "9410105001";
const std::string kPath = "/410000/410100/410105/9410105001/";

Principal At(const std::string& username, const std::string& code, const std::string& path, Role role) {
  Principal p;
  p.username = username;
  p.role = role;
  p.org_code = code;
  p.org_path = path;
  return p;
}

const Principal kPrincipal = At("principal", kSchool, kPath, Role::kPrincipal);
const Principal kSecretary = At("secretary", kSchool, kPath, Role::kPartySecretary);
const Principal kSafety = At("safety", kSchool, kPath, Role::kSchoolSafetyOfficer);
const Principal kGuard = At("guard", kSchool, kPath, Role::kGuard);
const Principal kTeacher = At("teacher", kSchool, kPath, Role::kClassTeacher);
const Principal kOtherPrincipal = At("other", "9410105002", "/410000/410100/410105/9410105002/", Role::kPrincipal);
const Principal kCounty = At("county", "410105", "/410000/410100/410105/", Role::kBureauSafetyOfficer);
const Principal kCity = At("city", "410100", "/410000/410100/", Role::kBureauSafetyOfficer);
const Principal kCityAdmin = At("city-admin", "410100", "/410000/410100/", Role::kBureauAdmin);
const Principal kCityLeader = At("city-leader", "410100", "/410000/410100/", Role::kBureauLeader);
const Principal kProvince = At("province", "410000", "/410000/", Role::kBureauSafetyOfficer);
const Principal kOtherCounty = At("county2", "410302", "/410000/410300/410302/", Role::kBureauSafetyOfficer);

Hazard Base(const std::string& state, const std::string& grade = "ordinary") {
  Hazard h;
  h.school_code = kSchool;
  h.path = kPath;
  h.state = state;
  h.grade = grade;
  h.found_by = "guard";
  return h;
}
Hazard Planned(const std::string& state, const std::string& grade = "ordinary") {
  Hazard h = Base(state, grade);
  h.responsible = "张校长";
  h.measures = "更换灭火器";
  h.funds = "2000元";
  h.deadline = "2026-12-10";
  h.contingency_plan = "疏散预案";
  h.interim_measures = "设置警示标志";
  return h;
}
ActionInput Act(const std::string& action, const std::string& note = "", int photos = 0) {
  ActionInput in;
  in.action = action;
  in.note = note;
  in.text = note;
  for (int i = 0; i < photos; ++i) in.photos.push_back("p" + std::to_string(i));
  return in;
}

struct Case {
  const char* name;
  Hazard hazard;
  Principal who;
  ActionInput input;
  std::string expect;  // the next state, or the refusal: "403", "400" or a 409 reason
};

std::string Outcome(const Case& c) {
  auto r = Decide(c.hazard, c.who, c.input);
  if (r) return *r;
  if (r.error().code == ErrorCode::kPermissionDenied) return "403";
  if (r.error().code == ErrorCode::kInvalidArgument) return "400";
  EXPECT_EQ(r.error().code, ErrorCode::kConflict) << c.name;
  return r.error().reason;
}

TEST(HazardRules, EveryAllowedTransitionAndEveryRefusalFollowsTheTable) {
  Hazard major_not_five = Planned("registered", "major");
  major_not_five.funds.clear();
  Hazard no_interim = Planned("registered");
  no_interim.interim_measures.clear();
  Hazard no_deadline = Planned("registered");
  no_deadline.deadline.reset();
  Hazard at_once = Base("registered");
  at_once.fixed_at_once = true;
  Hazard explaining = Planned("rectifying");
  explaining.overdue = true;
  explaining.explanation_required = true;
  explaining.supervising_level = "county";
  Hazard at_city = explaining;
  at_city.supervising_level = "city";
  Hazard overdue = explaining;
  ActionInput move_deadline = Act("plan");
  move_deadline.plan.deadline = "2027-01-31";
  ActionInput same_deadline = Act("plan");
  same_deadline.plan.deadline = "2026-12-10";
  Hazard fixed_awaiting = Base("awaiting_acceptance");
  fixed_awaiting.deadline.reset();
  ActionInput reject_with_deadline = Act("reject", "仍漏电");
  reject_with_deadline.plan.deadline = "2026-12-20";
  ActionInput new_measures = Act("plan");
  new_measures.plan.measures = "另行整改";

  const std::vector<Case> cases = {
      // plan: school leaders, registered or rectifying
      {"plan registered", Base("registered"), kPrincipal, new_measures, "registered"},
      {"plan rectifying", Planned("rectifying"), kSecretary, new_measures, "rectifying"},
      {"plan awaiting", Planned("awaiting_acceptance"), kPrincipal, new_measures, "invalid_transition"},
      {"plan closed", Planned("closed"), kPrincipal, new_measures, "invalid_transition"},
      {"plan by guard", Base("registered"), kGuard, new_measures, "403"},
      {"plan by county", Base("registered"), kCounty, new_measures, "403"},
      {"plan by another school", Base("registered"), kOtherPrincipal, new_measures, "403"},
      {"overdue deadline moves", overdue, kPrincipal, move_deadline, "deadline_locked"},
      {"overdue deadline kept", overdue, kPrincipal, same_deadline, "rectifying"},
      // start
      {"start ordinary", Planned("registered"), kSafety, Act("start"), "rectifying"},
      {"start major with five", Planned("registered", "major"), kPrincipal, Act("start"), "rectifying"},
      {"start major without five", major_not_five, kPrincipal, Act("start"), "five_not_in_place"},
      {"start without interim", no_interim, kPrincipal, Act("start"), "interim_measures_required"},
      {"start without deadline", no_deadline, kPrincipal, Act("start"), "deadline_required"},
      {"start fixed at once", at_once, kPrincipal, Act("start"), "rectifying"},
      {"start twice", Planned("rectifying"), kPrincipal, Act("start"), "invalid_transition"},
      {"start by teacher", Planned("registered"), kTeacher, Act("start"), "403"},
      // fix_now
      {"fix now", Base("registered"), kPrincipal, Act("fix_now", "已修复", 1), "awaiting_acceptance"},
      {"fix now without photos", Base("registered"), kPrincipal, Act("fix_now", "已修复"), "photos_required"},
      {"fix now major", Planned("registered", "major"), kPrincipal, Act("fix_now", "", 1), "major_not_fixable_at_once"},
      {"fix now rectifying", Planned("rectifying"), kPrincipal, Act("fix_now", "", 1), "invalid_transition"},
      // submit
      {"submit", Planned("rectifying"), kSafety, Act("submit", "整改完成", 2), "awaiting_acceptance"},
      {"submit without photos", Planned("rectifying"), kSafety, Act("submit", "整改完成"), "photos_required"},
      {"submit registered", Planned("registered"), kSafety, Act("submit", "", 1), "invalid_transition"},
      {"submit by guard", Planned("rectifying"), kGuard, Act("submit", "", 1), "403"},
      // accept and reject
      {"accept by principal", Planned("awaiting_acceptance"), kPrincipal, Act("accept", "合格"), "closed"},
      {"accept by county", Planned("awaiting_acceptance"), kCounty, Act("accept"), "closed"},
      {"accept by city admin", Planned("awaiting_acceptance"), kCityAdmin, Act("accept"), "closed"},
      {"accept by secretary", Planned("awaiting_acceptance"), kSecretary, Act("accept"), "403"},
      {"accept by reporter", Planned("awaiting_acceptance"), At("guard", kSchool, kPath, Role::kPrincipal),
       Act("accept"), "same_person"},
      {"accept by leader", Planned("awaiting_acceptance"), kCityLeader, Act("accept"), "403"},
      {"accept by other county", Planned("awaiting_acceptance"), kOtherCounty, Act("accept"), "403"},
      {"accept rectifying", Planned("rectifying"), kPrincipal, Act("accept"), "invalid_transition"},
      {"accept closed", Planned("closed"), kPrincipal, Act("accept"), "invalid_transition"},
      {"reject", Planned("awaiting_acceptance"), kCounty, Act("reject", "灭火器压力不足"), "rectifying"},
      {"reject without note", Planned("awaiting_acceptance"), kCounty, Act("reject"), "note_required"},
      {"reject fixed at once without a rework deadline", fixed_awaiting, kCounty, Act("reject", "仍漏电"),
       "deadline_required"},
      {"reject fixed at once with a rework deadline", fixed_awaiting, kCounty, reject_with_deadline, "rectifying"},
      {"reject by reporter", Planned("awaiting_acceptance"), At("guard", kSchool, kPath, Role::kSchoolSafetyOfficer),
       Act("reject", "x"), "same_person"},
      // explain
      {"explain", explaining, kPrincipal, Act("explain", "资金未到位"), "rectifying"},
      {"explain without text", explaining, kPrincipal, Act("explain"), "text_required"},
      {"explain unasked", Planned("rectifying"), kPrincipal, Act("explain", "x"), "explanation_not_required"},
      {"explain by county", explaining, kCounty, Act("explain", "x"), "403"},
      // supervise
      {"supervise at county", explaining, kCounty, Act("supervise", "限期一周"), "rectifying"},
      {"supervise by city while county", explaining, kCity, Act("supervise", "x"), "not_supervising_level"},
      {"supervise at city", at_city, kCityAdmin, Act("supervise", "挂牌督办"), "rectifying"},
      {"supervise by province while city", at_city, kProvince, Act("supervise", "x"), "not_supervising_level"},
      {"supervise at school level", Planned("rectifying"), kCounty, Act("supervise", "x"), "not_supervising_level"},
      {"supervise without note", explaining, kCounty, Act("supervise"), "note_required"},
      {"supervise by leader", at_city, kCityLeader, Act("supervise", "x"), "403"},
      {"supervise by principal", explaining, kPrincipal, Act("supervise", "x"), "403"},
      // everything on a closed hazard, and unknown actions
      {"explain closed", Planned("closed"), kPrincipal, Act("explain", "x"), "invalid_transition"},
      {"reject closed", Planned("closed"), kCounty, Act("reject", "x"), "invalid_transition"},
      {"unknown action", Base("registered"), kPrincipal, Act("delete"), "400"},
  };
  for (const auto& c : cases) EXPECT_EQ(Outcome(c), c.expect) << c.name;
}

TEST(HazardRules, AnOverdueHazardClimbsCountyCityProvinceAndAJiyuanSchoolSkipsTheCounty) {
  EXPECT_EQ(NextLevel("school", kPath), "county");
  EXPECT_EQ(NextLevel("county", kPath), "city");
  EXPECT_EQ(NextLevel("city", kPath), "province");
  EXPECT_EQ(NextLevel("province", kPath), std::nullopt);
  EXPECT_EQ(NextLevel("school", "/410000/419001/9419001001/"), "city");
  EXPECT_EQ(LevelOfPath("/410000/"), "province");
  EXPECT_EQ(LevelOfPath("/410000/410100/"), "city");
  EXPECT_EQ(LevelOfPath("/410000/410100/410105/"), "county");
  EXPECT_EQ(LevelOfPath(kPath), "school");
}

TEST(HazardRules, AnySchoolStaffReportsDirectlyAndBureausRecordSpotChecks) {
  EXPECT_TRUE(MayReport(kGuard, kSchool, kPath, "direct"));
  EXPECT_TRUE(MayReport(kTeacher, kSchool, kPath, "direct"));
  EXPECT_EQ(MayReport(kGuard, kSchool, kPath, "spot_check").error().fields.at(0).field, "source");
  EXPECT_EQ(MayReport(kOtherPrincipal, kSchool, kPath, "direct").error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(MayReport(kCounty, kSchool, kPath, "spot_check"));
  EXPECT_TRUE(MayReport(kCityAdmin, kSchool, kPath, "unannounced"));
  EXPECT_EQ(MayReport(kCounty, kSchool, kPath, "direct").error().fields.at(0).field, "source");
  EXPECT_EQ(MayReport(kCityLeader, kSchool, kPath, "spot_check").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(MayReport(kOtherCounty, kSchool, kPath, "spot_check").error().code, ErrorCode::kPermissionDenied);
}

TEST(HazardRules, FiveInPlaceNeedsAllFiveAndInterimMeasuresAreNotOneOfThem) {
  Hazard h = Planned("registered", "major");
  EXPECT_TRUE(h.FiveInPlace());
  h.interim_measures.clear();
  EXPECT_TRUE(h.FiveInPlace());
  for (auto clear : {+[](Hazard& x) { x.responsible.clear(); }, +[](Hazard& x) { x.measures.clear(); },
                     +[](Hazard& x) { x.funds.clear(); }, +[](Hazard& x) { x.deadline.reset(); },
                     +[](Hazard& x) { x.contingency_plan.clear(); }}) {
    Hazard y = Planned("registered", "major");
    clear(y);
    EXPECT_FALSE(y.FiveInPlace());
  }
  PlanFields plan;
  plan.funds = "";
  plan.deadline = "2027-03-01";
  const Hazard after = ApplyPlan(Planned("registered"), plan);
  EXPECT_TRUE(after.funds.empty());
  EXPECT_EQ(after.deadline, "2027-03-01");
  EXPECT_EQ(after.measures, "更换灭火器");
}

}  // namespace
}  // namespace xiaoan::hazards
