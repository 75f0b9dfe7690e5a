// Live push over WebSocket (GET /api/v1/live), end to end: real sessions logged in over HTTP, the
// real server and pipeline in this process, events published on the App's hub as a module would.
// Also the server's WebSocket limits: slow consumers, oversized messages, shutdown.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <thread>

#include "in_process_server.hpp"
#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

const std::string kSchoolPath = "/410000/410100/410105/9410105001/";  // demo-principal's school
const std::string kJinshuiPath = "/410000/410100/410105/";            // demo-county
const std::string kLaochengPath = "/410000/410300/410302/";           // demo-county2

// A WebSocket client (Beast) with timeouts. Not thread-safe.
class WsClient {
 public:
  struct Handshake {
    std::unique_ptr<WsClient> client;  // set when the server accepted
    int status = 0;                    // the refusal's HTTP status
    std::string body;                  // and its body
  };

  // Opens ws://127.0.0.1:port/target with `headers` (Cookie, Origin, Authorization, ...).
  static Handshake Open(uint16_t port, const std::string& target,
                        const std::vector<std::pair<std::string, std::string>>& headers) {
    auto c = std::unique_ptr<WsClient>(new WsClient());
    beast::get_lowest_layer(c->ws_).connect(tcp::endpoint(net::ip::address_v4::loopback(), port));
    c->ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      for (const auto& [k, v] : headers) req.set(k, v);
    }));
    websocket::response_type res;
    beast::error_code ec;
    c->Run(
        10s,
        [&](auto done) {
          c->ws_.async_handshake(res, "127.0.0.1:" + std::to_string(port), target,
                                 [done](beast::error_code e) mutable { done(e); });
        },
        &ec);
    Handshake h;
    h.status = static_cast<int>(res.result_int());
    h.body = res.body();
    if (!ec) h.client = std::move(c);
    return h;
  }

  // The next message, or nullopt when none arrives within `wait` or the connection has closed.
  std::optional<json> Next(std::chrono::milliseconds wait = 5s) {
    if (closed_) return std::nullopt;
    if (!reading_) {
      reading_ = true;
      ws_.async_read(buffer_, [this](beast::error_code ec, size_t) {
        reading_ = false;
        read_error_ = ec;
        read_done_ = true;
      });
    }
    ioc_.restart();
    ioc_.run_for(wait);
    if (!read_done_) return std::nullopt;
    read_done_ = false;
    if (read_error_) {
      closed_ = true;
      return std::nullopt;
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    return json::parse(text);
  }

  // Reads until an event (a message with a seq and an org_path) arrives; nullopt after `wait`.
  std::optional<json> NextEvent(std::chrono::milliseconds wait = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = Next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
      if (!m) return std::nullopt;
      if (m->contains("org_path")) return m;
    }
    return std::nullopt;
  }

  // Reads until the server closes the connection; answers its close code (0 = no close frame).
  int WaitForClose(std::chrono::milliseconds wait = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (!closed_ && std::chrono::steady_clock::now() < deadline)
      (void)Next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    return closed_ ? ws_.reason().code : -1;
  }

  void SendText(const std::string& text) {
    ws_.text(true);
    beast::error_code ec;
    Run(
        5s,
        [&](auto done) {
          ws_.async_write(net::buffer(text), [done](beast::error_code e, size_t) mutable { done(e); });
        },
        &ec);
  }

  // Closes from the client side, as a browser tab does.
  void Close() {
    beast::get_lowest_layer(ws_).close();
    closed_ = true;
  }

 private:
  WsClient() = default;

  template <class Start>
  void Run(std::chrono::seconds wait, Start start, beast::error_code* ec) {
    bool done = false;
    start([&](beast::error_code e) {
      *ec = e;
      done = true;
    });
    ioc_.restart();
    ioc_.run_for(wait);
    if (!done) *ec = beast::error::timeout;
  }

  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_{ioc_};
  beast::flat_buffer buffer_;
  bool reading_ = false, read_done_ = false, closed_ = false;
  beast::error_code read_error_;
};

std::vector<std::pair<std::string, std::string>> CookieHeaders(uint16_t port, const std::string& token) {
  return {{"Cookie", "xiaoan_session=" + token}, {"Origin", "http://127.0.0.1:" + std::to_string(port)}};
}

class Live : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = InProcessServer::Start(); }
  static void TearDownTestSuite() { server_.reset(); }

  static InProcessServer& server() { return *server_; }
  static uint16_t port() { return server_->port(); }

  // A console of `username` connected with its cookie; `since` appended when given.
  static std::unique_ptr<WsClient> Console(const std::string& username, std::optional<uint64_t> since = {}) {
    const std::string target = "/api/v1/live" + (since ? "?since=" + std::to_string(*since) : "");
    auto h = WsClient::Open(port(), target, CookieHeaders(port(), server().Login(username)));
    EXPECT_TRUE(h.client) << username << ": HTTP " << h.status << " " << h.body;
    if (!h.client) return nullptr;
    auto hello = h.client->Next();
    EXPECT_TRUE(hello && (*hello)["type"] == "hello") << (hello ? hello->dump() : "no hello");
    return std::move(h.client);
  }

  static uint64_t Publish(const std::string& path, const std::string& type, int id) {
    return server().app().hub().Publish(path, type, json{{"alarm_id", id}}.dump());
  }

  static inline std::unique_ptr<InProcessServer> server_;
};

TEST_F(Live, ConsolesReceiveTheEventsOfTheirJurisdictionOnly) {
  auto county = Console("demo-county");
  auto county2 = Console("demo-county2");
  auto principal = Console("demo-principal");
  auto province = Console("demo-province");
  ASSERT_TRUE(county && county2 && principal && province);

  const uint64_t at_school = Publish(kSchoolPath, "alarm.raised", 1);
  for (auto* c : {county.get(), principal.get(), province.get()}) {
    auto e = c->NextEvent();
    ASSERT_TRUE(e);
    EXPECT_EQ((*e)["seq"], at_school);
    EXPECT_EQ((*e)["type"], "alarm.raised");
    EXPECT_EQ((*e)["org_path"], kSchoolPath);
    EXPECT_EQ((*e)["data"], json({{"alarm_id", 1}}));
    EXPECT_TRUE(ParseRfc3339((*e)["at"].get<std::string>()).has_value()) << *e;
  }
  const uint64_t in_laocheng = Publish(kLaochengPath + "9410302001/", "alarm.raised", 2);
  auto e = county2->NextEvent();
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)["seq"], in_laocheng);  // not the Jinshui school's event before it
  e = province->NextEvent();
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)["seq"], in_laocheng);
  EXPECT_FALSE(county->NextEvent(300ms)) << "a county saw its neighbour's alarm";
  EXPECT_FALSE(principal->NextEvent(300ms)) << "a school saw another county's alarm";
}

TEST_F(Live, AConsoleThatReconnectsWithItsLastSeqReceivesWhatItMissed) {
  auto county = Console("demo-county");
  ASSERT_TRUE(county);
  const uint64_t seen = Publish(kSchoolPath, "alarm.raised", 10);
  auto e = county->NextEvent();
  ASSERT_TRUE(e);
  ASSERT_EQ((*e)["seq"], seen);
  county->Close();

  const uint64_t missed1 = Publish(kSchoolPath, "alarm.escalated", 10);
  Publish(kLaochengPath, "alarm.raised", 11);  // not the county's
  const uint64_t missed2 = Publish(kJinshuiPath, "alarm.acknowledged", 10);

  auto again = Console("demo-county", seen);
  ASSERT_TRUE(again);
  auto first = again->NextEvent();
  auto second = again->NextEvent();
  ASSERT_TRUE(first && second);
  EXPECT_EQ((*first)["seq"], missed1);
  EXPECT_EQ((*first)["type"], "alarm.escalated");
  EXPECT_EQ((*second)["seq"], missed2);
  EXPECT_FALSE(again->NextEvent(300ms));
  // And live events after the catch-up.
  const uint64_t live = Publish(kSchoolPath, "alarm.closed", 10);
  e = again->NextEvent();
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)["seq"], live);
}

TEST_F(Live, ASeqThatIsNotOfThisRunIsAnsweredWithReset) {
  auto h = WsClient::Open(port(), "/api/v1/live?since=5", CookieHeaders(port(), server().Login("demo-county")));
  ASSERT_TRUE(h.client) << h.status << " " << h.body;
  auto hello = h.client->Next();
  auto reset = h.client->Next();
  ASSERT_TRUE(hello && reset);
  EXPECT_EQ((*hello)["type"], "hello");
  EXPECT_EQ((*reset)["type"], "reset");
}

TEST_F(Live, NoSessionIsRefusedWith401) {
  auto h = WsClient::Open(port(), "/api/v1/live", {{"Origin", "http://127.0.0.1:" + std::to_string(port())}});
  EXPECT_FALSE(h.client);
  EXPECT_EQ(h.status, 401) << h.body;
  auto bad = WsClient::Open(port(), "/api/v1/live", CookieHeaders(port(), "not-a-session"));
  EXPECT_FALSE(bad.client);
  EXPECT_EQ(bad.status, 401) << bad.body;
}

TEST_F(Live, ACookieFromAnotherOriginIsRefusedWith403) {
  const std::string token = server().Login("demo-county");
  auto h = WsClient::Open(port(), "/api/v1/live",
                          {{"Cookie", "xiaoan_session=" + token}, {"Origin", "https://evil.example"}});
  EXPECT_FALSE(h.client);
  EXPECT_EQ(h.status, 403) << h.body;
  EXPECT_NE(h.body.find("cross_origin"), std::string::npos) << h.body;
  auto no_origin = WsClient::Open(port(), "/api/v1/live", {{"Cookie", "xiaoan_session=" + token}});
  EXPECT_EQ(no_origin.status, 403) << no_origin.body;
  auto other_port =
      WsClient::Open(port(), "/api/v1/live", {{"Cookie", "xiaoan_session=" + token}, {"Origin", "http://127.0.0.1:1"}});
  EXPECT_EQ(other_port.status, 403) << other_port.body;
}

TEST_F(Live, ABearerTokenNeedsNoOrigin) {
  auto h = WsClient::Open(port(), "/api/v1/live", {{"Authorization", "Bearer " + server().Login("demo-city")}});
  ASSERT_TRUE(h.client) << h.status << " " << h.body;
  ASSERT_TRUE(h.client->Next());  // hello
  const uint64_t seq = Publish(kSchoolPath, "alarm.raised", 20);
  auto e = h.client->NextEvent();
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)["seq"], seq);
}

TEST_F(Live, BadRequestsAreProblems) {
  const auto headers = CookieHeaders(port(), server().Login("demo-county"));
  auto bad_since = WsClient::Open(port(), "/api/v1/live?since=abc", headers);
  EXPECT_EQ(bad_since.status, 400) << bad_since.body;
  EXPECT_NE(bad_since.body.find("since"), std::string::npos) << bad_since.body;
  auto elsewhere = WsClient::Open(port(), "/api/v1/health", headers);
  EXPECT_EQ(elsewhere.status, 404) << elsewhere.body;
  // A plain GET of the live path is told to upgrade.
  HttpConnection http(port());
  auto r = http.Send({"GET", "/api/v1/live", "", "", server().Login("demo-county"), {}});
  EXPECT_EQ(r.status, 426) << r;
  EXPECT_EQ(r.Code(), "upgrade_required");
}

TEST_F(Live, OpenSocketsAreCountedInTheMetrics) {
  auto county = Console("demo-county");
  ASSERT_TRUE(county);
  HttpConnection http(port());
  auto r = http.Send({"GET", "/metrics", "", "", "", {}});
  ASSERT_EQ(r.status, 200);
  const auto at = r.body.find("\nxiaoan_websockets_open ");
  ASSERT_NE(at, std::string::npos) << r.body;
  EXPECT_GE(std::stoi(r.body.substr(at + 24)), 1);
  EXPECT_GE(server().server().OpenWebSockets(), 1);
}

TEST_F(Live, AMessageOverTheLimitClosesTheSocketWith1009) {
  auto county = Console("demo-county");
  ASSERT_TRUE(county);
  county->SendText(std::string(5000, 'x'));
  EXPECT_EQ(county->WaitForClose(), 1009);
}

TEST_F(Live, ASlowConsumerIsDroppedWithoutHoldingUpPublishersOrOthers) {
  auto slow = Console("demo-province");  // never reads again
  auto county = Console("demo-county");
  ASSERT_TRUE(slow && county);
  const int64_t open_before = server().server().OpenWebSockets();
  const std::string big(60 * 1024, 'x');
  // 24 MB in all, more than the socket buffers and the 4 MiB queue; the county reads as they
  // come (in steps of 20), the slow console never does.
  std::chrono::steady_clock::duration longest_publish{};
  int received = 0;
  for (int i = 0; i < 400; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const uint64_t seq = server().app().hub().Publish(kSchoolPath, "alarm.raised", json{{"i", i}, {"pad", big}}.dump());
    longest_publish = std::max(longest_publish, std::chrono::steady_clock::now() - started);
    if (i % 20 != 19) continue;
    for (int k = 0; k < 20; ++k) {
      auto e = county->NextEvent(5s);
      ASSERT_TRUE(e) << "event " << i - 19 + k << " did not reach the county";
      EXPECT_EQ((*e)["data"]["i"], i - 19 + k);
      received++;
      if (k == 19) EXPECT_EQ((*e)["seq"], seq);
    }
  }
  EXPECT_EQ(received, 400);
  // A publisher held up by the slow console would wait at least until it is cut (5 s).
  EXPECT_LT(longest_publish, 2s) << "publishing waited for a slow console";
  // The slow one was dropped (closed, then cut when it did not answer).
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (server().server().OpenWebSockets() >= open_before && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(server().server().OpenWebSockets(), open_before - 1);
}

TEST(LiveSession, ASocketEndsWhenItsSessionEnds) {
  // The session is checked at every ping: once a second here.
  auto server = InProcessServer::Start([](http::ServerOptions& o) { o.ws_ping_seconds = 1; });
  const std::string token = server->Login("demo-city");
  auto h = WsClient::Open(server->port(), "/api/v1/live", CookieHeaders(server->port(), token));
  ASSERT_TRUE(h.client) << h.status;
  ASSERT_TRUE(h.client->Next());  // hello
  // Still open after a few pings (the client answers them while it reads).
  EXPECT_FALSE(h.client->Next(2500ms));
  EXPECT_EQ(server->server().OpenWebSockets(), 1);
  HttpConnection http(server->port());
  auto out = http.Send({"POST", "/api/v1/auth/logout", "", "application/json", token, {}});
  ASSERT_EQ(out.status, 204) << out;
  EXPECT_EQ(h.client->WaitForClose(5s), 4401);
}

TEST(LiveShutdown, StoppingTheServerClosesSocketsWith1001) {
  auto server = InProcessServer::Start();
  auto h = WsClient::Open(server->port(), "/api/v1/live", CookieHeaders(server->port(), server->Login("demo-county")));
  ASSERT_TRUE(h.client) << h.status;
  ASSERT_TRUE(h.client->Next());
  std::thread stopper([&] { server->Stop(); });
  EXPECT_EQ(h.client->WaitForClose(10s), 1001);
  stopper.join();
}

}  // namespace
}  // namespace xiaoan::it
