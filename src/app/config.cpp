#include "app/config.hpp"

#include <toml++/toml.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <thread>

#include "modules/audit/audit_chain.hpp"

namespace xiaoan::app {

int DefaultIoThreads() {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());  // 0 when unknown
  return std::clamp(cores - 1, 1, 64);
}

void AddServeOptions(CLI::App& app, Config& c) {
  app.add_option("--db", c.db, "SQLite database file")->envname("XIAOAN_DB")->capture_default_str();
  app.add_option("--address", c.address, "Address to listen on")->envname("XIAOAN_ADDRESS")->capture_default_str();
  app.add_option("--port", c.port, "Port (0 = any free port)")
      ->envname("XIAOAN_PORT")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--web", c.web_dir, "Folder of the built web UI")->envname("XIAOAN_WEB");
  app.add_flag("--demo", c.demo, "Seed demo schools and accounts once")->envname("XIAOAN_DEMO");
  app.add_option("--io-threads", c.io_threads, "I/O threads (default: one per core but one)")
      ->capture_default_str()
      ->envname("XIAOAN_IO_THREADS")
      ->check(CLI::Range(1, 64));
  app.add_option("--worker-threads", c.worker_threads)->envname("XIAOAN_WORKER_THREADS")->check(CLI::Range(1, 1024));
  app.add_option("--body-limit-kb", c.body_limit_kb)->envname("XIAOAN_BODY_LIMIT_KB")->check(CLI::Range(1, 1 << 20));
  app.add_option("--lockout-threshold", c.lockout_threshold)
      ->envname("XIAOAN_LOCKOUT_THRESHOLD")
      ->check(CLI::Range(1, 100));
  app.add_option("--lockout-minutes", c.lockout_minutes)->envname("XIAOAN_LOCKOUT_MINUTES")->check(CLI::Range(1, 1440));
  app.add_option("--session-idle-minutes", c.session_idle_minutes)
      ->envname("XIAOAN_SESSION_IDLE_MINUTES")
      ->check(CLI::Range(1, 1440));
  app.add_option("--password-max-age-days", c.password_max_age_days,
                 "Force a new password after this many days (0 = never)")
      ->envname("XIAOAN_PASSWORD_MAX_AGE_DAYS")
      ->check(CLI::Range(0, 3650));
  app.add_flag("--cookie-secure", c.cookie_secure, "Mark the session cookie Secure (behind HTTPS)")
      ->envname("XIAOAN_COOKIE_SECURE");
  app.add_option("--audit-hash", c.audit_hash, "sha256 or sm3")->envname("XIAOAN_AUDIT_HASH");
  app.add_option("--audit-retention-days", c.audit_retention_days)->envname("XIAOAN_AUDIT_RETENTION_DAYS");
  app.add_option("--log-level", c.log_level)->envname("XIAOAN_LOG_LEVEL");
  app.add_option("--guard-rules", c.guard_rules, "Guard staffing rule set: gbt29315-2022 (default), hubei, beijing")
      ->envname("XIAOAN_GUARD_RULES");
  app.add_option("--files-dir", c.files_dir, "Folder of uploaded evidence photos (default: files beside the database)")
      ->envname("XIAOAN_FILES_DIR");
  app.add_option("--field-key", c.field_key,
                 "64 hex digits: key for fields encrypted at rest (default: file field-key beside the database)")
      ->envname("XIAOAN_FIELD_KEY");
  app.add_option("--school-calendar", c.school_calendar,
                 "School calendar file (TOML: weekdays, [[closed]] breaks and holidays, [[open]] make-up days)")
      ->envname("XIAOAN_SCHOOL_CALENDAR");
  app.add_option("--alarm-escalate-seconds", c.alarm_escalate_seconds,
                 "An unacknowledged real alarm climbs a level after this many seconds")
      ->envname("XIAOAN_ALARM_ESCALATE_SECONDS")
      ->check(CLI::Range(5, 3600));
  app.add_option("--hazard-reescalate-days", c.hazard_reescalate_days,
                 "An overdue hazard climbs another level when still open this many days after its last climb")
      ->envname("XIAOAN_HAZARD_REESCALATE_DAYS")
      ->check(CLI::Range(1, 365));
  app.add_option("--clock-offset-days", c.clock_offset_days,
                 "Rehearsals and tests only: run the clock this many days ahead, so that deadlines pass")
      ->envname("XIAOAN_CLOCK_OFFSET_DAYS")
      ->check(CLI::Range(0, 3650));
  app.add_option("--gb-password", c.gb_password,
                 "GB/T 28181 digest password of the devices; the SIP endpoint runs only with one")
      ->envname("XIAOAN_GB_PASSWORD");
  app.add_option("--gb-address", c.gb_address, "Address of the GB/T 28181 endpoint (default: --address)")
      ->envname("XIAOAN_GB_ADDRESS");
  app.add_option("--gb-port", c.gb_port, "UDP and TCP port of the GB/T 28181 endpoint (0 = any free port)")
      ->envname("XIAOAN_GB_PORT")
      ->check(CLI::Range(0, 65535));
  app.add_option("--gb-server-id", c.gb_server_id, "20-digit id of this platform (SIP server, type 200)")
      ->envname("XIAOAN_GB_SERVER_ID");
  app.add_option("--gb-keepalive-seconds", c.gb_keepalive_seconds,
                 "Devices' keepalive interval; offline after 3 missed")
      ->envname("XIAOAN_GB_KEEPALIVE_SECONDS")
      ->check(CLI::Range(1, 3600));
  app.add_option("--gb-min-expires", c.gb_min_expires, "Shortest registration granted, in seconds")
      ->envname("XIAOAN_GB_MIN_EXPIRES")
      ->check(CLI::Range(1, 86400));
}

Status LoadToml(const std::string& path, Config& c) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Fail(Error::Invalid("config", path + ": " + std::string(e.description())));
  }
  Status result;
  auto str = [&](const char* key, std::string& out) {
    if (auto node = table[key]) {
      if (auto v = node.value<std::string>())
        out = *v;
      else
        result = Fail(Error::Invalid(key, "Expected a string."));
    }
  };
  auto num = [&](const char* key, int& out) {
    if (auto node = table[key]) {
      if (auto v = node.value<int64_t>())
        out = static_cast<int>(*v);
      else
        result = Fail(Error::Invalid(key, "Expected an integer."));
    }
  };
  auto flag = [&](const char* key, bool& out) {
    if (auto node = table[key]) {
      if (auto v = node.value<bool>())
        out = *v;
      else
        result = Fail(Error::Invalid(key, "Expected true or false."));
    }
  };
  static const std::vector<std::string> kKnown{"db",
                                               "address",
                                               "port",
                                               "web_dir",
                                               "demo",
                                               "io_threads",
                                               "worker_threads",
                                               "body_limit_kb",
                                               "header_limit_kb",
                                               "read_timeout_seconds",
                                               "idle_timeout_seconds",
                                               "lockout_threshold",
                                               "lockout_minutes",
                                               "session_idle_minutes",
                                               "session_max_hours",
                                               "password_min_length",
                                               "password_max_age_days",
                                               "cookie_secure",
                                               "audit_hash",
                                               "audit_retention_days",
                                               "log_level",
                                               "guard_rules",
                                               "files_dir",
                                               "field_key",
                                               "alarm_escalate_seconds",
                                               "hazard_reescalate_days",
                                               "school_calendar",
                                               "gb_password",
                                               "gb_address",
                                               "gb_port",
                                               "gb_server_id",
                                               "gb_keepalive_seconds",
                                               "gb_min_expires"};
  for (const auto& [key, _] : table) {
    if (std::find(kKnown.begin(), kKnown.end(), std::string(key.str())) == kKnown.end())
      return Fail(Error::Invalid(std::string(key.str()), "Unknown setting."));
  }
  str("db", c.db);
  str("address", c.address);
  num("port", c.port);
  str("web_dir", c.web_dir);
  flag("demo", c.demo);
  num("io_threads", c.io_threads);
  num("worker_threads", c.worker_threads);
  num("body_limit_kb", c.body_limit_kb);
  num("header_limit_kb", c.header_limit_kb);
  num("read_timeout_seconds", c.read_timeout_seconds);
  num("idle_timeout_seconds", c.idle_timeout_seconds);
  num("lockout_threshold", c.lockout_threshold);
  num("lockout_minutes", c.lockout_minutes);
  num("session_idle_minutes", c.session_idle_minutes);
  num("session_max_hours", c.session_max_hours);
  num("password_min_length", c.password_min_length);
  num("password_max_age_days", c.password_max_age_days);
  flag("cookie_secure", c.cookie_secure);
  str("audit_hash", c.audit_hash);
  num("audit_retention_days", c.audit_retention_days);
  str("log_level", c.log_level);
  str("guard_rules", c.guard_rules);
  str("files_dir", c.files_dir);
  str("field_key", c.field_key);
  num("alarm_escalate_seconds", c.alarm_escalate_seconds);
  num("hazard_reescalate_days", c.hazard_reescalate_days);
  str("school_calendar", c.school_calendar);
  str("gb_password", c.gb_password);
  str("gb_address", c.gb_address);
  num("gb_port", c.gb_port);
  str("gb_server_id", c.gb_server_id);
  num("gb_keepalive_seconds", c.gb_keepalive_seconds);
  num("gb_min_expires", c.gb_min_expires);
  return result;
}

std::optional<std::string> ConfigPathFrom(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--config" && i + 1 < argc) return std::string(argv[i + 1]);
    if (a.starts_with("--config=")) return std::string(a.substr(9));
  }
  if (const char* env = std::getenv("XIAOAN_CONFIG"); env && *env) return std::string(env);
  return std::nullopt;
}

Status Validate(const Config& c) {
  if (auto s = audit::CheckAlgorithm(c.audit_hash); !s) return s;
  if (c.audit_retention_days < 183)
    return Fail(Error::Invalid("audit_retention_days", "Audit records are kept at least 183 days (6 months)."));
  if (c.password_min_length < 8) return Fail(Error::Invalid("password_min_length", "At least 8."));
  if (c.port < 0 || c.port > 65535) return Fail(Error::Invalid("port", "0 to 65535."));
  if (c.gb_port < 0 || c.gb_port > 65535) return Fail(Error::Invalid("gb_port", "0 to 65535."));
  if (c.gb_server_id.size() != 20 || c.gb_server_id.find_first_not_of("0123456789") != std::string::npos)
    return Fail(Error::Invalid("gb_server_id", "20 digits."));
  if (!c.gb_password.empty() && c.gb_password.size() < 8)
    return Fail(Error::Invalid("gb_password", "At least 8 characters."));
  if (c.alarm_escalate_seconds < 5) return Fail(Error::Invalid("alarm_escalate_seconds", "At least 5 seconds."));
  if (c.clock_offset_days < 0 || c.clock_offset_days > 3650)
    return Fail(Error::Invalid("clock_offset_days", "0 to 3650 days."));
  if (c.hazard_reescalate_days < 1 || c.hazard_reescalate_days > 365)
    return Fail(Error::Invalid("hazard_reescalate_days", "1 to 365 days."));
  if (c.gb_keepalive_seconds < 1) return Fail(Error::Invalid("gb_keepalive_seconds", "At least 1 second."));
  return {};
}

}  // namespace xiaoan::app
