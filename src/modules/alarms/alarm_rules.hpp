// The rules of an alarm's life, pure: which step may follow which, who answers at which level, and
// when an unanswered alarm climbs. See RULES.md "Four 100%" and issue #5.
#pragma once

#include <optional>
#include <string>

#include "base/principal.hpp"

namespace xiaoan::alarms {

// The steps in order. A step may be skipped forward (a guard on the spot goes from raised to
// on_scene) but never taken back; "closed" can follow any open status.
[[nodiscard]] int StepRank(const std::string& status);  // -1 when unknown
[[nodiscard]] bool MayAdvance(const std::string& from, const std::string& to);

// The level after `level` when nobody acknowledged in time; nullopt at the top (province).
[[nodiscard]] std::optional<std::string> NextLevel(const std::string& level);

// Whether `p` may acknowledge or handle an alarm of a school at `school_path`: the school's
// leaders and safety officer, the guard who raised it closes only tests and drills, and bureau
// safety officers and admins whose jurisdiction holds the school.
[[nodiscard]] bool MayHandle(const Principal& p, const std::string& school_path);
// Whether `p` may raise an alarm for the school (any of its staff).
[[nodiscard]] bool MayRaise(const Principal& p, const std::string& school_code);

// Outcomes that fit a kind: real → handled | false_alarm; test → test_passed | test_failed;
// drill → drill_done.
[[nodiscard]] bool OutcomeFits(const std::string& kind, const std::string& outcome);

}  // namespace xiaoan::alarms
