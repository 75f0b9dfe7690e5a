// The audit actor for an authenticated caller.
#pragma once

#include "base/principal.hpp"
#include "modules/audit/audit.hpp"

namespace xiaoan::audit {

[[nodiscard]] inline Actor ActorFor(const Principal& p, std::string request_id) {
  return Actor{p.user_id, p.username, RoleName(p.role), p.org_code, std::move(request_id)};
}

}  // namespace xiaoan::audit
