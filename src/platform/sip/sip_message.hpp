// SIP messages (RFC 3261) for the subset a GB/T 28181 platform needs: requests and responses,
// header lookup by full or compact name, the header values we read (Via, name-addr, URI, CSeq),
// and serialisation. Plain values; no I/O. Thread-compatible.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.hpp"

namespace xiaoan::sip {

// A header as it arrived, its name in canonical form ("Via" for "v" or "VIA"; unknown names as sent).
struct Header {
  std::string name;
  std::string value;
};

struct Message {
  bool is_request = true;
  std::string method;  // requests: "REGISTER", "MESSAGE", ... (case as sent)
  std::string uri;     // requests: the Request-URI
  int status = 0;      // responses: 100..699
  std::string reason;  // responses
  std::vector<Header> headers;
  std::string body;

  // The first header called `name` (any case, full or compact form), or nullptr.
  [[nodiscard]] const std::string* Find(std::string_view name) const;
  // Every value of `name`, comma-separated lists split into their elements (for Via, Contact).
  [[nodiscard]] std::vector<std::string> FindAll(std::string_view name) const;
  void Add(std::string name, std::string value);
  // Replaces every `name` header by one with `value`.
  void Set(std::string_view name, std::string value);
  void Remove(std::string_view name);
};

// Limits that keep a hostile peer from making the parser allocate without bound.
inline constexpr size_t kMaxMessageSize = 65535;
inline constexpr size_t kMaxHeaders = 128;

// Parses one complete message (a UDP datagram, or one message cut out of a TCP stream by
// StreamFramer). Accepts CRLF or bare LF line ends, header folding, compact names, and ignores
// bytes after Content-Length (RFC 3261 §18.3). Without Content-Length the body is the rest of the
// input. kInvalidArgument when the start line, a header line or the length is malformed or the
// body is shorter than Content-Length.
[[nodiscard]] Result<Message> Parse(std::string_view bytes);

// The wire form: start line, headers in order, Content-Length set to the body's size.
[[nodiscard]] std::string Serialize(const Message& m);

// Whether the request carries what every request must (Via, From, To, Call-ID, CSeq whose
// method equals the request's). Responses: Via, From, To, Call-ID, CSeq.
[[nodiscard]] bool HasMandatoryHeaders(const Message& m);

// The canonical name of a header name ("v" -> "Via", "call-id" -> "Call-ID"); unknown names as given.
[[nodiscard]] std::string CanonicalName(std::string_view name);

// ;name=value parameters, names lowercased, values unquoted; a parameter without '=' has an empty value.
using Params = std::vector<std::pair<std::string, std::string>>;
[[nodiscard]] const std::string* FindParam(const Params& params, std::string_view name);

struct Via {
  std::string transport;  // "UDP", "TCP" (upper case)
  std::string host;
  uint16_t port = 0;  // 0 when absent
  Params params;      // branch, rport, received, ...
  [[nodiscard]] std::string Branch() const;
};
[[nodiscard]] std::optional<Via> ParseVia(std::string_view value);
[[nodiscard]] std::string FormatVia(const Via& via);

struct Uri {
  std::string scheme;  // "sip" or "sips"
  std::string user;
  std::string host;
  uint16_t port = 0;
};
[[nodiscard]] std::optional<Uri> ParseUri(std::string_view text);

// From, To, Contact: `"name" <uri>;params` or `uri;params`.
struct NameAddr {
  std::string display;
  std::string uri;  // as written, without the angle brackets
  Params params;    // header parameters (tag, expires, ...)
};
[[nodiscard]] std::optional<NameAddr> ParseNameAddr(std::string_view value);

struct CSeq {
  uint32_t number = 0;
  std::string method;
};
[[nodiscard]] std::optional<CSeq> ParseCSeq(std::string_view value);

// Splits a header value at commas outside quotes and angle brackets, each element trimmed.
[[nodiscard]] std::vector<std::string> SplitList(std::string_view value);
[[nodiscard]] bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace xiaoan::sip
