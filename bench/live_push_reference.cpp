// The references of live-push-bench, without xiaoan: on 127.0.0.1, with --io-threads threads,
// - a TCP echo server (every byte read is written back): the bare loopback round trip;
// - a plain Beast WebSocket fan-out: a message read on a connection opened at /trigger is written to
//   every connection opened at /live, each with its own write queue (as xiaoan's live push
//   queues per console), no authentication, no database, no JSON.
// Prints "live_push_reference: tcp-echo <port> ws-broadcast <port>" once both listen, then runs
// until SIGTERM or SIGINT.
//
// Usage: live_push_reference [--io-threads=N]
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

class EchoSession : public std::enable_shared_from_this<EchoSession> {
 public:
  explicit EchoSession(tcp::socket s) : socket_(std::move(s)) {}
  void Start() { Read(); }

 private:
  void Read() {
    socket_.async_read_some(net::buffer(buf_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) return;
      net::async_write(self->socket_, net::buffer(self->buf_.data(), n), [self](beast::error_code e, size_t) {
        if (!e) self->Read();
      });
    });
  }
  tcp::socket socket_;
  std::array<char, 4096> buf_{};
};

class WsSession;

// The connections opened at /live. Thread-safe.
class Consoles {
 public:
  void Add(const std::shared_ptr<WsSession>& s) {
    std::lock_guard lock(mu_);
    all_.insert(s);
  }
  void Remove(const std::shared_ptr<WsSession>& s) {
    std::lock_guard lock(mu_);
    all_.erase(s);
  }
  void Broadcast(const std::shared_ptr<const std::string>& message);

 private:
  std::mutex mu_;
  std::set<std::shared_ptr<WsSession>> all_;
};

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket s, Consoles& consoles) : ws_(std::move(s)), consoles_(consoles) {}

  void Start() {
    // Read the upgrade request to learn the target, then accept it.
    beast::http::async_read(ws_.next_layer(), buffer_, request_,
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec || !websocket::is_upgrade(self->request_)) return;
                              self->trigger_ = self->request_.target() == "/trigger";
                              self->ws_.async_accept(self->request_, [self](beast::error_code e) {
                                if (e) return;
                                if (!self->trigger_) self->consoles_.Add(self);
                                self->Read();
                              });
                            });
  }

  // Queues `message`; any thread.
  void Send(std::shared_ptr<const std::string> message) {
    net::post(ws_.get_executor(), [self = shared_from_this(), message = std::move(message)] {
      self->queue_.push_back(message);
      if (self->queue_.size() == 1) self->Write();
    });
  }

 private:
  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        if (!self->trigger_) self->consoles_.Remove(self);
        return;
      }
      if (self->trigger_)
        self->consoles_.Broadcast(std::make_shared<const std::string>(beast::buffers_to_string(self->buffer_.data())));
      self->buffer_.consume(self->buffer_.size());
      self->Read();
    });
  }

  void Write() {
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return;
      self->queue_.pop_front();
      if (!self->queue_.empty()) self->Write();
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  Consoles& consoles_;
  beast::flat_buffer buffer_;
  beast::http::request<beast::http::string_body> request_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool trigger_ = false;
};

void Consoles::Broadcast(const std::shared_ptr<const std::string>& message) {
  std::vector<std::shared_ptr<WsSession>> to;
  {
    std::lock_guard lock(mu_);
    to.assign(all_.begin(), all_.end());
  }
  for (const auto& s : to) s->Send(message);
}

template <class OnSocket>
void Accept(tcp::acceptor& acceptor, net::io_context& io, OnSocket on_socket) {
  acceptor.async_accept(net::make_strand(io), [&acceptor, &io, on_socket](beast::error_code ec, tcp::socket s) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) {
      s.set_option(tcp::no_delay(true));
      on_socket(std::move(s));
    }
    Accept(acceptor, io, on_socket);
  });
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.starts_with("--io-threads=")) {
      threads = std::stoi(a.substr(13));
    } else {
      std::fprintf(stderr, "live_push_reference: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  net::io_context io(threads);
  const auto loopback = net::ip::make_address("127.0.0.1");
  tcp::acceptor echo(io, tcp::endpoint(loopback, 0));
  tcp::acceptor ws(io, tcp::endpoint(loopback, 0));
  echo.listen(net::socket_base::max_listen_connections);
  ws.listen(net::socket_base::max_listen_connections);
  Consoles consoles;
  Accept(echo, io, [](tcp::socket s) { std::make_shared<EchoSession>(std::move(s))->Start(); });
  Accept(ws, io, [&consoles](tcp::socket s) { std::make_shared<WsSession>(std::move(s), consoles)->Start(); });
  net::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](beast::error_code, int) { io.stop(); });
  std::printf("live_push_reference: tcp-echo %u ws-broadcast %u\n", echo.local_endpoint().port(),
              ws.local_endpoint().port());
  std::fflush(stdout);
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}
