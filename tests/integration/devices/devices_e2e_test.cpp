// GB/T 28181 through the whole system (issue #5): the xiaoan binary with its SIP endpoint, sipp
// playing the showcase school's one-click alarm box (its national id is in the demo ledger). The
// device registers with digest, sends keepalives and answers the catalog query: the devices API
// shows it online with its channels; silent, it is offline after three keepalive intervals (1 s
// here); its alarm notification becomes an alarm of the school the county sees; its unregister
// takes it offline at once. Skipped only when sipp is missing (scripts/bootstrap installs it).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "../server_fixture.hpp"
#include "support/sipp.hpp"

namespace xiaoan::it {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAlarmBox = "41010500001340000001";  // ledger::kShowcaseDevices[0]
constexpr const char* kPlatform = "41000000002000000001";  // the default --gb-server-id
constexpr const char* kDomain = "4100000000";
constexpr const char* kPassword = "gb-test-password";

bool HaveSipp() { return it::FindSipp().has_value(); }

class DevicesEndToEnd : public ServerSuite<DevicesEndToEnd> {
 public:
  static void SetUpTestSuite() {
    if (!HaveSipp()) return;
    TestServer::extra_environment = {std::string("XIAOAN_GB_PASSWORD=") + kPassword, "XIAOAN_GB_PORT=0",
                                     "XIAOAN_GB_KEEPALIVE_SECONDS=1"};
    ServerSuite::SetUpTestSuite();
    TestServer::extra_environment.clear();
  }

 protected:
  void SetUp() override {
    if (!HaveSipp()) GTEST_SKIP() << "sipp is not installed (Debian package sip-tester)";
    ServerSuite::SetUp();
    const std::string out = server().Output();
    const std::string marker = std::string("GB/T 28181 endpoint sip:") + kPlatform + "@127.0.0.1:";
    const auto at = out.find(marker);
    ASSERT_NE(at, std::string::npos) << out;
    gb_port_ = std::stoi(out.substr(at + marker.size()));
    county_ = server().Token("demo-county");
    work_ = fs::path(server().dir()) / "sipp";
    fs::create_directories(work_);
  }

  // Runs one sipp device call to its end (bounded); answers sipp's exit code, output in `log`.
  int Sipp(const std::string& scenario, std::string& log, const std::string& password = kPassword) {
    const fs::path scenarios = XIAOAN_DEVICES_SCENARIOS, gb = XIAOAN_GB28181_SCENARIOS;
    const fs::path file = fs::exists(scenarios / scenario) ? scenarios / scenario : gb / scenario;
    const fs::path out = work_ / (scenario + std::to_string(runs_++) + ".out");
    std::vector<std::string> args = {*it::FindSipp(),
                                     "127.0.0.1:" + std::to_string(gb_port_),
                                     "-sf",
                                     file.string(),
                                     "-oocsf",
                                     (gb / "gb_ooc.xml").string(),
                                     "-i",
                                     "127.0.0.1",
                                     "-p",
                                     std::to_string(20000 + getpid() % 20000 + runs_),
                                     "-t",
                                     "u1",
                                     "-m",
                                     "1",
                                     "-l",
                                     "1",
                                     "-au",
                                     kAlarmBox,
                                     "-ap",
                                     password,
                                     "-key",
                                     "dev",
                                     kAlarmBox,
                                     "-key",
                                     "plat",
                                     kPlatform,
                                     "-key",
                                     "dom",
                                     kDomain,
                                     "-key",
                                     "btn",
                                     kAlarmBox,
                                     "-key",
                                     "ch1",
                                     "41010500001310000002",
                                     "-key",
                                     "ch2",
                                     "41010500001310000003",
                                     "-nostdin",
                                     "-timeout",
                                     "40s",
                                     "-timeout_error",
                                     "-trace_err",
                                     "-error_file",
                                     (work_ / "errors.log").string()};
    const int code = it::RunToEnd(std::move(args), work_, out, std::chrono::seconds(60));
    log = it::ReadWholeFile(out) + it::ReadWholeFile(work_ / "errors.log");
    return code;
  }

  json Device(const std::string& id) {
    auto r = server().Get("/api/v1/devices?org=9410105001", county_);
    EXPECT_EQ(r.status, 200) << r;
    const json body = r.Json();
    for (const auto& d : body["items"])
      if (d["national_id"] == id) return d;
    ADD_FAILURE() << "device " << id << " is not listed: " << r;
    return json::object();
  }
  // Polls the device until its status is `want` (the sweep runs every second).
  json WaitFor(const std::string& want, int seconds) {
    json d;
    for (int i = 0; i < seconds * 10; ++i) {
      d = Device(kAlarmBox);
      if (d.is_object() && d["status"] == want) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return d;
  }

  uint16_t gb_port_ = 0;
  std::string county_;
  fs::path work_;
  int runs_ = 0;
};

TEST_F(DevicesEndToEnd, ARegisteredDeviceIsOnlineAndOfflineAfterThreeMissedKeepalives) {
  std::string log;
  ASSERT_EQ(Sipp("gb_silent.xml", log), 0) << log;
  json d = WaitFor("online", 3);
  EXPECT_EQ(d["status"], "online") << d;
  EXPECT_FALSE(d["last_seen"].is_null()) << d;
  EXPECT_EQ(d["transport"], "udp") << d;
  EXPECT_EQ(d["channels"], 2) << "the two-packet catalog of gb_ooc.xml: " << d;
  EXPECT_EQ(d["expected_channels"], 1) << d;
  auto net = server().Get("/api/v1/device-networking?org=410105", county_);
  ASSERT_EQ(net.status, 200) << net;
  EXPECT_EQ(net.Json()["unit"]["expected"], 3) << net;  // the showcase school's alarm box and 2 cameras
  EXPECT_GE(net.Json()["unit"]["alarm"]["online"].get<int64_t>(), 0);
  // Silent: 3 intervals of 1 s, then offline (not before).
  d = WaitFor("offline", 8);
  EXPECT_EQ(d["status"], "offline") << d;
  EXPECT_EQ(server().Get("/api/v1/devices?org=9410105001", server().Token("demo-county2")).status, 404);
}

TEST_F(DevicesEndToEnd, ADevicesAlarmBecomesTheSchoolsAlarmAndItsUnregisterTakesItOffline) {
  std::string log;
  ASSERT_EQ(Sipp("gb_device.xml", log), 0) << log;
  json alarm;
  for (int i = 0; i < 30 && alarm.is_null(); ++i) {
    auto r = server().Get("/api/v1/alarms?org=9410105001", county_);
    ASSERT_EQ(r.status, 200) << r;
    const json body = r.Json();
    for (const auto& a : body["items"])
      if (a["source"] == "gb28181") alarm = a;
    if (alarm.is_null()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(alarm.is_object()) << "no alarm from the device";
  EXPECT_EQ(alarm["school"]["code"], "9410105001");
  EXPECT_EQ(alarm["device_id"], kAlarmBox);
  EXPECT_EQ(alarm["kind"], "real");
  EXPECT_NE(alarm["description"].get<std::string>().find("校门一键报警"), std::string::npos) << alarm;
  EXPECT_EQ(WaitFor("offline", 3)["status"], "offline");
}

TEST_F(DevicesEndToEnd, TheLedgerKeepsEachDevicesExpectedChannelsAndRefusesNonsense) {
  const std::string principal = server().Token("demo-principal");
  auto list = server().Get("/api/v1/schools/9410105001/devices", principal);
  ASSERT_EQ(list.status, 200) << list;
  const json devices = list.Json()["items"];
  int64_t id = 0;
  for (const auto& d : devices)
    if (d["national_id"] == kAlarmBox) id = d["id"];
  ASSERT_NE(id, 0) << list;
  const std::string target = "/api/v1/schools/9410105001/devices/" + std::to_string(id);
  auto bad = server().Patch(target, {{"expected_channels", 0}}, principal);
  EXPECT_EQ(bad.status, 400) << bad;
  EXPECT_TRUE(bad.NamesField("expected_channels")) << bad;
  auto ok = server().Patch(target, {{"expected_channels", 4}}, principal);
  ASSERT_EQ(ok.status, 200) << ok;
  EXPECT_EQ(ok.Json()["expected_channels"], 4);
  ASSERT_EQ(server().Patch(target, {{"expected_channels", 1}}, principal).status, 200);
}

TEST_F(DevicesEndToEnd, AWrongPasswordIsRefusedAndTheDeviceNeverComesOnline) {
  std::string log;
  const json before = Device(kAlarmBox);
  EXPECT_EQ(Sipp("gb_bad_password.xml", log, "not-the-password"), 0) << log;  // the scenario expects the refusal
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const json after = Device(kAlarmBox);
  EXPECT_NE(after["status"], "online") << after;
  EXPECT_EQ(after["last_seen"], before["last_seen"]) << "a refused device is not seen";
}

}  // namespace
}  // namespace xiaoan::it
