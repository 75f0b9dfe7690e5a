// Support for the ledger suites (issue #3): the Shanghai calendar as the server counts days, photo
// and workbook bytes, the shapes of the four-100% answers, and a suite base with the showcase
// school's ledger at hand.
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server_fixture.hpp"

namespace xiaoan::it {

// The showcase school (demo-principal, demo-guard, demo-teacher): one full-time guard short of the
// rule and otherwise compliant.
inline const std::string kSchool = "9410105001";
inline const std::string kLedger = "/api/v1/schools/9410105001";
inline const std::string kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline const char* const kItemNames[] = {"guards", "closed_management", "protection_posts", "alarm_video"};
// The county, city and province above the showcase school.
inline const char* const kAbove[] = {"410105", "410100", "410000"};

// "YYYY-MM-DD" of today in Asia/Shanghai, `days` later (negative: earlier).
std::string ShanghaiDate(int days = 0);
// RFC 3339 in +08:00, `offset` from now.
std::string ShanghaiTime(std::chrono::seconds offset);
// This year in Asia/Shanghai.
int ShanghaiYear();
// 1 (Monday) to 7 (Sunday) of "YYYY-MM-DD".
unsigned IsoWeekday(const std::string& date);

// Lower-case hex SHA-256 of `bytes` (what the server names a stored file by).
std::string Sha256Hex(std::string_view bytes);
// A valid 1×1 RGB PNG of the given colour.
std::string TinyPng(uint8_t red, uint8_t green, uint8_t blue);
// A part of the .xlsx `bytes` (e.g. "xl/sharedStrings.xml") as `unzip -p` extracts it; "" when the
// archive is broken (`unzip -tq` fails) or lacks the part.
std::string XlsxPart(const std::string& bytes, const std::string& part);
inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The `field` of every problem+json error.
std::set<std::string> ErrorFields(const HttpResponse& r);
// The figures of a /compliance/four-100 answer without its org and children.
json FiguresOf(json rollup);
// The numerator of `item` ("guards" ... or "all_four") in `figures`.
int64_t Compliant(const json& figures, const std::string& item);
// Asserts every rate in `figures` is compliant / applicable (null when nothing applies).
void ExpectRates(const json& figures);

// Helpers shared by the suites: the showcase school's ledger, the roll-up, and school accounts
// other than the demo ones.
template <class Suite>
class LedgerSuite : public ServerSuite<Suite> {
 public:
  // A bureau administrator over the whole province creates school accounts for the tests.
  static std::vector<NewAccount> Accounts() { return {{"it-province-admin", "bureau_admin", "410000"}}; }

 protected:
  static TestServer& srv() { return ServerSuite<Suite>::server(); }
  static std::string Token(const std::string& username) { return srv().Token(username); }
  static HttpResponse Put(const std::string& target, const json& body, const std::string& token) {
    return srv().Send({"PUT", target, body.dump(), "application/json", token, {}});
  }
  static HttpResponse Upload(const std::string& school, const std::string& bytes, const std::string& type,
                             const std::string& token) {
    return srv().Send({"POST", "/api/v1/files?school=" + school, bytes, type, token, {}});
  }

  // GET `target` as `username`, asserting 200; the JSON body.
  static json Read(const std::string& target, const std::string& username) {
    auto r = srv().Get(target, Token(username));
    EXPECT_EQ(r.status, 200) << target << ": " << r;
    return r.Json();
  }
  static json Rollup(const std::string& org) { return Read("/api/v1/compliance/four-100?org=" + org, "demo-province"); }
  static json Ledger() { return Read(kLedger + "/ledger", "demo-principal"); }
  static json GuardsItem() { return Ledger()["evaluation"]["items"]["guards"]; }
  static json Guards() { return Read(kLedger + "/guards", "demo-principal")["items"]; }
  static json Devices(const std::string& school = kSchool) {
    return Read("/api/v1/schools/" + school + "/devices", "demo-county")["items"];
  }
  static int64_t HistoryTotal() { return Read(kLedger + "/ledger/history?page_size=1", "demo-principal")["total"]; }
  static json NewestHistory() { return Read(kLedger + "/ledger/history?page_size=1", "demo-principal")["items"][0]; }
  // The figures of the units above the showcase school, by code.
  static std::map<std::string, json> FiguresAbove() {
    std::map<std::string, json> out;
    for (const char* org : kAbove) out[org] = FiguresOf(Rollup(org));
    return out;
  }

  // A fresh account of `role` at `school` (created by the province administrator, its first
  // password changed); its session token. Cached per username.
  static std::string SchoolAccount(const std::string& username, const std::string& role, const std::string& school) {
    static std::map<std::string, std::string> tokens;
    if (auto it = tokens.find(username); it != tokens.end()) return it->second;
    auto created =
        srv().Post("/api/v1/users",
                   {{"username", username}, {"display_name", "集成测试" + role}, {"role", role}, {"org_code", school}},
                   Token("it-province-admin"));
    if (created.status != 201) throw std::runtime_error("creating " + username + ": " + created.body);
    const std::string initial = created.Json()["initial_password"];
    auto login = srv().Login(username, initial);
    if (login.status != 200) throw std::runtime_error("login of " + username + ": " + login.body);
    const std::string token = login.Json()["token"];
    auto changed =
        srv().Post("/api/v1/auth/password", {{"old_password", initial}, {"new_password", "School#Pass2026x"}}, token);
    if (changed.status != 204) throw std::runtime_error("password of " + username + ": " + changed.body);
    return tokens[username] = token;
  }

  // The first school of county 410105 with `locality`.
  static std::string SchoolWithLocality(const std::string& locality) {
    const json schools = Read("/api/v1/org-units/410105/schools?page_size=500", "demo-county")["items"];
    for (const auto& s : schools)
      if (s["attributes"]["locality"] == locality) return s["code"];
    ADD_FAILURE() << "no " << locality << " school in 410105";
    return "";
  }
};

}  // namespace xiaoan::it
