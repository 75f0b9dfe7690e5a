#include "modules/devices/devices_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "base/scope.hpp"
#include "base/thread_name.hpp"
#include "modules/org/org_store.hpp"
#include "platform/log/log.hpp"
#include "xiaoan_devices_sql.hpp"

namespace xiaoan::devices {
namespace q = xiaoan::devices::sql;
using json = nlohmann::json;

namespace {

using db::Opt;

std::optional<std::string> Time(const std::optional<TimePoint>& t) {
  return t ? std::optional<std::string>(FormatRfc3339(*t)) : std::nullopt;
}
std::optional<TimePoint> ParseOpt(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  auto t = ParseRfc3339(*s);
  return t ? std::optional<TimePoint>(*t) : std::nullopt;
}
json Nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
bool IsVideo(const std::string& kind) { return kind == "camera" || kind == "nvr"; }

}  // namespace

std::string DeviceJson(const DeviceView& d) {
  return json{{"national_id", d.national_id},
              {"school_code", d.school_code},
              {"kind", d.kind},
              {"name", d.name},
              {"location", d.location},
              {"status", d.status},
              {"status_since", d.status_since},
              {"last_seen", Nullable(d.last_seen)},
              {"registered_until", Nullable(d.registered_until)},
              {"transport", Nullable(d.transport)},
              {"address", Nullable(d.address)},
              {"channels", d.channels ? json(*d.channels) : json(nullptr)},
              {"expected_channels", d.expected_channels}}
      .dump();
}

DeviceService::DeviceService(db::Database& db, const Clock& clock, alarms::AlarmsService& alarms,
                             InventorySource inventory, DeviceSettings settings)
    : db_(db), clock_(clock), alarms_(alarms), inventory_(std::move(inventory)), settings_(std::move(settings)) {}

DeviceService::~DeviceService() { Stop(); }

Status DeviceService::RefreshInventory() {
  auto inv = inventory_();
  if (!inv) return Fail(inv.error());
  const std::string now = FormatRfc3339(clock_.Now());
  std::lock_guard lock(mu_);
  last_refresh_ = std::chrono::steady_clock::now();
  std::set<std::string> present;
  for (auto& d : *inv) {
    // An id the ledger holds twice (written before the ledger refused it) stays with the device
    // that had it first: the inventory lists the older first.
    if (!present.insert(d.national_id).second) continue;
    auto [it, fresh] = devices_.try_emplace(d.national_id);
    if (fresh) it->second.status_since = now;
    it->second.inv = std::move(d);
  }
  std::erase_if(devices_, [&](const auto& kv) { return !present.contains(kv.first); });
  return {};
}

Status DeviceService::Start() {
  started_ = clock_.Now();
  if (auto s = RefreshInventory(); !s) return s;
  auto rows = db::ReadResult<std::vector<db::Row>>(
      db_, [&](db::Connection& c) -> Result<std::vector<db::Row>> { return c.Query(q::kLoadStatus, {}); });
  if (!rows) return Fail(rows.error());
  {
    std::lock_guard lock(mu_);
    for (const auto& r : *rows) {
      auto it = devices_.find(r.Text(0));
      if (it == devices_.end()) continue;
      Tracked& t = it->second;
      t.liveness.registered_until = ParseOpt(r.OptText(1));
      t.liveness.last_seen = ParseOpt(r.OptText(2));
      t.liveness.gone_at = ParseOpt(r.OptText(3));
      t.transport = r.OptText(4);
      t.address = r.OptText(5);
      if (!r.IsNull(6)) t.port = r.Int(6);
      if (!r.IsNull(7)) t.channels = r.Int(7);
      if (!r.IsNull(8)) t.catalog_complete = r.Int(8) != 0;
      t.catalog_at = r.OptText(9);
      // After a restart a device is unknown until it speaks or the grace period ends.
      t.status = DeviceStatus::kUnknown;
      t.status_since = FormatRfc3339(started_);
    }
  }
  Sweep();
  thread_ = NamedThread("xiaoan-devices", [this] { Loop(); });
  return {};
}

void DeviceService::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  (void)Flush();
}

void DeviceService::Loop() {
  auto last_flush = std::chrono::steady_clock::now();
  auto last_inventory = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_ || !alarm_queue_.empty() || refresh_requested_; });
    if (stop_) break;
    const bool refresh_now = std::exchange(refresh_requested_, false);
    std::vector<gb::AlarmNotice> alarms;
    alarms.swap(alarm_queue_);
    lock.unlock();
    try {
      for (const auto& n : alarms) {
        std::string school;
        {
          std::lock_guard g(mu_);
          auto it = devices_.find(n.device_id);
          if (it != devices_.end()) school = it->second.inv.school_code;
        }
        if (school.empty()) continue;
        alarms::RaiseInput in;
        in.school_code = school;
        in.kind = "real";
        in.priority = n.priority >= 1 && n.priority <= 4 ? n.priority : 1;
        in.device_id = n.device_id;
        in.description = n.description.empty() ? fmt::format("设备报警（方式{}）", n.method) : n.description;
        in.location = n.channel_id;
        in.dedup_key = fmt::format("{}/{}/{}/{}", n.device_id, n.channel_id, n.sn, n.device_time).substr(0, 100);
        if (auto a = alarms_.RaiseFromDevice(in); !a)
          log::Event(log::Level::kWarn, "devices.alarm", {{"device", n.device_id}, {"error", a.error().message}});
      }
      Sweep();
      const auto now = std::chrono::steady_clock::now();
      if (now - last_flush >= std::chrono::seconds(settings_.flush_seconds)) {
        last_flush = now;
        if (auto s = Flush(); !s) log::Event(log::Level::kWarn, "devices.flush", {{"error", s.error().message}});
      }
      if (refresh_now || now - last_inventory >= std::chrono::seconds(settings_.inventory_seconds)) {
        last_inventory = now;
        if (auto s = RefreshInventory(); !s)
          log::Event(log::Level::kWarn, "devices.inventory", {{"error", s.error().message}});
      }
    } catch (const std::exception& e) {
      log::Event(log::Level::kError, "devices.exception", {{"error", e.what()}});
    }
    lock.lock();
  }
}

int64_t DeviceService::Sweep() {
  const TimePoint now = clock_.Now();
  std::vector<std::pair<std::string, std::string>> changed;  // (path, json)
  {
    std::lock_guard lock(mu_);
    counts_.clear();
    for (auto& [id, t] : devices_) {
      const DeviceStatus s = Evaluate(t.liveness, now, started_, settings_.liveness);
      if (s != t.status) {
        t.status = s;
        t.status_since = FormatRfc3339(now);
        t.dirty = true;
        changed.emplace_back(t.inv.path, DeviceJson(ViewOf(t)));
      }
      SchoolCounts& c = counts_[t.inv.path];
      const bool on = s == DeviceStatus::kOnline;
      if (IsVideo(t.inv.kind)) {
        c.video_expected += 1;
        c.video_online += on ? 1 : 0;
      } else {
        c.alarm_expected += 1;
        c.alarm_online += on ? 1 : 0;
      }
      c.offline += s == DeviceStatus::kOffline ? 1 : 0;
      c.unknown += s == DeviceStatus::kUnknown ? 1 : 0;
    }
  }
  if (!changed.empty()) {
    if (auto s = Flush(); !s) log::Event(log::Level::kWarn, "devices.flush", {{"error", s.error().message}});
    if (publish_)
      for (const auto& [path, data] : changed) publish_(path, "device.status", data);
  }
  return static_cast<int64_t>(changed.size());
}

Status DeviceService::Flush() {
  std::vector<db::Params> rows;
  {
    std::lock_guard lock(mu_);
    const std::string now = FormatRfc3339(clock_.Now());
    for (auto& [id, t] : devices_) {
      if (!t.dirty) continue;
      t.dirty = false;
      rows.push_back({id, t.inv.school_code, t.inv.path, std::string(StatusName(t.status)), Opt(t.transport),
                      Opt(t.address), Opt(t.port), Opt(Time(t.liveness.registered_until)),
                      Opt(Time(t.liveness.last_seen)), Opt(Time(t.liveness.gone_at)), Opt(t.channels),
                      t.catalog_complete ? db::Value(int64_t{*t.catalog_complete ? 1 : 0}) : db::Value(nullptr),
                      Opt(t.catalog_at), t.status_since, now});
    }
  }
  if (rows.empty()) return {};
  return db_.Write([&](db::Connection& tx) -> Status {
    for (const auto& p : rows)
      if (auto r = tx.Execute(q::kUpsertStatus, p); !r) return Fail(r.error());
    return {};
  });
}

DeviceView DeviceService::ViewOf(const Tracked& t) const {
  return DeviceView{
      t.inv.national_id,
      t.inv.school_code,
      t.inv.path,
      t.inv.kind,
      t.inv.name,
      t.inv.location,
      StatusName(t.status),
      t.status_since,
      Time(t.liveness.last_seen),
      Time(t.liveness.registered_until),
      t.transport,
      t.address ? std::optional<std::string>(fmt::format("{}:{}", *t.address, t.port.value_or(0))) : std::nullopt,
      t.channels,
      t.inv.expected_channels};
}

// ---- gb::Sink (SIP thread: quick, no database)

std::optional<std::string> DeviceService::PasswordFor(const std::string& device_id) {
  {
    std::lock_guard lock(mu_);
    if (devices_.contains(device_id))
      return settings_.password.empty() ? std::nullopt : std::optional(settings_.password);
    // Perhaps a device the ledger has just listed: the sweeper re-reads the inventory (at most
    // every 5 s, never on the SIP thread); the device is refused now and accepted on its retry.
    if (std::chrono::steady_clock::now() - last_refresh_ >= std::chrono::seconds(5)) refresh_requested_ = true;
  }
  cv_.notify_all();
  return std::nullopt;
}

void DeviceService::Seen(const std::string& device_id, const gb::Endpoint& from) {
  auto it = devices_.find(device_id);
  if (it == devices_.end()) return;
  it->second.transport = from.transport;
  it->second.address = from.address;
  it->second.port = from.port;
  it->second.dirty = true;
}

void DeviceService::Registered(const std::string& device_id, const gb::Endpoint& from, int expires_seconds) {
  {
    std::lock_guard lock(mu_);
    auto it = devices_.find(device_id);
    if (it == devices_.end()) return;
    OnRegistered(it->second.liveness, clock_.Now(), expires_seconds);
    Seen(device_id, from);
  }
  cv_.notify_all();
}

void DeviceService::Unregistered(const std::string& device_id) {
  std::lock_guard lock(mu_);
  auto it = devices_.find(device_id);
  if (it == devices_.end()) return;
  OnGone(it->second.liveness, clock_.Now());
  it->second.dirty = true;
}

void DeviceService::ConnectionLost(const std::string& device_id) { Unregistered(device_id); }

void DeviceService::Keepalive(const std::string& device_id, const gb::Endpoint& from) {
  std::lock_guard lock(mu_);
  auto it = devices_.find(device_id);
  if (it == devices_.end()) return;
  OnKeepalive(it->second.liveness, clock_.Now());
  Seen(device_id, from);
}

void DeviceService::Catalog(const std::string& device_id, std::vector<gb::CatalogItem> items, int declared_sum,
                            bool complete) {
  std::lock_guard lock(mu_);
  auto it = devices_.find(device_id);
  if (it == devices_.end()) return;
  it->second.channels = static_cast<int64_t>(items.size());
  it->second.catalog_complete = complete;
  it->second.catalog_at = FormatRfc3339(clock_.Now());
  it->second.dirty = true;
}

void DeviceService::Alarm(const gb::AlarmNotice& notice) {
  {
    std::lock_guard lock(mu_);
    alarm_queue_.push_back(notice);
  }
  cv_.notify_all();
}

// ---- reads

Result<std::pair<std::vector<DeviceView>, int64_t>> DeviceService::List(const Principal& p, const std::string& org,
                                                                        const std::string& status, int64_t limit,
                                                                        int64_t offset) {
  if (!status.empty() && status != "online" && status != "offline" && status != "unknown")
    return Fail(Error::Invalid("status", "Use online, offline or unknown."));
  auto unit =
      db::ReadResult<org::OrgUnit>(db_, [&](db::Connection& c) { return org::store::Get(c, Scope::Of(p), org); });
  if (!unit) return Fail(unit.error());
  const Scope scope = Scope::ForPath(unit->path);
  std::vector<DeviceView> all;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, t] : devices_)
      if (scope.Contains(t.inv.path) && (status.empty() || status == StatusName(t.status))) all.push_back(ViewOf(t));
  }
  std::sort(all.begin(), all.end(), [](const DeviceView& a, const DeviceView& b) {
    return std::tie(a.school_code, a.national_id) < std::tie(b.school_code, b.national_id);
  });
  const auto total = static_cast<int64_t>(all.size());
  std::vector<DeviceView> page;
  for (int64_t i = offset; i < total && i < offset + limit; ++i) page.push_back(all[static_cast<size_t>(i)]);
  return std::pair{std::move(page), total};
}

Result<Networking> DeviceService::Network(const Principal& p, const std::string& org_code) {
  Networking out;
  std::vector<std::string> prefixes;
  auto ok = db_.Read([&](db::Connection& c) -> Status {
    auto unit = org::store::Get(c, Scope::Of(p), org_code);
    if (!unit) return Fail(unit.error());
    out.unit = {unit->code, unit->name, org::LevelName(unit->level)};
    prefixes.push_back(unit->path);
    if (unit->level != org::Level::kSchool) {
      auto kids = org::store::Children(c, Scope::ForPath(unit->path), org_code, {1, 100000});
      if (!kids) return Fail(kids.error());
      for (const auto& k : kids->items) {
        if (!k.active) continue;
        prefixes.push_back(k.path);
        out.children.push_back({k.code, k.name, org::LevelName(k.level)});
      }
    }
    return {};
  });
  if (!ok) return Fail(ok.error());
  auto add = [](NetworkFigures& f, const SchoolCounts& c) {
    f.expected += c.alarm_expected + c.video_expected;
    f.online += c.alarm_online + c.video_online;
    f.offline += c.offline;
    f.unknown += c.unknown;
    f.alarm_expected += c.alarm_expected;
    f.alarm_online += c.alarm_online;
    f.video_expected += c.video_expected;
    f.video_online += c.video_online;
  };
  {
    std::lock_guard lock(mu_);
    // The schools under the unit are one contiguous range of paths.
    const Scope scope = Scope::ForPath(prefixes[0]);
    for (auto it = counts_.lower_bound(scope.lower()); it != counts_.end() && it->first < scope.upper(); ++it) {
      add(out.unit, it->second);
      for (size_t i = 1; i < prefixes.size(); ++i)
        if (it->first.starts_with(prefixes[i])) {
          add(out.children[i - 1], it->second);
          break;
        }
    }
  }
  auto rates = [](NetworkFigures& f) {
    auto r = [](int64_t a, int64_t b) { return b > 0 ? std::optional<double>(double(a) / double(b)) : std::nullopt; };
    f.rate = r(f.online, f.expected);
    f.alarm_rate = r(f.alarm_online, f.alarm_expected);
    f.video_rate = r(f.video_online, f.video_expected);
  };
  rates(out.unit);
  for (auto& c : out.children) rates(c);
  return out;
}

}  // namespace xiaoan::devices
