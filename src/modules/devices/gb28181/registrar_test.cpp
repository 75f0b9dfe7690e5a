#include "modules/devices/gb28181/registrar.hpp"

#include <gtest/gtest.h>

namespace xiaoan::devices::gb {
namespace {

using std::chrono::seconds;
constexpr const char* kDevice = "34020000001320000001";

sip::Message Register(std::string expires_header, std::string contact_params = "") {
  std::string text =
      "REGISTER sip:34020000002000000001@3402000000 SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bK1\r\n"
      "From: <sip:34020000001320000001@3402000000>;tag=1\r\n"
      "To: <sip:34020000001320000001@3402000000>\r\n"
      "Call-ID: reg1\r\nCSeq: 1 REGISTER\r\n"
      "Contact: <sip:34020000001320000001@10.0.0.5:5060>" +
      contact_params + "\r\n" + expires_header + "Content-Length: 0\r\n\r\n";
  return *sip::Parse(text);
}

// The Authorization a device computes from a 401's WWW-Authenticate.
std::string Authorize(const std::string& www, const std::string& password, bool qop = true,
                      std::string username = kDevice) {
  const size_t n = www.find("nonce=\"") + 7;
  sip::DigestCredentials c;
  c.username = std::move(username);
  c.realm = "3402000000";
  c.nonce = www.substr(n, www.find('"', n) - n);
  c.uri = "sip:127.0.0.1:5060";  // sipp's uri: not the Request-URI
  if (qop) {
    c.qop = "auth";
    c.nc = "00000001";
    c.cnonce = "0a4f113b";
  }
  c.response = sip::DigestResponse(c, "REGISTER", password);
  std::string out = "Digest username=\"" + c.username + "\", realm=\"3402000000\", nonce=\"" + c.nonce + "\", uri=\"" +
                    c.uri + "\", response=\"" + c.response + "\", algorithm=MD5";
  if (qop) out += ", cnonce=\"0a4f113b\", qop=auth, nc=00000001";
  return out;
}

class RegistrarTest : public ::testing::Test {
 protected:
  RegistrarTest() : registrar_(Options(), sip::NonceIssuer("test secret")) {}
  static RegistrarOptions Options() {
    RegistrarOptions o;
    o.realm = "3402000000";
    o.default_expires = 3600;
    o.min_expires = 60;
    o.max_expires = 86400;
    o.nonce_lifetime_seconds = 87000;
    return o;
  }
  Registrar::Outcome Send(const sip::Message& m, TimePoint now = FromUnixSeconds(1'800'000'000)) {
    ++asked_;
    return registrar_.Register(
        m, peer_,
        [this](const std::string& id) -> std::optional<std::string> {
          if (id == kDevice) return password_;
          return std::nullopt;
        },
        now, steady_);
  }
  std::string Challenge(const sip::Message& m) {
    auto o = Send(m);
    EXPECT_EQ(o.status, 401);
    return o.www_authenticate;
  }

  Registrar registrar_;
  sip::Peer peer_{sip::TransportKind::kUdp, "10.0.0.5", 5060, 0};
  std::string password_ = "12345678";
  Registrar::SteadyTime steady_ = Registrar::SteadyTime{} + std::chrono::hours(1);
  int asked_ = 0;
};

TEST_F(RegistrarTest, ChallengesThenRegistersWithQopAuth) {
  sip::Message m = Register("Expires: 3600\r\n");
  const std::string www = Challenge(m);
  EXPECT_NE(www.find("realm=\"3402000000\""), std::string::npos);
  EXPECT_NE(www.find("qop=\"auth\""), std::string::npos);
  EXPECT_NE(www.find("algorithm=MD5"), std::string::npos);
  m.Set("Authorization", Authorize(www, "12345678"));
  auto ok = Send(m);
  EXPECT_EQ(ok.verdict, Registrar::Verdict::kRegistered);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.device_id, kDevice);
  EXPECT_EQ(ok.expires, 3600);
  const Registration* r = registrar_.Find(kDevice, steady_);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->peer.address, "10.0.0.5");
  EXPECT_EQ(registrar_.Find(kDevice, steady_ + seconds(3600)), nullptr);
}

TEST_F(RegistrarTest, AcceptsTheRfc2069FormWithoutQop) {
  sip::Message m = Register("Expires: 3600\r\n");
  m.Set("Authorization", Authorize(Challenge(m), "12345678", false));
  EXPECT_EQ(Send(m).verdict, Registrar::Verdict::kRegistered);
}

TEST_F(RegistrarTest, WrongPasswordAndUnknownDeviceAreForbidden) {
  sip::Message m = Register("Expires: 3600\r\n");
  m.Set("Authorization", Authorize(Challenge(m), "wrong"));
  auto o = Send(m);
  EXPECT_EQ(o.verdict, Registrar::Verdict::kWrongPassword);
  EXPECT_EQ(o.status, 403);
  EXPECT_EQ(registrar_.Find(kDevice, steady_), nullptr);

  sip::Message other = Register("Expires: 3600\r\n");
  other.Set("From", "<sip:34020000001320000999@3402000000>;tag=1");
  EXPECT_EQ(Send(other).verdict, Registrar::Verdict::kUnknownDevice);

  sip::Message borrowed = Register("Expires: 3600\r\n");  // another user's credentials
  borrowed.Set("Authorization", Authorize(Challenge(borrowed), "12345678", true, "34020000001320000999"));
  EXPECT_EQ(Send(borrowed).verdict, Registrar::Verdict::kWrongPassword);
}

TEST_F(RegistrarTest, ForeignOrStaleNoncesAreChallengedAgain) {
  sip::Message m = Register("Expires: 3600\r\n");
  const std::string www = Challenge(m);
  m.Set("Authorization", Authorize(www, "12345678"));
  auto stale = Send(m, FromUnixSeconds(1'800'000'000 + 87001));
  EXPECT_EQ(stale.status, 401);
  EXPECT_NE(stale.www_authenticate.find("stale=true"), std::string::npos);

  Registrar restarted(Options(), sip::NonceIssuer("another secret"));
  auto o = restarted.Register(
      m, peer_, [](const std::string&) { return std::optional<std::string>("12345678"); },
      FromUnixSeconds(1'800'000'000), steady_);
  EXPECT_EQ(o.verdict, Registrar::Verdict::kChallenge);
  EXPECT_EQ(o.www_authenticate.find("stale"), std::string::npos);
}

TEST_F(RegistrarTest, ExpiryComesFromContactThenExpiresThenTheDefaultAndIsClamped) {
  auto registered = [&](sip::Message m) {
    m.Set("Authorization", Authorize(Challenge(m), "12345678"));
    return Send(m).expires;
  };
  EXPECT_EQ(registered(Register("Expires: 600\r\n", ";expires=120")), 120);
  EXPECT_EQ(registered(Register("Expires: 600\r\n")), 600);
  EXPECT_EQ(registered(Register("")), 3600);
  EXPECT_EQ(registered(Register("Expires: 5\r\n")), 60);
  EXPECT_EQ(registered(Register("Expires: 999999\r\n")), 86400);
  EXPECT_EQ(Send(Register("Expires: soon\r\n")).status, 400);
}

TEST_F(RegistrarTest, UnregisterIsChallengedTooAndReusesTheNonce) {
  sip::Message m = Register("Expires: 3600\r\n");
  const std::string www = Challenge(m);
  m.Set("Authorization", Authorize(www, "12345678"));
  ASSERT_EQ(Send(m).verdict, Registrar::Verdict::kRegistered);
  sip::Message bye = Register("Expires: 0\r\n");
  EXPECT_EQ(Send(bye).status, 401);
  bye.Set("Authorization", Authorize(www, "12345678"));  // the old nonce is still good
  auto o = Send(bye);
  EXPECT_EQ(o.verdict, Registrar::Verdict::kUnregistered);
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.expires, 0);
  EXPECT_EQ(registrar_.Find(kDevice, steady_), nullptr);
}

TEST_F(RegistrarTest, AnEmptyPasswordRegistersWithoutDigestAndTcpRegistrationsDropWithTheirConnection) {
  password_ = "";
  peer_ = sip::Peer{sip::TransportKind::kTcp, "10.0.0.5", 40000, 7};
  EXPECT_EQ(Send(Register("Expires: 3600\r\n")).verdict, Registrar::Verdict::kRegistered);
  EXPECT_TRUE(registrar_.DropConnection(8).empty());
  EXPECT_EQ(registrar_.DropConnection(7), std::vector<std::string>{kDevice});
  EXPECT_EQ(registrar_.size(), 0u);
}

}  // namespace
}  // namespace xiaoan::devices::gb
