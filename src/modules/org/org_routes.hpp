// HTTP routes of the org module (docs/openapi.yaml, "Org units").
#pragma once

#include "modules/org/org_service.hpp"
#include "platform/http/router.hpp"

namespace xiaoan::org {

void RegisterRoutes(http::Router& router, OrgService& service);

}  // namespace xiaoan::org
