// Chinese versions of the messages in problem+json bodies, for clients that prefer zh
// (Accept-Language). The English text stays the source; unknown messages pass through unchanged.
#pragma once

#include <string>

#include "platform/http/message.hpp"

namespace xiaoan::app {

// The Chinese text for one English message.
[[nodiscard]] std::string TranslateToChinese(const std::string& english);
// Whether the request's Accept-Language puts Chinese first.
[[nodiscard]] bool PrefersChinese(const http::Request& request);
// Rewrites `detail` and each `errors[].message` of a problem+json response in Chinese.
void LocaliseProblem(http::Response& response);

}  // namespace xiaoan::app
