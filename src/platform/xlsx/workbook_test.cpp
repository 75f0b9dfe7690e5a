#include "platform/xlsx/workbook.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <thread>

namespace xiaoan::xlsx {
namespace {

namespace fs = std::filesystem;

// Each test runs with TMPDIR pointing at a fresh directory, and that directory must be empty
// afterwards: Write leaves no file behind, on success or failure.
class Xlsx : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("TMPDIR");
    if (old != nullptr) old_tmpdir_ = old;
    tmpdir_ = MakeDir("xiaoan-xlsx-test-tmp-XXXXXX");
    scratch_ = MakeDir("xiaoan-xlsx-test-scratch-XXXXXX");
    ::setenv("TMPDIR", tmpdir_.c_str(), 1);
  }
  void TearDown() override {
    if (old_tmpdir_) {
      ::setenv("TMPDIR", old_tmpdir_->c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(tmpdir_)) left.push_back(entry.path().filename().string());
    EXPECT_TRUE(left.empty()) << "left behind: " << ::testing::PrintToString(left);
    fs::remove_all(tmpdir_);
    fs::remove_all(scratch_);
  }

  static fs::path MakeDir(const char* pattern) {
    std::string path = (fs::temp_directory_path() / pattern).string();
    EXPECT_NE(::mkdtemp(path.data()), nullptr);
    return path;
  }

  // The uncompressed content of `part` inside the zip `bytes`, read with unzip(1).
  std::string Part(const std::string& bytes, const std::string& part) {
    const fs::path file = scratch_ / "book.xlsx";
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
    const std::string command = "unzip -p '" + file.string() + "' '" + part + "' 2>/dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
      ADD_FAILURE() << "cannot run unzip";
      return "";
    }
    std::string out;
    char buffer[65536];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    const int status = ::pclose(pipe);
    EXPECT_EQ(status, 0) << "unzip could not read " << part;
    return out;
  }

  fs::path tmpdir_;
  fs::path scratch_;
  std::optional<std::string> old_tmpdir_;
};

Sheet Guards() {
  Sheet sheet;
  sheet.name = "保安";
  sheet.columns = {{"姓名", 12, {}}, {"年龄", 8, {}}, {"持证上岗", 10, {"是", "否"}}, {"月薪", 10, {}}};
  sheet.rows = {{std::string("张三"), int64_t{42}, true, 3500.5}, {std::string("李四"), int64_t{-7}, false}};
  return sheet;
}

TEST(XlsxCellRef, NamesColumnsByLettersAndRowsFromOne) {
  const struct {
    int column;
    int row;
    const char* want;
  } cases[] = {{0, 1, "A1"},    {25, 1, "Z1"},    {26, 1, "AA1"},
               {51, 9, "AZ9"},  {52, 10, "BA10"}, {3, 7, "D7"},
               {701, 2, "ZZ2"}, {702, 3, "AAA3"}, {16383, 1048576, "XFD1048576"}};
  for (const auto& c : cases) EXPECT_EQ(CellRef(c.column, c.row), c.want) << c.column << "," << c.row;
}

TEST_F(Xlsx, WritesAZipWithTheWorkbookPartsAndChineseText) {
  auto bytes = Write({Guards()});
  ASSERT_TRUE(bytes) << bytes.error().message;
  ASSERT_GE(bytes->size(), 4u);
  EXPECT_EQ(bytes->substr(0, 4), std::string("PK\x03\x04", 4));

  EXPECT_NE(Part(*bytes, "xl/workbook.xml").find("<sheet name=\"保安\""), std::string::npos);
  const std::string strings = Part(*bytes, "xl/sharedStrings.xml");
  for (const char* text : {"姓名", "年龄", "持证上岗", "月薪", "张三", "李四"})
    EXPECT_NE(strings.find(std::string("<t>") + text + "</t>"), std::string::npos) << text;

  const std::string sheet = Part(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(std::regex_search(sheet, std::regex(R"(<c r="B2"[^>]*><v>42</v></c>)"))) << sheet;
  EXPECT_TRUE(std::regex_search(sheet, std::regex(R"(<c r="B3"[^>]*><v>-7</v></c>)")));
  EXPECT_TRUE(std::regex_search(sheet, std::regex(R"(<c r="C2"[^>]*t="b"[^>]*><v>1</v></c>)")));
  EXPECT_TRUE(std::regex_search(sheet, std::regex(R"(<c r="C3"[^>]*t="b"[^>]*><v>0</v></c>)")));
  EXPECT_TRUE(std::regex_search(sheet, std::regex(R"(<c r="D2"[^>]*><v>3500.5</v></c>)")));
  EXPECT_EQ(sheet.find("<c r=\"D3\""), std::string::npos) << "a short row ends blank";
  // Header frozen, autofilter over header and data, widths.
  EXPECT_NE(sheet.find(R"(ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen")"), std::string::npos);
  EXPECT_NE(sheet.find(R"(<autoFilter ref="A1:D3"/>)"), std::string::npos);
  EXPECT_TRUE(std::regex_search(sheet, std::regex(R"(<col min="1" max="1" width="12\.[0-9]+" customWidth="1"/>)")));
  EXPECT_TRUE(std::regex_search(sheet, std::regex(R"(<col min="2" max="2" width="8\.[0-9]+" customWidth="1"/>)")));
  // The header cells carry a style that is bold on a solid fill.
  std::smatch header;
  ASSERT_TRUE(std::regex_search(sheet, header, std::regex(R"re(<c r="A1" s="([0-9]+)" t="s">)re")));
  const std::string styles = Part(*bytes, "xl/styles.xml");
  EXPECT_NE(styles.find("<b/>"), std::string::npos);
  EXPECT_NE(styles.find(R"(<patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/>)"), std::string::npos);
  EXPECT_NE(header[1], "0");
}

TEST_F(Xlsx, AllowedValuesBecomeADropDownOverTheDataRows) {
  Sheet sheet = Guards();
  sheet.validation_rows = 50;
  auto bytes = Write({sheet});
  ASSERT_TRUE(bytes) << bytes.error().message;
  const std::string xml = Part(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(std::regex_search(xml, std::regex(R"(<dataValidation type="list"[^>]*sqref="C2:C51">)"))) << xml;
  EXPECT_NE(xml.find("<formula1>\"是,否\"</formula1>"), std::string::npos);
  EXPECT_NE(xml.find(R"(<dataValidations count="1">)"), std::string::npos) << "only the column with a list";

  // More rows than validation_rows: the list covers every row.
  sheet.validation_rows = 1;
  bytes = Write({sheet});
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_NE(Part(*bytes, "xl/worksheets/sheet1.xml").find(R"(sqref="C2:C3")"), std::string::npos);
}

TEST_F(Xlsx, ListsTooLongForTheValidationGoOnAHiddenSheet) {
  Sheet sheet;
  sheet.name = "学校";
  Column school{"学校", 30, {}};
  for (int i = 1; i <= 100; ++i) school.allowed.push_back("【演示】金水区第" + std::to_string(i) + "小学");
  sheet.columns = {{"说明", 20, {"甲,乙", "丙"}}, school};  // a comma cannot be in an inline list
  sheet.rows = {{std::string("x"), std::string("【演示】金水区第1小学")}};
  auto bytes = Write({sheet});
  ASSERT_TRUE(bytes) << bytes.error().message;

  EXPECT_NE(Part(*bytes, "xl/workbook.xml").find(R"(<sheet name="下拉选项" sheetId="2" state="hidden")"),
            std::string::npos);
  const std::string xml = Part(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(xml.find("<formula1>'下拉选项'!$A$1:$A$2</formula1>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<formula1>'下拉选项'!$B$1:$B$100</formula1>"), std::string::npos) << xml;
  const std::string lists = Part(*bytes, "xl/worksheets/sheet2.xml");
  EXPECT_NE(lists.find(R"(<c r="A1" t="s">)"), std::string::npos);
  EXPECT_NE(lists.find(R"(<c r="B100" t="s">)"), std::string::npos);
  EXPECT_NE(Part(*bytes, "xl/sharedStrings.xml").find("<t>【演示】金水区第100小学</t>"), std::string::npos);
}

TEST_F(Xlsx, TheHiddenListSheetAvoidsTheCallersSheetNames) {
  Sheet lists;
  lists.name = "下拉选项";
  lists.columns = {{"项目", 14, {std::string(300, 'a')}}};
  auto bytes = Write({lists});
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_NE(Part(*bytes, "xl/workbook.xml").find(R"(<sheet name="下拉选项2" sheetId="2" state="hidden")"),
            std::string::npos);
}

TEST_F(Xlsx, ANoteGoesAboveAndMovesTheHeaderToRowTwo) {
  Sheet sheet = Guards();
  sheet.note = "填写说明：每行一名保安。\n持证上岗请选择“是”或“否”。";
  auto bytes = Write({sheet});
  ASSERT_TRUE(bytes) << bytes.error().message;
  const std::string strings = Part(*bytes, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("填写说明：每行一名保安。\n持证上岗"), std::string::npos) << strings;
  // Shared strings are numbered in the order written: the note is 0, the first header 1.
  EXPECT_LT(strings.find("填写说明"), strings.find("<t>姓名</t>"));
  const std::string xml = Part(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(std::regex_search(xml, std::regex(R"(<c r="A1" s="[0-9]+" t="s"><v>0</v></c>)"))) << xml;
  EXPECT_TRUE(std::regex_search(xml, std::regex(R"(<c r="A2" s="[0-9]+" t="s"><v>1</v></c>)")));
  EXPECT_TRUE(std::regex_search(xml, std::regex(R"(<c r="B3"[^>]*><v>42</v></c>)")));
  EXPECT_NE(xml.find(R"(<mergeCell ref="A1:D1"/>)"), std::string::npos);
  EXPECT_NE(xml.find(R"(ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen")"), std::string::npos);
  EXPECT_NE(xml.find(R"(<autoFilter ref="A2:D4"/>)"), std::string::npos);
  EXPECT_TRUE(std::regex_search(xml, std::regex(R"(<dataValidation type="list"[^>]*sqref="C3:C1002">)")));
  EXPECT_TRUE(std::regex_search(xml, std::regex(R"(<row r="1"[^>]* ht="30" customHeight="1")"))) << "two lines tall";
}

TEST_F(Xlsx, SheetsKeepTheirOrder) {
  Sheet devices;
  devices.name = "设备";
  devices.columns = {{"设备编号", 20, {}}};
  devices.rows = {{std::string("34020000001320000001")}};
  auto bytes = Write({Guards(), devices});
  ASSERT_TRUE(bytes) << bytes.error().message;
  const std::string workbook = Part(*bytes, "xl/workbook.xml");
  EXPECT_LT(workbook.find("name=\"保安\""), workbook.find("name=\"设备\""));
  EXPECT_NE(Part(*bytes, "xl/worksheets/sheet2.xml").find(R"(<autoFilter ref="A1:A2"/>)"), std::string::npos);
}

TEST_F(Xlsx, InvalidSheetNamesAreRejected) {
  const std::string chinese31 = [] {
    std::string s;
    for (int i = 0; i < 31; ++i) s += "校";
    return s;
  }();
  for (const std::string& name :
       {std::string(""), std::string(32, 'a'), chinese31 + "安", std::string("a[b"), std::string("a]b"),
        std::string("a:b"), std::string("a*b"), std::string("a?b"), std::string("a/b"), std::string("a\\b"),
        std::string("'ab"), std::string("ab'"), std::string("\xff\xfe")}) {
    Sheet sheet = Guards();
    sheet.name = name;
    auto bytes = Write({sheet});
    ASSERT_FALSE(bytes) << name;
    EXPECT_EQ(bytes.error().code, ErrorCode::kInvalidArgument) << name;
    ASSERT_EQ(bytes.error().fields.size(), 1u);
    EXPECT_EQ(bytes.error().fields[0].field, "sheets[0].name") << name;
  }
  for (const std::string& name : {std::string(31, 'a'), chinese31, std::string("a'b")}) {
    Sheet sheet = Guards();
    sheet.name = name;
    EXPECT_TRUE(Write({sheet})) << name;
  }
}

TEST_F(Xlsx, DuplicateSheetNamesIgnoringCaseAreRejected) {
  Sheet a = Guards();
  a.name = "Guards";
  Sheet b = Guards();
  b.name = "guards";
  auto bytes = Write({a, b});
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bytes.error().fields.at(0).field, "sheets[1].name");
}

TEST_F(Xlsx, BadContentIsRejectedNamingTheField) {
  auto none = Write({});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);

  Sheet wide = Guards();
  wide.rows.push_back({std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{}, std::string("多余")});
  auto bytes = Write({wide});
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bytes.error().fields.at(0).field, "sheets[0].rows[2]");

  Sheet garbled = Guards();
  garbled.rows[1][0] = std::string("\xd5\xc5\xc8");  // GBK bytes, not UTF-8
  bytes = Write({garbled});
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().fields.at(0).field, "sheets[0].rows[1][0]");
}

TEST_F(Xlsx, RowCountIsBoundedByExcelsSheetSize) {
  Sheet sheet;
  sheet.name = "满";
  sheet.columns = {{"序号", 8, {}}};
  sheet.validation_rows = 0;
  sheet.rows.resize(1048575);  // + the header = 1,048,576 rows
  auto bytes = Write({sheet});
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_NE(Part(*bytes, "xl/worksheets/sheet1.xml").find(R"(<autoFilter ref="A1:A1048576"/>)"), std::string::npos);

  sheet.note = "说明";  // one row more than Excel holds
  bytes = Write({sheet});
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bytes.error().fields.at(0).field, "sheets[0].rows");
}

TEST_F(Xlsx, LibraryFailuresAreInternalWithTheLibrarysMessage) {
  Sheet sheet = Guards();
  sheet.rows[0][0] = std::string(32768, 'x');  // Excel holds at most 32,767 characters in a cell
  auto bytes = Write({sheet});
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, ErrorCode::kInternal);
  EXPECT_NE(bytes.error().message.find("A2"), std::string::npos) << bytes.error().message;
  EXPECT_NE(bytes.error().message.find("32,767"), std::string::npos) << bytes.error().message;
}

TEST_F(Xlsx, TextThatLooksLikeAFormulaStaysText) {
  Sheet sheet = Guards();
  sheet.rows[0][0] = std::string("=HYPERLINK(\"http://x\",\"点我\")");
  auto bytes = Write({sheet});
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(Part(*bytes, "xl/worksheets/sheet1.xml").find("<f>"), std::string::npos);
  EXPECT_NE(Part(*bytes, "xl/sharedStrings.xml").find("<t>=HYPERLINK("), std::string::npos);
}

TEST_F(Xlsx, NonFiniteNumbersAreLeftBlank) {
  Sheet sheet = Guards();
  sheet.rows[0][3] = std::numeric_limits<double>::quiet_NaN();
  sheet.rows[1].push_back(std::numeric_limits<double>::infinity());
  auto bytes = Write({sheet});
  ASSERT_TRUE(bytes) << bytes.error().message;
  const std::string xml = Part(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(xml.find("<c r=\"D2\""), std::string::npos);
  EXPECT_EQ(xml.find("<c r=\"D3\""), std::string::npos);
}

TEST_F(Xlsx, WritesTwentyThousandRowsOfEightColumns) {
  Sheet sheet;
  sheet.name = "报警测试";
  for (const char* header : {"学校", "设备", "类型", "测试时间", "接警单位", "响应秒数", "是否联网", "备注"})
    sheet.columns.push_back({header, 14, {}});
  sheet.columns[6].allowed = {"是", "否"};
  sheet.rows.reserve(20000);
  for (int i = 0; i < 20000; ++i) {
    sheet.rows.push_back({"【演示】金水区第" + std::to_string(i % 300 + 1) + "小学", "设备" + std::to_string(i),
                          std::string("一键报警"), std::string("2024-05-01T08:00:00+08:00"), std::string("金水分局"),
                          int64_t{i % 60}, i % 7 != 0, 0.5 * i});
  }
  auto bytes = Write({sheet});
  ASSERT_TRUE(bytes) << bytes.error().message;
  const std::string xml = Part(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(xml.find(R"(<dimension ref="A1:H20001"/>)"), std::string::npos);
  EXPECT_TRUE(std::regex_search(xml, std::regex(R"(<c r="H20001"[^>]*><v>9999.5</v></c>)")));
  EXPECT_NE(Part(*bytes, "xl/sharedStrings.xml").find("<t>设备19999</t>"), std::string::npos);
}

TEST_F(Xlsx, ConcurrentCallsDoNotMixTheirWorkbooks) {
  std::vector<Result<std::string>> results(4, Fail(Error::Internal("not run")));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &results] {
      Sheet sheet = Guards();
      sheet.name = "线程" + std::to_string(t);
      for (int i = 0; i < 2000; ++i) sheet.rows.push_back({"人员" + std::to_string(t) + "-" + std::to_string(i)});
      results[t] = Write({sheet});
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) {
    ASSERT_TRUE(results[t]) << results[t].error().message;
    EXPECT_NE(Part(*results[t], "xl/workbook.xml").find("name=\"线程" + std::to_string(t) + "\""), std::string::npos);
    const std::string strings = Part(*results[t], "xl/sharedStrings.xml");
    EXPECT_NE(strings.find("<t>人员" + std::to_string(t) + "-1999</t>"), std::string::npos);
    EXPECT_EQ(strings.find("<t>人员" + std::to_string((t + 1) % 4) + "-"), std::string::npos);
  }
}

}  // namespace
}  // namespace xiaoan::xlsx
