#include "modules/devices/devices_service.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "modules/org/org_service.hpp"
#include "platform/db/test_db.hpp"

namespace xiaoan::devices {
namespace {

class StepClock final : public Clock {
 public:
  TimePoint Now() const override { return now.load(); }
  std::atomic<TimePoint> now{*ParseRfc3339("2026-11-30T08:00:00+08:00")};
};

const std::string kSchool = "9410105001";
const std::string kPath = "/410000/410100/410105/9410105001/";
const std::string kAlarmBox = "41010500001340000001", kCamera = "41010500001320000002";
const std::string kOtherCamera = "41030200001320000003";

Principal At(const std::string& code, const std::string& path, Role role) {
  Principal p;
  p.username = "u";
  p.role = role;
  p.org_code = code;
  p.org_path = path;
  return p;
}
const Principal kCounty = At("410105", "/410000/410100/410105/", Role::kBureauSafetyOfficer);
const Principal kCity = At("410100", "/410000/410100/", Role::kBureauSafetyOfficer);
const Principal kOtherCounty = At("410302", "/410000/410300/410302/", Role::kBureauSafetyOfficer);

alarms::AlarmFilter Filter(std::string org) {
  alarms::AlarmFilter f;
  f.org = std::move(org);
  return f;
}

gb::Endpoint From() { return {"udp", "127.0.0.1", 5062, {}}; }

class DeviceServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(org_.SeedDivisions());
    ASSERT_TRUE(org_.SeedDemoSchools());
  }
  std::unique_ptr<DeviceService> Make() {
    auto s = std::make_unique<DeviceService>(
        *db_, clock_, alarms_,
        [] {
          return Result<std::vector<ledger::InventoryDevice>>(std::vector<ledger::InventoryDevice>{
              {kAlarmBox, kSchool, kPath, "alarm", "门卫室一键报警", "东门"},
              {kCamera, kSchool, kPath, "camera", "东门摄像机", "东门"},
              {kOtherCamera, "9410302001", "/410000/410300/410302/9410302001/", "camera", "x", ""}});
        },
        DeviceSettings{"secret-pw", {60, 3, 240}, 15, 60});
    s->SetPublisher([this](const std::string& path, const std::string& type, const std::string&) {
      published_.push_back(type + "@" + path);
    });
    return s;
  }
  void Advance(int seconds) { clock_.now = clock_.now.load() + std::chrono::seconds(seconds); }

  db::TestDb db_;
  StepClock clock_;
  audit::AuditLog audit_{"sha256", clock_};
  org::OrgService org_{*db_, audit_, clock_};
  alarms::AlarmsService alarms_{*db_, audit_, clock_};
  std::vector<std::string> published_;
};

TEST_F(DeviceServiceTest, KnownDevicesGetThePasswordAndGoOnlineAndOfflineFromWhatTheySend) {
  auto s = Make();
  ASSERT_TRUE(s->Start());
  EXPECT_EQ(s->PasswordFor(kAlarmBox), "secret-pw");
  EXPECT_EQ(s->PasswordFor("41010500001340009999"), std::nullopt);
  auto n = s->Network(kCounty, "410105");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->unit.expected, 2);
  EXPECT_EQ(n->unit.unknown, 2);  // nobody has spoken since the start
  s->Registered(kAlarmBox, From(), 3600);
  s->Registered(kCamera, From(), 3600);
  EXPECT_EQ(s->Sweep(), 2);
  n = s->Network(kCounty, "410105");
  EXPECT_EQ(n->unit.online, 2);
  EXPECT_DOUBLE_EQ(*n->unit.rate, 1.0);
  EXPECT_DOUBLE_EQ(*n->unit.alarm_rate, 1.0);
  // The camera keeps sending keepalives; the alarm box falls silent: offline after 3 intervals.
  for (int i = 0; i < 4; ++i) {
    Advance(60);
    s->Keepalive(kCamera, From());
    s->Sweep();
  }
  Advance(1);
  s->Sweep();
  auto offline = s->List(kCounty, "410105", "offline", 50, 0);
  ASSERT_TRUE(offline);
  ASSERT_EQ(offline->second, 1);
  EXPECT_EQ(offline->first[0].national_id, kAlarmBox);
  n = s->Network(kCity, "410100");
  EXPECT_DOUBLE_EQ(*n->unit.rate, 0.5);
  EXPECT_DOUBLE_EQ(*n->unit.video_rate, 1.0);
  EXPECT_DOUBLE_EQ(*n->unit.alarm_rate, 0.0);
  EXPECT_EQ(s->List(kOtherCounty, "410105", "", 50, 0).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s->List(kCounty, "410105", "sleeping", 50, 0).error().fields.at(0).field, "status");
  EXPECT_NE(std::find(published_.begin(), published_.end(), "device.status@" + kPath), published_.end());
  // Unregister: offline at once.
  s->Unregistered(kCamera);
  s->Sweep();
  EXPECT_EQ(s->Network(kCounty, "410105")->unit.online, 0);
}

TEST_F(DeviceServiceTest, ARestartStartsFromWhatWasKnownAndNeverShowsTheFleetFalselyOffline) {
  {
    auto s = Make();
    ASSERT_TRUE(s->Start());
    s->Registered(kAlarmBox, From(), 3600);
    s->Registered(kCamera, From(), 3600);
    s->Sweep();
    s->Stop();  // writes what is pending
  }
  Advance(30);
  auto s = Make();
  ASSERT_TRUE(s->Start());
  auto n = s->Network(kCounty, "410105");
  EXPECT_EQ(n->unit.unknown, 2);
  EXPECT_EQ(n->unit.offline, 0);
  auto listed = s->List(kCounty, "410105", "", 50, 0);
  ASSERT_EQ(listed->second, 2);
  EXPECT_TRUE(listed->first[0].last_seen.has_value());  // persisted
  s->Registered(kCamera, From(), 3600);                 // the camera comes back within the grace period
  Advance(241);
  s->Keepalive(kCamera, From());
  s->Sweep();
  n = s->Network(kCounty, "410105");
  EXPECT_EQ(n->unit.online, 1);
  EXPECT_EQ(n->unit.offline, 1);  // the alarm box never did
}

// A ledger written before it refused a second holder of an id may list one twice: the device that
// had it first stays monitored (QA: the alarm box dropped out when a camera was given its id).
TEST_F(DeviceServiceTest, AnIdListedTwiceStaysWithTheDeviceThatHadItFirst) {
  DeviceService s(
      *db_, clock_, alarms_,
      [] {
        return Result<std::vector<ledger::InventoryDevice>>(
            std::vector<ledger::InventoryDevice>{{kAlarmBox, kSchool, kPath, "alarm", "门卫室一键报警", "门卫室"},
                                                 {kAlarmBox, kSchool, kPath, "camera", "x", ""}});
      },
      DeviceSettings{"secret-pw", {60, 3, 240}, 15, 60});
  ASSERT_TRUE(s.Start());
  auto listed = s.List(kCounty, "410105", "", 50, 0);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->second, 1);
  EXPECT_EQ(listed->first[0].kind, "alarm");
  EXPECT_EQ(listed->first[0].name, "门卫室一键报警");
  EXPECT_EQ(s.Network(kCounty, "410105")->unit.alarm_expected, 1);
  s.Stop();
}

TEST_F(DeviceServiceTest, ADevicesAlarmBecomesOneAlarmEventOfItsSchool) {
  auto s = Make();
  ASSERT_TRUE(s->Start());
  s->Registered(kAlarmBox, From(), 3600);
  gb::AlarmNotice notice;
  notice.device_id = kAlarmBox;
  notice.channel_id = kAlarmBox;
  notice.priority = 1;
  notice.method = 2;
  notice.sn = "17";
  notice.device_time = "2026-11-30T08:00:05";
  s->Alarm(notice);
  s->Alarm(notice);  // the same notification again (a retransmission that slipped through)
  const Principal admin = At("410000", "/410000/", Role::kBureauAdmin);
  for (int i = 0; i < 50; ++i) {
    auto list = alarms_.List(admin, Filter("410000"));
    if (list && list->second > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  s->Stop();
  auto list = alarms_.List(admin, Filter("410000"));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->second, 1);
  EXPECT_EQ(list->first[0].school_code, kSchool);
  EXPECT_EQ(list->first[0].source, "gb28181");
  EXPECT_EQ(list->first[0].device_id, kAlarmBox);
}

}  // namespace
}  // namespace xiaoan::devices
