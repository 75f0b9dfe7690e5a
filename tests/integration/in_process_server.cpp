#include "in_process_server.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "server_fixture.hpp"

namespace xiaoan::it {

std::unique_ptr<InProcessServer> InProcessServer::Start(std::function<void(http::ServerOptions&)> adjust) {
  std::unique_ptr<InProcessServer> s(new InProcessServer());
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/xiaoan-it-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  s->dir_ = pattern;
  setenv("XIAOAN_DEMO_PASSWORD", kDemoPassword, 1);
  app::Config config;
  config.db = s->dir_ + "/x.db";
  config.port = 0;
  config.demo = true;
  config.log_level = "warn";
  auto app = app::App::Open(config);
  if (!app) throw std::runtime_error("App::Open: " + app.error().message);
  s->app_ = std::move(*app);
  if (auto seeded = s->app_->SeedDemo(); !seeded) throw std::runtime_error("SeedDemo: " + seeded.error().message);
  http::ServerOptions options = s->app_->ServerOptionsFromConfig();
  if (adjust) adjust(options);
  auto server = s->app_->CreateServer(options);
  if (!server) throw std::runtime_error("CreateServer: " + server.error().message);
  s->server_ = std::move(*server);
  s->port_ = s->server_->port();
  s->thread_ = std::thread([app = s->app_.get(), raw = s->server_.get()] { app->Run(*raw); });
  return s;
}

InProcessServer::~InProcessServer() {
  Stop();
  server_.reset();
  app_.reset();
  if (!std::getenv("XIAOAN_IT_KEEP")) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

void InProcessServer::Stop() {
  if (!thread_.joinable()) return;
  server_->Stop();
  thread_.join();
}

std::string InProcessServer::Login(const std::string& username) {
  HttpConnection connection(port_);
  const json body{{"username", username}, {"password", kDemoPassword}};
  auto r = connection.Send({"POST", "/api/v1/auth/login", body.dump(), "application/json", "", {}});
  const json j = r.Json();
  if (r.status != 200 || !j.is_object() || !j.contains("token"))
    throw std::runtime_error("login of " + username + " failed: " + std::to_string(r.status) + " " + r.body);
  return j["token"].get<std::string>();
}

}  // namespace xiaoan::it
