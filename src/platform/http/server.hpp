// The HTTP/1.1 server (Boost.Beast): keep-alive, size limits, read timeouts, graceful shutdown.
// GET and HEAD are answered on the I/O threads; other methods run on a worker pool because they
// wait for the group-commit writer. Beast never appears in this header.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/error.hpp"
#include "platform/http/message.hpp"

namespace xiaoan::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 = any free port
  int io_threads = 2;
  int worker_threads = 32;
  size_t body_limit = 1 << 20;  // bytes; larger bodies answer 413
  // Requests whose path starts with `upload_path_prefix` may carry up to `upload_body_limit`
  // (photo uploads); the limit is chosen once the headers are read.
  std::string upload_path_prefix = "/api/v1/files";
  size_t upload_body_limit = 8 << 20;
  size_t header_limit = 16 * 1024;  // bytes; larger headers answer 431
  int read_timeout_seconds = 30;    // a request must arrive completely within this time
  int idle_timeout_seconds = 60;    // keep-alive connections with no request are closed after this
  int shutdown_grace_seconds = 15;  // in-flight requests get this long to finish on SIGTERM
  int max_connections = 10000;      // further connections are closed at once
};

using AppHandler = std::function<Response(Request&)>;

class Server {
 public:
  // Binds the listening socket. kUnavailable when the address cannot be bound.
  [[nodiscard]] static Result<std::unique_ptr<Server>> Create(ServerOptions options, AppHandler handler);
  ~Server();
  // The bound port (useful when options.port was 0).
  [[nodiscard]] uint16_t port() const;
  // Serves until Stop() or SIGTERM/SIGINT, then drains in-flight requests and returns.
  void Run();
  // Begins a graceful stop: no new connections, idle ones closed, in-flight ones finished. Thread-safe.
  void Stop();
  // Requests being handled right now.
  [[nodiscard]] int64_t InFlight() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Percent-decodes `in` ('+' is kept). Answers nullopt on a malformed escape.
[[nodiscard]] std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);

}  // namespace xiaoan::http
