// Settings of a XiaoAn process. Precedence: command-line flags, then XIAOAN_* environment
// variables, then the TOML file given by --config / XIAOAN_CONFIG, then these defaults.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace CLI {
class App;
}

namespace xiaoan::app {

// The I/O threads a server starts unless told: one per core but one, at least one. Every write goes
// through the one writer thread (and its syncer), which takes up to a core under load; an I/O thread
// more than the cores left only contends with it (decision 0028).
int DefaultIoThreads();

struct Config {
  std::string db = "var/xiaoan.db";
  std::string address = "127.0.0.1";
  int port = 8080;
  std::string web_dir;  // built UI; empty = look for web/dist beside the working directory
  bool demo = false;
  int io_threads = DefaultIoThreads();
  int worker_threads = 32;
  int body_limit_kb = 2048;
  int header_limit_kb = 16;
  int read_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  int lockout_threshold = 5;
  int lockout_minutes = 15;
  int session_idle_minutes = 30;
  int session_max_hours = 12;
  int password_min_length = 10;
  int password_max_age_days = 180;
  bool cookie_secure = false;
  std::string audit_hash = "sha256";
  int audit_retention_days = 183;
  std::string log_level = "info";
  std::string guard_rules;  // guard staffing rule set id; "" = the default (GB/T 29315-2022)
  std::string files_dir;    // evidence photos; "" = "files" beside the database
  // 64 hex digits: the AES-256 key of fields encrypted at rest (students' names). "" = the key in
  // "field-key" beside the database, made on first start.
  std::string field_key;
  // The school calendar (data/rules/calendar.toml's format): school days for the 护学岗 rule and for
  // which days classes must report their health checks. "" = the calendar shipped in the build.
  std::string school_calendar;
  // One-click alarms: an unacknowledged real alarm climbs county → city → province after this long.
  int alarm_escalate_seconds = 120;
  // Hazards: one still overdue this many days after it climbed a level climbs again (挂牌督办).
  int hazard_reescalate_days = 7;
  // Rehearsals and tests only: the services' clock runs this many days ahead (deadlines pass).
  int clock_offset_days = 0;
  // The GB/T 28181 endpoint (UDP and TCP). It runs only with a password: devices register with it
  // (digest MD5). "" address = the HTTP address. Port 0 = any free port (tests).
  std::string gb_password;
  std::string gb_address;
  int gb_port = 5060;
  std::string gb_server_id = "41000000002000000001";  // 20 digits: Henan's domain, type 200 (SIP server)
  int gb_keepalive_seconds = 60;                      // the devices' keepalive interval; offline after 3 missed
  int gb_min_expires = 3600;                          // shortest registration granted (the standard wants 3600 s)
};

// Registers the serve flags on `app`, each with its XIAOAN_* environment variable.
void AddServeOptions(CLI::App& app, Config& config);
// Reads the TOML file at `path` into `config` (keys as the field names above).
// kInvalidArgument naming the key for a wrong type or an unknown key.
[[nodiscard]] Status LoadToml(const std::string& path, Config& config);
// The --config path in argv, or XIAOAN_CONFIG, if any.
[[nodiscard]] std::optional<std::string> ConfigPathFrom(int argc, const char* const* argv);
// Range checks after all sources are merged.
[[nodiscard]] Status Validate(const Config& config);

}  // namespace xiaoan::app
