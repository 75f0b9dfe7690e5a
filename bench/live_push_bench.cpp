// The client of live-push-bench (issue #5): alarm push latency to many consoles, against the bare
// loopback in the same run. One thread (Beast, asynchronous), so every figure includes the same
// client-side cost of reading --consoles messages one after the other.
//
// xiaoan (--port): --consoles WebSockets to GET /api/v1/live with `Authorization: Bearer
// <--console-token>` (demo-county: 金水区, which holds the guard's school); once each has its hello,
// --alarms POST /api/v1/alarms {"kind":"drill","description":"live-push-bench #<n>"} with
// --guard-token, one every --spacing-ms on one keep-alive connection (the next waits for the
// previous answer). Push latency: from just before the POST is written until a console has read
// the alarm.raised message carrying that description, for every (alarm, console) pair; the POST's
// own latency (answered after the durable write); and the pairs never received (missing).
// References (from live_push_reference):
// - --echo-port: --consoles TCP connections, --alarms rounds --spacing-ms apart; each round every
//   connection writes 32 bytes and times the echo: the bare loopback round trip;
// - --broadcast-port: --consoles WebSockets at /live and one at /trigger; each round the trigger
//   writes one message that the server fans out to every console: latency as for xiaoan.
// Writes a JSON object to --json.
//
// Usage: live_push_bench --port=P --console-token=T --guard-token=T [--echo-port=P]
//                        [--broadcast-port=P] [--consoles=N] [--alarms=N] [--spacing-ms=N] [--json=FILE]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <expected>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using json = nlohmann::json;
using Steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr std::string_view kMarker = "live-push-bench #";

struct Options {
  uint16_t port = 0, echo_port = 0, broadcast_port = 0;
  std::string console_token, guard_token, json;
  int consoles = 1000, alarms = 200, spacing_ms = 50;
};

double Ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

json Summary(std::vector<double> ms) {
  if (ms.empty()) return {{"n", 0}};
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    const size_t rank = static_cast<size_t>(std::max(1.0, std::ceil(q * static_cast<double>(ms.size()))));
    return ms[std::min(ms.size(), rank) - 1];
  };
  return {{"n", ms.size()}, {"p50_ms", at(0.5)}, {"p99_ms", at(0.99)}, {"max_ms", ms.back()}};
}

// Arrival times of every round's message at every console; unset = never arrived.
class Arrivals {
 public:
  Arrivals(int rounds, int consoles)
      : consoles_(consoles), sent_(static_cast<size_t>(rounds)), at_(static_cast<size_t>(rounds * consoles)) {}
  void Sent(int round, Steady::time_point t) { sent_[static_cast<size_t>(round)] = t; }
  void Arrived(int round, int console, Steady::time_point t) {
    if (round < 0 || static_cast<size_t>(round) >= sent_.size()) return;
    auto& slot = at_[static_cast<size_t>(round * consoles_ + console)];
    if (!slot) {
      slot = t;
      ++arrived_;
    }
  }
  [[nodiscard]] bool Complete() const { return arrived_ == at_.size(); }
  [[nodiscard]] int64_t Missing() const { return static_cast<int64_t>(at_.size()) - arrived_; }
  [[nodiscard]] std::vector<double> Latencies() const {
    std::vector<double> out;
    out.reserve(at_.size());
    for (size_t i = 0; i < at_.size(); ++i)
      if (at_[i]) out.push_back(Ms(*at_[i] - *sent_[i / static_cast<size_t>(consoles_)]));
    return out;
  }

 private:
  int consoles_;
  std::vector<std::optional<Steady::time_point>> sent_;
  std::vector<std::optional<Steady::time_point>> at_;
  int64_t arrived_ = 0;
};

// The round number after kMarker in a message, or -1.
int RoundIn(std::string_view text) {
  const size_t at = text.find(kMarker);
  if (at == std::string_view::npos) return -1;
  int n = 0;
  bool any = false;
  for (size_t i = at + kMarker.size(); i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    n = n * 10 + (text[i] - '0');
    any = true;
  }
  return any ? n : -1;
}

// Runs `io` until `done()` or `limit` passes; answers done().
bool RunUntil(net::io_context& io, const std::function<bool()>& done, Steady::duration limit) {
  const auto deadline = Steady::now() + limit;
  while (!done() && Steady::now() < deadline) {
    io.restart();
    io.run_for(20ms);
  }
  return done();
}

// A WebSocket console: connects, handshakes with `headers`, then reads forever, recording the
// rounds it sees (in messages containing `must_contain`).
class Console : public std::enable_shared_from_this<Console> {
 public:
  Console(net::io_context& io, int index, Arrivals& arrivals, std::string must_contain)
      : ws_(io), index_(index), arrivals_(arrivals), must_contain_(std::move(must_contain)) {}

  void Open(uint16_t port, const std::string& target, std::vector<std::pair<std::string, std::string>> headers,
            std::function<void(bool)> opened) {
    auto self = shared_from_this();
    beast::get_lowest_layer(ws_).async_connect(
        tcp::endpoint(net::ip::address_v4::loopback(), port),
        [self, port, target, headers = std::move(headers), opened = std::move(opened)](beast::error_code ec) {
          if (ec) return opened(false);
          beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true));
          self->ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
            for (const auto& [k, v] : headers) req.set(k, v);
          }));
          self->ws_.async_handshake("127.0.0.1:" + std::to_string(port), target, [self, opened](beast::error_code e) {
            opened(!e);
            if (!e) self->Read();
          });
        });
  }

  void Write(std::string text, std::function<void()> written) {
    out_ = std::move(text);
    ws_.text(true);
    ws_.async_write(net::buffer(out_), [written = std::move(written)](beast::error_code, size_t) { written(); });
  }

  [[nodiscard]] int messages() const { return messages_; }
  [[nodiscard]] bool closed() const { return closed_; }

 private:
  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      const auto now = Steady::now();
      if (ec) {
        self->closed_ = true;
        return;
      }
      ++self->messages_;
      const auto data = self->buffer_.cdata();
      const std::string_view text(static_cast<const char*>(data.data()), data.size());
      if (self->must_contain_.empty() || text.find(self->must_contain_) != std::string_view::npos)
        self->arrivals_.Arrived(RoundIn(text), self->index_, now);
      self->buffer_.consume(self->buffer_.size());
      self->Read();
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  int index_;
  Arrivals& arrivals_;
  std::string must_contain_;
  beast::flat_buffer buffer_;
  std::string out_;
  int messages_ = 0;
  bool closed_ = false;
};

// Opens `n` consoles; answers them once all have opened and each has read `first_messages`.
std::vector<std::shared_ptr<Console>> OpenConsoles(net::io_context& io, int n, Arrivals& arrivals, uint16_t port,
                                                   const std::string& target, const std::string& bearer,
                                                   int first_messages, const std::string& must_contain) {
  std::vector<std::shared_ptr<Console>> consoles;
  int opened = 0, refused = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  if (!bearer.empty()) headers.emplace_back("Authorization", "Bearer " + bearer);
  for (int i = 0; i < n; ++i) {
    consoles.push_back(std::make_shared<Console>(io, i, arrivals, must_contain));
    consoles.back()->Open(port, target, headers, [&](bool ok) { ++(ok ? opened : refused); });
  }
  const bool all = RunUntil(
      io,
      [&] {
        return refused > 0 || (opened == n && std::all_of(consoles.begin(), consoles.end(), [&](const auto& c) {
                                 return c->messages() >= first_messages;
                               }));
      },
      120s);
  if (!all || refused > 0)
    throw std::runtime_error("consoles: " + std::to_string(opened) + " of " + std::to_string(n) + " opened, " +
                             std::to_string(refused) + " refused");
  return consoles;
}

// ---- xiaoan

struct PushResult {
  json latency, post_latency;
  int64_t missing = 0, posts_failed = 0;
  std::string first_failure;
  double connect_s = 0;
};

PushResult MeasureXiaoan(const Options& o) {
  net::io_context io;
  Arrivals arrivals(o.alarms, o.consoles);
  PushResult out;
  const auto t0 = Steady::now();
  auto consoles =
      OpenConsoles(io, o.consoles, arrivals, o.port, "/api/v1/live", o.console_token, 1, "\"type\":\"alarm.raised\"");
  out.connect_s = Ms(Steady::now() - t0) / 1000;

  beast::tcp_stream http_stream(io);
  http_stream.socket().connect(tcp::endpoint(net::ip::address_v4::loopback(), o.port));
  http_stream.socket().set_option(tcp::no_delay(true));
  std::vector<double> post_ms;
  int next = 0;
  bool in_flight = false;
  http::request<http::string_body> req;
  http::response<http::string_body> res;
  beast::flat_buffer buf;
  net::steady_timer pacer(io);
  const auto start = Steady::now();
  std::function<void()> post = [&] {
    const int n = next++;
    req = {http::verb::post, "/api/v1/alarms", 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(o.port));
    req.set(http::field::authorization, "Bearer " + o.guard_token);
    req.set(http::field::content_type, "application/json");
    req.body() = json{{"kind", "drill"}, {"description", std::string(kMarker) + std::to_string(n)}}.dump();
    req.prepare_payload();
    res = {};
    in_flight = true;
    const auto sent = Steady::now();
    arrivals.Sent(n, sent);
    http::async_write(http_stream, req, [&, n, sent](beast::error_code ec, size_t) {
      if (ec) throw std::runtime_error("POST write: " + ec.message());
      http::async_read(http_stream, buf, res, [&, n, sent](beast::error_code e, size_t) {
        if (e) throw std::runtime_error("POST read: " + e.message());
        post_ms.push_back(Ms(Steady::now() - sent));
        in_flight = false;
        if (res.result_int() != 201) {
          ++out.posts_failed;
          if (out.first_failure.empty()) out.first_failure = std::to_string(res.result_int()) + " " + res.body();
        }
        (void)n;
      });
    });
  };
  std::function<void()> pace = [&] {
    if (next >= o.alarms) return;
    const auto due = start + std::chrono::milliseconds(static_cast<int64_t>(next) * o.spacing_ms);
    if (!in_flight && Steady::now() >= due) post();
    pacer.expires_at(std::max(due, Steady::now() + 1ms));
    pacer.async_wait([&](beast::error_code ec) {
      if (!ec) pace();
    });
  };
  pace();
  RunUntil(
      io, [&] { return next >= o.alarms && !in_flight; },
      std::chrono::milliseconds(static_cast<int64_t>(o.alarms) * o.spacing_ms) + 120s);
  RunUntil(
      io, [&] { return arrivals.Complete(); }, 10s);
  out.latency = Summary(arrivals.Latencies());
  out.post_latency = Summary(post_ms);
  out.missing = arrivals.Missing();
  return out;
}

// ---- references

json MeasureEcho(const Options& o) {
  net::io_context io;
  struct Conn {
    explicit Conn(net::io_context& io) : socket(io) {}
    tcp::socket socket;
    std::array<char, 32> out{}, in{};
    Steady::time_point sent;
  };
  std::vector<std::unique_ptr<Conn>> conns;
  for (int i = 0; i < o.consoles; ++i) {
    conns.push_back(std::make_unique<Conn>(io));
    conns.back()->socket.connect(tcp::endpoint(net::ip::address_v4::loopback(), o.echo_port));
    conns.back()->socket.set_option(tcp::no_delay(true));
  }
  std::vector<double> rtt;
  int64_t lost = 0;
  for (int round = 0; round < o.alarms; ++round) {
    const auto start = Steady::now();
    int echoed = 0;
    for (auto& c : conns) {
      Conn* p = c.get();
      p->sent = Steady::now();
      net::async_write(p->socket, net::buffer(p->out), [&, p](beast::error_code ec, size_t) {
        if (ec) return;
        net::async_read(p->socket, net::buffer(p->in), [&, p](beast::error_code e, size_t) {
          if (e) return;
          rtt.push_back(Ms(Steady::now() - p->sent));
          ++echoed;
        });
      });
    }
    if (!RunUntil(
            io, [&] { return echoed == o.consoles; }, 10s)) {
      lost += o.consoles - echoed;
      break;
    }
    const auto next = start + std::chrono::milliseconds(o.spacing_ms);
    if (Steady::now() < next) std::this_thread::sleep_until(next);
  }
  json j = Summary(rtt);
  j["lost"] = lost;
  return j;
}

json MeasureBroadcast(const Options& o) {
  net::io_context io;
  Arrivals arrivals(o.alarms, o.consoles);
  auto consoles = OpenConsoles(io, o.consoles, arrivals, o.broadcast_port, "/live", "", 0, "");
  Arrivals unused(0, 1);
  auto trigger = OpenConsoles(io, 1, unused, o.broadcast_port, "/trigger", "", 0, "").front();
  for (int round = 0; round < o.alarms; ++round) {
    const auto start = Steady::now();
    bool written = false;
    arrivals.Sent(round, Steady::now());
    trigger->Write(json{{"type", "alarm.raised"}, {"description", std::string(kMarker) + std::to_string(round)}}.dump(),
                   [&] { written = true; });
    RunUntil(
        io, [&] { return written; }, 10s);
    RunUntil(
        io, [&] { return Steady::now() >= start + std::chrono::milliseconds(o.spacing_ms); }, 10s);
  }
  RunUntil(
      io, [&] { return arrivals.Complete(); }, 10s);
  json j = Summary(arrivals.Latencies());
  j["missing"] = arrivals.Missing();
  return j;
}

// The options, or the exit status once CLI11 has printed --help or the parse error. Throws
// std::runtime_error for sizes out of range.
std::expected<Options, int> ParseArgs(int argc, char** argv) {
  Options o;
  CLI::App cli{"Alarm push latency to many consoles over WebSocket (started by bench/live-push-bench)"};
  cli.option_defaults()->always_capture_default();
  cli.add_option("--port", o.port, "Port of the running xiaoan (required)");
  cli.add_option("--echo-port", o.echo_port, "Port of live_push_reference's TCP echo (0 skips it)");
  cli.add_option("--broadcast-port", o.broadcast_port, "Port of live_push_reference's WebSocket fan-out (0 skips it)");
  cli.add_option("--console-token", o.console_token, "Session token of a console account (required)");
  cli.add_option("--guard-token", o.guard_token, "Session token of the guard raising alarms (required)");
  cli.add_option("--consoles", o.consoles, "WebSocket consoles connected");
  cli.add_option("--alarms", o.alarms, "Alarms raised");
  cli.add_option("--spacing-ms", o.spacing_ms, "Milliseconds between alarms");
  cli.add_option("--json", o.json, "Write the results as JSON to this file");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return std::unexpected(cli.exit(e));
  }
  if (o.port == 0 || o.console_token.empty() || o.guard_token.empty())
    throw std::runtime_error("--port, --console-token and --guard-token are required");
  if (o.consoles < 1 || o.alarms < 1 || o.spacing_ms < 0) throw std::runtime_error("sizes must be positive");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto parsed = ParseArgs(argc, argv);
    if (!parsed) return parsed.error();
    const Options& o = *parsed;
    const PushResult x = MeasureXiaoan(o);
    json out{
        {"consoles", o.consoles},
        {"alarms", o.alarms},
        {"spacing_ms", o.spacing_ms},
        {"connect_seconds", x.connect_s},
        {"xiaoan",
         {{"push", x.latency}, {"missing", x.missing}, {"post", x.post_latency}, {"posts_failed", x.posts_failed}}}};
    if (!x.first_failure.empty()) out["xiaoan"]["first_failure"] = x.first_failure;
    if (o.echo_port != 0) out["tcp_echo"] = MeasureEcho(o);
    if (o.broadcast_port != 0) out["ws_broadcast"] = MeasureBroadcast(o);
    const std::string text = out.dump();
    if (!o.json.empty()) std::ofstream(o.json) << text << "\n";
    std::printf("%s\n", text.c_str());
    return x.missing == 0 && x.posts_failed == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "live_push_bench: %s\n", e.what());
    return 1;
  }
}
