#include "modules/ledger/ledger_routes.hpp"

#include <nlohmann/json.hpp>

#include "modules/ledger/guard_rules.hpp"
#include "platform/http/problem.hpp"

namespace xiaoan::ledger {
namespace {
using nlohmann::json;

json ValueJson(const RuleValue& v) {
  return {{"value", v.value}, {"source", v.source}, {"clause", v.clause}, {"confidence", v.confidence}};
}
}  // namespace

void RegisterRoutes(http::Router& router) {
  router.Add("GET", "/api/v1/rules/guard-staffing", http::Access::kAuthenticated, [](http::Context&) {
    json sets = json::array();
    for (const auto& s : ShippedGuardRuleSets()) {
      sets.push_back({{"id", s.id},
                      {"name", s.name},
                      {"default", s.is_default},
                      {"effective", s.effective},
                      {"values",
                       {{"small_threshold", ValueJson(s.small_threshold)},
                        {"base_small", ValueJson(s.base_small)},
                        {"base_medium", ValueJson(s.base_medium)},
                        {"large_threshold", ValueJson(s.large_threshold)},
                        {"base_large", ValueJson(s.base_large)},
                        {"step_students", ValueJson(s.step_students)},
                        {"per_boarders", ValueJson(s.per_boarders)},
                        {"minimum", ValueJson(s.minimum)},
                        {"boarding_minimum", ValueJson(s.boarding_minimum)}}}});
    }
    return http::Json(200, {{"items", sets}});
  });
}

}  // namespace xiaoan::ledger
