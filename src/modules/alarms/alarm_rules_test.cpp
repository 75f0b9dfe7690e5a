#include "modules/alarms/alarm_rules.hpp"

#include <gtest/gtest.h>

namespace xiaoan::alarms {
namespace {

Principal At(const std::string& code, const std::string& path, Role role) {
  Principal p;
  p.role = role;
  p.org_code = code;
  p.org_path = path;
  return p;
}

TEST(AlarmRules, StepsMoveForwardOnlyAndMaySkip) {
  EXPECT_TRUE(MayAdvance("raised", "acknowledged"));
  EXPECT_TRUE(MayAdvance("raised", "on_scene"));
  EXPECT_TRUE(MayAdvance("raised", "closed"));
  EXPECT_TRUE(MayAdvance("on_scene", "closed"));
  EXPECT_FALSE(MayAdvance("acknowledged", "acknowledged"));
  EXPECT_FALSE(MayAdvance("dispatched", "acknowledged"));
  EXPECT_FALSE(MayAdvance("closed", "raised"));
  EXPECT_FALSE(MayAdvance("raised", "raised"));
  EXPECT_FALSE(MayAdvance("raised", "nonsense"));
}

TEST(AlarmRules, UnansweredAlarmsClimbCountyCityProvinceThenStop) {
  EXPECT_EQ(NextLevel("county"), "city");
  EXPECT_EQ(NextLevel("city"), "province");
  EXPECT_EQ(NextLevel("province"), std::nullopt);
}

TEST(AlarmRules, TheSchoolsLeadersAndTheBureausOfficersInsideTheJurisdictionHandleAlarms) {
  const std::string school = "/410000/410100/410105/9410105001/";
  EXPECT_TRUE(MayHandle(At("9410105001", school, Role::kPrincipal), school));
  EXPECT_TRUE(MayHandle(At("9410105001", school, Role::kSchoolSafetyOfficer), school));
  EXPECT_FALSE(MayHandle(At("9410105001", school, Role::kGuard), school));
  EXPECT_FALSE(MayHandle(At("9410105001", school, Role::kClassTeacher), school));
  EXPECT_TRUE(MayHandle(At("410105", "/410000/410100/410105/", Role::kBureauSafetyOfficer), school));
  EXPECT_TRUE(MayHandle(At("410000", "/410000/", Role::kBureauAdmin), school));
  EXPECT_FALSE(MayHandle(At("410100", "/410000/410100/", Role::kBureauLeader), school));
  EXPECT_FALSE(MayHandle(At("410302", "/410000/410300/410302/", Role::kBureauSafetyOfficer), school));
  EXPECT_TRUE(MayRaise(At("9410105001", school, Role::kGuard), "9410105001"));
  EXPECT_FALSE(MayRaise(At("9410105002", school, Role::kGuard), "9410105001"));
  EXPECT_FALSE(MayRaise(At("410105", "/410000/410100/410105/", Role::kBureauSafetyOfficer), "9410105001"));
}

TEST(AlarmRules, OutcomesFitTheKind) {
  EXPECT_TRUE(OutcomeFits("real", "false_alarm"));
  EXPECT_TRUE(OutcomeFits("real", "handled"));
  EXPECT_FALSE(OutcomeFits("real", "test_passed"));
  EXPECT_TRUE(OutcomeFits("test", "test_failed"));
  EXPECT_FALSE(OutcomeFits("test", "false_alarm"));
  EXPECT_TRUE(OutcomeFits("drill", "drill_done"));
  EXPECT_FALSE(OutcomeFits("drill", "handled"));
}

}  // namespace
}  // namespace xiaoan::alarms
