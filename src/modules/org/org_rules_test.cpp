#include "modules/org/org_rules.hpp"

#include <gtest/gtest.h>

namespace xiaoan::org {
namespace {

TEST(RegionCodes, TwoAndFourDigitCodesNormaliseToSix) {
  EXPECT_EQ(NormaliseRegionCode("41"), "410000");
  EXPECT_EQ(NormaliseRegionCode("4101"), "410100");
  EXPECT_EQ(NormaliseRegionCode("410105"), "410105");
  for (const char* bad : {"", "4", "41010", "4101050", "41a1", "4101 5"}) EXPECT_FALSE(NormaliseRegionCode(bad)) << bad;
}

TEST(NameBlanks, AreTrimmedAtBothEndsOnly) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},
      {"   ", ""},
      {"\t \r\n", ""},
      {"\u3000", ""},
      {" \u3000\t\u3000 ", ""},
      {"第一中学", "第一中学"},
      {"  第一中学\t", "第一中学"},
      {"\u3000第一中学\u3000", "第一中学"},
      {"\u3000 第一 中学 \u3000", "第一 中学"},
      {"第一\u3000中学", "第一\u3000中学"},
      {"\u00a0x", "\u00a0x"},  // a no-break space is not one of the blanks trimmed
  };
  for (const auto& [given, trimmed] : cases) EXPECT_EQ(TrimBlanks(given), trimmed) << '"' << given << '"';
}

TEST(SchoolCodes, AreExactlyTenDigits) {
  EXPECT_TRUE(IsSchoolCode("9410105001"));
  EXPECT_FALSE(IsSchoolCode("941010500"));
  EXPECT_FALSE(IsSchoolCode("94101050011"));
  EXPECT_FALSE(IsSchoolCode("941010500x"));
}

TEST(SchoolPlacement, SchoolsHangUnderCountiesOrCitiesWithoutCounties) {
  EXPECT_TRUE(CanHoldSchools(Level::kCounty, 0));
  EXPECT_TRUE(CanHoldSchools(Level::kCity, 0)) << "Jiyuan 419001 has no counties";
  EXPECT_FALSE(CanHoldSchools(Level::kCity, 6));
  EXPECT_FALSE(CanHoldSchools(Level::kProvince, 0));
  EXPECT_FALSE(CanHoldSchools(Level::kSchool, 0));
}

TEST(SchoolWriters, OnlyBureauAdministratorsSafetyOfficersAndTheSystemAdministrator) {
  EXPECT_TRUE(CanManageSchools(Role::kBureauAdmin));
  EXPECT_TRUE(CanManageSchools(Role::kBureauSafetyOfficer));
  EXPECT_TRUE(CanManageSchools(Role::kSystemAdmin));
  for (Role r : {Role::kBureauLeader, Role::kPrincipal, Role::kGuard, Role::kAuditAdmin, Role::kSecurityAdmin})
    EXPECT_FALSE(CanManageSchools(r)) << RoleName(r);
}

struct AttributeCase {
  int64_t day, boarders, classes;
  bool boarding;
  size_t errors;
};

void PrintTo(const AttributeCase& c, std::ostream* os) {
  *os << "day=" << c.day << " boarders=" << c.boarders << " classes=" << c.classes << " boarding=" << c.boarding;
}

class AttributeBounds : public ::testing::TestWithParam<AttributeCase> {};

TEST_P(AttributeBounds, AreCheckedAtTheEdges) {
  const auto& c = GetParam();
  SchoolAttributes a;
  a.day_students = c.day;
  a.boarding_students = c.boarders;
  a.class_count = c.classes;
  a.boarding = c.boarding;
  std::vector<FieldError> errors;
  CheckAttributes(a, "", errors);
  EXPECT_EQ(errors.size(), c.errors);
}

INSTANTIATE_TEST_SUITE_P(Cases, AttributeBounds,
                         ::testing::Values(AttributeCase{0, 0, 0, false, 0}, AttributeCase{100000, 0, 1000, false, 0},
                                           AttributeCase{100001, 0, 1, false, 1}, AttributeCase{-1, 0, 1, false, 1},
                                           AttributeCase{10, 0, 1001, false, 1}, AttributeCase{10, 5, 1, false, 1},
                                           AttributeCase{10, 5, 1, true, 0}));

}  // namespace
}  // namespace xiaoan::org
