// The GB/T 28181 lower-level-platform endpoint: a SIP server on UDP and TCP that devices (IPCs,
// NVRs, alarm boxes) register to with digest MD5, send keepalives, catalog answers and alarms to,
// and that queries their catalog. What a device is and whether it is online is the devices
// module's business: the server reports what arrives through a Sink it implements.
// See docs/architecture.md, "GB/T 28181 endpoint", and docs/decisions/0009-sip-stack.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace xiaoan::devices::gb {

// Where a device's message came from: the packet's source, which is where answers go (NAT).
struct Endpoint {
  std::string transport;  // "udp" | "tcp"
  std::string address;
  uint16_t port = 0;
  std::chrono::system_clock::time_point received_at{};  // when the server read the message
};

// One entry of a device's catalog (设备目录): a channel, or a region or group node.
struct CatalogItem {
  std::string device_id, name, manufacturer, model, parent_id;
  std::string status;  // "ON"/"OFF" as sent
  std::optional<double> longitude, latitude;
  std::string civil_code, address, ip_address;
  std::optional<int> parental;
};

// An alarm notification (报警通知, Notify/Alarm).
struct AlarmNotice {
  std::string device_id;    // the registered device that sent it
  std::string channel_id;   // DeviceID in the body
  int priority = 0;         // AlarmPriority 1..4
  int method = 0;           // AlarmMethod 1..7
  std::optional<int> type;  // Info/AlarmType (or a top-level AlarmType)
  std::string device_time;  // AlarmTime as sent, device-local
  std::string description;
  std::optional<double> longitude, latitude;
  std::string sn;
  std::chrono::system_clock::time_point received_at{};  // server time, authoritative (device clocks drift)
};

// Implemented by the devices module. Called from the SIP thread(s); implementations must be quick
// and thread-safe.
class Sink {
 public:
  virtual ~Sink() = default;
  // The digest password of a device, or nullopt when the device is unknown (answer 403). An empty
  // password registers the device without digest authentication.
  virtual std::optional<std::string> PasswordFor(const std::string& device_id) = 0;
  virtual void Registered(const std::string& device_id, const Endpoint& from, int expires_seconds) = 0;
  // After an authenticated REGISTER with Expires: 0 (主动注销).
  virtual void Unregistered(const std::string& device_id) = 0;
  virtual void Keepalive(const std::string& device_id, const Endpoint& from) = 0;
  // A complete catalog (all SumNum items collected, or what arrived before the assembly timeout
  // with complete=false).
  virtual void Catalog(const std::string& device_id, std::vector<CatalogItem> items, int declared_sum,
                       bool complete) = 0;
  // Called once per alarm (duplicates by (device, SN/time/channel) within a window suppressed).
  virtual void Alarm(const AlarmNotice& notice) = 0;
  // A device registered over TCP lost that connection; GB/T 28181-2022 §9.1.1 f) counts it offline.
  // Its registration is forgotten (its next keepalive is treated as from an unregistered device).
  virtual void ConnectionLost(const std::string& device_id) {}
};

// How to answer a keepalive from a device that has no current registration (after its
// registration expired, or after a server restart).
enum class UnregisteredKeepalive {
  kIgnore,    // no answer (the standard's way, wvp gb-device-online: 0): after 3 unanswered
              // keepalives the device re-registers (2016 §9.6.1)
  kNotFound,  // 404 at once: the device re-registers sooner (wvp's MESSAGE handler)
  kAccept,    // 200 and a Keepalive event for a device the Sink knows (wvp gb-device-online: 1)
};

struct ServerOptions {
  std::string address = "127.0.0.1";  // numeric; "0.0.0.0" listens everywhere (never advertised)
  uint16_t port = 5060;               // 0 = any free port, same for udp & tcp
  bool udp = true, tcp = true;
  std::string server_id;       // 20 digits, type 200 (中心信令控制服务器)
  std::string realm;           // default: first 10 digits of server_id (the SIP domain, §1.2)
  int default_expires = 3600;  // when a REGISTER names no expiry
  // Granted expiry is clamped to [min_expires, max_expires]; the standard wants at least 3600 s.
  // Tests lower min_expires.
  int min_expires = 3600;
  int max_expires = 86400;
  // A nonce stays valid this long, so refreshes and unregisters reusing it pass (0 = max_expires + 600).
  int nonce_lifetime_seconds = 0;
  UnregisteredKeepalive unregistered_keepalive = UnregisteredKeepalive::kIgnore;
  // A catalog whose SumNum items have not all arrived this long after its last packet is handed
  // over incomplete.
  int catalog_timeout_ms = 5000;
  // Automatic catalog queries after a REGISTER are skipped when one went to the device this
  // recently (re-register storms); QueryCatalog itself always sends.
  int catalog_requery_seconds = 60;
  // Alarms with the same (device, channel, SN, AlarmTime) within this window are one alarm.
  int alarm_dedup_seconds = 600;
  // Send Response/Alarm Result OK after each alarm notify (2016 §9.4, step 3).
  bool answer_alarms = true;
  std::string user_agent = "XiaoAn";
};

class Server {
 public:
  // Binds UDP and TCP and runs its own I/O thread. kInvalidArgument for a bad server_id or
  // address, kUnavailable when a port cannot be bound.
  [[nodiscard]] static Result<std::unique_ptr<Server>> Start(ServerOptions options, Sink& sink);
  ~Server();  // stops

  [[nodiscard]] uint16_t udp_port() const;
  [[nodiscard]] uint16_t tcp_port() const;
  // Sends Query/Catalog to a registered device (done automatically after each successful
  // REGISTER). Thread-safe; nothing is sent when the device has no current registration.
  void QueryCatalog(const std::string& device_id);
  // Stops listening and joins the I/O thread; no Sink call happens after it returns. Idempotent.
  void Stop();

  // counters for /metrics
  struct Stats {
    int64_t registers = 0, auth_failures = 0, keepalives = 0, messages = 0, malformed = 0, alarms = 0, catalogs = 0;
    int64_t retransmissions = 0;  // requests answered from the transaction cache
    int64_t registered_devices = 0;
  };
  [[nodiscard]] Stats stats() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace xiaoan::devices::gb
