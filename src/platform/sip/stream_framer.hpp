// Cuts SIP messages out of a TCP byte stream (RFC 3261 §18.3): header block up to the blank line,
// then Content-Length bytes of body. CRLF keep-alive pings between messages (RFC 5626) are
// skipped. One framer per connection; not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "platform/sip/sip_message.hpp"

namespace xiaoan::sip {

class StreamFramer {
 public:
  explicit StreamFramer(size_t max_message_size = kMaxMessageSize) : max_(max_message_size) {}

  // Appends bytes read from the connection.
  void Append(std::string_view bytes) { buffer_.append(bytes); }

  // The next complete message's bytes, nullopt when more bytes are needed, or kInvalidArgument
  // when the stream cannot be framed (no or bad Content-Length, message over the limit); the
  // connection should then be closed.
  [[nodiscard]] Result<std::optional<std::string>> Next();

  // How many CRLF pings were skipped so far (a peer's keep-alive, answered by nobody).
  [[nodiscard]] int pings() const { return pings_; }
  [[nodiscard]] size_t buffered() const { return buffer_.size(); }

 private:
  size_t max_;
  std::string buffer_;
  int pings_ = 0;
};

}  // namespace xiaoan::sip
