// The pure rules of inspections: the rounds a cadence makes of a campaign's window, which round is
// current, what a checklist template and an inspection's answers must satisfy, and the checklists
// shipped in data/checklists/*.toml. No store, no clock.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "modules/inspections/inspection_types.hpp"

namespace xiaoan::inspections {

// The hazard categories (docs/api-contract.md): fire, building, food, school_bus, electricity,
// heating, snow_ice, lab, surroundings, drowning, security, other.
[[nodiscard]] const std::vector<std::string>& Categories();
[[nodiscard]] bool IsCategory(std::string_view c);

// The rounds of a campaign, numbered from 1, clipped to [starts, ends]:
//   once     — one window [starts, ends];
//   weekly   — 7-day windows from `starts`;
//   monthly  — calendar months;
//   semester — spring (02-15..07-15) and autumn (09-01..01-31 of the next year).
// kInvalidArgument naming "cadence" for an unknown cadence, "ends_on" when ends < starts, and
// "starts_on" when a semester campaign's window holds no semester day.
[[nodiscard]] Result<std::vector<Round>> MakeRounds(std::string_view cadence, Day starts, Day ends);
// The round whose window holds `today`; else the next one to open; nullopt after the last.
[[nodiscard]] std::optional<Round> CurrentRound(const std::vector<Round>& rounds, Day today);

// `in` as it is stored: its name and each item's text and how trimmed (org::TrimBlanks).
[[nodiscard]] ChecklistInput TrimmedChecklist(ChecklistInput in);

// A template as a bureau sends it, trimmed (TrimmedChecklist): key [a-z0-9_]{1,40}, name 1–60
// characters, 1–100 items with unique codes ([A-Za-z0-9_.-]{1,20}), text 1–200, a known category,
// how ≤ 500. Every problem is named ("items[3].category"); an empty name or text "Must not be
// empty.".
[[nodiscard]] Status ValidateChecklist(const ChecklistInput& in);
// The categories of `items`, each once, in item order.
[[nodiscard]] std::vector<std::string> CategoriesOf(const std::vector<ChecklistItem>& items);

// The answers of an inspection against its template: every item answered exactly once, results
// pass | fail | na, a photo_required item answered pass or fail carries a photo, a fail carries
// its hazard (grade, location), a hazard only on a fail, building_grade only for a building item.
// Answers every problem, named ("results[2].photos"); empty when all is well.
[[nodiscard]] std::vector<FieldError> CheckResults(const std::vector<ChecklistItem>& items,
                                                   const std::vector<ResultInput>& results);

struct ShippedChecklist {
  ChecklistInput input;
  int64_t version = 0;
};
// One data/checklists/*.toml file: key, version (≥ 1), name and [[items]]. kInvalidArgument naming
// the problem.
[[nodiscard]] Result<ShippedChecklist> ParseChecklistToml(std::string_view text);
// Every shipped checklist (embedded at build time). Throws if a shipped file is broken: a unit test
// checks them, and a broken build must not start.
[[nodiscard]] const std::vector<ShippedChecklist>& ShippedChecklists();

}  // namespace xiaoan::inspections
