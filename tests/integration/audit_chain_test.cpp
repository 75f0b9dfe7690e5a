// The audit log's hash chain as `xiaoan audit verify` and GET /audit/verify see it: intact after
// real activity, and a changed or deleted row named after someone edits the database file.
#include <sqlite3.h>

#include <filesystem>

#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

namespace fs = std::filesystem;

std::string Tail(const std::string& text) { return text.substr(text.size() > 600 ? text.size() - 600 : 0); }

class AuditChain : public ServerSuite<AuditChain> {
 public:
  static std::vector<NewAccount> Accounts() { return {{"it-auditor", "audit_admin", "410000"}}; }

 protected:
  // Some audited activity of several kinds.
  void MakeActivity() {
    const std::string county = server().Token("demo-county");
    ASSERT_EQ(
        server().Post("/api/v1/org-units", NewSchoolBody("410105", "8410105001", "审计链测试学校"), county).status,
        201);
    ASSERT_EQ(server().Patch("/api/v1/org-units/8410105001", {{"name", "审计链测试学校（改）"}}, county).status, 200);
    EXPECT_EQ(server().Login("demo-county", "Wrong#Pass2026x").status, 401);
    EXPECT_EQ(server()
                  .Post("/api/v1/org-units", NewSchoolBody("410105", "8410105002", "x"), server().Token("demo-guard"))
                  .status,
              403);
  }

  // Stops the server (once) and answers the exit status it gave.
  static int StopServer() {
    if (!stopped_) stop_status_ = server().Stop();
    stopped_ = true;
    return stop_status_;
  }

  // A copy of the stopped server's database under a new name.
  static std::string CopyDatabase(const std::string& name) {
    StopServer();
    const std::string copy = server().dir() + "/" + name;
    for (const char* suffix : {"", "-wal"}) {
      std::error_code ec;
      if (fs::exists(server().db_path() + suffix))
        fs::copy_file(server().db_path() + suffix, copy + suffix, fs::copy_options::overwrite_existing, ec);
    }
    return copy;
  }

  // Runs `sql` on the database file at `path`; answers sqlite's error message, or "".
  static std::string Execute(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      std::string error = sqlite3_errmsg(db);
      sqlite3_close(db);
      return error;
    }
    char* message = nullptr;
    std::string error;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) error = message ? message : "error";
    sqlite3_free(message);
    sqlite3_close(db);
    return error;
  }

  static json Verify(const std::string& path, int* exit_code) {
    auto r = RunXiaoan({"audit", "verify", "--db", path});
    *exit_code = r.exit_code;
    return json::parse(r.out, nullptr, false);
  }

  // A row in the middle of the chain.
  static int64_t MiddleRow(const std::string& path) {
    int code = 0;
    const json report = Verify(path, &code);
    return report.is_object() ? report.value("checked", int64_t{0}) / 2 : 0;
  }

  static inline bool stopped_ = false;
  static inline int stop_status_ = -1;
};

TEST_F(AuditChain, IsIntactAfterActivityOverHttpAndOnTheCommandLine) {
  MakeActivity();
  auto http = server().Get("/api/v1/audit/verify", server().Token("it-auditor"));
  ASSERT_EQ(http.status, 200) << http;
  EXPECT_EQ(http.Json()["ok"], true) << http;
  const int64_t checked_online = http.Json()["checked"];
  EXPECT_GE(checked_online, 8);

  EXPECT_EQ(StopServer(), 0) << "graceful shutdown exits 0; the server's last words:\n" << Tail(server().Output());
  int code = -1;
  const json report = Verify(server().db_path(), &code);
  EXPECT_EQ(code, 0) << report;
  EXPECT_EQ(report["ok"], true) << report;
  EXPECT_GE(report["checked"].get<int64_t>(), checked_online);
}

TEST_F(AuditChain, AChangedRowIsNamed) {
  const std::string db = CopyDatabase("changed.db");
  const int64_t row = MiddleRow(db);
  ASSERT_GT(row, 1);
  EXPECT_NE(Execute(db, "UPDATE audit_log SET summary = 'nothing happened' WHERE id = " + std::to_string(row)), "")
      << "the append-only trigger refuses the update";
  ASSERT_EQ(
      Execute(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET summary = 'nothing happened' WHERE id = " +
                      std::to_string(row)),
      "");
  int code = -1;
  const json report = Verify(db, &code);
  EXPECT_EQ(code, 1) << report;
  EXPECT_EQ(report["ok"], false) << report;
  EXPECT_EQ(report["first_bad_id"], row) << report;
  EXPECT_NE(report.value("reason", "").find("row " + std::to_string(row)), std::string::npos) << report;
}

TEST_F(AuditChain, ADeletedMiddleRowIsDetected) {
  const std::string db = CopyDatabase("deleted.db");
  const int64_t row = MiddleRow(db);
  ASSERT_GT(row, 1);
  EXPECT_NE(Execute(db, "DELETE FROM audit_log WHERE id = " + std::to_string(row)), "")
      << "the append-only trigger refuses the delete";
  ASSERT_EQ(Execute(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = " + std::to_string(row)),
            "");
  int code = -1;
  const json report = Verify(db, &code);
  EXPECT_EQ(code, 1) << report;
  EXPECT_EQ(report["ok"], false) << report;
  EXPECT_EQ(report["first_bad_id"], row + 1) << report;
  EXPECT_NE(report.value("reason", "").find(std::to_string(row)), std::string::npos) << report;
}

TEST_F(AuditChain, TheServerReportsTamperingToo) {
  StopServer();
  const int64_t row = MiddleRow(server().db_path());
  ASSERT_GT(row, 1);
  ASSERT_EQ(Execute(server().db_path(),
                    "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET username = 'someone-else' "
                    "WHERE id = " +
                        std::to_string(row)),
            "");
  server().Restart();
  stopped_ = false;
  auto r = server().Get("/api/v1/audit/verify", server().Token("it-auditor"));
  ASSERT_EQ(r.status, 200) << r;
  EXPECT_EQ(r.Json()["ok"], false) << r;
  EXPECT_EQ(r.Json()["first_bad_id"], row) << r;
  EXPECT_TRUE(r.Json()["reason"].is_string()) << r;
}

}  // namespace
}  // namespace xiaoan::it
