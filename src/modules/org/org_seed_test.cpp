#include "modules/org/org_seed.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace xiaoan::org {
namespace {

TEST(HenanDivisions, HoldTheProvinceItsCitiesJiyuanAndEveryCountyLevelUnit) {
  auto units = HenanDivisions();
  ASSERT_TRUE(units);
  std::map<Level, int> by_level;
  std::map<std::string, const OrgUnit*> by_code;
  for (const auto& u : *units) {
    by_level[u.level]++;
    by_code[u.code] = &u;
  }
  EXPECT_EQ(by_level[Level::kProvince], 1);
  EXPECT_EQ(by_level[Level::kCity], 18) << "17 prefecture cities and Jiyuan";
  EXPECT_GE(by_level[Level::kCounty], 150);
  EXPECT_LE(by_level[Level::kCounty], 160);
  ASSERT_TRUE(by_code.contains("410105"));
  EXPECT_EQ(by_code["410105"]->name, "金水区");
  EXPECT_EQ(by_code["410105"]->path, "/410000/410100/410105/");
  EXPECT_EQ(by_code["410302"]->name, "老城区");
  ASSERT_TRUE(by_code.contains("419001"));
  EXPECT_EQ(by_code["419001"]->level, Level::kCity);
  EXPECT_EQ(by_code["419001"]->parent_code, "410000");
  for (const auto& u : *units) EXPECT_NE(u.code[4], '7') << u.code << " is a functional zone";
}

TEST(DemoSchools, AreDeterministicMarkedAndPlausible) {
  auto units = HenanDivisions();
  ASSERT_TRUE(units);
  const OrgUnit* jinshui = nullptr;
  for (const auto& u : *units)
    if (u.code == "410105") jinshui = &u;
  ASSERT_NE(jinshui, nullptr);
  const int n = DemoSchoolCount("410105");
  EXPECT_GE(n, 24);
  EXPECT_LE(n, 48);
  auto a = DemoSchools(*jinshui, n), b = DemoSchools(*jinshui, n);
  ASSERT_EQ(a.size(), static_cast<size_t>(n));
  std::set<std::string> codes;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].code, b[i].code);
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_TRUE(a[i].demo);
    EXPECT_TRUE(a[i].name.starts_with("【演示】"));
    EXPECT_TRUE(a[i].code.starts_with("9410105"));
    EXPECT_EQ(a[i].code.size(), 10u);
    ASSERT_TRUE(a[i].attributes);
    EXPECT_GE(a[i].attributes->class_count, 1);
    EXPECT_TRUE(a[i].attributes->boarding || a[i].attributes->boarding_students == 0);
    codes.insert(a[i].code);
  }
  EXPECT_EQ(codes.size(), a.size());
  EXPECT_EQ(a[0].code, "9410105001");
  EXPECT_EQ(a[0].attributes->school_type, SchoolType::kPrimary);
}

TEST(DemoSchools, TheProvinceGetsAFewThousand) {
  auto units = HenanDivisions();
  ASSERT_TRUE(units);
  int total = 0;
  for (const auto& u : *units)
    if (u.level == Level::kCounty) total += DemoSchoolCount(u.code);
  EXPECT_GT(total, 3000);
  EXPECT_LT(total, 8000);
}

}  // namespace
}  // namespace xiaoan::org
