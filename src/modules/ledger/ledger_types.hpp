// The records of a school's security ledger (安全台账).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace xiaoan::ledger {

struct Guard {
  int64_t id = 0;
  std::string school_code;
  std::string name;
  std::optional<std::string> certificate_no;  // 保安员证
  std::optional<int64_t> birth_year;
  std::string employment = "full_time";       // full_time | part_time
  std::optional<std::string> employed_since;  // YYYY-MM-DD
  bool active = true;
  std::string updated_at;
  [[nodiscard]] bool operator==(const Guard&) const = default;
};

// A create (every field meant) or a patch (only the fields set).
struct GuardFields {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> certificate_no;
  std::optional<std::optional<int64_t>> birth_year;
  std::optional<std::string> employment;
  std::optional<std::optional<std::string>> employed_since;
  std::optional<bool> active;
  // Whether no field is set: a patch that would change nothing.
  [[nodiscard]] bool IsEmpty() const {
    return !name && !certificate_no && !birth_year && !employment && !employed_since && !active;
  }
};

// Whether a guard counts toward the required full-time guards, and why not: "part_time",
// "inactive", "no_certificate", "over_age".
[[nodiscard]] std::vector<std::string> GuardIssues(const Guard& g, int current_year, int max_age);

struct Patrol {
  int64_t id = 0;
  std::string patrolled_at, area, by_name, note, recorded_by;
  std::optional<std::string> idempotency_key;  // the client's Idempotency-Key, if sent
};

struct ClosedCheck {
  int64_t id = 0;
  std::string measure, status, checked_on, note;
  std::vector<std::string> photos;
  std::string recorded_by, recorded_at;
  std::optional<std::string> idempotency_key;
};

struct PostRecord {
  std::string day, session;
  int64_t police = 0, staff = 0, guards = 0;
  std::optional<std::string> start, end;
  std::string note, recorded_by, recorded_at;
};

struct Device {
  int64_t id = 0;
  std::string school_code;
  std::string kind = "alarm";  // alarm | camera | nvr
  std::string name, location;
  std::optional<std::string> national_id;
  bool police_networked = false;
  std::optional<std::string> installed_on;
  bool active = true;
  std::string updated_at;
  int64_t expected_channels = 1;  // channels its GB/T 28181 catalog should list
  [[nodiscard]] bool operator==(const Device&) const = default;
};

// The GB/T 28181 national ids of the demo showcase school's devices (9410105001): its one-click
// alarm box (type 134, alarm input) and its two cameras (type 131).
inline constexpr const char* kShowcaseDevices[3] = {"41010500001340000001", "41010500001310000002",
                                                    "41010500001310000003"};

// An active device with a national id, as the devices module monitors it.
struct InventoryDevice {
  std::string national_id, school_code, path, kind, name, location;
  int64_t expected_channels = 1;
};

struct DeviceFields {
  std::optional<std::string> kind, name, location;
  std::optional<std::optional<std::string>> national_id;
  std::optional<bool> police_networked;
  std::optional<std::optional<std::string>> installed_on;
  std::optional<bool> active;
  std::optional<int64_t> expected_channels;
  // Whether no field is set: a patch that would change nothing.
  [[nodiscard]] bool IsEmpty() const {
    return !kind && !name && !location && !national_id && !police_networked && !installed_on && !active &&
           !expected_channels;
  }
};

struct AlarmTest {
  int64_t id = 0;
  std::string tested_at;
  std::optional<int64_t> device_id;
  std::string result;  // pass | fail
  std::optional<int64_t> ack_seconds;
  std::string note, recorded_by;
  std::optional<std::string> idempotency_key;
};

// The measures of closed management, in the order of SchoolFacts::measures.
inline constexpr const char* kMeasures[4] = {"enclosure_anti_climb", "separate_gates", "anti_ram_barriers",
                                             "visitor_registration"};

}  // namespace xiaoan::ledger
