// Whether a device is online, from what it sent: a debounced state machine, pure. A device is
// offline after `missed_keepalives` keepalive intervals without a word or when its registration
// lapsed; right after a server restart nobody has had the chance to speak, so a device not heard
// since is "unknown" for a grace period instead of falsely offline (wvp #814). See
// ../shared/reference/gb28181-brief.md §3 and docs/architecture.md "Devices".
#pragma once

#include <optional>
#include <string>

#include "base/clock.hpp"

namespace xiaoan::devices {

enum class DeviceStatus { kUnknown, kOnline, kOffline };
[[nodiscard]] const char* StatusName(DeviceStatus s);  // unknown | online | offline

struct LivenessSettings {
  int keepalive_seconds = 60;  // the devices' keepalive interval (GB/T 28181 default)
  int missed_keepalives = 3;   // offline after this many intervals of silence
  int restart_grace_seconds = 240;
};

struct Liveness {
  std::optional<TimePoint> last_seen;         // last REGISTER or keepalive
  std::optional<TimePoint> registered_until;  // expiry of the current registration
  std::optional<TimePoint> gone_at;           // unregistered, or its TCP connection dropped
};

void OnRegistered(Liveness& l, TimePoint now, int expires_seconds);
void OnKeepalive(Liveness& l, TimePoint now);
void OnGone(Liveness& l, TimePoint now);

// The status at `now` of a device whose server started at `started`.
[[nodiscard]] DeviceStatus Evaluate(const Liveness& l, TimePoint now, TimePoint started, const LivenessSettings& s);

}  // namespace xiaoan::devices
