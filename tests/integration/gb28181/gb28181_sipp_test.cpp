// gb::Server against sipp playing GB/T 28181 devices on loopback: registration with digest,
// keepalives, a two-packet catalog, an alarm, unregister, over UDP and TCP; a wrong password; a
// registration that lapses; malformed input. The scenarios are the XML files beside this one.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "modules/devices/gb28181/gb_server.hpp"
#include "support/sipp.hpp"

namespace xiaoan::devices::gb {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

constexpr const char* kPlatform = "34020000002000000001";
constexpr const char* kDomain = "3402000000";
constexpr const char* kDevice = "34020000001320000001";  // an IPC
constexpr const char* kButton = "34020000001340000001";  // its alarm input (134)
constexpr const char* kChannel1 = "34020000001320000011";
constexpr const char* kChannel2 = "34020000001320000012";
constexpr const char* kPassword = "12345678";

// What the server told the devices module, in order.
class RecordingSink : public Sink {
 public:
  struct Event {
    std::string kind, device;
    Endpoint from;
    int expires = 0;
    std::vector<CatalogItem> items;
    int declared_sum = 0;
    bool complete = false;
    AlarmNotice alarm;
    Clock::time_point at;
  };

  static Event E(std::string kind, std::string device, Endpoint from = {}) {
    Event e;
    e.kind = std::move(kind);
    e.device = std::move(device);
    e.from = std::move(from);
    return e;
  }

  std::optional<std::string> PasswordFor(const std::string& id) override {
    if (id == kDevice) return std::string(kPassword);
    return std::nullopt;
  }
  void Registered(const std::string& id, const Endpoint& from, int expires) override {
    Event e = E("registered", id, from);
    e.expires = expires;
    Add(std::move(e));
  }
  void Unregistered(const std::string& id) override { Add(E("unregistered", id)); }
  void Keepalive(const std::string& id, const Endpoint& from) override { Add(E("keepalive", id, from)); }
  void Catalog(const std::string& id, std::vector<CatalogItem> items, int sum, bool complete) override {
    Event e = E("catalog", id);
    e.items = std::move(items);
    e.declared_sum = sum;
    e.complete = complete;
    Add(std::move(e));
  }
  void Alarm(const AlarmNotice& a) override {
    Event e = E("alarm", a.device_id);
    e.alarm = a;
    Add(std::move(e));
  }
  void ConnectionLost(const std::string& id) override { Add(E("connection_lost", id)); }

  std::vector<Event> Of(const std::string& kind) {
    std::lock_guard lock(mu_);
    std::vector<Event> out;
    for (const auto& e : events_)
      if (e.kind == kind) out.push_back(e);
    return out;
  }
  std::vector<std::string> Kinds() {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& e : events_) out.push_back(e.kind);
    return out;
  }

 private:
  void Add(Event e) {
    e.at = Clock::now();
    std::lock_guard lock(mu_);
    events_.push_back(std::move(e));
  }
  std::mutex mu_;
  std::vector<Event> events_;
};

// A port free on 127.0.0.1 for both UDP and TCP right now (sipp's local port).
uint16_t FreePort() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(u, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(u, reinterpret_cast<sockaddr*>(&a), &len);
    int t = socket(AF_INET, SOCK_STREAM, 0);
    const bool ok = bind(t, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    const uint16_t port = ntohs(a.sin_port);
    close(t);
    close(u);
    if (ok) return port;
  }
  return 0;
}

struct SippRun {
  int exit_code = -1;
  std::string messages;  // -trace_msg log: everything sipp sent and received
  std::string output;    // stdout/stderr and the error log, for failure messages
};

class Gb28181Sipp : public ::testing::Test {
 protected:
  void SetUp() override {
    sipp_ = it::FindSipp();
    if (!sipp_) GTEST_SKIP() << "sipp is not installed (Debian package sip-tester; scripts/bootstrap installs it)";
    ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.server_id = kPlatform;
    o.min_expires = 1;  // short registrations for the expiry test
    o.unregistered_keepalive = UnregisteredKeepalive::kNotFound;
    auto s = Server::Start(o, sink_);
    ASSERT_TRUE(s) << s.error().message;
    server_ = std::move(*s);
    ASSERT_EQ(server_->udp_port(), server_->tcp_port());
    work_ = fs::temp_directory_path() / ("xiaoan-gb28181-" + std::to_string(getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(work_);
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (!work_.empty() && !HasFailure()) fs::remove_all(work_);
  }

  // Runs one sipp device (one call) to completion, bounded by sipp's -timeout and our own kill.
  SippRun Sipp(const std::string& scenario, const std::string& transport, const std::string& password, bool with_ooc) {
    const fs::path dir = GB28181_SCENARIOS;
    const std::string tag = scenario + "-" + transport + "-" + std::to_string(runs_++);
    const fs::path messages = work_ / (tag + ".messages.log");
    const fs::path errors = work_ / (tag + ".errors.log");
    const fs::path out = work_ / (tag + ".out");
    std::vector<std::string> args = {*sipp_,
                                     "127.0.0.1:" + std::to_string(server_->udp_port()),
                                     "-sf",
                                     (dir / (scenario + ".xml")).string(),
                                     "-i",
                                     "127.0.0.1",
                                     "-p",
                                     std::to_string(FreePort()),
                                     "-t",
                                     transport,
                                     "-m",
                                     "1",
                                     "-l",
                                     "1",
                                     "-au",
                                     kDevice,
                                     "-ap",
                                     password,
                                     "-key",
                                     "dev",
                                     kDevice,
                                     "-key",
                                     "plat",
                                     kPlatform,
                                     "-key",
                                     "dom",
                                     kDomain,
                                     "-key",
                                     "btn",
                                     kButton,
                                     "-key",
                                     "ch1",
                                     kChannel1,
                                     "-key",
                                     "ch2",
                                     kChannel2,
                                     "-nostdin",
                                     "-timeout",
                                     "40s",
                                     "-timeout_error",
                                     "-trace_msg",
                                     "-message_file",
                                     messages.string(),
                                     "-trace_err",
                                     "-error_file",
                                     errors.string()};
    if (with_ooc) {
      args.push_back("-oocsf");
      args.push_back((dir / "gb_ooc.xml").string());
    }
    SippRun run;
    run.exit_code = it::RunToEnd(std::move(args), work_, out, std::chrono::seconds(60));
    run.messages = it::ReadWholeFile(messages);
    run.output = it::ReadWholeFile(out) + "\n---- errors\n" + it::ReadWholeFile(errors);
    return run;
  }

  // The whole device conversation over `transport` and what the sink must have seen.
  void CheckConversation(const std::string& transport, const std::string& sipp_transport) {
    const auto started = Clock::now();
    const SippRun run = Sipp("gb_device", sipp_transport, kPassword, true);
    ASSERT_EQ(run.exit_code, 0) << run.output << "\n---- messages\n" << run.messages;

    // Registration: challenged first, then accepted.
    EXPECT_NE(run.messages.find("SIP/2.0 401 Unauthorized"), std::string::npos);
    const auto registered = sink_.Of("registered");
    ASSERT_EQ(registered.size(), 1u);
    EXPECT_EQ(registered[0].device, kDevice);
    EXPECT_EQ(registered[0].expires, 3600);
    EXPECT_EQ(registered[0].from.transport, transport);
    EXPECT_EQ(registered[0].from.address, "127.0.0.1");

    // Keepalives with the server's receive times, in order, after the registration.
    const auto keepalives = sink_.Of("keepalive");
    ASSERT_EQ(keepalives.size(), 3u);
    auto previous = registered[0].from.received_at;
    EXPECT_GE(previous, started);
    for (const auto& k : keepalives) {
      EXPECT_EQ(k.device, kDevice);
      EXPECT_EQ(k.from.transport, transport);
      EXPECT_GE(k.from.received_at - previous, std::chrono::milliseconds(250));  // sipp pauses 300 ms
      previous = k.from.received_at;
    }

    // The catalog query went out after the registration and two packets made one catalog.
    EXPECT_NE(run.messages.find("<CmdType>Catalog</CmdType>"), std::string::npos);
    const auto catalogs = sink_.Of("catalog");
    ASSERT_EQ(catalogs.size(), 1u);
    EXPECT_TRUE(catalogs[0].complete);
    EXPECT_EQ(catalogs[0].declared_sum, 2);
    ASSERT_EQ(catalogs[0].items.size(), 2u);
    EXPECT_EQ(catalogs[0].items[0].device_id, kChannel1);
    EXPECT_EQ(catalogs[0].items[0].status, "ON");
    EXPECT_EQ(catalogs[0].items[0].manufacturer, "Hikvision");
    ASSERT_TRUE(catalogs[0].items[0].latitude);
    EXPECT_DOUBLE_EQ(*catalogs[0].items[0].latitude, 34.76);
    EXPECT_EQ(catalogs[0].items[1].device_id, kChannel2);
    EXPECT_EQ(catalogs[0].items[1].status, "OFF");
    EXPECT_EQ(catalogs[0].items[1].name, "Playground & gym");  // sent with a bare '&'

    // The alarm: answered 200 (else sipp fails), reported once, then Response/Alarm sent back.
    const auto alarms = sink_.Of("alarm");
    ASSERT_EQ(alarms.size(), 1u);
    const AlarmNotice& a = alarms[0].alarm;
    EXPECT_EQ(a.device_id, kDevice);
    EXPECT_EQ(a.channel_id, kButton);
    EXPECT_EQ(a.priority, 1);
    EXPECT_EQ(a.method, 2);
    EXPECT_FALSE(a.type);
    EXPECT_EQ(a.sn, "7001");
    EXPECT_EQ(a.device_time, "2026-06-05T10:30:00");
    EXPECT_EQ(a.description, "校门一键报警 gate & button");
    EXPECT_GE(a.received_at, started);
    const size_t response = run.messages.find("<CmdType>Alarm</CmdType>\r\n<SN>7001</SN>");
    ASSERT_NE(response, std::string::npos) << run.messages;
    EXPECT_NE(run.messages.find("<Result>OK</Result>", response), std::string::npos);

    // Unregistered last.
    ASSERT_EQ(sink_.Of("unregistered").size(), 1u);
    const auto kinds = sink_.Kinds();
    EXPECT_EQ(kinds.front(), "registered");
    EXPECT_EQ(kinds.back(), "unregistered");

    const auto stats = server_->stats();
    EXPECT_EQ(stats.registers, 1);
    EXPECT_EQ(stats.auth_failures, 0);
    EXPECT_EQ(stats.keepalives, 3);
    EXPECT_EQ(stats.alarms, 1);
    EXPECT_EQ(stats.catalogs, 1);
    EXPECT_EQ(stats.messages, 6);  // 3 keepalives, 2 catalog packets, 1 alarm
    EXPECT_EQ(stats.registered_devices, 0);
  }

  RecordingSink sink_;
  std::unique_ptr<Server> server_;
  std::optional<std::string> sipp_;
  fs::path work_;
  int runs_ = 0;
};

TEST_F(Gb28181Sipp, ADeviceRegistersKeepsAliveAnswersTheCatalogAlarmsAndUnregistersOverUdp) {
  CheckConversation("udp", "u1");
}

TEST_F(Gb28181Sipp, ADeviceRegistersKeepsAliveAnswersTheCatalogAlarmsAndUnregistersOverTcp) {
  CheckConversation("tcp", "t1");
}

TEST_F(Gb28181Sipp, AWrongPasswordIsRefusedAndNothingIsRegistered) {
  const SippRun run = Sipp("gb_bad_password", "u1", "wrong-password", false);
  ASSERT_EQ(run.exit_code, 0) << run.output << "\n---- messages\n" << run.messages;  // sipp expects the 403
  EXPECT_NE(run.messages.find("SIP/2.0 403"), std::string::npos);
  EXPECT_TRUE(sink_.Of("registered").empty());
  EXPECT_EQ(server_->stats().auth_failures, 1);
  EXPECT_EQ(server_->stats().registers, 0);
}

TEST_F(Gb28181Sipp, ALapsedRegistrationNoLongerCoversKeepalives) {
  const SippRun run = Sipp("gb_expiry", "u1", kPassword, false);
  ASSERT_EQ(run.exit_code, 0) << run.output << "\n---- messages\n" << run.messages;  // ends with the 404
  const auto registered = sink_.Of("registered");
  ASSERT_EQ(registered.size(), 1u);
  EXPECT_EQ(registered[0].expires, 2);
  const auto keepalives = sink_.Of("keepalive");
  ASSERT_EQ(keepalives.size(), 1u);  // the one after expiry is not reported
  EXPECT_LT(keepalives[0].from.received_at - registered[0].from.received_at, std::chrono::seconds(2));
  EXPECT_TRUE(sink_.Of("unregistered").empty());  // expiry is the devices module's to judge
}

TEST_F(Gb28181Sipp, MalformedInputIsIgnoredAndDevicesStillWork) {
  const uint16_t port = server_->udp_port();
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons(port);
  const int u = socket(AF_INET, SOCK_DGRAM, 0);
  const std::vector<std::string> junk = {
      "garbage", std::string("\0\0\0\0", 4), std::string(1400, '\xff'),
      "REGISTER sip:x SIP/2.0\r\nContent-Length: 50\r\n\r\nshort",
      "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKx\r\n"
      "From: <sip:34020000001320000001@3402000000>;tag=1\r\nTo: <sip:x@y>\r\nCall-ID: j\r\nCSeq: 1 MESSAGE\r\n"
      "Content-Type: Application/MANSCDP+xml\r\nContent-Length: 11\r\n\r\n<Notify><SN"};
  for (const auto& j : junk) sendto(u, j.data(), j.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  close(u);
  // A TCP stream that cannot be framed: the server closes that connection and nothing else.
  const int t = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(t, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
  const std::string bad = "MESSAGE sip:x SIP/2.0\r\nContent-Length: nine\r\n\r\n";
  ASSERT_EQ(write(t, bad.data(), bad.size()), static_cast<ssize_t>(bad.size()));
  char c;
  EXPECT_EQ(read(t, &c, 1), 0);  // closed by the server
  close(t);

  CheckConversation("udp", "u1");
  EXPECT_GE(server_->stats().malformed, 5);
}

}  // namespace
}  // namespace xiaoan::devices::gb
