// The command line of the xiaoan binary.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/app.hpp"

namespace xiaoan::app {
namespace {

int Report(const Error& e) {
  std::cerr << "xiaoan: " << e.message;
  for (const auto& f : e.fields) std::cerr << (f.field.empty() ? "" : " [" + f.field + "] ") << f.message;
  std::cerr << std::endl;
  return e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kConflict ? 2 : 1;
}

}  // namespace

int RunCli(int argc, char** argv) {
  Config config;
  if (auto path = ConfigPathFrom(argc, argv)) {
    if (auto s = LoadToml(*path, config); !s) return Report(s.error());
  }
  CLI::App cli{"XiaoAn (校安) campus safety platform"};
  cli.require_subcommand(1);
  std::string config_path;
  cli.add_option("--config", config_path, "TOML settings file")->envname("XIAOAN_CONFIG");

  auto* serve = cli.add_subcommand("serve", "Run the server");
  AddServeOptions(*serve, config);

  auto* user = cli.add_subcommand("user", "Manage accounts");
  user->require_subcommand(1);
  auto* create = user->add_subcommand("create", "Create an account; prints its password (and TOTP secret) once");
  std::string username, display, role_name, org, password;
  create->add_option("--db", config.db)->envname("XIAOAN_DB");
  create->add_option("--username", username)->required();
  create->add_option("--display-name", display);
  create->add_option("--role", role_name)->required();
  create->add_option("--org", org)->required();
  create->add_option("--password", password, "Set this password instead of generating one (no forced change)");

  auto* audit_cmd = cli.add_subcommand("audit", "Audit log tools");
  audit_cmd->require_subcommand(1);
  auto* verify = audit_cmd->add_subcommand("verify", "Check the hash chain; exit 1 at the first bad row");
  verify->add_option("--db", config.db)->envname("XIAOAN_DB");

  auto* routes = cli.add_subcommand("routes", "Print every API route as METHOD PATH");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  if (*routes) config.db = ":memory:";
  config.log_level = *serve ? config.log_level : "warn";
  auto app = App::Open(config);
  if (!app) return Report(app.error());

  if (*serve) {
    if (auto s = (*app)->Serve(); !s) return Report(s.error());
    return 0;
  }
  if (*create) {
    Role role;
    if (!RoleFromName(role_name, &role)) return Report(Error::Invalid("role", "Unknown role: " + role_name));
    std::optional<std::string> given;
    if (!password.empty()) {
      if (auto s = accounts::CheckComplexity(password, username, (*app)->accounts().policy().password, "password"); !s)
        return Report(s.error());
      given = password;
    }
    auto created = (*app)->accounts().CreateUserDirect({username, display.empty() ? username : display, role, org, {}},
                                                       given, "cli");
    if (!created) return Report(created.error());
    nlohmann::json out{{"username", created->user.username}, {"password", created->initial_password}};
    if (created->totp_secret) out["totp_secret"] = *created->totp_secret;
    std::cout << out.dump() << std::endl;
    return 0;
  }
  if (*verify) {
    auto report = (*app)->audit_log().Verify((*app)->database());
    if (!report) return Report(report.error());
    nlohmann::json out{{"ok", report->ok}, {"checked", report->checked}};
    if (!report->ok) {
      out["first_bad_id"] = *report->first_bad_id;
      out["reason"] = report->reason;
    }
    std::cout << out.dump() << std::endl;
    return report->ok ? 0 : 1;
  }
  if (*routes) {
    for (const auto& r : (*app)->router().routes()) std::cout << r.method << " " << r.pattern << "\n";
    return 0;
  }
  return 0;
}

}  // namespace xiaoan::app
