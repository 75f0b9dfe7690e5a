#include "modules/org/school_import.hpp"

#include <gtest/gtest.h>

namespace xiaoan::org {
namespace {

TEST(Csv, HandlesQuotesBomAndLineEndings) {
  auto rows = ParseCsv(
      "\xEF\xBB\xBF"
      "a,\"b,c\",\"say \"\"hi\"\"\"\r\n1,2,3\n\n4,,\"multi\nline\"");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ((*rows)[2], (std::vector<std::string>{"4", "", "multi\nline"}));
}

TEST(Csv, AnUnclosedQuoteIsAnError) {
  auto rows = ParseCsv("a,b\n\"open,1\n");
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().fields.at(0).field, "body");
}

TEST(SchoolTable, AcceptsChineseHeadersAndValues) {
  std::vector<FieldError> errors;
  auto schools =
      SchoolsFromTable({{"学校标识码", "学校名称", "学校类型", "城乡", "寄宿", "走读生数", "寄宿生数", "班级数"},
                        {"4101050001", "金水区测试小学", "小学", "城区", "否", "800", "0", "18"}},
                       "410105", errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(schools.size(), 1u);
  EXPECT_EQ(schools[0].attributes.school_type, SchoolType::kPrimary);
  EXPECT_EQ(schools[0].attributes.locality, Locality::kUrban);
  EXPECT_EQ(schools[0].attributes.class_count, 18);
  EXPECT_EQ(schools[0].row, 2);
}

TEST(SchoolTable, ReportsEveryBadCellWithItsSpreadsheetRow) {
  std::vector<FieldError> errors;
  auto schools = SchoolsFromTable(
      {{"code", "name", "school_type", "locality", "boarding", "day_students", "boarding_students", "class_count"},
       {"4101050001", "好学校", "primary", "urban", "false", "10", "0", "1"},
       {"123", "", "castle", "urban", "maybe", "-1", "0", "x"}},
      "410105", errors);
  EXPECT_EQ(schools.size(), 1u);
  std::vector<std::string> fields;
  for (const auto& e : errors) {
    EXPECT_EQ(e.row, 3);
    fields.push_back(e.field);
  }
  EXPECT_EQ(fields,
            (std::vector<std::string>{"code", "name", "school_type", "boarding", "day_students", "class_count"}));
}

TEST(SchoolTable, NamesAreTrimmedAndANameOfBlanksIsRefused) {
  std::vector<FieldError> errors;
  auto schools = SchoolsFromTable(
      {{"code", "name", "school_type", "locality", "boarding", "day_students", "boarding_students", "class_count"},
       {"4101050001", "\u3000 金水区测试小学\u3000", "primary", "urban", "false", "10", "0", "1"},
       {"4101050002", " \u3000\t", "primary", "urban", "false", "10", "0", "1"}},
      "410105", errors);
  ASSERT_EQ(schools.size(), 1u);
  EXPECT_EQ(schools[0].name, "金水区测试小学");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].row, 3);
  EXPECT_EQ(errors[0].field, "name");
}

TEST(SchoolTable, MissingAndUnknownColumnsAreReportedOnTheHeaderRow) {
  std::vector<FieldError> errors;
  EXPECT_TRUE(SchoolsFromTable({{"code", "name", "colour"}}, "410105", errors).empty());
  ASSERT_FALSE(errors.empty());
  for (const auto& e : errors) EXPECT_EQ(e.row, 1);
}

TEST(SchoolJsonRows, RowNumbersCountTheHeader) {
  std::vector<FieldError> errors;
  auto rows = nlohmann::json::parse(R"([
    {"code":"4101050001","name":"A","school_type":"primary","locality":"urban","boarding":false,"day_students":1,"boarding_students":0,"class_count":1},
    {"code":"4101050002","name":"B","school_type":"primary","locality":"mars","boarding":false,"day_students":1,"boarding_students":0,"class_count":1}
  ])");
  auto schools = SchoolsFromJsonRows(rows, "410105", errors);
  EXPECT_EQ(schools.size(), 1u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].row, 3);
  EXPECT_EQ(errors[0].field, "locality");
}

}  // namespace
}  // namespace xiaoan::org
