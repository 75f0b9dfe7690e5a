// Who may see and do what: jurisdiction (everything outside the caller's subtree is 404, never
// 403) and roles (read-only leaders, school staff, the three separate administrators).
#include <algorithm>

#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

int64_t Total(const HttpResponse& r) {
  const json j = r.Json();
  return j.is_object() && j.contains("total") ? j["total"].get<int64_t>() : -1;
}

std::string ValidCsv(const std::string& code) {
  return "code,name,school_type,locality,boarding,day_students,boarding_students,class_count\n" + code +
         ",越权导入学校,primary,urban,false,300,0,8\n";
}

// ---------------------------------------------------------------------------------------------
class Jurisdiction : public ServerSuite<Jurisdiction> {
 public:
  static std::vector<NewAccount> Accounts() {
    return {{"it-county2-admin", "bureau_admin", "410302"}, {"it-sysadmin", "system_admin", "410000"}};
  }
};

TEST_F(Jurisdiction, AnotherCountyGets404FromEveryEndpoint) {
  const std::string county2 = server().Token("demo-county2");
  const std::string county = server().Token("demo-county");
  const auto school_before = server().Get("/api/v1/org-units/9410105001", county);
  ASSERT_EQ(school_before.status, 200) << school_before;
  const int64_t schools_before = Total(server().Get("/api/v1/org-units/410105/schools?page_size=1", county));

  const json rows{{"rows",
                   {{{"code", "8410105701"},
                     {"name", "越权导入学校"},
                     {"school_type", "primary"},
                     {"locality", "urban"},
                     {"boarding", false},
                     {"day_students", 300},
                     {"boarding_students", 0},
                     {"class_count", 8}}}}};
  const std::vector<HttpRequest> cases = {
      {"GET", "/api/v1/org-units/410105", "", "", county2, {}},
      {"GET", "/api/v1/org-units/410105/children", "", "", county2, {}},
      {"GET", "/api/v1/org-units/410105/schools", "", "", county2, {}},
      {"GET", "/api/v1/org-units/410105/stats", "", "", county2, {}},
      {"GET", "/api/v1/org-units/9410105001", "", "", county2, {}},
      {"GET", "/api/v1/org-units/9410105001/children", "", "", county2, {}},
      {"GET", "/api/v1/org-units/410100", "", "", county2, {}},
      {"GET", "/api/v1/org-units/410000/stats", "", "", county2, {}},
      {"GET", "/api/v1/org-units/410300", "", "", county2, {}},
      {"PATCH", "/api/v1/org-units/9410105001", json{{"name", "越权改名"}}.dump(), "application/json", county2, {}},
      {"POST", "/api/v1/org-units/9410105001/deactivate", "", "application/json", county2, {}},
      {"POST", "/api/v1/org-units/410105/schools/import", rows.dump(), "application/json", county2, {}},
      {"POST", "/api/v1/org-units/410105/schools/import", ValidCsv("8410105702"), "text/csv", county2, {}},
      {"POST",
       "/api/v1/org-units",
       NewSchoolBody("410105", "8410105703", "越权新建学校").dump(),
       "application/json",
       county2,
       {}},
  };
  for (const auto& c : cases) {
    auto r = server().Send(c);
    EXPECT_EQ(r.status, 404) << c.method << " " << c.target << ": " << r;
    EXPECT_TRUE(r.IsProblem()) << c.target;
    EXPECT_EQ(r.Code(), "not_found") << c.method << " " << c.target;
  }
  // The unit itself answers the same as one that does not exist at all.
  EXPECT_EQ(server().Get("/api/v1/org-units/410105", county2).Json()["title"],
            server().Get("/api/v1/org-units/9999999999", county2).Json()["title"]);

  // Its own county works, so the 404s above are about jurisdiction.
  EXPECT_EQ(server().Get("/api/v1/org-units/410302", county2).status, 200);
  EXPECT_EQ(server().Get("/api/v1/org-units/410302/schools?page_size=1", county2).status, 200);

  // Nothing changed.
  EXPECT_EQ(server().Get("/api/v1/org-units/9410105001", county).Json(), school_before.Json());
  EXPECT_EQ(Total(server().Get("/api/v1/org-units/410105/schools?page_size=1", county)), schools_before);
  for (const char* code : {"8410105701", "8410105702", "8410105703"})
    EXPECT_EQ(server().Get(std::string("/api/v1/org-units/") + code, county).status, 404) << code;
}

TEST_F(Jurisdiction, SearchStaysInsideTheCallersCounty) {
  const std::string county2 = server().Token("demo-county2");
  auto jinshui = server().Get("/api/v1/org-units?q=%E9%87%91%E6%B0%B4", county2);  // 金水
  ASSERT_EQ(jinshui.status, 200) << jinshui;
  EXPECT_EQ(jinshui.Json()["total"], 0) << jinshui;
  EXPECT_TRUE(jinshui.Json()["items"].empty());

  // "演示" (demo) names schools in every county; only Laocheng's may come back.
  auto demo = server().Get("/api/v1/org-units?q=%E6%BC%94%E7%A4%BA&page_size=500", county2);
  ASSERT_EQ(demo.status, 200) << demo;
  const json items = demo.Json()["items"];
  EXPECT_GT(items.size(), 0u);
  EXPECT_EQ(demo.Json()["total"], items.size());
  for (const auto& u : items) {
    EXPECT_TRUE(u["code"] == "410302" || u["parent_code"] == "410302") << u.dump();
  }
}

TEST_F(Jurisdiction, CountySeesExactlyTheSchoolsOfItsCounty) {
  const std::string county = server().Token("demo-county");
  auto list = server().Get("/api/v1/org-units/410105/schools?page_size=500", county);
  ASSERT_EQ(list.status, 200) << list;
  const json items = list.Json()["items"];
  ASSERT_GT(items.size(), 0u);
  EXPECT_EQ(list.Json()["total"], items.size());
  int64_t students = 0;
  for (const auto& s : items) {
    EXPECT_TRUE(s["code"].get<std::string>().starts_with("9410105")) << s.dump();
    EXPECT_EQ(s["parent_code"], "410105") << s.dump();
    EXPECT_EQ(s["level"], "school");
    students += s["attributes"]["day_students"].get<int64_t>() + s["attributes"]["boarding_students"].get<int64_t>();
  }
  auto stats = server().Get("/api/v1/org-units/410105/stats", county);
  ASSERT_EQ(stats.status, 200) << stats;
  EXPECT_EQ(stats.Json()["schools"], list.Json()["total"]);
  EXPECT_EQ(stats.Json()["students"], students);
  int64_t by_type = 0;
  const json stats_by_type = stats.Json()["by_type"];
  for (const auto& [type, n] : stats_by_type.items()) by_type += n.get<int64_t>();
  EXPECT_EQ(by_type, stats.Json()["schools"]);

  auto search = server().Get("/api/v1/org-units?q=%E6%BC%94%E7%A4%BA&page_size=500", county);  // 演示
  ASSERT_EQ(search.status, 200) << search;
  EXPECT_EQ(search.Json()["total"], list.Json()["total"]);
  const json search_items = search.Json()["items"];
  for (const auto& u : search_items) EXPECT_EQ(u["parent_code"], "410105") << u.dump();
}

TEST_F(Jurisdiction, CityUserSeesItsCountiesButNotAnotherCitys) {
  const std::string city = server().Token("demo-city");
  auto jinshui = server().Get("/api/v1/org-units/410105", city);
  ASSERT_EQ(jinshui.status, 200) << jinshui;
  ASSERT_FALSE(jinshui.Json()["ancestors"].empty());
  EXPECT_EQ(jinshui.Json()["ancestors"].back()["code"], "410100");
  EXPECT_EQ(server().Get("/api/v1/org-units/9410105001", city).status, 200);
  EXPECT_EQ(server().Get("/api/v1/org-units/410302", city).status, 404);
  EXPECT_EQ(server().Get("/api/v1/org-units/410302/schools", city).status, 404);
  EXPECT_EQ(server().Get("/api/v1/org-units/9410302001", city).status, 404);

  auto children = server().Get("/api/v1/org-units/410100/children?page_size=500", city);
  ASSERT_EQ(children.status, 200) << children;
  std::vector<std::string> codes;
  const json children_items = children.Json()["items"];
  for (const auto& u : children_items) codes.push_back(u["code"]);
  EXPECT_NE(std::find(codes.begin(), codes.end(), "410105"), codes.end());
  EXPECT_EQ(std::find(codes.begin(), codes.end(), "410302"), codes.end());

  auto laocheng = server().Get("/api/v1/org-units?q=%E8%80%81%E5%9F%8E&page_size=500", city);  // 老城
  ASSERT_EQ(laocheng.status, 200) << laocheng;
  const json laocheng_items = laocheng.Json()["items"];
  for (const auto& u : laocheng_items)
    EXPECT_TRUE(u["code"].get<std::string>().starts_with("4101") || u["code"].get<std::string>().starts_with("94101"))
        << u.dump();
}

TEST_F(Jurisdiction, AccountsOfAnotherCountyAreInvisibleToItsAdministrator) {
  const std::string admin2 = server().Token("it-county2-admin");
  const std::string sysadmin = server().Token("it-sysadmin");
  auto find = [&](const std::string& username) {
    auto r = server().Get("/api/v1/users?q=" + username, sysadmin);
    const json r_items = r.Json()["items"];
    for (const auto& u : r_items)
      if (u["username"] == username) return std::to_string(u["id"].get<int64_t>());
    return std::string();
  };
  const std::string county_id = find("demo-county");
  const std::string county2_id = find("demo-county2");
  ASSERT_FALSE(county_id.empty());
  ASSERT_FALSE(county2_id.empty());

  const std::vector<HttpRequest> cases = {
      {"GET", "/api/v1/users/" + county_id, "", "", admin2, {}},
      {"PATCH", "/api/v1/users/" + county_id, json{{"display_name", "越权"}}.dump(), "application/json", admin2, {}},
      {"PATCH", "/api/v1/users/" + county_id, json{{"active", false}}.dump(), "application/json", admin2, {}},
      {"POST", "/api/v1/users/" + county_id + "/reset-password", "", "application/json", admin2, {}},
      {"POST", "/api/v1/users/" + county_id + "/unlock", "", "application/json", admin2, {}},
      {"GET", "/api/v1/users?org_code=410105", "", "", admin2, {}},
  };
  for (const auto& c : cases) {
    auto r = server().Send(c);
    EXPECT_EQ(r.status, 404) << c.method << " " << c.target << ": " << r;
    EXPECT_TRUE(r.IsProblem()) << c.target;
  }

  // A user for a unit outside answers exactly as for a unit that does not exist.
  auto outside = server().Post(
      "/api/v1/users",
      {{"username", "it-outside"}, {"display_name", "越权"}, {"role", "bureau_leader"}, {"org_code", "410105"}},
      admin2);
  auto missing = server().Post(
      "/api/v1/users",
      {{"username", "it-outside"}, {"display_name", "越权"}, {"role", "bureau_leader"}, {"org_code", "410199"}},
      admin2);
  EXPECT_GE(outside.status, 400) << outside;
  EXPECT_EQ(outside.status, missing.status);
  EXPECT_EQ(outside.body, missing.body);

  auto list = server().Get("/api/v1/users?page_size=500", admin2);
  ASSERT_EQ(list.status, 200) << list;
  EXPECT_GT(list.Json()["total"], 0);
  const json list_items = list.Json()["items"];
  for (const auto& u : list_items)
    EXPECT_TRUE(u["org_code"] == "410302" || u["org_code"].get<std::string>().starts_with("9410302")) << u.dump();

  EXPECT_EQ(server().Get("/api/v1/users/" + county2_id, admin2).status, 200) << "its own county is visible";
  auto untouched = server().Get("/api/v1/users/" + county_id, sysadmin);
  EXPECT_EQ(untouched.Json()["display_name"], "【演示】金水区教育局安全干部");
  EXPECT_EQ(untouched.Json()["active"], true);
  EXPECT_EQ(server().Login("demo-county", kDemoPassword).status, 200) << "the password was not reset";
}

// ---------------------------------------------------------------------------------------------
class Roles : public ServerSuite<Roles> {
 public:
  static std::vector<NewAccount> Accounts() {
    return {{"it-sysadmin", "system_admin", "410000"},
            {"it-secadmin", "security_admin", "410000"},
            {"it-auditor", "audit_admin", "410000"},
            {"it-leader", "bureau_leader", "410105"},
            {"it-county-admin", "bureau_admin", "410105"}};
  }

 protected:
  // Asserts every school write by `username` is refused with 403 and changes nothing.
  void ExpectCannotChangeSchools(const std::string& username) {
    SCOPED_TRACE(username);
    const std::string token = server().Token(username);
    const std::string county = server().Token("demo-county");
    const auto school = server().Get("/api/v1/org-units/9410105001", county).Json();
    const int64_t before = Total(server().Get("/api/v1/org-units/410105/schools?page_size=1", county));
    const std::vector<HttpRequest> writes = {
        {"POST",
         "/api/v1/org-units",
         NewSchoolBody("410105", "8410105601", "无权新建").dump(),
         "application/json",
         token,
         {}},
        {"PATCH", "/api/v1/org-units/9410105001", json{{"name", "无权改名"}}.dump(), "application/json", token, {}},
        {"POST", "/api/v1/org-units/9410105001/deactivate", "", "application/json", token, {}},
        {"POST", "/api/v1/org-units/410105/schools/import", ValidCsv("8410105602"), "text/csv", token, {}},
    };
    for (const auto& w : writes) {
      auto r = server().Send(w);
      EXPECT_EQ(r.status, 403) << w.method << " " << w.target << ": " << r;
      EXPECT_EQ(r.Code(), "forbidden") << w.target;
    }
    EXPECT_EQ(server().Get("/api/v1/org-units/9410105001", county).Json(), school);
    EXPECT_EQ(Total(server().Get("/api/v1/org-units/410105/schools?page_size=1", county)), before);
  }
};

TEST_F(Roles, SchoolStaffCannotChangeSchools) {
  for (const char* user : {"demo-principal", "demo-teacher", "demo-doctor", "demo-guard"})
    ExpectCannotChangeSchools(user);
  // The principal reads the own school, and nothing above it.
  const std::string principal = server().Token("demo-principal");
  EXPECT_EQ(server().Get("/api/v1/org-units/9410105001", principal).status, 200);
  EXPECT_EQ(server().Get("/api/v1/org-units/9410105002", principal).status, 404);
  EXPECT_EQ(server().Get("/api/v1/org-units/410105", principal).status, 404);
}

TEST_F(Roles, BureauLeadersOnlyRead) {
  const std::string leader = server().Token("it-leader");
  EXPECT_EQ(server().Get("/api/v1/org-units/410105", leader).status, 200);
  EXPECT_EQ(server().Get("/api/v1/org-units/410105/schools", leader).status, 200);
  EXPECT_EQ(server().Get("/api/v1/org-units/410105/stats", leader).status, 200);
  ExpectCannotChangeSchools("it-leader");
  auto users = server().Get("/api/v1/users", leader);
  EXPECT_EQ(users.status, 403) << users;
}

TEST_F(Roles, SchoolWritersMayWrite) {
  // The positive side of the rules above: a county safety officer and a county administrator.
  auto r = server().Post("/api/v1/org-units", NewSchoolBody("410105", "8410105611", "可写测试学校"),
                         server().Token("demo-county"));
  EXPECT_EQ(r.status, 201) << r;
  auto admin =
      server().Patch("/api/v1/org-units/8410105611", {{"name", "可写测试学校二"}}, server().Token("it-county-admin"));
  EXPECT_EQ(admin.status, 200) << admin;
}

TEST_F(Roles, OnlyTheAuditAdministratorReadsTheAuditLog) {
  const std::string auditor = server().Token("it-auditor");
  auto log = server().Get("/api/v1/audit?page_size=5", auditor);
  ASSERT_EQ(log.status, 200) << log;
  EXPECT_GT(log.Json()["total"], 0);
  ASSERT_FALSE(log.Json()["items"].empty());
  const json first = log.Json()["items"][0];
  for (const char* key :
       {"id", "at", "username", "role", "org_code", "action", "target", "outcome", "request_id", "summary"})
    EXPECT_TRUE(first.contains(key)) << key;
  auto verify = server().Get("/api/v1/audit/verify", auditor);
  ASSERT_EQ(verify.status, 200) << verify;
  EXPECT_EQ(verify.Json()["ok"], true) << verify;
  EXPECT_GT(verify.Json()["checked"], 0);
  EXPECT_EQ(verify.Json()["first_bad_id"], nullptr);
  EXPECT_EQ(verify.Json()["reason"], nullptr);

  for (const char* user : {"it-sysadmin", "it-secadmin", "it-leader", "it-county-admin", "demo-province", "demo-county",
                           "demo-principal"}) {
    const std::string token = server().Token(user);
    for (const char* target : {"/api/v1/audit", "/api/v1/audit/verify"}) {
      auto r = server().Get(target, token);
      EXPECT_EQ(r.status, 403) << user << " " << target << ": " << r;
      EXPECT_EQ(r.Code(), "forbidden") << user << " " << target;
    }
  }
}

TEST_F(Roles, RefusedWritesAreAudited) {
  ExpectCannotChangeSchools("demo-guard");
  auto r = server().Get("/api/v1/audit?username=demo-guard&outcome=denied", server().Token("it-auditor"));
  ASSERT_EQ(r.status, 200) << r;
  EXPECT_GE(r.Json()["total"], 4);
  const json r_items = r.Json()["items"];
  for (const auto& item : r_items) EXPECT_EQ(item["action"], "http.denied") << item.dump();
}

TEST_F(Roles, NobodyCreatesAnAdministratorThroughTheApi) {
  const std::string sysadmin = server().Token("it-sysadmin");
  const int64_t users_before = Total(server().Get("/api/v1/users?page_size=1", sysadmin));
  int n = 0;
  for (const char* actor : {"it-sysadmin", "it-secadmin", "it-county-admin"}) {
    const std::string token = server().Token(actor);
    for (const char* role : {"system_admin", "security_admin", "audit_admin"}) {
      const std::string org = std::string(actor) == "it-county-admin" ? "410105" : "410000";
      auto r = server().Post("/api/v1/users",
                             {{"username", "it-new-admin-" + std::to_string(++n)},
                              {"display_name", "新管理员"},
                              {"role", role},
                              {"org_code", org}},
                             token);
      EXPECT_EQ(r.status, 400) << actor << " creating " << role << ": " << r;
      EXPECT_TRUE(r.NamesField("role")) << actor << " creating " << role << ": " << r;
    }
  }
  // Nor by promoting an existing account.
  const auto leader = server().Get("/api/v1/users?q=it-leader", sysadmin).Json()["items"][0];
  auto promote = server().Patch("/api/v1/users/" + std::to_string(leader["id"].get<int64_t>()),
                                {{"role", "audit_admin"}}, sysadmin);
  EXPECT_EQ(promote.status, 400) << promote;
  EXPECT_TRUE(promote.NamesField("role")) << promote;
  EXPECT_EQ(Total(server().Get("/api/v1/users?page_size=1", sysadmin)), users_before);

  // Ordinary roles are fine, so the refusals above are about the role.
  auto teacher = server().Post("/api/v1/users",
                               {{"username", "it-teacher"},
                                {"display_name", "新班主任"},
                                {"role", "class_teacher"},
                                {"org_code", "9410105001"},
                                {"classes", {"二年级3班"}}},
                               server().Token("it-county-admin"));
  EXPECT_EQ(teacher.status, 201) << teacher;
  EXPECT_EQ(teacher.Json()["user"]["classes"], json({"二年级3班"}));
  auto by_secadmin = server().Post(
      "/api/v1/users",
      {{"username", "it-by-secadmin"}, {"display_name", "x"}, {"role", "bureau_leader"}, {"org_code", "410000"}},
      server().Token("it-secadmin"));
  EXPECT_EQ(by_secadmin.status, 403) << "the security administrator does not create accounts: " << by_secadmin;
}

}  // namespace
}  // namespace xiaoan::it
