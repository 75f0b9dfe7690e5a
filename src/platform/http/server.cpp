#include "platform/http/server.hpp"

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <list>
#include <mutex>
#include <thread>

#include "base/thread_name.hpp"
#include "platform/http/beast_request.hpp"
#include "platform/http/problem.hpp"

namespace xiaoan::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

// Each connection runs on a strand of the I/O context, named by its concrete type: Beast's
// tcp_stream would wrap it in a type-erased executor, copied and queried on every operation.
using Strand = net::strand<net::io_context::executor_type>;
using Socket = tcp::socket::rebind_executor<Strand>::other;
using Stream = beast::basic_stream<tcp, Strand>;

// A connection the server tracks so that a stop can reach it.
class Connection {
 public:
  virtual ~Connection() = default;
  // The server is stopping. Thread-safe.
  virtual void OnStop() = 0;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  AppHandler handler;
  net::io_context ioc;
  net::thread_pool workers;
  tcp::acceptor acceptor;
  net::signal_set signals;
  std::atomic<bool> stopping{false};
  std::atomic<int64_t> in_flight{0};
  std::atomic<int> connections{0};
  std::atomic<int64_t> websockets{0};
  std::mutex sessions_mu;
  std::list<std::weak_ptr<Connection>> sessions;
  uint16_t bound_port = 0;

  Impl(ServerOptions opts, AppHandler h)
      : options(std::move(opts)),
        handler(std::move(h)),
        ioc(options.io_threads),
        workers(static_cast<size_t>(options.worker_threads)),
        acceptor(ioc),
        signals(ioc, SIGTERM, SIGINT) {}

  void Accept();
  void Track(const std::shared_ptr<Connection>& connection);
  void BeginStop();
  void WaitForDrain(std::shared_ptr<net::steady_timer> timer, std::chrono::steady_clock::time_point deadline);
};

namespace {

// One WebSocket after the upgrade. Reads, writes, pings and closes run on the connection's strand;
// Send and Close may be called from any thread and only touch the queue under `mu_`.
class WsSession : public WsChannel, public Connection, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(Stream&& stream, Server::Impl& server, std::shared_ptr<WsHandler> handler)
      : ws_(std::move(stream)), server_(server), handler_(std::move(handler)), timer_(ws_.get_executor()) {
    server_.connections++;
  }

  ~WsSession() override { server_.connections--; }

  // Runs the opening handshake for `request` (already checked to be an upgrade).
  void Accept(bhttp::request<bhttp::string_body>&& request) {
    request_ = std::move(request);
    beast::get_lowest_layer(ws_).expires_never();  // the websocket stream keeps its own timeouts
    websocket::stream_base::timeout timeouts;
    timeouts.handshake_timeout = std::chrono::seconds(server_.options.read_timeout_seconds);
    timeouts.idle_timeout = websocket::stream_base::none();  // pings are ours (OnTick)
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(bhttp::field::server, "xiaoan"); }));
    ws_.read_message_max(server_.options.ws_message_limit);
    // Any frame from the peer, pongs included, shows that it is alive.
    ws_.control_callback([this](websocket::frame_type, beast::string_view) { alive_ = true; });
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      self->ws_.async_accept(self->request_, [self](beast::error_code ec) { self->OnAccept(ec); });
    });
  }

  bool Send(std::string text) override {
    bool overflow = false;
    {
      std::lock_guard lock(mu_);
      if (closing_) return false;
      if (queue_.size() >= server_.options.ws_queue_messages ||
          queued_bytes_ + text.size() > server_.options.ws_queue_bytes) {
        overflow = true;  // a slow consumer: it reconnects and catches up instead
        closing_ = true;
        queue_.clear();
        queued_bytes_ = 0;
      } else {
        queued_bytes_ += text.size();
        queue_.push_back(std::move(text));
        if (writing_) return true;
        writing_ = true;
      }
    }
    if (overflow) {
      PostClose(1013, "too slow: messages were piling up");
      return false;
    }
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->WriteNext(); });
    return true;
  }

  void Close(uint16_t code, std::string reason) override {
    {
      std::lock_guard lock(mu_);
      if (closing_) return;
      closing_ = true;
      queue_.clear();
      queued_bytes_ = 0;
    }
    PostClose(code, std::move(reason));
  }

  void OnStop() override { Close(1001, "server shutting down"); }

 private:
  void PostClose(uint16_t code, std::string reason) {
    if (reason.size() > 123) reason.resize(123);  // the most a close frame carries
    net::post(ws_.get_executor(),
              [self = shared_from_this(), code, reason = std::move(reason)] { self->BeginClose(code, reason); });
  }

  void OnAccept(beast::error_code ec) {
    if (ec) return Finish();
    open_ = true;
    alive_ = true;
    server_.websockets++;
    Call([&] { handler_->OnOpen(shared_from_this()); });
    if (server_.stopping) OnStop();
    Read();
    ArmTimer(std::chrono::seconds(server_.options.ws_ping_seconds));
  }

  void Read() {
    ws_.async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec) return Finish();
    alive_ = true;
    if (ws_.got_text() && !close_started_) {
      std::string text = beast::buffers_to_string(read_buffer_.data());
      Call([&] { handler_->OnMessage(std::move(text)); });
    }
    read_buffer_.consume(read_buffer_.size());
    Read();
  }

  void WriteNext() {
    {
      std::lock_guard lock(mu_);
      if (closing_ || queue_.empty() || finished_) {
        writing_ = false;
        return;
      }
      writing_now_ = std::move(queue_.front());
      queue_.pop_front();
      queued_bytes_ -= writing_now_.size();
    }
    ws_.text(true);
    ws_.async_write(net::buffer(writing_now_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        std::lock_guard lock(self->mu_);
        self->writing_ = false;
        self->closing_ = true;
        return;  // the read fails too and finishes the session
      }
      self->WriteNext();
    });
  }

  // On the strand: the closing handshake, with a deadline after which the socket is cut.
  void BeginClose(uint16_t code, const std::string& reason) {
    if (close_started_ || finished_) return;
    close_started_ = true;
    if (!open_) return Cut();  // still in the opening handshake
    ArmTimer(std::chrono::seconds(server_.options.ws_close_seconds));
    close_reason_.code = code;
    close_reason_.reason = reason;
    if (ping_pending_) return;  // Beast allows one control operation at a time; OnPinged closes
    SendClose();
  }

  void SendClose() {
    ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) self->Cut();
      // Otherwise the read goes on until the peer's close frame arrives, then finishes.
    });
  }

  void ArmTimer(std::chrono::seconds after) {
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->OnTick();
    });
  }

  // Every ping interval; after BeginClose, the closing deadline.
  void OnTick() {
    if (finished_) return;
    if (close_started_ || !alive_) return Cut();  // no answer to the close, or nothing since the last ping
    alive_ = false;
    if (!ping_pending_) {
      ping_pending_ = true;
      ws_.async_ping({}, [self = shared_from_this()](beast::error_code ec) { self->OnPinged(ec); });
    }
    Call([&] { handler_->OnPing(); });
    if (!close_started_) ArmTimer(std::chrono::seconds(server_.options.ws_ping_seconds));
  }

  void OnPinged(beast::error_code ec) {
    ping_pending_ = false;
    if (ec) return Cut();
    if (close_started_ && !finished_) SendClose();
  }

  // Calls into the handler; a throwing handler closes the connection with 1011.
  template <class F>
  void Call(F&& f) {
    if (!handler_) return;
    try {
      f();
    } catch (const std::exception&) {
      Close(1011, "internal error");
    }
  }

  // Ends the connection without a closing handshake (dead or unresponsive peer).
  void Cut() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(ws_).close();
  }

  // On the strand, once the read has failed: the connection is over.
  void Finish() {
    if (finished_) return;
    finished_ = true;
    timer_.cancel();
    {
      std::lock_guard lock(mu_);
      closing_ = true;
      queue_.clear();
      queued_bytes_ = 0;
    }
    Cut();
    if (open_) {
      server_.websockets--;
      Call([&] { handler_->OnClose(); });
    }
    handler_.reset();  // the handler may hold this channel: break the cycle
  }

  websocket::stream<Stream> ws_;
  Server::Impl& server_;
  std::shared_ptr<WsHandler> handler_;
  net::steady_timer timer_;
  bhttp::request<bhttp::string_body> request_;
  beast::flat_buffer read_buffer_;
  std::string writing_now_;  // the message being written (the buffer must outlive the write)
  websocket::close_reason close_reason_;
  // Strand-only state.
  bool open_ = false;
  bool close_started_ = false;
  bool ping_pending_ = false;
  bool finished_ = false;
  std::atomic<bool> alive_{false};
  // Shared with Send and Close.
  std::mutex mu_;
  std::deque<std::string> queue_;
  size_t queued_bytes_ = 0;
  bool writing_ = false;  // a WriteNext is posted or a write is in flight
  bool closing_ = false;  // no more messages are accepted
};

class Session : public Connection, public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, Server::Impl& server)
      : stream_(std::move(socket)), deadline_timer_(stream_.get_executor()), server_(server) {
    server_.connections++;
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
    // Answers are written at once when the socket takes them (Send): that write must not block.
    stream_.socket().non_blocking(true, ec);
    write_at_once_ = !ec;
  }

  ~Session() override { server_.connections--; }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  // Closes the connection if it is waiting for a request (on the session's strand).
  void OnStop() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      // A connection that has begun sending a request is not idle: let it finish.
      beast::error_code ec;
      const bool receiving = (self->parser_ && self->parser_->got_some()) || self->buffer_.size() > 0 ||
                             self->stream_.socket().available(ec) > 0;
      if (!self->busy_ && !receiving) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->Shut();
      }
    });
  }

 private:
  void Read() {
    // While stopping, only a connection's first request is still read (one accepted from the
    // backlog with its request already waiting); keep-alive connections end.
    if (server_.stopping && !first_request_) return Close();
    parser_.emplace();
    // Beast checks Content-Length against the limit while it reads the header, before the path
    // is known: read the header under the larger limit, then apply the path's own (OnHeader).
    body_limit_ = std::max(server_.options.body_limit, server_.options.upload_body_limit);
    parser_->body_limit(body_limit_);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    // The header and the body together, from now: a slow client cannot hold the connection.
    SetDeadline(std::chrono::seconds(first_request_ ? server_.options.read_timeout_seconds
                                                    : server_.options.idle_timeout_seconds));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  // The headers are in: choose the body limit by the path, then read the body.
  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    const auto target = parser_->get().target();
    const auto& prefix = server_.options.upload_path_prefix;
    const bool upload = !prefix.empty() && std::string_view(target.data(), target.size()).starts_with(prefix);
    body_limit_ = upload ? server_.options.upload_body_limit : server_.options.body_limit;
    if (auto length = parser_->content_length(); length && *length > body_limit_)
      return OnRead(bhttp::error::body_limit);
    parser_->body_limit(body_limit_);  // chunked bodies are counted as they arrive
    if (parser_->is_done()) return OnRead(ec);
    // A small body mostly came in with the header: parse what is buffered here, and read on only
    // if the message is not complete (one asynchronous operation less per request).
    parser_->eager(true);
    const size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == bhttp::error::need_more) ec = {};
    if (ec || parser_->is_done()) return OnRead(ec);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec2, size_t) { self->OnRead(ec2); });
  }

  void OnRead(beast::error_code ec) {
    first_request_ = false;
    ClearDeadline();  // a request being handled has none; its answer's write sets the next
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return Close();
    }
    if (ec) {
      Error err = Error::Invalid("request", "The HTTP request is malformed.");
      int status = 400;
      if (ec == bhttp::error::body_limit) {
        if (parser_ && parser_->is_header_done()) {  // name the limit of the request's own path
          const auto target = parser_->get().target();
          const auto& prefix = server_.options.upload_path_prefix;
          body_limit_ = !prefix.empty() && std::string_view(target.data(), target.size()).starts_with(prefix)
                            ? server_.options.upload_body_limit
                            : server_.options.body_limit;
        }
        err = Error{ErrorCode::kPayloadTooLarge,
                    "The body is larger than " + std::to_string(body_limit_) + " bytes.",
                    "payload_too_large",
                    {FieldError{"body", "Too large."}},
                    {}};
        status = 413;
      } else if (ec == bhttp::error::header_limit) {
        err = Error{ErrorCode::kPayloadTooLarge,
                    "The request headers are larger than " + std::to_string(server_.options.header_limit) + " bytes.",
                    "headers_too_large",
                    {FieldError{"headers", "Too large."}},
                    {}};
        status = 431;
      }
      Response r = Problem(err, status);
      busy_ = true;
      return Send(std::move(r), false);
    }
    busy_ = true;
    server_.in_flight++;
    if (server_.options.on_upgrade && websocket::is_upgrade(parser_->get())) return Upgrade();
    const bool keep_alive = parser_->get().keep_alive();
    const bool head = parser_->get().method() == bhttp::verb::head;
    auto req = std::make_shared<Request>(ToRequest(parser_->release(), remote_));
    const bool inline_ok = req->method == "GET" || req->method == "HEAD";
    if (inline_ok) {
      Response r = Invoke(*req);
      Respond(std::move(r), keep_alive, head);
    } else if (server_.options.async_handler && server_.options.starts_async && StartsAsync(*req)) {
      InvokeAsync(std::move(req), keep_alive, head);
    } else {
      net::post(server_.workers, [self = shared_from_this(), req, keep_alive, head]() mutable {
        // The pool starts its threads itself: each takes its name with its first request.
        thread_local const bool named = (NameThisThread("xiaoan-worker"), true);
        (void)named;
        Response r = self->Invoke(*req);
        net::post(self->stream_.get_executor(), [self, r = std::move(r), keep_alive, head]() mutable {
          self->Respond(std::move(r), keep_alive, head);
        });
      });
    }
  }

  // A GET asking for a WebSocket: the application accepts it (the socket moves to a WsSession and
  // this session ends) or refuses it with a response.
  void Upgrade() {
    auto upgrade = parser_->release();
    Request req = ToRequest(bhttp::request<bhttp::string_body>(upgrade), remote_);
    UpgradeDecision decision;
    try {
      decision = server_.options.on_upgrade(req);
    } catch (const std::exception& e) {
      decision = UpgradeDecision::Refuse(Problem(Error::Internal(e.what())));
    }
    if (!decision.handler || server_.stopping) {
      if (decision.handler) decision.refusal = Problem(Error::Unavailable("The server is shutting down."));
      return Respond(std::move(decision.refusal), false, false);
    }
    server_.in_flight--;
    deadline_timer_.cancel();  // the WebSocket keeps its own timeouts
    auto ws = std::make_shared<WsSession>(std::move(stream_), server_, std::move(decision.handler));
    server_.Track(ws);
    ws->Accept(std::move(upgrade));
  }

  bool StartsAsync(const Request& req) {
    try {
      return server_.options.starts_async(req);
    } catch (const std::exception&) {
      return false;  // the worker pool then answers, and reports the error
    }
  }

  // Starts an asynchronous handler; its Reply answers on this session's strand, once.
  void InvokeAsync(std::shared_ptr<Request> req, bool keep_alive, bool head) {
    struct Pending {
      std::shared_ptr<Session> session;
      bool keep_alive, head;
      std::atomic<bool> answered{false};
      void Answer(Response r) {
        if (answered.exchange(true)) return;
        net::post(session->stream_.get_executor(), [s = session, r = std::move(r), k = keep_alive, h = head]() mutable {
          s->Respond(std::move(r), k, h);
        });
      }
      ~Pending() {
        if (!answered) Answer(Problem(Error::Internal("the request was dropped without an answer")));
      }
    };
    auto pending = std::make_shared<Pending>(shared_from_this(), keep_alive, head);
    Reply reply = [pending](Response r) { pending->Answer(std::move(r)); };
    try {
      server_.options.async_handler(std::move(req), reply);
    } catch (const std::exception& e) {
      pending->Answer(Problem(Error::Internal(e.what())));
    }
  }

  Response Invoke(Request& req) {
    try {
      return server_.handler(req);
    } catch (const std::exception& e) {
      return Problem(Error::Internal(e.what()));
    }
  }

  void Respond(Response r, bool keep_alive, bool head) {
    server_.in_flight--;
    Send(std::move(r), keep_alive && !server_.stopping, head);
  }

  void Send(Response r, bool keep_alive, bool head = false) {
    if (!r.file_path.empty()) {
      bhttp::response<bhttp::file_body> res;
      beast::error_code ec;
      res.body().open(r.file_path.c_str(), beast::file_mode::scan, ec);
      if (!ec) {
        res.result(static_cast<unsigned>(r.status));
        Fill(res, r, keep_alive);
        res.content_length(res.body().size());
        if (head) {
          bhttp::response<bhttp::empty_body> empty;
          empty.base() = res.base();
          return Write(std::move(empty), keep_alive, true);
        }
        return Write(std::move(res), keep_alive, false);
      }
      r = Problem(Error::NotFound("The file"));
    }
    bhttp::response<bhttp::string_body> res;
    res.result(static_cast<unsigned>(r.status));
    Fill(res, r, keep_alive);
    if (head) {
      res.content_length(r.body.size());
      return Write(std::move(res), keep_alive, true);
    }
    res.body() = std::move(r.body);
    res.prepare_payload();
    auto bytes = std::make_shared<std::string>();
    if (Serialize(res, *bytes)) return Close();
    // Most answers fit in the socket's send buffer: written here and now, the connection goes
    // straight on to its next request. What does not fit is written asynchronously, under the
    // timeout, as the client reads.
    beast::error_code ec;
    size_t sent = 0;
    if (write_at_once_) sent = stream_.socket().write_some(net::buffer(*bytes), ec);
    if (ec == net::error::would_block || ec == net::error::try_again) ec = {};
    if (ec || sent == bytes->size()) return Written(ec, keep_alive);
    SetDeadline(std::chrono::seconds(server_.options.read_timeout_seconds));
    net::async_write(stream_, net::buffer(*bytes) + sent,
                     [self = shared_from_this(), bytes, keep_alive](beast::error_code ec2, size_t) {
                       self->Written(ec2, keep_alive);
                     });
  }

  // A message with its body in memory goes out as one buffer: Beast serializes it into `out`,
  // which costs less than having the socket write walk Beast's chain of header and body buffers.
  static beast::error_code Serialize(bhttp::response<bhttp::string_body>& res, std::string& out) {
    out.reserve(256 + res.body().size());
    bhttp::response_serializer<bhttp::string_body> sr(res);
    beast::error_code ec;
    while (!ec && !sr.is_done()) {
      sr.next(ec, [&](beast::error_code&, const auto& buffers) {
        size_t n = 0;
        for (const auto b : beast::buffers_range_ref(buffers)) {
          out.append(static_cast<const char*>(b.data()), b.size());
          n += b.size();
        }
        sr.consume(n);
      });
    }
    return ec;
  }

  // After a response is written: the next request, or the end of the connection.
  void Written(beast::error_code ec, bool keep_alive) {
    busy_ = false;
    if (ec || !keep_alive) return Close();
    Read();
  }

  template <class Res>
  static void Fill(Res& res, const Response& r, bool keep_alive) {
    res.version(11);
    res.set(bhttp::field::server, "xiaoan");
    if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) res.insert(k, v);
    res.keep_alive(keep_alive);
  }

  template <class Res>
  void Write(Res&& res, bool keep_alive, bool skip_body) {
    auto holder = std::make_shared<std::decay_t<Res>>(std::forward<Res>(res));
    SetDeadline(std::chrono::seconds(server_.options.read_timeout_seconds));
    auto on_write = [self = shared_from_this(), holder, keep_alive](beast::error_code ec, size_t) {
      self->Written(ec, keep_alive);
    };
    if (skip_body) {
      auto sr = std::make_shared<bhttp::response_serializer<typename std::decay_t<Res>::body_type>>(*holder);
      bhttp::async_write_header(stream_, *sr, [sr, on_write](beast::error_code ec, size_t n) { on_write(ec, n); });
    } else {
      bhttp::async_write(stream_, *holder, on_write);
    }
  }

  // Half-closes, then discards what the client is still sending for a moment, so that an error
  // response reaches a client that is mid-upload instead of being lost to a reset.
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec || server_.stopping) return Shut();
    SetDeadline(std::chrono::seconds(2));
    Drain();
  }

  void Drain() {
    stream_.async_read_some(net::buffer(drain_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Shut();
      self->Drain();
    });
  }

  // Timeouts: one deadline per connection, moved by every read and write, and one timer that
  // wakes at most once per timeout to look at it. Arming a timer for every read (as the stream's
  // own expiry does) cost a timer-queue insert, a cancel and a completion per request.
  void SetDeadline(std::chrono::steady_clock::duration after) {
    deadline_ = std::chrono::steady_clock::now() + after;
    if (timer_waiting_ && wakes_at_ <= deadline_) return;  // it wakes before the deadline and waits on
    wakes_at_ = deadline_;
    deadline_timer_.expires_at(wakes_at_);  // cancels a wait that would wake too late
    timer_waiting_ = true;
    deadline_timer_.async_wait([self = shared_from_this()](beast::error_code ec) { self->OnDeadline(ec); });
  }

  void ClearDeadline() { deadline_ = std::chrono::steady_clock::time_point::max(); }

  void OnDeadline(beast::error_code ec) {
    if (ec == net::error::operation_aborted) return;  // replaced by a sooner wait, or shut
    const auto now = std::chrono::steady_clock::now();
    if (deadline_ == std::chrono::steady_clock::time_point::max()) {
      timer_waiting_ = false;  // no deadline now: the next one starts the timer again
    } else if (now < deadline_) {
      wakes_at_ = deadline_;
      deadline_timer_.expires_at(wakes_at_);
      deadline_timer_.async_wait([self = shared_from_this()](beast::error_code e) { self->OnDeadline(e); });
    } else {
      // Time is up: the pending read or write ends with operation_aborted, and so the connection.
      timer_waiting_ = false;
      beast::error_code ignored;
      stream_.socket().close(ignored);
    }
  }

  // Closes the socket and lets the timer go, so that nothing keeps the session alive.
  void Shut() {
    deadline_timer_.cancel();
    stream_.close();
  }

  Stream stream_;
  net::basic_waitable_timer<std::chrono::steady_clock, net::wait_traits<std::chrono::steady_clock>, Strand>
      deadline_timer_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point wakes_at_;  // of the timer's wait, while timer_waiting_
  bool timer_waiting_ = false;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  std::string remote_;
  bool busy_ = false;
  bool first_request_ = true;
  bool write_at_once_ = false;  // the socket is non-blocking: answers are tried at once
  size_t body_limit_ = 0;       // of the request being read
  std::array<char, 8192> drain_{};
};

}  // namespace

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc.get_executor()), [this](beast::error_code ec, Socket socket) {
    if (ec) {
      if (!stopping && ec != net::error::operation_aborted) Accept();
      return;
    }
    if (connections >= options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
      return Accept();
    }
    auto session = std::make_shared<Session>(std::move(socket), *this);
    Track(session);
    session->Start();
    Accept();
  });
}

void Server::Impl::Track(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(sessions_mu);
  sessions.remove_if([](const std::weak_ptr<Connection>& w) { return w.expired(); });
  sessions.push_back(connection);
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  net::post(ioc, [this] {
    beast::error_code ec;
    // Connections already in the backlog whose request has arrived were sent before the stop:
    // serve them. Those with nothing to read yet are closed.
    acceptor.non_blocking(true, ec);
    for (;;) {
      Socket socket(net::make_strand(ioc.get_executor()));
      acceptor.accept(socket, ec);
      if (ec) break;
      if (socket.available(ec) == 0 || ec) {
        socket.close(ec);
        continue;
      }
      auto session = std::make_shared<Session>(std::move(socket), *this);
      Track(session);
      session->Start();
    }
    acceptor.close(ec);
    signals.cancel(ec);
    {
      std::lock_guard lock(sessions_mu);
      for (auto& w : sessions)
        if (auto s = w.lock()) s->OnStop();
    }
    auto timer = std::make_shared<net::steady_timer>(ioc);
    WaitForDrain(timer, std::chrono::steady_clock::now() + std::chrono::seconds(options.shutdown_grace_seconds));
  });
}

void Server::Impl::WaitForDrain(std::shared_ptr<net::steady_timer> timer,
                                std::chrono::steady_clock::time_point deadline) {
  // Wait for requests being handled and for connections still receiving one.
  if ((in_flight == 0 && connections == 0) || std::chrono::steady_clock::now() > deadline) {
    // Give responses already handed to the socket a moment to be written.
    timer->expires_after(std::chrono::milliseconds(50));
    timer->async_wait([this, timer](beast::error_code) { ioc.stop(); });
    return;
  }
  timer->expires_after(std::chrono::milliseconds(20));
  timer->async_wait([this, timer, deadline](beast::error_code) { WaitForDrain(timer, deadline); });
}

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, AppHandler handler) {
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  beast::error_code ec;
  auto address = net::ip::make_address(impl->options.address, ec);
  if (ec) return Fail(Error::Invalid("address", "Not an IP address: " + impl->options.address));
  tcp::endpoint endpoint(address, impl->options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return Fail(Error::Unavailable("Cannot listen on " + impl->options.address + ":" +
                                   std::to_string(impl->options.port) + ": " + ec.message()));
  impl->bound_port = impl->acceptor.local_endpoint().port();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { impl_->workers.join(); }

uint16_t Server::port() const { return impl_->bound_port; }

int64_t Server::InFlight() const { return impl_->in_flight; }

int64_t Server::OpenWebSockets() const { return impl_->websockets; }

void Server::Stop() { impl_->BeginStop(); }

void Server::Post(std::move_only_function<void()> fn) { net::post(impl_->ioc, std::move(fn)); }

void Server::Run() {
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->BeginStop();
  });
  impl_->Accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.io_threads; ++i)
    threads.push_back(NamedThread("xiaoan-io", [this] { impl_->ioc.run(); }));
  impl_->ioc.run();
  for (auto& t : threads) t.join();
  impl_->workers.join();
}

}  // namespace xiaoan::http
