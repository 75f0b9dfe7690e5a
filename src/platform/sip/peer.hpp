// Where a SIP message came from or goes to.
#pragma once

#include <cstdint>
#include <string>

namespace xiaoan::sip {

enum class TransportKind { kUdp, kTcp };

struct Peer {
  TransportKind transport = TransportKind::kUdp;
  std::string address;  // numeric IPv4 or IPv6 address of the remote end
  uint16_t port = 0;
  uint64_t connection = 0;  // TCP: the connection it arrived on (0 for UDP)

  [[nodiscard]] bool reliable() const { return transport == TransportKind::kTcp; }
  [[nodiscard]] const char* transport_name() const { return transport == TransportKind::kTcp ? "tcp" : "udp"; }
};

}  // namespace xiaoan::sip
