#include "modules/health/health_service.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "base/scope.hpp"
#include "modules/org/org_rules.hpp"
#include "modules/org/org_store.hpp"
#include "platform/http/json_text.hpp"
#include "xiaoan_health_sql.hpp"

namespace xiaoan::health {
namespace q = xiaoan::health::sql;
using nlohmann::json;

namespace {

using db::Opt;

Error Invalid(std::vector<FieldError> errors) {
  Error e = Error::Invalid("", "");
  e.fields = std::move(errors);
  return e;
}

bool IsManager(Role r) { return r == Role::kPrincipal || r == Role::kSchoolSafetyOfficer || r == Role::kSchoolDoctor; }
bool IsDoctorOrPrincipal(Role r) { return r == Role::kPrincipal || r == Role::kSchoolDoctor; }

SchoolClass ClassFromRow(const db::Row& r) {
  return {r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Int(4), r.Int(5) != 0, r.Int(6) != 0};
}

json SymptomsJson(const std::vector<Symptom>& s) {
  json j = json::array();
  for (Symptom x : s) j.push_back(SymptomName(x));
  return j;
}
std::vector<Symptom> SymptomsFrom(const std::string& text) {
  std::vector<Symptom> out;
  const auto j = json::parse(text, nullptr, false);
  if (j.is_array())
    for (const auto& x : j)
      if (x.is_string())
        if (auto s = SymptomFromName(x.get<std::string>())) out.push_back(*s);
  return out;
}

std::string RuleName(const std::string& rule, const std::string& group) {
  for (const auto& c : ShippedOutbreakRules().clusters)
    if (c.id == rule) return c.name;
  if (rule == "notifiable") return group == "suspected" ? "疑似法定传染病病例" : "法定传染病病例：" + group;
  if (rule.starts_with("disease:")) return "病种预警：" + group;
  return rule;
}

// How long before its report's date a case's onset may be.
constexpr int kOnsetDaysBefore = 30;

// A diagnosis given as blanks names none.
std::optional<std::string> DiagnosisOf(const std::optional<std::string>& given) {
  if (!given) return std::nullopt;
  std::string d = org::TrimBlanks(*given);
  if (d.empty()) return std::nullopt;
  return d;
}

bool IsNotifiable(const std::optional<std::string>& diagnosis) {
  const auto& notifiable = ShippedOutbreakRules().notifiable;
  return diagnosis && std::find(notifiable.begin(), notifiable.end(), *diagnosis) != notifiable.end();
}

std::string GroupName(const std::string& group) {
  for (const auto& g : ShippedOutbreakRules().groups)
    if (g.id == group) return g.name;
  return group;
}

// The names of a school's classes and dormitories, by id: a warning names its unit by them.
struct UnitNames {
  std::map<int64_t, std::string> classes, dormitories;

  std::string Of(std::string_view kind, const std::string& key) const {
    if (kind == "school") return "全校";
    const auto& names = kind == "dormitory" ? dormitories : classes;
    const auto it = names.find(std::atoll(key.c_str()));
    if (it != names.end()) return it->second;
    return kind == "dormitory" ? "宿舍 " + key : key;
  }
};

Result<UnitNames> LoadUnitNames(db::Connection& c, const std::string& school) {
  UnitNames out;
  auto classes = c.Query(q::kClassNames, {school});
  if (!classes) return Fail(classes.error());
  for (const auto& r : *classes) out.classes[r.Int(0)] = r.Text(1);
  auto dormitories = c.Query(q::kDormitories, {school});
  if (!dormitories) return Fail(dormitories.error());
  for (const auto& r : *dormitories) out.dormitories[r.Int(0)] = r.Text(1);
  return out;
}

// The facts of a warning's report, pre-filled for the school doctor, as the 2006 rules ask.
std::string Draft(const org::OrgUnit& school, const std::string& unit_name, const std::string& rule,
                  const std::string& group, const std::string& window_start, const std::string& window_end,
                  size_t cases, bool immediate) {
  return fmt::format(
      "{}（{}）{}：{}至{}出现{}{}例（{}）。依据《学校和托幼机构传染病疫情报告工作规范（试行）》，"
      "应{}向属地疾病预防控制中心和县级教育行政部门报告。",
      school.name, school.code, unit_name, window_start, window_end,
      rule == "notifiable" || rule.starts_with("disease:") ? group : GroupName(group), cases, RuleName(rule, group),
      immediate ? "立即" : "在24小时内");
}

}  // namespace

bool SeesNames(const Principal& p, const std::string& school, std::string_view class_name) {
  if (p.org_code != school || !IsSchoolRole(p.role) || p.role == Role::kGuard) return false;
  return p.role != Role::kClassTeacher || std::find(p.classes.begin(), p.classes.end(), class_name) != p.classes.end();
}

std::string HealthService::DefaultSession(TimePoint t, bool boarding) {
  const auto local = t + std::chrono::hours(8);
  const auto minutes =
      std::chrono::duration_cast<std::chrono::minutes>(local - std::chrono::floor<std::chrono::days>(local)).count();
  if (minutes < 11 * 60 + 30) return "morning";
  if (boarding && minutes >= 18 * 60) return "evening";
  return "noon";
}

std::string HealthService::DeadlineOf(xiaoan::Day day, const std::string& session) const {
  const std::string& hhmm = session == "morning" ? settings_.morning_deadline
                            : session == "noon"  ? settings_.noon_deadline
                                                 : settings_.evening_deadline;
  return FormatDay(day) + "T" + hhmm + ":00+08:00";
}

Result<org::OrgUnit> HealthService::ResolveSchool(db::Connection& c, const Principal& p,
                                                  const std::string& code) const {
  auto unit = org::store::Get(c, Scope::Of(p), code);
  if (!unit) return Fail(unit.error());
  if (unit->level != org::Level::kSchool) return Fail(Error::NotFound("The school"));
  return unit;
}

// ---- classes and dormitories

Result<std::vector<SchoolClass>> HealthService::Classes(const Principal& p, const std::string& school) {
  return db::ReadResult<std::vector<SchoolClass>>(db_, [&](db::Connection& c) -> Result<std::vector<SchoolClass>> {
    if (auto s = ResolveSchool(c, p, school); !s) return Fail(s.error());
    auto rows = c.Query(q::kClasses, {school});
    if (!rows) return Fail(rows.error());
    std::vector<SchoolClass> out;
    for (const auto& r : *rows) out.push_back(ClassFromRow(r));
    return out;
  });
}

Result<SchoolClass> HealthService::CreateClass(const Principal& p, const audit::Actor& a, const std::string& school,
                                               const ClassFields& f) {
  SchoolClass k;
  k.school_code = school;
  k.grade = f.grade.value_or(1);
  k.name = org::TrimBlanks(f.name.value_or(""));
  k.enrolment = f.enrolment.value_or(0);
  k.boarding = f.boarding.value_or(false);
  if (k.name.empty()) return Fail(Error::Invalid("name", "Name the class, e.g. 一年级1班."));
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto unit = ResolveSchool(tx, p, school);
    if (!unit) return Fail(unit.error());
    if (p.org_code != school || !IsManager(p.role))
      return Fail(Error::Denied("The school's principal, safety officer or doctor manages its classes."));
    auto id = tx.InsertReturningId(q::kInsertClass,
                                   {school, k.grade, k.name, k.enrolment, int64_t{k.boarding ? 1 : 0}, Now()});
    if (!id) {
      if (id.error().code == ErrorCode::kConflict)
        return Fail(Error::Conflict("name", "The school already has a class of this name."));
      return Fail(id.error());
    }
    k.id = *id;
    return audit_.Append(tx, {a, "health.class.create", fmt::format("health/{}/classes/{}", school, k.id),
                              audit::Outcome::kSuccess, fmt::format("{} enrolment {}", k.name, k.enrolment)});
  });
  if (!ok) return Fail(ok.error());
  return k;
}

Result<SchoolClass> HealthService::UpdateClass(const Principal& p, const audit::Actor& a, const std::string& school,
                                               int64_t id, const ClassFields& f) {
  SchoolClass k;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto unit = ResolveSchool(tx, p, school);
    if (!unit) return Fail(unit.error());
    auto row = tx.QueryOne(q::kGetClass, {school, id});
    if (!row) return Fail(row.error());
    if (!*row) return Fail(Error::NotFound("The class"));
    if (p.org_code != school || !IsManager(p.role))
      return Fail(Error::Denied("The school's principal, safety officer or doctor manages its classes."));
    k = ClassFromRow(**row);
    if (f.name) k.name = org::TrimBlanks(*f.name);
    if (f.enrolment) k.enrolment = *f.enrolment;
    if (f.boarding) k.boarding = *f.boarding;
    if (f.active) k.active = *f.active;
    if (k.name.empty()) return Fail(Error::Invalid("name", "Name the class, e.g. 一年级1班."));
    auto r = tx.Execute(q::kUpdateClass, {school, id, k.name, k.enrolment, int64_t{k.boarding ? 1 : 0},
                                          int64_t{k.active ? 1 : 0}, Now()});
    if (!r) {
      if (r.error().code == ErrorCode::kConflict)
        return Fail(Error::Conflict("name", "The school already has a class of this name."));
      return Fail(r.error());
    }
    return audit_.Append(
        tx, {a, "health.class.update", fmt::format("health/{}/classes/{}", school, id), audit::Outcome::kSuccess,
             fmt::format("{} enrolment {} active {}", k.name, k.enrolment, k.active)});
  });
  if (!ok) return Fail(ok.error());
  return k;
}

Result<std::vector<Dormitory>> HealthService::Dormitories(const Principal& p, const std::string& school) {
  return db::ReadResult<std::vector<Dormitory>>(db_, [&](db::Connection& c) -> Result<std::vector<Dormitory>> {
    if (auto s = ResolveSchool(c, p, school); !s) return Fail(s.error());
    auto rows = c.Query(q::kDormitories, {school});
    if (!rows) return Fail(rows.error());
    std::vector<Dormitory> out;
    for (const auto& r : *rows) out.push_back({r.Int(0), r.Text(1), r.Int(2)});
    return out;
  });
}

Result<Dormitory> HealthService::CreateDormitory(const Principal& p, const audit::Actor& a, const std::string& school,
                                                 const std::string& given_name, int64_t beds) {
  const std::string name = org::TrimBlanks(given_name);
  if (name.empty()) return Fail(Error::Invalid("name", "Name the dormitory."));
  Dormitory d{0, name, beds};
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    if (auto s = ResolveSchool(tx, p, school); !s) return Fail(s.error());
    if (p.org_code != school || !IsManager(p.role))
      return Fail(Error::Denied("The school's principal, safety officer or doctor manages its dormitories."));
    auto id = tx.InsertReturningId(q::kInsertDormitory, {school, name, beds});
    if (!id) {
      if (id.error().code == ErrorCode::kConflict)
        return Fail(Error::Conflict("name", "The school already has a dormitory of this name."));
      return Fail(id.error());
    }
    d.id = *id;
    return audit_.Append(tx, {a, "health.dormitory.create", fmt::format("health/{}/dormitories/{}", school, d.id),
                              audit::Outcome::kSuccess, name});
  });
  if (!ok) return Fail(ok.error());
  return d;
}

// ---- reports

Result<std::vector<CaseRecord>> HealthService::LoadCases(db::Connection& c, const db::Sql& sql,
                                                         const db::Params& params, bool with_names) const {
  auto rows = c.Query(sql, params);
  if (!rows) return Fail(rows.error());
  std::vector<CaseRecord> out;
  for (const auto& r : *rows) {
    CaseRecord k;
    k.id = r.Int(0);
    k.student_no = r.Text(2);
    if (with_names && !r.IsNull(3)) {
      auto name = cipher_.Decrypt(r.Text(3));
      k.name = name ? *name : std::string("（无法解密）");
    }
    k.sex = r.Text(4);
    k.age = r.Int(5);
    if (!r.IsNull(6)) k.dormitory_id = r.Int(6);
    k.symptoms = SymptomsFrom(r.Text(7));
    k.onset_at = r.OptText(8);
    k.absent = r.Int(9) != 0;
    k.doctor_visit = r.Int(10) != 0;
    k.diagnosis = r.OptText(11);
    k.suspected_notifiable = r.Int(12) != 0;
    out.push_back(std::move(k));
  }
  return out;
}

std::string CanonicalRequest(const CheckInput& in) {
  std::string text;
  text.reserve(96 + 160 * in.cases.size());
  http::JsonText t(text);
  t.Open('[').Int(in.class_id).String(in.date).String(in.session).Int(in.enrolled).Int(in.present);
  t.Int(in.absent_ill).Int(in.absent_other).Open('[');
  for (const auto& c : in.cases) {
    t.Open('[').String(c.student_no).String(c.name.value_or("")).String(c.sex).Int(c.age);
    t.Int(c.dormitory_id.value_or(-1)).Open('[');
    for (const Symptom x : c.symptoms) t.String(SymptomName(x));
    t.Close(']').String(c.onset_at.value_or("")).Bool(c.absent).Bool(c.doctor_visit);
    t.String(c.diagnosis.value_or("")).Bool(c.suspected_notifiable).Close(']');
  }
  t.Close(']').Close(']');
  return text;
}

Result<CheckRecord> HealthService::Submit(const Principal& p, const audit::Actor& a, const CheckInput& in) {
  std::promise<Result<CheckRecord>> answer;
  auto answered = answer.get_future();
  SubmitAsync(p, a, in, [&answer](Result<CheckRecord> r) { answer.set_value(std::move(r)); });
  return answered.get();
}

void HealthService::SubmitAsync(const Principal& p, audit::Actor a, CheckInput in, SubmitDone done) {
  const TimePoint now_tp = clock_.Now();
  const xiaoan::Day today = ShanghaiDay(now_tp);
  std::vector<FieldError> errors;
  const auto day = ParseDay(in.date);
  if (!day)
    errors.push_back({"date", "A date as YYYY-MM-DD."});
  else if (*day > today || *day < today - std::chrono::days(1))
    errors.push_back({"date", "Today or yesterday."});
  if (in.session != "morning" && in.session != "noon" && in.session != "evening")
    errors.push_back({"session", "Use morning, noon or evening."});
  if (in.present + in.absent_ill + in.absent_other != in.enrolled)
    errors.push_back({"enrolled", "Enrolled must equal present + absent through illness + absent for other reasons."});
  const int64_t absent_cases =
      std::count_if(in.cases.begin(), in.cases.end(), [](const CaseRecord& c) { return c.absent; });
  if (absent_cases != in.absent_ill)
    errors.push_back({"absent_ill",
                      fmt::format("{} absent through illness, but {} cases say absent.", in.absent_ill, absent_cases)});
  std::set<std::string> numbers;
  for (auto& c : in.cases) c.diagnosis = DiagnosisOf(c.diagnosis);
  for (size_t i = 0; i < in.cases.size(); ++i) {
    const auto& c = in.cases[i];
    const std::string at = fmt::format("cases[{}].", i);
    if (c.student_no.find_first_not_of(" \t") == std::string::npos)
      errors.push_back({at + "student_no", "The student number is required."});
    else if (!numbers.insert(c.student_no).second)
      errors.push_back({at + "student_no", "This student is already in the report."});
    if (c.sex != "male" && c.sex != "female") errors.push_back({at + "sex", "Use male or female."});
    if (c.symptoms.empty() && !c.diagnosis && c.absent == false)
      errors.push_back({at + "symptoms", "A present student is recorded only with symptoms."});
    if (c.onset_at) {
      auto t = ParseRfc3339(*c.onset_at);
      if (!t)
        errors.push_back({at + "onset_at", "A time as RFC 3339."});
      else if (*t > now_tp + std::chrono::minutes(5))
        errors.push_back({at + "onset_at", "Cannot be in the future."});
      else if (day && *t < StartOfShanghaiDay(*day - std::chrono::days(kOnsetDaysBefore)))
        errors.push_back({at + "onset_at", fmt::format("At most {} days before the report's date.", kOnsetDaysBefore)});
    }
  }
  if (!errors.empty()) return done(Fail(Invalid(errors)));

  // What the writer's work needs, kept until it has run: the caller does not wait for it.
  struct Pending {
    Principal p;
    audit::Actor a;
    CheckInput in;
    TimePoint now_tp;
    std::string now;  // now_tp as stored
    bool late;        // after the session's deadline
    xiaoan::Day day;
    std::string request_hash;
    CheckRecord out;
  };
  std::string request_hash = cipher_.Fingerprint(CanonicalRequest(in));
  // Neither depends on what is stored: worked out here rather than in the one writer thread.
  std::string now = FormatRfc3339(now_tp);
  const bool late = now > DeadlineOf(*day, in.session);
  auto pending = std::make_shared<Pending>(
      Pending{p, std::move(a), std::move(in), now_tp, std::move(now), late, *day, std::move(request_hash), {}});
  auto work = [this, pending](db::Connection& tx) -> Status {
    const Principal& p = pending->p;
    const audit::Actor& a = pending->a;
    const CheckInput& in = pending->in;
    const TimePoint now_tp = pending->now_tp;
    const xiaoan::Day day = pending->day;
    const std::string& request_hash = pending->request_hash;
    CheckRecord& out = pending->out;
    out = {};  // the writer may run this again (db::Repeat)
    // The class, the report under this key and the slot's version in force: columns 0-6, 7-8, 9-12.
    auto row = tx.QueryOne(q::kSubmitContext, db::ParamsOf(in.class_id, in.idempotency_key, in.date, in.session));
    if (!row) return Fail(row.error());
    if (!*row) return Fail(Error::Invalid("class_id", "No such class."));
    const db::Row& ctx = **row;
    const SchoolClass k = ClassFromRow(ctx);
    const auto denied = [] {
      return Fail(Error::Denied("The class teacher of this class, the school doctor or the principal reports."));
    };
    // Only the school's own staff report, and a user's org_path is the path of the user's unit (a
    // unit's path never changes): for them the school's path is their own, with no read of
    // org_units. Anyone else is answered as the jurisdiction says: no such class outside it, denied
    // inside it.
    if (p.org_code != k.school_code) {
      auto path = tx.QueryOne(q::kSchoolPath, {k.school_code});
      if (!path) return Fail(path.error());
      if (!*path || !Scope::Of(p).Contains((*path)->Text(0))) return Fail(Error::Invalid("class_id", "No such class."));
      return denied();
    }
    const std::string& school_path = p.org_path;
    const bool teacher_of_class =
        p.role == Role::kClassTeacher && std::find(p.classes.begin(), p.classes.end(), k.name) != p.classes.end();
    if (!(teacher_of_class || IsDoctorOrPrincipal(p.role))) return denied();
    // A retry: answer what the first request answered.
    if (!ctx.IsNull(7)) {
      if (ctx.Text(8) != request_hash) {
        Error e = Error::Invalid("Idempotency-Key",
                                 "This key was used for a different report; a retry must send the same report.");
        e.reason = "idempotency_key_reused";
        return Fail(e);
      }
      auto r = tx.QueryOne(q::kReportById, {ctx.Int(7)});
      if (!r) return Fail(r.error());
      if (!*r) return Fail(Error::Internal("the report of an idempotency key is missing"));
      const auto& x = **r;
      out = CheckRecord{x.Int(0), x.Text(1), x.Int(2),  x.Text(3), x.Text(4),  x.Text(5),  x.Int(6),       x.Int(7),
                        x.Int(8), x.Int(9),  x.Int(10), {},        x.Text(12), x.Text(13), x.Int(11) != 0, {}};
      const auto j = json::parse(x.Text(14), nullptr, false);
      if (j.is_object())
        for (const auto& w : j.value("warnings", json::array())) out.warnings.push_back(w.get<int64_t>());
      auto cases = LoadCases(tx, q::kReportCases, {out.id}, SeesNames(p, out.school_code, out.class_name));
      if (!cases) return Fail(cases.error());
      out.cases = std::move(*cases);
      return {};
    }
    if (!k.active) return Fail(Error::Invalid("class_id", "The class is no longer active."));
    if (in.session == "evening" && !k.boarding)
      return Fail(Error::Invalid("session", "Only boarding classes have an evening check."));
    if (in.enrolled != k.enrolment)
      return Fail(Error::Invalid("enrolled", fmt::format("The class has {} students enrolled.", k.enrolment)));
    for (size_t i = 0; i < in.cases.size(); ++i) {
      if (!in.cases[i].dormitory_id) continue;
      auto d = tx.QueryOne(q::kDormitoryOfSchool, {k.school_code, *in.cases[i].dormitory_id});
      if (!d) return Fail(d.error());
      if (!*d) return Fail(Error::Invalid(fmt::format("cases[{}].dormitory_id", i), "No such dormitory."));
    }
    // A correction is the slot's next version, within the window after the first submission. The
    // version it replaces stays as it was (the slot's row names the one in force); only its cases
    // are retired, so that the outbreak windows count the cases in force.
    int64_t version = 1;
    std::string first_submitted = pending->now;     // the first version's time, kept on every version
    int64_t first_seconds = ToUnixSeconds(now_tp);  // the same, as the slot's row keeps it
    std::set<int64_t> retired;                      // the records of the version a correction replaces
    std::set<std::string> retired_absent;           // their students absent through illness
    if (!ctx.IsNull(9)) {
      // The version in force: id 9, version 10, cases 11; the first version's time 12 (Unix seconds).
      const int64_t current_id = ctx.Int(9);
      first_seconds = ctx.Int(12);
      const TimePoint first_at = FromUnixSeconds(first_seconds);
      first_submitted = FormatRfc3339(first_at);
      if (now_tp > first_at + std::chrono::hours(settings_.correction_window_hours)) {
        Error e = Error::Conflict("date", fmt::format("Corrections are accepted for {} hours after the first report.",
                                                      settings_.correction_window_hours));
        e.reason = "correction_window_closed";
        return Fail(e);
      }
      version = ctx.Int(10) + 1;
      if (ctx.Int(11) > 0) {  // most versions have no case: nothing to retire
        auto old_cases = tx.Query(q::kReportCaseIds, {current_id});
        if (!old_cases) return Fail(old_cases.error());
        for (const auto& r : *old_cases) {
          retired.insert(r.Int(0));
          if (r.Int(2) != 0) retired_absent.insert(r.Text(1));
        }
        if (auto r = tx.Execute(q::kRetireCases, {current_id}); !r) return Fail(r.error());
      }
    }
    const std::string& now = pending->now;
    const bool late = pending->late;
    // The answer a retry gets; rewritten below if the cases open or join warnings.
    const auto result_of = [&](const std::vector<int64_t>& warnings) {
      std::string text;
      http::JsonText t(text);
      t.Open('{').Key("submitted_at").String(now).Key("version").Int(version).Key("warnings").Open('[');
      for (const int64_t w : warnings) t.Int(w);
      t.Close(']').Close('}');
      return text;
    };
    auto id = tx.InsertOne(
        q::kInsertReport,
        db::ParamsOf(k.school_code, school_path, k.id, in.date, in.session, version, in.enrolled, in.present,
                     in.absent_ill, in.absent_other, static_cast<int64_t>(in.cases.size()), int64_t{late ? 1 : 0},
                     p.username, now, in.idempotency_key, request_hash, result_of({}), std::move(first_submitted)));
    if (!id) return Fail(id.error());
    // The slot's row now names this version (the single writer read the one it replaces above).
    auto moved =
        tx.Execute(q::kUpsertSlot, db::ParamsOf(k.school_code, in.date, in.session, k.id, *id, version, in.absent_ill,
                                                static_cast<int64_t>(in.cases.size()), first_seconds));
    if (!moved) return Fail(moved.error());
    if (*moved != 1) return Fail(Error::Internal("the class report's slot did not hold the version replaced"));
    out = CheckRecord{
        *id,           k.school_code,   k.id, k.name,     in.date, in.session, version, in.enrolled, in.present,
        in.absent_ill, in.absent_other, {},   p.username, now,     late,       {}};
    for (const auto& c : in.cases) {
      db::Value name = nullptr;
      if (c.name && !c.name->empty()) {
        auto sealed = cipher_.Encrypt(*c.name);
        if (!sealed) return Fail(sealed.error());
        name = *sealed;
      }
      auto case_id = tx.InsertReturningId(
          q::kInsertCase, {*id, k.school_code, k.id, in.date, c.student_no, name, c.sex, c.age, Opt(c.dormitory_id),
                           SymptomsJson(c.symptoms).dump(), Opt(c.onset_at), int64_t{c.absent ? 1 : 0},
                           int64_t{c.doctor_visit ? 1 : 0}, Opt(c.diagnosis), int64_t{c.suspected_notifiable ? 1 : 0}});
      if (!case_id) return Fail(case_id.error());
      CaseRecord stored = c;
      stored.id = *case_id;
      out.cases.push_back(std::move(stored));
    }
    // Every student absent through illness is followed until back.
    for (const auto& c : in.cases) {
      if (!c.absent) continue;
      auto open = tx.QueryOne(q::kOpenAbsence, {k.school_code, c.student_no});
      if (!open) return Fail(open.error());
      auto r = *open ? tx.Execute(q::kTouchAbsence, {(*open)->Int(0), in.date, Opt(c.diagnosis), now})
                     : tx.Execute(q::kInsertAbsence,
                                  {k.school_code, school_path, k.id, c.student_no, in.date, Opt(c.diagnosis), now});
      if (!r) return Fail(r.error());
      retired_absent.erase(c.student_no);
    }
    // A student the replaced version had absent through illness and this one does not: the
    // absence goes if no record in force holds it and the doctor has not followed it up yet.
    for (const auto& student : retired_absent)
      if (auto r = tx.Execute(q::kWithdrawAbsence, {k.school_code, student}); !r) return Fail(r.error());
    std::set<int64_t> new_cases;
    for (const auto& c : out.cases) new_cases.insert(c.id);
    // A report with no case, correcting none, can neither open, join nor shrink a warning: most
    // reports are such zero reports, and they skip the school's recent cases altogether.
    if (!new_cases.empty() || !retired.empty()) {
      auto school = ResolveSchool(tx, p, k.school_code);
      if (!school) return Fail(school.error());
      if (auto s = EvaluateWarnings(tx, *school, day, new_cases, retired, out.warnings); !s) return s;
      if (!out.warnings.empty())
        if (auto r = tx.Execute(q::kSetReportResult, {*id, result_of(out.warnings)}); !r) return Fail(r.error());
    }
    return audit_.Append(
        tx,
        {a, version == 1 ? "health.check.submit" : "health.check.correct",
         fmt::format(FMT_COMPILE("health/{}/checks/{}"), k.school_code, *id), audit::Outcome::kSuccess,
         fmt::format(FMT_COMPILE("{} {} {} v{}: enrolled {} present {} ill {} other {} cases {}"), k.name, in.date,
                     in.session, version, in.enrolled, in.present, in.absent_ill, in.absent_other, in.cases.size())});
  };
  // Repeatable: the work sets `out` afresh on every run and changes nothing but the store.
  db_.WriteAsync(
      std::move(work),
      [pending, done = std::move(done)](Status ok) mutable {
        if (!ok) return done(Fail(ok.error()));
        done(std::move(pending->out));
      },
      db::Repeat::kYes);
}

Status HealthService::EvaluateWarnings(db::Connection& tx, const org::OrgUnit& school, xiaoan::Day day,
                                       const std::set<int64_t>& new_cases, const std::set<int64_t>& retired,
                                       std::vector<int64_t>& touched, Rules which) {
  if (new_cases.empty() && retired.empty()) return {};  // see Submit
  const auto& rules = ShippedOutbreakRules();
  const xiaoan::Day today = ShanghaiDay(clock_.Now());
  const xiaoan::Day from = day - std::chrono::days(LookbackDays(rules));
  const xiaoan::Day to = std::min(today, day + std::chrono::days(LookbackDays(rules)));
  auto rows = tx.Query(q::kRecentCases, {school.code, FormatDay(from), FormatDay(to)});
  if (!rows) return Fail(rows.error());
  std::vector<Case> cases;
  for (const auto& r : *rows) {
    Case c;
    c.id = r.Int(0);
    c.day = *ParseDay(r.Text(1));
    c.class_key = std::to_string(r.Int(2));
    if (!r.IsNull(3)) c.dormitory_key = std::to_string(r.Int(3));
    c.symptoms = SymptomsFrom(r.Text(4));
    c.diagnosis = r.OptText(5);
    c.suspected_notifiable = r.Int(6) != 0;
    c.student = r.Text(7);
    cases.push_back(std::move(c));
  }
  auto names = LoadUnitNames(tx, school.code);
  if (!names) return Fail(names.error());
  // A warning whose cases changed gets its pending report's facts written again.
  const auto refresh_draft = [&](int64_t warning, const std::string& rule, const std::string& group,
                                 const std::string& kind, const std::string& unit_key, const std::string& start,
                                 const std::string& end, size_t count) -> Status {
    const std::string unit_name = names->Of(kind, unit_key);
    if (auto r =
            tx.Execute(q::kRefreshTaskDraft, {warning, Draft(school, unit_name, rule, group, start, end, count, true),
                                              Draft(school, unit_name, rule, group, start, end, count, false)});
        !r)
      return Fail(r.error());
    return {};
  };
  const std::string now = Now();
  std::map<int64_t, std::string> student_of;
  for (const auto& c : cases) student_of[c.id] = c.student;
  for (const auto& t : Evaluate(rules, cases, day, today)) {
    // Only what this report's cases take part in: other classes' warnings are not its business.
    if (std::none_of(t.case_ids.begin(), t.case_ids.end(), [&](int64_t id) { return new_cases.contains(id); }))
      continue;
    if (which == Rules::kDiagnoses && t.rule_id != "notifiable" && !t.rule_id.starts_with("disease:")) continue;
    const std::string kind = UnitKindName(t.unit_kind);
    auto open = tx.Query(q::kOpenWarning, {school.code, t.rule_id, t.group_id, kind, t.unit_key});
    if (!open) return Fail(open.error());
    std::optional<int64_t> joined;
    for (const auto& w : *open) {
      const auto ws = ParseDay(w.Text(1)), we = ParseDay(w.Text(2));
      if (!ws || !we || *ws > t.window_end || *we < t.window_start) continue;  // another window
      // The warning keeps its students: the trigger's records, plus earlier records still in force
      // of students the trigger does not hold (a correction's retired records drop out).
      std::set<int64_t> ids(t.case_ids.begin(), t.case_ids.end());
      std::set<std::string> students;
      for (int64_t id : t.case_ids) students.insert(student_of[id]);
      auto earlier = tx.Query(q::kCasesStudents, {w.Text(3)});
      if (!earlier) return Fail(earlier.error());
      std::set<int64_t> before_ids;
      for (const auto& x : json::parse(w.Text(3), nullptr, false)) before_ids.insert(x.get<int64_t>());
      for (const auto& e : *earlier)
        if (e.Int(2) == 1 && students.insert(e.Text(1)).second) ids.insert(e.Int(0));
      joined = w.Int(0);
      if (ids != before_ids) {
        const std::string start = FormatDay(std::min(*ws, t.window_start)),
                          end = FormatDay(std::max(*we, t.window_end));
        if (auto r = tx.Execute(q::kUpdateWarning,
                                {w.Int(0), start, end, json(ids).dump(), static_cast<int64_t>(ids.size()), now});
            !r)
          return Fail(r.error());
        if (auto r = refresh_draft(w.Int(0), t.rule_id, t.group_id, kind, t.unit_key, start, end, ids.size()); !r)
          return r;
      }
      break;
    }
    if (joined) {
      touched.push_back(*joined);
      continue;
    }
    auto id = tx.InsertReturningId(
        q::kInsertWarning,
        {school.code, school.path, t.rule_id, t.group_id, kind, t.unit_key, FormatDay(t.window_start),
         FormatDay(t.window_end), json(t.case_ids).dump(), static_cast<int64_t>(t.case_ids.size()), now});
    if (!id) return Fail(id.error());
    const std::string unit_name = names->Of(kind, t.unit_key);
    const bool immediate = t.deadline_hours == 0;
    const std::string draft = Draft(school, unit_name, t.rule_id, t.group_id, FormatDay(t.window_start),
                                    FormatDay(t.window_end), t.case_ids.size(), immediate);
    const std::string due = FormatRfc3339(clock_.Now() + std::chrono::hours(t.deadline_hours));
    if (auto r = tx.Execute(q::kInsertTask, {*id, due, int64_t{immediate ? 1 : 0}, draft}); !r) return Fail(r.error());
    if (auto s =
            audit_.Append(tx, {audit::SystemActor("health-rules"), "health.warning.open",
                               fmt::format("health/{}/warnings/{}", school.code, *id), audit::Outcome::kSuccess,
                               fmt::format("{} {} {} {} cases", t.rule_id, t.group_id, unit_name, t.case_ids.size())});
        !s)
      return s;
    touched.push_back(*id);
  }
  // A correction that retired records: the open warnings that held them are recounted from the
  // records in force, so a case taken back no longer counts. One left with no case is withdrawn.
  if (!retired.empty()) {
    auto held = tx.Query(q::kWarningsWithCases, {school.code, json(retired).dump()});
    if (!held) return Fail(held.error());
    for (const auto& w : *held) {
      if (std::find(touched.begin(), touched.end(), w.Int(0)) != touched.end()) continue;  // rejoined above
      UnitKind kind = UnitKind::kClass;
      for (UnitKind k : {UnitKind::kClass, UnitKind::kDormitory, UnitKind::kSchool})
        if (w.Text(3) == UnitKindName(k)) kind = k;
      const auto ws = ParseDay(w.Text(5)), we = ParseDay(w.Text(6));
      if (!ws || !we) return Fail(Error::Internal("a warning with a broken window"));
      const auto members = Members(rules, cases, w.Text(1), w.Text(2), kind, w.Text(4), *ws, *we);
      const std::string target = fmt::format("health/{}/warnings/{}", school.code, w.Int(0));
      if (members.empty()) {
        if (auto r = tx.Execute(q::kWithdrawWarning,
                                {w.Int(0), now, "全部病例已被更正撤回 / every case was withdrawn by a correction"});
            !r)
          return Fail(r.error());
        if (auto s = audit_.Append(tx, {audit::SystemActor("health-rules"), "health.warning.withdraw", target,
                                        audit::Outcome::kSuccess, "every case withdrawn by a correction"});
            !s)
          return s;
        continue;
      }
      if (auto r = tx.Execute(q::kUpdateWarning, {w.Int(0), w.Text(5), w.Text(6), json(members).dump(),
                                                  static_cast<int64_t>(members.size()), now});
          !r)
        return Fail(r.error());
      if (auto r =
              refresh_draft(w.Int(0), w.Text(1), w.Text(2), w.Text(3), w.Text(4), w.Text(5), w.Text(6), members.size());
          !r)
        return r;
      if (auto s =
              audit_.Append(tx, {audit::SystemActor("health-rules"), "health.warning.recount", target,
                                 audit::Outcome::kSuccess, fmt::format("{} cases after a correction", members.size())});
          !s)
        return s;
    }
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  return {};
}

Result<DayView> HealthService::DayReports(const Principal& p, const audit::Actor& a, const std::string& school,
                                          std::optional<xiaoan::Day> date, std::optional<std::string> session) {
  const xiaoan::Day d = date.value_or(ShanghaiDay(clock_.Now()));
  std::string s;
  int64_t named = 0;
  auto view = db::ReadResult<DayView>(db_, [&](db::Connection& c) -> Result<DayView> {
    if (auto u = ResolveSchool(c, p, school); !u) return Fail(u.error());
    if (session) {
      s = *session;
    } else {  // a school without boarding classes has no evening check: its evening shows noon's
      auto boarding = c.QueryOne(q::kSchoolHasBoarding, {school});
      if (!boarding) return Fail(boarding.error());
      s = DefaultSession(clock_.Now(), *boarding && (*boarding)->Int(0) != 0);
    }
    DayView v{FormatDay(d), s, DeadlineOf(d, s), !settings_.is_school_day || settings_.is_school_day(d), {}, {}};
    auto rows = c.Query(q::kDayReports, {school, v.date, s});
    if (!rows) return Fail(rows.error());
    for (const auto& r : *rows) {
      CheckRecord k{r.Int(0), r.Text(1), r.Int(2),  r.Text(3), r.Text(4),  r.Text(5),  r.Int(6),       r.Int(7),
                    r.Int(8), r.Int(9),  r.Int(10), {},        r.Text(12), r.Text(13), r.Int(11) != 0, {}};
      const auto result = json::parse(r.Text(14), nullptr, false);
      if (result.is_object())
        for (const auto& w : result.value("warnings", json::array())) k.warnings.push_back(w.get<int64_t>());
      auto cases = LoadCases(c, q::kReportCases, {k.id}, SeesNames(p, school, k.class_name));
      if (!cases) return Fail(cases.error());
      for (const auto& x : *cases) named += x.name ? 1 : 0;
      k.cases = std::move(*cases);
      v.reports.push_back(std::move(k));
    }
    if (v.school_day) {
      auto missing = c.Query(q::kMissingClasses, {school, v.date, s});
      if (!missing) return Fail(missing.error());
      for (const auto& r : *missing) v.missing.push_back(ClassFromRow(r));
    }
    return v;
  });
  if (!view) return view;
  if (named > 0) {
    if (auto ok =
            audit_.RecordSensitiveRead(db_, a, "health_cases", fmt::format("health/{}/checks/{}", school, view->date),
                                       fmt::format("{} named cases, {} {}", named, view->date, s));
        !ok)
      return Fail(ok.error());
  }
  return view;
}

Result<Completeness> HealthService::GetCompleteness(const Principal& p, const std::string& org_code,
                                                    std::optional<xiaoan::Day> date,
                                                    std::optional<std::string> session) {
  const xiaoan::Day d = date.value_or(ShanghaiDay(clock_.Now()));
  // A unit's evening shows noon's checks, which every class makes, unless asked for the evening.
  const std::string s = session.value_or(DefaultSession(clock_.Now(), false));
  return db::ReadResult<Completeness>(db_, [&](db::Connection& c) -> Result<Completeness> {
    auto unit = org::store::Get(c, Scope::Of(p), org_code);
    if (!unit) return Fail(unit.error());
    const Scope scope = Scope::ForPath(unit->path);
    Completeness out;
    out.school_day = !settings_.is_school_day || settings_.is_school_day(d);
    out.unit = {unit->code, unit->name, org::LevelName(unit->level)};
    // Children: direct child units, each a path prefix.
    std::vector<std::pair<std::string, size_t>> prefixes;
    if (unit->level != org::Level::kSchool) {
      auto kids = org::store::Children(c, scope, org_code, {1, 100000});
      if (!kids) return Fail(kids.error());
      for (const auto& k : kids->items) {
        if (!k.active) continue;
        prefixes.emplace_back(k.path, out.children.size());
        out.children.push_back({k.code, k.name, org::LevelName(k.level)});
      }
    }
    auto child_of = [&](const std::string& path) -> CompletenessFigures* {
      for (const auto& [prefix, i] : prefixes)
        if (path.starts_with(prefix)) return &out.children[i];
      return nullptr;
    };
    auto expected = c.Query(q::kCompletenessExpected, {scope.lower(), scope.upper(), s});
    if (!expected) return Fail(expected.error());
    std::map<std::string, std::pair<std::string, int64_t>> schools;  // code → (path, classes)
    for (const auto& r : *expected) schools[r.Text(0)] = {r.Text(1), r.Int(2)};
    auto reported = c.Query(q::kCompletenessReported, {scope.lower(), scope.upper(), FormatDay(d), s});
    if (!reported) return Fail(reported.error());
    std::map<std::string, std::array<int64_t, 3>> got;
    for (const auto& r : *reported) got[r.Text(0)] = {r.Int(1), r.Int(2), r.Int(3)};
    for (const auto& [code, pc] : schools) {
      const auto g = got.count(code) ? got[code] : std::array<int64_t, 3>{0, 0, 0};
      for (CompletenessFigures* f : {&out.unit, child_of(pc.first)}) {
        if (!f) continue;
        if (out.school_day) {
          f->classes += pc.second;
          f->reported += std::min(g[0], pc.second);
          f->schools += 1;
          f->schools_complete += g[0] >= pc.second ? 1 : 0;
        } else {
          f->reported += g[0];  // nothing expected; what was reported all the same is shown
        }
        f->absent_ill += g[1];
        f->cases += g[2];
      }
    }
    return out;
  });
}

// ---- warnings and tasks

namespace {

Warning WarningFromRow(const db::Row& r) {
  Warning w;
  w.id = r.Int(0);
  w.school_code = r.Text(1);
  w.school_name = r.Text(2);
  w.county_code = r.Text(3);
  w.county_name = r.Text(4);
  w.rule = r.Text(5);
  w.group = r.Text(6);
  w.rule_name = RuleName(w.rule, w.group);
  w.unit_kind = r.Text(7);
  w.unit_key = r.Text(8);
  w.window_start = r.Text(9);
  w.window_end = r.Text(10);
  w.cases = r.Int(11);
  w.status = r.Text(12);
  w.opened_at = r.Text(13);
  w.closed_at = r.OptText(14);
  for (const auto& x : json::parse(r.Text(15), nullptr, false)) w.case_ids.push_back(x.get<int64_t>());
  if (!r.IsNull(16)) {
    ReportTask t;
    t.id = r.Int(16);
    t.due_at = r.Text(17);
    t.immediate = r.Int(18) != 0;
    t.status = r.Text(19);
    t.escalated = !r.IsNull(20);
    t.draft = r.Text(21);
    t.summary = r.OptText(22);
    t.measures = r.OptText(23);
    t.submitted_at = r.OptText(24);
    t.submitted_by = r.OptText(25);
    w.task = std::move(t);
  }
  return w;
}

void Finish(Warning& w, const std::string& now, const UnitNames& names) {
  if (w.task && w.task->status == "pending" && w.task->due_at < now) w.task->status = "overdue";
  w.unit_name = names.Of(w.unit_kind, w.unit_key);
}

}  // namespace

Result<std::pair<std::vector<Warning>, int64_t>> HealthService::Warnings(const Principal& p, const std::string& org,
                                                                         const std::string& status, int64_t limit,
                                                                         int64_t offset) {
  using R = std::pair<std::vector<Warning>, int64_t>;
  const std::string now = Now();
  return db::ReadResult<R>(db_, [&](db::Connection& c) -> Result<R> {
    auto unit = org::store::Get(c, Scope::Of(p), org);
    if (!unit) return Fail(unit.error());
    const Scope scope = Scope::ForPath(unit->path);
    auto total = c.QueryOne(q::kWarningsCount, {scope.lower(), scope.upper(), status});
    if (!total) return Fail(total.error());
    auto rows = c.Query(q::kWarnings, {scope.lower(), scope.upper(), status, limit, offset});
    if (!rows) return Fail(rows.error());
    R out{{}, *total ? (*total)->Int(0) : 0};
    std::map<std::string, UnitNames> names;
    for (const auto& r : *rows) {
      Warning w = WarningFromRow(r);
      if (!names.contains(w.school_code)) {
        auto n = LoadUnitNames(c, w.school_code);
        if (!n) return Fail(n.error());
        names[w.school_code] = std::move(*n);
      }
      Finish(w, now, names[w.school_code]);
      out.first.push_back(std::move(w));
    }
    return out;
  });
}

Result<Warning> HealthService::GetWarning(const Principal& p, const audit::Actor& a, int64_t id) {
  const std::string now = Now();
  bool named = false;
  auto w = db::ReadResult<Warning>(db_, [&](db::Connection& c) -> Result<Warning> {
    const Scope scope = Scope::Of(p);
    auto row = c.QueryOne(q::kWarning, {id, scope.lower(), scope.upper()});
    if (!row) return Fail(row.error());
    if (!*row) return Fail(Error::NotFound("The warning"));
    Warning w = WarningFromRow(**row);
    auto names = LoadUnitNames(c, w.school_code);
    if (!names) return Fail(names.error());
    Finish(w, now, *names);
    // A dormitory's cases come from several classes: a class teacher sees them without names.
    named = SeesNames(p, w.school_code, w.unit_kind == "class" ? w.unit_name : std::string_view{});
    auto cases = LoadCases(c, q::kCasesByIds, {w.school_code, json(w.case_ids).dump()}, named);
    if (!cases) return Fail(cases.error());
    w.case_list = std::move(*cases);
    return w;
  });
  if (!w) return w;
  if (named && std::any_of(w->case_list.begin(), w->case_list.end(), [](auto& c) { return c.name.has_value(); })) {
    if (auto ok =
            audit_.RecordSensitiveRead(db_, a, "health_cases", fmt::format("health/{}/warnings/{}", w->school_code, id),
                                       fmt::format("{} cases of warning {}", w->case_list.size(), id));
        !ok)
      return Fail(ok.error());
  }
  return w;
}

Result<Warning> HealthService::CloseWarning(const Principal& p, const audit::Actor& a, int64_t id,
                                            const std::string& note) {
  if (note.find_first_not_of(" \t") == std::string::npos)
    return Fail(Error::Invalid("note", "Say how the warning was resolved."));
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    const Scope scope = Scope::Of(p);
    auto row = tx.QueryOne(q::kWarning, {id, scope.lower(), scope.upper()});
    if (!row) return Fail(row.error());
    if (!*row) return Fail(Error::NotFound("The warning"));
    const Warning w = WarningFromRow(**row);
    if (p.org_code != w.school_code || !IsDoctorOrPrincipal(p.role))
      return Fail(Error::Denied("The school doctor or the principal closes a warning."));
    if (w.status != "open") return Fail(Error::Conflict("id", "The warning is already closed."));
    if (w.task && w.task->status != "submitted")
      return Fail(Error::Conflict("id", "Submit the warning's report before closing it."));
    if (auto r = tx.Execute(q::kCloseWarning, {id, Now(), note}); !r) return Fail(r.error());
    return audit_.Append(tx, {a, "health.warning.close", fmt::format("health/{}/warnings/{}", w.school_code, id),
                              audit::Outcome::kSuccess, note.substr(0, 200)});
  });
  if (!ok) return Fail(ok.error());
  return GetWarning(p, a, id);
}

Result<ReportTask> HealthService::SubmitTask(const Principal& p, const audit::Actor& a, int64_t id,
                                             const std::string& summary, const std::string& measures) {
  std::vector<FieldError> errors;
  if (summary.find_first_not_of(" \t") == std::string::npos) errors.push_back({"summary", "Describe the facts."});
  if (measures.find_first_not_of(" \t") == std::string::npos)
    errors.push_back({"measures", "Say what was done (isolation, parents, disinfection, contacts)."});
  if (!errors.empty()) return Fail(Invalid(errors));
  int64_t warning_id = 0;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    const Scope scope = Scope::Of(p);
    auto row = tx.QueryOne(q::kTaskWithPath, {id, scope.lower(), scope.upper()});
    if (!row) return Fail(row.error());
    if (!*row) return Fail(Error::NotFound("The report task"));
    const std::string school = (*row)->Text(3);
    warning_id = (*row)->Int(1);
    if (p.org_code != school || !IsDoctorOrPrincipal(p.role))
      return Fail(Error::Denied("The school doctor or the principal submits the report."));
    if ((*row)->Text(2) != "pending") return Fail(Error::Conflict("id", "The report was already submitted."));
    if (auto r = tx.Execute(q::kSubmitTask, {id, summary, measures, Now(), p.username}); !r) return Fail(r.error());
    return audit_.Append(tx, {a, "health.report.submit", fmt::format("health/{}/report-tasks/{}", school, id),
                              audit::Outcome::kSuccess, "to the county CDC and education bureau"});
  });
  if (!ok) return Fail(ok.error());
  auto w = GetWarning(p, a, warning_id);
  if (!w) return Fail(w.error());
  return *w->task;
}

// ---- illness absences

namespace {
Absence AbsenceFromRow(const db::Row& r) {
  Absence a;
  a.id = r.Int(0);
  a.class_id = r.Int(1);
  a.class_name = r.Text(2);
  a.student_no = r.Text(3);
  a.started_on = r.Text(4);
  a.last_seen_on = r.Text(5);
  a.status = r.Text(6);
  a.outcome = r.Text(7);
  a.diagnosis = r.OptText(8);
  a.updated_at = r.Text(9);
  if (r.size() > 10) a.school_code = r.Text(10);
  return a;
}
}  // namespace

Result<std::pair<std::vector<Absence>, int64_t>> HealthService::Absences(const Principal& p, const std::string& school,
                                                                         const std::string& status, int64_t limit,
                                                                         int64_t offset) {
  using R = std::pair<std::vector<Absence>, int64_t>;
  return db::ReadResult<R>(db_, [&](db::Connection& c) -> Result<R> {
    if (auto u = ResolveSchool(c, p, school); !u) return Fail(u.error());
    auto total = c.QueryOne(q::kAbsencesCount, {school, status});
    if (!total) return Fail(total.error());
    auto rows = c.Query(q::kAbsences, {school, status, limit, offset});
    if (!rows) return Fail(rows.error());
    R out{{}, *total ? (*total)->Int(0) : 0};
    for (const auto& r : *rows) out.first.push_back(AbsenceFromRow(r));
    return out;
  });
}

Result<Absence> HealthService::LoadAbsence(db::Connection& c, const Principal& p, int64_t id) const {
  const Scope scope = Scope::Of(p);
  auto row = c.QueryOne(q::kAbsence, {id, scope.lower(), scope.upper()});
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound("The absence"));
  Absence a = AbsenceFromRow(**row);
  auto entries = c.Query(q::kAbsenceEntries, {id});
  if (!entries) return Fail(entries.error());
  for (const auto& e : *entries)
    a.entries.push_back({e.Int(0), e.Text(1), e.Text(2), e.OptText(3), e.Int(4) != 0, e.Text(5), e.Text(6), e.Text(7)});
  return a;
}

Result<Absence> HealthService::AddAbsenceEntry(const Principal& p, const audit::Actor& a, int64_t id,
                                               const AbsenceEntry& in) {
  const xiaoan::Day today = ShanghaiDay(clock_.Now());
  std::vector<FieldError> errors;
  const auto day = ParseDay(in.day);
  if (!day)
    errors.push_back({"date", "A date as YYYY-MM-DD."});
  else if (*day > today)
    errors.push_back({"date", "Cannot be in the future."});
  if (in.outcome != "absent" && in.outcome != "diagnosed" && in.outcome != "hospitalised" && in.outcome != "returned")
    errors.push_back({"outcome", "Use absent, diagnosed, hospitalised or returned."});
  const std::optional<std::string> diagnosis = DiagnosisOf(in.diagnosis);
  if (in.outcome == "diagnosed" && !diagnosis) errors.push_back({"diagnosis", "Name the diagnosis."});
  if (!errors.empty()) return Fail(Invalid(errors));
  Absence out;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto current = LoadAbsence(tx, p, id);
    if (!current) return Fail(current.error());
    if (p.org_code != current->school_code || !IsDoctorOrPrincipal(p.role))
      return Fail(Error::Denied("The school doctor or the principal follows illness absences."));
    if (current->status != "open") return Fail(Error::Conflict("id", "The student is already back."));
    if (in.day < current->started_on)
      return Fail(Error::Invalid("date", "Before the absence started (" + current->started_on + ")."));
    // A student returns with a medical clearance after any notifiable disease the absence has
    // carried, in a report or a follow-up, even if a later diagnosis named another.
    if (in.outcome == "returned" && !in.clearance) {
      std::optional<std::string> notifiable = IsNotifiable(diagnosis) ? diagnosis : std::nullopt;
      if (!notifiable) {
        auto carried = tx.Query(q::kAbsenceDiagnoses, {id});
        if (!carried) return Fail(carried.error());
        for (const auto& r : *carried)
          if (IsNotifiable(r.Text(0))) notifiable = r.Text(0);
      }
      if (notifiable)
        return Fail(
            Error::Invalid("clearance", "After " + *notifiable + " a student returns with a medical clearance."));
    }
    const std::string now = Now();
    if (auto r = tx.Execute(q::kInsertAbsenceEntry, {id, in.day, in.outcome, Opt(diagnosis),
                                                     int64_t{in.clearance ? 1 : 0}, in.note, p.username, now});
        !r)
      return Fail(r.error());
    if (auto r = tx.Execute(q::kUpdateAbsence, {id, in.outcome == "returned" ? "returned" : "open", in.outcome,
                                                Opt(diagnosis), now, in.day});
        !r)
      return Fail(r.error());
    if (auto s = audit_.Append(
            tx, {a, "health.absence.entry", fmt::format("health/{}/absences/{}", current->school_code, id),
                 audit::Outcome::kSuccess, fmt::format("{} {}", in.day, in.outcome)});
        !s)
      return s;
    // A new diagnosis counts for the rules as if the report had named it: the rules read each case
    // with the diagnosis of its absence (recent_cases.sql). The student's latest case in force
    // carries it, so a notifiable disease known only from the follow-up still opens its warning.
    if (diagnosis && diagnosis != current->diagnosis) {
      auto cases = tx.Query(q::kAbsenceCases, {id});
      if (!cases) return Fail(cases.error());
      if (!cases->empty()) {
        auto school = ResolveSchool(tx, p, current->school_code);
        if (!school) return Fail(school.error());
        const db::Row& latest = cases->front();
        std::vector<int64_t> touched;
        if (auto s = EvaluateWarnings(tx, *school, *ParseDay(latest.Text(1)), {latest.Int(0)}, {}, touched,
                                      Rules::kDiagnoses);
            !s)
          return s;
      }
    }
    auto updated = LoadAbsence(tx, p, id);
    if (!updated) return Fail(updated.error());
    out = std::move(*updated);
    return {};
  });
  if (!ok) return Fail(ok.error());
  return out;
}

Result<int64_t> HealthService::EscalateOverdue() {
  int64_t n = 0;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto rows = tx.Query(q::kEscalateOverdue, {Now()});
    if (!rows) return Fail(rows.error());
    n = static_cast<int64_t>(rows->size());
    for (const auto& r : *rows)
      if (auto s = audit_.Append(tx, {audit::SystemActor("health-deadlines"), "health.report.escalate",
                                      fmt::format("health/report-tasks/{}", r.Int(0)), audit::Outcome::kSuccess,
                                      fmt::format("warning {} report overdue; shown to the county", r.Int(1))});
          !s)
        return s;
    return {};
  });
  if (!ok) return Fail(ok.error());
  return n;
}

Result<int64_t> HealthService::SeedDemo() {
  auto rows = db::ReadResult<std::vector<db::Row>>(db_, [](db::Connection& c) { return c.Query(q::kDemoSchools, {}); });
  if (!rows) return Fail(rows.error());
  static constexpr const char* kGrades[] = {"幼儿园", "一年级", "二年级", "三年级", "四年级", "五年级", "六年级",
                                            "七年级", "八年级", "九年级", "高一",   "高二",   "高三"};
  int64_t added = 0;
  const std::string now = Now();
  constexpr size_t kBatch = 500;
  for (size_t start = 0; start < rows->size(); start += kBatch) {
    const size_t end = std::min(start + kBatch, rows->size());
    auto ok = db_.Write([&](db::Connection& tx) -> Status {
      for (size_t i = start; i < end; ++i) {
        const auto& r = (*rows)[i];
        const std::string code = r.Text(0);
        const int64_t classes = std::max<int64_t>(1, r.Int(1));
        const int64_t students = r.Int(2);
        const std::string type = r.Text(4);
        const int first_grade = type == "kindergarten" ? 0 : type == "junior" ? 7 : type == "senior" ? 10 : 1;
        const int grades = type == "kindergarten"                 ? 1
                           : type == "junior" || type == "senior" ? 3
                           : type == "nine_year"                  ? 9
                           : type == "twelve_year"                ? 12
                                                                  : 6;
        const int64_t per_grade = std::max<int64_t>(1, classes / grades);
        for (int64_t k = 0; k < classes; ++k) {
          const int grade = first_grade + static_cast<int>(std::min<int64_t>(k / per_grade, grades - 1));
          const int64_t serial = k - (grade - first_grade) * per_grade + 1;
          const std::string name = fmt::format("{}{}班", kGrades[grade], serial);
          const int64_t enrolment = std::clamp<int64_t>(students / classes, 10, 60);
          auto id = tx.QueryOne(q::kInsertClass,
                                {code, int64_t{grade}, name, enrolment, int64_t{r.Int(3) != 0 ? 1 : 0}, now});
          if (!id) return Fail(id.error());
          ++added;
        }
      }
      return {};
    });
    if (!ok) return Fail(ok.error());
  }
  return added;
}

}  // namespace xiaoan::health
