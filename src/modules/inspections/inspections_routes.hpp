// HTTP routes of the inspections module: checklists, campaigns and their progress, a school's due
// inspections, and inspections (docs/api-contract.md, "Inspections and hazards").
#pragma once

#include "platform/http/router.hpp"

namespace xiaoan::inspections {

class InspectionsService;

void RegisterRoutes(http::Router& router, InspectionsService& service);

}  // namespace xiaoan::inspections
