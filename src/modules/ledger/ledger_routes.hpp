// HTTP routes of the ledger module: guard staffing rule sets, a school's ledger, photos, and the
// four-100% roll-up, gaps, trend and Excel exports.
#pragma once

#include "platform/http/router.hpp"

namespace xiaoan::ledger {

class LedgerService;

void RegisterRoutes(http::Router& router, LedgerService& service);

}  // namespace xiaoan::ledger
