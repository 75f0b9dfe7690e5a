// Test support: the App and its server in this process (for suites that need the App itself, e.g.
// to publish on its live hub), on a fresh database in a temporary folder, with the demo seeded.
// Everything else is real: the same pipeline, server and database as `xiaoan serve`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "app/app.hpp"
#include "platform/http/server.hpp"

namespace xiaoan::it {

class InProcessServer {
 public:
  // Opens the App (demo seeded, password kDemoPassword) and runs its server on 127.0.0.1:0 on a
  // thread; `adjust` may change the server options first (shorter pings, smaller queues). Throws
  // std::runtime_error when it does not come up.
  static std::unique_ptr<InProcessServer> Start(std::function<void(http::ServerOptions&)> adjust = {});
  // Stops the server (gracefully) and removes the folder.
  ~InProcessServer();

  // Stops the server and waits for Run to return. Idempotent.
  void Stop();

  [[nodiscard]] app::App& app() { return *app_; }
  [[nodiscard]] http::Server& server() { return *server_; }
  [[nodiscard]] uint16_t port() const { return port_; }
  // A new session token of demo account `username` (logged in over HTTP); it is also the value
  // of the session cookie.
  [[nodiscard]] std::string Login(const std::string& username);

 private:
  InProcessServer() = default;
  std::string dir_;
  std::unique_ptr<app::App> app_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

}  // namespace xiaoan::it
