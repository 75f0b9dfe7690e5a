#include "app/app.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "base/thread_name.hpp"
#include "modules/accounts/accounts_routes.hpp"
#include "modules/accounts/accounts_store.hpp"
#include "modules/accounts/password.hpp"
#include "modules/alarms/alarms_routes.hpp"
#include "modules/audit/audit_routes.hpp"
#include "modules/devices/devices_routes.hpp"
#include "modules/devices/gb28181/gb_server.hpp"
#include "modules/hazards/hazards_routes.hpp"
#include "modules/health/health_routes.hpp"
#include "modules/inspections/inspections_routes.hpp"
#include "modules/ledger/ledger_routes.hpp"
#include "modules/org/org_routes.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/server.hpp"
#include "platform/log/log.hpp"
#include "xiaoan_platform_sql.hpp"

namespace xiaoan::app {
namespace fs = std::filesystem;

namespace {

std::vector<std::pair<std::string, std::string>> Migrations() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& m : db::migrations::kAll) out.emplace_back(std::string(m.name), std::string(m.text));
  return out;
}

std::string FindWebDir(const std::string& configured) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  if (fs::is_regular_file("web/dist/index.html", ec)) return "web/dist";
  return "";
}

std::string FilesDir(const Config& c) {
  if (!c.files_dir.empty()) return c.files_dir;
  if (c.db == ":memory:") return (fs::temp_directory_path() / ("xiaoan-files-" + std::to_string(::getpid()))).string();
  const auto dir = fs::path(c.db).parent_path();
  return (dir.empty() ? fs::path("files") : dir / "files").string();
}

// The field-encryption key: configured, or kept in "field-key" beside the database (0600), made
// on first start. An in-memory database gets a key for the process only.
Result<crypto::FieldCipher> FieldKey(const Config& c) {
  if (!c.field_key.empty()) return crypto::FieldCipher::FromHex(c.field_key, "field_key");
  if (c.db == ":memory:") return crypto::FieldCipher::FromHex(crypto::FieldCipher::NewHexKey(), "field_key");
  const auto path = fs::path(c.db).replace_filename("field-key");
  std::string hex;
  if (std::ifstream in(path); in) std::getline(in, hex);
  if (hex.empty()) {
    hex = crypto::FieldCipher::NewHexKey();
    std::ofstream out(path);
    out << hex << "\n";
    out.close();
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    if (!out) return Fail(Error::Unavailable("Cannot write the field key file " + path.string()));
  }
  return crypto::FieldCipher::FromHex(hex, path.string());
}

void LogRoll(const char* what, const Result<ledger::RollStats>& r) {
  if (!r) {
    log::Event(log::Level::kWarn, what, {{"error", r.error().message}});
  } else if (r->ran) {
    log::Event(log::Level::kInfo, what,
               {{"schools", r->schools}, {"changed", r->changed}, {"unit_rows", r->unit_rows}});
  }
}

void LogWindows(const Result<inspections::WindowStats>& r) {
  if (!r)
    log::Event(log::Level::kWarn, "job.inspection_windows", {{"error", r.error().message}});
  else if (r->rounds_opened > 0 || r->dues_missed > 0)
    log::Event(log::Level::kInfo, "job.inspection_windows",
               {{"rounds_opened", r->rounds_opened}, {"dues_created", r->dues_created}, {"missed", r->dues_missed}});
}

void LogDeadlines(const Result<hazards::DeadlineRun>& r) {
  if (!r)
    log::Event(log::Level::kWarn, "job.hazard_deadlines", {{"error", r.error().message}});
  else if (r->rows_touched > 0)
    log::Event(log::Level::kInfo, "job.hazard_deadlines",
               {{"marked", r->marked}, {"escalated", r->escalated}, {"rows", r->rows_touched}});
}

// Timed work: idle sessions, the four-100% day roll after each Shanghai midnight and, daily, audit
// records past retention.
class Jobs {
 public:
  Jobs(accounts::AccountsService& accounts, const audit::AuditLog& audit, db::Database& db, int retention_days,
       ledger::LedgerService& ledger, health::HealthService& health, hazards::HazardService& hazards,
       inspections::InspectionsService& inspections, const Clock& clock)
      : clock_(clock),
        ledger_(ledger),
        health_(health),
        hazards_(hazards),
        inspections_(inspections),
        thread_(NamedThread("xiaoan-jobs", [&, retention_days] { Loop(accounts, audit, db, retention_days); })) {}
  ~Jobs() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Loop(accounts::AccountsService& accounts, const audit::AuditLog& audit, db::Database& db, int retention) {
    int tick = 0;
    std::unique_lock lock(mu_);
    auto last_session_purge = std::chrono::steady_clock::now();
    while (!cv_.wait_for(lock, std::chrono::minutes(1), [&] { return stop_; })) {
      try {
        LogRoll("job.compliance_roll", ledger_.Roll());  // a no-op until the Shanghai day changes
        if (auto n = health_.EscalateOverdue(); !n)
          log::Event(log::Level::kWarn, "job.health_escalate", {{"error", n.error().message}});
        else if (*n > 0)
          log::Event(log::Level::kInfo, "job.health_escalate", {{"tasks", *n}});
        LogDeadlines(hazards_.RunDeadlines());
        // Later campaign rounds open and closed windows become missed (idempotent).
        LogWindows(inspections_.RunWindows(ShanghaiDay(clock_.Now())));
        if (std::chrono::steady_clock::now() - last_session_purge < std::chrono::minutes(10)) continue;
        last_session_purge = std::chrono::steady_clock::now();
        if (auto s = accounts.PurgeStaleSessions(); !s)
          log::Event(log::Level::kWarn, "job.sessions", {{"error", s.error().message}});
        if (tick++ % 144 == 0) {
          auto n = audit.Purge(db, retention, audit::SystemActor("retention"));
          if (!n) log::Event(log::Level::kWarn, "job.audit_purge", {{"error", n.error().message}});
        }
      } catch (const std::exception& e) {
        log::Event(log::Level::kError, "job.exception", {{"error", e.what()}});
      }
    }
  }
  const Clock& clock_;
  ledger::LedgerService& ledger_;
  health::HealthService& health_;
  hazards::HazardService& hazards_;
  inspections::InspectionsService& inspections_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// Alarms that nobody acknowledged climb a level: looked at every second.
class AlarmEscalation {
 public:
  explicit AlarmEscalation(alarms::AlarmsService& alarms)
      : alarms_(alarms), thread_(NamedThread("xiaoan-alarms", [this] { Loop(); })) {}
  ~AlarmEscalation() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_; })) {
      try {
        auto n = alarms_.EscalateDue();
        if (!n)
          log::Event(log::Level::kWarn, "job.alarm_escalate", {{"error", n.error().message}});
        else if (*n > 0)
          log::Event(log::Level::kInfo, "job.alarm_escalate", {{"alarms", *n}});
      } catch (const std::exception& e) {
        log::Event(log::Level::kError, "job.exception", {{"error", e.what()}});
      }
    }
  }
  alarms::AlarmsService& alarms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

Result<std::unique_ptr<App>> App::Open(const Config& config) {
  if (auto s = Validate(config); !s) return Fail(s.error());
  log::Init(config.log_level);
  auto app = std::unique_ptr<App>(new App(config));
  if (config.db != ":memory:") {
    std::error_code ec;
    const auto dir = fs::path(config.db).parent_path();
    if (!dir.empty()) fs::create_directories(dir, ec);
  }
  db::SqliteOptions options;
  options.path = config.db;
  // A reader per thread that may read at once (io threads, workers, the job loops): a connection
  // opened beyond the pool parses the whole schema and is thrown away after one read.
  options.reader_connections = config.io_threads + config.worker_threads + 4;
  auto db = db::OpenSqlite(options, Migrations());
  if (!db) return Fail(db.error());
  app->db_ = std::move(*db);
  if (config.clock_offset_days > 0)
    app->offset_clock_ = std::make_unique<OffsetClock>(Clock::System(), std::chrono::days(config.clock_offset_days));
  const Clock& clock = app->clock();
  app->audit_ = std::make_unique<audit::AuditLog>(config.audit_hash, clock);
  app->org_ = std::make_unique<org::OrgService>(*app->db_, *app->audit_, clock);
  accounts::AccountsPolicy policy;
  policy.password.min_length = static_cast<size_t>(config.password_min_length);
  policy.lockout_threshold = config.lockout_threshold;
  policy.lockout_minutes = config.lockout_minutes;
  policy.session_idle_minutes = config.session_idle_minutes;
  policy.session_max_hours = config.session_max_hours;
  policy.password_max_age_days = config.password_max_age_days;
  app->accounts_ = std::make_unique<accounts::AccountsService>(*app->db_, *app->audit_, clock, policy);
  ledger::LedgerSettings ledger_settings;
  ledger_settings.guard_rule_set = config.guard_rules;
  ledger_settings.photo_dir = FilesDir(config);
  if (!config.school_calendar.empty()) {
    auto calendar = ledger::SchoolCalendar::Load(config.school_calendar);
    if (!calendar) return Fail(calendar.error());
    ledger_settings.calendar = *calendar;
  }
  const ledger::SchoolCalendar calendar =
      ledger_settings.calendar ? *ledger_settings.calendar : ledger::SchoolCalendar::Shipped();
  auto ledger = ledger::LedgerService::Create(*app->db_, *app->audit_, clock, ledger_settings);
  if (!ledger) return Fail(ledger.error());
  app->ledger_ = std::move(*ledger);
  ledger::LedgerService* ledger_raw = app->ledger_.get();
  app->org_->SetSchoolObserver(
      [ledger_raw](db::Connection& tx, const std::string& code) { return ledger_raw->Reevaluate(tx, code); });
  auto field_key = FieldKey(config);
  if (!field_key) return Fail(field_key.error());
  health::HealthSettings health_settings;
  health_settings.is_school_day = [calendar](Day d) { return calendar.IsSchoolDay(d); };
  app->health_ = std::make_unique<health::HealthService>(*app->db_, *app->audit_, clock, *field_key, health_settings);
  app->static_files_ = http::StaticFiles(FindWebDir(config.web_dir));

  // Alarms publish every change to the live consoles; a closed test enters the school's ledger.
  app->alarms_ = std::make_unique<alarms::AlarmsService>(*app->db_, *app->audit_, clock,
                                                         alarms::AlarmSettings{config.alarm_escalate_seconds});
  live::Hub* live_hub = app->hub_.get();
  auto publish = [live_hub](const std::string& path, const std::string& type, const std::string& data) {
    live_hub->Publish(path, type, data);
  };
  app->alarms_->SetPublisher(publish);
  app->alarms_->SetTestRecorder([ledger_raw](const alarms::Alarm& a) -> Status {
    Principal p;
    p.username = "alarm-console";
    p.role = Role::kSchoolSafetyOfficer;
    p.org_code = a.school_code;
    p.org_path = a.path;
    ledger::AlarmTest t;
    t.tested_at = a.received_at;
    t.result = a.outcome == "test_passed" ? "pass" : "fail";
    if (a.acknowledged_at) {
      auto t0 = ParseRfc3339(a.received_at), t1 = ParseRfc3339(*a.acknowledged_at);
      if (t0 && t1) t.ack_seconds = std::chrono::duration_cast<std::chrono::seconds>(*t1 - *t0).count();
    }
    t.note = fmt::format("一键报警测试（报警编号 {}）", a.id);
    t.idempotency_key = fmt::format("alarm-{}", a.id);
    auto added = ledger_raw->AddAlarmTest(p, audit::SystemActor("alarm-console"), a.school_code, t);
    if (!added) return Fail(added.error());
    return {};
  });
  devices::DeviceSettings device_settings;
  device_settings.password = config.gb_password;
  device_settings.liveness.keepalive_seconds = config.gb_keepalive_seconds;
  device_settings.liveness.restart_grace_seconds = 4 * config.gb_keepalive_seconds;
  app->devices_ = std::make_unique<devices::DeviceService>(
      *app->db_, clock, *app->alarms_, [ledger_raw] { return ledger_raw->DeviceInventory(); }, device_settings);
  app->devices_->SetPublisher(publish);
  app->hazards_ = std::make_unique<hazards::HazardService>(*app->db_, *app->audit_, clock,
                                                           hazards::HazardSettings{config.hazard_reescalate_days});
  app->hazards_->SetPublisher(publish);
  // An inspection's failed items become hazards in the inspection's own transaction.
  app->inspections_ = std::make_unique<inspections::InspectionsService>(*app->db_, *app->audit_, clock);
  hazards::HazardService* hazards_raw = app->hazards_.get();
  app->inspections_->SetHazardSink(
      [hazards_raw](db::Connection& tx, const inspections::FailedItem& f) -> Result<int64_t> {
        hazards::NewHazard h;
        h.school_code = f.school_code;
        h.category = f.category;
        h.location = f.location;
        h.description = f.description;
        h.grade = f.grade;
        h.source = f.source;
        h.inspection_id = f.inspection_id;
        h.item_code = f.item_code;
        h.building_grade = f.building_grade;
        h.fixed_at_once = f.fixed_at_once;
        h.photos = f.photos;
        h.found_by = f.found_by;
        h.found_at = f.found_at;
        return hazards_raw->RegisterIn(tx, h, f.actor);
      });
  if (auto n = app->inspections_->InstallShippedChecklists(); !n)
    return Fail(n.error());
  else if (*n > 0)
    log::Event(log::Level::kInfo, "checklists.install", {{"templates", *n}});

  app->router_.Add("GET", "/api/v1/health", http::Access::kPublic, [](http::Context&) {
    return http::Json(200, {{"status", "ok"}});
  });
  // Live push is a WebSocket (App::Upgrade); the route is here so that a plain GET is told so.
  app->router_.Add("GET", kLivePath, http::Access::kAuthenticated, [](http::Context&) {
    return http::Problem(Error{ErrorCode::kInvalidArgument,
                               "Open this path as a WebSocket (Upgrade: websocket).",
                               "upgrade_required",
                               {},
                               {}},
                         426);
  });
  accounts::RegisterRoutes(app->router_, *app->accounts_, {config.cookie_secure});
  org::RegisterRoutes(app->router_, *app->org_);
  audit::RegisterRoutes(app->router_, *app->audit_, *app->db_);
  ledger::RegisterRoutes(app->router_, *app->ledger_);
  health::RegisterRoutes(app->router_, *app->health_);
  alarms::RegisterRoutes(app->router_, *app->alarms_);
  devices::RegisterRoutes(app->router_, *app->devices_);
  hazards::RegisterRoutes(app->router_, *app->hazards_);
  inspections::RegisterRoutes(app->router_, *app->inspections_);

  db::Database* raw = app->db_.get();
  app->metrics_.AddSource([raw] {
    const auto s = raw->GetStats();
    return fmt::format(
        "# TYPE xiaoan_db_commits_total counter\nxiaoan_db_commits_total {}\n"
        "# TYPE xiaoan_db_write_jobs_total counter\nxiaoan_db_write_jobs_total {}\n"
        "# TYPE xiaoan_db_failed_commits_total counter\nxiaoan_db_failed_commits_total {}\n"
        "# TYPE xiaoan_db_writer_queue gauge\nxiaoan_db_writer_queue {}\n"
        "# TYPE xiaoan_db_max_batch gauge\nxiaoan_db_max_batch {}\n"
        "# TYPE xiaoan_db_reader_opens_total counter\nxiaoan_db_reader_opens_total {}\n"
        "# TYPE xiaoan_db_syncs_total counter\nxiaoan_db_syncs_total {}\n"
        "# TYPE xiaoan_db_checkpoints_total counter\nxiaoan_db_checkpoints_total {}\n"
        "# TYPE xiaoan_db_wal_frames gauge\nxiaoan_db_wal_frames {}\n"
        "# TYPE xiaoan_db_batch_repeats_total counter\nxiaoan_db_batch_repeats_total {}\n",
        s.commits, s.jobs, s.failed_commits, s.queue_depth, s.max_batch, s.reader_opens, s.syncs, s.checkpoints,
        s.wal_frames, s.repeats);
  });
  live::Hub* hub = app->hub_.get();
  app->metrics_.AddSource([hub] {
    const auto s = hub->Stats();
    return fmt::format(
        "# HELP xiaoan_websockets_open Open live-push WebSockets (one hub subscription each).\n"
        "# TYPE xiaoan_websockets_open gauge\nxiaoan_websockets_open {}\n"
        "# TYPE xiaoan_live_events_total counter\nxiaoan_live_events_total {}\n"
        "# TYPE xiaoan_live_retained gauge\nxiaoan_live_retained {}\n",
        s.subscribers, s.published, s.retained);
  });

  auto seeded = app->org_->SeedDivisions();
  if (!seeded) return Fail(seeded.error());
  // Counters are derived data: rebuilt when missing (first start, after the migration), then the
  // day roll brings time-dependent items up to today.
  auto has = app->ledger_->HasCounters();
  if (!has) return Fail(has.error());
  if (!*has) LogRoll("compliance.rebuild", app->ledger_->Rebuild());
  LogRoll("compliance.roll", app->ledger_->Roll());
  // Deadlines missed while the server was down are marked at once, not a minute later.
  LogDeadlines(app->hazards_->RunDeadlines());
  LogWindows(app->inspections_->RunWindows(ShanghaiDay(clock.Now())));
  return app;
}

App::~App() {
  if (devices_) devices_->Stop();  // its thread publishes to the hub and writes the database
  if (db_) db_->Shutdown();
}

Status App::EnsureAdministrators() {
  auto count = accounts_->CountUsers();
  if (!count) return Fail(count.error());
  if (*count > 0) return {};
  struct Admin {
    const char* username;
    const char* display;
    Role role;
  };
  const Admin admins[] = {{"sysadmin", "系统管理员", Role::kSystemAdmin},
                          {"secadmin", "安全管理员", Role::kSecurityAdmin},
                          {"auditadmin", "审计管理员", Role::kAuditAdmin}};
  std::cout << "\n== First start: the three administrator accounts (shown once; write them down now) ==\n";
  for (const auto& a : admins) {
    auto created =
        accounts_->CreateUserDirect({a.username, a.display, a.role, "410000", {}}, std::nullopt, "first-start");
    if (!created) return Fail(created.error());
    std::cout << fmt::format("  {:<11} password {}  TOTP secret {}  (change password at first login)\n", a.username,
                             created->initial_password, created->totp_secret.value_or(""));
  }
  std::cout << "  Add the TOTP secret to an authenticator app (RFC 6238, 6 digits, 30 s).\n" << std::endl;
  return {};
}

Status App::SeedDemo() {
  auto schools = org_->SeedDemoSchools();
  if (!schools) return Fail(schools.error());
  auto ledgers = ledger_->SeedDemo();
  if (!ledgers) return Fail(ledgers.error());
  if (*ledgers > 0) LogRoll("compliance.rebuild", ledger_->Rebuild());
  if (auto classes = health_->SeedDemo(); !classes) return Fail(classes.error());
  // The closed demo hazard's photo after: a 1×1 PNG stored like any upload of the showcase school.
  auto demo_photo = [this]() -> Result<std::string> {
    static constexpr char kPng[] =
        "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08"
        "\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0d\x49\x44\x41\x54\x78\xda\x63\x64\x60\xf8\x5f\x0f\x00"
        "\x02\x87\x01\x80\xeb\x47\xba\x92\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";
    Principal p;
    p.username = "demo-principal";
    p.role = Role::kPrincipal;
    p.org_code = "9410105001";
    p.org_path = "/410000/410100/410105/9410105001/";
    auto meta = ledger_->UploadPhoto(p, audit::SystemActor("demo-seed"), p.org_code, "image/png",
                                     std::string(kPng, sizeof kPng - 1));
    if (!meta) return Fail(meta.error());
    return meta->id;
  };
  if (auto h = hazards_->SeedDemo(demo_photo); !h) return Fail(h.error());
  if (auto c = inspections_->SeedDemo(); !c) return Fail(c.error());
  const fs::path password_file =
      config_.db == ":memory:" ? fs::path() : fs::path(config_.db).replace_filename("demo-password.txt");
  std::string password;
  if (const char* env = std::getenv("XIAOAN_DEMO_PASSWORD"); env && *env) {
    password = env;
  } else if (!password_file.empty() && fs::exists(password_file)) {
    std::ifstream in(password_file);
    std::getline(in, password);
  }
  if (password.empty()) password = accounts::GeneratePassword();
  if (auto s = accounts::CheckComplexity(password, "", accounts_->policy().password, "XIAOAN_DEMO_PASSWORD"); !s)
    return Fail(s.error());
  struct Demo {
    const char* username;
    const char* display;
    Role role;
    const char* org;
    std::vector<std::string> classes;
  };
  const std::vector<Demo> demos = {
      {"demo-province", "【演示】河南省教育厅安全干部", Role::kBureauSafetyOfficer, "410000", {}},
      {"demo-city", "【演示】郑州市教育局安全干部", Role::kBureauSafetyOfficer, "410100", {}},
      {"demo-county", "【演示】金水区教育局安全干部", Role::kBureauSafetyOfficer, "410105", {}},
      {"demo-county2", "【演示】老城区教育局安全干部", Role::kBureauSafetyOfficer, "410302", {}},
      {"demo-principal", "【演示】校长", Role::kPrincipal, "9410105001", {}},
      {"demo-teacher", "【演示】班主任", Role::kClassTeacher, "9410105001", {"一年级1班"}},
      {"demo-doctor", "【演示】校医", Role::kSchoolDoctor, "9410105001", {}},
      {"demo-guard", "【演示】保安", Role::kGuard, "9410105001", {}},
      {"demo-safety", "【演示】学校安全干部", Role::kSchoolSafetyOfficer, "9410105001", {}},
  };
  bool created_any = false;
  for (const auto& d : demos) {
    auto created =
        accounts_->CreateUserDirect({d.username, d.display, d.role, d.org, d.classes}, password, "demo-seed");
    if (!created) {
      if (created.error().code == ErrorCode::kConflict) continue;  // seeded on an earlier start
      return Fail(created.error());
    }
    created_any = true;
  }
  if (created_any && !password_file.empty() && !std::getenv("XIAOAN_DEMO_PASSWORD")) {
    std::ofstream out(password_file);
    out << password << "\n";
    out.close();
    fs::permissions(password_file, fs::perms::owner_read | fs::perms::owner_write);
  }
  // Accounts made on an earlier start keep the password they were made with, which may not be
  // the one given now: say so rather than print a password that does not open them.
  bool opens = true;
  if (!created_any) {
    auto teacher = db_->Read([&](db::Connection& c) -> Status {
      auto user = accounts::store::UserByUsername(c, "demo-teacher");
      if (!user) return Fail(user.error());
      opens = *user && accounts::VerifyPassword((*user)->password_hash, password);
      return {};
    });
    if (!teacher) return Fail(teacher.error());
  }
  std::cout << "\n== Demo data (演示数据): " << *schools << " demo schools added this start ==\n";
  if (opens)
    std::cout << "  Demo accounts, password: " << password << "\n";
  else
    std::cout
        << "  Demo accounts, made on an earlier start: their password is the one they were made with, not the\n"
           "  one given now (XIAOAN_DEMO_PASSWORD sets it only for accounts it makes; a fresh --db starts over)\n";
  std::cout << "  demo-province   河南省 410000 安全干部 (province safety officer)\n"
            << "  demo-city       郑州市 410100 安全干部\n"
            << "  demo-county     金水区 410105 安全干部\n"
            << "  demo-county2    老城区 410302 安全干部\n"
            << "  demo-principal  【演示】金水区第1小学 校长 (principal)\n"
            << "  demo-teacher    同校 班主任 (class teacher)\n"
            << "  demo-doctor     同校 校医 (school doctor)\n"
            << "  demo-guard      同校 保安 (guard)\n"
            << "  demo-safety     同校 学校安全干部 (school safety officer)\n"
            << std::endl;
  return {};
}

http::ServerOptions App::ServerOptionsFromConfig() const {
  http::ServerOptions options;
  options.address = config_.address;
  options.port = static_cast<uint16_t>(config_.port);
  options.io_threads = config_.io_threads;
  options.worker_threads = config_.worker_threads;
  options.body_limit = static_cast<size_t>(config_.body_limit_kb) * 1024;
  options.upload_path_prefix = "/api/v1/files";
  options.upload_body_limit = 8 << 20;
  options.header_limit = static_cast<size_t>(config_.header_limit_kb) * 1024;
  options.read_timeout_seconds = config_.read_timeout_seconds;
  options.idle_timeout_seconds = config_.idle_timeout_seconds;
  return options;
}

Result<std::unique_ptr<http::Server>> App::CreateServer(http::ServerOptions options) {
  options.on_upgrade = [this](http::Request& r) { return Upgrade(r); };
  options.starts_async = [this](const http::Request& r) { return StartsAsync(r); };
  options.async_handler = [this](std::shared_ptr<http::Request> r, http::Reply reply) {
    HandleAsync(std::move(r), std::move(reply));
  };
  return http::Server::Create(std::move(options), [this](http::Request& r) { return Handle(r); });
}

void App::Run(http::Server& server) {
  db_->SetCompletionPost([&server](std::move_only_function<void()> fn) { server.Post(std::move(fn)); });
  server.Run();
  // Run has returned: the I/O threads are gone, and answers are made where the writes end again.
  db_->SetCompletionPost(nullptr);
}

Status App::Serve() {
  if (auto s = EnsureAdministrators(); !s) return s;
  if (config_.demo)
    if (auto s = SeedDemo(); !s) return s;
  auto server = CreateServer(ServerOptionsFromConfig());
  if (!server) return Fail(server.error());
  Jobs jobs(*accounts_, *audit_, *db_, config_.audit_retention_days, *ledger_, *health_, *hazards_, *inspections_,
            clock());
  if (config_.clock_offset_days > 0)
    std::cout << "xiaoan: WARNING the clock runs " << config_.clock_offset_days
              << " days ahead (--clock-offset-days): for rehearsals and tests only" << std::endl;
  AlarmEscalation escalation(*alarms_);
  if (auto s = devices_->Start(); !s) return s;
  const std::string host = config_.address == "0.0.0.0" ? "127.0.0.1" : config_.address;
  // The GB/T 28181 endpoint runs only with a device password (no default password).
  std::unique_ptr<devices::gb::Server> gb;
  if (!config_.gb_password.empty()) {
    devices::gb::ServerOptions o;
    o.address = config_.gb_address.empty() ? config_.address : config_.gb_address;
    o.port = static_cast<uint16_t>(config_.gb_port);
    o.server_id = config_.gb_server_id;
    o.min_expires = config_.gb_min_expires;
    auto started = devices::gb::Server::Start(o, *devices_);
    if (!started) return Fail(started.error());
    gb = std::move(*started);
    std::cout << "xiaoan: GB/T 28181 endpoint sip:" << config_.gb_server_id << "@" << o.address << ":" << gb->udp_port()
              << " (udp) and tcp port " << gb->tcp_port() << std::endl;
    devices::gb::Server* gb_raw = gb.get();
    metrics_.AddSource([gb_raw] {
      const auto s = gb_raw->stats();
      return fmt::format(
          "# TYPE xiaoan_gb_registers_total counter\nxiaoan_gb_registers_total {}\n"
          "# TYPE xiaoan_gb_auth_failures_total counter\nxiaoan_gb_auth_failures_total {}\n"
          "# TYPE xiaoan_gb_keepalives_total counter\nxiaoan_gb_keepalives_total {}\n"
          "# TYPE xiaoan_gb_malformed_total counter\nxiaoan_gb_malformed_total {}\n"
          "# TYPE xiaoan_gb_alarms_total counter\nxiaoan_gb_alarms_total {}\n"
          "# TYPE xiaoan_gb_registered_devices gauge\nxiaoan_gb_registered_devices {}\n",
          s.registers, s.auth_failures, s.keepalives, s.malformed, s.alarms, s.registered_devices);
    });
  } else {
    std::cout << "xiaoan: GB/T 28181 endpoint off (set --gb-password / XIAOAN_GB_PASSWORD to run it)" << std::endl;
  }
  std::cout << "xiaoan: listening on http://" << host << ":" << (*server)->port() << std::endl;
  if (config_.demo && static_files_.enabled())
    std::cout << "xiaoan: open http://" << host << ":" << (*server)->port()
              << "/ and log in as demo-county (金水区) with the demo password above" << std::endl;
  if (!static_files_.enabled())
    std::cout << "xiaoan: no built web UI found (run make web); serving the API only" << std::endl;
  log::Event(log::Level::kInfo, "server.start", {{"port", (*server)->port()}, {"db", config_.db}});
  Run(**server);
  if (gb) gb->Stop();
  devices_->Stop();
  log::Event(log::Level::kInfo, "server.drained", {});
  db_->Shutdown();
  log::Event(log::Level::kInfo, "server.stop", {});
  return {};
}

}  // namespace xiaoan::app
