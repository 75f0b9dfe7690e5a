// What goes into a school's security ledger (issue #3), seen from outside: bad input answers 400
// problem+json naming every bad field and changes nothing; photo evidence is checked by content,
// stored by its SHA-256 and served so that a browser cannot run it; the workbooks for the bureaus,
// the fill-in template and the all-or-nothing import.
#include <map>
#include <set>

#include "ledger_support.hpp"

namespace xiaoan::it {
namespace {

// ---------------------------------------------------------------------------------------------
class LedgerInput : public LedgerSuite<LedgerInput> {
 protected:
  // Everything a bad request could have touched, as the county sees it.
  static json State() {
    // Days fixed once, so that midnight does not move what is compared.
    static const std::string today = ShanghaiDate(), window = "?from=" + ShanghaiDate(-20) + "&to=" + today;
    const std::string s = "demo-county";
    return {{"guards", Read(kLedger + "/guards", s)},
            {"devices", Read(kLedger + "/devices", s)},
            {"gatehouse", Read(kLedger + "/gatehouse-shifts", s)},
            {"closed_checks", Read(kLedger + "/closed-checks", s)},
            {"posts", Read(kLedger + "/protection-posts" + window, s)["items"]},
            {"alarm_tests", Read(kLedger + "/alarm-tests?page_size=500", s)},
            {"patrols", Read(kLedger + "/patrols?date=" + today, s)},
            {"evaluation", Read(kLedger + "/ledger", s)["evaluation"]},
            {"history", Read(kLedger + "/ledger/history?page_size=1", s)["total"]},
            {"county", FiguresOf(Read("/api/v1/compliance/four-100?org=410105", s))}};
  }
  // `base` with the members of `changes` set.
  static json With(json base, const json& changes) {
    for (const auto& [key, value] : changes.items()) base[key] = value;
    return base;
  }
  static json Shifts(std::vector<json> shifts) { return {{"shifts", shifts}}; }
  static json Shift(int weekday, const char* start, const char* end) {
    return {{"weekday", weekday}, {"start", start}, {"end", end}};
  }
};

TEST_F(LedgerInput, BadInputAnswers400NamingTheFieldsAndChangesNothing) {
  const std::string principal = Token("demo-principal");
  const std::string other = SchoolWithLocality("town");
  // Evidence uploaded by another school, and devices that are not this school's alarm.
  auto foreign = Upload(other, TinyPng(9, 9, 9), "image/png", SchoolAccount("it-principal-b", "principal", other));
  ASSERT_EQ(foreign.status, 201) << foreign;
  const std::string foreign_photo = foreign.Json()["id"];
  int64_t camera = 0, alarm = 0, foreign_alarm = 0;
  for (const auto& d : Devices()) (d["kind"] == "camera" ? camera : alarm) = d["id"];
  for (const auto& d : Devices(other)) {
    if (d["kind"] == "alarm") foreign_alarm = d["id"];
  }
  ASSERT_TRUE(camera > 0 && alarm > 0 && foreign_alarm > 0);
  const std::string guard_url = kLedger + "/guards/" + std::to_string(Guards()[0]["id"].get<int64_t>());
  const std::string device_url = kLedger + "/devices/" + std::to_string(alarm);
  const std::string yesterday = ShanghaiDate(-1), tomorrow = ShanghaiDate(1);
  const std::string hour_ago = ShanghaiTime(-std::chrono::hours(1)), in_an_hour = ShanghaiTime(std::chrono::hours(1));
  const std::string guards = kLedger + "/guards", gatehouse = kLedger + "/gatehouse-shifts",
                    patrols = kLedger + "/patrols", checks = kLedger + "/closed-checks",
                    tests = kLedger + "/alarm-tests", devices = kLedger + "/devices",
                    posts = kLedger + "/protection-posts/";
  const json guard{
      {"name", "合格保安"}, {"employment", "full_time"}, {"certificate_no", "豫保7"}, {"birth_year", 1980}};
  const json patrol{{"patrolled_at", hour_ago}, {"area", "校门"}, {"by_name", "张三"}};
  const json check{{"measure", "enclosure_anti_climb"}, {"status", "not_in_place"}, {"checked_on", yesterday}};
  const json test{{"tested_at", hour_ago}, {"result", "pass"}, {"device_id", alarm}};
  const json post{{"police", 1}, {"staff", 1}, {"guards", 1}};
  const json device{{"kind", "camera"}, {"name", "北门摄像机"}, {"police_networked", true}};

  const json before = State();
  // Sends `body` (JSON text, or not) and expects 400 naming exactly `fields`, and no change.
  auto refused = [&](const std::string& what, const std::string& method, const std::string& target,
                     const std::string& body, const std::set<std::string>& fields) {
    SCOPED_TRACE(what);
    auto r = srv().Send({method, target, body, "application/json", principal, {}});
    EXPECT_EQ(r.status, 400) << method << " " << target << " " << body << ": " << r;
    EXPECT_TRUE(r.IsProblem()) << r;
    EXPECT_EQ(r.Code(), "validation_failed") << r;
    EXPECT_EQ(ErrorFields(r), fields) << r;
    const json after = State();
    EXPECT_EQ(after, before) << json::diff(before, after).dump();
  };
  refused("guard: nothing", "POST", guards, "{}", {"name", "employment"});
  refused("guard: unknown field", "POST", guards, With(guard, {{"nickname", "老王"}}).dump(), {"nickname"});
  refused("guard: wrong types", "POST", guards,
          With(guard, {{"name", 7}, {"birth_year", "1980"}, {"active", "yes"}}).dump(),
          {"name", "birth_year", "active"});
  refused("guard: fulltime", "POST", guards, With(guard, {{"employment", "fulltime"}}).dump(), {"employment"});
  refused("guard: born 2020", "POST", guards, With(guard, {{"birth_year", 2020}}).dump(), {"birth_year"});
  refused("guard: born 1939", "POST", guards, With(guard, {{"birth_year", 1939}}).dump(), {"birth_year"});
  refused("guard: employed from tomorrow", "POST", guards, With(guard, {{"employed_since", tomorrow}}).dump(),
          {"employed_since"});
  refused("guard: employed 2024-02-30", "POST", guards, With(guard, {{"employed_since", "2024-02-30"}}).dump(),
          {"employed_since"});
  refused("guard: employed 2024/02/01", "POST", guards, With(guard, {{"employed_since", "2024/02/01"}}).dump(),
          {"employed_since"});
  refused("guard: blank name", "POST", guards, With(guard, {{"name", "   "}}).dump(), {"name"});
  refused("guard: not JSON", "POST", guards, "{\"name\":", {"body"});
  refused("guard: an array", "POST", guards, "[]", {"body"});
  refused("guard patch: born 2020", "PATCH", guard_url, json{{"birth_year", 2020}}.dump(), {"birth_year"});
  refused("guard patch: unknown field", "PATCH", guard_url, json{{"colour", "red"}}.dump(), {"colour"});
  refused("guard patch: fulltime", "PATCH", guard_url, json{{"employment", "fulltime"}}.dump(), {"employment"});
  refused("guard patch: empty name", "PATCH", guard_url, json{{"name", ""}}.dump(), {"name"});
  refused("guard patch: nothing", "PATCH", guard_url, "{}", {"body"});
  refused("guard patch: name null", "PATCH", guard_url, json{{"name", nullptr}}.dump(), {"name"});
  refused("guard patch: employment and active null", "PATCH", guard_url,
          json{{"employment", nullptr}, {"active", nullptr}}.dump(), {"employment", "active"});
  refused("guard: active null", "POST", guards, With(guard, {{"active", nullptr}}).dump(), {"active"});
  refused("gatehouse: end = start", "PUT", gatehouse, Shifts({Shift(1, "08:00", "08:00")}).dump(), {"shifts[0].end"});
  refused("gatehouse: end < start", "PUT", gatehouse,
          Shifts({Shift(1, "00:00", "08:00"), Shift(1, "10:00", "09:00")}).dump(), {"shifts[1].end"});
  refused("gatehouse: weekday 8", "PUT", gatehouse, Shifts({Shift(8, "00:00", "24:00")}).dump(), {"shifts[0].weekday"});
  refused("gatehouse: 25:00", "PUT", gatehouse, Shifts({Shift(1, "25:00", "24:00")}).dump(), {"shifts[0].start"});
  refused("gatehouse: starts 24:00", "PUT", gatehouse, Shifts({Shift(1, "24:00", "24:00")}).dump(),
          {"shifts[0].start"});
  refused("gatehouse: several", "PUT", gatehouse,
          Shifts({Shift(1, "00:00", "24:00"), {{"weekday", 0}, {"start", "7:00"}, {"end", "09:00"}, {"x", 1}}}).dump(),
          {"shifts[1].weekday", "shifts[1].start", "shifts[1].x"});
  refused("gatehouse: no shifts", "PUT", gatehouse, "{}", {"shifts"});
  refused("patrol: in the future", "POST", patrols, With(patrol, {{"patrolled_at", in_an_hour}}).dump(),
          {"patrolled_at"});
  refused("patrol: not a time", "POST", patrols, With(patrol, {{"patrolled_at", "2026-11-28 08:00"}}).dump(),
          {"patrolled_at"});
  refused("patrol: no area, no name", "POST", patrols, json{{"patrolled_at", hour_ago}}.dump(), {"area", "by_name"});
  refused("check: anti-ram not possible", "POST", checks,
          With(check, {{"measure", "anti_ram_barriers"}, {"status", "not_possible"}}).dump(), {"status"});
  refused("check: in place, no photos", "POST", checks, With(check, {{"status", "in_place"}}).dump(), {"photos"});
  refused("check: photo not a file id", "POST", checks,
          With(check, {{"status", "in_place"}, {"photos", {"not-a-file-id"}}}).dump(), {"photos[0]"});
  refused("check: another school's photo", "POST", checks,
          With(check, {{"status", "in_place"}, {"photos", {foreign_photo}}}).dump(), {"photos[0]"});
  refused("check: 2026-13-01", "POST", checks, With(check, {{"checked_on", "2026-13-01"}}).dump(), {"checked_on"});
  refused("check: tomorrow", "POST", checks, With(check, {{"checked_on", tomorrow}}).dump(), {"checked_on"});
  refused("check: unknown measure", "POST", checks, With(check, {{"measure", "moat"}}).dump(), {"measure"});
  refused("check: 1900-01-01", "POST", checks, With(check, {{"checked_on", "1900-01-01"}}).dump(), {"checked_on"});
  refused("check: 61 days ago", "POST", checks, With(check, {{"checked_on", ShanghaiDate(-61)}}).dump(),
          {"checked_on"});
  refused("alarm test: a camera", "POST", tests, With(test, {{"device_id", camera}}).dump(), {"device_id"});
  refused("alarm test: another school's alarm", "POST", tests, With(test, {{"device_id", foreign_alarm}}).dump(),
          {"device_id"});
  refused("alarm test: in the future", "POST", tests, With(test, {{"tested_at", in_an_hour}}).dump(), {"tested_at"});
  refused("alarm test: result ok", "POST", tests, With(test, {{"result", "ok"}}).dump(), {"result"});
  refused("alarm test: 1990", "POST", tests, With(test, {{"tested_at", "1990-12-01T10:00:00+08:00"}}).dump(),
          {"tested_at"});
  refused("alarm test: 61 days ago", "POST", tests,
          With(test, {{"tested_at", ShanghaiTime(-std::chrono::hours(24 * 61))}}).dump(), {"tested_at"});
  refused("post: tomorrow", "PUT", posts + tomorrow + "/arrival", post.dump(), {"date"});
  refused("post: 2026-02-30", "PUT", posts + "2026-02-30/arrival", post.dump(), {"date"});
  refused("post: session noon", "PUT", posts + yesterday + "/noon", post.dump(), {"session"});
  refused("post: ends before it starts", "PUT", posts + yesterday + "/arrival",
          With(post, {{"start", "08:00"}, {"end", "07:30"}}).dump(), {"end"});
  refused("post: negative police", "PUT", posts + yesterday + "/arrival", With(post, {{"police", -1}}).dump(),
          {"police"});
  refused("device: national id of 13 digits", "POST", devices, With(device, {{"national_id", "4101050000132"}}).dump(),
          {"national_id"});
  refused("device: national id with a letter", "POST", devices,
          With(device, {{"national_id", "4101050000132000000A"}}).dump(), {"national_id"});
  refused("device: kind sensor", "POST", devices, With(device, {{"kind", "sensor"}}).dump(), {"kind"});
  refused("device: installed tomorrow", "POST", devices, With(device, {{"installed_on", tomorrow}}).dump(),
          {"installed_on"});
  refused("device: police_networked missing", "POST", devices, json{{"kind", "alarm"}, {"name", "x"}}.dump(),
          {"police_networked"});
  refused("device patch: national id 123", "PATCH", device_url, json{{"national_id", "123"}}.dump(), {"national_id"});
  refused("device patch: nothing", "PATCH", device_url, "{}", {"body"});
  refused("device patch: kind and name null", "PATCH", device_url, json{{"kind", nullptr}, {"name", nullptr}}.dump(),
          {"kind", "name"});
  refused("device patch: police_networked null", "PATCH", device_url, json{{"police_networked", nullptr}}.dump(),
          {"police_networked"});
  refused("device: location, active and channels null", "POST", devices,
          With(device, {{"location", nullptr}, {"active", nullptr}, {"expected_channels", nullptr}}).dump(),
          {"location", "active", "expected_channels"});
}

// QA: a camera created with the alarm box's GB/T 28181 id was answered 201, and the device
// registry then showed the camera in the box's place. One device holds an id, in all schools, and
// nothing is written (the registry reads the ledger: ledger_service_test.cpp checks its inventory).
TEST_F(LedgerInput, ANationalIdHeldByAnotherDeviceAnswers409AndChangesNothing) {
  const std::string box_id = "41010500001340000001";  // the showcase school's alarm box
  const std::string other = SchoolWithLocality("town");
  int64_t camera = 0;
  for (const auto& d : Devices()) {
    if (d["kind"] == "camera") camera = d["id"];
  }
  ASSERT_GT(camera, 0);
  const json before = State(), other_devices = Devices(other);
  const json taking{{"kind", "camera"}, {"name", "x"}, {"police_networked", true}, {"national_id", box_id}};
  struct Attempt {
    const char* what;
    std::string method, target, token;
    json body;
  };
  const std::vector<Attempt> attempts{
      {"create, same school", "POST", kLedger + "/devices", Token("demo-principal"), taking},
      {"create, another school", "POST", "/api/v1/schools/" + other + "/devices",
       SchoolAccount("it-principal-b", "principal", other), taking},
      {"patch of a camera", "PATCH", kLedger + "/devices/" + std::to_string(camera), Token("demo-principal"),
       json{{"national_id", box_id}}},
  };
  for (const auto& a : attempts) {
    SCOPED_TRACE(a.what);
    auto r = srv().Send({a.method, a.target, a.body.dump(), "application/json", a.token, {}});
    EXPECT_EQ(r.status, 409) << r;
    EXPECT_TRUE(r.IsProblem()) << r;
    EXPECT_EQ(r.Code(), "conflict") << r;
    EXPECT_EQ(ErrorFields(r), std::set<std::string>{"national_id"}) << r;
    EXPECT_EQ(State(), before);
    EXPECT_EQ(Devices(other), other_devices);
  }
}

TEST_F(LedgerInput, ARuralSchoolRecordsNoProtectionPosts) {
  const std::string rural = SchoolWithLocality("rural");
  const std::string token = SchoolAccount("it-principal-rural", "principal", rural);
  const std::string url = "/api/v1/schools/" + rural + "/protection-posts";
  const json before = Read(url, "demo-county");
  EXPECT_EQ(before["applicable"], false);
  const json figures = FiguresOf(Read("/api/v1/compliance/four-100?org=410105", "demo-county"));
  auto r = Put(url + "/" + ShanghaiDate(-1) + "/arrival", {{"police", 1}, {"staff", 1}, {"guards", 1}}, token);
  EXPECT_EQ(r.status, 400) << r;
  EXPECT_EQ(ErrorFields(r), std::set<std::string>{"code"}) << r;
  EXPECT_EQ(Read(url, "demo-county"), before);
  EXPECT_EQ(FiguresOf(Read("/api/v1/compliance/four-100?org=410105", "demo-county")), figures);
  // The school's other records work, so the refusal is about 护学岗.
  auto patrol = srv().Post(
      "/api/v1/schools/" + rural + "/patrols",
      {{"patrolled_at", ShanghaiTime(-std::chrono::minutes(5))}, {"area", "校门"}, {"by_name", "王五"}}, token);
  EXPECT_EQ(patrol.status, 201) << patrol;
}

TEST_F(LedgerInput, PhotosAreStoredByContentAndServedSafely) {
  const std::string principal = Token("demo-principal");
  const std::string png = TinyPng(200, 30, 30);
  auto up = Upload(kSchool, png, "image/png", principal);
  ASSERT_EQ(up.status, 201) << up;
  const std::string id = Sha256Hex(png);
  EXPECT_EQ(up.Json(), json({{"id", id}, {"content_type", "image/png"}, {"size", png.size()}}));
  EXPECT_EQ(NewestHistory()["action"], "ledger.file.upload");
  auto again = Upload(kSchool, png, "image/png; charset=binary", Token("demo-guard"));
  EXPECT_EQ(again.status, 201) << "the school's guard may upload too; the same bytes, the same id: " << again;
  EXPECT_EQ(again.Json()["id"], id);

  for (const char* reader : {"demo-principal", "demo-county", "demo-province"}) {
    auto got = srv().Get("/api/v1/files/" + id, Token(reader));
    ASSERT_EQ(got.status, 200) << reader << ": " << got;
    EXPECT_EQ(got.body, png) << reader;
    EXPECT_EQ(got.Header("content-type"), "image/png");
    EXPECT_EQ(got.Header("x-content-type-options"), "nosniff");
    EXPECT_TRUE(Contains(got.Header("content-security-policy"), "sandbox")) << got.Header("content-security-policy");
    EXPECT_TRUE(Contains(got.Header("content-security-policy"), "default-src 'none'"));
  }
  const std::string other = SchoolWithLocality("town");
  for (const std::string& token : {Token("demo-county2"), SchoolAccount("it-principal-b", "principal", other)}) {
    auto hidden = srv().Get("/api/v1/files/" + id, token);
    EXPECT_EQ(hidden.status, 404) << hidden;
    EXPECT_TRUE(hidden.body.find("\x89PNG") == std::string::npos);
  }
  EXPECT_EQ(srv().Get("/api/v1/files/" + std::string(64, '0'), principal).status, 404);
  EXPECT_EQ(srv().Get("/api/v1/files/..%2F..%2Fx.db", principal).status, 404);

  // The evidence backs a closed-management check.
  const json evaluation = Ledger()["evaluation"];
  auto check = srv().Post(kLedger + "/closed-checks",
                          {{"measure", "anti_ram_barriers"},
                           {"status", "in_place"},
                           {"checked_on", ShanghaiDate(-1)},
                           {"note", "防冲撞柱完好"},
                           {"photos", {id}}},
                          principal);
  ASSERT_EQ(check.status, 201) << check;
  EXPECT_EQ(check.Json()["photos"], json({id}));
  EXPECT_EQ(check.Json()["recorded_by"], "demo-principal");
  const json checks = Read(kLedger + "/closed-checks", "demo-county");
  EXPECT_EQ(checks["current"]["anti_ram_barriers"], check.Json());
  ASSERT_FALSE(checks["history"].empty());
  EXPECT_EQ(checks["history"][0], check.Json()) << "newest first";
  EXPECT_EQ(checks["current"].size(), 4u);
  EXPECT_EQ(Ledger()["evaluation"]["items"], evaluation["items"]) << "it was in place already";
}

TEST_F(LedgerInput, RefusedUploadsLeaveNothingBehind) {
  const std::string principal = Token("demo-principal");
  const std::string png = TinyPng(4, 4, 4);
  const int64_t history = HistoryTotal();
  struct Bad {
    const char* what;
    std::string bytes, type;
    int status;
  };
  const std::vector<Bad> bad = {
      {"text labelled image/png", "not an image at all\n", "image/png", 415},
      {"a PNG labelled image/jpeg", png, "image/jpeg", 415},
      {"an SVG", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "image/svg+xml", 415},
      {"empty", "", "image/png", 400},
  };
  for (const auto& b : bad) {
    SCOPED_TRACE(b.what);
    auto r = Upload(kSchool, b.bytes, b.type, principal);
    EXPECT_EQ(r.status, b.status) << r;
    EXPECT_TRUE(r.IsProblem()) << r;
    if (b.status == 415) {
      EXPECT_EQ(r.Code(), "unsupported_media_type");
      EXPECT_EQ(ErrorFields(r), std::set<std::string>{"body"}) << r;
      // The problem's title matches its status (it once fell back to "Internal Server Error").
      EXPECT_EQ(r.Json()["title"], "Unsupported Media Type") << r;
    }
    if (!b.bytes.empty()) {
      EXPECT_EQ(srv().Get("/api/v1/files/" + Sha256Hex(b.bytes), principal).status, 404);
    }
  }

  // Uploads by people who may not change the ledger, or without a school. (The county's officers
  // may upload for their inspections: see inspections_api_test.cpp.)
  auto by_county2 = Upload(kSchool, png, "image/png", Token("demo-county2"));
  EXPECT_EQ(by_county2.status, 404) << by_county2;
  auto by_teacher = Upload(kSchool, png, "image/png", Token("demo-teacher"));
  EXPECT_EQ(by_teacher.status, 403) << by_teacher;
  auto no_school = srv().Send({"POST", "/api/v1/files", png, "image/png", principal, {}});
  EXPECT_EQ(no_school.status, 400) << no_school;
  EXPECT_EQ(ErrorFields(no_school), std::set<std::string>{"school"}) << no_school;
  EXPECT_EQ(srv().Get("/api/v1/files/" + Sha256Hex(png), principal).status, 404);
  EXPECT_EQ(HistoryTotal(), history);
}

TEST_F(LedgerInput, PhotosUpTo8MiBAreStored) {
  // Uploads may be 8 MiB although other bodies stop at 2 MiB: Beast checks Content-Length while it
  // reads the header, so the server reads headers under the larger limit and applies the path's.
  const std::string principal = Token("demo-principal");
  for (const size_t size : {size_t{3} << 20, size_t{8} << 20}) {
    std::string photo = TinyPng(5, 5, static_cast<uint8_t>(size >> 20));
    photo.resize(size, '\0');
    auto r = Upload(kSchool, photo, "image/png", principal);
    EXPECT_EQ(r.status, 201) << size << " bytes: " << r;
    EXPECT_EQ(r.Json().value("id", ""), Sha256Hex(photo)) << size << " bytes";
  }
  std::string over = TinyPng(5, 5, 9);
  over.resize((size_t{8} << 20) + 1, '\0');
  auto r = Upload(kSchool, over, "image/png", principal);
  EXPECT_EQ(r.status, 413) << r;
  EXPECT_EQ(r.Code(), "payload_too_large") << r;
  EXPECT_EQ(srv().Get("/api/v1/files/" + Sha256Hex(over), principal).status, 404);
}

// ---------------------------------------------------------------------------------------------
// Workbooks: exports for the bureaus, the fill-in template and the import.
class LedgerWorkbooks : public LedgerSuite<LedgerWorkbooks> {
 protected:
  // GETs a workbook as `username`, asserting how it is served; its bytes.
  static std::string Workbook(const std::string& target, const std::string& username, const std::string& filename) {
    auto r = srv().Get(target, Token(username));
    EXPECT_EQ(r.status, 200) << target << ": " << r;
    EXPECT_EQ(r.Header("content-type"), kXlsxType) << target;
    EXPECT_TRUE(r.body.starts_with("PK")) << target;
    EXPECT_EQ(r.Header("content-disposition"), "attachment; filename=\"" + filename + "\"") << target;
    EXPECT_EQ(r.Header("cache-control"), "no-store") << target;
    return r.body;
  }
};

TEST_F(LedgerWorkbooks, ExportsHoldWhatTheApiShows) {
  const std::string principal = Token("demo-principal");
  auto created =
      srv().Post(kLedger + "/guards",
                 {{"name", "导出测试保安"}, {"employment", "part_time"}, {"certificate_no", "豫保EXPORT1"}}, principal);
  ASSERT_EQ(created.status, 201) << created;

  const std::string gaps =
      Workbook("/api/v1/compliance/gaps.xlsx?org=410105", "demo-county", "four-100-gaps-410105.xlsx");
  const std::string gap_strings = XlsxPart(gaps, "xl/sharedStrings.xml");
  ASSERT_FALSE(gap_strings.empty()) << "not a readable workbook";
  // Every gap school with every reason, as "<item>：<reason>".
  const std::map<std::string, std::string> item_zh = {{"guards", "专职保安"},
                                                      {"closed_management", "封闭化管理"},
                                                      {"protection_posts", "护学岗"},
                                                      {"alarm_video", "一键报警与视频监控联网"}};
  const json gap_list = Read("/api/v1/compliance/gaps?org=410105&page_size=500", "demo-county");
  ASSERT_FALSE(gap_list["items"].empty());
  for (const auto& g : gap_list["items"]) {
    EXPECT_TRUE(Contains(gap_strings, "<t>" + g["name"].get<std::string>() + "</t>")) << g["name"];
    EXPECT_TRUE(Contains(gap_strings, "<t>" + g["code"].get<std::string>() + "</t>")) << g["code"];
    for (const auto& [item, reasons] : g["reasons"].items()) {
      for (const auto& reason : reasons["zh"])
        EXPECT_TRUE(Contains(gap_strings, item_zh.at(item) + "：" + reason.get<std::string>())) << reason;
    }
  }
  EXPECT_TRUE(Contains(XlsxPart(gaps, "xl/workbook.xml"), "name=\"四个100%未达标学校\""));
  // The same filters as the list: one school's guard gap.
  const json guard_gaps = Read("/api/v1/compliance/gaps?org=410105&page_size=500&item=guards", "demo-county");
  ASSERT_FALSE(guard_gaps["items"].empty());
  const std::string one = guard_gaps["items"][0]["code"];
  const std::string filtered = XlsxPart(Workbook("/api/v1/compliance/gaps.xlsx?org=410105&item=guards&q=" + one,
                                                 "demo-county", "four-100-gaps-410105.xlsx"),
                                        "xl/sharedStrings.xml");
  for (const auto& g : gap_list["items"]) {
    EXPECT_EQ(Contains(filtered, "<t>" + g["name"].get<std::string>() + "</t>"), g["code"] == one) << g["name"];
  }

  const std::string ledger = Workbook("/api/v1/ledger/export.xlsx?org=410105", "demo-county", "ledger-410105.xlsx");
  const std::string ledger_strings = XlsxPart(ledger, "xl/sharedStrings.xml");
  EXPECT_TRUE(Contains(ledger_strings, "<t>导出测试保安</t>"));
  EXPECT_TRUE(Contains(ledger_strings, "<t>豫保EXPORT1</t>"));
  EXPECT_TRUE(Contains(ledger_strings, "<t>门卫室一键报警</t>"));
  const std::string ledger_book = XlsxPart(ledger, "xl/workbook.xml");
  for (const char* sheet : {"保安", "设备", "报警测试", "封闭化管理检查", "未达标学校"})
    EXPECT_TRUE(Contains(ledger_book, std::string("name=\"") + sheet + "\"")) << sheet;
  // Laocheng's county officer gets Laocheng's ledger, without Jinshui's guard.
  const std::string laocheng = XlsxPart(
      Workbook("/api/v1/ledger/export.xlsx?org=410302", "demo-county2", "ledger-410302.xlsx"), "xl/sharedStrings.xml");
  EXPECT_FALSE(laocheng.empty());
  EXPECT_FALSE(Contains(laocheng, "导出测试保安"));
  EXPECT_FALSE(Contains(laocheng, "金水区"));

  const std::string tpl =
      Workbook(kLedger + "/ledger/template.xlsx", "demo-principal", "ledger-template-" + kSchool + ".xlsx");
  const std::string tpl_book = XlsxPart(tpl, "xl/workbook.xml");
  EXPECT_TRUE(Contains(tpl_book, "name=\"guards\"")) << tpl_book;
  EXPECT_TRUE(Contains(tpl_book, "name=\"devices\"")) << tpl_book;
  const std::string tpl_strings = XlsxPart(tpl, "xl/sharedStrings.xml");
  for (const auto& g : Guards()) EXPECT_TRUE(Contains(tpl_strings, "<t>" + g["name"].get<std::string>() + "</t>")) << g;
  EXPECT_TRUE(Contains(tpl_strings, "<t>出生年份 birth_year</t>"));
  EXPECT_TRUE(Contains(tpl_strings, "<t>国标编码 national_id</t>"));
  EXPECT_TRUE(Contains(tpl_strings, "需配备专职保安3名"));
  Workbook(kLedger + "/ledger/template.xlsx", "demo-county", "ledger-template-" + kSchool + ".xlsx");

  auto too_wide = srv().Get("/api/v1/ledger/export.xlsx", Token("demo-county"));
  EXPECT_EQ(too_wide.status, 400) << too_wide;
  EXPECT_TRUE(too_wide.NamesField("org"));
}

TEST_F(LedgerWorkbooks, AnImportWritesEveryRowOrNone) {
  const std::string principal = Token("demo-principal");
  const std::string target = kLedger + "/ledger/import";
  const size_t guards_before = Guards().size(), devices_before = Devices().size();
  const int64_t history = HistoryTotal();
  const json zhao{
      {"row", 3}, {"name", "赵六"}, {"employment", "full_time"}, {"certificate_no", "X1"}, {"birth_year", 1985}};
  const json camera{{"row", 3},
                    {"kind", "camera"},
                    {"name", "导入摄像机"},
                    {"location", "北门"},
                    {"national_id", "41010500001320000001"},
                    {"police_networked", true},
                    {"installed_on", "2024-09-01"}};

  auto ok = srv().Post(target, {{"guards", json::array({zhao})}, {"devices", json::array({camera})}}, principal);
  ASSERT_EQ(ok.status, 200) << ok;
  EXPECT_EQ(ok.Json(),
            json({{"guards", {{"created", 1}, {"updated", 0}}}, {"devices", {{"created", 1}, {"updated", 0}}}}));
  ASSERT_EQ(Guards().size(), guards_before + 1);
  ASSERT_EQ(Devices().size(), devices_before + 1);
  json imported;
  for (const auto& g : Guards()) {
    if (g["name"] == "赵六") imported = g;
  }
  ASSERT_TRUE(imported.is_object());
  EXPECT_EQ(imported["certificate_no"], "X1");
  EXPECT_EQ(imported["birth_year"], 1985);
  EXPECT_EQ(imported["qualified"], true);
  bool camera_listed = false;
  for (const auto& d : Devices())
    camera_listed |= d["name"] == "导入摄像机" && d["national_id"] == "41010500001320000001" && d["kind"] == "camera";
  EXPECT_TRUE(camera_listed);
  EXPECT_EQ(HistoryTotal(), history + 1);
  EXPECT_EQ(NewestHistory()["action"], "ledger.import");
  EXPECT_EQ(NewestHistory()["summary"], "guards +1 ~0; devices +1 ~0");
  // The imported guard is the third: the school is now compliant, live.
  EXPECT_EQ(GuardsItem()["state"], "met");
  EXPECT_EQ(Ledger()["evaluation"]["all_four"], true);

  // One bad row among good ones: 422 naming its cell, and nothing written.
  const auto figures = FiguresAbove();
  const json good2{{"row", 3}, {"name", "钱七"}, {"employment", "full_time"}, {"certificate_no", "X2"}};
  const json good3{{"row", 4}, {"name", "孙八"}, {"employment", "part_time"}};
  json bad_year = good2;
  bad_year["row"] = 5;
  bad_year["name"] = "周九";
  bad_year["birth_year"] = 2020;
  json good_camera = camera;
  good_camera["name"] = "第二个摄像机";
  good_camera["national_id"] = "41010500001320000002";
  auto bad =
      srv().Post(target, {{"guards", {good2, good3, bad_year}}, {"devices", json::array({good_camera})}}, principal);
  ASSERT_EQ(bad.status, 422) << bad;
  EXPECT_TRUE(bad.IsProblem());
  EXPECT_EQ(bad.Code(), "import_failed");
  ASSERT_EQ(bad.Json()["errors"].size(), 1u) << bad;
  EXPECT_EQ(bad.Json()["errors"][0]["field"], "guards!D5") << "column D is birth_year: " << bad;
  EXPECT_EQ(bad.Json()["errors"][0]["row"], 5) << bad;

  // Every bad cell is reported, on both sheets.
  json bad_device = camera;
  bad_device["row"] = 4;
  bad_device["national_id"] = "123";
  bad_device["installed_on"] = ShanghaiDate(2);
  json unknown_id{{"row", 6}, {"id", 999999}, {"name", "查无此人"}};
  json bad_employment = good3;
  bad_employment["row"] = 7;
  bad_employment["employment"] = "临时";
  auto many = srv().Post(
      target, {{"guards", {good2, unknown_id, bad_employment}}, {"devices", {good_camera, bad_device}}}, principal);
  ASSERT_EQ(many.status, 422) << many;
  EXPECT_EQ(ErrorFields(many), (std::set<std::string>{"guards!A6", "guards!E7", "devices!E4", "devices!G4"})) << many;

  // A wrong type is a bad cell like any other.
  const json typed{{"row", 5}, {"name", "吴十"}, {"employment", "full_time"}, {"birth_year", "1985"}};
  auto wrong_type = srv().Post(target, {{"guards", {good2, good3, typed}}}, principal);
  ASSERT_EQ(wrong_type.status, 422) << wrong_type;
  EXPECT_EQ(wrong_type.Code(), "import_failed");
  ASSERT_EQ(wrong_type.Json()["errors"].size(), 1u) << wrong_type;
  EXPECT_EQ(wrong_type.Json()["errors"][0]["field"], "guards!D5") << wrong_type;
  EXPECT_EQ(wrong_type.Json()["errors"][0]["row"], 5) << wrong_type;

  // A body the browser could not have built is a 400 naming the JSON field.
  auto not_a_list = srv().Post(target, {{"guards", json::object()}}, principal);
  EXPECT_EQ(not_a_list.status, 400) << not_a_list;
  EXPECT_EQ(ErrorFields(not_a_list), std::set<std::string>{"guards"}) << not_a_list;

  for (const auto& r : Guards()) {
    EXPECT_NE(r["name"], "钱七");
    EXPECT_NE(r["name"], "孙八");
  }
  EXPECT_EQ(Guards().size(), guards_before + 1);
  EXPECT_EQ(Devices().size(), devices_before + 1);
  EXPECT_EQ(HistoryTotal(), history + 1);
  EXPECT_EQ(FiguresAbove(), figures);

  // A row with an id updates that guard.
  json update{{"row", 3}, {"id", imported["id"]}, {"certificate_no", "X9"}};
  auto updated = srv().Post(target, {{"guards", json::array({update})}}, principal);
  ASSERT_EQ(updated.status, 200) << updated;
  EXPECT_EQ(updated.Json(),
            json({{"guards", {{"created", 0}, {"updated", 1}}}, {"devices", {{"created", 0}, {"updated", 0}}}}));
  for (const auto& g : Guards()) {
    if (g["id"] == imported["id"]) {
      EXPECT_EQ(g["certificate_no"], "X9");
    }
  }
  EXPECT_EQ(Guards().size(), guards_before + 1);

  // Bureaus do not import into a school's ledger.
  auto by_county = srv().Post(target, {{"guards", json::array({good2})}}, Token("demo-county"));
  EXPECT_EQ(by_county.status, 403) << by_county;
  EXPECT_EQ(Guards().size(), guards_before + 1);
  EXPECT_EQ(HistoryTotal(), history + 2);

  // 赵六 leaves again, so the showcase school is one guard short as before.
  json leaves{{"row", 3}, {"id", imported["id"]}, {"active", false}};
  ASSERT_EQ(srv().Post(target, {{"guards", json::array({leaves})}}, principal).status, 200);
  EXPECT_EQ(GuardsItem()["state"], "not_met");
}

TEST_F(LedgerWorkbooks, ARowWithoutItsNumberIsABadRequest) {
  // A row without `row` is the client's mistake, not a cell's: 400 naming guards[0].row.
  const size_t guards_before = Guards().size();
  auto no_row = srv().Post(kLedger + "/ledger/import",
                           {{"guards", json::array({json{{"name", "无行号"}, {"employment", "full_time"}}})}},
                           Token("demo-principal"));
  EXPECT_EQ(no_row.status, 400) << no_row;
  EXPECT_EQ(no_row.Code(), "validation_failed") << no_row;
  EXPECT_EQ(ErrorFields(no_row), std::set<std::string>{"guards[0].row"}) << no_row;
  EXPECT_EQ(Guards().size(), guards_before);
}

}  // namespace
}  // namespace xiaoan::it
