#include "modules/ledger/ledger_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "modules/org/org_service.hpp"
#include "platform/db/test_db.hpp"
#include "xiaoan_ledger_sql.hpp"

namespace xiaoan::ledger {
namespace {

using std::chrono::days;

class StepClock final : public Clock {
 public:
  TimePoint Now() const override { return now; }
  TimePoint now = *ParseRfc3339("2026-11-28T10:00:00+08:00");
};

Principal At(const std::string& code, const std::string& path, Role role) {
  Principal p;
  p.user_id = 7;
  p.username = "tester";
  p.role = role;
  p.org_code = code;
  p.org_path = path;
  return p;
}

const std::string kSchool = "9410105001";
const Principal kPrincipal = At(kSchool, "/410000/410100/410105/9410105001/", Role::kPrincipal);
const Principal kGuard = At(kSchool, "/410000/410100/410105/9410105001/", Role::kGuard);
const Principal kCounty = At("410105", "/410000/410100/410105/", Role::kBureauSafetyOfficer);
const Principal kOtherCounty = At("410302", "/410000/410300/410302/", Role::kBureauSafetyOfficer);
const Principal kProvince = At("410000", "/410000/", Role::kBureauSafetyOfficer);
const audit::Actor kActor{7, "tester", "principal", kSchool, "req"};

GuardFields NewGuard(const std::string& name, bool certified = true) {
  GuardFields f;
  f.name = name;
  f.employment = "full_time";
  if (certified) f.certificate_no = std::optional<std::string>("豫保00000001");
  f.birth_year = std::optional<int64_t>(1980);
  return f;
}

class LedgerServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(org_.SeedDivisions());
    ASSERT_TRUE(org_.SeedDemoSchools());
    auto created = LedgerService::Create(*db_, audit_, clock_, Settings());
    ASSERT_TRUE(created);
    ledger_ = std::move(*created);
    org_.SetSchoolObserver(
        [this](db::Connection& tx, const std::string& code) { return ledger_->Reevaluate(tx, code); });
    auto seeded = ledger_->SeedDemo();
    ASSERT_TRUE(seeded);
    ASSERT_GT(*seeded, 5000);
    ASSERT_TRUE(ledger_->Rebuild());
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(photo_dir_, ec);
  }
  LedgerSettings Settings() {
    LedgerSettings s;
    s.photo_dir = photo_dir_;
    return s;
  }
  store::Figures Figures(const std::string& org) {
    auto r = ledger_->FourHundred(kProvince, org);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? r->figures : store::Figures{};
  }
  // Every counter of the province, all cities and all counties.
  std::map<std::string, store::Figures> AllCounters() {
    std::map<std::string, store::Figures> out;
    auto top = ledger_->FourHundred(kProvince, "410000");
    EXPECT_TRUE(top);
    out["410000"] = top->figures;
    for (const auto& city : top->children) {
      out[city.code] = city.figures;
      auto c = ledger_->FourHundred(kProvince, city.code);
      EXPECT_TRUE(c);
      for (const auto& county : c->children)
        if (county.level == "county") out[county.code] = county.figures;
    }
    return out;
  }
  static bool Same(const store::Figures& a, const store::Figures& b) {
    return a.schools == b.schools && a.items == b.items;
  }

  std::string photo_dir_ =
      (std::filesystem::temp_directory_path() / ("xiaoan-photos-" + std::to_string(std::random_device()()))).string();
  db::TestDb db_;
  StepClock clock_;
  audit::AuditLog audit_{"sha256", clock_};
  org::OrgService org_{*db_, audit_, clock_};
  std::unique_ptr<LedgerService> ledger_;
};

TEST_F(LedgerServiceTest, AGuardRecordedAtASchoolChangesEveryLevelAboveInTheSameWrite) {
  auto summary = ledger_->GetSummary(kPrincipal, kSchool);
  ASSERT_TRUE(summary);
  ASSERT_EQ(summary->evaluation.items[0].state, ItemState::kNotMet);
  EXPECT_EQ(summary->evaluation.items[0].reasons_zh.at(0), "应配备3名专职保安，现有2名");
  const auto county = Figures("410105"), city = Figures("410100"), province = Figures("410000");

  auto g = ledger_->CreateGuard(kPrincipal, kActor, kSchool, NewGuard("王三"));
  ASSERT_TRUE(g) << g.error().message;
  for (auto [code, before] : {std::pair{"410105", county}, {"410100", city}, {"410000", province}}) {
    const auto now = Figures(code);
    EXPECT_EQ(now.items[0].first, before.items[0].first + 1) << code;  // guards met
    EXPECT_EQ(now.items[0].second, before.items[0].second) << code;
    EXPECT_EQ(now.items[4].first, before.items[4].first + 1) << code;  // all four
  }
  EXPECT_TRUE(ledger_->GetSummary(kPrincipal, kSchool)->evaluation.all_four);

  // The guard leaves: back to where it was.
  GuardFields leave;
  leave.active = false;
  ASSERT_TRUE(ledger_->UpdateGuard(kPrincipal, kActor, kSchool, g->id, leave));
  EXPECT_TRUE(Same(Figures("410000"), province));
}

TEST_F(LedgerServiceTest, CountersAlwaysEqualARebuildFromScratch) {
  std::mt19937 rng(42);
  auto schools = org_.Schools(kProvince, "410105", {}, {1, 200});
  ASSERT_TRUE(schools);
  for (int i = 0; i < 60; ++i) {
    const auto& school = schools->items[rng() % schools->items.size()];
    const Principal p = At(school.code, school.path, Role::kSchoolSafetyOfficer);
    switch (rng() % 4) {
      case 0:
        ASSERT_TRUE(ledger_->CreateGuard(p, kActor, school.code, NewGuard("甲", rng() % 2)));
        break;
      case 1: {
        DeviceFields d;
        d.kind = "alarm";
        d.name = "报警";
        d.police_networked = rng() % 2 == 0;
        ASSERT_TRUE(ledger_->CreateDevice(p, kActor, school.code, d));
        break;
      }
      case 2: {
        std::vector<Shift> shifts;
        for (int wd = 1; wd <= 7; ++wd) shifts.push_back({wd, 0, rng() % 3 ? 1440 : 1200, ""});
        ASSERT_TRUE(ledger_->ReplaceGatehouse(p, kActor, school.code, shifts));
        break;
      }
      case 3: {
        org::SchoolPatch patch;
        patch.day_students = static_cast<int64_t>(rng() % 3000);
        ASSERT_TRUE(org_.UpdateSchool(kCounty, kActor, school.code, patch));
        break;
      }
    }
  }
  ASSERT_TRUE(org_.Deactivate(kCounty, kActor, schools->items[3].code));
  const auto live = AllCounters();
  auto rebuilt = ledger_->Rebuild();
  ASSERT_TRUE(rebuilt);
  EXPECT_EQ(rebuilt->schools, 5775);
  const auto fresh = AllCounters();
  ASSERT_EQ(live.size(), fresh.size());
  for (const auto& [code, f] : fresh) EXPECT_TRUE(Same(live.at(code), f)) << code;
  EXPECT_EQ(fresh.at("410000").schools, 5774);  // the deactivated school no longer counts
}

TEST_F(LedgerServiceTest, TheDayRollAgesAlarmTestsAndKeepsASnapshotPerDay) {
  ASSERT_TRUE(ledger_->Roll());  // today already rolled by Rebuild: nothing to do
  EXPECT_FALSE(ledger_->Roll()->ran);
  const auto before = Figures("410000");
  clock_.now += days(40);  // every demo alarm test is now older than 31 days
  auto rolled = ledger_->Roll();
  ASSERT_TRUE(rolled);
  EXPECT_TRUE(rolled->ran);
  EXPECT_GT(rolled->changed, 0);
  const auto after = Figures("410000");
  EXPECT_EQ(after.items[3].first, 0);  // alarm_video met nowhere
  EXPECT_LT(after.items[4].first, before.items[4].first);
  EXPECT_FALSE(ledger_->Roll()->ran);  // once a day

  auto trend = ledger_->Trend(kProvince, "410000", 60);
  ASSERT_TRUE(trend);
  ASSERT_GE(trend->size(), 2u);
  EXPECT_EQ(trend->front().day, "2026-11-28");
  EXPECT_EQ(trend->front().figures.items[3], before.items[3]);
  EXPECT_EQ(trend->back().day, "2027-01-07");
  EXPECT_EQ(trend->back().figures.items[3].first, 0);
}

TEST_F(LedgerServiceTest, JurisdictionAndRolesAreCheckedInTheService) {
  EXPECT_EQ(ledger_->GetSummary(kOtherCounty, kSchool).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ledger_->FourHundred(kOtherCounty, "410105").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ledger_->Gaps(kOtherCounty, "410105", {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ledger_->CreateGuard(kOtherCounty, kActor, kSchool, NewGuard("x")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ledger_->CreateGuard(kCounty, kActor, kSchool, NewGuard("x")).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(ledger_->CreateGuard(kGuard, kActor, kSchool, NewGuard("x")).error().code, ErrorCode::kPermissionDenied);
  Patrol patrol;
  patrol.patrolled_at = "2026-11-28T09:00:00+08:00";
  patrol.area = "操场";
  patrol.by_name = "保安";
  EXPECT_TRUE(ledger_->AddPatrol(kGuard, kActor, kSchool, patrol));
  // A school principal cannot see another school.
  const Principal other = At("9410105002", "/410000/410100/410105/9410105002/", Role::kPrincipal);
  EXPECT_EQ(ledger_->Guards(other, kSchool).error().code, ErrorCode::kNotFound);
  // A county (not a school) is not a ledger.
  EXPECT_EQ(ledger_->GetSummary(kProvince, "410105").error().code, ErrorCode::kNotFound);
}

TEST_F(LedgerServiceTest, ARejectedWriteChangesNothing) {
  auto guards = ledger_->Guards(kPrincipal, kSchool);
  ASSERT_TRUE(guards);
  const auto before = Figures("410000");
  GuardFields bad;
  bad.birth_year = std::optional<int64_t>(2020);
  auto r = ledger_->UpdateGuard(kPrincipal, kActor, kSchool, guards->front().id, bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).field, "birth_year");
  ClosedCheck k;
  k.measure = "anti_ram_barriers";
  k.status = "in_place";
  k.checked_on = "2026-11-27";
  k.photos = {std::string(64, 'a')};  // well-formed but never uploaded for this school
  auto c = ledger_->AddClosedCheck(kPrincipal, kActor, kSchool, k);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().fields.at(0).field, "photos[0]");
  EXPECT_EQ(ledger_->Guards(kPrincipal, kSchool)->front().birth_year, guards->front().birth_year);
  EXPECT_TRUE(Same(Figures("410000"), before));
}

TEST_F(LedgerServiceTest, ImportIsAllOrNothingWithErrorsByCell) {
  const auto before = ledger_->Guards(kPrincipal, kSchool)->size();
  GuardImportRow ok_row;
  ok_row.row = 3;
  ok_row.fields = NewGuard("赵六");
  GuardImportRow bad_row;
  bad_row.row = 5;
  bad_row.fields = NewGuard("钱七");
  bad_row.fields.birth_year = std::optional<int64_t>(2020);
  DeviceImportRow bad_device;
  bad_device.row = 4;
  bad_device.id = 999999;
  auto r = ledger_->Import(kPrincipal, kActor, kSchool, {ok_row, bad_row}, {bad_device});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "import_failed");
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "guards!D5");
  EXPECT_EQ(r.error().fields[0].row, 5);
  EXPECT_EQ(r.error().fields[1].field, "devices!A4");
  EXPECT_EQ(ledger_->Guards(kPrincipal, kSchool)->size(), before);
  auto good = ledger_->Import(kPrincipal, kActor, kSchool, {ok_row}, {});
  ASSERT_TRUE(good);
  EXPECT_EQ(good->guards_created, 1);
  EXPECT_TRUE(ledger_->GetSummary(kPrincipal, kSchool)->evaluation.all_four);
}

TEST_F(LedgerServiceTest, PhotosAreCheckedByContentAndVisibleOnlyInsideTheJurisdiction) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  auto meta = ledger_->UploadPhoto(kPrincipal, kActor, kSchool, "image/png", png);
  ASSERT_TRUE(meta) << meta.error().message;
  EXPECT_EQ(meta->id.size(), 64u);
  EXPECT_EQ(ledger_->UploadPhoto(kPrincipal, kActor, kSchool, "image/jpeg", png).error().reason,
            "unsupported_media_type");
  EXPECT_EQ(ledger_->UploadPhoto(kPrincipal, kActor, kSchool, "image/png", "<svg onload=alert(1)>").error().reason,
            "unsupported_media_type");
  // The county's officers upload the photos of their spot checks; a leader (read-only) and another
  // county's officer do not.
  EXPECT_TRUE(ledger_->UploadPhoto(kCounty, kActor, kSchool, "image/png", png));
  EXPECT_EQ(
      ledger_
          ->UploadPhoto(At("410105", "/410000/410100/410105/", Role::kBureauLeader), kActor, kSchool, "image/png", png)
          .error()
          .code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(ledger_->UploadPhoto(kOtherCounty, kActor, kSchool, "image/png", png).error().code, ErrorCode::kNotFound);
  auto got = ledger_->GetPhoto(kCounty, meta->id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->first, "image/png");
  EXPECT_EQ(got->second, png);
  EXPECT_EQ(ledger_->GetPhoto(kOtherCounty, meta->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ledger_->GetPhoto(kCounty, "../../etc/passwd").error().code, ErrorCode::kNotFound);

  ClosedCheck k;
  k.measure = "anti_ram_barriers";
  k.status = "in_place";
  k.checked_on = "2026-11-27";
  k.photos = {meta->id};
  ASSERT_TRUE(ledger_->AddClosedCheck(kPrincipal, kActor, kSchool, k));
}

// Only ledger targets are indexed in the audit log (migration 0012): the history must still read
// one index range, not the whole log.
TEST_F(LedgerServiceTest, TheHistoryReadsAnIndexRangeOfTheAuditLog) {
  for (const db::Sql& q : {sql::kHistory, sql::kHistoryCount}) {
    std::string plan;
    ASSERT_TRUE(db_->Read([&](db::Connection& c) -> Status {
      auto rows =
          c.Query(db::Explained("EXPLAIN QUERY PLAN ", q), {"ledger/" + std::string(kSchool) + "/", "ledger/x", 10, 0});
      if (!rows) return Fail(rows.error());
      for (const auto& r : *rows) plan += r.Text(3) + "\n";
      return {};
    }));
    EXPECT_NE(plan.find("INDEX audit_log_ledger_target (target>? AND target<?)"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN audit_log"), std::string::npos) << plan;
  }
}

TEST_F(LedgerServiceTest, APostRetriedWithTheSameFactsIsWrittenOnce) {
  PostRecord r;
  r.day = "2026-11-27";
  r.session = "arrival";
  r.police = 1;
  r.staff = 2;
  r.guards = 1;
  ASSERT_TRUE(ledger_->PutPost(kGuard, kActor, kSchool, r));
  const auto history = ledger_->History(kPrincipal, kSchool, 100, 0)->second;
  ASSERT_TRUE(ledger_->PutPost(kGuard, kActor, kSchool, r));
  EXPECT_EQ(ledger_->History(kPrincipal, kSchool, 100, 0)->second, history);
  r.police = 2;
  ASSERT_TRUE(ledger_->PutPost(kGuard, kActor, kSchool, r));
  EXPECT_EQ(ledger_->History(kPrincipal, kSchool, 100, 0)->second, history + 1);
  r.day = "2026-11-29";
  EXPECT_EQ(ledger_->PutPost(kGuard, kActor, kSchool, r).error().fields.at(0).field, "date");
}

TEST_F(LedgerServiceTest, APostRetriedWithTheSameIdempotencyKeyAnswersTheFirstRecord) {
  Patrol patrol;
  patrol.patrolled_at = "2026-11-28T09:00:00+08:00";
  patrol.area = "操场";
  patrol.by_name = "保安";
  patrol.idempotency_key = "phone-1-0001";
  auto first = ledger_->AddPatrol(kGuard, kActor, kSchool, patrol);
  ASSERT_TRUE(first);
  const auto count = ledger_->Patrols(kPrincipal, kSchool, *ParseDay("2026-11-28"))->size();
  auto again = ledger_->AddPatrol(kGuard, kActor, kSchool, patrol);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(ledger_->Patrols(kPrincipal, kSchool, *ParseDay("2026-11-28"))->size(), count);
  patrol.idempotency_key = "phone-1-0002";
  EXPECT_NE(ledger_->AddPatrol(kGuard, kActor, kSchool, patrol)->id, first->id);
}

// QA: a camera given the alarm box's GB/T 28181 id took its place in the device registry. An id is
// one device's in all schools; a device keeps an id it has.
TEST_F(LedgerServiceTest, ANationalIdBelongsToOneDeviceInAllSchools) {
  const std::string box_id = kShowcaseDevices[0];
  const Principal other = At("9410105002", "/410000/410100/410105/9410105002/", Role::kPrincipal);
  auto history = [&] { return ledger_->History(kProvince, kSchool, 1, 0)->second; };
  const auto devices = ledger_->Devices(kPrincipal, kSchool)->size();
  const auto others = ledger_->Devices(other, "9410105002")->size();
  const auto before = history();
  DeviceFields camera;
  camera.kind = "camera";
  camera.name = "x";
  camera.police_networked = true;
  camera.national_id = std::optional<std::string>(box_id);
  for (const auto& [who, school] : {std::pair{kPrincipal, kSchool}, {other, std::string("9410105002")}}) {
    auto r = ledger_->CreateDevice(who, kActor, school, camera);
    ASSERT_FALSE(r) << school;
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "national_id");
  }
  EXPECT_EQ(ledger_->Devices(kPrincipal, kSchool)->size(), devices);
  EXPECT_EQ(ledger_->Devices(other, "9410105002")->size(), others);
  EXPECT_EQ(history(), before);

  // A patch: another device may not take the id; the alarm box keeps it through a change.
  int64_t box = 0, cam = 0;
  const auto listed = ledger_->Devices(kPrincipal, kSchool);
  ASSERT_TRUE(listed);
  for (const auto& d : *listed) (d.national_id == box_id ? box : cam) = d.id;
  ASSERT_TRUE(box > 0 && cam > 0);
  DeviceFields take;
  take.national_id = std::optional<std::string>(box_id);
  EXPECT_EQ(ledger_->UpdateDevice(kPrincipal, kActor, kSchool, cam, take).error().code, ErrorCode::kConflict);
  take.name = "门卫室一键报警（新）";
  EXPECT_TRUE(ledger_->UpdateDevice(kPrincipal, kActor, kSchool, box, take));
  // Freed, the id may go to another device, in another school too.
  DeviceFields release;
  release.national_id = std::optional<std::string>();
  ASSERT_TRUE(ledger_->UpdateDevice(kPrincipal, kActor, kSchool, box, release));
  auto moved = ledger_->CreateDevice(other, kActor, "9410105002", camera);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(ledger_->UpdateDevice(kPrincipal, kActor, kSchool, box, take).error().code, ErrorCode::kConflict);

  // The import: a row taking a held id, and two rows giving one new id, are named by their cell.
  DeviceImportRow held, first, second;
  held.row = 3;
  held.fields = camera;
  first.row = 4;
  first.fields = camera;
  first.fields.national_id = std::optional<std::string>("41010500001310000099");
  second = first;
  second.row = 5;
  auto imported = ledger_->Import(kPrincipal, kActor, kSchool, {}, {held, first, second});
  ASSERT_FALSE(imported);
  std::vector<std::string> cells;
  for (const auto& e : imported.error().fields) cells.push_back(e.field);
  EXPECT_EQ(cells, (std::vector<std::string>{"devices!E3", "devices!E5"}));
  ASSERT_TRUE(ledger_->Import(kPrincipal, kActor, kSchool, {}, {first}));

  auto inventory = ledger_->DeviceInventory();
  ASSERT_TRUE(inventory);
  std::map<std::string, int> holders;
  for (const auto& d : *inventory) ++holders[d.national_id];
  for (const auto& [id, n] : holders) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(holders.count(box_id), 1u);
}

// The lookup reads the index of migration 0021, not every device of the province.
TEST_F(LedgerServiceTest, TheNationalIdCheckReadsAnIndex) {
  std::string plan;
  ASSERT_TRUE(db_->Read([&](db::Connection& c) -> Status {
    auto rows = c.Query(db::Explained("EXPLAIN QUERY PLAN ", sql::kNationalIdTaken), {kShowcaseDevices[0], 0});
    if (!rows) return Fail(rows.error());
    for (const auto& r : *rows) plan += r.Text(3) + "\n";
    return {};
  }));
  EXPECT_NE(plan.find("INDEX ledger_devices_national_id (national_id=?)"), std::string::npos) << plan;
}

// QA: PATCH {} answered 200, moved updated_at and wrote an audit record.
TEST_F(LedgerServiceTest, AnEmptyPatchIsRefusedAndAPatchOfTheSameValuesWritesNothing) {
  const Guard guard = ledger_->Guards(kPrincipal, kSchool)->front();
  const Device device = ledger_->Devices(kPrincipal, kSchool)->front();
  const auto history = ledger_->History(kPrincipal, kSchool, 1, 0)->second;
  clock_.now += std::chrono::minutes(5);  // a write would show in updated_at
  auto g = ledger_->UpdateGuard(kPrincipal, kActor, kSchool, guard.id, GuardFields{});
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(g.error().fields.at(0).field, "body");
  auto d = ledger_->UpdateDevice(kPrincipal, kActor, kSchool, device.id, DeviceFields{});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().fields.at(0).field, "body");

  GuardFields same_guard;
  same_guard.name = guard.name;
  same_guard.active = guard.active;
  auto unchanged = ledger_->UpdateGuard(kPrincipal, kActor, kSchool, guard.id, same_guard);
  ASSERT_TRUE(unchanged) << unchanged.error().message;
  EXPECT_EQ(*unchanged, guard);
  DeviceFields same_device;
  same_device.name = device.name;
  same_device.national_id = device.national_id;
  auto kept = ledger_->UpdateDevice(kPrincipal, kActor, kSchool, device.id, same_device);
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(*kept, device);
  EXPECT_EQ(ledger_->Guards(kPrincipal, kSchool)->front(), guard);
  EXPECT_EQ(ledger_->History(kPrincipal, kSchool, 1, 0)->second, history);

  same_guard.name = guard.name + "甲";  // a real change is written, once
  auto renamed = ledger_->UpdateGuard(kPrincipal, kActor, kSchool, guard.id, same_guard);
  ASSERT_TRUE(renamed);
  EXPECT_NE(renamed->updated_at, guard.updated_at);
  EXPECT_EQ(ledger_->History(kPrincipal, kSchool, 1, 0)->second, history + 1);
}

// Records kept on paper first are entered at most 60 days late (QA: a check of 1900-01-01 and an
// alarm test of 1990 were accepted). Today is 2026-11-28.
TEST_F(LedgerServiceTest, ChecksAndAlarmTestsAreRecordedWithin60Days) {
  struct Case {
    const char* on;
    bool accepted;
  };
  for (const auto& c : {Case{"2026-11-28", true}, {"2026-09-29", true}, {"2026-09-28", false}, {"1900-01-01", false}}) {
    ClosedCheck k;
    k.measure = "visitor_registration";
    k.status = "not_in_place";
    k.checked_on = c.on;
    auto r = ledger_->AddClosedCheck(kPrincipal, kActor, kSchool, k);
    EXPECT_EQ(r.has_value(), c.accepted) << c.on;
    if (!r) {
      EXPECT_EQ(r.error().fields.at(0).field, "checked_on") << c.on;
    }
  }
  for (const auto& c : {Case{"2026-09-29T10:00:00+08:00", true},
                        {"2026-09-29T09:59:00+08:00", false},
                        {"1990-12-01T10:00:00+08:00", false}}) {
    AlarmTest t;
    t.tested_at = c.on;
    t.result = "pass";
    auto r = ledger_->AddAlarmTest(kPrincipal, kActor, kSchool, t);
    EXPECT_EQ(r.has_value(), c.accepted) << c.on;
    if (!r) {
      EXPECT_EQ(r.error().fields.at(0).field, "tested_at") << c.on;
    }
  }
}

// QA: today's 护学岗 never showed after it was saved. The window the four 100% count stays the 10
// school days before today (a morning cannot have the day's dismissal post yet); today is listed
// beside it when it is a school day.
TEST_F(LedgerServiceTest, ThePostsViewListsTodayBesideTheWindowItCounts) {
  auto saturday = ledger_->Posts(kGuard, kSchool, std::nullopt, std::nullopt);
  ASSERT_TRUE(saturday);
  EXPECT_FALSE(saturday->today.has_value());
  EXPECT_EQ(FormatDay(saturday->school_days.back()), "2026-11-27");

  clock_.now += days(2);  // Monday 2026-11-30
  const auto evaluation = ledger_->GetSummary(kPrincipal, kSchool)->evaluation;
  PostRecord r;
  r.day = "2026-11-30";
  r.session = "arrival";
  r.police = 2;
  r.staff = 3;
  r.guards = 2;
  ASSERT_TRUE(ledger_->PutPost(kGuard, kActor, kSchool, r));
  auto monday = ledger_->Posts(kGuard, kSchool, std::nullopt, std::nullopt);
  ASSERT_TRUE(monday);
  ASSERT_TRUE(monday->today.has_value());
  EXPECT_EQ(FormatDay(*monday->today), "2026-11-30");
  ASSERT_EQ(monday->school_days.size(), 10u);
  EXPECT_EQ(FormatDay(monday->school_days.back()), "2026-11-27");
  const auto saved = std::find_if(monday->items.begin(), monday->items.end(),
                                  [](const PostRecord& p) { return p.day == "2026-11-30" && p.session == "arrival"; });
  ASSERT_NE(saved, monday->items.end());
  EXPECT_EQ(saved->police, 2);
  EXPECT_EQ(ledger_->GetSummary(kPrincipal, kSchool)->evaluation.items[2].state, evaluation.items[2].state);
}

// The API refuses a check "in place" without a photo; the demo's checks obey the same rule, with a
// photo their school may read.
TEST_F(LedgerServiceTest, TheDemoChecksInPlaceCarryAPhotoOfTheirSchool) {
  static constexpr db::Sql kWithoutPhoto{"without_photo", R"(
    SELECT count(*) FROM ledger_closed_checks c WHERE c.status = 'in_place'
      AND NOT EXISTS (SELECT 1 FROM json_each(c.photos) p JOIN files f ON f.id = p.value
                      AND f.school_code = c.school_code))"};
  static constexpr db::Sql kInPlace{"in_place", "SELECT count(*) FROM ledger_closed_checks WHERE status = 'in_place'"};
  ASSERT_TRUE(db_->Read([&](db::Connection& c) -> Status {
    auto missing = c.QueryOne(kWithoutPhoto, {});
    if (!missing) return Fail(missing.error());
    EXPECT_EQ((**missing).Int(0), 0);
    auto all = c.QueryOne(kInPlace, {});
    if (!all) return Fail(all.error());
    EXPECT_GT((**all).Int(0), 20000);
    return {};
  }));
  const auto checks = ledger_->ClosedChecks(kPrincipal, kSchool);
  ASSERT_TRUE(checks);
  ASSERT_EQ(checks->size(), 4u);
  for (const auto& k : *checks) {
    ASSERT_EQ(k.status, "in_place");
    ASSERT_EQ(k.photos.size(), 1u);
    auto photo = ledger_->GetPhoto(kPrincipal, k.photos[0]);
    ASSERT_TRUE(photo) << photo.error().message;
    EXPECT_EQ(photo->first, "image/png");
    EXPECT_EQ(SniffImageType(photo->second), "image/png");
  }
}

}  // namespace
}  // namespace xiaoan::ledger
