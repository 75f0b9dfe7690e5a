// The health module's service: classes and dormitories, class check reports (晨午检) with
// versions and idempotent retries, outbreak warnings evaluated in the same transaction as the
// report that triggers them, their report tasks, and completeness. Names of students are
// encrypted at rest and shown only to the school's own staff; every such read is audited.
// Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/principal.hpp"
#include "modules/audit/audit_log.hpp"
#include "modules/health/outbreak.hpp"
#include "modules/org/org_unit.hpp"
#include "platform/crypto/field_cipher.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::health {

struct SchoolClass {
  int64_t id = 0;
  std::string school_code;
  int64_t grade = 1;
  std::string name;
  int64_t enrolment = 0;
  bool boarding = false, active = true;
};

struct ClassFields {
  std::optional<int64_t> grade;
  std::optional<std::string> name;
  std::optional<int64_t> enrolment;
  std::optional<bool> boarding, active;
};

struct Dormitory {
  int64_t id = 0;
  std::string name;
  int64_t beds = 0;
};

struct CaseRecord {
  int64_t id = 0;
  std::string student_no;
  std::optional<std::string> name;  // only in answers to the school's staff
  std::string sex;                  // male | female
  int64_t age = 0;
  std::optional<int64_t> dormitory_id;
  std::vector<Symptom> symptoms;
  std::optional<std::string> onset_at;
  bool absent = false, doctor_visit = false;
  std::optional<std::string> diagnosis;
  bool suspected_notifiable = false;
};

struct CheckInput {
  int64_t class_id = 0;
  std::string date, session;
  int64_t enrolled = 0, present = 0, absent_ill = 0, absent_other = 0;
  std::vector<CaseRecord> cases;
  std::string idempotency_key;
};

// A class report's request as canonical text, from which its fingerprint (what a retry under the
// same Idempotency-Key must match) is made: every field that changes what is stored, as the JSON
// array [class_id, date, session, enrolled, present, absent_ill, absent_other, [case...]] with each
// case [student_no, name, sex, age, dormitory_id or -1, [symptom...], onset_at, absent,
// doctor_visit, diagnosis, suspected_notifiable] ("" for an absent text). Stored fingerprints are
// compared with new ones, so this text must not change (health_service_test pins it).
[[nodiscard]] std::string CanonicalRequest(const CheckInput& in);

struct CheckRecord {
  int64_t id = 0;
  std::string school_code;
  int64_t class_id = 0;
  std::string class_name, date, session;
  int64_t version = 1, enrolled = 0, present = 0, absent_ill = 0, absent_other = 0;
  std::vector<CaseRecord> cases;
  std::string submitted_by, submitted_at;
  bool late = false;
  std::vector<int64_t> warnings;
};

struct DayView {
  std::string date, session, deadline;
  bool school_day = true;  // false: a weekend, break or holiday: no class is expected to report
  std::vector<CheckRecord> reports;
  std::vector<SchoolClass> missing;
};

struct CompletenessFigures {
  std::string code, name, level;
  int64_t classes = 0, reported = 0, schools = 0, schools_complete = 0, absent_ill = 0, cases = 0;
};
struct Completeness {
  bool school_day = true;  // false: nothing is expected (classes = 0); reports made anyway are counted
  CompletenessFigures unit;
  std::vector<CompletenessFigures> children;
};

struct ReportTask {
  int64_t id = 0;
  std::string due_at;
  bool immediate = false;
  std::string status;  // pending | submitted | overdue (pending past due)
  bool escalated = false;
  std::string draft;
  std::optional<std::string> summary, measures, submitted_at, submitted_by;
};

struct Warning {
  int64_t id = 0;
  std::string school_code, school_name, county_code, county_name;
  std::string rule, rule_name, group, unit_kind, unit_key, unit_name;
  std::string window_start, window_end;
  int64_t cases = 0;
  std::string status, opened_at;
  std::optional<std::string> closed_at;
  std::optional<ReportTask> task;
  std::vector<int64_t> case_ids;
  std::vector<CaseRecord> case_list;  // detail only
};

struct AbsenceEntry {
  int64_t id = 0;
  std::string day, outcome;  // absent | diagnosed | hospitalised | returned
  std::optional<std::string> diagnosis;
  bool clearance = false;  // a medical clearance was shown on return
  std::string note, recorded_by, recorded_at;
};

// An illness absence, opened by the first report that records the student absent through
// illness, followed by the school doctor until the student is back.
struct Absence {
  int64_t id = 0, class_id = 0;
  std::string school_code, class_name, student_no, started_on, last_seen_on, status, outcome;
  std::optional<std::string> diagnosis;
  std::string updated_at;
  std::vector<AbsenceEntry> entries;
};

struct HealthSettings {
  int correction_window_hours = 24;
  // Deadlines per session, Shanghai time ("before the third period" for the morning).
  std::string morning_deadline = "09:30", noon_deadline = "14:30", evening_deadline = "21:00";
  // Whether classes report on a day (the school calendar); empty = every day. Boarding classes'
  // evening checks follow it too.
  std::function<bool(xiaoan::Day)> is_school_day;
};

class HealthService {
 public:
  HealthService(db::Database& db, const audit::AuditLog& audit, const Clock& clock, crypto::FieldCipher cipher,
                HealthSettings settings = {})
      : db_(db), audit_(audit), clock_(clock), cipher_(std::move(cipher)), settings_(std::move(settings)) {}

  [[nodiscard]] Result<std::vector<SchoolClass>> Classes(const Principal& p, const std::string& school);
  [[nodiscard]] Result<SchoolClass> CreateClass(const Principal& p, const audit::Actor& a, const std::string& school,
                                                const ClassFields& f);
  [[nodiscard]] Result<SchoolClass> UpdateClass(const Principal& p, const audit::Actor& a, const std::string& school,
                                                int64_t id, const ClassFields& f);
  [[nodiscard]] Result<std::vector<Dormitory>> Dormitories(const Principal& p, const std::string& school);
  [[nodiscard]] Result<Dormitory> CreateDormitory(const Principal& p, const audit::Actor& a, const std::string& school,
                                                  const std::string& name, int64_t beds);

  // Stores a class's check (a new version when one exists), evaluates the warning rules for its
  // school and opens or joins warnings, all in one transaction. A retry with the same
  // Idempotency-Key answers the first result and writes nothing.
  [[nodiscard]] Result<CheckRecord> Submit(const Principal& p, const audit::Actor& a, const CheckInput& in);
  // Submit without waiting for the writer: checks the input at once, then hands the work to the
  // writer; `done` gets what Submit would answer, when Submit would answer it — at once for bad
  // input, else once the report is durable, on a store thread (see db::Database::WriteAsync).
  // The actor and the input are kept until then: pass them by move where the caller is done.
  using SubmitDone = std::move_only_function<void(Result<CheckRecord>)>;
  void SubmitAsync(const Principal& p, audit::Actor a, CheckInput in, SubmitDone done);
  [[nodiscard]] Result<DayView> DayReports(const Principal& p, const audit::Actor& a, const std::string& school,
                                           std::optional<xiaoan::Day> date, std::optional<std::string> session);
  [[nodiscard]] Result<Completeness> GetCompleteness(const Principal& p, const std::string& org,
                                                     std::optional<xiaoan::Day> date,
                                                     std::optional<std::string> session);

  [[nodiscard]] Result<std::pair<std::vector<Warning>, int64_t>> Warnings(const Principal& p, const std::string& org,
                                                                          const std::string& status, int64_t limit,
                                                                          int64_t offset);
  [[nodiscard]] Result<Warning> GetWarning(const Principal& p, const audit::Actor& a, int64_t id);
  [[nodiscard]] Result<Warning> CloseWarning(const Principal& p, const audit::Actor& a, int64_t id,
                                             const std::string& note);
  [[nodiscard]] Result<ReportTask> SubmitTask(const Principal& p, const audit::Actor& a, int64_t id,
                                              const std::string& summary, const std::string& measures);
  [[nodiscard]] Result<std::pair<std::vector<Absence>, int64_t>> Absences(const Principal& p, const std::string& school,
                                                                          const std::string& status, int64_t limit,
                                                                          int64_t offset);
  // The doctor's entry for one day. "returned" closes the absence and, after a notifiable disease,
  // needs a medical clearance; "diagnosed" needs the diagnosis.
  [[nodiscard]] Result<Absence> AddAbsenceEntry(const Principal& p, const audit::Actor& a, int64_t absence_id,
                                                const AbsenceEntry& entry);

  // Marks report tasks past their due time as escalated to the county (timed job). Answers how many.
  [[nodiscard]] Result<int64_t> EscalateOverdue();
  // Demo classes for the demo schools (once). Answers the number of classes added.
  [[nodiscard]] Result<int64_t> SeedDemo();

  // The session whose check is due at `t` by default (Shanghai time): morning before 11:30, noon
  // after, evening from 18:00 where `boarding` classes report one (noon for the others), as the
  // class teacher's form offers it.
  [[nodiscard]] static std::string DefaultSession(TimePoint t, bool boarding);

 private:
  [[nodiscard]] std::string Now() const { return FormatRfc3339(clock_.Now()); }
  [[nodiscard]] Result<org::OrgUnit> ResolveSchool(db::Connection& c, const Principal& p,
                                                   const std::string& code) const;
  [[nodiscard]] std::string DeadlineOf(xiaoan::Day day, const std::string& session) const;
  // Which rules an evaluation acts on: all of them for a report; for a diagnosis recorded in a
  // follow-up, only those that read diagnoses (a notifiable disease, the disease windows).
  enum class Rules { kAll, kDiagnoses };
  // Evaluates the rules for the school's recent cases and opens or joins the warnings that
  // `new_cases` (the report's case ids) take part in; their ids go to `touched`. Open warnings that
  // held `retired` records (a correction) are recounted, and withdrawn when none is left.
  [[nodiscard]] Status EvaluateWarnings(db::Connection& tx, const org::OrgUnit& school, xiaoan::Day day,
                                        const std::set<int64_t>& new_cases, const std::set<int64_t>& retired,
                                        std::vector<int64_t>& touched, Rules rules = Rules::kAll);
  [[nodiscard]] Result<Absence> LoadAbsence(db::Connection& c, const Principal& p, int64_t id) const;
  [[nodiscard]] Result<std::vector<CaseRecord>> LoadCases(db::Connection& c, const db::Sql& sql,
                                                          const db::Params& params, bool with_names) const;

  db::Database& db_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  crypto::FieldCipher cipher_;
  HealthSettings settings_;
};

// Whether `p` sees the names of students of `class_name` at `school`: its own staff, not guards,
// and a class teacher only for the classes they teach.
[[nodiscard]] bool SeesNames(const Principal& p, const std::string& school, std::string_view class_name);

}  // namespace xiaoan::health
