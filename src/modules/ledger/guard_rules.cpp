#include "modules/ledger/guard_rules.hpp"

#include <toml++/toml.h>
#include <algorithm>

#include "guard_rules_data.hpp"

namespace xiaoan::ledger {
namespace {

Status ReadValue(const toml::table& set, const std::string& set_id, const char* key, RuleValue& out) {
  const auto* node = set.get_as<toml::table>(key);
  const std::string field = set_id + "." + key;
  if (node == nullptr) return Fail(Error::Invalid(field, "Missing rule value."));
  auto value = (*node)["value"].value<int64_t>();
  if (!value || *value < 0) return Fail(Error::Invalid(field, "The value must be a whole number of 0 or more."));
  out.value = *value;
  out.source = (*node)["source"].value_or(std::string());
  out.clause = (*node)["clause"].value_or(std::string());
  out.confidence = (*node)["confidence"].value_or(std::string());
  if (out.source.empty()) return Fail(Error::Invalid(field, "Every rule value names its source."));
  if (out.confidence != "V" && out.confidence != "L" && out.confidence != "U")
    return Fail(Error::Invalid(field, "Confidence is V, L or U."));
  return {};
}

}  // namespace

Result<std::vector<GuardRuleSet>> ParseGuardRuleSets(std::string_view toml_text) {
  toml::table root;
  try {
    root = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return Fail(Error::Invalid("rules", std::string(e.description())));
  }
  const auto* sets = root["rule_set"].as_array();
  if (sets == nullptr || sets->empty()) return Fail(Error::Invalid("rule_set", "No rule sets."));
  std::vector<GuardRuleSet> out;
  int defaults = 0;
  for (const auto& node : *sets) {
    const auto* t = node.as_table();
    if (t == nullptr) return Fail(Error::Invalid("rule_set", "Each rule set is a table."));
    GuardRuleSet r;
    r.id = (*t)["id"].value_or(std::string());
    if (r.id.empty()) return Fail(Error::Invalid("rule_set.id", "Every rule set has an id."));
    r.name = (*t)["name"].value_or(r.id);
    r.is_default = (*t)["default"].value_or(false);
    r.effective = (*t)["effective"].value_or(std::string());
    defaults += r.is_default ? 1 : 0;
    const std::pair<const char*, RuleValue*> fields[] = {{"small_threshold", &r.small_threshold},
                                                         {"base_small", &r.base_small},
                                                         {"base_medium", &r.base_medium},
                                                         {"large_threshold", &r.large_threshold},
                                                         {"base_large", &r.base_large},
                                                         {"step_students", &r.step_students},
                                                         {"per_boarders", &r.per_boarders},
                                                         {"minimum", &r.minimum},
                                                         {"boarding_minimum", &r.boarding_minimum}};
    for (const auto& [key, value] : fields)
      if (auto s = ReadValue(*t, r.id, key, *value); !s) return Fail(s.error());
    if (r.small_threshold.value > r.large_threshold.value)
      return Fail(Error::Invalid(r.id + ".small_threshold", "Must not exceed large_threshold."));
    out.push_back(std::move(r));
  }
  if (defaults != 1) return Fail(Error::Invalid("rule_set.default", "Exactly one rule set is the default."));
  return out;
}

const std::vector<GuardRuleSet>& ShippedGuardRuleSets() {
  static const std::vector<GuardRuleSet> sets = [] {
    auto parsed = ParseGuardRuleSets(data::kGuardRules);
    // The shipped file is checked by a unit test; a broken build must not start.
    if (!parsed) throw std::runtime_error("data/rules/guards.toml: " + parsed.error().message);
    return *parsed;
  }();
  return sets;
}

int64_t RequiredGuards(const GuardRuleSet& r, int64_t day_students, int64_t boarding_students, bool boarding) {
  int64_t guards;
  if (day_students < r.small_threshold.value) {
    guards = r.base_small.value;
  } else if (day_students < r.large_threshold.value) {
    guards = r.base_medium.value;
  } else {
    guards = r.base_large.value;
    if (r.step_students.value > 0) guards += (day_students - r.large_threshold.value) / r.step_students.value;
  }
  if (r.per_boarders.value > 0) guards += std::max<int64_t>(0, boarding_students) / r.per_boarders.value;
  guards = std::max(guards, r.minimum.value);
  if (boarding) guards = std::max(guards, r.boarding_minimum.value);
  return guards;
}

}  // namespace xiaoan::ledger
