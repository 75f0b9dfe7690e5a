#include "platform/crypto/field_cipher.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <optional>
#include <thread>
#include <vector>

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

// HMAC-SHA-256 of `data` under HMAC-SHA-256(key, "xiaoan fingerprint v1"), with OpenSSL's one-shot HMAC.
std::string OneShotFingerprint(const std::string& key, const std::string& data) {
  static constexpr std::string_view kLabel = "xiaoan fingerprint v1";
  unsigned char sub[EVP_MAX_MD_SIZE], mac[EVP_MAX_MD_SIZE];
  unsigned int sublen = 0, maclen = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(kLabel.data()),
       kLabel.size(), sub, &sublen);
  HMAC(EVP_sha256(), sub, static_cast<int>(sublen), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       mac, &maclen);
  std::string hex;
  for (unsigned i = 0; i < maclen; ++i) hex += "0123456789abcdef"[mac[i] >> 4], hex += "0123456789abcdef"[mac[i] & 15];
  return hex;
}

// Each thread reuses its own keyed context: ciphers taking turns on one thread, a cipher made where
// another was just destroyed, and many threads at once all get the digest of their own key.
TEST(FieldCipher, FingerprintsFollowTheirOwnKeyAcrossCiphersAndThreads) {
  const std::string ka(32, 'a'), kb(32, 'b');
  auto a = FieldCipher::FromKey(ka);
  auto b = FieldCipher::FromKey(kb);
  for (int i = 0; i < 20; ++i) {
    const std::string data = "report " + std::to_string(i);
    EXPECT_EQ(a->Fingerprint(data), OneShotFingerprint(ka, data));
    EXPECT_EQ(b->Fingerprint(data), OneShotFingerprint(kb, data));
  }
  for (int i = 0; i < 20; ++i) {
    const std::string key(32, static_cast<char>('c' + i));
    std::optional<FieldCipher> made(*FieldCipher::FromKey(key));
    EXPECT_EQ(made->Fingerprint("x"), OneShotFingerprint(key, "x")) << i;
    made.reset();  // the next may be made at the same address
  }
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const auto& c = (i + t) % 2 ? *a : *b;
        const std::string data = std::to_string(t) + "/" + std::to_string(i);
        if (c.Fingerprint(data) != OneShotFingerprint((i + t) % 2 ? ka : kb, data)) ++wrong[t];
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
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
