// The devices module's service: the GB/T 28181 devices a school's ledger lists (by national id),
// what they report through the SIP endpoint (it implements gb::Sink), whether each is online (the
// debounced state machine of liveness.hpp), and the networked rate per unit (online / expected),
// for alarm devices and video apart. State lives in memory and is persisted, so a restart starts
// from what was known. Device alarms become alarm events. Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/principal.hpp"
#include "modules/alarms/alarms_service.hpp"
#include "modules/devices/gb28181/gb_server.hpp"
#include "modules/devices/liveness.hpp"
#include "modules/ledger/ledger_types.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::devices {

struct DeviceSettings {
  // The digest password devices register with (the platform's SIP password, as devices are
  // configured with one). Empty: no device is accepted.
  std::string password;
  LivenessSettings liveness;
  int flush_seconds = 15;      // keepalive times are written in batches this often
  int inventory_seconds = 60;  // the ledger's device list is re-read this often
};

struct DeviceView {
  std::string national_id, school_code, school_path, kind, name, location;
  std::string status;  // unknown | online | offline
  std::string status_since;
  std::optional<std::string> last_seen, registered_until, transport, address;
  std::optional<int64_t> channels;  // items in its last catalog
  int64_t expected_channels = 1;    // what the ledger says it has
};

struct NetworkFigures {
  std::string code, name, level;
  int64_t expected = 0, online = 0, offline = 0, unknown = 0;
  int64_t alarm_expected = 0, alarm_online = 0, video_expected = 0, video_online = 0;
  std::optional<double> rate, alarm_rate, video_rate;
};
struct Networking {
  NetworkFigures unit;
  std::vector<NetworkFigures> children;
};

// The devices to monitor, oldest first (of two listing the same id, the first keeps it).
using InventorySource = std::function<Result<std::vector<ledger::InventoryDevice>>()>;
using StatusPublisher =
    std::function<void(const std::string& path, const std::string& type, const std::string& data_json)>;

class DeviceService final : public gb::Sink {
 public:
  DeviceService(db::Database& db, const Clock& clock, alarms::AlarmsService& alarms, InventorySource inventory,
                DeviceSettings settings);
  ~DeviceService() override;

  // Loads the inventory and the persisted state and starts the sweeper thread.
  [[nodiscard]] Status Start();
  // Writes what is pending and stops the thread. Idempotent.
  void Stop();
  void SetPublisher(StatusPublisher p) { publish_ = std::move(p); }

  [[nodiscard]] Result<std::pair<std::vector<DeviceView>, int64_t>> List(const Principal& p, const std::string& org,
                                                                         const std::string& status, int64_t limit,
                                                                         int64_t offset);
  [[nodiscard]] Result<Networking> Network(const Principal& p, const std::string& org);
  // Re-evaluates every device now (the sweeper does it every second); answers how many changed.
  int64_t Sweep();
  // Re-reads the inventory now.
  [[nodiscard]] Status RefreshInventory();

  // gb::Sink
  std::optional<std::string> PasswordFor(const std::string& device_id) override;
  void Registered(const std::string& device_id, const gb::Endpoint& from, int expires_seconds) override;
  void Unregistered(const std::string& device_id) override;
  void Keepalive(const std::string& device_id, const gb::Endpoint& from) override;
  void Catalog(const std::string& device_id, std::vector<gb::CatalogItem> items, int declared_sum,
               bool complete) override;
  void Alarm(const gb::AlarmNotice& notice) override;
  void ConnectionLost(const std::string& device_id) override;

 private:
  struct Tracked {
    ledger::InventoryDevice inv;
    Liveness liveness;
    DeviceStatus status = DeviceStatus::kUnknown;
    std::string status_since;
    std::optional<std::string> transport, address;
    std::optional<int64_t> port, channels;
    std::optional<bool> catalog_complete;
    std::optional<std::string> catalog_at;
    bool dirty = false;
  };
  [[nodiscard]] DeviceView ViewOf(const Tracked& t) const;
  [[nodiscard]] Status Flush();
  void Loop();
  void Seen(const std::string& device_id, const gb::Endpoint& from);

  db::Database& db_;
  const Clock& clock_;
  alarms::AlarmsService& alarms_;
  InventorySource inventory_;
  DeviceSettings settings_;
  StatusPublisher publish_;
  TimePoint started_{};

  // Figures per school path, rebuilt by each sweep (statuses change only there), so that a
  // unit's figures walk schools rather than every device under the lock the SIP thread needs.
  struct SchoolCounts {
    int64_t alarm_expected = 0, alarm_online = 0, video_expected = 0, video_online = 0, offline = 0, unknown = 0;
  };

  mutable std::mutex mu_;
  std::map<std::string, Tracked> devices_;      // by national id
  std::map<std::string, SchoolCounts> counts_;  // by school path
  std::vector<gb::AlarmNotice> alarm_queue_;
  bool refresh_requested_ = false;  // an unknown device tried to register
  std::chrono::steady_clock::time_point last_refresh_{};
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// How long the device has been in its status etc. as the API shows it.
[[nodiscard]] std::string DeviceJson(const DeviceView& d);

}  // namespace xiaoan::devices
