// Multi-packet catalog answers (目录查询应答, GB/T 28181 "支持多响应消息传输"): packets are
// collected by (device, SN) until SumNum distinct items have arrived, or handed over incomplete
// when no packet came for the timeout. Single-threaded (the SIP I/O thread).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "modules/devices/gb28181/manscdp.hpp"

namespace xiaoan::devices::gb {

class CatalogAssembler {
 public:
  using Time = std::chrono::steady_clock::time_point;
  struct Finished {
    std::string device_id;
    std::vector<CatalogItem> items;  // in arrival order, one per item DeviceID
    int declared_sum = 0;
    bool complete = false;
  };

  explicit CatalogAssembler(std::chrono::milliseconds timeout, size_t max_items = 100000)
      : timeout_(timeout), max_items_(max_items) {}

  // Adds one packet from `device_id`; the finished catalog when this packet completes it (an item
  // repeated in a later packet replaces the earlier one and counts once).
  [[nodiscard]] std::optional<Finished> Add(const std::string& device_id, CatalogPacket packet, Time now);
  // Catalogs whose last packet is older than the timeout, handed over incomplete.
  [[nodiscard]] std::vector<Finished> Expire(Time now);
  [[nodiscard]] size_t open() const { return open_.size(); }

 private:
  struct Open {
    std::vector<CatalogItem> items;
    std::map<std::string, size_t> index;  // item DeviceID -> position in items
    int sum = 0;
    Time last;
  };
  std::chrono::milliseconds timeout_;
  size_t max_items_;
  std::map<std::pair<std::string, std::string>, Open> open_;  // (device, SN)
};

// Keys seen within a window (alarm dedup by device, channel, SN and AlarmTime). Single-threaded.
class RecentKeys {
 public:
  using Time = std::chrono::steady_clock::time_point;
  explicit RecentKeys(std::chrono::seconds window) : window_(window) {}
  // True when `key` was inserted within the window (a duplicate); otherwise remembers it.
  bool SeenBefore(const std::string& key, Time now);
  void Expire(Time now);

 private:
  std::chrono::seconds window_;
  std::map<std::string, Time> seen_;
};

}  // namespace xiaoan::devices::gb
