// Outbreak early warning from morning/noon check cases: which rules a unit's recent cases trigger.
// Pure: the rules come from data/rules/outbreak.toml; the health service feeds the cases of the
// class or dormitory a report touched and stores the warnings. See RULES.md, "Health".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"

namespace xiaoan::health {

// The fixed symptom list (WS/T 772-2020 and the 2006 rules).
enum class Symptom {
  kFever,
  kCough,
  kHeadache,
  kSoreThroat,
  kSwollenParotid,
  kAbdominalPain,
  kDiarrhoea,
  kVomiting,
  kRash,
  kDizziness,
  kFatigue,
  kRedEyes,
  kJaundice,
};
inline constexpr int kSymptomCount = 13;
// "fever", "sore_throat", ... and back.
[[nodiscard]] const char* SymptomName(Symptom s);
[[nodiscard]] const char* SymptomNameZh(Symptom s);
[[nodiscard]] std::optional<Symptom> SymptomFromName(std::string_view s);

struct SymptomGroup {
  std::string id, name;
  std::vector<Symptom> symptoms;
};

struct ClusterRule {
  std::string id, name;
  int window_days = 1;
  int min_cases = 3;
  int deadline_hours = 24;  // 0 = immediately
  std::string source, confidence;
};

struct DiseaseWindowRule {
  std::string disease;
  int window_days = 7;
  std::optional<int> school_min, class_min;
};

struct OutbreakRules {
  std::vector<SymptomGroup> groups;
  std::vector<ClusterRule> clusters;
  std::vector<std::string> notifiable;
  int notifiable_deadline_hours = 0;
  bool disease_windows_enabled = false;
  std::vector<DiseaseWindowRule> disease_windows;
};

// Parses the format of data/rules/outbreak.toml; kInvalidArgument naming the entry.
[[nodiscard]] Result<OutbreakRules> ParseOutbreakRules(std::string_view toml_text);
[[nodiscard]] const OutbreakRules& ShippedOutbreakRules();

// One ill or symptomatic student as the rules see them (no names).
struct Case {
  int64_t id = 0;
  std::string student;    // the school's student number: a student ill on several reports is one case
  Day day;                // the check's Shanghai day
  std::string class_key;  // class id within the school
  std::optional<std::string> dormitory_key;
  std::vector<Symptom> symptoms;
  std::optional<std::string> diagnosis;  // a disease name, if diagnosed
  bool suspected_notifiable = false;
};

enum class UnitKind { kClass, kDormitory, kSchool };
[[nodiscard]] const char* UnitKindName(UnitKind k);

// A rule met by a set of cases. Cases are counted by student: `case_ids` holds one record per
// student (the latest), so its size is the number of students. Warnings are one per (unit, group or disease, rule)
// while open; `window_start`..`window_end` is the window the cases fall in.
struct Trigger {
  std::string rule_id;   // "cluster_1d", "cluster_3d", "notifiable", "disease:<name>"
  std::string group_id;  // symptom group, or the disease name
  UnitKind unit_kind = UnitKind::kClass;
  std::string unit_key;
  Day window_start, window_end;
  std::vector<int64_t> case_ids;
  int deadline_hours = 24;  // 0 = report immediately
};

// Every trigger among `cases` (the recent cases of one school, any classes) for windows that
// contain `day` and end no later than `today`. Cases outside those windows are ignored.
[[nodiscard]] std::vector<Trigger> Evaluate(const OutbreakRules& rules, const std::vector<Case>& cases, Day day,
                                            Day today);
// The members of a warning of `rule_id`/`group_id` on one unit and window, recounted from `cases`
// (after a correction retired some records): one record per student, the latest, sorted by id.
[[nodiscard]] std::vector<int64_t> Members(const OutbreakRules& rules, const std::vector<Case>& cases,
                                           const std::string& rule_id, const std::string& group_id, UnitKind kind,
                                           const std::string& unit_key, Day window_start, Day window_end);
// How many days of cases before `day` Evaluate needs (the longest window minus one).
[[nodiscard]] int LookbackDays(const OutbreakRules& rules);

}  // namespace xiaoan::health
