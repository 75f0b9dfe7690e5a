#include "server_fixture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "modules/accounts/totp.hpp"

extern char** environ;

namespace xiaoan::it {
namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

constexpr std::string_view kListening = "xiaoan: listening on http://127.0.0.1:";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Decodes a waitpid status the way a shell does.
int ExitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// The environment of a child: ours without XIAOAN_* settings (they would change the server under
// test), plus the demo password unless the test's extra settings give one.
std::vector<std::string> ChildEnvironment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e)
    if (!std::string_view(*e).starts_with("XIAOAN_")) env.emplace_back(*e);
  if (std::none_of(TestServer::extra_environment.begin(), TestServer::extra_environment.end(),
                   [](const std::string& e) { return e.starts_with("XIAOAN_DEMO_PASSWORD="); }))
    env.emplace_back(std::string("XIAOAN_DEMO_PASSWORD=") + kDemoPassword);
  for (const auto& e : TestServer::extra_environment) env.push_back(e);
  return env;
}

// Starts XIAOAN_BIN with `args`; stdout goes to `out_path` (appended), stderr to `err_path`
// (the same file when equal).
pid_t Spawn(const std::vector<std::string>& args, const std::string& out_path, const std::string& err_path) {
  std::vector<std::string> argv_store{XIAOAN_BIN};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto env_store = ChildEnvironment();
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (err_path == out_path)
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  else
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, XIAOAN_BIN, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + std::string(XIAOAN_BIN) + ": " + std::strerror(rc));
  return pid;
}

std::string MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/xiaoan-it-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

}  // namespace

// ---- HttpResponse ----

std::string HttpResponse::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

json HttpResponse::Json() const { return json::parse(body, nullptr, false); }

std::string HttpResponse::Code() const {
  const json j = Json();
  return j.is_object() && j.contains("code") && j["code"].is_string() ? j["code"].get<std::string>() : "";
}

bool HttpResponse::NamesField(const std::string& field) const {
  const json j = Json();
  if (!j.is_object() || !j.contains("errors") || !j["errors"].is_array()) return false;
  for (const auto& e : j["errors"])
    if (e.is_object() && e.value("field", "") == field) return true;
  return false;
}

bool HttpResponse::IsProblem() const { return Header("content-type").starts_with("application/problem+json"); }

std::ostream& operator<<(std::ostream& out, const HttpResponse& r) {
  out << "HTTP " << r.status;
  if (!r.transport_error.empty()) out << " (transport: " << r.transport_error << ")";
  return out << " " << r.body.substr(0, 500);
}

// ---- HttpConnection ----

struct HttpConnection::Impl {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  std::chrono::seconds timeout;

  // Runs one asynchronous operation to completion under the stream's timeout.
  template <class Start>
  beast::error_code Run(Start&& start) {
    beast::error_code result = net::error::would_block;
    stream.expires_after(timeout);
    start([&result](beast::error_code ec, std::size_t = 0) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }
};

HttpConnection::HttpConnection(uint16_t port, std::chrono::seconds timeout) : impl_(std::make_unique<Impl>()) {
  impl_->timeout = timeout;
  const tcp::endpoint endpoint(net::ip::address_v4::loopback(), port);
  auto ec = impl_->Run([&](auto handler) {
    impl_->stream.async_connect(endpoint, [handler](beast::error_code e) mutable { handler(e); });
  });
  if (ec) throw std::runtime_error("cannot connect to port " + std::to_string(port) + ": " + ec.message());
}

HttpConnection::~HttpConnection() {
  beast::error_code ec;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

HttpResponse HttpConnection::Send(const HttpRequest& request) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::user_agent, "xiaoan-integration-tests");
  if (!request.bearer.empty()) req.set(bhttp::field::authorization, "Bearer " + request.bearer);
  for (const auto& [k, v] : request.headers) req.insert(k, v);
  if (!request.body.empty() || (request.method != "GET" && request.method != "HEAD")) {
    if (!request.content_type.empty()) req.set(bhttp::field::content_type, request.content_type);
    req.body() = request.body;
    req.prepare_payload();
  }
  auto ec = impl_->Run([&](auto handler) { bhttp::async_write(impl_->stream, req, handler); });
  if (ec) {
    HttpResponse r;
    r.transport_error = "write: " + ec.message();
    return r;
  }
  return ReadResponse();
}

bool HttpConnection::SendRaw(std::string_view bytes) {
  auto ec = impl_->Run(
      [&](auto handler) { net::async_write(impl_->stream, net::buffer(bytes.data(), bytes.size()), handler); });
  return !ec;
}

bool HttpConnection::PeerClosed(std::chrono::milliseconds wait) {
  // Looked at with poll and a peek, so that the connection stays usable when it is still open.
  const int fd = impl_->stream.socket().native_handle();
  pollfd p{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
  char byte = 0;
  const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

HttpResponse HttpConnection::ReadResponse() {
  HttpResponse r;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.header_limit(1024 * 1024);
  auto ec = impl_->Run([&](auto handler) { bhttp::async_read(impl_->stream, impl_->buffer, parser, handler); });
  if (ec) {
    r.transport_error = ec.message();
    return r;
  }
  const auto& res = parser.get();
  r.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& slot = r.headers[name];
    if (!slot.empty()) slot += "\n";
    slot += std::string(field.value());
  }
  r.body = res.body();
  return r;
}

// ---- CLI ----

CliResult RunXiaoan(const std::vector<std::string>& args) {
  const std::string dir = MakeTempDir();
  const std::string out_path = dir + "/out", err_path = dir + "/err";
  const pid_t pid = Spawn(args, out_path, err_path);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  CliResult result{ExitStatus(status), ReadFile(out_path), ReadFile(err_path)};
  std::error_code ec;
  fs::remove_all(dir, ec);
  return result;
}

// ---- TestServer ----

std::unique_ptr<TestServer> TestServer::Start(const std::vector<NewAccount>& accounts) {
  std::unique_ptr<TestServer> server(new TestServer());
  server->dir_ = MakeTempDir();
  for (const auto& a : accounts) {
    auto r = RunXiaoan({"user", "create", "--db", server->db_path(), "--username", a.username, "--role", a.role,
                        "--org", a.org, "--password", kAccountPassword});
    if (r.exit_code != 0) throw std::runtime_error("user create " + a.username + " failed: " + r.err);
    const json out = json::parse(r.out, nullptr, false);
    if (out.is_object() && out.contains("totp_secret")) server->totp_secrets_[a.username] = out["totp_secret"];
    server->created_.insert(a.username);
  }
  server->Launch();
  return server;
}

TestServer::~TestServer() {
  if (pid_ > 0) Stop();
  if (!std::getenv("XIAOAN_IT_KEEP")) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

void TestServer::Launch() {
  const std::string log = dir_ + "/server.log";
  std::error_code ec;
  const auto offset = fs::exists(log, ec) ? fs::file_size(log, ec) : 0;
  pid_ = Spawn({"serve", "--db", db_path(), "--port", "0", "--demo"}, log, log);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = ReadFile(log).substr(offset);
    if (auto at = text.find(kListening); at != std::string::npos) {
      size_t end = at + kListening.size();
      while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
      if (end < text.size()) {  // the whole number has been written
        port_ = static_cast<uint16_t>(std::stoi(text.substr(at + kListening.size(), end - at - kListening.size())));
        return;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("xiaoan serve exited with " + std::to_string(ExitStatus(status)) + ":\n" + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Signal(SIGKILL);
  (void)Wait(std::chrono::seconds(5));
  throw std::runtime_error("xiaoan serve did not start within 60 s:\n" + Output());
}

void TestServer::Restart() {
  if (pid_ > 0) throw std::logic_error("Restart() while the server runs");
  tokens_.clear();
  Launch();
}

bool TestServer::Running() { return pid_ > 0 && !Wait(std::chrono::seconds(0)).has_value(); }

void TestServer::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

std::optional<int> TestServer::Wait(std::chrono::seconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return ExitStatus(status);
    }
    if (r < 0 && errno != EINTR) {
      pid_ = -1;
      return std::nullopt;
    }
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int TestServer::Stop() {
  if (pid_ <= 0) return -1;
  Signal(SIGTERM);
  if (auto status = Wait(std::chrono::seconds(30))) return *status;
  Signal(SIGKILL);
  return Wait(std::chrono::seconds(10)).value_or(-1);
}

std::string TestServer::Output() const { return ReadFile(dir_ + "/server.log"); }

HttpResponse TestServer::Send(const HttpRequest& request) {
  try {
    HttpConnection connection(port_);
    return connection.Send(request);
  } catch (const std::exception& e) {
    HttpResponse r;
    r.transport_error = e.what();
    return r;
  }
}

HttpResponse TestServer::Get(const std::string& target, const std::string& token) {
  return Send({"GET", target, "", "", token, {}});
}

HttpResponse TestServer::Post(const std::string& target, const json& body, const std::string& token) {
  return Send({"POST", target, body.dump(), "application/json", token, {}});
}

HttpResponse TestServer::Patch(const std::string& target, const json& body, const std::string& token) {
  return Send({"PATCH", target, body.dump(), "application/json", token, {}});
}

HttpResponse TestServer::Login(const std::string& username, const std::string& password, const std::string& totp) {
  json body{{"username", username}, {"password", password}};
  if (!totp.empty()) body["totp"] = totp;
  return Post("/api/v1/auth/login", body);
}

std::string TestServer::Token(const std::string& username) {
  if (auto it = tokens_.find(username); it != tokens_.end()) return it->second;
  const bool created = created_.contains(username);
  const std::string totp = totp_secrets_.contains(username) ? NextTotp(username) : "";
  auto r = Login(username, created ? kAccountPassword : kDemoPassword, totp);
  const json j = r.Json();
  if (r.status != 200 || !j.is_object() || !j.contains("token"))
    throw std::runtime_error("login of " + username + " failed: HTTP " + std::to_string(r.status) + " " + r.body);
  return tokens_[username] = j["token"].get<std::string>();
}

std::string TestServer::TotpSecret(const std::string& username) const { return totp_secrets_.at(username); }

std::string TestServer::NextTotp(const std::string& username) {
  const auto secret = accounts::Base32Decode(totp_secrets_.at(username));
  if (!secret) throw std::runtime_error("bad TOTP secret for " + username);
  int64_t& last = last_totp_step_[username];
  for (;;) {
    const int64_t now = std::time(nullptr) / 30;
    // The server accepts the current step and one on either side, each only once.
    for (int64_t step : {now, now + 1}) {
      if (step > last) {
        last = step;
        return accounts::TotpCode(*secret, step);
      }
    }
    std::this_thread::sleep_for(std::chrono::seconds(30 - std::time(nullptr) % 30) + std::chrono::milliseconds(50));
  }
}

std::string TotpCodeAt(const std::string& secret, int64_t step) {
  const auto bytes = accounts::Base32Decode(secret);
  if (!bytes) throw std::runtime_error("bad TOTP secret " + secret);
  return accounts::TotpCode(*bytes, step);
}

json NewSchoolBody(const std::string& parent_code, const std::string& code, const std::string& name) {
  return {{"parent_code", parent_code},
          {"code", code},
          {"name", name},
          {"attributes",
           {{"school_type", "primary"},
            {"locality", "urban"},
            {"boarding", false},
            {"day_students", 600},
            {"boarding_students", 0},
            {"class_count", 12}}}};
}

}  // namespace xiaoan::it
