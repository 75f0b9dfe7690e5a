#include "modules/accounts/totp.hpp"

#include <gtest/gtest.h>

namespace xiaoan::accounts {
namespace {

TEST(Base32, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Decode("MZXW6YTBOI"), "foobar");
  EXPECT_EQ(Base32Decode("mzxw6ytboi======"), "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1"));
}

// RFC 6238 appendix B (SHA-1 secret "12345678901234567890"), last six digits.
TEST(Totp, MatchesRfc6238Vectors) {
  const std::string secret = "12345678901234567890";
  EXPECT_EQ(TotpCode(secret, 59 / 30), "287082");
  EXPECT_EQ(TotpCode(secret, 1111111109 / 30), "081804");
  EXPECT_EQ(TotpCode(secret, 1234567890 / 30), "005924");
  EXPECT_EQ(TotpCode(secret, 2000000000 / 30), "279037");
}

TEST(Totp, AcceptsOneStepOfClockDriftAndNoMore) {
  const std::string b32 = Base32Encode("12345678901234567890");
  const int64_t t = 1111111109;
  const std::string code = TotpCode("12345678901234567890", t / 30);
  EXPECT_EQ(MatchTotp(b32, code, t), t / 30);
  EXPECT_EQ(MatchTotp(b32, code, t + 30), t / 30);
  EXPECT_EQ(MatchTotp(b32, code, t - 30), t / 30);
  EXPECT_FALSE(MatchTotp(b32, code, t + 90));
  EXPECT_FALSE(MatchTotp(b32, "12345", t));
  EXPECT_FALSE(MatchTotp(b32, "abcdef", t));
}

TEST(Totp, NewSecretsAreLongEnoughAndTheUriNamesTheIssuer) {
  const std::string s = NewTotpSecret();
  EXPECT_EQ(s.size(), 32u);
  EXPECT_EQ(Base32Decode(s)->size(), 20u);
  EXPECT_NE(TotpUri("auditadmin", s).find("issuer=XiaoAn"), std::string::npos);
}

}  // namespace
}  // namespace xiaoan::accounts
