// Graceful shutdown: on SIGTERM a request already sent is still answered and its data kept, idle
// connections do not hold the process, and the process exits 0.
#include <signal.h>

#include <chrono>
#include <thread>

#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

using namespace std::chrono_literals;

std::string Tail(const std::string& text) { return text.substr(text.size() > 600 ? text.size() - 600 : 0); }

class GracefulShutdown : public ServerSuite<GracefulShutdown> {
 protected:
  // Every test may stop the server; the next one gets it running again on the same database.
  void TearDown() override {
    if (!server_) return;
    if (terminated_) (void)server().Wait(30s);
    terminated_ = false;
    if (!server().Running()) server().Restart();
  }

  static void Terminate() {
    terminated_ = true;
    server().Signal(SIGTERM);
  }

  // The exit status after Terminate(), or nullopt when the server is still running after 30 s.
  static std::optional<int> WaitForExit() {
    auto status = server().Wait(30s);
    if (status) terminated_ = false;
    return status;
  }

  static int64_t SchoolCount(const std::string& token) {
    return server().Get("/api/v1/org-units/410105/schools?page_size=1", token).Json().value("total", int64_t{-1});
  }

  // Sends an import of `rows` schools with codes from `first_code` on, waits `delay`, sends
  // SIGTERM, and checks that the response arrives, the process exits 0 and, after a restart,
  // every row is there.
  static void ImportThenTerminate(int64_t first_code, int rows, std::chrono::milliseconds delay) {
    const std::string county = server().Token("demo-county");
    const int64_t before = SchoolCount(county);
    std::string csv = "code,name,school_type,locality,boarding,day_students,boarding_students,class_count\n";
    for (int i = 0; i < rows; ++i)
      csv += std::to_string(first_code + i) + ",停机测试学校" + std::to_string(first_code + i) +
             ",primary,urban,false,300,0,8\n";
    const std::string request =
        "POST /api/v1/org-units/410105/schools/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Bearer " +
        county + "\r\nContent-Type: text/csv\r\nContent-Length: " + std::to_string(csv.size()) + "\r\n\r\n" + csv;

    HttpConnection connection(server().port());
    ASSERT_TRUE(connection.SendRaw(request));
    std::this_thread::sleep_for(delay);
    Terminate();
    auto r = connection.ReadResponse();
    EXPECT_EQ(r.status, 200) << r;
    EXPECT_EQ(r.Json(), json({{"created", rows}})) << r;

    const auto status = WaitForExit();
    ASSERT_TRUE(status.has_value()) << "the server did not exit after SIGTERM";
    EXPECT_EQ(*status, 0) << "the server's last words:\n" << Tail(server().Output());
    EXPECT_THROW(HttpConnection(server().port(), 2s), std::runtime_error) << "nobody listens after the exit";

    server().Restart();
    const std::string again = server().Token("demo-county");
    EXPECT_EQ(SchoolCount(again), before + (r.status == 200 ? rows : 0)) << "an answered import is kept, all of it";
    if (r.status == 200) {
      EXPECT_EQ(server().Get("/api/v1/org-units/" + std::to_string(first_code), again).status, 200);
      EXPECT_EQ(server().Get("/api/v1/org-units/" + std::to_string(first_code + rows - 1), again).status, 200);
    }
  }

  static inline bool terminated_ = false;
};

// The import takes ~100 ms to run: 30 ms after sending it, it is being worked on.
TEST_F(GracefulShutdown, AnImportInFlightAtSigtermIsAnsweredAndKept) { ImportThenTerminate(7410500000, 2000, 30ms); }

// SIGTERM right after the last byte: the request has arrived, so it is served, not dropped.
TEST_F(GracefulShutdown, AnImportSentJustBeforeSigtermIsAnsweredAndKept) { ImportThenTerminate(7410600000, 2000, 0ms); }

TEST_F(GracefulShutdown, IdleKeepAliveConnectionsDoNotDelayTheExit) {
  HttpConnection idle(server().port());
  ASSERT_EQ(idle.Send({"GET", "/api/v1/health", "", "", "", {}}).status, 200);
  const auto t0 = std::chrono::steady_clock::now();
  Terminate();
  const auto status = WaitForExit();
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(status.has_value()) << "the server did not exit after SIGTERM";
  EXPECT_EQ(*status, 0) << "the server's last words:\n" << Tail(server().Output());
  EXPECT_LT(took, 5s) << "an idle connection held the server until its idle timeout";
  auto after = idle.Send({"GET", "/api/v1/health", "", "", "", {}});
  EXPECT_EQ(after.status, 0) << "the idle connection was closed: " << after;
}

TEST_F(GracefulShutdown, RestartKeepsAccountsAndSessions) {
  const std::string token = server().Token("demo-county2");
  ASSERT_EQ(server().Get("/api/v1/auth/me", token).status, 200);
  EXPECT_EQ(server().Stop(), 0) << Tail(server().Output());
  server().Restart();
  // Sessions are stored, so a restart does not log people out.
  EXPECT_EQ(server().Get("/api/v1/auth/me", token).status, 200);
  EXPECT_EQ(server().Login("demo-county2", kDemoPassword).status, 200);
  EXPECT_EQ(server().Output().find("First start"), server().Output().rfind("First start"))
      << "administrators are created only on the first start";
}

}  // namespace
}  // namespace xiaoan::it
