#include "modules/devices/liveness.hpp"

#include <gtest/gtest.h>

namespace xiaoan::devices {
namespace {

const TimePoint kStart = *ParseRfc3339("2026-11-30T08:00:00+08:00");
const LivenessSettings kSettings{60, 3, 240};

TimePoint At(int seconds) { return kStart + std::chrono::seconds(seconds); }

TEST(Liveness, OnlineWhileKeepalivesComeAndOfflineAfterThreeMissedIntervals) {
  Liveness l;
  OnRegistered(l, At(10), 3600);
  EXPECT_EQ(Evaluate(l, At(10), kStart, kSettings), DeviceStatus::kOnline);
  OnKeepalive(l, At(70));
  EXPECT_EQ(Evaluate(l, At(70 + 180), kStart, kSettings), DeviceStatus::kOnline);   // exactly three intervals
  EXPECT_EQ(Evaluate(l, At(70 + 181), kStart, kSettings), DeviceStatus::kOffline);  // one second more
  OnKeepalive(l, At(300));
  EXPECT_EQ(Evaluate(l, At(301), kStart, kSettings), DeviceStatus::kOnline);  // back
}

TEST(Liveness, ALapsedRegistrationOrAGoodbyeIsOfflineAtOnce) {
  Liveness l;
  OnRegistered(l, At(0), 120);
  OnKeepalive(l, At(100));
  EXPECT_EQ(Evaluate(l, At(120), kStart, kSettings), DeviceStatus::kOnline);
  EXPECT_EQ(Evaluate(l, At(121), kStart, kSettings), DeviceStatus::kOffline);  // keepalives do not renew a registration
  OnRegistered(l, At(130), 3600);
  EXPECT_EQ(Evaluate(l, At(131), kStart, kSettings), DeviceStatus::kOnline);
  OnGone(l, At(140));
  EXPECT_EQ(Evaluate(l, At(141), kStart, kSettings), DeviceStatus::kOffline);
}

TEST(Liveness, AfterARestartADeviceNotYetHeardIsUnknownNeverFalselyOffline) {
  // Heard before the restart (persisted), silent since: unknown during the grace period.
  Liveness l;
  OnRegistered(l, kStart - std::chrono::seconds(30), 3600);
  EXPECT_EQ(Evaluate(l, At(1), kStart, kSettings), DeviceStatus::kUnknown);
  EXPECT_EQ(Evaluate(l, At(239), kStart, kSettings), DeviceStatus::kUnknown);
  // It re-registers within the grace period: online.
  Liveness back = l;
  OnRegistered(back, At(200), 3600);
  EXPECT_EQ(Evaluate(back, At(201), kStart, kSettings), DeviceStatus::kOnline);
  // It never comes back: offline once the grace period is over.
  EXPECT_EQ(Evaluate(l, At(241), kStart, kSettings), DeviceStatus::kOffline);
  // Never heard at all: unknown, then offline.
  Liveness never;
  EXPECT_EQ(Evaluate(never, At(5), kStart, kSettings), DeviceStatus::kUnknown);
  EXPECT_EQ(Evaluate(never, At(300), kStart, kSettings), DeviceStatus::kOffline);
}

}  // namespace
}  // namespace xiaoan::devices
