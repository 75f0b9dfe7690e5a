// The alarms module's values: one-click alarm events, their steps, the HTTP alarm sources, and the
// figures per unit (false-alarm rate, monthly test coverage).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace xiaoan::alarms {

struct AlarmStep {
  std::string step, at, by, note;
};

struct Alarm {
  int64_t id = 0;
  std::string school_code, school_name, county_code, path;
  std::string source;  // button | ingest | gb28181
  std::optional<std::string> device_id;
  std::string kind;  // real | test | drill
  int64_t priority = 1;
  std::string pressed_at, received_at, location, description;
  std::string status;  // raised | acknowledged | dispatched | on_scene | closed
  std::string level;   // county | city | province: who must answer it now
  std::optional<std::string> escalate_at, acknowledged_at, acknowledged_by, dispatched_at, on_scene_at, closed_at,
      outcome;
  std::string raised_by;
  // Who raised it as people know it: the alarm source's name for an alarm host, the device's name
  // in the school's ledger for a GB/T 28181 device; nullopt for a person (raised_by is the username).
  std::optional<std::string> raised_by_name;
  std::vector<AlarmStep> steps;  // detail only
};

// What raises an alarm, from any source.
struct RaiseInput {
  std::string school_code;
  std::string kind = "real";
  int64_t priority = 1;
  std::optional<std::string> pressed_at;  // RFC 3339; the server's receive time when absent
  std::string location, description;
  std::optional<std::string> device_id;  // 20-digit national id
  std::optional<std::string> dedup_key;  // the sender's event id, or the button's Idempotency-Key
};

struct AlarmFilter {
  std::string org;
  std::optional<std::string> status;          // open (anything not closed) | closed | a status
  std::optional<std::string> kind, from, to;  // from/to: Shanghai days of received_at (the server's clock)
  int64_t limit = 50, offset = 0;
};

struct AlarmSource {
  int64_t id = 0;
  std::string school_code, name, created_by, created_at;
  std::optional<std::string> revoked_at, last_used_at;
  std::optional<std::string> key;  // only in the answer that creates it
};

struct UnitAlarmFigures {
  std::string code, name, level;
  int64_t schools = 0;
  int64_t real = 0, false_alarms = 0, tests = 0, drills = 0;
  int64_t schools_tested = 0;  // schools with a test in the period
  std::optional<double> false_rate, test_coverage;
  std::optional<double> ack_p50_seconds;
};
struct AlarmStats {
  std::string from, to;
  UnitAlarmFigures unit;
  std::vector<UnitAlarmFigures> children;
};

}  // namespace xiaoan::alarms
