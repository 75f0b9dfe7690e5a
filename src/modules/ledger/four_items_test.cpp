#include "modules/ledger/four_items.hpp"

#include <gtest/gtest.h>

namespace xiaoan::ledger {
namespace {

const GuardRuleSet& Gbt() { return ShippedGuardRuleSets().front(); }

TEST(FourItems, GuardsAreMetAtTheRequiredNumberAndTheReasonSaysHowMany) {
  ASSERT_TRUE(Gbt().is_default);
  EXPECT_EQ(EvaluateGuards(Gbt(), 1200, 0, false, 3).state, ItemState::kMet);
  auto short_one = EvaluateGuards(Gbt(), 1200, 0, false, 2);
  EXPECT_EQ(short_one.state, ItemState::kNotMet);
  ASSERT_EQ(short_one.reasons_en.size(), 1u);
  EXPECT_EQ(short_one.reasons_en[0], "needs 3 full-time guards, has 2");
  EXPECT_EQ(short_one.reasons_zh[0], "应配备3名专职保安，现有2名");
}

TEST(FourItems, ClosedManagementListsEveryMissingMeasure) {
  EXPECT_EQ(EvaluateClosedManagement({true, true, true, true}).state, ItemState::kMet);
  auto r = EvaluateClosedManagement({true, false, false, true});
  EXPECT_EQ(r.state, ItemState::kNotMet);
  EXPECT_EQ(r.reasons_en.size(), 2u);
}

TEST(FourItems, ProtectionPostsDoNotApplyToRuralSchools) {
  EXPECT_EQ(EvaluateProtectionPosts(false, 10, 10, 10).state, ItemState::kNotApplicable);
  EXPECT_EQ(EvaluateProtectionPosts(true, 10, 0, 0).state, ItemState::kMet);
  auto r = EvaluateProtectionPosts(true, 10, 4, 0);
  EXPECT_EQ(r.state, ItemState::kNotMet);
  EXPECT_EQ(r.reasons_en.at(0), "no arrival post recorded on 4 of the last 10 school days");
}

TEST(FourItems, TheAlarmMustBeNetworkedAndTestedWithinTheWindow) {
  EXPECT_EQ(EvaluateAlarmAndVideo(true, true, 30, 30).state, ItemState::kMet);
  auto late = EvaluateAlarmAndVideo(true, true, 31, 30);
  EXPECT_EQ(late.state, ItemState::kNotMet);
  EXPECT_EQ(late.reasons_en.at(0), "alarm not tested in the last 30 days");
  auto never = EvaluateAlarmAndVideo(false, true, std::nullopt, 30);
  EXPECT_EQ(never.reasons_en.size(), 2u);
}

}  // namespace
}  // namespace xiaoan::ledger
