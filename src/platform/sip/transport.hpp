// SIP over UDP and TCP on one port (Boost.Asio, kept out of this header): datagrams are handed
// over whole, TCP streams are cut into messages by StreamFramer. Runs one I/O thread; every
// handler is called on it, so handlers need no locks among themselves.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "platform/sip/peer.hpp"

namespace xiaoan::sip {

struct TransportOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 5060;  // 0 = any free port; TCP then binds the port UDP got
  bool udp = true, tcp = true;
  int max_connections = 4096;           // further TCP connections are closed at once
  int tcp_idle_timeout_seconds = 600;   // a connection silent this long is closed (no keepalive in 10 min)
  std::chrono::milliseconds tick{100};  // period of the on_tick handler
};

struct TransportHandlers {
  // One message's bytes (not yet parsed) and where they came from.
  std::function<void(std::string_view bytes, const Peer& from)> on_message;
  // A TCP stream that could not be framed (the connection is closed afterwards).
  std::function<void(const Peer& from)> on_stream_error;
  // A TCP connection ended (closed by the peer, an error, idle timeout or a framing error).
  std::function<void(const Peer& peer)> on_connection_closed;
  // Called every `tick` with the steady time.
  std::function<void(std::chrono::steady_clock::time_point now)> on_tick;
};

class Transport {
 public:
  // Binds the sockets and starts the I/O thread. kUnavailable when a socket cannot be bound.
  [[nodiscard]] static Result<std::unique_ptr<Transport>> Start(TransportOptions options, TransportHandlers handlers);
  ~Transport();  // Stop()

  [[nodiscard]] uint16_t udp_port() const;
  [[nodiscard]] uint16_t tcp_port() const;

  // Sends `bytes` to `to`: a datagram from the UDP socket, or on the TCP connection `to.connection`
  // (dropped when that connection is gone). Thread-safe; the send happens on the I/O thread.
  void Send(const Peer& to, std::string bytes);
  // Runs `fn` on the I/O thread. Thread-safe.
  void Post(std::function<void()> fn);
  // The local address a message to `to` leaves from (for Via and Contact), never 0.0.0.0.
  // Call on the I/O thread.
  [[nodiscard]] std::string LocalAddressFor(const Peer& to) const;
  // Closes the sockets and joins the I/O thread. Idempotent; not from a handler.
  void Stop();

  struct Impl;

 private:
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace xiaoan::sip
