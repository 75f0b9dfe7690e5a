// The one place that knows every module: opens the store, builds the services, registers the
// routes, seeds, and runs the server and the timed jobs in order.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <variant>

#include "app/config.hpp"
#include "base/error.hpp"
#include "modules/accounts/accounts_service.hpp"
#include "modules/alarms/alarms_service.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/devices/devices_service.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/health/health_service.hpp"
#include "modules/inspections/inspections_service.hpp"
#include "modules/ledger/ledger_service.hpp"
#include "modules/org/org_service.hpp"
#include "platform/db/database.hpp"
#include "platform/http/metrics.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"
#include "platform/http/static_files.hpp"
#include "platform/live/hub.hpp"

namespace xiaoan::app {

// The live push endpoint: a WebSocket (App::Upgrade); a plain GET answers 426.
inline constexpr const char* kLivePath = "/api/v1/live";

class App {
 public:
  // Opens the database (migrating it) and wires the modules. Loads the Henan divisions on first use.
  [[nodiscard]] static Result<std::unique_ptr<App>> Open(const Config& config);
  ~App();

  // The request pipeline: request id, routing, authentication, CSRF, forced password change,
  // the handler, logging and metrics. Thread-safe.
  [[nodiscard]] http::Response Handle(http::Request& request);
  // Whether `request` is for a route that answers asynchronously (http::Router::AddAsync): the
  // server then starts it with HandleAsync on its I/O thread rather than on a worker.
  [[nodiscard]] bool StartsAsync(const http::Request& request) const;
  // The same pipeline as Handle, answering through `reply` once the route's handler has (from
  // whichever thread finishes it). Thread-safe.
  void HandleAsync(std::shared_ptr<http::Request> request, http::Reply reply);

  // The WebSocket upgrade of GET /api/v1/live (see docs/openapi.yaml): authenticates like Handle
  // (a cookie must come with an Origin matching the Host), then subscribes the socket to the
  // caller's jurisdiction. Refusals are problem+json (400, 401, 403, 404). Thread-safe.
  [[nodiscard]] http::UpgradeDecision Upgrade(http::Request& request);

  // Serves until SIGTERM/SIGINT; prints the URL (and first-start credentials) to stdout.
  [[nodiscard]] Status Serve();
  // The server options the configuration asks for.
  [[nodiscard]] http::ServerOptions ServerOptionsFromConfig() const;
  // A server bound with `options`, answering with Handle and Upgrade; Run(server) it and Stop() it.
  // Serve uses it; integration tests run it in-process. kUnavailable when it cannot listen.
  [[nodiscard]] Result<std::unique_ptr<http::Server>> CreateServer(http::ServerOptions options);
  // Runs `server` until it stops. Meanwhile the store's asynchronous writes are answered on the
  // server's I/O threads (db::Database::SetCompletionPost), not on the thread that syncs the WAL.
  void Run(http::Server& server);

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
  // Live push: modules publish their events here (Hub::Publish); consoles receive them over
  // GET /api/v1/live. Lives as long as the App.
  [[nodiscard]] live::Hub& hub() { return *hub_; }
  [[nodiscard]] alarms::AlarmsService& alarms() { return *alarms_; }
  [[nodiscard]] devices::DeviceService& devices() { return *devices_; }
  [[nodiscard]] hazards::HazardService& hazards() { return *hazards_; }
  [[nodiscard]] inspections::InspectionsService& inspections() { return *inspections_; }

 private:
  explicit App(Config config) : config_(std::move(config)), static_files_("") {}

  // A request's caller: the session of its Bearer token or session cookie.
  struct Authenticated {
    accounts::Session session;
    std::string token;
    bool via_cookie = false;
  };
  // kUnauthenticated without a token or when its session has ended.
  [[nodiscard]] Result<Authenticated> AuthenticateRequest(const http::Request& request);
  // What every request goes through before its handler: routing (or static files), authentication,
  // CSRF and the forced password change. Either the answer already, or the route to run with its
  // context. Sets `route` and `principal` for Finish.
  struct Dispatch {
    const http::Route* route = nullptr;
    http::Context ctx;
  };
  [[nodiscard]] std::variant<http::Response, Dispatch> Prepare(http::Request& request, const std::string& request_id,
                                                               std::string& route, std::optional<Principal>& principal);
  // The common end of every answer: localised problems, X-Request-Id, the API's cache headers,
  // the metrics and the log line (an accepted upgrade is logged with status 101).
  void Finish(const http::Request& request, http::Response& response, const std::string& request_id,
              const std::string& route, const std::optional<Principal>& principal,
              std::chrono::steady_clock::time_point started);

  // The services' clock: the system's, or one run ahead by --clock-offset-days.
  [[nodiscard]] const Clock& clock() const { return offset_clock_ ? *offset_clock_ : Clock::System(); }

  Config config_;
  std::unique_ptr<Clock> offset_clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<org::OrgService> org_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<ledger::LedgerService> ledger_;
  std::unique_ptr<health::HealthService> health_;
  std::unique_ptr<alarms::AlarmsService> alarms_;
  std::unique_ptr<devices::DeviceService> devices_;
  std::unique_ptr<hazards::HazardService> hazards_;
  std::unique_ptr<inspections::InspectionsService> inspections_;
  std::unique_ptr<live::Hub> hub_ = std::make_unique<live::Hub>();
  http::Router router_;
  http::Metrics metrics_;
  http::StaticFiles static_files_;
};

// The command line: serve, user create, audit verify, routes. Answers the process exit code.
int RunCli(int argc, char** argv);

}  // namespace xiaoan::app
