// Schools written by a county: create, update, deactivate (each audited), and bulk import from
// CSV or JSON, where any bad row means nothing is written.
#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

class Schools : public ServerSuite<Schools> {
 public:
  static std::vector<NewAccount> Accounts() { return {{"it-auditor", "audit_admin", "410000"}}; }

 protected:
  void SetUp() override {
    ServerSuite::SetUp();
    county_ = server().Token("demo-county");
  }
  int64_t SchoolCount() {
    return server().Get("/api/v1/org-units/410105/schools?page_size=1", county_).Json().value("total", int64_t{-1});
  }
  HttpResponse ImportCsv(const std::string& csv) {
    return server().Send(
        {"POST", "/api/v1/org-units/410105/schools/import", csv, "text/csv; charset=utf-8", county_, {}});
  }
  // The audit records of demo-county's school writes, newest first.
  json SchoolAudit() {
    auto r = server().Get("/api/v1/audit?username=demo-county&action=org.school&page_size=500",
                          server().Token("it-auditor"));
    EXPECT_EQ(r.status, 200) << r;
    return r.Json()["items"];
  }
  // Whether `errors` has one for `row` and `field`.
  static bool HasError(const HttpResponse& r, int row, const std::string& field) {
    const json r_errors = r.Json()["errors"];
    for (const auto& e : r_errors)
      if (e.value("row", 0) == row && e.value("field", "") == field) return true;
    return false;
  }

  std::string county_;
};

const char* const kEnglishHeader =
    "code,name,school_type,locality,boarding,day_students,boarding_students,class_count\n";

TEST_F(Schools, CountyCreatesUpdatesAndDeactivatesASchoolAndEachWriteIsAudited) {
  const int64_t before = SchoolCount();
  const json stats_before = server().Get("/api/v1/org-units/410105/stats", county_).Json();
  json body = NewSchoolBody("410105", "8410105001", "集成测试第一学校");
  body["attributes"] = {{"school_type", "nine_year"}, {"locality", "town"},       {"boarding", true},
                        {"day_students", 500},        {"boarding_students", 100}, {"class_count", 14}};
  auto created = server().Send({"POST",
                                "/api/v1/org-units",
                                body.dump(),
                                "application/json",
                                county_,
                                {{"X-Request-Id", "it-create-school-1"}}});
  ASSERT_EQ(created.status, 201) << created;
  const json unit = created.Json();
  EXPECT_EQ(unit["code"], "8410105001");
  EXPECT_EQ(unit["name"], "集成测试第一学校");
  EXPECT_EQ(unit["level"], "school");
  EXPECT_EQ(unit["parent_code"], "410105");
  EXPECT_EQ(unit["active"], true);
  EXPECT_EQ(unit["demo"], false);
  EXPECT_EQ(unit["attributes"], body["attributes"]);

  auto got = server().Get("/api/v1/org-units/8410105001", county_);
  ASSERT_EQ(got.status, 200) << got;
  json ancestors = json::array();
  const json got_ancestors = got.Json()["ancestors"];
  for (const auto& a : got_ancestors) ancestors.push_back(a["code"]);
  // Root first, but only as far up as the caller's jurisdiction reaches.
  EXPECT_EQ(ancestors, json({"410105"})) << got;
  EXPECT_EQ(SchoolCount(), before + 1);
  auto listed = server().Get("/api/v1/org-units/410105/schools?q=8410105001", county_);
  ASSERT_EQ(listed.Json()["total"], 1) << listed;
  EXPECT_EQ(listed.Json()["items"][0]["name"], "集成测试第一学校");
  const json stats = server().Get("/api/v1/org-units/410105/stats", county_).Json();
  EXPECT_EQ(stats["schools"], stats_before["schools"].get<int64_t>() + 1);
  EXPECT_EQ(stats["students"], stats_before["students"].get<int64_t>() + 600);

  auto again = server().Post("/api/v1/org-units", body, county_);
  EXPECT_EQ(again.status, 409) << again;
  EXPECT_TRUE(again.NamesField("code")) << again;

  auto updated = server().Patch("/api/v1/org-units/8410105001",
                                {{"name", "集成测试第一学校（更名）"}, {"attributes", {{"class_count", 15}}}}, county_);
  ASSERT_EQ(updated.status, 200) << updated;
  EXPECT_EQ(updated.Json()["name"], "集成测试第一学校（更名）");
  EXPECT_EQ(updated.Json()["attributes"]["class_count"], 15);
  EXPECT_EQ(updated.Json()["attributes"]["boarding_students"], 100) << "unnamed attributes are kept";

  auto inconsistent = server().Patch("/api/v1/org-units/8410105001", {{"attributes", {{"boarding", false}}}}, county_);
  EXPECT_EQ(inconsistent.status, 400) << inconsistent;
  EXPECT_TRUE(inconsistent.NamesField("attributes.boarding_students")) << inconsistent;
  EXPECT_EQ(server().Get("/api/v1/org-units/8410105001", county_).Json()["attributes"]["boarding"], true);

  auto deactivated = server().Post("/api/v1/org-units/8410105001/deactivate", json::object(), county_);
  ASSERT_EQ(deactivated.status, 200) << deactivated;
  EXPECT_EQ(deactivated.Json()["active"], false);
  EXPECT_EQ(server().Get("/api/v1/org-units/410105/schools?q=8410105001&active=false", county_).Json()["total"], 1);
  EXPECT_EQ(server().Get("/api/v1/org-units/410105/schools?q=8410105001&active=true", county_).Json()["total"], 0);
  EXPECT_EQ(server().Get("/api/v1/org-units/410105/stats", county_).Json()["schools"], stats_before["schools"]);
  EXPECT_EQ(server().Get("/api/v1/org-units/410105/schools?active=maybe", county_).status, 400);

  std::map<std::string, json> by_action;
  for (const auto& r : SchoolAudit())
    if (r["target"] == "org_unit:8410105001") by_action.emplace(r["action"].get<std::string>(), r);
  ASSERT_EQ(by_action.size(), 3u) << "create, update and deactivate each leave one record";
  for (const auto& [action, r] : by_action) {
    EXPECT_EQ(r["outcome"], "success") << action;
    EXPECT_EQ(r["role"], "bureau_safety_officer") << action;
    EXPECT_EQ(r["org_code"], "410105") << action;
    EXPECT_FALSE(r["request_id"].get<std::string>().empty()) << action;
  }
  EXPECT_EQ(by_action["org.school.create"]["request_id"], "it-create-school-1");
  EXPECT_NE(by_action["org.school.update"]["summary"].get<std::string>().find("classes=15"), std::string::npos)
      << by_action["org.school.update"];
  EXPECT_TRUE(by_action.contains("org.school.deactivate"));
}

TEST_F(Schools, SchoolsHangOnlyUnderCountyLevelUnits) {
  // Zhengzhou has counties, so a school cannot hang directly under the city; nor under a school.
  const std::string city = server().Token("demo-city");
  auto under_city = server().Post("/api/v1/org-units", NewSchoolBody("410100", "8410100001", "市直学校"), city);
  EXPECT_EQ(under_city.status, 400) << under_city;
  EXPECT_TRUE(under_city.NamesField("parent_code")) << under_city;
  auto under_school = server().Post("/api/v1/org-units", NewSchoolBody("9410105001", "8410105010", "校中校"), county_);
  EXPECT_EQ(under_school.status, 400) << under_school;
  EXPECT_TRUE(under_school.NamesField("parent_code")) << under_school;
  // Jiyuan (济源) is a county-level city without counties: schools hang under it directly.
  auto jiyuan = server().Post("/api/v1/org-units", NewSchoolBody("419001", "8419001001", "济源测试学校"),
                              server().Token("demo-province"));
  EXPECT_EQ(jiyuan.status, 201) << jiyuan;
}

TEST_F(Schools, OnlySchoolsAreEditedOrDeactivated) {
  auto rename = server().Patch("/api/v1/org-units/410105", {{"name", "金水新区"}}, county_);
  EXPECT_EQ(rename.status, 400) << rename;
  EXPECT_TRUE(rename.NamesField("code")) << rename;
  auto off = server().Post("/api/v1/org-units/410105/deactivate", json::object(), county_);
  EXPECT_EQ(off.status, 400) << off;
  const json county = server().Get("/api/v1/org-units/410105", county_).Json();
  EXPECT_EQ(county["name"], "金水区");
  EXPECT_EQ(county["active"], true);
}

TEST_F(Schools, CsvImportWithOneBadRowWritesNothing) {
  const int64_t before = SchoolCount();
  const size_t audit_before = SchoolAudit().size();
  const std::string csv = std::string(kEnglishHeader) +
                          "8410105101,导入甲小学,primary,urban,false,300,0,8\n"
                          "8410105102,导入乙学校,university,urban,false,300,0,8\n"
                          "8410105103,导入丙小学,primary,rural,true,100,50,6\n";
  auto r = ImportCsv(csv);
  EXPECT_EQ(r.status, 422) << r;
  EXPECT_TRUE(r.IsProblem());
  EXPECT_EQ(r.Code(), "import_failed");
  EXPECT_TRUE(HasError(r, 3, "school_type")) << r;
  EXPECT_EQ(r.Json()["errors"].size(), 1u) << "only the bad row is reported: " << r;
  EXPECT_EQ(SchoolCount(), before);
  for (const char* code : {"8410105101", "8410105103"})
    EXPECT_EQ(server().Get(std::string("/api/v1/org-units/") + code, county_).status, 404) << code;
  EXPECT_EQ(SchoolAudit().size(), audit_before);
}

TEST_F(Schools, CsvImportReportsEveryProblemWithItsRow) {
  const int64_t before = SchoolCount();
  const std::string csv = std::string(kEnglishHeader) +
                          "841010520,短码小学,primary,urban,false,300,0,8\n"
                          "8410105202,,primary,urban,false,300,0,8\n"
                          "8410105203,负数小学,primary,urban,false,-5,0,8\n"
                          "8410105204,非寄宿小学,primary,urban,false,300,20,8\n"
                          "8410105205,城乡错小学,primary,moon,maybe,300,0,x\n";
  auto r = ImportCsv(csv);
  ASSERT_EQ(r.status, 422) << r;
  EXPECT_TRUE(HasError(r, 2, "code")) << r;
  EXPECT_TRUE(HasError(r, 3, "name")) << r;
  EXPECT_TRUE(HasError(r, 4, "day_students")) << r;
  EXPECT_TRUE(HasError(r, 5, "boarding_students")) << r;
  EXPECT_TRUE(HasError(r, 6, "locality")) << r;
  EXPECT_TRUE(HasError(r, 6, "boarding")) << r;
  EXPECT_TRUE(HasError(r, 6, "class_count")) << r;
  EXPECT_EQ(SchoolCount(), before);
}

TEST_F(Schools, CsvImportWithChineseHeadersAndValuesCreatesEverySchool) {
  const int64_t before = SchoolCount();
  // A spreadsheet export: byte-order mark, CRLF line ends, a quoted name holding a comma.
  const std::string csv =
      "\xEF\xBB\xBF"
      "学校标识码,学校名称,学校类型,城乡,寄宿,走读生数,寄宿生数,班级数\r\n"
      "8410105301,导入第一小学,小学,城区,否,820,0,18\r\n"
      "8410105302,\"导入第二初级中学,东校区\",初级中学,镇区,是,400,300,16\r\n"
      "8410105303,导入第三幼儿园,幼儿园,乡村,否,90,0,3\r\n";
  auto r = ImportCsv(csv);
  ASSERT_EQ(r.status, 200) << r;
  EXPECT_EQ(r.Json(), json({{"created", 3}}));
  EXPECT_EQ(SchoolCount(), before + 3);

  auto second = server().Get("/api/v1/org-units/8410105302", county_);
  ASSERT_EQ(second.status, 200) << second;
  EXPECT_EQ(second.Json()["name"], "导入第二初级中学,东校区");
  EXPECT_EQ(second.Json()["parent_code"], "410105");
  EXPECT_EQ(second.Json()["attributes"], json({{"school_type", "junior"},
                                               {"locality", "town"},
                                               {"boarding", true},
                                               {"day_students", 400},
                                               {"boarding_students", 300},
                                               {"class_count", 16}}));
  EXPECT_EQ(server().Get("/api/v1/org-units/8410105303", county_).Json()["attributes"]["school_type"], "kindergarten");

  bool audited = false;
  for (const auto& rec : SchoolAudit())
    audited |= rec["action"] == "org.school.import" && rec["target"] == "org_unit:410105" &&
               rec["summary"].get<std::string>().find("3") != std::string::npos;
  EXPECT_TRUE(audited) << "the import leaves an audit record";
}

TEST_F(Schools, DuplicateCodesInTheFileAnswer422) {
  const int64_t before = SchoolCount();
  const std::string csv = std::string(kEnglishHeader) +
                          "8410105401,重复甲小学,primary,urban,false,300,0,8\n"
                          "8410105402,不重复小学,primary,urban,false,300,0,8\n"
                          "8410105401,重复乙小学,primary,urban,false,300,0,8\n";
  auto r = ImportCsv(csv);
  EXPECT_EQ(r.status, 422) << r;
  EXPECT_EQ(r.Code(), "import_failed");
  EXPECT_TRUE(HasError(r, 4, "code")) << r;
  EXPECT_EQ(SchoolCount(), before);
  EXPECT_EQ(server().Get("/api/v1/org-units/8410105402", county_).status, 404);
}

TEST_F(Schools, ImportOfACodeAlreadyInUseAnswers422) {
  const int64_t before = SchoolCount();
  const std::string csv = std::string(kEnglishHeader) +
                          "8410105501,新小学,primary,urban,false,300,0,8\n"
                          "9410105001,已存在小学,primary,urban,false,300,0,8\n";
  auto r = ImportCsv(csv);
  EXPECT_EQ(r.status, 422) << r;
  EXPECT_TRUE(HasError(r, 3, "code")) << r;
  EXPECT_EQ(SchoolCount(), before);
}

TEST_F(Schools, FilesWithoutRowsOrColumnsAnswer422) {
  const int64_t before = SchoolCount();
  auto header_only = ImportCsv(kEnglishHeader);
  EXPECT_EQ(header_only.status, 422) << header_only;
  EXPECT_EQ(header_only.Code(), "import_failed");
  auto empty = ImportCsv("");
  EXPECT_EQ(empty.status, 422) << empty;
  auto missing_column =
      ImportCsv("学校标识码,学校名称,学校类型,城乡,寄宿,走读生数,寄宿生数\n8410105601,缺列小学,小学,城区,否,1,0\n");
  EXPECT_EQ(missing_column.status, 422) << missing_column;
  EXPECT_TRUE(HasError(missing_column, 1, "class_count")) << missing_column;
  auto unclosed = ImportCsv(std::string(kEnglishHeader) + "8410105602,\"未闭合,primary,urban,false,1,0,1\n");
  EXPECT_TRUE(unclosed.status == 400 || unclosed.status == 422) << unclosed;
  EXPECT_TRUE(unclosed.IsProblem());
  EXPECT_EQ(SchoolCount(), before);
}

TEST_F(Schools, JsonImportCreatesEveryRow) {
  const int64_t before = SchoolCount();
  json rows = json::array();
  for (int i = 1; i <= 2; ++i) {
    rows.push_back({{"code", "841010570" + std::to_string(i)},
                    {"name", "JSON导入学校" + std::to_string(i)},
                    {"school_type", "senior"},
                    {"locality", "urban"},
                    {"boarding", true},
                    {"day_students", 1000},
                    {"boarding_students", 800},
                    {"class_count", 40}});
  }
  auto bad_rows = rows;
  bad_rows[1]["class_count"] = "many";
  auto bad = server().Post("/api/v1/org-units/410105/schools/import", {{"rows", bad_rows}}, county_);
  EXPECT_EQ(bad.status, 422) << bad;
  EXPECT_TRUE(HasError(bad, 3, "class_count")) << bad;
  EXPECT_EQ(SchoolCount(), before);

  auto r = server().Post("/api/v1/org-units/410105/schools/import", {{"rows", rows}}, county_);
  ASSERT_EQ(r.status, 200) << r;
  EXPECT_EQ(r.Json()["created"], 2);
  EXPECT_EQ(SchoolCount(), before + 2);
  EXPECT_EQ(server().Get("/api/v1/org-units/8410105702", county_).Json()["attributes"]["boarding_students"], 800);
}

}  // namespace
}  // namespace xiaoan::it
