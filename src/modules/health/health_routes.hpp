// HTTP routes of the health module: classes, dormitories, class checks, completeness, warnings
// and their report tasks.
#pragma once

#include "platform/http/router.hpp"

namespace xiaoan::health {

class HealthService;

void RegisterRoutes(http::Router& router, HealthService& service);

}  // namespace xiaoan::health
