// Test support for the integration suites: the real xiaoan binary started as a child process on a
// fresh database, and a small HTTP/1.1 client to drive it. Nothing here is mocked.
//
// Not thread-safe, except HttpConnection objects used one per thread.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xiaoan::it {

using nlohmann::json;

// Password of the demo accounts (XIAOAN_DEMO_PASSWORD given to every server).
inline constexpr const char* kDemoPassword = "Demo#Pass2026x";
// Password of every account the suites create with the CLI (`user create --password`).
inline constexpr const char* kAccountPassword = "Suite#Pass2026x";

struct HttpResponse {
  int status = 0;                              // 0 when the exchange failed (see transport_error)
  std::string transport_error;                 // why no response arrived (closed, reset, timeout)
  std::map<std::string, std::string> headers;  // lower-case names; repeated fields joined by "\n"
  std::string body;

  // The value of header `lower_name`, or "" when absent.
  [[nodiscard]] std::string Header(const std::string& lower_name) const;
  // The body as JSON; a discarded value when it is not JSON.
  [[nodiscard]] json Json() const;
  // The problem+json "code" member, or "".
  [[nodiscard]] std::string Code() const;
  // Whether the problem+json "errors" list names `field`.
  [[nodiscard]] bool NamesField(const std::string& field) const;
  // Whether Content-Type is application/problem+json.
  [[nodiscard]] bool IsProblem() const;
};

// Prints status, transport error and body, for assertion messages.
std::ostream& operator<<(std::ostream& out, const HttpResponse& r);

struct HttpRequest {
  std::string method = "GET";
  std::string target;
  std::string body;
  std::string content_type = "application/json";  // sent only with a body or a non-GET method
  std::string bearer;                             // Authorization: Bearer <bearer> when not empty
  std::vector<std::pair<std::string, std::string>> headers;
};

// One HTTP/1.1 keep-alive connection to 127.0.0.1:port. Every operation gives up after `timeout`.
class HttpConnection {
 public:
  // Connects; throws std::runtime_error when the connection is refused.
  explicit HttpConnection(uint16_t port, std::chrono::seconds timeout = std::chrono::seconds(30));
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends `request` and reads its response. Transport failures answer status 0.
  HttpResponse Send(const HttpRequest& request);
  // Writes raw bytes. Answers false when the peer closed or reset the connection.
  bool SendRaw(std::string_view bytes);
  // Reads one response. Transport failures answer status 0.
  HttpResponse ReadResponse();
  // Whether the server has closed the connection, waiting up to `wait` for it to do so.
  bool PeerClosed(std::chrono::milliseconds wait);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct CliResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs the xiaoan binary with `args` to completion.
CliResult RunXiaoan(const std::vector<std::string>& args);

// An account created with the CLI before the server first starts (password kAccountPassword, no
// forced change).
struct NewAccount {
  std::string username;
  std::string role;
  std::string org;
};

// The xiaoan server on a fresh database in its own temporary folder, started with --demo.
class TestServer {
 public:
  // Creates `accounts` with the CLI, then starts `xiaoan serve --port 0 --demo`. Throws
  // std::runtime_error (with the server's output) when it does not come up.
  static std::unique_ptr<TestServer> Start(const std::vector<NewAccount>& accounts = {});
  // "XIAOAN_NAME=value" settings the servers started from now on get (the test's own XIAOAN_*
  // environment is never passed on).
  static inline std::vector<std::string> extra_environment;
  // Stops the server if it runs and removes the folder (kept when XIAOAN_IT_KEEP is set).
  ~TestServer();

  // Starts the binary again on the same database (after Stop). Cached tokens are dropped.
  void Restart();
  // Sends SIGTERM and waits for the exit; answers the exit status (128 + signal when killed).
  int Stop();
  // Whether the server process is alive (reaps it when it has exited).
  bool Running();
  // Sends `signal` without waiting.
  void Signal(int signal);
  // Waits for the process to end; the exit status, or nullopt after `timeout`.
  std::optional<int> Wait(std::chrono::seconds timeout);

  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] std::string db_path() const { return dir_ + "/x.db"; }
  // Everything the server printed (stdout and stderr) since the first start.
  [[nodiscard]] std::string Output() const;

  HttpResponse Send(const HttpRequest& request);
  HttpResponse Get(const std::string& target, const std::string& token = "");
  HttpResponse Post(const std::string& target, const json& body, const std::string& token = "");
  HttpResponse Patch(const std::string& target, const json& body, const std::string& token = "");

  // POST /auth/login. `totp` empty = not sent.
  HttpResponse Login(const std::string& username, const std::string& password, const std::string& totp = "");
  // A session token of `username`, logged in once and cached. Demo accounts use kDemoPassword,
  // created accounts kAccountPassword and, for the three administrator roles, a fresh TOTP code.
  std::string Token(const std::string& username);
  // The TOTP secret (Base32) of an administrator created through NewAccount.
  [[nodiscard]] std::string TotpSecret(const std::string& username) const;
  // A TOTP code for `username` from a step never used before by this fixture (waits for the next
  // 30-second step when needed).
  std::string NextTotp(const std::string& username);

 private:
  TestServer() = default;
  void Launch();

  std::string dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::set<std::string> created_;  // accounts made with the CLI (kAccountPassword)
  std::map<std::string, std::string> totp_secrets_;
  std::map<std::string, int64_t> last_totp_step_;
  std::map<std::string, std::string> tokens_;
};

// A suite fixture sharing one server among all tests of the suite `Suite`, which may define
// `static std::vector<NewAccount> Accounts()` for the accounts it needs.
template <class Suite>
class ServerSuite : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      server_ = TestServer::Start(Suite::Accounts());
    } catch (const std::exception& e) {
      startup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { server_.reset(); }
  static std::vector<NewAccount> Accounts() { return {}; }
  // For a suite's own SetUpTestSuite: starts the server with the environment variable `variable`
  // naming a file of `text` (settings the server reads once, at its start), removed afterwards.
  static void SetUpTestSuiteWithFile(const std::string& variable, const std::string& text) {
    const std::string path = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/xiaoan-it-" +
                             std::to_string(::getpid()) + "-" + variable + ".toml";
    std::ofstream(path) << text;
    TestServer::extra_environment = {variable + "=" + path};
    ServerSuite::SetUpTestSuite();
    TestServer::extra_environment.clear();
    std::remove(path.c_str());
  }

 protected:
  void SetUp() override { ASSERT_TRUE(server_) << "the server did not start: " << startup_error_; }
  static TestServer& server() { return *server_; }

  static inline std::unique_ptr<TestServer> server_;
  static inline std::string startup_error_;
};

// The RFC 6238 code of Base32 `secret` for 30-second time step `step` (unix seconds / 30).
std::string TotpCodeAt(const std::string& secret, int64_t step);

// A school body for POST /api/v1/org-units.
json NewSchoolBody(const std::string& parent_code, const std::string& code, const std::string& name);

}  // namespace xiaoan::it
