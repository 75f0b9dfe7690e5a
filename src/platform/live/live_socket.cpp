#include "platform/live/live_socket.hpp"

namespace xiaoan::live {

LiveSocket::LiveSocket(Hub& hub, Scope scope, std::optional<uint64_t> since, std::function<bool()> still_allowed)
    : hub_(hub), scope_(std::move(scope)), since_(since), still_allowed_(std::move(still_allowed)) {}

void LiveSocket::OnOpen(std::shared_ptr<http::WsChannel> channel) {
  channel_ = channel;
  // A weak reference: the subscription must not keep a closed connection alive.
  std::weak_ptr<http::WsChannel> weak = channel;
  subscription_ = hub_.Subscribe(scope_, since_, [weak](const std::string& message) {
    if (auto c = weak.lock()) c->Send(message);
  });
}

void LiveSocket::OnPing() {
  if (still_allowed_ && !still_allowed_()) channel_->Close(kCloseSessionEnded, "session ended");
}

void LiveSocket::OnClose() {
  subscription_.reset();
  channel_.reset();
}

}  // namespace xiaoan::live
