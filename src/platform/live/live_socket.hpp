// The WebSocket end of a Hub subscription, for the live endpoint (GET /api/v1/live).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "base/scope.hpp"
#include "platform/http/server.hpp"
#include "platform/live/hub.hpp"

namespace xiaoan::live {

// Close code sent when the caller's session has ended (revoked, expired, account deactivated):
// the client should not reconnect before the user has logged in again.
inline constexpr uint16_t kCloseSessionEnded = 4401;

// On open, subscribes the channel to `scope` (catching up after `since` when given); on each ping
// asks `still_allowed` whether the caller may stay and closes with kCloseSessionEnded when not;
// on close, unsubscribes. Messages from the client are ignored. `hub` must outlive the socket.
class LiveSocket : public http::WsHandler {
 public:
  LiveSocket(Hub& hub, Scope scope, std::optional<uint64_t> since, std::function<bool()> still_allowed);

  void OnOpen(std::shared_ptr<http::WsChannel> channel) override;
  void OnPing() override;
  void OnClose() override;

 private:
  Hub& hub_;
  Scope scope_;
  std::optional<uint64_t> since_;
  std::function<bool()> still_allowed_;
  std::shared_ptr<http::WsChannel> channel_;
  std::unique_ptr<Subscription> subscription_;
};

}  // namespace xiaoan::live
