#include "modules/audit/audit_chain.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "platform/http/json_text.hpp"

namespace xiaoan::audit {

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kSuccess:
      return "success";
    case Outcome::kFailure:
      return "failure";
    case Outcome::kDenied:
      return "denied";
  }
  return "failure";
}

namespace {
// Fetched once: an implicit fetch on every record costs more than hashing it.
const EVP_MD* Digest(const std::string& algorithm) {
  static const EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static const EVP_MD* const sm3 = EVP_MD_fetch(nullptr, "SM3", nullptr);
  if (algorithm == "sha256") return sha256;
  if (algorithm == "sm3") return sm3;
  return nullptr;
}
}  // namespace

Status CheckAlgorithm(const std::string& algorithm) {
  if (Digest(algorithm) == nullptr) return Fail(Error::Invalid("audit_hash", "Use sha256 or sm3."));
  return {};
}

std::string HashedText(const Record& r) {
  // The fields as one JSON array, written without building that array (every write of the system
  // hashes a record): byte for byte the array's dump, which audit_chain_test checks.
  std::string text;
  text.reserve(256 + r.summary.size() + r.target.size());
  http::JsonText t(text);
  t.Open('[').Int(r.id).String(r.at);
  if (r.user_id)
    t.Int(*r.user_id);
  else
    t.Null();
  for (const std::string* v : {&r.username, &r.role, &r.org_code, &r.action, &r.target, &r.outcome, &r.request_id,
                               &r.summary, &r.algorithm, &r.prev_hash})
    t.String(*v);
  t.Close(']');
  return text;
}

std::string HashRecord(const Record& r) {
  const std::string text = HashedText(r);
  const EVP_MD* md = Digest(r.algorithm);
  if (md == nullptr) return "unknown-algorithm";
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // One context per thread, started afresh for every record: every write of the system hashes one,
  // and making and freeing a context each time cost as much as hashing.
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), text.data(), text.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), out, &len) != 1)
    throw std::runtime_error("the audit record's hash could not be computed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 0xf]);
  }
  return hex;
}

VerifyReport VerifyChain(const std::vector<Record>& records, int64_t anchor_id, const std::string& anchor_hash) {
  VerifyReport report;
  int64_t expected_id = anchor_id + 1;
  std::string prev = anchor_hash;
  for (const auto& r : records) {
    auto bad = [&](std::string reason) {
      report.ok = false;
      report.first_bad_id = r.id;
      report.reason = std::move(reason);
    };
    if (r.id != expected_id) {
      bad("row " + std::to_string(expected_id) + " is missing (deleted or reordered) before row " +
          std::to_string(r.id));
      return report;
    }
    if (r.prev_hash != prev) {
      bad("row " + std::to_string(r.id) + " does not follow the previous row (deleted or reordered)");
      return report;
    }
    if (HashRecord(r) != r.hash) {
      bad("row " + std::to_string(r.id) + " was changed");
      return report;
    }
    prev = r.hash;
    ++expected_id;
    ++report.checked;
  }
  return report;
}

}  // namespace xiaoan::audit
