#include "platform/sip/stream_framer.hpp"

#include <charconv>

namespace xiaoan::sip {

namespace {

// The value of the Content-Length (or compact "l") header within a header block, or nullopt.
std::optional<std::optional<size_t>> ContentLength(std::string_view head) {
  std::optional<size_t> found;
  size_t pos = 0;
  while (pos < head.size()) {
    size_t nl = head.find('\n', pos);
    if (nl == std::string_view::npos) nl = head.size();
    std::string_view line = head.substr(pos, nl - pos);
    pos = nl + 1;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || line.empty() || line.front() == ' ' || line.front() == '\t') continue;
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    if (!EqualsIgnoreCase(name, "Content-Length") && !EqualsIgnoreCase(name, "l")) continue;
    std::string_view v = line.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
    size_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || v.empty()) return std::nullopt;
    found = n;
  }
  return found;
}

}  // namespace

Result<std::optional<std::string>> StreamFramer::Next() {
  size_t skip = 0;
  while (skip < buffer_.size() && (buffer_[skip] == '\r' || buffer_[skip] == '\n')) {
    if (buffer_[skip] == '\n') ++pings_;
    ++skip;
  }
  buffer_.erase(0, skip);
  if (buffer_.empty()) return std::optional<std::string>();

  // The header block ends at the first empty line (CRLF CRLF, or bare LF LF).
  size_t end = std::string::npos, body_start = 0;
  for (size_t i = 0; i + 1 < buffer_.size(); ++i) {
    if (buffer_[i] != '\n') continue;
    if (buffer_[i + 1] == '\n') {
      end = i + 1;
      body_start = i + 2;
      break;
    }
    if (buffer_[i + 1] == '\r' && i + 2 < buffer_.size() && buffer_[i + 2] == '\n') {
      end = i + 1;
      body_start = i + 3;
      break;
    }
  }
  if (end == std::string::npos) {
    if (buffer_.size() > max_) return Fail(Error::Invalid("sip", "header block over the size limit"));
    return std::optional<std::string>();
  }
  auto length = ContentLength(std::string_view(buffer_).substr(0, end));
  if (!length) return Fail(Error::Invalid("sip", "bad Content-Length"));
  if (!*length) return Fail(Error::Invalid("sip", "a message on a stream needs Content-Length"));
  if (body_start + **length > max_) return Fail(Error::Invalid("sip", "message over the size limit"));
  if (buffer_.size() < body_start + **length) return std::optional<std::string>();
  std::string message = buffer_.substr(0, body_start + **length);
  buffer_.erase(0, body_start + **length);
  return std::optional<std::string>(std::move(message));
}

}  // namespace xiaoan::sip
