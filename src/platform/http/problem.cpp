#include "platform/http/problem.hpp"

#include <nlohmann/json.hpp>

namespace xiaoan::http {
namespace {
const char* TitleFor(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 503:
      return "Service Unavailable";
    default:
      return "Internal Server Error";
  }
}
}  // namespace

int StatusFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return error.reason == "import_failed" || error.reason == "idempotency_key_reused" ? 422 : 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response Problem(const Error& error) { return Problem(error, StatusFor(error)); }

Response Problem(const Error& error, int status) {
  nlohmann::json body{
      {"type", "about:blank"},
      {"title", TitleFor(status)},
      {"status", status},
      // Internal details never leave the server; the log has them.
      {"detail", status == 500 ? std::string("An internal error occurred.") : error.message},
  };
  if (!error.reason.empty()) body["code"] = error.reason;
  if (!error.fields.empty()) {
    auto& list = body["errors"] = nlohmann::json::array();
    for (const auto& f : error.fields) {
      nlohmann::json item{{"field", f.field}, {"message", f.message}};
      if (f.row > 0) item["row"] = f.row;
      list.push_back(std::move(item));
    }
  }
  for (const auto& [k, v] : error.extra) body[k] = v;
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace xiaoan::http
