// How many full-time guards a school needs (four 100%: 专职保安), by a selectable rule set whose
// every value carries its source. Pure: parsing and arithmetic, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace xiaoan::ledger {

// One configurable number with where it comes from.
struct RuleValue {
  int64_t value = 0;
  std::string source;      // the document, e.g. "GB/T 29315-2022"
  std::string clause;      // the clause or a short quote
  std::string confidence;  // "V" read in the source, "L" local practice, "U" unconfirmed
};

struct GuardRuleSet {
  std::string id;  // "gbt29315-2022", "hubei", "beijing"
  std::string name;
  bool is_default = false;
  std::string effective;  // YYYY-MM-DD
  RuleValue small_threshold, base_small, base_medium, large_threshold, base_large, step_students, per_boarders, minimum,
      boarding_minimum;
};

// Parses rule sets from TOML text (the format of data/rules/guards.toml). kInvalidArgument naming
// the rule set and key for a missing or negative value, or when not exactly one set is the default.
[[nodiscard]] Result<std::vector<GuardRuleSet>> ParseGuardRuleSets(std::string_view toml_text);
// The rule sets shipped with the project (data/rules/guards.toml, embedded at build time).
[[nodiscard]] const std::vector<GuardRuleSet>& ShippedGuardRuleSets();

// Full-time guards required for a school with `day_students` non-boarding and `boarding_students`
// boarding students under `rules`.
[[nodiscard]] int64_t RequiredGuards(const GuardRuleSet& rules, int64_t day_students, int64_t boarding_students,
                                     bool boarding);

}  // namespace xiaoan::ledger
