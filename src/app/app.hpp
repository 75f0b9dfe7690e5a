// The one place that knows every module: opens the store, builds the services, registers the
// routes, seeds, and runs the server and the timed jobs in order.
#pragma once

#include <memory>

#include "app/config.hpp"
#include "base/error.hpp"
#include "modules/accounts/accounts_service.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/health/health_service.hpp"
#include "modules/ledger/ledger_service.hpp"
#include "modules/org/org_service.hpp"
#include "platform/db/database.hpp"
#include "platform/http/metrics.hpp"
#include "platform/http/router.hpp"
#include "platform/http/static_files.hpp"

namespace xiaoan::app {

class App {
 public:
  // Opens the database (migrating it) and wires the modules. Loads the Henan divisions on first use.
  [[nodiscard]] static Result<std::unique_ptr<App>> Open(const Config& config);
  ~App();

  // The request pipeline: request id, routing, authentication, CSRF, forced password change,
  // the handler, logging and metrics. Thread-safe.
  [[nodiscard]] http::Response Handle(http::Request& request);

  // Serves until SIGTERM/SIGINT; prints the URL (and first-start credentials) to stdout.
  [[nodiscard]] Status Serve();

  // First start: creates the three administrators with generated passwords and TOTP secrets and
  // prints them once. Does nothing when any account exists.
  [[nodiscard]] Status EnsureAdministrators();
  // Seeds demo schools and accounts once; prints the demo account table.
  [[nodiscard]] Status SeedDemo();

  [[nodiscard]] db::Database& database() { return *db_; }
  [[nodiscard]] accounts::AccountsService& accounts() { return *accounts_; }
  [[nodiscard]] const audit::AuditLog& audit_log() const { return *audit_; }
  [[nodiscard]] const http::Router& router() const { return router_; }
  [[nodiscard]] ledger::LedgerService& ledger() { return *ledger_; }
  [[nodiscard]] health::HealthService& health() { return *health_; }

 private:
  explicit App(Config config) : config_(std::move(config)), static_files_("") {}

  Config config_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<ledger::LedgerService> ledger_;
  std::unique_ptr<health::HealthService> health_;
  http::Router router_;
  http::Metrics metrics_;
  http::StaticFiles static_files_;
};

// The command line: serve, user create, audit verify, routes. Answers the process exit code.
int RunCli(int argc, char** argv);

}  // namespace xiaoan::app
