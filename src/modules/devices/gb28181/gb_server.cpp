#include "modules/devices/gb28181/gb_server.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <random>

#include "modules/devices/gb28181/catalog_assembler.hpp"
#include "modules/devices/gb28181/manscdp.hpp"
#include "modules/devices/gb28181/registrar.hpp"
#include "platform/log/log.hpp"
#include "platform/sip/digest.hpp"
#include "platform/sip/transaction.hpp"
#include "platform/sip/transport.hpp"

namespace xiaoan::devices::gb {

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr std::string_view kManscdp = "Application/MANSCDP+xml";

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Endpoint ToEndpoint(const sip::Peer& p, std::chrono::system_clock::time_point at) {
  return Endpoint{p.transport_name(), p.address, p.port, at};
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Sink& sink;
  std::unique_ptr<sip::Transport> transport;
  Registrar registrar;
  sip::ServerTransactions server_tx;
  sip::ClientTransactions client_tx;
  CatalogAssembler catalogs;
  RecentKeys alarm_keys;
  std::map<std::string, SteadyClock::time_point> last_catalog_query;
  uint32_t next_sn;
  uint32_t next_cseq = 1;
  std::atomic<int64_t> registers{0}, auth_failures{0}, keepalives{0}, messages{0}, malformed{0}, alarms{0},
      catalogs_done{0}, retransmissions{0}, registered_devices{0};

  Impl(ServerOptions o, Sink& s, RegistrarOptions r)
      : options(std::move(o)),
        sink(s),
        registrar(std::move(r), sip::NonceIssuer()),
        catalogs(std::chrono::milliseconds(options.catalog_timeout_ms)),
        alarm_keys(std::chrono::seconds(options.alarm_dedup_seconds)) {
    std::random_device rd;
    next_sn = 100000 + rd() % 800000;  // SNs are the platform's own choice; wvp uses random 6-digit ones
  }

  void OnMessage(std::string_view bytes, const sip::Peer& from);
  void OnRequest(const sip::Message& req, const sip::Peer& from);
  void Respond(const sip::Message& req, const sip::Peer& from, const std::string& key, int status,
               std::string_view reason, const std::vector<sip::Header>& extra = {});
  void OnRegister(const sip::Message& req, const sip::Peer& from, const std::string& key);
  void OnMessageRequest(const sip::Message& req, const sip::Peer& from, const std::string& key);
  void SendRequest(const Registration& to, std::string body, std::string what);
  void SendCatalogQuery(const std::string& device_id, bool automatic);
  void OnTick(SteadyClock::time_point now);
  SteadyClock::time_point last_sweep{};
  void OnConnectionClosed(const sip::Peer& peer);
};

void Server::Impl::OnMessage(std::string_view bytes, const sip::Peer& from) {
  auto parsed = sip::Parse(bytes);
  if (!parsed) {
    ++malformed;
    if (log::Enabled(log::Level::kDebug))
      log::Event(log::Level::kDebug, "gb.malformed", {{"from", from.address}, {"port", from.port}});
    return;
  }
  if (!parsed->is_request) {
    if (!client_tx.OnResponse(*parsed) && log::Enabled(log::Level::kDebug))
      log::Event(log::Level::kDebug, "gb.stray_response", {{"status", parsed->status}});
    return;
  }
  if (!sip::HasMandatoryHeaders(*parsed)) {
    ++malformed;  // cannot be answered correctly without them
    return;
  }
  OnRequest(*parsed, from);
}

void Server::Impl::OnRequest(const sip::Message& req, const sip::Peer& from) {
  if (req.method == "ACK") return;
  const std::string key = sip::ServerTransactions::Key(req);
  if (const std::string* replay = server_tx.Find(key)) {
    ++retransmissions;
    transport->Send(from, *replay);
    return;
  }
  if (req.method == "REGISTER") return OnRegister(req, from, key);
  if (req.method == "MESSAGE") return OnMessageRequest(req, from, key);
  if (req.method == "OPTIONS") return Respond(req, from, key, 200, "OK", {{"Allow", "REGISTER, MESSAGE, OPTIONS"}});
  Respond(req, from, key, 501, "Not Implemented", {{"Allow", "REGISTER, MESSAGE, OPTIONS"}});
}

void Server::Impl::Respond(const sip::Message& req, const sip::Peer& from, const std::string& key, int status,
                           std::string_view reason, const std::vector<sip::Header>& extra) {
  sip::Message r = sip::MakeResponse(req, status, reason, from, sip::RandomHex(6));
  for (const auto& h : extra) r.Add(h.name, h.value);
  r.Add("User-Agent", options.user_agent);
  std::string wire = sip::Serialize(r);
  if (status >= 200) server_tx.Remember(key, wire, SteadyClock::now());
  transport->Send(from, std::move(wire));
}

void Server::Impl::OnRegister(const sip::Message& req, const sip::Peer& from, const std::string& key) {
  const auto now = std::chrono::system_clock::now();
  auto outcome = registrar.Register(
      req, from, [this](const std::string& id) { return sink.PasswordFor(id); }, now, SteadyClock::now());
  std::vector<sip::Header> extra;
  switch (outcome.verdict) {
    case Registrar::Verdict::kChallenge:
      extra.push_back({"WWW-Authenticate", outcome.www_authenticate});
      break;
    case Registrar::Verdict::kUnknownDevice:
    case Registrar::Verdict::kWrongPassword:
      ++auth_failures;
      log::Event(
          log::Level::kWarn, "gb.register_rejected",
          {{"device", outcome.device_id},
           {"from", from.address},
           {"reason", outcome.verdict == Registrar::Verdict::kUnknownDevice ? "unknown device" : "wrong password"}});
      break;
    case Registrar::Verdict::kRegistered:
    case Registrar::Verdict::kUnregistered: {
      if (const std::string* contact = req.Find("Contact")) extra.push_back({"Contact", *contact});
      extra.push_back({"Expires", std::to_string(outcome.expires)});
      extra.push_back({"Date", sip::FormatGbDate(now)});  // 校时 (2016 §9.10)
      break;
    }
    case Registrar::Verdict::kBadRequest:
      ++malformed;
      break;
  }
  // Answer first, then tell the sink (which may be slower).
  Respond(req, from, key, outcome.status, outcome.reason, extra);
  registered_devices = static_cast<int64_t>(registrar.size());
  if (outcome.verdict == Registrar::Verdict::kRegistered) {
    ++registers;
    log::Event(log::Level::kInfo, "gb.registered",
               {{"device", outcome.device_id},
                {"from", from.address},
                {"port", from.port},
                {"transport", from.transport_name()},
                {"expires", outcome.expires}});
    sink.Registered(outcome.device_id, ToEndpoint(from, now), outcome.expires);
    SendCatalogQuery(outcome.device_id, true);
  } else if (outcome.verdict == Registrar::Verdict::kUnregistered) {
    log::Event(log::Level::kInfo, "gb.unregistered", {{"device", outcome.device_id}});
    last_catalog_query.erase(outcome.device_id);
    sink.Unregistered(outcome.device_id);
  }
}

void Server::Impl::OnMessageRequest(const sip::Message& req, const sip::Peer& from, const std::string& key) {
  const auto now = std::chrono::system_clock::now();
  const auto steady_now = SteadyClock::now();
  const std::string* content_type = req.Find("Content-Type");
  std::string_view media = content_type ? std::string_view(*content_type) : std::string_view();
  media = media.substr(0, media.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  if (!sip::EqualsIgnoreCase(media, kManscdp))
    return Respond(req, from, key, 415, "Unsupported Media Type", {{"Accept", std::string(kManscdp)}});
  auto body = ParseManscdp(req.body);
  if (!body) {
    ++malformed;
    return Respond(req, from, key, 400, "Bad Request");
  }
  ++messages;
  const std::string device_id = UserOfFrom(req);
  const bool registered = registrar.Find(device_id, steady_now) != nullptr;
  const bool keepalive = IsRoot(*body, "Notify", "Keepalive");

  if (!registered) {
    // A device without a current registration (expired, or the server restarted).
    const bool known = sink.PasswordFor(device_id).has_value();
    if (keepalive) {
      if (options.unregistered_keepalive == UnregisteredKeepalive::kIgnore) return;
      if (options.unregistered_keepalive == UnregisteredKeepalive::kNotFound || !known)
        return Respond(req, from, key, 404, "Not Found");
    } else if (!known) {
      return Respond(req, from, key, 404, "Not Found");
    }
    // Other messages of a known device (an alarm above all) are taken: dropping an alarm because
    // the registration lapsed would lose it.
  } else {
    registrar.Touch(device_id, from);
  }

  // 200 before any processing (gb28181-brief §8.2.7).
  Respond(req, from, key, 200, "OK");

  if (keepalive) {
    ++keepalives;
    sink.Keepalive(device_id, ToEndpoint(from, now));
    return;
  }
  if (IsRoot(*body, "Notify", "Alarm")) {
    auto alarm = AlarmFrom(*body, device_id);
    if (!alarm) {
      ++malformed;
      return;
    }
    alarm->received_at = now;
    const std::string dedup = device_id + '|' + alarm->channel_id + '|' + alarm->sn + '|' + alarm->device_time;
    if (!alarm_keys.SeenBefore(dedup, steady_now)) {
      ++alarms;
      log::Event(log::Level::kInfo, "gb.alarm",
                 {{"device", device_id},
                  {"channel", alarm->channel_id},
                  {"method", alarm->method},
                  {"priority", alarm->priority},
                  {"sn", alarm->sn}});
      sink.Alarm(*alarm);
    }
    if (options.answer_alarms) {
      Registration to;
      if (const Registration* r = registrar.Find(device_id, steady_now)) to = *r;
      to.device_id = device_id;
      to.peer = from;
      SendRequest(to, AlarmResponseBody(alarm->sn, alarm->channel_id), "alarm response");
    }
    return;
  }
  if (IsRoot(*body, "Response", "Catalog")) {
    auto packet = CatalogFrom(*body);
    if (!packet) {
      ++malformed;
      return;
    }
    if (auto done = catalogs.Add(device_id, std::move(*packet), steady_now)) {
      ++catalogs_done;
      sink.Catalog(done->device_id, std::move(done->items), done->declared_sum, true);
    }
    return;
  }
  // Other answers (DeviceInfo, DeviceStatus, Control results...) are acknowledged and not used yet.
}

void Server::Impl::SendRequest(const Registration& to, std::string body, std::string what) {
  const std::string local = transport->LocalAddressFor(to.peer);
  const uint16_t local_port = to.peer.reliable() ? transport->tcp_port() : transport->udp_port();
  const std::string branch = "z9hG4bK" + sip::RandomHex(8);
  sip::Message m;
  m.method = "MESSAGE";
  const std::string host =
      to.peer.address.find(':') != std::string::npos ? '[' + to.peer.address + ']' : to.peer.address;
  m.uri = "sip:" + to.device_id + '@' + host + ':' + std::to_string(to.peer.port);
  m.Add("Via", std::string("SIP/2.0/") + (to.peer.reliable() ? "TCP " : "UDP ") + local + ':' +
                   std::to_string(local_port) + ";rport;branch=" + branch);
  m.Add("From", "<sip:" + options.server_id + '@' + options.realm + ">;tag=" + sip::RandomHex(6));
  m.Add("To", "<sip:" + to.device_id + '@' + options.realm + '>');
  m.Add("Call-ID", sip::RandomHex(12) + '@' + local);
  m.Add("CSeq", std::to_string(next_cseq++) + " MESSAGE");
  m.Add("Max-Forwards", "70");
  m.Add("User-Agent", options.user_agent);
  m.Add("Content-Type", std::string(kManscdp));
  m.body = std::move(body);
  std::string wire = sip::Serialize(m);
  transport->Send(to.peer, wire);
  client_tx.Start(branch, std::move(wire), to.peer, SteadyClock::now(),
                  [device = to.device_id, what = std::move(what)](int status) {
                    if (status >= 300)
                      log::Event(log::Level::kWarn, "gb.request_failed",
                                 {{"device", device}, {"request", what}, {"status", status}});
                  });
}

void Server::Impl::SendCatalogQuery(const std::string& device_id, bool automatic) {
  const auto now = SteadyClock::now();
  const Registration* r = registrar.Find(device_id, now);
  if (r == nullptr) return;
  auto last = last_catalog_query.find(device_id);
  if (automatic && last != last_catalog_query.end() &&
      now - last->second < std::chrono::seconds(options.catalog_requery_seconds))
    return;
  last_catalog_query[device_id] = now;
  const std::string sn = std::to_string(next_sn++);
  SendRequest(*r, CatalogQueryBody(sn, device_id), "catalog query");
}

void Server::Impl::OnTick(SteadyClock::time_point now) {
  for (auto& resend : client_tx.Tick(now)) transport->Send(resend.peer, std::move(resend.bytes));
  // Expiring registrations and cached responses walks every entry: once a second is precise
  // enough (expiries are in seconds) and keeps 100,000 devices from costing a scan every tick.
  const bool sweep = now - last_sweep >= std::chrono::seconds(1);
  if (sweep) {
    last_sweep = now;
    server_tx.Expire(now);
    alarm_keys.Expire(now);
  }
  for (auto& f : catalogs.Expire(now)) {
    ++catalogs_done;
    log::Event(log::Level::kWarn, "gb.catalog_incomplete",
               {{"device", f.device_id}, {"received", f.items.size()}, {"declared", f.declared_sum}});
    sink.Catalog(f.device_id, std::move(f.items), f.declared_sum, false);
  }
  if (sweep) registrar.Expire(now);
  registered_devices = static_cast<int64_t>(registrar.size());
}

void Server::Impl::OnConnectionClosed(const sip::Peer& peer) {
  for (const auto& device : registrar.DropConnection(peer.connection)) {
    log::Event(log::Level::kInfo, "gb.connection_lost", {{"device", device}});
    sink.ConnectionLost(device);
  }
  registered_devices = static_cast<int64_t>(registrar.size());
}

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, Sink& sink) {
  if (options.server_id.size() != 20 || !AllDigits(options.server_id))
    return Fail(Error::Invalid("server_id", "a GB/T 28181 ID is 20 digits"));
  if (options.realm.empty()) options.realm = options.server_id.substr(0, 10);
  if (options.min_expires < 1 || options.max_expires < options.min_expires || options.default_expires < 1)
    return Fail(Error::Invalid("expires", "need 1 <= min_expires <= max_expires and default_expires >= 1"));
  RegistrarOptions r;
  r.realm = options.realm;
  r.default_expires = options.default_expires;
  r.min_expires = options.min_expires;
  r.max_expires = options.max_expires;
  r.nonce_lifetime_seconds =
      options.nonce_lifetime_seconds > 0 ? options.nonce_lifetime_seconds : options.max_expires + 600;
  auto impl = std::make_unique<Impl>(options, sink, std::move(r));
  Impl* raw = impl.get();
  sip::TransportOptions t;
  t.address = options.address;
  t.port = options.port;
  t.udp = options.udp;
  t.tcp = options.tcp;
  sip::TransportHandlers h;
  h.on_message = [raw](std::string_view bytes, const sip::Peer& from) { raw->OnMessage(bytes, from); };
  h.on_stream_error = [raw](const sip::Peer&) { ++raw->malformed; };
  h.on_connection_closed = [raw](const sip::Peer& peer) { raw->OnConnectionClosed(peer); };
  h.on_tick = [raw](SteadyClock::time_point now) { raw->OnTick(now); };
  auto transport = sip::Transport::Start(std::move(t), std::move(h));
  if (!transport) return Fail(transport.error());
  impl->transport = std::move(*transport);
  log::Event(log::Level::kInfo, "gb.listening",
             {{"address", options.address},
              {"udp", impl->transport->udp_port()},
              {"tcp", impl->transport->tcp_port()},
              {"server_id", options.server_id},
              {"realm", options.realm}});
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

uint16_t Server::udp_port() const { return impl_->transport->udp_port(); }
uint16_t Server::tcp_port() const { return impl_->transport->tcp_port(); }

void Server::QueryCatalog(const std::string& device_id) {
  Impl* impl = impl_.get();
  impl->transport->Post([impl, device_id] { impl->SendCatalogQuery(device_id, false); });
}

void Server::Stop() {
  if (impl_ && impl_->transport) impl_->transport->Stop();
}

Server::Stats Server::stats() const {
  Stats s;
  s.registers = impl_->registers;
  s.auth_failures = impl_->auth_failures;
  s.keepalives = impl_->keepalives;
  s.messages = impl_->messages;
  s.malformed = impl_->malformed;
  s.alarms = impl_->alarms;
  s.catalogs = impl_->catalogs_done;
  s.retransmissions = impl_->retransmissions;
  s.registered_devices = impl_->registered_devices;
  return s;
}

}  // namespace xiaoan::devices::gb
