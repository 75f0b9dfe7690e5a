// The inspections module's values: checklist templates, campaigns and their rounds, the due
// inspections of each school, inspections with their item results, progress per unit — and the
// hand-over of a failed item to the hazards module (FailedItem, HazardSink).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "modules/audit/audit.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::inspections {

struct ChecklistItem {
  std::string code, text, category, how;
  bool photo_required = false;
};

struct Checklist {
  int64_t id = 0;
  std::string key;
  int64_t version = 0;
  std::string name;
  std::optional<std::string> owner_code;  // nullopt: shipped with the system
  std::vector<std::string> categories;    // the items' categories, each once, in item order
  int64_t item_count = 0;
  std::vector<ChecklistItem> items;  // detail only
};

// What a bureau sends to add a template (or a new version of its own key).
struct ChecklistInput {
  std::string key, name;
  std::vector<ChecklistItem> items;
};

// One window of a campaign: round N is inspected between opens_on and due_on (Shanghai days).
struct Round {
  int64_t round = 0;
  std::string opens_on, due_on;
};

struct Totals {
  int64_t due = 0, done = 0, on_time = 0, late = 0, missed = 0, open = 0;
};

struct Campaign {
  int64_t id = 0;
  std::string name, org_code, org_name;
  int64_t template_id = 0;
  std::string template_name;
  std::string cadence;  // once | weekly | monthly | semester
  std::string starts_on, ends_on;
  std::vector<std::string> school_types, locality;
  std::string description, created_by, created_at;
  int64_t rounds = 0;
  std::optional<Round> current_round;
  Totals totals;
};

struct CampaignInput {
  std::string name, org;
  int64_t template_id = 0;
  std::string cadence, starts_on, ends_on;
  std::vector<std::string> school_types, locality;
  std::string description;
};

struct Progress {
  std::string code, name, level;
  Totals totals;  // done = on_time + late
  std::optional<double> completeness, timeliness;
};

struct MissedSchool {
  std::string code, name, county_name, due_on, status;
};

struct CampaignProgress {
  Round round;
  Progress unit;
  std::vector<Progress> children;
  std::vector<MissedSchool> missed_schools;  // at most 500
};

struct Due {
  int64_t id = 0, campaign_id = 0;
  std::string campaign_name;
  int64_t template_id = 0;
  std::string template_name;
  int64_t round = 0;
  std::string opens_on, due_on;
  std::string status;  // open | done | late | missed
  std::optional<int64_t> inspection_id;
  // Its window has not opened yet (opens_on after today, Asia/Shanghai): it cannot be inspected
  // before opens_on.
  bool upcoming = false;
};

// What the inspector says about a failed item: the hazard it becomes.
struct HazardInput {
  std::string grade;  // ordinary | major
  std::string location, description;
  std::optional<std::string> building_grade;  // A | B | C | D (category building)
  bool fixed_at_once = false;
};

struct ResultInput {
  std::string code;
  std::string result;  // pass | fail | na
  std::string note;
  std::vector<std::string> photos;  // file ids of POST /api/v1/files?school=
  std::optional<HazardInput> hazard;
};

struct InspectionInput {
  std::string school;
  int64_t template_id = 0;
  std::optional<int64_t> due_id;
  std::string source;  // campaign | self | spot_check | unannounced
  std::string notes;
  std::vector<ResultInput> results;
  std::optional<std::string> idempotency_key;  // the request's Idempotency-Key
};

struct ResultRecord {
  std::string code, text, category, result, note;
  std::vector<std::string> photos;
  std::optional<int64_t> hazard_id;
};

struct Inspection {
  int64_t id = 0;
  std::string school_code, school_name, path;
  int64_t template_id = 0;
  std::string template_name;
  int64_t template_version = 0;
  std::optional<int64_t> campaign_id, due_id;
  std::string source, inspector, inspected_at, notes;
  int64_t pass = 0, fail = 0, na = 0;
  std::vector<ResultRecord> results;  // detail only
};

struct InspectionFilter {
  std::string org;
  std::optional<std::string> source, from, to;  // from/to: Shanghai days of inspected_at
  int64_t limit = 50, offset = 0;
};

// A failed item of an inspection, handed to the hazards module to register as a hazard.
struct FailedItem {
  std::string school_code;
  std::string path;      // the school's materialised path
  std::string category;  // the item's category (fire, building, ...)
  std::string location, description;
  std::string grade;                          // ordinary | major
  std::optional<std::string> building_grade;  // A | B | C | D; D = out of use at once
  bool fixed_at_once = false;
  int64_t inspection_id = 0;
  std::string item_code;
  std::string source;               // inspection (campaign or self-inspection) | spot_check | unannounced
  std::string found_by;             // the inspector's username
  std::string found_at;             // RFC 3339, the inspection's time
  std::vector<std::string> photos;  // file ids, already checked to belong to the school
  audit::Actor actor;               // who recorded the inspection (for the hazard's audit record)
};

// Registers `item` as a hazard inside the inspection's write transaction `tx` and answers its id.
// An error rolls back the whole inspection (an inspection and its hazards are stored together or
// not at all). Set by the App to the hazards module's service.
using HazardSink = std::function<Result<int64_t>(db::Connection& tx, const FailedItem& item)>;

// What one run of the window job did.
struct WindowStats {
  int64_t rounds_opened = 0;  // campaign rounds whose due rows were created
  int64_t dues_created = 0;
  int64_t dues_missed = 0;  // open rows whose window closed without an inspection
};

}  // namespace xiaoan::inspections
