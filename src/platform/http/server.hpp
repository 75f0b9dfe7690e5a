// The HTTP/1.1 server (Boost.Beast): keep-alive, size limits, read timeouts, graceful shutdown,
// and WebSocket upgrades handed to the application. GET and HEAD are answered on the I/O threads;
// other methods run on a worker pool because they wait for the group-commit writer, unless the
// application answers them asynchronously (ServerOptions::async_handler). Beast never appears in
// this header.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/error.hpp"
#include "platform/http/message.hpp"

namespace xiaoan::http {

// One open WebSocket, as its handler sees it. Thread-safe; hold it as long as needed.
class WsChannel {
 public:
  virtual ~WsChannel() = default;
  // Queues a text message and returns at once: never waits for the peer. Answers false (and
  // drops the message) once the connection is closing or closed. A peer that lets more than
  // ServerOptions::ws_queue_messages messages or ws_queue_bytes bytes pile up is a slow consumer:
  // its queue is dropped and it is closed with 1013 (try again later).
  virtual bool Send(std::string text) = 0;
  // Begins the closing handshake with `code` (RFC 6455 section 7.4) and `reason` (at most 123
  // bytes); messages not yet written are dropped. A peer that does not answer within a few
  // seconds is disconnected. Safe to call more than once; the first call wins.
  virtual void Close(uint16_t code, std::string reason) = 0;
};

// What the application does with one WebSocket. The server calls these one at a time (never
// concurrently) on its I/O threads, so they must not wait long: a database read is acceptable,
// as for a GET handler; waiting on a write is not.
class WsHandler {
 public:
  virtual ~WsHandler() = default;
  // The opening handshake is done. `channel` is this connection's.
  virtual void OnOpen(std::shared_ptr<WsChannel> channel) = 0;
  // A text message from the peer (binary messages are ignored; messages over
  // ServerOptions::ws_message_limit close the connection with 1009).
  virtual void OnMessage(std::string text) {}
  // Every ws_ping_seconds while open, right after the server sent its ping: the place to check
  // that the peer may stay (and Close the channel if not).
  virtual void OnPing() {}
  // Once, after the connection ended however it ended; only when OnOpen was called.
  virtual void OnClose() {}
};

// The application's answer to a WebSocket upgrade request: a handler to accept it, or a response
// (401, 403, 404 problem+json, ...) that refuses it and ends the connection.
struct UpgradeDecision {
  std::shared_ptr<WsHandler> handler;
  Response refusal;

  [[nodiscard]] static UpgradeDecision Accept(std::shared_ptr<WsHandler> handler) { return {std::move(handler), {}}; }
  [[nodiscard]] static UpgradeDecision Refuse(Response response) { return {nullptr, std::move(response)}; }
};

using UpgradeHandler = std::function<UpgradeDecision(Request&)>;

// An application handler that answers later, through its Reply: the server starts it on an I/O
// thread, so it may read the database but must not wait for a write (it hands the write to
// db::Database::WriteAsync and replies from its callback).
using AsyncAppHandler = std::function<void(std::shared_ptr<Request>, Reply)>;

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
  // WebSocket: a GET with a valid `Upgrade: websocket` goes to on_upgrade (when unset, it is
  // answered as a plain request). Open WebSockets count as connections.
  UpgradeHandler on_upgrade;
  // Requests other than GET and HEAD for which `starts_async` answers true go to `async_handler`
  // on the I/O thread instead of to a worker (which would wait for the writer). Both or neither.
  std::function<bool(const Request&)> starts_async;
  AsyncAppHandler async_handler;
  size_t ws_message_limit = 4 * 1024;  // bytes in one message from the peer
  size_t ws_queue_messages = 1000;     // outbound messages queued per connection before it is closed
  size_t ws_queue_bytes = 4 << 20;     // outbound bytes queued per connection before it is closed
  int ws_ping_seconds = 30;            // ping interval; a peer silent for a whole interval is dropped
  int ws_close_seconds = 5;            // how long a closing handshake may take before the socket is cut
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
  // Begins a graceful stop: no new connections, idle ones closed, in-flight ones finished,
  // WebSockets closed with 1001 (going away). Thread-safe.
  void Stop();
  // Queues `fn` to run on one of the I/O threads (while Run runs). Thread-safe.
  void Post(std::move_only_function<void()> fn);
  // Requests being handled right now.
  [[nodiscard]] int64_t InFlight() const;
  // WebSockets open right now (handshake done, not yet closed). Thread-safe.
  [[nodiscard]] int64_t OpenWebSockets() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Percent-decodes `in` ('+' is kept). Answers nullopt on a malformed escape.
[[nodiscard]] std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);

}  // namespace xiaoan::http
