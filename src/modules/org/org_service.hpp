// The org module's service: reads scoped to the caller, and school writes with their rules and
// audit record in one durable transaction. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/principal.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/org/org_store.hpp"
#include "modules/org/org_unit.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::org {

struct NewSchool {
  std::string parent_code;
  std::string code;
  std::string name;
  SchoolAttributes attributes;
  int row = 0;  // spreadsheet row, for imports
};

struct SchoolPatch {
  std::optional<std::string> name;
  std::optional<SchoolType> school_type;
  std::optional<Locality> locality;
  std::optional<bool> boarding;
  std::optional<int64_t> day_students, boarding_students, class_count;
};

class OrgService {
 public:
  OrgService(db::Database& db, const audit::AuditLog& audit, const Clock& clock)
      : db_(db), audit_(audit), clock_(clock) {}

  // Reads. kNotFound for units outside the caller's subtree.
  [[nodiscard]] Result<OrgUnit> Get(const Principal& p, const std::string& code);
  [[nodiscard]] Result<std::vector<UnitRef>> Ancestors(const Principal& p, const OrgUnit& unit);
  [[nodiscard]] Result<Page> Children(const Principal& p, const std::string& code, PageRequest page);
  [[nodiscard]] Result<Page> Schools(const Principal& p, const std::string& code, const SchoolFilter& f,
                                     PageRequest page);
  [[nodiscard]] Result<Page> Search(const Principal& p, const std::string& q, PageRequest page);
  [[nodiscard]] Result<Stats> GetStats(const Principal& p, const std::string& code);

  // Writes (bureau_admin, bureau_safety_officer, system_admin). kPermissionDenied for other roles,
  // kNotFound for a parent outside the subtree, kConflict for a code in use. A name is stored
  // without the blanks around it (TrimBlanks); one that is only blanks is kInvalidArgument naming
  // `name`.
  [[nodiscard]] Result<OrgUnit> CreateSchool(const Principal& p, const audit::Actor& actor, const NewSchool& s);
  [[nodiscard]] Result<OrgUnit> UpdateSchool(const Principal& p, const audit::Actor& actor, const std::string& code,
                                             const SchoolPatch& patch);
  [[nodiscard]] Result<OrgUnit> Deactivate(const Principal& p, const audit::Actor& actor, const std::string& code);
  // All rows or none: any bad row answers kInvalidArgument (reason "import_failed") listing every
  // problem with its row. Answers the number created.
  [[nodiscard]] Result<int64_t> ImportSchools(const Principal& p, const audit::Actor& actor,
                                              const std::string& parent_code, const std::vector<NewSchool>& rows);

  // Checks rows against the store (parent, codes in use, duplicates) without writing anything.
  // Answers the problems found, each with its row.
  [[nodiscard]] Result<std::vector<FieldError>> CheckImport(const Principal& p, const std::string& parent_code,
                                                            const std::vector<NewSchool>& rows);

  // Called inside the writer's transaction after a school is created, edited or deactivated, so
  // that derived figures (the four 100%) change in the same transaction. Set once at wiring.
  using SchoolObserver = std::function<Status(db::Connection& tx, const std::string& code)>;
  void SetSchoolObserver(SchoolObserver observer) { observer_ = std::move(observer); }

  // Start-up seeding (no caller): loads the Henan divisions once; with demo, seeds demo schools
  // once. Answers how many units were added.
  [[nodiscard]] Result<int64_t> SeedDivisions();
  [[nodiscard]] Result<int64_t> SeedDemoSchools();

 private:
  [[nodiscard]] std::string Now() const { return FormatRfc3339(clock_.Now()); }
  [[nodiscard]] Status CheckWriter(const Principal& p) const;
  // Validates `s` against the parent (in scope, holds schools) and existing codes, inside `tx`.
  // Every problem of `rows` under `parent_code` and the units they would become, read in `c`.
  [[nodiscard]] Result<std::vector<OrgUnit>> PrepareImport(db::Connection& c, const Scope& scope,
                                                           const std::string& parent_code,
                                                           const std::vector<NewSchool>& rows,
                                                           std::vector<FieldError>& errors);
  // `attribute_prefix` names attribute fields as the caller sent them ("attributes." for the API,
  // "" for spreadsheet columns).
  [[nodiscard]] Result<OrgUnit> PrepareSchool(db::Connection& tx, const Scope& scope, const NewSchool& s,
                                              const std::string& attribute_prefix, std::vector<FieldError>& errors);

  [[nodiscard]] Status NotifySchoolChanged(db::Connection& tx, const std::string& code) const {
    return observer_ ? observer_(tx, code) : Status{};
  }

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  SchoolObserver observer_;
};

}  // namespace xiaoan::org
