// HTTP routes of the devices module: device status per unit and the networked rate.
#pragma once

#include "platform/http/router.hpp"

namespace xiaoan::devices {

class DeviceService;

void RegisterRoutes(http::Router& router, DeviceService& service);

}  // namespace xiaoan::devices
