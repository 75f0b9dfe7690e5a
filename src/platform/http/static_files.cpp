#include "platform/http/static_files.hpp"

#include <filesystem>

namespace xiaoan::http {
namespace {
namespace fs = std::filesystem;

const char* ContentType(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".ttf") return "font/ttf";
  if (ext == ".xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return "application/octet-stream";
}
}  // namespace

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  if (root_.empty() || request.path.starts_with("/api/") || request.path == "/metrics") return std::nullopt;
  std::string rel = request.path;
  if (rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos) return std::nullopt;
  while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  fs::path file = fs::path(root_) / rel;
  std::error_code ec;
  if (rel.empty() || !fs::is_regular_file(file, ec)) {
    // Paths with an extension are real files that do not exist; others are client-side routes.
    if (fs::path(rel).has_extension()) return std::nullopt;
    file = fs::path(root_) / "index.html";
    rel = "index.html";
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
  }
  Response r;
  r.content_type = ContentType(file.extension().string());
  const bool immutable = rel.starts_with("assets/");
  r.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (rel == "index.html") {
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                           "frame-ancestors 'none'");
    r.headers.emplace_back("X-Frame-Options", "DENY");
  }
  fs::path chosen = file;
  const auto accept = request.Header("accept-encoding");
  const fs::path gz = fs::path(file.string() + ".gz");
  if (accept && accept->find("gzip") != std::string::npos && fs::is_regular_file(gz, ec)) {
    chosen = gz;
    r.headers.emplace_back("Content-Encoding", "gzip");
  }
  r.headers.emplace_back("Vary", "Accept-Encoding");
  r.file_path = chosen.string();
  return r;
}

}  // namespace xiaoan::http
