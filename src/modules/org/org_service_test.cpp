#include "modules/org/org_service.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "modules/org/org_routes.hpp"
#include "modules/org/org_seed.hpp"
#include "platform/db/test_db.hpp"
#include "platform/http/router.hpp"

namespace xiaoan::org {
namespace {

Principal At(const std::string& code, const std::string& path, Role role = Role::kBureauSafetyOfficer) {
  Principal p;
  p.user_id = 1;
  p.username = "tester";
  p.role = role;
  p.org_code = code;
  p.org_path = path;
  return p;
}

const Principal kJinshui = At("410105", "/410000/410100/410105/");
const Principal kLaocheng = At("410302", "/410000/410300/410302/");

NewSchool School(std::string code, int row = 0) {
  NewSchool s;
  s.parent_code = "410105";
  s.code = std::move(code);
  s.name = "测试学校" + s.code;
  s.attributes.day_students = 500;
  s.attributes.class_count = 12;
  s.row = row;
  return s;
}

// A route's answer: its status and JSON body (problem+json for errors).
struct Answer {
  int status = 0;
  nlohmann::json body;
};

class OrgServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(service_.SeedDivisions());
    ASSERT_TRUE(service_.SeedDemoSchools());
    RegisterRoutes(router_, service_);
  }
  // Calls the module's route for `method` and `path` as `caller`, without a server in between.
  Answer Call(const Principal& caller, const std::string& method, const std::string& path, std::string body) {
    auto match = router_.Find(method, path);
    if (match.route == nullptr) return {};
    http::Request request;
    request.method = method;
    request.path = request.target = path;
    request.body = std::move(body);
    http::Context ctx{.request = request,
                      .params = match.params,
                      .principal = caller,
                      .request_id = "req",
                      .route = {},
                      .csrf_token = {}};
    const http::Response response = match.route->handler(ctx);
    return {response.status, nlohmann::json::parse(response.body, nullptr, false)};
  }
  int64_t SchoolsIn(const Principal& p, const std::string& code) {
    auto page = service_.Schools(p, code, {}, {1, 1});
    return page ? page->total : -1;
  }
  db::TestDb db_;
  audit::AuditLog audit_{"sha256", Clock::System()};
  OrgService service_{*db_, audit_, Clock::System()};
  audit::Actor actor_{1, "tester", "bureau_safety_officer", "410105", "req"};
  http::Router router_;
};

TEST_F(OrgServiceTest, SeedingTwiceAddsNothing) {
  auto again = service_.SeedDivisions();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  auto demo = service_.SeedDemoSchools();
  ASSERT_TRUE(demo);
  EXPECT_EQ(*demo, 0);
}

TEST_F(OrgServiceTest, ACountySeesItsOwnSchoolsAndNothingElse) {
  EXPECT_EQ(SchoolsIn(kJinshui, "410105"), DemoSchoolCount("410105"));
  auto other = service_.Get(kJinshui, "410302");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(service_.Get(kJinshui, "410000")) << "not even its own province";
  EXPECT_FALSE(service_.Schools(kJinshui, "410100", {}, {1, 10}));
  auto search = service_.Search(kJinshui, "区", {1, 500});
  ASSERT_TRUE(search);
  for (const auto& u : search->items) EXPECT_TRUE(u.path.starts_with("/410000/410100/410105/")) << u.code;
}

TEST_F(OrgServiceTest, TheProvinceSeesEverySchool) {
  const Principal province = At("410000", "/410000/");
  auto stats = service_.GetStats(province, "410000");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->schools, SchoolsIn(province, "410000"));
  EXPECT_GT(stats->schools, 3000);
}

TEST_F(OrgServiceTest, CreatingASchoolOutsideTheJurisdictionLooksLikeAMissingParent) {
  auto created = service_.CreateSchool(kLaocheng, actor_, School("4101059999"));
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(service_.Get(kJinshui, "4101059999"));
}

TEST_F(OrgServiceTest, CreateUpdateDeactivateAreScopedAndChecked) {
  auto created = service_.CreateSchool(kJinshui, actor_, School("4101059999"));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->path, "/410000/410100/410105/4101059999/");
  auto dup = service_.CreateSchool(kJinshui, actor_, School("4101059999"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);

  SchoolPatch patch;
  patch.boarding_students = 10;  // without boarding: refused
  auto bad = service_.UpdateSchool(kJinshui, actor_, "4101059999", patch);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "attributes.boarding_students");
  patch.boarding = true;
  auto good = service_.UpdateSchool(kJinshui, actor_, "4101059999", patch);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->attributes->boarding_students, 10);

  EXPECT_FALSE(service_.UpdateSchool(kLaocheng, actor_, "4101059999", patch));
  EXPECT_FALSE(service_.Deactivate(kLaocheng, actor_, "4101059999"));
  auto gone = service_.Deactivate(kJinshui, actor_, "4101059999");
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->active);
}

TEST_F(OrgServiceTest, NamesAreStoredTrimmedAndANameOfBlanksIsRefused) {
  NewSchool padded = School("4101059997");
  padded.name = "\u3000 金水区第九中学\t";
  auto created = service_.CreateSchool(kJinshui, actor_, padded);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->name, "金水区第九中学");
  EXPECT_EQ(service_.Get(kJinshui, "4101059997")->name, "金水区第九中学");

  for (const char* blank : {" ", "   ", "\t", "\u3000", " \u3000 "}) {
    NewSchool s = School("4101059996");
    s.name = blank;
    auto refused = service_.CreateSchool(kJinshui, actor_, s);
    ASSERT_FALSE(refused) << '"' << blank << '"';
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(refused.error().fields.size(), 1u);
    EXPECT_EQ(refused.error().fields[0].field, "name");
    EXPECT_EQ(refused.error().fields[0].message, "Must not be empty.");
  }
  EXPECT_FALSE(service_.Get(kJinshui, "4101059996")) << "nothing written";

  SchoolPatch blank;
  blank.name = "\u3000\u3000";
  auto refused = service_.UpdateSchool(kJinshui, actor_, "4101059997", blank);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().fields.at(0).field, "name");
  EXPECT_EQ(service_.Get(kJinshui, "4101059997")->name, "金水区第九中学") << "unchanged";
  SchoolPatch renamed;
  renamed.name = "  金水区第十中学 ";
  auto updated = service_.UpdateSchool(kJinshui, actor_, "4101059997", renamed);
  ASSERT_TRUE(updated);
  EXPECT_EQ(service_.Get(kJinshui, "4101059997")->name, "金水区第十中学");
}

TEST_F(OrgServiceTest, AnImportRowWhoseNameIsBlanksIsRefusedByTheService) {
  NewSchool blank = School("4101058101", 2);
  blank.name = "\u3000";
  auto result = service_.ImportSchools(kJinshui, actor_, "410105", {blank});
  ASSERT_FALSE(result);
  ASSERT_EQ(result.error().fields.size(), 1u);
  EXPECT_EQ(result.error().fields[0].field, "name");
  EXPECT_EQ(result.error().fields[0].row, 2);
}

TEST_F(OrgServiceTest, TheRoutesAnswerABlankName400NamingIt) {
  const std::string attributes =
      R"("attributes":{"school_type":"primary","locality":"urban","boarding":false,"day_students":1,)"
      R"("boarding_students":0,"class_count":1})";
  auto created = Call(kJinshui, "POST", "/api/v1/org-units",
                      R"({"parent_code":"410105","code":"4101059995","name":"   ",)" + attributes + "}");
  EXPECT_EQ(created.status, 400);
  ASSERT_TRUE(created.body.contains("errors")) << created.body.dump();
  EXPECT_EQ(created.body["errors"][0]["field"], "name");
  EXPECT_EQ(created.body["errors"][0]["message"], "Must not be empty.");

  auto patched = Call(kJinshui, "PATCH", "/api/v1/org-units/9410105001", R"({"name":"  "})");
  EXPECT_EQ(patched.status, 400);
  ASSERT_TRUE(patched.body.contains("errors")) << patched.body.dump();
  EXPECT_EQ(patched.body["errors"][0]["field"], "name");
  EXPECT_NE(service_.Get(kJinshui, "9410105001")->name, "");

  auto padded = Call(kJinshui, "PATCH", "/api/v1/org-units/9410105001", R"({"name":" 金水区示范小学\u3000"})");
  EXPECT_EQ(padded.status, 200);
  EXPECT_EQ(padded.body["name"], "金水区示范小学");
}

TEST_F(OrgServiceTest, ReadOnlyRolesCannotWrite) {
  for (Role r : {Role::kBureauLeader, Role::kPrincipal, Role::kAuditAdmin}) {
    auto created = service_.CreateSchool(At("410105", "/410000/410100/410105/", r), actor_, School("4101059998"));
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, ErrorCode::kPermissionDenied) << RoleName(r);
  }
}

TEST_F(OrgServiceTest, AnImportWithOneBadRowWritesNothing) {
  const int64_t before = SchoolsIn(kJinshui, "410105");
  std::vector<NewSchool> rows{School("4101058001", 2), School("9410105001", 3), School("4101058001", 4)};
  auto result = service_.ImportSchools(kJinshui, actor_, "410105", rows);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, "import_failed");
  ASSERT_EQ(result.error().fields.size(), 2u);
  EXPECT_EQ(result.error().fields[0].row, 3) << "code already used by a demo school";
  EXPECT_EQ(result.error().fields[1].row, 4) << "duplicate within the file";
  EXPECT_EQ(SchoolsIn(kJinshui, "410105"), before);

  auto ok = service_.ImportSchools(kJinshui, actor_, "410105", {School("4101058001", 2), School("4101058002", 3)});
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 2);
  EXPECT_EQ(SchoolsIn(kJinshui, "410105"), before + 2);
}

TEST_F(OrgServiceTest, CheckingAnImportWritesNothing) {
  const int64_t before = SchoolsIn(kJinshui, "410105");
  auto errors = service_.CheckImport(kJinshui, "410105", {School("4101056001", 2), School("9410105002", 3)});
  ASSERT_TRUE(errors);
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ((*errors)[0].row, 3);
  EXPECT_EQ(SchoolsIn(kJinshui, "410105"), before);
  auto audit = audit_.Search(*db_, {"", "", "tester", "org.school", "", 1, 10});
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->total, 0);
  auto outside = service_.CheckImport(kLaocheng, "410105", {School("4101056001", 2)});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, ErrorCode::kNotFound);
}

TEST_F(OrgServiceTest, EveryWriteIsAudited) {
  ASSERT_TRUE(service_.CreateSchool(kJinshui, actor_, School("4101057001")));
  auto page = audit_.Search(*db_, {"", "", "tester", "org.school.create", "", 1, 10});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].target, "org_unit:4101057001");
  EXPECT_EQ(page->items[0].request_id, "req");
}

}  // namespace
}  // namespace xiaoan::org
