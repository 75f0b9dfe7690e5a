// Internal to the HTTP layer (and its fuzz target): turning a parsed Beast request into the plain
// Request the rest of the program sees. Include only where Beast is already in use.
#pragma once

#include <boost/beast/http.hpp>
#include <string>

#include "platform/http/message.hpp"

namespace xiaoan::http {

// Percent-decodes the path and the query parameters and lower-cases header names. A path or query
// pair whose escapes are broken is recorded in Request::malformed (answered with a 400).
[[nodiscard]] Request ToRequest(boost::beast::http::request<boost::beast::http::string_body>&& in,
                                const std::string& remote);

}  // namespace xiaoan::http
