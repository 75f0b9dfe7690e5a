#include "modules/accounts/password.hpp"

#include <gtest/gtest.h>

namespace xiaoan::accounts {
namespace {

TEST(Password, HashesWithArgon2idAndVerifies) {
  auto hash = HashPassword("Correct#Horse9");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "Correct#Horse9"));
  EXPECT_FALSE(VerifyPassword(*hash, "Correct#Horse8"));
  EXPECT_FALSE(VerifyPassword("not a hash", "Correct#Horse9"));
  EXPECT_NE(*hash, *HashPassword("Correct#Horse9")) << "salted";
}

TEST(PasswordComplexity, LengthBoundaryIsTen) {
  const PasswordPolicy policy;
  EXPECT_FALSE(CheckComplexity("Abcdef#12", "", policy, "pw"));  // 9
  EXPECT_TRUE(CheckComplexity("Abcdef#123", "", policy, "pw"));  // 10
}

TEST(PasswordComplexity, NeedsThreeCharacterClasses) {
  const PasswordPolicy policy;
  EXPECT_FALSE(CheckComplexity("abcdefghijk", "", policy, "pw"));
  EXPECT_FALSE(CheckComplexity("abcdefghij1", "", policy, "pw"));
  EXPECT_TRUE(CheckComplexity("abcdefghij1#", "", policy, "pw"));
  EXPECT_TRUE(CheckComplexity("Abcdefghij1", "", policy, "pw"));
}

TEST(PasswordComplexity, MustNotContainTheUsername) {
  auto s = CheckComplexity("Zhang.San#2026", "zhang.san", PasswordPolicy{}, "new_password");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().fields.at(0).field, "new_password");
}

TEST(Password, GeneratedPasswordsPassThePolicyAndDiffer) {
  const std::string a = GeneratePassword(), b = GeneratePassword();
  EXPECT_NE(a, b);
  EXPECT_TRUE(CheckComplexity(a, "", PasswordPolicy{}, "pw"));
  EXPECT_EQ(a.size(), 16u);
}

TEST(Tokens, AreRandomAndHashStably) {
  EXPECT_NE(RandomToken(), RandomToken());
  EXPECT_EQ(RandomToken(32).size(), 43u);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace xiaoan::accounts
