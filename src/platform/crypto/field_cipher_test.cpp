#include "platform/crypto/field_cipher.hpp"

#include <gtest/gtest.h>

namespace xiaoan::crypto {
namespace {

TEST(FieldCipher, RoundTripsWithAFreshNonceEachTime) {
  auto c = FieldCipher::FromHex(FieldCipher::NewHexKey(), "k");
  ASSERT_TRUE(c);
  auto a = c->Encrypt("张小明"), b = c->Encrypt("张小明");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(a->find("张小明"), std::string::npos);
  EXPECT_EQ(*c->Decrypt(*a), "张小明");
  EXPECT_EQ(*c->Decrypt(*c->Encrypt("")), "");
}

TEST(FieldCipher, FingerprintsAreStablePerKeyAndRevealNothing) {
  auto c = FieldCipher::FromHex(std::string(64, 'a'), "k");
  auto other = FieldCipher::FromHex(std::string(64, 'b'), "k");
  const std::string f = c->Fingerprint("张小明");
  EXPECT_EQ(f.size(), 64u);
  EXPECT_EQ(f, c->Fingerprint("张小明"));
  EXPECT_NE(f, c->Fingerprint("张小朋"));
  EXPECT_NE(f, other->Fingerprint("张小明"));
  EXPECT_EQ(f.find_first_not_of("0123456789abcdef"), std::string::npos);
  // HMAC-SHA-256 under HMAC-SHA-256(key, "xiaoan fingerprint v1"): stored fingerprints stay comparable.
  EXPECT_EQ(f, "62d8a607a545210e649cf53a5763218ff90b7903ca92984865e04b65c7853ab4");
}

TEST(FieldCipher, RefusesAlteredValuesAndOtherKeys) {
  auto c = FieldCipher::FromHex(std::string(64, 'a'), "k");
  auto other = FieldCipher::FromHex(std::string(64, 'b'), "k");
  auto sealed = c->Encrypt("李华");
  ASSERT_TRUE(sealed);
  EXPECT_FALSE(other->Decrypt(*sealed));
  std::string tampered = *sealed;
  tampered[14] ^= 1;
  EXPECT_FALSE(c->Decrypt(tampered));
  EXPECT_FALSE(c->Decrypt("short"));
  EXPECT_FALSE(FieldCipher::FromHex("xyz", "k"));
  EXPECT_EQ(FieldCipher::FromHex(std::string(63, 'a') + "g", "field_key").error().fields.at(0).field, "field_key");
}

}  // namespace
}  // namespace xiaoan::crypto
