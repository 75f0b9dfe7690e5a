#include "platform/sip/sip_message.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace xiaoan::sip {

namespace {

struct Known {
  std::string_view lower, canonical, compact;
};
// RFC 3261 §7.3.3 compact forms, plus the headers we read or write.
constexpr std::array<Known, 24> kKnown{{
    {"via", "Via", "v"},
    {"from", "From", "f"},
    {"to", "To", "t"},
    {"call-id", "Call-ID", "i"},
    {"contact", "Contact", "m"},
    {"content-length", "Content-Length", "l"},
    {"content-type", "Content-Type", "c"},
    {"supported", "Supported", "k"},
    {"subject", "Subject", "s"},
    {"content-encoding", "Content-Encoding", "e"},
    {"event", "Event", "o"},
    {"refer-to", "Refer-To", "r"},
    {"allow-events", "Allow-Events", "u"},
    {"cseq", "CSeq", ""},
    {"max-forwards", "Max-Forwards", ""},
    {"expires", "Expires", ""},
    {"authorization", "Authorization", ""},
    {"www-authenticate", "WWW-Authenticate", ""},
    {"user-agent", "User-Agent", ""},
    {"date", "Date", ""},
    {"route", "Route", ""},
    {"record-route", "Record-Route", ""},
    {"allow", "Allow", ""},
    {"min-expires", "Min-Expires", ""},
}};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar); }

template <class T>
std::optional<T> ToNumber(std::string_view s) {
  s = Trim(s);
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

Error Bad(std::string message) { return Error::Invalid("sip", std::move(message)); }

// Next line (without its CRLF or LF) from `rest`; false at the end of input.
bool NextLine(std::string_view& rest, std::string_view& line) {
  if (rest.empty()) return false;
  const size_t nl = rest.find('\n');
  if (nl == std::string_view::npos) {
    line = rest;
    rest = {};
  } else {
    line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

Params ParseParams(std::string_view s) {
  Params out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ';' || s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    size_t j = i;
    bool quoted = false;
    while (j < s.size() && (quoted || s[j] != ';')) {
      if (s[j] == '"') quoted = !quoted;
      ++j;
    }
    std::string_view p = Trim(s.substr(i, j - i));
    const size_t eq = p.find('=');
    std::string name = ToLower(Trim(p.substr(0, eq)));
    std::string value;
    if (eq != std::string_view::npos) {
      std::string_view v = Trim(p.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      value = std::string(v);
    }
    if (!name.empty()) out.emplace_back(std::move(name), std::move(value));
    i = j;
  }
  return out;
}

// A host name, IPv4 address or [IPv6] reference (RFC 3261 §25.1 hostport, loosely).
bool ValidHost(std::string_view h) {
  if (h.empty()) return false;
  if (h.front() == '[')
    return h.size() > 2 && h.back() == ']' && std::all_of(h.begin() + 1, h.end() - 1, [](char c) {
             return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
           });
  return std::all_of(h.begin(), h.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_';
  });
}

// host[:port], host possibly an [IPv6] reference.
bool ParseHostPort(std::string_view s, std::string& host, uint16_t& port) {
  s = Trim(s);
  port = 0;
  if (s.empty()) return false;
  if (s.front() == '[') {
    const size_t close = s.find(']');
    if (close == std::string_view::npos) return false;
    host = std::string(s.substr(0, close + 1));
    s.remove_prefix(close + 1);
    if (s.empty()) return ValidHost(host);
    if (s.front() != ':') return false;
    s.remove_prefix(1);
  } else {
    const size_t colon = s.rfind(':');
    host = std::string(s.substr(0, colon));
    if (colon == std::string_view::npos) return ValidHost(host);
    s.remove_prefix(colon + 1);
  }
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  auto p = ToNumber<uint16_t>(s);
  if (!p || *p == 0) return false;
  port = *p;
  return ValidHost(host);
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

std::string CanonicalName(std::string_view name) {
  const std::string lower = ToLower(name);
  for (const auto& k : kKnown)
    if (lower == k.lower || (!k.compact.empty() && lower == k.compact)) return std::string(k.canonical);
  return std::string(name);
}

const std::string* Message::Find(std::string_view name) const {
  const std::string canonical = CanonicalName(name);
  for (const auto& h : headers)
    if (EqualsIgnoreCase(h.name, canonical)) return &h.value;
  return nullptr;
}

std::vector<std::string> Message::FindAll(std::string_view name) const {
  const std::string canonical = CanonicalName(name);
  std::vector<std::string> out;
  for (const auto& h : headers)
    if (EqualsIgnoreCase(h.name, canonical))
      for (auto& element : SplitList(h.value)) out.push_back(std::move(element));
  return out;
}

void Message::Add(std::string name, std::string value) { headers.push_back({std::move(name), std::move(value)}); }

void Message::Set(std::string_view name, std::string value) {
  Remove(name);
  headers.push_back({CanonicalName(name), std::move(value)});
}

void Message::Remove(std::string_view name) {
  const std::string canonical = CanonicalName(name);
  std::erase_if(headers, [&](const Header& h) { return EqualsIgnoreCase(h.name, canonical); });
}

std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> out;
  bool quoted = false;
  int angle = 0;
  size_t start = 0;
  for (size_t i = 0; i <= value.size(); ++i) {
    const bool end = i == value.size();
    const char c = end ? ',' : value[i];
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '<') ++angle;
    if (!quoted && c == '>' && angle > 0) --angle;
    if (end || (c == ',' && !quoted && angle == 0)) {
      std::string_view element = Trim(value.substr(start, i - start));
      if (!element.empty()) out.emplace_back(element);
      start = i + 1;
    }
  }
  return out;
}

Result<Message> Parse(std::string_view bytes) {
  if (bytes.size() > kMaxMessageSize) return Fail(Bad("message too large"));
  // Keep-alive CRLFs may precede a message (RFC 5626 §3.5.1).
  while (!bytes.empty() && (bytes.front() == '\r' || bytes.front() == '\n')) bytes.remove_prefix(1);
  std::string_view rest = bytes;
  std::string_view line;
  if (!NextLine(rest, line) || line.empty()) return Fail(Bad("empty message"));

  Message m;
  if (line.starts_with("SIP/2.0 ")) {
    m.is_request = false;
    std::string_view tail = line.substr(8);
    const size_t sp = tail.find(' ');
    auto code = ToNumber<int>(tail.substr(0, sp));
    if (!code || *code < 100 || *code > 699) return Fail(Bad("bad status code"));
    m.status = *code;
    m.reason = sp == std::string_view::npos ? std::string() : std::string(Trim(tail.substr(sp + 1)));
  } else {
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos) return Fail(Bad("bad request line"));
    const std::string_view method = line.substr(0, sp1);
    const std::string_view uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (!IsToken(method) || uri.empty() || line.substr(sp2 + 1) != "SIP/2.0") return Fail(Bad("bad request line"));
    m.method = std::string(method);
    m.uri = std::string(uri);
  }

  bool ended = false;
  while (NextLine(rest, line)) {
    if (line.empty()) {
      ended = true;
      break;
    }
    if (line.front() == ' ' || line.front() == '\t') {  // folded continuation (RFC 3261 §7.3.1)
      if (m.headers.empty()) return Fail(Bad("continuation before any header"));
      m.headers.back().value += ' ';
      m.headers.back().value += Trim(line);
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Fail(Bad("header line without a colon"));
    const std::string_view name = Trim(line.substr(0, colon));
    if (!IsToken(name)) return Fail(Bad("bad header name"));
    if (m.headers.size() >= kMaxHeaders) return Fail(Bad("too many headers"));
    m.headers.push_back({CanonicalName(name), std::string(Trim(line.substr(colon + 1)))});
  }
  if (!ended) {
    // A datagram may end right after the last header without the blank line; accept it without body.
    rest = {};
  }
  if (const std::string* cl = m.Find("Content-Length")) {
    auto n = ToNumber<size_t>(*cl);
    if (!n) return Fail(Bad("bad Content-Length"));
    if (*n > rest.size()) return Fail(Bad("body shorter than Content-Length"));
    m.body = std::string(rest.substr(0, *n));
  } else {
    m.body = std::string(rest);
  }
  return m;
}

std::string Serialize(const Message& m) {
  std::string out;
  out.reserve(256 + m.body.size());
  if (m.is_request) {
    out += m.method + ' ' + m.uri + " SIP/2.0\r\n";
  } else {
    out += "SIP/2.0 " + std::to_string(m.status) + ' ' + m.reason + "\r\n";
  }
  for (const auto& h : m.headers) {
    if (EqualsIgnoreCase(h.name, "Content-Length")) continue;
    out += h.name + ": " + h.value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(m.body.size()) + "\r\n\r\n";
  out += m.body;
  return out;
}

bool HasMandatoryHeaders(const Message& m) {
  for (std::string_view h : {"Via", "From", "To", "Call-ID", "CSeq"})
    if (m.Find(h) == nullptr) return false;
  auto cseq = ParseCSeq(*m.Find("CSeq"));
  if (!cseq) return false;
  if (m.is_request && m.method != "ACK" && m.method != "CANCEL" && cseq->method != m.method) return false;
  return ParseVia(m.FindAll("Via").empty() ? std::string() : m.FindAll("Via").front()).has_value();
}

const std::string* FindParam(const Params& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (EqualsIgnoreCase(k, name)) return &v;
  return nullptr;
}

std::string Via::Branch() const {
  const std::string* b = FindParam(params, "branch");
  return b ? *b : std::string();
}

std::optional<Via> ParseVia(std::string_view value) {
  // SIP/2.0/UDP host:port;params
  value = Trim(value);
  const size_t slash2 = value.find('/', value.find('/') + 1);
  if (value.find('/') == std::string_view::npos || slash2 == std::string_view::npos) return std::nullopt;
  if (!EqualsIgnoreCase(Trim(value.substr(0, value.find('/'))), "SIP")) return std::nullopt;
  std::string_view rest = value.substr(slash2 + 1);
  size_t i = 0;
  while (i < rest.size() && rest[i] != ' ' && rest[i] != '\t') ++i;
  Via via;
  via.transport = std::string(rest.substr(0, i));
  for (char& c : via.transport) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  if (!IsToken(via.transport)) return std::nullopt;
  rest = Trim(rest.substr(i));
  const size_t semi = rest.find(';');
  if (!ParseHostPort(rest.substr(0, semi), via.host, via.port)) return std::nullopt;
  if (semi != std::string_view::npos) via.params = ParseParams(rest.substr(semi + 1));
  // Via parameters are tokens or addresses (RFC 3261 §20.42); anything else would not format back.
  for (const auto& [k, v] : via.params)
    if (!IsToken(k) ||
        !std::all_of(v.begin(), v.end(), [](char c) { return IsTokenChar(c) || c == ':' || c == '[' || c == ']'; }))
      return std::nullopt;
  return via;
}

std::string FormatVia(const Via& via) {
  std::string out = "SIP/2.0/" + via.transport + ' ' + via.host;
  if (via.port != 0) out += ':' + std::to_string(via.port);
  for (const auto& [k, v] : via.params) {
    out += ';' + k;
    if (!v.empty()) out += '=' + v;
  }
  return out;
}

std::optional<Uri> ParseUri(std::string_view text) {
  text = Trim(text);
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  Uri uri;
  uri.scheme = ToLower(text.substr(0, colon));
  if (uri.scheme != "sip" && uri.scheme != "sips") return std::nullopt;
  std::string_view rest = text.substr(colon + 1);
  rest = rest.substr(0, std::min(rest.find(';'), rest.find('?')));
  const size_t at = rest.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view user = rest.substr(0, at);
    user = user.substr(0, user.find(':'));  // user:password
    uri.user = std::string(user);
    rest.remove_prefix(at + 1);
  }
  if (!ParseHostPort(rest, uri.host, uri.port)) return std::nullopt;
  return uri;
}

std::optional<NameAddr> ParseNameAddr(std::string_view value) {
  value = Trim(value);
  NameAddr out;
  const size_t lt = [&] {
    bool quoted = false;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '"') quoted = !quoted;
      if (!quoted && value[i] == '<') return i;
    }
    return std::string_view::npos;
  }();
  std::string_view params;
  if (lt != std::string_view::npos) {
    const size_t gt = value.find('>', lt);
    if (gt == std::string_view::npos) return std::nullopt;
    std::string_view display = Trim(value.substr(0, lt));
    if (display.size() >= 2 && display.front() == '"' && display.back() == '"')
      display = display.substr(1, display.size() - 2);
    out.display = std::string(display);
    out.uri = std::string(Trim(value.substr(lt + 1, gt - lt - 1)));
    params = value.substr(gt + 1);
  } else {
    // Without brackets, parameters after the URI belong to the header (RFC 3261 §20.10).
    const size_t semi = value.find(';');
    out.uri = std::string(Trim(value.substr(0, semi)));
    if (semi != std::string_view::npos) params = value.substr(semi);
  }
  if (out.uri.empty()) return std::nullopt;
  out.params = ParseParams(params);
  return out;
}

std::optional<CSeq> ParseCSeq(std::string_view value) {
  value = Trim(value);
  const size_t sp = value.find_first_of(" \t");
  if (sp == std::string_view::npos) return std::nullopt;
  auto n = ToNumber<uint32_t>(value.substr(0, sp));
  const std::string_view method = Trim(value.substr(sp + 1));
  if (!n || !IsToken(method)) return std::nullopt;
  return CSeq{*n, std::string(method)};
}

}  // namespace xiaoan::sip
