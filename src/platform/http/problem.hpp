// Turns an Error into an application/problem+json response (RFC 9457), and JSON values into
// responses. The one place that maps ErrorCode to HTTP status.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "base/error.hpp"
#include "platform/http/message.hpp"

namespace xiaoan::http {

[[nodiscard]] int StatusFor(const Error& error);
[[nodiscard]] Response Problem(const Error& error);
// The same with an explicit status (e.g. 405, 431) that no ErrorCode maps to.
[[nodiscard]] Response Problem(const Error& error, int status);
[[nodiscard]] Response Json(int status, const nlohmann::json& body);
[[nodiscard]] Response NoContent();

}  // namespace xiaoan::http
