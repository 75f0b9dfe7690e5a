// The reference compliance_bench measures the live four-100% roll-up against: the same figures for
// a unit and each of its children, computed by one SQL statement straight from org_units and the
// ledger tables (sql/rollup_reference.sql), and a figure-by-figure comparison of the two.
#pragma once

#include <array>
#include <map>
#include <string>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "modules/ledger/compliance.hpp"
#include "modules/ledger/ledger_service.hpp"
#include "modules/org/org_unit.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::bench {

// Figures by child code; "" is the unit itself. Children without active schools are absent.
using FiguresByChild = std::map<std::string, ledger::store::Figures>;

// The statement's parameters for `unit` on Shanghai day `today`, under the rules and settings the
// service evaluates with.
[[nodiscard]] db::Params ReferenceParams(const ledger::GuardRuleSet& rules, const ledger::ComplianceSettings& settings,
                                         const org::OrgUnit& unit, Day today);
// Runs the statement on `c`.
[[nodiscard]] Result<FiguresByChild> RunReference(db::Connection& c, const db::Params& params);

// Where a live roll-up and the reference differ.
struct Comparison {
  int units = 0, children = 0, differences = 0;
  std::array<int, 6> by_figure{};  // schools, guards, closed management, posts, alarm/video, all four
  std::string first;               // the first difference, in words

  void Add(const Comparison& other);
  // "equal (1 unit + 18 children, 11 figures each)", or the differences.
  [[nodiscard]] std::string Describe() const;
};
// Compares the unit's figures and those of every child that has active schools in either.
[[nodiscard]] Comparison Compare(const ledger::Rollup& live, const FiguresByChild& reference);

}  // namespace xiaoan::bench
