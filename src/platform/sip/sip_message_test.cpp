#include "platform/sip/sip_message.hpp"

#include <gtest/gtest.h>

namespace xiaoan::sip {
namespace {

constexpr std::string_view kRegister =
    "REGISTER sip:34020000002000000001@3402000000 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.168.2.64:5060;rport;branch=z9hG4bK1235305492\r\n"
    "From: <sip:34020000001320000264@3402000000>;tag=180588994\r\n"
    "To: <sip:34020000001320000264@3402000000>\r\n"
    "Call-ID: 575393982\r\n"
    "CSeq: 1 REGISTER\r\n"
    "Contact: <sip:34020000001320000264@192.168.2.64:5060>\r\n"
    "Max-Forwards: 70\r\n"
    "User-Agent: IP Camera\r\n"
    "Expires: 3600\r\n"
    "Content-Length: 0\r\n\r\n";

TEST(SipParse, ReadsACapturedHikvisionRegister) {
  auto m = Parse(kRegister);
  ASSERT_TRUE(m) << m.error().fields[0].message;
  EXPECT_TRUE(m->is_request);
  EXPECT_EQ(m->method, "REGISTER");
  EXPECT_EQ(m->uri, "sip:34020000002000000001@3402000000");
  EXPECT_EQ(*m->Find("call-id"), "575393982");
  EXPECT_EQ(*m->Find("EXPIRES"), "3600");
  EXPECT_TRUE(HasMandatoryHeaders(*m));
  auto via = ParseVia(m->FindAll("Via").at(0));
  ASSERT_TRUE(via);
  EXPECT_EQ(via->transport, "UDP");
  EXPECT_EQ(via->host, "192.168.2.64");
  EXPECT_EQ(via->port, 5060);
  EXPECT_EQ(via->Branch(), "z9hG4bK1235305492");
  ASSERT_NE(FindParam(via->params, "rport"), nullptr);
  auto from = ParseNameAddr(*m->Find("From"));
  ASSERT_TRUE(from);
  EXPECT_EQ(*FindParam(from->params, "tag"), "180588994");
  auto uri = ParseUri(from->uri);
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->user, "34020000001320000264");
  EXPECT_EQ(uri->host, "3402000000");
  EXPECT_TRUE(m->body.empty());
}

TEST(SipParse, ExpandsCompactFormsAndFoldsContinuationLines) {
  auto m = Parse(
      "MESSAGE sip:a@b SIP/2.0\n"
      "v: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKa,\n"
      "   SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKb\n"
      "v: SIP/2.0/UDP 10.0.0.3:5070;branch=z9hG4bKc\n"
      "f: <sip:34020000001320000001@3402000000>;tag=1\n"
      "t: sip:34020000002000000001@3402000000\n"
      "i: abc\n"
      "CSeq: 7 MESSAGE\n"
      "X-Unknown: whatever: it says\n"
      "Route: <sip:10.0.0.9;lr>\n"
      "c: Application/MANSCDP+xml\n"
      "l: 4\n"
      "\n"
      "bodyEXTRA");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->body, "body");  // bytes past Content-Length are dropped
  EXPECT_EQ(*m->Find("Content-Type"), "Application/MANSCDP+xml");
  EXPECT_EQ(*m->Find("Call-ID"), "abc");
  const auto vias = m->FindAll("Via");
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(ParseVia(vias[1])->host, "10.0.0.2");
  EXPECT_EQ(ParseVia(vias[1])->port, 0);
  EXPECT_EQ(ParseVia(vias[2])->port, 5070);
  EXPECT_EQ(*m->Find("x-unknown"), "whatever: it says");
  EXPECT_TRUE(HasMandatoryHeaders(*m));
}

TEST(SipParse, ReadsResponses) {
  auto m = Parse("SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP h;branch=x\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->is_request);
  EXPECT_EQ(m->status, 401);
  EXPECT_EQ(m->reason, "Unauthorized");
}

TEST(SipParse, RejectsGarbage) {
  for (std::string_view bad : {
           std::string_view(""),
           std::string_view("\r\n\r\n"),
           std::string_view("hello"),
           std::string_view("REGISTER sip:a SIP/3.0\r\n\r\n"),
           std::string_view("SIP/2.0 99 Low\r\n\r\n"),
           std::string_view("SIP/2.0 abc OK\r\n\r\n"),
           std::string_view("REGISTER  SIP/2.0\r\n\r\n"),
           std::string_view("MESSAGE sip:a@b SIP/2.0\r\n continuation first\r\n\r\n"),
           std::string_view("MESSAGE sip:a@b SIP/2.0\r\nno colon here\r\n\r\n"),
           std::string_view("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\nshort"),
           std::string_view("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n"),
           std::string_view("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
           std::string_view("MESSAGE sip:a@b SIP/2.0\r\nBad Name: x\r\n\r\n"),
       }) {
    EXPECT_FALSE(Parse(bad)) << bad;
  }
}

TEST(SipParse, MissingMandatoryHeadersAreDetected) {
  auto m = Parse("MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=x\r\nCSeq: 1 MESSAGE\r\n\r\n");
  ASSERT_TRUE(m);
  EXPECT_FALSE(HasMandatoryHeaders(*m));
  auto wrong_cseq = Parse(
      "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=x\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@b>\r\n"
      "Call-ID: 1\r\nCSeq: 1 REGISTER\r\n\r\n");
  ASSERT_TRUE(wrong_cseq);
  EXPECT_FALSE(HasMandatoryHeaders(*wrong_cseq));
}

TEST(SipSerialize, WritesContentLengthFromTheBodyAndParsesBack) {
  Message m;
  m.method = "MESSAGE";
  m.uri = "sip:34020000001320000001@127.0.0.1:5070";
  m.Add("Via", "SIP/2.0/UDP 127.0.0.1:5060;rport;branch=z9hG4bK1");
  m.Add("Content-Length", "999");
  m.body = "<Query/>";
  const std::string wire = Serialize(m);
  EXPECT_NE(wire.find("Content-Length: 8\r\n\r\n<Query/>"), std::string::npos);
  auto back = Parse(wire);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->body, "<Query/>");
}

TEST(SipValues, NameAddrWithDisplayNameAndBareUri) {
  auto a = ParseNameAddr("\"Cam, gate\" <sip:1@d;transport=udp>;tag=9;expires=60");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->display, "Cam, gate");
  EXPECT_EQ(a->uri, "sip:1@d;transport=udp");
  EXPECT_EQ(*FindParam(a->params, "expires"), "60");
  auto b = ParseNameAddr("sip:2@d:5061;tag=x");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->uri, "sip:2@d:5061");
  EXPECT_EQ(*FindParam(b->params, "tag"), "x");
  EXPECT_EQ(ParseUri(b->uri)->port, 5061);
  EXPECT_EQ(SplitList("<sip:a@b>;q=1, \"x,y\" <sip:c@d>").size(), 2u);
  EXPECT_FALSE(ParseUri("mailto:x@y"));
  EXPECT_EQ(ParseUri("sip:[::1]:5060")->host, "[::1]");
  auto cseq = ParseCSeq("20 MESSAGE");
  ASSERT_TRUE(cseq);
  EXPECT_EQ(cseq->number, 20u);
  EXPECT_FALSE(ParseCSeq("x MESSAGE"));
}

TEST(SipValues, HostsAndPortsAreCheckedSoThatAViaFormatsBackToItself) {
  EXPECT_FALSE(ParseVia("SIP/2.0/UDP 10.0.0.1:0;branch=x"));
  EXPECT_FALSE(ParseVia("SIP/2.0/UDP 10.0Authorization: Digest : <sip:1MESSAGE\rth: 0"));
  EXPECT_FALSE(ParseVia("SIP/2.0/UDP 10.0.0.1: 5060"));
  EXPECT_FALSE(ParseUri("sip:a@b c"));
  EXPECT_FALSE(ParseVia("SIP/2.0/UDP h:5060;x=\";branch=evil\""));  // would format back as two parameters
  auto v = ParseVia("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKx");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->host, "[2001:db8::1]");
  EXPECT_EQ(ParseVia(FormatVia(*v))->Branch(), "z9hG4bKx");
}

}  // namespace
}  // namespace xiaoan::sip
