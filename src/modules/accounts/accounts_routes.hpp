// HTTP routes of the accounts module: /auth/* and /users/* (docs/openapi.yaml).
#pragma once

#include "modules/accounts/accounts_service.hpp"
#include "platform/http/router.hpp"

namespace xiaoan::accounts {

struct CookieOptions {
  bool secure = false;  // add "Secure" when served over HTTPS (behind a TLS proxy)
};

inline constexpr const char* kSessionCookie = "xiaoan_session";

void RegisterRoutes(http::Router& router, AccountsService& service, CookieOptions cookies);

}  // namespace xiaoan::accounts
