// The hazards module's values: a hazard (安全隐患) with its five in place (五到位), its state and its
// overdue and escalation flags (挂牌督办); its history; the inputs of registration and of each
// workflow action; the dashboard figures; and what a run of the deadline job did.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace xiaoan::hazards {

// One row of a hazard's history: registration, an action, an overdue mark or a climb.
struct HazardEvent {
  std::string at, by, action;
  std::optional<std::string> from, to;  // states; null for events that do not change it
  std::string note;
  std::vector<std::string> photos;
};

struct Hazard {
  int64_t id = 0;
  std::string school_code, school_name, county_code, county_name, path;
  std::string category, location, description;
  std::string grade;   // ordinary | major
  std::string source;  // inspection | direct | spot_check | unannounced
  std::optional<int64_t> inspection_id;
  std::optional<std::string> item_code, building_grade;
  bool out_of_use = false;
  bool fixed_at_once = false;
  std::string found_by, found_at, found_on;
  std::vector<std::string> photos;  // taken when it was found
  std::string state;                // registered | rectifying | awaiting_acceptance | closed
  std::string responsible, measures, funds;
  std::optional<std::string> deadline;  // Shanghai day
  std::string contingency_plan, interim_measures;
  bool overdue = false;
  std::optional<std::string> overdue_since;
  std::string supervising_level = "school";  // school | county | city | province
  std::optional<std::string> escalated_at, next_escalation_on;
  bool explanation_required = false;
  std::optional<std::string> explanation, accepted_by, accepted_at, closed_at;
  int64_t days_open = 0;            // found day to closing day, or to today while open
  std::vector<HazardEvent> events;  // detail only

  [[nodiscard]] bool FiveInPlace() const {
    return !responsible.empty() && !measures.empty() && !funds.empty() && deadline && !contingency_plan.empty();
  }
};

// A hazard to register: reported directly, or a failed inspection item.
struct NewHazard {
  std::string school_code;
  std::string category, location, description;
  std::string grade = "ordinary";
  std::string source = "direct";
  std::optional<int64_t> inspection_id;
  std::optional<std::string> item_code, building_grade;
  bool fixed_at_once = false;
  std::vector<std::string> photos;      // file ids of the school (POST /api/v1/files)
  std::string found_by;                 // username; set by the service from the caller
  std::optional<std::string> found_at;  // RFC 3339 or YYYY-MM-DD, not in the future; now when absent
};

// The fields of the `plan` action; absent ones stay as they are.
struct PlanFields {
  std::optional<std::string> responsible, measures, funds, deadline, contingency_plan, interim_measures;
};

// One workflow action with its input (see docs/api-contract.md "Hazards").
struct ActionInput {
  std::string action;  // plan | start | fix_now | submit | accept | reject | explain | supervise
  PlanFields plan;
  std::string note, text;
  std::vector<std::string> photos;
};

struct HazardFilter {
  std::string org;
  std::optional<std::string> state;  // open (anything not closed) or a state
  std::optional<std::string> grade, category;
  bool overdue_only = false, escalated_only = false;
  std::optional<int> year;  // found in that Shanghai year
  int64_t limit = 50, offset = 0;
};

struct Figures {
  std::string code, name, level;
  int64_t open = 0, overdue = 0, major = 0, out_of_use = 0;
  // Of the hazards found in the current Shanghai year: how many are closed, closed / found, and
  // the median of their days from found to closed.
  int64_t found_this_year = 0, closed = 0;
  std::optional<double> closure_rate, median_days_to_close;
};

struct Dashboard {
  Figures unit;
  std::vector<Figures> children;
  std::vector<Hazard> escalated;  // open, supervised at the unit's level inside it, oldest first
};

// What one run of the deadline job did.
struct DeadlineRun {
  int64_t marked = 0;        // newly overdue (each also climbed one level when it could)
  int64_t escalated = 0;     // climbs, first and repeated
  int64_t rows_touched = 0;  // hazards, events and audit records written
};

}  // namespace xiaoan::hazards
