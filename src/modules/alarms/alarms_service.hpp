// The alarms module's service: one-click alarms raised from the guard's button, from alarm hosts
// and regional interfaces over HTTP (alarm-source keys, not sessions) and from GB/T 28181 devices;
// their lifecycle raised → acknowledged → dispatched → on scene → closed; escalation of alarms
// nobody acknowledged; figures per unit. Every change is written with its audit record and then
// published to the live consoles whose jurisdiction holds the school. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/principal.hpp"
#include "modules/alarms/alarm_types.hpp"
#include "modules/audit/audit_log.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::alarms {

struct AlarmSettings {
  // An alarm nobody acknowledged climbs a level after this long, and again (county → city → province).
  int escalate_seconds = 120;
  // An alarm host's pressed_at may be at most this old: hosts buffer events while their line is
  // down and send them when it is back, but a line down for longer is a fault to be repaired within
  // 24 h (RULES.md "Four 100%"), and a press older than that is no longer an alarm to answer.
  int pressed_at_max_age_hours = 24;
};

// Called after a change is durable: (school path, event type, the alarm as JSON text).
using Publisher = std::function<void(const std::string& path, const std::string& type, const std::string& data_json)>;
// Called when a test alarm is closed: records the test in the school's ledger (the four-100% rule
// "tested in the last 31 days"). Must be idempotent per alarm id.
using TestRecorder = std::function<Status(const Alarm& alarm)>;

class AlarmsService {
 public:
  AlarmsService(db::Database& db, const audit::AuditLog& audit, const Clock& clock, AlarmSettings settings = {})
      : db_(db), audit_(audit), clock_(clock), settings_(settings) {}

  void SetPublisher(Publisher p) { publish_ = std::move(p); }
  void SetTestRecorder(TestRecorder r) { record_test_ = std::move(r); }

  // The alarm button of a school's staff (the guard's page). `in.dedup_key` is the request's
  // Idempotency-Key, if any: a retry answers the alarm already raised and writes nothing; the same
  // key with another kind, priority, location or description is kInvalidArgument (reason
  // idempotency_key_reused, field Idempotency-Key).
  [[nodiscard]] Result<Alarm> Raise(const Principal& p, const audit::Actor& a, RaiseInput in);
  // An alarm host or regional interface, authenticated by its key ("<id>.<secret>"). The school is
  // the key's; a device_id must be one of the school's active devices in its ledger, and pressed_at
  // at most `pressed_at_max_age_hours` old (kInvalidArgument naming the field). A repeated event id answers the stored
  // alarm and writes nothing.
  [[nodiscard]] Result<Alarm> Ingest(const std::string& key, RaiseInput in);
  // A GB/T 28181 device's alarm notification (already authenticated by its registration).
  [[nodiscard]] Result<Alarm> RaiseFromDevice(RaiseInput in);

  // The next step of the alarm's life with a note; `outcome` is required to close.
  [[nodiscard]] Result<Alarm> Advance(const Principal& p, const audit::Actor& a, int64_t id, const std::string& to,
                                      const std::string& note, const std::optional<std::string>& outcome);
  [[nodiscard]] Result<std::pair<std::vector<Alarm>, int64_t>> List(const Principal& p, const AlarmFilter& f);
  [[nodiscard]] Result<Alarm> Get(const Principal& p, int64_t id);
  // False-alarm rate, monthly test coverage and acknowledgement time per child unit, for the
  // Shanghai days [from, to].
  [[nodiscard]] Result<AlarmStats> Stats(const Principal& p, const std::string& org, Day from, Day to);

  [[nodiscard]] Result<AlarmSource> CreateSource(const Principal& p, const audit::Actor& a, const std::string& school,
                                                 const std::string& name);
  [[nodiscard]] Result<std::vector<AlarmSource>> Sources(const Principal& p, const std::string& school);
  [[nodiscard]] Result<AlarmSource> RevokeSource(const Principal& p, const audit::Actor& a, const std::string& school,
                                                 int64_t id);

  // Climbs every unacknowledged real alarm whose time is up (timed job). Answers how many.
  [[nodiscard]] Result<int64_t> EscalateDue();

 private:
  [[nodiscard]] Result<Alarm> Store(const std::string& source, const std::optional<std::string>& source_ref,
                                    const std::string& raised_by, const audit::Actor& actor, const RaiseInput& in);
  [[nodiscard]] Result<Alarm> Load(db::Connection& c, const std::string& scope_lower, int64_t id) const;
  void Publish(const Alarm& alarm, const std::string& type) const;

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  AlarmSettings settings_;
  Publisher publish_;
  TestRecorder record_test_;
};

// The alarm as the API and the live push show it.
[[nodiscard]] std::string AlarmJson(const Alarm& a);

}  // namespace xiaoan::alarms
