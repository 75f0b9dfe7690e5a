#include "gb_device_emulator.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <queue>
#include <stdexcept>
#include <string_view>

#include "platform/sip/peer.hpp"
#include "platform/sip/sip_message.hpp"
#include "platform/sip/transaction.hpp"

namespace xiaoan::bench {
namespace {

namespace net = boost::asio;
using udp = net::ip::udp;
using Steady = std::chrono::steady_clock;

constexpr int64_t kT1Ms = 500, kT2Ms = 4000, kTimerFMs = 32000;

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &n, EVP_md5(), nullptr) != 1)
    throw std::runtime_error("EVP_Digest(MD5) failed");
  std::string hex;
  hex.reserve(2 * n);
  for (unsigned int i = 0; i < n; ++i) fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
  return hex;
}

// The value of `name="..."` or `name=...` in a WWW-Authenticate header, or "".
std::string ChallengeParam(std::string_view header, std::string_view name) {
  for (size_t at = header.find(name); at != std::string_view::npos; at = header.find(name, at + 1)) {
    const bool starts = at == 0 || header[at - 1] == ' ' || header[at - 1] == ',';
    size_t v = at + name.size();
    if (!starts || v >= header.size() || header[v] != '=') continue;
    ++v;
    if (v < header.size() && header[v] == '"') {
      const size_t end = header.find('"', v + 1);
      return std::string(header.substr(v + 1, end == std::string_view::npos ? end : end - v - 1));
    }
    const size_t end = header.find_first_of(", ", v);
    return std::string(header.substr(v, end == std::string_view::npos ? end : end - v));
  }
  return {};
}

Percentiles Summarise(std::vector<float>& ms) {
  Percentiles p;
  p.n = static_cast<int64_t>(ms.size());
  if (ms.empty()) return p;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    const size_t rank = static_cast<size_t>(std::max(1.0, std::ceil(q * static_cast<double>(ms.size()))));
    return static_cast<double>(ms[std::min(ms.size(), rank) - 1]);
  };
  p.p50_ms = at(0.5);
  p.p99_ms = at(0.99);
  p.max_ms = ms.back();
  return p;
}

class Emulator {
 public:
  Emulator(const EmulatorOptions& o, const ProgressFn& progress)
      : o_(o), progress_(progress), realm_(o.server_id.substr(0, 10)), tick_(io_) {
    server_ = udp::endpoint(net::ip::make_address("127.0.0.1"), o.server_port);
    const int n_sockets = std::max(1, std::min<int>(o.sockets, static_cast<int>(o.device_ids.size())));
    for (int i = 0; i < n_sockets; ++i) {
      auto s = std::make_unique<Socket>(io_);
      s->socket.open(udp::v4());
      s->socket.bind(udp::endpoint(net::ip::make_address("127.0.0.1"), 0));
      s->socket.set_option(net::socket_base::receive_buffer_size(1 << 20));
      s->port = s->socket.local_endpoint().port();
      sockets_.push_back(std::move(s));
    }
    devices_.resize(o.device_ids.size());
    ha1_.reserve(o.device_ids.size());
    for (const auto& id : o.device_ids) ha1_.push_back(Md5Hex(id + ':' + realm_ + ':' + o.password));
    result_.registration.devices = static_cast<int64_t>(devices_.size());
    result_.steps.resize(o.steps.size());
    for (size_t i = 0; i < o.steps.size(); ++i) {
      result_.steps[i].rate = o.steps[i].rate;
      result_.steps[i].seconds = o.steps[i].seconds;
    }
    step_rtts_.resize(o.steps.size());
  }

  EmulatorResult Run() {
    for (size_t i = 0; i < sockets_.size(); ++i) Receive(i);
    registration_start_ = Steady::now();
    const size_t first = std::min<size_t>(static_cast<size_t>(std::max(1, o_.register_window)), devices_.size());
    for (size_t i = 0; i < first; ++i) StartRegistration();
    Tick();
    io_.run();
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    result_.cpu_seconds = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
                          static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    result_.registration.latency = Summarise(register_ms_);
    for (size_t i = 0; i < step_rtts_.size(); ++i) result_.steps[i].rtt = Summarise(step_rtts_[i]);
    return result_;
  }

 private:
  enum class State : uint8_t { kIdle, kRegistering, kRegistered, kFailed };
  struct Device {
    State state = State::kIdle;
    uint32_t cseq = 0;
    uint32_t pending = 0;  // the CSeq of the transaction awaiting its final answer; 0 = none
    int16_t step = -1;     // the step that transaction belongs to (-1: registration)
    bool authorised = false;
    Steady::time_point first_sent{};          // of the pending transaction
    Steady::time_point first_registration{};  // the first REGISTER
    std::string nonce;                        // during registration
  };
  struct Socket {
    explicit Socket(net::io_context& io) : socket(io) {}
    udp::socket socket;
    uint16_t port = 0;
    std::array<char, 4096> buffer{};
    udp::endpoint from;
  };
  struct Retransmit {
    Steady::time_point at;
    uint32_t device, cseq;
    int64_t interval_ms;
    bool operator>(const Retransmit& o) const { return at > o.at; }
  };

  Socket& SocketOf(size_t device) { return *sockets_[device % sockets_.size()]; }

  void Send(size_t device, const std::string& wire) {
    boost::system::error_code ec;
    SocketOf(device).socket.send_to(net::buffer(wire), server_, 0, ec);
  }

  std::string RegisterWire(size_t i) {
    const Device& d = devices_[i];
    const std::string& id = o_.device_ids[i];
    const uint16_t port = SocketOf(i).port;
    std::string authorization;
    if (d.authorised) {
      const std::string uri = fmt::format("sip:{}@{}", o_.server_id, realm_);
      const std::string cnonce = fmt::format("{:08x}", static_cast<uint32_t>(i * 2654435761u));
      const std::string ha2 = Md5Hex("REGISTER:" + uri);
      const std::string response = Md5Hex(fmt::format("{}:{}:00000001:{}:auth:{}", ha1_[i], d.nonce, cnonce, ha2));
      authorization = fmt::format(
          "Authorization: Digest username=\"{}\",realm=\"{}\",nonce=\"{}\",uri=\"{}\",response=\"{}\","
          "algorithm=MD5,cnonce=\"{}\",qop=auth,nc=00000001\r\n",
          id, realm_, d.nonce, uri, response, cnonce);
    }
    return fmt::format(
        "REGISTER sip:{0}@{1} SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:{2};rport;branch=z9hG4bK{3}r{4}\r\n"
        "From: <sip:{5}@{1}>;tag={3}r\r\n"
        "To: <sip:{5}@{1}>\r\n"
        "Call-ID: {3}-reg@bench\r\n"
        "CSeq: {4} REGISTER\r\n"
        "Contact: <sip:{5}@127.0.0.1:{2}>\r\n"
        "Max-Forwards: 70\r\n"
        "User-Agent: IP Camera\r\n"
        "Expires: 3600\r\n"
        "{6}"
        "Content-Length: 0\r\n\r\n",
        o_.server_id, realm_, port, i, d.cseq, id, authorization);
  }

  std::string KeepaliveWire(size_t i, uint32_t cseq) {
    const std::string& id = o_.device_ids[i];
    const std::string body = fmt::format(
        "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n"
        "<SN>{}</SN>\r\n<DeviceID>{}</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n",
        cseq, id);
    return fmt::format(
        "MESSAGE sip:{0}@{1} SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:{2};rport;branch=z9hG4bK{3}k{4}\r\n"
        "From: <sip:{5}@{1}>;tag={3}k\r\n"
        "To: <sip:{0}@{1}>\r\n"
        "Call-ID: {3}-{4}@bench\r\n"
        "CSeq: {4} MESSAGE\r\n"
        "Max-Forwards: 70\r\n"
        "User-Agent: IP Camera\r\n"
        "Content-Type: Application/MANSCDP+xml\r\n"
        "Content-Length: {6}\r\n\r\n{7}",
        o_.server_id, realm_, SocketOf(i).port, i, cseq, id, body.size(), body);
  }

  // Sends the device's current request for the first time and arms its retransmission.
  void Begin(size_t i, int16_t step, const std::string& wire) {
    Device& d = devices_[i];
    d.pending = d.cseq;
    d.step = step;
    d.first_sent = Steady::now();
    Send(i, wire);
    retransmits_.push({d.first_sent + std::chrono::milliseconds(kT1Ms), static_cast<uint32_t>(i), d.cseq, kT1Ms});
  }

  void StartRegistration() {
    if (next_to_register_ >= devices_.size()) return;
    const size_t i = next_to_register_++;
    Device& d = devices_[i];
    d.state = State::kRegistering;
    d.cseq = 1;
    d.authorised = false;
    d.first_registration = Steady::now();
    Begin(i, -1, RegisterWire(i));
  }

  void RegistrationEnded(size_t i, bool ok) {
    Device& d = devices_[i];
    d.pending = 0;
    d.nonce.clear();
    d.nonce.shrink_to_fit();
    d.state = ok ? State::kRegistered : State::kFailed;
    ++(ok ? result_.registration.registered : result_.registration.failed);
    if (ok) register_ms_.push_back(MsSince(d.first_registration));
    ++registrations_ended_;
    StartRegistration();
    if (registrations_ended_ == devices_.size()) {
      result_.registration.seconds = SecondsSince(registration_start_);
      progress_("registered");
      StartStep(0);
    }
  }

  void StartStep(size_t s) {
    step_ = s;
    if (s >= o_.steps.size()) {
      progress_("end");
      drain_until_ = Steady::now() + std::chrono::milliseconds(static_cast<int64_t>(o_.drain_seconds * 1000));
      return;
    }
    step_start_ = Steady::now();
    sent_in_step_ = 0;
    progress_(fmt::format("step {}", s));
  }

  void SendKeepalive(int16_t step) {
    const size_t i = cursor_++ % devices_.size();
    Device& d = devices_[i];
    if (d.state != State::kRegistered) return;
    StepResult& r = result_.steps[static_cast<size_t>(step)];
    if (d.pending != 0) ++r.overlapped;  // abandoned: the device moves on to its next keepalive
    ++d.cseq;
    ++r.sent;
    Begin(i, step, KeepaliveWire(i, d.cseq));
  }

  void OnTick() {
    const auto now = Steady::now();
    // Retransmissions due (entries of finished transactions are dropped as they come up).
    while (!retransmits_.empty() && retransmits_.top().at <= now) {
      Retransmit r = retransmits_.top();
      retransmits_.pop();
      Device& d = devices_[r.device];
      if (d.pending != r.cseq) continue;
      if (now - d.first_sent >= std::chrono::milliseconds(kTimerFMs)) {
        if (d.step < 0) {
          RegistrationEnded(r.device, false);
        } else {
          ++result_.steps[static_cast<size_t>(d.step)].timeouts;
          d.pending = 0;
        }
        continue;
      }
      if (d.step < 0)
        ++result_.registration.retransmissions;
      else
        ++result_.steps[static_cast<size_t>(d.step)].retransmissions;
      Send(r.device, d.step < 0 ? RegisterWire(r.device) : KeepaliveWire(r.device, r.cseq));
      const int64_t next = std::min(r.interval_ms * 2, kT2Ms);
      retransmits_.push({now + std::chrono::milliseconds(next), r.device, r.cseq, next});
    }
    if (registrations_ended_ == devices_.size() && step_ < o_.steps.size()) {
      const auto& step = o_.steps[step_];
      const double elapsed = SecondsSince(step_start_);
      const auto due = static_cast<int64_t>(std::min(elapsed, step.seconds) * step.rate);
      while (sent_in_step_ < due) {
        SendKeepalive(static_cast<int16_t>(step_));
        ++sent_in_step_;
      }
      if (elapsed >= step.seconds) {
        StepResult& r = result_.steps[step_];
        r.measured_seconds = elapsed;
        const bool saturated =
            step.stop_below > 0 && r.sent > 0 && static_cast<double>(r.answered) < step.stop_below * double(r.sent);
        StartStep(saturated ? o_.steps.size() : step_ + 1);
      }
    }
    if (step_ >= o_.steps.size() && registrations_ended_ == devices_.size() && now >= drain_until_) {
      for (const auto& d : devices_)
        if (d.pending != 0 && d.step >= 0) ++result_.steps[static_cast<size_t>(d.step)].unanswered_at_end;
      progress_("done");
      io_.stop();
    }
  }

  void Tick() {
    tick_.expires_after(std::chrono::milliseconds(1));
    tick_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      OnTick();
      Tick();
    });
  }

  void Receive(size_t s) {
    Socket& sock = *sockets_[s];
    sock.socket.async_receive_from(net::buffer(sock.buffer), sock.from,
                                   [this, s](boost::system::error_code ec, size_t n) {
                                     if (ec == net::error::operation_aborted) return;
                                     if (!ec) OnDatagram(*sockets_[s], std::string_view(sockets_[s]->buffer.data(), n));
                                     Receive(s);
                                   });
  }

  void OnDatagram(Socket& sock, std::string_view bytes) {
    auto m = sip::Parse(bytes);
    if (!m) {
      ++result_.malformed;
      return;
    }
    if (m->is_request) {
      // The platform's catalog query (or any request): a device answers 200 at once.
      if (m->method == "ACK") return;
      sip::Peer from;
      from.address = sock.from.address().to_string();
      from.port = sock.from.port();
      sip::Message r = sip::MakeResponse(*m, 200, "OK", from, "dev");
      r.Add("User-Agent", "IP Camera");
      boost::system::error_code ec;
      sock.socket.send_to(net::buffer(sip::Serialize(r)), sock.from, 0, ec);
      ++result_.requests_answered;
      return;
    }
    const std::string* call_id = m->Find("Call-ID");
    const std::string* cseq_text = m->Find("CSeq");
    auto cseq = cseq_text ? sip::ParseCSeq(*cseq_text) : std::nullopt;
    size_t i = 0;
    if (call_id == nullptr || !cseq ||
        std::from_chars(call_id->data(), call_id->data() + call_id->size(), i).ec != std::errc() ||
        i >= devices_.size()) {
      ++result_.malformed;
      return;
    }
    Device& d = devices_[i];
    if (d.pending == 0 || d.pending != cseq->number || m->status < 200) return;  // late, repeated or provisional
    if (d.step < 0) return OnRegisterAnswer(i, *m);
    StepResult& r = result_.steps[static_cast<size_t>(d.step)];
    d.pending = 0;
    if (m->status != 200) {
      ++r.other_status;
      return;
    }
    ++r.answered;
    step_rtts_[static_cast<size_t>(d.step)].push_back(static_cast<float>(MsSince(d.first_sent)));
  }

  void OnRegisterAnswer(size_t i, const sip::Message& m) {
    Device& d = devices_[i];
    if (m.status == 401 && !d.authorised) {
      const std::string* challenge = m.Find("WWW-Authenticate");
      d.nonce = challenge ? ChallengeParam(*challenge, "nonce") : std::string();
      if (d.nonce.empty()) return RegistrationEnded(i, false);
      ++result_.registration.challenges;
      d.authorised = true;
      ++d.cseq;
      Begin(i, -1, RegisterWire(i));
      return;
    }
    RegistrationEnded(i, m.status == 200);
  }

  static double SecondsSince(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }
  static double MsSince(Steady::time_point t) {
    return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
  }

  const EmulatorOptions& o_;
  const ProgressFn& progress_;
  const std::string realm_;
  net::io_context io_;
  net::steady_timer tick_;
  udp::endpoint server_;
  std::vector<std::unique_ptr<Socket>> sockets_;
  std::vector<Device> devices_;
  std::vector<std::string> ha1_;  // MD5(id:realm:password), as a device keeps it
  std::priority_queue<Retransmit, std::vector<Retransmit>, std::greater<>> retransmits_;
  EmulatorResult result_;
  std::vector<float> register_ms_;
  std::vector<std::vector<float>> step_rtts_;
  size_t next_to_register_ = 0, registrations_ended_ = 0;
  Steady::time_point registration_start_{};
  size_t step_ = 0;
  Steady::time_point step_start_{}, drain_until_{};
  int64_t sent_in_step_ = 0;
  uint64_t cursor_ = 0;
};

}  // namespace

EmulatorResult RunDevices(const EmulatorOptions& options, const ProgressFn& progress) {
  Emulator e(options, progress);
  return e.Run();
}

}  // namespace xiaoan::bench
