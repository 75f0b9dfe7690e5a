// Fuzz target: HTTP/1.1 requests as the server reads them. The input is the bytes a client sends
// on one connection. They are fed in pieces to Beast's request_parser<string_body> with the
// server's limits (body 2 MiB, header 16 KiB), message after message while the client keeps the
// connection alive, as Session::Read/OnRead do; each complete request is turned into an
// http::Request the way server.cpp's ToRequest does (path and query percent-decoded) and its
// cookies and headers are read as the pipeline reads them. Rejected input gets the problem+json
// answer the server would send.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "platform/http/beast_request.hpp"
#include "platform/http/message.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/server.hpp"

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using xiaoan::http::PercentDecode;
using xiaoan::http::Request;

constexpr size_t kBodyLimit = size_t{2048} * 1024;  // app Config::body_limit_kb = 2048
constexpr uint32_t kHeaderLimit = 16 * 1024;        // app Config::header_limit_kb = 16
constexpr int kMaxMessages = 8;

void Require(bool ok) {
  if (!ok) std::abort();
}

// percent-encodes every byte, so that decoding must give the bytes back.
std::string PercentEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    out.push_back('%');
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::optional<std::string> CheckedDecode(std::string_view in, bool plus_is_space) {
  auto out = PercentDecode(in, plus_is_space);
  if (out) {
    Require(out->size() <= in.size());
    auto again = PercentDecode(PercentEncode(*out), false);
    Require(again && *again == *out);
  }
  return out;
}

void Use(const Request& req) {
  Require(req.body.size() <= kBodyLimit);
  (void)req.Cookie("xiaoan_session");
  (void)req.Cookie("xiaoan_csrf");
  (void)req.Cookie("");
  (void)req.Header("content-type");
  (void)req.Header("x-csrf-token");
  (void)req.Header("idempotency-key");
  for (const auto& [key, value] : req.query) (void)CheckedDecode(value, true);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  // A socket hands the parser what has arrived so far; vary the piece size with the input.
  const size_t piece = 1 + size % 61;
  for (int message = 0; message < kMaxMessages && !rest.empty(); ++message) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(kBodyLimit);
    parser.header_limit(kHeaderLimit);
    beast::error_code ec;
    size_t received = std::min(piece, rest.size());  // bytes "arrived" and not yet consumed
    // Every turn consumes bytes or lets more arrive; the bound only catches a parser that does neither.
    for (size_t turn = 0; !parser.is_done(); ++turn) {
      Require(turn <= 4 * size + 16);
      const size_t used = parser.put(boost::asio::buffer(rest.data(), received), ec);
      rest.remove_prefix(used);
      received -= used;
      if (ec == bhttp::error::need_more) {
        ec = {};
        if (received == rest.size()) {  // the client closed the connection
          parser.put_eof(ec);
          break;
        }
        received = std::min(rest.size(), received + piece);
        continue;
      }
      if (ec) break;
      if (used == 0 && received == 0) {
        if (rest.empty()) {
          parser.put_eof(ec);
          break;
        }
        received = std::min(rest.size(), piece);
      }
    }
    if (ec || !parser.is_done()) {
      // What OnRead answers: 413, 431 or 400, then the connection closes.
      xiaoan::Error err = xiaoan::Error::Invalid("request", "The HTTP request is malformed.");
      if (ec == bhttp::error::body_limit) err.code = xiaoan::ErrorCode::kPayloadTooLarge;
      (void)xiaoan::http::Problem(err);
      return 0;
    }
    const bool keep_alive = parser.get().keep_alive();
    Use(xiaoan::http::ToRequest(parser.release(), "127.0.0.1"));
    if (!keep_alive) break;
  }
  return 0;
}
