// The "four 100%" evaluated for one school from facts taken from its ledger: each item met or not,
// or not applicable, with the reasons in words a principal understands. Pure functions; the
// ledger store (ledger_store.hpp) supplies the facts and compliance.cpp decides and counts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/ledger/guard_rules.hpp"

namespace xiaoan::ledger {

enum class ItemState { kMet, kNotMet, kNotApplicable };

struct ItemResult {
  ItemState state = ItemState::kNotMet;
  std::vector<std::string> reasons_zh;  // empty when met
  std::vector<std::string> reasons_en;
};

// 专职保安: enough full-time guards for the enrolment under `rules`.
[[nodiscard]] ItemResult EvaluateGuards(const GuardRuleSet& rules, int64_t day_students, int64_t boarding_students,
                                        bool boarding, int64_t full_time_guards);

struct ClosedManagementFacts {
  bool enclosure_anti_climb = false;  // 围墙及防攀爬设施
  bool separate_gates = false;        // 人车分流
  bool anti_ram_barriers = false;     // 防冲撞设施
  bool visitor_registration = false;  // 来访登记
};
// 封闭化管理: every measure in place.
[[nodiscard]] ItemResult EvaluateClosedManagement(const ClosedManagementFacts& facts);

// 护学岗: applies to urban and town schools; met when an arrival and a dismissal post were recorded
// on each of the last `school_days` school days. `missing_arrival` / `missing_dismissal` count the
// days without one.
[[nodiscard]] ItemResult EvaluateProtectionPosts(bool urban_or_town, int school_days, int missing_arrival,
                                                 int missing_dismissal);

// 一键报警与视频监控联网: alarm networked with 110, video networked, and a live test within
// `max_days_since_test` days (monthly test [L]); `days_since_test` is nullopt when never tested.
[[nodiscard]] ItemResult EvaluateAlarmAndVideo(bool alarm_networked, bool video_networked,
                                               std::optional<int> days_since_test, int max_days_since_test);

}  // namespace xiaoan::ledger
