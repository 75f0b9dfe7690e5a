#include "modules/audit/audit_chain.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace xiaoan::audit {
namespace {

std::vector<Record> Chain(int n, const std::string& algorithm) {
  std::vector<Record> out;
  std::string prev;
  for (int i = 1; i <= n; ++i) {
    Record r;
    r.id = i;
    r.at = "2026-11-28T20:00:0" + std::to_string(i % 10) + "+08:00";
    r.username = "u" + std::to_string(i);
    r.role = "bureau_admin";
    r.org_code = "410105";
    r.action = "org.school.update";
    r.target = "org_unit:9410105001";
    r.outcome = "success";
    r.request_id = "req" + std::to_string(i);
    r.summary = "change " + std::to_string(i);
    r.algorithm = algorithm;
    r.prev_hash = prev;
    r.hash = HashRecord(r);
    prev = r.hash;
    out.push_back(r);
  }
  return out;
}

// The text every stored hash was made from: the fields as a JSON array, dumped by nlohmann.
std::string DumpedAsArray(const Record& r) {
  const nlohmann::json fields = nlohmann::json::array(
      {r.id, r.at, r.user_id ? nlohmann::json(*r.user_id) : nlohmann::json(nullptr), r.username, r.role, r.org_code,
       r.action, r.target, r.outcome, r.request_id, r.summary, r.algorithm, r.prev_hash});
  return fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(AuditChain, TheHashedTextIsTheFieldsDumpedAsAJsonArray) {
  Record r = Chain(1, "sha256")[0];
  EXPECT_EQ(HashedText(r), DumpedAsArray(r));
  EXPECT_EQ(HashedText(r).substr(0, 36), R"([1,"2026-11-28T20:00:01+08:00",null,)");
  r.id = 9223372036854775807;
  r.user_id = -42;
  r.username = "张小明";
  r.summary = std::string("quote \" backslash \\ tab \t newline \n nul ") + '\0' + " del \x7f bell \x07";
  r.target = "bad utf-8 \xff\xfe and a cut one \xe5\xbc";
  r.request_id = "";
  r.prev_hash = std::string(64, 'a');
  EXPECT_EQ(HashedText(r), DumpedAsArray(r));
  EXPECT_NE(HashedText(r).find("\ufffd"), std::string::npos);  // not the raw bytes
  EXPECT_NE(HashedText(r).find("\u0000"), std::string::npos);
}

TEST(AuditChain, AnIntactChainVerifies) {
  for (const char* algo : {"sha256", "sm3"}) {
    ASSERT_TRUE(CheckAlgorithm(algo)) << algo;
    auto report = VerifyChain(Chain(5, algo), 0, "");
    EXPECT_TRUE(report.ok) << algo;
    EXPECT_EQ(report.checked, 5);
  }
}

TEST(AuditChain, Sm3AndSha256GiveDifferentHashesOfTheRightLength) {
  auto a = Chain(1, "sha256")[0].hash, b = Chain(1, "sm3")[0].hash;
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(b.size(), 64u);
  EXPECT_NE(a, b);
}

TEST(AuditChain, AChangedFieldIsFoundAtItsRow) {
  auto chain = Chain(5, "sha256");
  chain[2].summary = "nothing happened";
  auto report = VerifyChain(chain, 0, "");
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 3);
}

TEST(AuditChain, ADeletedRowIsFound) {
  auto chain = Chain(5, "sha256");
  chain.erase(chain.begin() + 1);
  auto report = VerifyChain(chain, 0, "");
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 3);
}

TEST(AuditChain, ReorderedRowsAreFound) {
  auto chain = Chain(5, "sha256");
  std::swap(chain[1].summary, chain[3].summary);
  auto report = VerifyChain(chain, 0, "");
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 2);
}

TEST(AuditChain, ARecomputedHashStillBreaksTheNextLink) {
  auto chain = Chain(5, "sha256");
  chain[1].summary = "forged";
  chain[1].hash = HashRecord(chain[1]);
  auto report = VerifyChain(chain, 0, "");
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_id, 3);
}

TEST(AuditChain, VerificationStartsAfterAPurgeAnchor) {
  auto chain = Chain(5, "sha256");
  const std::string anchor_hash = chain[1].hash;
  chain.erase(chain.begin(), chain.begin() + 2);
  EXPECT_TRUE(VerifyChain(chain, 2, anchor_hash).ok);
  EXPECT_FALSE(VerifyChain(chain, 2, "wrong").ok);
}

TEST(AuditChain, UnknownAlgorithmsAreRejected) { EXPECT_FALSE(CheckAlgorithm("md5")); }

}  // namespace
}  // namespace xiaoan::audit
