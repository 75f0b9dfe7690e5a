#include "platform/sip/transport.hpp"

#include <array>
#include <boost/asio.hpp>
#include <deque>
#include <map>
#include <thread>

#include "base/thread_name.hpp"
#include "platform/sip/sip_message.hpp"
#include "platform/sip/stream_framer.hpp"

namespace xiaoan::sip {

namespace net = boost::asio;
using udp = net::ip::udp;
using tcp = net::ip::tcp;

namespace {

class Connection;

}  // namespace

struct Transport::Impl {
  TransportOptions options;
  TransportHandlers handlers;
  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> work{ioc.get_executor()};
  std::optional<udp::socket> udp_socket;
  std::optional<tcp::acceptor> acceptor;
  net::steady_timer ticker{ioc};
  std::array<char, 65536> datagram{};
  udp::endpoint datagram_from;
  std::map<uint64_t, std::shared_ptr<Connection>> connections;
  uint64_t next_connection = 1;
  uint16_t udp_port = 0, tcp_port = 0;
  std::thread thread;
  bool stopped = false;

  void ReadDatagram();
  void Accept();
  void Tick();
  void Close(uint64_t id);
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Transport::Impl& owner, tcp::socket socket, uint64_t id)
      : owner_(owner), socket_(std::move(socket)), idle_(socket_.get_executor()) {
    boost::system::error_code ec;
    auto remote = socket_.remote_endpoint(ec);
    peer_.transport = TransportKind::kTcp;
    peer_.address = ec ? std::string() : remote.address().to_string();
    peer_.port = ec ? 0 : remote.port();
    peer_.connection = id;
  }

  void Begin() {
    Arm();
    Read();
  }
  const Peer& peer() const { return peer_; }
  tcp::socket& socket() { return socket_; }

  void Send(std::string bytes) {
    queue_.push_back(std::move(bytes));
    if (queue_.size() == 1) Write();
  }

  void Shut() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    idle_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

 private:
  void Arm() {
    idle_.expires_after(std::chrono::seconds(owner_.options.tcp_idle_timeout_seconds));
    idle_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->owner_.Close(self->peer_.connection);
    });
  }

  void Read() {
    socket_.async_read_some(net::buffer(buf_), [self = shared_from_this()](boost::system::error_code ec, size_t n) {
      if (ec) {
        self->owner_.Close(self->peer_.connection);
        return;
      }
      self->Arm();
      self->framer_.Append(std::string_view(self->buf_.data(), n));
      for (;;) {
        auto next = self->framer_.Next();
        if (!next) {
          if (self->owner_.handlers.on_stream_error) self->owner_.handlers.on_stream_error(self->peer_);
          self->owner_.Close(self->peer_.connection);
          return;
        }
        if (!*next) break;
        if (self->owner_.handlers.on_message) self->owner_.handlers.on_message(**next, self->peer_);
        if (self->closed_) return;
      }
      self->Read();
    });
  }

  void Write() {
    net::async_write(socket_, net::buffer(queue_.front()),
                     [self = shared_from_this()](boost::system::error_code ec, size_t) {
                       if (ec) {
                         self->owner_.Close(self->peer_.connection);
                         return;
                       }
                       self->queue_.pop_front();
                       if (!self->queue_.empty()) self->Write();
                     });
  }

  Transport::Impl& owner_;
  tcp::socket socket_;
  net::steady_timer idle_;
  Peer peer_;
  StreamFramer framer_;
  std::array<char, 16384> buf_{};
  std::deque<std::string> queue_;
  bool closed_ = false;
};

}  // namespace

void Transport::Impl::ReadDatagram() {
  udp_socket->async_receive_from(net::buffer(datagram), datagram_from, [this](boost::system::error_code ec, size_t n) {
    if (ec == net::error::operation_aborted || stopped) return;
    if (!ec && handlers.on_message) {
      Peer from;
      from.transport = TransportKind::kUdp;
      from.address = datagram_from.address().to_string();
      from.port = datagram_from.port();
      handlers.on_message(std::string_view(datagram.data(), n), from);
    }
    ReadDatagram();
  });
}

void Transport::Impl::Accept() {
  acceptor->async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || stopped) return;
    if (!ec) {
      if (static_cast<int>(connections.size()) >= options.max_connections) {
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        const uint64_t id = next_connection++;
        auto c = std::make_shared<Connection>(*this, std::move(socket), id);
        connections[id] = c;
        c->Begin();
      }
    }
    Accept();
  });
}

void Transport::Impl::Tick() {
  ticker.expires_after(options.tick);
  ticker.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped) return;
    if (handlers.on_tick) handlers.on_tick(std::chrono::steady_clock::now());
    Tick();
  });
}

void Transport::Impl::Close(uint64_t id) {
  auto it = connections.find(id);
  if (it == connections.end()) return;
  auto c = it->second;
  connections.erase(it);
  c->Shut();
  if (handlers.on_connection_closed) handlers.on_connection_closed(c->peer());
}

Result<std::unique_ptr<Transport>> Transport::Start(TransportOptions options, TransportHandlers handlers) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->handlers = std::move(handlers);
  boost::system::error_code ec;
  const auto address = net::ip::make_address(impl->options.address, ec);
  if (ec) return Fail(Error::Invalid("address", "not an IP address: " + impl->options.address));
  // With port 0 the UDP socket picks a port and TCP takes the same one; that TCP port may be
  // taken already, so pick again a few times.
  const int attempts = impl->options.port == 0 && impl->options.udp && impl->options.tcp ? 20 : 1;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    ec.clear();
    uint16_t port = impl->options.port;
    impl->udp_socket.reset();
    impl->acceptor.reset();
    if (impl->options.udp) {
      impl->udp_socket.emplace(impl->ioc);
      impl->udp_socket->open(address.is_v6() ? udp::v6() : udp::v4(), ec);
      if (!ec) impl->udp_socket->bind(udp::endpoint(address, port), ec);
      if (ec)
        return Fail(Error::Unavailable("cannot bind SIP UDP " + impl->options.address + ":" + std::to_string(port) +
                                       ": " + ec.message()));
      impl->udp_socket->set_option(net::socket_base::receive_buffer_size(1 << 20), ec);
      impl->udp_port = impl->udp_socket->local_endpoint().port();
      port = impl->udp_port;
    }
    if (impl->options.tcp) {
      impl->acceptor.emplace(impl->ioc);
      impl->acceptor->open(address.is_v6() ? tcp::v6() : tcp::v4(), ec);
      if (!ec) impl->acceptor->set_option(net::socket_base::reuse_address(true), ec);
      if (!ec) impl->acceptor->bind(tcp::endpoint(address, port), ec);
      if (!ec) impl->acceptor->listen(net::socket_base::max_listen_connections, ec);
      if (ec) {
        if (attempt + 1 < attempts) continue;
        return Fail(Error::Unavailable("cannot bind SIP TCP " + impl->options.address + ":" + std::to_string(port) +
                                       ": " + ec.message()));
      }
      impl->tcp_port = impl->acceptor->local_endpoint().port();
    }
    break;
  }
  if (impl->udp_socket) impl->ReadDatagram();
  if (impl->acceptor) impl->Accept();
  impl->Tick();
  Impl* raw = impl.get();
  impl->thread = NamedThread("xiaoan-sip", [raw] { raw->ioc.run(); });
  return std::unique_ptr<Transport>(new Transport(std::move(impl)));
}

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Transport::~Transport() { Stop(); }

uint16_t Transport::udp_port() const { return impl_->udp_port; }
uint16_t Transport::tcp_port() const { return impl_->tcp_port; }

void Transport::Send(const Peer& to, std::string bytes) {
  Impl* impl = impl_.get();
  net::post(impl->ioc, [impl, to, bytes = std::move(bytes)]() mutable {
    if (impl->stopped) return;
    if (to.reliable()) {
      auto it = impl->connections.find(to.connection);
      if (it != impl->connections.end()) it->second->Send(std::move(bytes));
      return;
    }
    if (!impl->udp_socket) return;
    boost::system::error_code ec;
    const auto address = net::ip::make_address(to.address, ec);
    if (ec) return;
    impl->udp_socket->send_to(net::buffer(bytes), udp::endpoint(address, to.port), 0, ec);
  });
}

void Transport::Post(std::function<void()> fn) {
  Impl* impl = impl_.get();
  net::post(impl->ioc, [impl, fn = std::move(fn)] {
    if (!impl->stopped) fn();
  });
}

std::string Transport::LocalAddressFor(const Peer& to) const {
  boost::system::error_code ec;
  if (to.reliable()) {
    auto it = impl_->connections.find(to.connection);
    if (it != impl_->connections.end()) {
      auto local = it->second->socket().local_endpoint(ec);
      if (!ec) return local.address().to_string();
    }
  }
  const auto bound = net::ip::make_address(impl_->options.address, ec);
  if (!ec && !bound.is_unspecified()) return bound.to_string();
  // Bound to the wildcard: ask the routing table which address reaches the peer (a connected
  // UDP socket sends nothing).
  const auto remote = net::ip::make_address(to.address, ec);
  if (!ec) {
    udp::socket probe(impl_->ioc);
    probe.open(remote.is_v6() ? udp::v6() : udp::v4(), ec);
    if (!ec) probe.connect(udp::endpoint(remote, to.port == 0 ? 5060 : to.port), ec);
    if (!ec) {
      auto local = probe.local_endpoint(ec);
      if (!ec) return local.address().to_string();
    }
  }
  return "127.0.0.1";
}

void Transport::Stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  Impl* impl = impl_.get();
  net::post(impl->ioc, [impl] {
    impl->stopped = true;
    boost::system::error_code ec;
    impl->ticker.cancel();
    if (impl->udp_socket) impl->udp_socket->close(ec);
    if (impl->acceptor) impl->acceptor->close(ec);
    for (auto& [id, c] : impl->connections) c->Shut();
    impl->connections.clear();
    impl->work.reset();
  });
  impl->thread.join();
}

}  // namespace xiaoan::sip
