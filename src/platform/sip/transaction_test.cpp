#include "platform/sip/transaction.hpp"

#include <gtest/gtest.h>

namespace xiaoan::sip {
namespace {

using std::chrono::milliseconds;

Message Request() {
  auto m = Parse(
      "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 10.1.1.1:5060;rport;branch=z9hG4bKabc\r\n"
      "Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bKdef\r\n"
      "From: <sip:34020000001320000001@3402000000>;tag=f1\r\n"
      "To: <sip:34020000002000000001@3402000000>\r\n"
      "Call-ID: c1\r\nCSeq: 20 MESSAGE\r\nContent-Length: 0\r\n\r\n");
  return *m;
}

TEST(MakeResponse, FillsReceivedAndRportAndAlwaysATag) {
  const Peer from{TransportKind::kUdp, "203.0.113.7", 40000, 0};
  Message r = MakeResponse(Request(), 200, "OK", from, "tt");
  const std::string wire = Serialize(r);
  EXPECT_NE(wire.find("SIP/2.0 200 OK\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Via: SIP/2.0/UDP 10.1.1.1:5060;rport=40000;branch=z9hG4bKabc;received=203.0.113.7\r\n"),
            std::string::npos)
      << wire;
  EXPECT_NE(wire.find("Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bKdef\r\n"), std::string::npos);
  EXPECT_NE(wire.find("To: <sip:34020000002000000001@3402000000>;tag=tt\r\n"), std::string::npos);
  EXPECT_NE(wire.find("CSeq: 20 MESSAGE\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Call-ID: c1\r\n"), std::string::npos);
}

TEST(MakeResponse, KeepsAnExistingToTag) {
  Message req = Request();
  req.Set("To", "<sip:x@y>;tag=old");
  Message r = MakeResponse(req, 200, "OK", Peer{}, "new");
  EXPECT_EQ(*r.Find("To"), "<sip:x@y>;tag=old");
}

TEST(FormatGbDate, IsBeijingTimeWithMilliseconds) {
  // 2026-11-28T12:09:11.123Z
  const TimePoint t = FromUnixSeconds(1795867751) + milliseconds(123);
  EXPECT_EQ(FormatGbDate(t), "2026-11-28T20:09:11.123");
  EXPECT_EQ(FormatGbDate(FromUnixSeconds(1795881600)), "2026-11-29T00:00:00.000");
}

TEST(ServerTransactions, ReplaysTheFinalResponseUntilTimerJ) {
  ServerTransactions cache(milliseconds(32000));
  const auto t0 = SteadyTime{} + std::chrono::hours(1);
  const std::string key = ServerTransactions::Key(Request());
  ASSERT_FALSE(key.empty());
  EXPECT_EQ(cache.Find(key), nullptr);
  cache.Remember(key, "SIP/2.0 200 OK...", t0);
  ASSERT_NE(cache.Find(key), nullptr);
  EXPECT_EQ(*cache.Find(key), "SIP/2.0 200 OK...");
  Message next = Request();
  next.Set("CSeq", "21 MESSAGE");
  EXPECT_NE(ServerTransactions::Key(next), key);
  cache.Expire(t0 + milliseconds(31999));
  EXPECT_NE(cache.Find(key), nullptr);
  cache.Expire(t0 + milliseconds(32000));
  EXPECT_EQ(cache.Find(key), nullptr);
}

TEST(ClientTransactions, RetransmitsOverUdpAtT1DoublingToT2AndGivesUpAtTimerF) {
  ClientTransactions tx;
  const auto t0 = SteadyTime{} + std::chrono::hours(1);
  int final_status = 0;
  tx.Start("z9hG4bKq", "MESSAGE ...", Peer{TransportKind::kUdp, "127.0.0.1", 5070, 0}, t0,
           [&](int s) { final_status = s; });
  std::vector<int> sent_at_ms;
  for (int ms = 0; ms <= 32000; ms += 100)
    for (auto& r : tx.Tick(t0 + milliseconds(ms))) {
      EXPECT_EQ(r.bytes, "MESSAGE ...");
      sent_at_ms.push_back(ms);
    }
  // 0.5, 1.5, 3.5, 7.5, 11.5, ... every 4 s after reaching T2.
  ASSERT_GE(sent_at_ms.size(), 5u);
  EXPECT_EQ(sent_at_ms[0], 500);
  EXPECT_EQ(sent_at_ms[1], 1500);
  EXPECT_EQ(sent_at_ms[2], 3500);
  EXPECT_EQ(sent_at_ms[3], 7500);
  EXPECT_EQ(sent_at_ms[4], 11500);
  EXPECT_EQ(final_status, 408);
  EXPECT_EQ(tx.pending(), 0u);
}

TEST(ClientTransactions, AFinalResponseEndsTheTransactionAndTcpIsNotRetransmitted) {
  ClientTransactions tx;
  const auto t0 = SteadyTime{} + std::chrono::hours(1);
  int udp_status = 0, tcp_status = 0;
  tx.Start("z9hG4bKu", "U", Peer{TransportKind::kUdp, "127.0.0.1", 5070, 0}, t0, [&](int s) { udp_status = s; });
  tx.Start("z9hG4bKt", "T", Peer{TransportKind::kTcp, "127.0.0.1", 5070, 3}, t0, [&](int s) { tcp_status = s; });
  auto ok = Parse("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKu\r\n\r\n");
  EXPECT_TRUE(tx.OnResponse(*ok));
  EXPECT_EQ(udp_status, 200);
  EXPECT_FALSE(tx.OnResponse(*ok));  // a retransmitted 200 matches nothing now
  EXPECT_TRUE(tx.Tick(t0 + milliseconds(600)).empty());
  EXPECT_EQ(tcp_status, 0);
  (void)tx.Tick(t0 + milliseconds(32000));
  EXPECT_EQ(tcp_status, 408);
}

}  // namespace
}  // namespace xiaoan::sip
