#include "modules/devices/liveness.hpp"

namespace xiaoan::devices {

const char* StatusName(DeviceStatus s) {
  switch (s) {
    case DeviceStatus::kOnline:
      return "online";
    case DeviceStatus::kOffline:
      return "offline";
    case DeviceStatus::kUnknown:
      break;
  }
  return "unknown";
}

void OnRegistered(Liveness& l, TimePoint now, int expires_seconds) {
  l.last_seen = now;
  l.registered_until = now + std::chrono::seconds(expires_seconds);
  l.gone_at.reset();
}

void OnKeepalive(Liveness& l, TimePoint now) {
  l.last_seen = now;
  l.gone_at.reset();
}

void OnGone(Liveness& l, TimePoint now) {
  l.gone_at = now;
  l.registered_until = now;
}

DeviceStatus Evaluate(const Liveness& l, TimePoint now, TimePoint started, const LivenessSettings& s) {
  if (l.gone_at) return DeviceStatus::kOffline;  // it said goodbye, or its connection is gone
  const auto silence = std::chrono::seconds(static_cast<int64_t>(s.keepalive_seconds) * s.missed_keepalives);
  const bool heard_since_start = l.last_seen && *l.last_seen >= started;
  if (!heard_since_start && now < started + std::chrono::seconds(s.restart_grace_seconds))
    return DeviceStatus::kUnknown;
  if (!l.last_seen) return DeviceStatus::kOffline;
  if (now - *l.last_seen > silence) return DeviceStatus::kOffline;
  if (l.registered_until && now > *l.registered_until) return DeviceStatus::kOffline;
  return DeviceStatus::kOnline;
}

}  // namespace xiaoan::devices
