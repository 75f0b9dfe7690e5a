// HTTP routes of the audit module: search and chain verification, for the audit administrator only.
#pragma once

#include "modules/audit/audit_log.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace xiaoan::audit {

void RegisterRoutes(http::Router& router, const AuditLog& log, db::Database& db);

}  // namespace xiaoan::audit
