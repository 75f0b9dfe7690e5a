#include "platform/sip/digest.hpp"

#include <gtest/gtest.h>

namespace xiaoan::sip {
namespace {

TEST(Digest, ReproducesTheLiveGbsCaptureWithQopAuth) {
  // Hikvision IPC registering to LiveGBS (gb28181-brief §2.2), password 12345678.
  auto c = ParseDigestCredentials(
      "Digest username=\"34020000001320000264\", realm=\"3402000000\", "
      "nonce=\"6eb1340d99c404a0e4d3b68d15d1d46f\", uri=\"sip:34020000002000000001@3402000000\", "
      "response=\"4c97657aa0412c25d4b862219b635c17\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->nc, "00000001");
  EXPECT_EQ(DigestResponse(*c, "REGISTER", "12345678"), "4c97657aa0412c25d4b862219b635c17");
  EXPECT_TRUE(VerifyDigest(*c, "REGISTER", "12345678"));
  EXPECT_FALSE(VerifyDigest(*c, "REGISTER", "12345679"));
  EXPECT_FALSE(VerifyDigest(*c, "MESSAGE", "12345678"));
}

TEST(Digest, ReproducesTheRfc2617Vector) {
  // RFC 2617 §3.5.
  auto c = ParseDigestCredentials(
      "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
      "uri=\"/dir/index.html\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
      "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  ASSERT_TRUE(c);
  EXPECT_TRUE(VerifyDigest(*c, "GET", "Circle Of Life"));
}

TEST(Digest, AcceptsTheRfc2069FormWithoutQop) {
  DigestCredentials c;
  c.username = "34020000001320000264";
  c.realm = "3402000000";
  c.nonce = "abc";
  c.uri = "sip:34020000002000000001@3402000000";
  const std::string ha1 = Md5Hex("34020000001320000264:3402000000:12345678");
  const std::string ha2 = Md5Hex("REGISTER:sip:34020000002000000001@3402000000");
  c.response = Md5Hex(ha1 + ":abc:" + ha2);
  EXPECT_TRUE(VerifyDigest(c, "REGISTER", "12345678"));
  c.algorithm = "SHA-256";
  EXPECT_FALSE(VerifyDigest(c, "REGISTER", "12345678"));
}

TEST(Digest, RejectsOtherSchemesAndIncompleteCredentials) {
  EXPECT_FALSE(ParseDigestCredentials("Basic dXNlcjpwYXNz"));
  EXPECT_FALSE(ParseDigestCredentials("Digest username=\"a\", realm=\"r\""));
  EXPECT_FALSE(ParseDigestCredentials("Digest username=\"unterminated"));
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(NonceIssuer, VerifiesItsOwnNoncesPerDeviceAndExpiresThem) {
  NonceIssuer issuer("secret");
  const TimePoint t0 = FromUnixSeconds(1'700'000'000);
  const std::string n = issuer.Issue(t0, "34020000001320000001");
  EXPECT_EQ(n.size(), 48u);
  EXPECT_EQ(issuer.Verify(n, "34020000001320000001", t0 + std::chrono::seconds(100), 3600), NonceIssuer::Check::kValid);
  EXPECT_EQ(issuer.Verify(n, "34020000001320000002", t0, 3600), NonceIssuer::Check::kInvalid);
  EXPECT_EQ(issuer.Verify(n, "34020000001320000001", t0 + std::chrono::seconds(3601), 3600),
            NonceIssuer::Check::kStale);
  EXPECT_EQ(NonceIssuer("other").Verify(n, "34020000001320000001", t0, 3600), NonceIssuer::Check::kInvalid);
  std::string forged = n;
  forged[15] = forged[15] == '0' ? '1' : '0';
  EXPECT_EQ(issuer.Verify(forged, "34020000001320000001", t0, 3600), NonceIssuer::Check::kInvalid);
  EXPECT_EQ(issuer.Verify("short", "x", t0, 3600), NonceIssuer::Check::kInvalid);
  EXPECT_NE(RandomHex(8), RandomHex(8));
}

}  // namespace
}  // namespace xiaoan::sip
