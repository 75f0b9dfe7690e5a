// The server over real loopback UDP, driven by hand-written datagrams: transaction replay,
// malformed input, keepalives of unregistered devices, alarm answers. (sipp drives the full
// device conversations in tests/integration/gb28181.)
#include "modules/devices/gb28181/gb_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>

#include "platform/sip/digest.hpp"
#include "platform/sip/sip_message.hpp"
#include "platform/sip/transaction.hpp"

namespace xiaoan::devices::gb {
namespace {

constexpr const char* kDevice = "34020000001320000001";
constexpr const char* kServerId = "34020000002000000001";

class Recorder : public Sink {
 public:
  std::optional<std::string> PasswordFor(const std::string& id) override {
    if (id == kDevice) return std::string("12345678");
    return std::nullopt;
  }
  void Registered(const std::string& id, const Endpoint&, int) override { Add("registered " + id); }
  void Unregistered(const std::string& id) override { Add("unregistered " + id); }
  void Keepalive(const std::string& id, const Endpoint& from) override {
    Add("keepalive " + id + " " + from.transport);
  }
  void Catalog(const std::string& id, std::vector<CatalogItem> items, int sum, bool complete) override {
    Add("catalog " + id + " " + std::to_string(items.size()) + "/" + std::to_string(sum) +
        (complete ? "" : " partial"));
  }
  void Alarm(const AlarmNotice& a) override { Add("alarm " + a.device_id + " " + a.channel_id + " " + a.sn); }
  std::vector<std::string> events() {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  void Add(std::string e) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(e));
  }
  std::mutex mu_;
  std::vector<std::string> events_;
};

class Udp {
 public:
  explicit Udp(uint16_t server_port) : fd_(socket(AF_INET, SOCK_DGRAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    server_.sin_family = AF_INET;
    server_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server_.sin_port = htons(server_port);
  }
  ~Udp() { close(fd_); }
  uint16_t port() const { return port_; }
  void Send(const std::string& bytes) {
    sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&server_), sizeof server_);
  }
  // The next datagram within `ms`, or "".
  std::string Receive(int ms = 2000) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, ms) <= 0) return {};
    char buf[65536];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }

 private:
  int fd_;
  uint16_t port_ = 0;
  sockaddr_in server_{};
};

std::string Request(const std::string& method, uint16_t port, int cseq, const std::string& branch,
                    const std::string& extra, const std::string& body = "") {
  return method + " sip:34020000002000000001@3402000000 SIP/2.0\r\n" +
         "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(port) + ";rport;branch=" + branch + "\r\n" +
         "From: <sip:34020000001320000001@3402000000>;tag=dev\r\n"
         "To: <sip:34020000002000000001@3402000000>\r\n"
         "Call-ID: call-" +
         branch + "\r\n" + "CSeq: " + std::to_string(cseq) + " " + method + "\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string KeepaliveBody(int sn) {
  return "<?xml version=\"1.0\"?><Notify><CmdType>Keepalive</CmdType><SN>" + std::to_string(sn) +
         "</SN><DeviceID>34020000001320000001</DeviceID><Status>OK</Status></Notify>";
}

const std::string kXml = "Content-Type: Application/MANSCDP+xml\r\n";

class GbServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions o;
    o.port = 0;
    o.tcp = false;
    o.server_id = kServerId;
    o.min_expires = 1;
    o.unregistered_keepalive = UnregisteredKeepalive::kNotFound;
    auto s = Server::Start(o, sink_);
    ASSERT_TRUE(s) << s.error().message;
    server_ = std::move(*s);
    device_ = std::make_unique<Udp>(server_->udp_port());
  }

  void RegisterDevice() {
    device_->Send(Request("REGISTER", device_->port(), 1, "z9hG4bKr1", "Expires: 60\r\n"));
    auto challenge = sip::Parse(device_->Receive());
    ASSERT_TRUE(challenge);
    ASSERT_EQ(challenge->status, 401);
    const std::string www = *challenge->Find("WWW-Authenticate");
    const size_t n = www.find("nonce=\"") + 7;
    sip::DigestCredentials c;
    c.username = kDevice;
    c.realm = "3402000000";
    c.nonce = www.substr(n, www.find('"', n) - n);
    c.uri = "sip:34020000002000000001@3402000000";
    c.response = sip::DigestResponse(c, "REGISTER", "12345678");
    device_->Send(Request("REGISTER", device_->port(), 2, "z9hG4bKr2",
                          "Expires: 60\r\nAuthorization: Digest username=\"" + c.username +
                              "\", realm=\"3402000000\", nonce=\"" + c.nonce + "\", uri=\"" + c.uri +
                              "\", response=\"" + c.response + "\"\r\n"));
    auto ok = sip::Parse(device_->Receive());
    ASSERT_TRUE(ok);
    ASSERT_EQ(ok->status, 200);
    EXPECT_NE(ok->Find("Date"), nullptr);
    EXPECT_NE(ok->Find("To")->find(";tag="), std::string::npos);
    // The automatic catalog query follows; answer it 200.
    auto query = sip::Parse(device_->Receive());
    ASSERT_TRUE(query);
    ASSERT_TRUE(query->is_request);
    EXPECT_NE(query->body.find("<CmdType>Catalog</CmdType>"), std::string::npos);
    device_->Send(sip::Serialize(sip::MakeResponse(*query, 200, "OK", sip::Peer{}, "devtag")));
  }

  Recorder sink_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Udp> device_;
};

TEST_F(GbServerTest, ARetransmittedKeepaliveIsAnsweredAgainButReportedOnce) {
  RegisterDevice();
  const std::string ka = Request("MESSAGE", device_->port(), 3, "z9hG4bKk1", kXml, KeepaliveBody(1));
  device_->Send(ka);
  const std::string first = device_->Receive();
  device_->Send(ka);
  const std::string second = device_->Receive();
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first, second);  // the cached final response, byte for byte
  EXPECT_EQ(sip::Parse(first)->status, 200);
  const auto events = sink_.events();
  EXPECT_EQ(std::count(events.begin(), events.end(), std::string("keepalive ") + kDevice + " udp"), 1);
  EXPECT_EQ(server_->stats().retransmissions, 1);
  EXPECT_EQ(server_->stats().keepalives, 1);
  EXPECT_EQ(server_->stats().registers, 1);
}

TEST_F(GbServerTest, MalformedDatagramsAreIgnoredAndTheServerGoesOn) {
  for (std::string junk : {std::string("garbage"), std::string("\x00\x01\x02", 3), std::string(3000, 'A'),
                           std::string("MESSAGE sip:x SIP/2.0\r\nContent-Length: 99\r\n\r\nshort"),
                           std::string("MESSAGE sip:x SIP/2.0\r\nVia: nonsense\r\n\r\n")})
    device_->Send(junk);
  EXPECT_EQ(device_->Receive(300), "");
  device_->Send(Request("MESSAGE", device_->port(), 3, "z9hG4bKbad", kXml, "<Notify><SN>1"));
  EXPECT_EQ(sip::Parse(device_->Receive())->status, 400);
  EXPECT_GE(server_->stats().malformed, 5);
  RegisterDevice();
  EXPECT_EQ(sink_.events().front(), std::string("registered ") + kDevice);
}

TEST_F(GbServerTest, KeepaliveOfAnUnregisteredDeviceGetsTheConfiguredAnswer) {
  device_->Send(Request("MESSAGE", device_->port(), 3, "z9hG4bKu1", kXml, KeepaliveBody(1)));
  EXPECT_EQ(sip::Parse(device_->Receive())->status, 404);
  EXPECT_TRUE(sink_.events().empty());
}

TEST_F(GbServerTest, AnAlarmIsAnsweredThenReportedOnceAndAcknowledgedWithAResponseMessage) {
  RegisterDevice();
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"GB2312\"?><Notify><CmdType>Alarm</CmdType><SN>77</SN>"
      "<DeviceID>34020000001340000001</DeviceID><AlarmPriority>1</AlarmPriority><AlarmMethod>2</AlarmMethod>"
      "<AlarmTime>2026-06-05T10:30:00</AlarmTime></Notify>";
  device_->Send(Request("MESSAGE", device_->port(), 4, "z9hG4bKa1", kXml, body));
  auto ok = sip::Parse(device_->Receive());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  auto response = sip::Parse(device_->Receive());
  ASSERT_TRUE(response);
  ASSERT_TRUE(response->is_request);
  EXPECT_NE(response->body.find("<CmdType>Alarm</CmdType>"), std::string::npos);
  EXPECT_NE(response->body.find("<SN>77</SN>"), std::string::npos);
  EXPECT_NE(response->body.find("<Result>OK</Result>"), std::string::npos);
  // The same alarm again in a new transaction (the device re-sent it): answered, not reported twice.
  device_->Send(Request("MESSAGE", device_->port(), 5, "z9hG4bKa2", kXml, body));
  EXPECT_EQ(sip::Parse(device_->Receive())->status, 200);
  const auto events = sink_.events();
  EXPECT_EQ(std::count(events.begin(), events.end(), std::string("alarm ") + kDevice + " 34020000001340000001 77"), 1);
  EXPECT_EQ(server_->stats().alarms, 1);
}

TEST(GbServerUnregisteredKeepalive, IsIgnoredByDefaultAndAcceptedWhenConfigured) {
  for (auto policy : {UnregisteredKeepalive::kIgnore, UnregisteredKeepalive::kAccept}) {
    Recorder sink;
    ServerOptions o;
    o.port = 0;
    o.tcp = false;
    o.server_id = kServerId;
    o.unregistered_keepalive = policy;
    auto server = Server::Start(o, sink);
    ASSERT_TRUE(server);
    Udp device((*server)->udp_port());
    device.Send(Request("MESSAGE", device.port(), 3, "z9hG4bKp1", kXml, KeepaliveBody(1)));
    const std::string answer = device.Receive(policy == UnregisteredKeepalive::kIgnore ? 400 : 2000);
    if (policy == UnregisteredKeepalive::kIgnore) {
      EXPECT_EQ(answer, "");  // 2016 §9.6.1: unanswered keepalives make the device register again
      EXPECT_TRUE(sink.events().empty());
    } else {
      ASSERT_FALSE(answer.empty());
      EXPECT_EQ(sip::Parse(answer)->status, 200);
      EXPECT_EQ(sink.events(), std::vector<std::string>{std::string("keepalive ") + kDevice + " udp"});
    }
    // A device the Sink does not know never gets a 200.
    std::string from_stranger = Request("MESSAGE", device.port(), 4, "z9hG4bKp2", kXml, KeepaliveBody(2));
    from_stranger.replace(from_stranger.find("34020000001320000001@3402000000>;tag=dev"), 20, "34020000001320000999");
    device.Send(from_stranger);
    const std::string other = device.Receive(policy == UnregisteredKeepalive::kIgnore ? 400 : 2000);
    if (policy == UnregisteredKeepalive::kAccept) {
      EXPECT_EQ(sip::Parse(other)->status, 404);
    } else {
      EXPECT_EQ(other, "");
    }
  }
}

TEST(GbServerStart, RefusesABadServerId) {
  Recorder sink;
  ServerOptions o;
  o.port = 0;
  o.server_id = "3402";
  EXPECT_FALSE(Server::Start(o, sink));
}

}  // namespace
}  // namespace xiaoan::devices::gb
