#include "modules/alarms/alarms_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>

#include "modules/org/org_service.hpp"
#include "platform/db/test_db.hpp"

namespace xiaoan::alarms {
namespace {

class StepClock final : public Clock {
 public:
  TimePoint Now() const override { return now.load(); }
  std::atomic<TimePoint> now{*ParseRfc3339("2026-11-30T08:10:00+08:00")};
};

Principal At(const std::string& code, const std::string& path, Role role) {
  Principal p;
  p.user_id = 7;
  p.username = std::string(RoleName(role)) + "@" + code;
  p.role = role;
  p.org_code = code;
  p.org_path = path;
  return p;
}

const std::string kSchool = "9410105001";
const std::string kPath = "/410000/410100/410105/9410105001/";
const Principal kGuard = At(kSchool, kPath, Role::kGuard);
const Principal kPrincipal = At(kSchool, kPath, Role::kPrincipal);
const Principal kCounty = At("410105", "/410000/410100/410105/", Role::kBureauSafetyOfficer);
const Principal kOtherCounty = At("410302", "/410000/410300/410302/", Role::kBureauSafetyOfficer);
const Principal kProvince = At("410000", "/410000/", Role::kBureauAdmin);
const audit::Actor kActor{7, "tester", "guard", kSchool, "req"};

AlarmFilter Filter(std::string org, std::optional<std::string> status = std::nullopt) {
  AlarmFilter f;
  f.org = std::move(org);
  f.status = std::move(status);
  return f;
}

struct Published {
  std::string path, type, data;
};

class AlarmsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(org_.SeedDivisions());
    ASSERT_TRUE(org_.SeedDemoSchools());
    service_.SetPublisher([this](const std::string& path, const std::string& type, const std::string& data) {
      std::lock_guard lock(mu_);
      published_.push_back({path, type, data});
    });
    service_.SetTestRecorder([this](const Alarm& a) -> Status {
      recorded_tests_.push_back(a.id);
      return {};
    });
  }
  // A device in a school's ledger (the ledger module's table, written here as its service would).
  void LedgerDevice(const std::string& school, const std::string& national_id, const std::string& name,
                    bool active = true) {
    ASSERT_TRUE(db_->Write([&](db::Connection& c) -> Status {
      return c.ExecuteScript(
          "INSERT INTO ledger_devices (school_code, kind, name, national_id, police_networked, active, created_at, "
          "updated_at) VALUES ('" +
          school + "', 'alarm', '" + name + "', '" + national_id + "', 1, " + (active ? "1" : "0") +
          ", '2026-11-01T08:00:00+08:00', '2026-11-01T08:00:00+08:00')");
    }));
  }
  RaiseInput Press(const std::string& kind = "real") {
    RaiseInput in;
    in.school_code = kSchool;
    in.kind = kind;
    in.location = "东门门卫室";
    return in;
  }

  db::TestDb db_;
  StepClock clock_;
  audit::AuditLog audit_{"sha256", clock_};
  org::OrgService org_{*db_, audit_, clock_};
  AlarmsService service_{*db_, audit_, clock_, AlarmSettings{60}};
  std::mutex mu_;
  std::vector<Published> published_;
  std::vector<int64_t> recorded_tests_;
};

TEST_F(AlarmsServiceTest, AGuardsPressIsStoredAndPublishedAtTheSchoolsPathForEveryConsoleAbove) {
  auto a = service_.Raise(kGuard, kActor, Press());
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->status, "raised");
  EXPECT_EQ(a->level, "county");
  EXPECT_EQ(a->county_code, "410105");
  EXPECT_EQ(a->escalate_at, "2026-11-30T08:11:00+08:00");
  ASSERT_EQ(published_.size(), 1u);
  EXPECT_EQ(published_[0].path, kPath);
  EXPECT_EQ(published_[0].type, "alarm.raised");
  EXPECT_EQ(nlohmann::json::parse(published_[0].data)["id"], a->id);
  // The county and the province list it; another county does not see it.
  EXPECT_EQ(service_.List(kCounty, Filter("410105", "open"))->second, 1);
  EXPECT_EQ(service_.List(kProvince, Filter("410000"))->second, 1);
  EXPECT_EQ(service_.Get(kOtherCounty, a->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.List(kOtherCounty, Filter("410105")).error().code, ErrorCode::kNotFound);
}

TEST_F(AlarmsServiceTest, APhoneRetryingWithTheSameKeyRaisesOneAlarm) {
  auto in = Press();
  in.dedup_key = "phone-key-1";
  auto a = service_.Raise(kGuard, kActor, in);
  auto b = service_.Raise(kGuard, kActor, in);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(published_.size(), 1u);
  in.dedup_key = "phone-key-2";
  EXPECT_NE(service_.Raise(kGuard, kActor, in)->id, a->id);
}

TEST_F(AlarmsServiceTest, TheSameKeyWithAnotherAlarmIsRefusedAndNotAnsweredWithTheFirst) {
  auto in = Press();
  in.dedup_key = "k1";
  auto real = service_.Raise(kGuard, kActor, in);
  ASSERT_TRUE(real) << real.error().message;
  for (auto change : std::vector<std::function<void(RaiseInput&)>>{
           [](RaiseInput& r) { r.kind = "drill"; }, [](RaiseInput& r) { r.priority = 2; },
           [](RaiseInput& r) { r.location = "西门"; }, [](RaiseInput& r) { r.description = "有人翻墙"; }}) {
    RaiseInput other = in;
    change(other);
    auto refused = service_.Raise(kGuard, kActor, other);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(refused.error().reason, "idempotency_key_reused");
    EXPECT_EQ(refused.error().fields.at(0).field, "Idempotency-Key");
  }
  // The same alarm again is still the retry it was.
  auto retry = service_.Raise(kGuard, kActor, in);
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->id, real->id);
  EXPECT_EQ(service_.List(kCounty, Filter("410105"))->second, 1);
}

TEST_F(AlarmsServiceTest, OnlyTheSchoolsOwnStaffPressItsButton) {
  auto other = Press();
  other.school_code = "9410105002";
  EXPECT_FALSE(service_.Raise(kGuard, kActor, other));
  EXPECT_EQ(service_.Raise(kCounty, kActor, Press()).error().code, ErrorCode::kPermissionDenied);
  auto bad = Press("practice");
  EXPECT_EQ(service_.Raise(kGuard, kActor, bad).error().fields.at(0).field, "kind");
  EXPECT_TRUE(published_.empty());
  EXPECT_EQ(service_.List(kProvince, Filter("410000"))->second, 0);
}

TEST_F(AlarmsServiceTest, TheLifecycleRecordsEachStepInOrderAndRefusesGoingBack) {
  auto a = service_.Raise(kGuard, kActor, Press());
  ASSERT_TRUE(a);
  EXPECT_EQ(service_.Advance(kGuard, kActor, a->id, "acknowledged", "", {}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.Advance(kOtherCounty, kActor, a->id, "acknowledged", "", {}).error().code, ErrorCode::kNotFound);
  auto ack = service_.Advance(kCounty, kActor, a->id, "acknowledged", "值班室已确认", {});
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(ack->acknowledged_by, kCounty.username);
  EXPECT_FALSE(ack->escalate_at.has_value());
  EXPECT_EQ(service_.Advance(kCounty, kActor, a->id, "acknowledged", "", {}).error().reason, "alarm_step_out_of_order");
  ASSERT_TRUE(service_.Advance(kPrincipal, kActor, a->id, "dispatched", "110已出警", {}));
  ASSERT_TRUE(service_.Advance(kPrincipal, kActor, a->id, "on_scene", "民警到场", {}));
  EXPECT_EQ(service_.Advance(kPrincipal, kActor, a->id, "closed", "", {}).error().fields.at(0).field, "outcome");
  EXPECT_EQ(service_.Advance(kPrincipal, kActor, a->id, "closed", "", "test_passed").error().fields.at(0).field,
            "outcome");
  auto closed = service_.Advance(kPrincipal, kActor, a->id, "closed", "处置完毕", "handled");
  ASSERT_TRUE(closed);
  auto detail = service_.Get(kCounty, a->id);
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->steps.size(), 5u);
  EXPECT_EQ(detail->steps[1].step, "acknowledged");
  EXPECT_EQ(detail->steps[4].note, "处置完毕");
  EXPECT_EQ(detail->outcome, "handled");
  EXPECT_EQ(published_.size(), 5u);  // raised + four updates
}

TEST_F(AlarmsServiceTest, AnUnacknowledgedRealAlarmClimbsToTheCityThenTheProvinceButTestsNever) {
  auto real = service_.Raise(kGuard, kActor, Press());
  auto test = service_.Raise(kGuard, kActor, Press("test"));
  ASSERT_TRUE(real && test);
  EXPECT_FALSE(test->escalate_at.has_value());
  EXPECT_EQ(*service_.EscalateDue(), 0);
  clock_.now = clock_.now.load() + std::chrono::seconds(59);
  EXPECT_EQ(*service_.EscalateDue(), 0);
  clock_.now = clock_.now.load() + std::chrono::seconds(1);
  EXPECT_EQ(*service_.EscalateDue(), 1);
  EXPECT_EQ(service_.Get(kProvince, real->id)->level, "city");
  EXPECT_EQ(published_.back().type, "alarm.escalated");
  clock_.now = clock_.now.load() + std::chrono::seconds(60);
  EXPECT_EQ(*service_.EscalateDue(), 1);
  auto top = service_.Get(kProvince, real->id);
  EXPECT_EQ(top->level, "province");
  EXPECT_FALSE(top->escalate_at.has_value());
  clock_.now = clock_.now.load() + std::chrono::hours(1);
  EXPECT_EQ(*service_.EscalateDue(), 0);
  EXPECT_EQ(service_.Get(kProvince, test->id)->level, "county");
  // Acknowledged in time, an alarm stays where it is.
  auto second = service_.Raise(kGuard, kActor, Press());
  ASSERT_TRUE(service_.Advance(kPrincipal, kActor, second->id, "acknowledged", "", {}));
  clock_.now = clock_.now.load() + std::chrono::hours(1);
  EXPECT_EQ(*service_.EscalateDue(), 0);
}

TEST_F(AlarmsServiceTest, AnAlarmSourcePostsWithItsKeyOnceForEachEventAndARevokedKeyIsRefused) {
  auto src = service_.CreateSource(kPrincipal, kActor, kSchool, "东门报警主机");
  ASSERT_TRUE(src) << src.error().message;
  ASSERT_TRUE(src->key);
  EXPECT_EQ(service_.CreateSource(kGuard, kActor, kSchool, "x").error().code, ErrorCode::kPermissionDenied);
  auto listed = service_.Sources(kPrincipal, kSchool);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_FALSE(listed->at(0).key.has_value());  // shown once
  LedgerDevice(kSchool, "41010500001340000001", "东门报警主机");
  RaiseInput in;
  in.kind = "real";
  in.dedup_key = "host-evt-1";
  in.device_id = "41010500001340000001";
  auto a = service_.Ingest(*src->key, in);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->school_code, kSchool);
  EXPECT_EQ(a->source, "ingest");
  // The consoles show the source by its name, not by its id.
  EXPECT_EQ(a->raised_by, "source:" + std::to_string(src->id));
  EXPECT_EQ(a->raised_by_name, "东门报警主机");
  EXPECT_EQ(nlohmann::json::parse(published_.at(0).data)["raised_by_name"], "东门报警主机");
  EXPECT_EQ(service_.Get(kCounty, a->id)->raised_by_name, "东门报警主机");
  EXPECT_EQ(service_.List(kCounty, Filter("410105"))->first.at(0).raised_by_name, "东门报警主机");
  // A person's press has no other name than the username.
  auto pressed = service_.Raise(kGuard, kActor, Press("drill"));
  ASSERT_TRUE(pressed);
  EXPECT_EQ(pressed->raised_by_name, std::nullopt);
  EXPECT_TRUE(nlohmann::json::parse(AlarmJson(*pressed))["raised_by_name"].is_null());
  published_.clear();
  auto again = service_.Ingest(*src->key, in);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, a->id);
  EXPECT_TRUE(published_.empty());  // the repeat is not news
  EXPECT_EQ(service_.Ingest(src->key->substr(0, src->key->size() - 1) + "x", in).error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(service_.Ingest("garbage", in).error().code, ErrorCode::kUnauthenticated);
  in.device_id = "123";
  in.dedup_key = "host-evt-2";
  EXPECT_EQ(service_.Ingest(*src->key, in).error().fields.at(0).field, "device_id");
  ASSERT_TRUE(service_.RevokeSource(kPrincipal, kActor, kSchool, src->id));
  in.device_id.reset();
  EXPECT_EQ(service_.Ingest(*src->key, in).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(service_.List(kProvince, Filter("410000"))->second, 2);
}

TEST_F(AlarmsServiceTest, AnAlarmHostNamesOnlyTheActiveDevicesOfItsOwnSchoolsLedger) {
  auto src = service_.CreateSource(kPrincipal, kActor, kSchool, "报警主机1");
  ASSERT_TRUE(src) << src.error().message;
  LedgerDevice(kSchool, "41010500001340000001", "东门报警主机");
  LedgerDevice(kSchool, "41010500001340000002", "旧报警主机", false);
  LedgerDevice("9410105002", "41010500001340000003", "邻校报警主机");
  RaiseInput in;
  in.kind = "real";
  in.device_id = "41010500001340000001";
  in.dedup_key = "evt-own";
  ASSERT_TRUE(service_.Ingest(*src->key, in));
  for (const char* other : {"41010500001340000002", "41010500001340000003", "41010500001340000009"}) {
    in.device_id = other;
    in.dedup_key = std::string("evt-") + other;
    auto refused = service_.Ingest(*src->key, in);
    ASSERT_FALSE(refused) << other;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(refused.error().fields.at(0).field, "device_id");
  }
  // Without a device the host's alarm is the school's.
  in.device_id.reset();
  in.dedup_key = "evt-none";
  EXPECT_TRUE(service_.Ingest(*src->key, in));
  EXPECT_EQ(service_.List(kCounty, Filter("410105"))->second, 2);
}

TEST_F(AlarmsServiceTest, AnAlarmHostsPressIsTakenUpToADayOld) {
  auto src = service_.CreateSource(kPrincipal, kActor, kSchool, "报警主机1");
  ASSERT_TRUE(src) << src.error().message;
  const TimePoint now = clock_.now.load();
  struct Case {
    std::chrono::seconds age;
    bool taken;
  };
  for (const auto& [age, taken] : std::vector<Case>{{std::chrono::hours(23) + std::chrono::minutes(59), true},
                                                    {std::chrono::hours(24), true},
                                                    {std::chrono::hours(24) + std::chrono::seconds(1), false},
                                                    {std::chrono::days(2500), false}}) {
    RaiseInput in;
    in.kind = "real";
    in.pressed_at = FormatRfc3339(now - age);
    in.dedup_key = "evt-" + std::to_string(age.count());
    auto a = service_.Ingest(*src->key, in);
    EXPECT_EQ(a.has_value(), taken) << age.count();
    if (a) EXPECT_EQ(a->pressed_at, *in.pressed_at);
    if (!a) {
      EXPECT_EQ(a.error().fields.at(0).field, "pressed_at");
      EXPECT_EQ(a.error().fields.at(0).message, "At most 24 hours ago.");
    }
  }
}

TEST_F(AlarmsServiceTest, TestsFeedTheLedgerAndFalseAlarmsAndCoverageAreCountedPerUnit) {
  auto t = service_.Raise(kGuard, kActor, Press("test"));
  ASSERT_TRUE(t);
  // The guard may close the school's own test, not take its other steps.
  EXPECT_EQ(service_.Advance(kGuard, kActor, t->id, "acknowledged", "", {}).error().code, ErrorCode::kPermissionDenied);
  // The guard closes the school's own test; the ledger hears of it.
  ASSERT_TRUE(service_.Advance(kGuard, kActor, t->id, "closed", "联动正常", "test_passed"));
  EXPECT_EQ(recorded_tests_, std::vector<int64_t>{t->id});
  auto r1 = service_.Raise(kGuard, kActor, Press());
  auto r2 = service_.Raise(kGuard, kActor, Press());
  clock_.now = clock_.now.load() + std::chrono::seconds(30);
  ASSERT_TRUE(service_.Advance(kCounty, kActor, r1->id, "closed", "误按", "false_alarm"));
  ASSERT_TRUE(service_.Advance(kCounty, kActor, r2->id, "acknowledged", "", {}));
  EXPECT_EQ(service_.Advance(kGuard, kActor, r2->id, "closed", "", "handled").error().code,
            ErrorCode::kPermissionDenied);  // a real alarm is closed by those who handle it
  const Day day = *ParseDay("2026-11-30");
  auto stats = service_.Stats(kCounty, "410105", day, day);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->unit.real, 2);
  EXPECT_EQ(stats->unit.false_alarms, 1);
  EXPECT_DOUBLE_EQ(*stats->unit.false_rate, 0.5);
  EXPECT_EQ(stats->unit.schools_tested, 1);
  EXPECT_GT(stats->unit.schools, 1);
  EXPECT_DOUBLE_EQ(*stats->unit.ack_p50_seconds, 30.0);
  bool found = false;
  for (const auto& c : stats->children)
    if (c.code == kSchool) {
      found = true;
      EXPECT_EQ(c.schools, 1);
      EXPECT_DOUBLE_EQ(*c.test_coverage, 1.0);
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(service_.Stats(kOtherCounty, "410105", day, day).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace xiaoan::alarms
