// HTTP routes of the alarms module: the alarm button, the alarm-source ingest, the lifecycle
// steps, history with filters and its Excel export, figures per unit, and alarm sources.
#pragma once

#include "platform/http/router.hpp"

namespace xiaoan::alarms {

class AlarmsService;

void RegisterRoutes(http::Router& router, AlarmsService& service);

}  // namespace xiaoan::alarms
