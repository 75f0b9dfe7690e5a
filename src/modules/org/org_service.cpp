#include "modules/org/org_service.hpp"

#include <fmt/format.h>

#include <set>

#include "modules/org/org_rules.hpp"
#include "modules/org/org_seed.hpp"

namespace xiaoan::org {

namespace {
std::string Describe(const OrgUnit& u) {
  const auto& a = *u.attributes;
  return fmt::format("{} {} type={} locality={} boarding={} day={} boarders={} classes={}", u.code, u.name,
                     SchoolTypeName(a.school_type), LocalityName(a.locality), a.boarding, a.day_students,
                     a.boarding_students, a.class_count);
}
}  // namespace

Result<OrgUnit> OrgService::Get(const Principal& p, const std::string& code) {
  return db::ReadResult<OrgUnit>(db_, [&](db::Connection& c) { return store::Get(c, Scope::Of(p), code); });
}

Result<std::vector<UnitRef>> OrgService::Ancestors(const Principal& p, const OrgUnit& unit) {
  return db::ReadResult<std::vector<UnitRef>>(
      db_, [&](db::Connection& c) { return store::Ancestors(c, Scope::Of(p), unit); });
}

Result<Page> OrgService::Children(const Principal& p, const std::string& code, PageRequest page) {
  return db::ReadResult<Page>(db_, [&](db::Connection& c) { return store::Children(c, Scope::Of(p), code, page); });
}

Result<Page> OrgService::Schools(const Principal& p, const std::string& code, const SchoolFilter& f, PageRequest page) {
  return db::ReadResult<Page>(db_, [&](db::Connection& c) { return store::Schools(c, Scope::Of(p), code, f, page); });
}

Result<Page> OrgService::Search(const Principal& p, const std::string& q, PageRequest page) {
  return db::ReadResult<Page>(db_, [&](db::Connection& c) { return store::Search(c, Scope::Of(p), q, page); });
}

Result<Stats> OrgService::GetStats(const Principal& p, const std::string& code) {
  return db::ReadResult<Stats>(db_, [&](db::Connection& c) { return store::GetStats(c, Scope::Of(p), code); });
}

Status OrgService::CheckWriter(const Principal& p) const {
  if (!CanManageSchools(p.role)) return Fail(Error::Denied("Your role cannot change schools."));
  return {};
}

Result<OrgUnit> OrgService::PrepareSchool(db::Connection& tx, const Scope& scope, const NewSchool& s,
                                          const std::string& attribute_prefix, std::vector<FieldError>& errors) {
  const size_t before = errors.size();
  auto add = [&](std::string field, std::string message) {
    errors.push_back({std::move(field), std::move(message), s.row});
  };
  auto parent = store::Get(tx, scope, s.parent_code);
  if (!parent) {
    if (parent.error().code != ErrorCode::kNotFound) return Fail(parent.error());
    add("parent_code", "No such county-level unit in your jurisdiction.");
  } else {
    auto counties = store::CountyChildren(tx, parent->code);
    if (!counties) return Fail(counties.error());
    if (!CanHoldSchools(parent->level, *counties)) add("parent_code", "Schools belong to a county-level unit.");
  }
  if (!IsSchoolCode(s.code))
    add("code", "A school identifier has 10 digits.");
  else {
    auto exists = store::CodeExists(tx, s.code);
    if (!exists) return Fail(exists.error());
    if (*exists) add("code", "This school identifier is already in use.");
  }
  std::string name = TrimBlanks(s.name);
  if (name.empty()) add("name", "Must not be empty.");
  CheckAttributes(s.attributes, attribute_prefix, errors);
  for (size_t i = before; i < errors.size(); ++i) errors[i].row = s.row;
  if (errors.size() != before) return OrgUnit{};
  OrgUnit u;
  u.code = s.code;
  u.name = std::move(name);
  u.level = Level::kSchool;
  u.parent_code = parent->code;
  u.path = ChildPath(parent->path, s.code);
  u.attributes = s.attributes;
  return u;
}

Result<OrgUnit> OrgService::CreateSchool(const Principal& p, const audit::Actor& actor, const NewSchool& s) {
  if (auto ok = CheckWriter(p); !ok) return Fail(ok.error());
  OrgUnit created;
  auto status = db_.Write([&](db::Connection& tx) -> Status {
    // A parent outside the jurisdiction answers 404 like a missing one; a used code answers 409.
    if (auto parent = store::Get(tx, Scope::Of(p), s.parent_code); !parent) return Fail(parent.error());
    auto exists = store::CodeExists(tx, s.code);
    if (!exists) return Fail(exists.error());
    if (*exists) return Fail(Error::Conflict("code", "This school identifier is already in use."));
    std::vector<FieldError> errors;
    auto unit = PrepareSchool(tx, Scope::Of(p), s, "attributes.", errors);
    if (!unit) return Fail(unit.error());
    if (!errors.empty()) {
      Error e = Error::Invalid("", "");
      e.fields = errors;
      return Fail(e);
    }
    if (auto ok = store::Insert(tx, *unit, Now()); !ok) return ok;
    if (auto ok = audit_.Append(
            tx, {actor, "org.school.create", "org_unit:" + unit->code, audit::Outcome::kSuccess, Describe(*unit)});
        !ok)
      return ok;
    if (auto ok = NotifySchoolChanged(tx, unit->code); !ok) return ok;
    created = *unit;
    return {};
  });
  if (!status) return Fail(status.error());
  return created;
}

Result<OrgUnit> OrgService::UpdateSchool(const Principal& p, const audit::Actor& actor, const std::string& code,
                                         const SchoolPatch& patch) {
  if (auto ok = CheckWriter(p); !ok) return Fail(ok.error());
  OrgUnit updated;
  auto status = db_.Write([&](db::Connection& tx) -> Status {
    auto unit = store::Get(tx, Scope::Of(p), code);
    if (!unit) return Fail(unit.error());
    if (unit->level != Level::kSchool) return Fail(Error::Invalid("code", "Only schools can be edited here."));
    const std::string before = Describe(*unit);
    auto& a = *unit->attributes;
    std::vector<FieldError> errors;
    if (patch.name) {
      unit->name = TrimBlanks(*patch.name);
      if (unit->name.empty()) errors.push_back({"name", "Must not be empty."});
    }
    if (patch.school_type) a.school_type = *patch.school_type;
    if (patch.locality) a.locality = *patch.locality;
    if (patch.boarding) a.boarding = *patch.boarding;
    if (patch.day_students) a.day_students = *patch.day_students;
    if (patch.boarding_students) a.boarding_students = *patch.boarding_students;
    if (patch.class_count) a.class_count = *patch.class_count;
    CheckAttributes(a, "attributes.", errors);
    if (!errors.empty()) {
      Error e = Error::Invalid("", "");
      e.fields = errors;
      return Fail(e);
    }
    if (auto ok = store::UpdateSchool(tx, *unit, Now()); !ok) return ok;
    if (auto ok = audit_.Append(tx, {actor, "org.school.update", "org_unit:" + code, audit::Outcome::kSuccess,
                                     "before: " + before + "; after: " + Describe(*unit)});
        !ok)
      return ok;
    if (auto ok = NotifySchoolChanged(tx, code); !ok) return ok;
    updated = *unit;
    return {};
  });
  if (!status) return Fail(status.error());
  return updated;
}

Result<OrgUnit> OrgService::Deactivate(const Principal& p, const audit::Actor& actor, const std::string& code) {
  if (auto ok = CheckWriter(p); !ok) return Fail(ok.error());
  OrgUnit result;
  auto status = db_.Write([&](db::Connection& tx) -> Status {
    auto unit = store::Get(tx, Scope::Of(p), code);
    if (!unit) return Fail(unit.error());
    if (unit->level != Level::kSchool) return Fail(Error::Invalid("code", "Only schools can be deactivated."));
    if (auto ok = store::SetActive(tx, code, false, Now()); !ok) return ok;
    if (auto ok = audit_.Append(
            tx, {actor, "org.school.deactivate", "org_unit:" + code, audit::Outcome::kSuccess, unit->name});
        !ok)
      return ok;
    if (auto ok = NotifySchoolChanged(tx, code); !ok) return ok;
    unit->active = false;
    result = *unit;
    return {};
  });
  if (!status) return Fail(status.error());
  return result;
}

Result<int64_t> OrgService::ImportSchools(const Principal& p, const audit::Actor& actor, const std::string& parent_code,
                                          const std::vector<NewSchool>& rows) {
  if (auto ok = CheckWriter(p); !ok) return Fail(ok.error());
  int64_t created = 0;
  auto status = db_.Write([&](db::Connection& tx) -> Status {
    std::vector<FieldError> errors;
    auto units = PrepareImport(tx, Scope::Of(p), parent_code, rows, errors);
    if (!units) return Fail(units.error());
    if (!errors.empty()) {
      return Fail(Error{ErrorCode::kInvalidArgument,
                        "Nothing was imported: fix the rows listed and try again.",
                        "import_failed",
                        errors,
                        {}});
    }
    const std::string now = Now();
    for (const auto& u : *units) {
      if (auto ok = store::Insert(tx, u, now); !ok) return ok;
      if (auto ok = NotifySchoolChanged(tx, u.code); !ok) return ok;
    }
    created = static_cast<int64_t>(units->size());
    return audit_.Append(tx, {actor, "org.school.import", "org_unit:" + parent_code, audit::Outcome::kSuccess,
                              fmt::format("imported {} schools", created)});
  });
  if (!status) return Fail(status.error());
  return created;
}

Result<std::vector<OrgUnit>> OrgService::PrepareImport(db::Connection& c, const Scope& scope,
                                                       const std::string& parent_code,
                                                       const std::vector<NewSchool>& rows,
                                                       std::vector<FieldError>& errors) {
  auto parent = store::Get(c, scope, parent_code);
  if (!parent) return Fail(parent.error());
  std::vector<OrgUnit> units;
  std::set<std::string> seen;
  for (const auto& row : rows) {
    if (!seen.insert(row.code).second) {
      errors.push_back({"code", "This school identifier appears twice in the file.", row.row});
      continue;
    }
    auto unit = PrepareSchool(c, scope, row, "", errors);
    if (!unit) return Fail(unit.error());
    if (!unit->code.empty()) units.push_back(std::move(*unit));
  }
  return units;
}

Result<std::vector<FieldError>> OrgService::CheckImport(const Principal& p, const std::string& parent_code,
                                                        const std::vector<NewSchool>& rows) {
  if (auto ok = CheckWriter(p); !ok) return Fail(ok.error());
  return db::ReadResult<std::vector<FieldError>>(db_, [&](db::Connection& c) -> Result<std::vector<FieldError>> {
    std::vector<FieldError> errors;
    auto units = PrepareImport(c, Scope::Of(p), parent_code, rows, errors);
    if (!units) return Fail(units.error());
    return errors;
  });
}

Result<int64_t> OrgService::SeedDivisions() {
  auto units = HenanDivisions();
  if (!units) return Fail(units.error());
  int64_t added = 0;
  auto status = db_.Write([&](db::Connection& tx) -> Status {
    auto count = store::CountUnits(tx);
    if (!count) return Fail(count.error());
    if (*count > 0) return {};
    const std::string now = Now();
    for (const auto& u : *units)
      if (auto ok = store::Insert(tx, u, now); !ok) return ok;
    added = static_cast<int64_t>(units->size());
    return audit_.Append(tx, {audit::SystemActor("system"), "org.divisions.load", "org_unit:410000",
                              audit::Outcome::kSuccess, fmt::format("loaded {} Henan divisions", added)});
  });
  if (!status) return Fail(status.error());
  return added;
}

Result<int64_t> OrgService::SeedDemoSchools() {
  auto units = HenanDivisions();
  if (!units) return Fail(units.error());
  int64_t added = 0;
  auto status = db_.Write([&](db::Connection& tx) -> Status {
    auto first = store::CodeExists(tx, "9410105001");
    if (!first) return Fail(first.error());
    if (*first) return {};
    const std::string now = Now();
    for (const auto& county : *units) {
      auto counties = 0;
      for (const auto& u : *units)
        if (u.parent_code == county.code && u.level == Level::kCounty) ++counties;
      if (!CanHoldSchools(county.level, counties)) continue;
      for (const auto& s : DemoSchools(county, DemoSchoolCount(county.code))) {
        if (auto ok = store::Insert(tx, s, now); !ok) return ok;
        ++added;
      }
    }
    return audit_.Append(tx, {audit::SystemActor("system"), "org.demo.seed", "org_unit:410000",
                              audit::Outcome::kSuccess, fmt::format("seeded {} demo schools", added)});
  });
  if (!status) return Fail(status.error());
  return added;
}

}  // namespace xiaoan::org
