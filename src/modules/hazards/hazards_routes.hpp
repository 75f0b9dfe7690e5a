// HTTP routes of the hazards module: report, list with filters, detail with history, workflow
// actions, the dashboard and the yearly export (docs/api-contract.md "Hazards").
#pragma once

#include "platform/http/router.hpp"

namespace xiaoan::hazards {

class HazardService;

void RegisterRoutes(http::Router& router, HazardService& service);

}  // namespace xiaoan::hazards
