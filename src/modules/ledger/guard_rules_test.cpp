#include "modules/ledger/guard_rules.hpp"

#include <gtest/gtest.h>

namespace xiaoan::ledger {
namespace {

const GuardRuleSet& Set(const std::string& id) {
  for (const auto& s : ShippedGuardRuleSets())
    if (s.id == id) return s;
  throw std::runtime_error("no rule set " + id);
}

struct GuardCase {
  const char* rule_set;
  int64_t day, boarders;
  bool boarding;
  int64_t expected;
};

void PrintTo(const GuardCase& c, std::ostream* os) {
  *os << c.rule_set << " day=" << c.day << " boarders=" << c.boarders << " boarding=" << c.boarding;
}

class RequiredGuardsAtTheBoundaries : public ::testing::TestWithParam<GuardCase> {};

TEST_P(RequiredGuardsAtTheBoundaries, FollowTheRuleSet) {
  const auto& c = GetParam();
  EXPECT_EQ(RequiredGuards(Set(c.rule_set), c.day, c.boarders, c.boarding), c.expected);
}

// GB/T 29315-2022: <100 → 1; 100–999 → 2; ≥1000 → 3, +1 per further 500.
INSTANTIATE_TEST_SUITE_P(
    Gbt29315, RequiredGuardsAtTheBoundaries,
    ::testing::Values(GuardCase{"gbt29315-2022", 0, 0, false, 1}, GuardCase{"gbt29315-2022", 99, 0, false, 1},
                      GuardCase{"gbt29315-2022", 100, 0, false, 2}, GuardCase{"gbt29315-2022", 999, 0, false, 2},
                      GuardCase{"gbt29315-2022", 1000, 0, false, 3}, GuardCase{"gbt29315-2022", 1499, 0, false, 3},
                      GuardCase{"gbt29315-2022", 1500, 0, false, 4}, GuardCase{"gbt29315-2022", 1501, 0, false, 4},
                      GuardCase{"gbt29315-2022", 1999, 0, false, 4}, GuardCase{"gbt29315-2022", 2000, 0, false, 5},
                      GuardCase{"gbt29315-2022", 500, 800, true, 2}));

// Hubei preset: at least 2; +1 per 500 over 1,000; +1 per 200 boarders.
INSTANTIATE_TEST_SUITE_P(Hubei, RequiredGuardsAtTheBoundaries,
                         ::testing::Values(GuardCase{"hubei", 50, 0, false, 2}, GuardCase{"hubei", 999, 0, false, 2},
                                           GuardCase{"hubei", 1499, 0, false, 2}, GuardCase{"hubei", 1500, 0, false, 3},
                                           GuardCase{"hubei", 800, 199, true, 2}, GuardCase{"hubei", 800, 200, true, 3},
                                           GuardCase{"hubei", 800, 399, true, 3},
                                           GuardCase{"hubei", 800, 400, true, 4}));

// Beijing preset: at least 3; at least 4 in a boarding school.
INSTANTIATE_TEST_SUITE_P(Beijing, RequiredGuardsAtTheBoundaries,
                         ::testing::Values(GuardCase{"beijing", 10, 0, false, 3},
                                           GuardCase{"beijing", 3000, 0, false, 3},
                                           GuardCase{"beijing", 10, 5, true, 4}));

TEST(GuardRuleSets, TheShippedFileHasOneDefaultAndEveryValueCitesASource) {
  const auto& sets = ShippedGuardRuleSets();
  ASSERT_EQ(sets.size(), 3u);
  int defaults = 0;
  for (const auto& s : sets) {
    defaults += s.is_default;
    for (const RuleValue* v : {&s.small_threshold, &s.base_small, &s.base_medium, &s.large_threshold, &s.base_large,
                               &s.step_students, &s.per_boarders, &s.minimum, &s.boarding_minimum}) {
      EXPECT_FALSE(v->source.empty()) << s.id;
      EXPECT_TRUE(v->confidence == "V" || v->confidence == "L" || v->confidence == "U") << s.id;
    }
  }
  EXPECT_EQ(defaults, 1);
  EXPECT_TRUE(Set("gbt29315-2022").is_default);
}

TEST(GuardRuleSets, BrokenFilesAreRejectedNamingTheValue) {
  auto missing = ParseGuardRuleSets(R"(
[[rule_set]]
id = "x"
default = true
small_threshold = { value = 100, source = "s", clause = "c", confidence = "V" }
)");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().fields.at(0).field, "x.base_small");
  auto no_default = ParseGuardRuleSets("[[rule_set]]\nid = \"x\"\n");
  ASSERT_FALSE(no_default);
  EXPECT_FALSE(ParseGuardRuleSets("this is = = not toml"));
}

}  // namespace
}  // namespace xiaoan::ledger
