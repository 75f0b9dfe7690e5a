// HTTP routes of the ledger module (so far: the guard staffing rule sets).
#pragma once

#include "platform/http/router.hpp"

namespace xiaoan::ledger {

void RegisterRoutes(http::Router& router);

}  // namespace xiaoan::ledger
