#include "modules/org/org_store.hpp"

#include "xiaoan_org_sql.hpp"

namespace xiaoan::org::store {
namespace q = xiaoan::org::sql;
namespace {

OrgUnit FromRow(const db::Row& r) {
  OrgUnit u;
  u.code = r.Text(0);
  u.name = r.Text(1);
  u.level = LevelFromName(r.Text(2)).value_or(Level::kSchool);
  u.parent_code = r.OptText(3);
  u.path = r.Text(4);
  u.active = r.Int(5) != 0;
  u.demo = r.Int(6) != 0;
  if (u.level == Level::kSchool) {
    SchoolAttributes a;
    a.school_type = SchoolTypeFromName(r.Text(7)).value_or(SchoolType::kPrimary);
    a.locality = LocalityFromName(r.Text(8)).value_or(Locality::kUrban);
    a.boarding = r.Int(9) != 0;
    a.day_students = r.Int(10);
    a.boarding_students = r.Int(11);
    a.class_count = r.Int(12);
    u.attributes = a;
  }
  u.child_count = r.Int(13);
  return u;
}

int64_t Offset(PageRequest p) { return (p.page - 1) * p.page_size; }

Result<Page> PageOf(db::Connection& c, const db::Sql& count_sql, const db::Sql& rows_sql, db::Params params,
                    PageRequest p) {
  Page page;
  auto count = c.QueryOne(count_sql, params);
  if (!count) return Fail(count.error());
  page.total = (*count)->Int(0);
  params.emplace_back(p.page_size);
  params.emplace_back(Offset(p));
  auto rows = c.Query(rows_sql, params);
  if (!rows) return Fail(rows.error());
  for (const auto& r : *rows) page.items.push_back(FromRow(r));
  return page;
}

db::Params UnitParams(const OrgUnit& u, const std::string& now) {
  const auto& a = u.attributes;
  auto opt_int = [&](auto f) -> db::Value { return a ? db::Value(static_cast<int64_t>(f(*a))) : db::Value(nullptr); };
  return {u.code,
          u.name,
          std::string(LevelName(u.level)),
          u.parent_code ? db::Value(*u.parent_code) : db::Value(nullptr),
          u.path,
          int64_t{u.active ? 1 : 0},
          int64_t{u.demo ? 1 : 0},
          a ? db::Value(std::string(SchoolTypeName(a->school_type))) : db::Value(nullptr),
          a ? db::Value(std::string(LocalityName(a->locality))) : db::Value(nullptr),
          opt_int([](const SchoolAttributes& x) { return x.boarding ? 1 : 0; }),
          opt_int([](const SchoolAttributes& x) { return x.day_students; }),
          opt_int([](const SchoolAttributes& x) { return x.boarding_students; }),
          opt_int([](const SchoolAttributes& x) { return x.class_count; }),
          now};
}

}  // namespace

Result<OrgUnit> Get(db::Connection& c, const Scope& scope, const std::string& code) {
  auto row = c.QueryOne(q::kGetUnit, {code, scope.lower(), scope.upper()});
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound("Org unit " + code));
  return FromRow(**row);
}

Result<Page> Children(db::Connection& c, const Scope& scope, const std::string& code, PageRequest p) {
  auto unit = Get(c, scope, code);
  if (!unit) return Fail(unit.error());
  return PageOf(c, q::kChildrenCount, q::kChildren, {code, scope.lower(), scope.upper()}, p);
}

Result<Page> Schools(db::Connection& c, const Scope& scope, const std::string& code, const SchoolFilter& f,
                     PageRequest p) {
  auto unit = Get(c, scope, code);
  if (!unit) return Fail(unit.error());
  const Scope subtree = Scope::ForPath(unit->path);
  return PageOf(c, q::kSchoolsCount, q::kSchools,
                {subtree.lower(), subtree.upper(), f.q, f.school_type, f.locality, int64_t{f.active}}, p);
}

Result<Page> Search(db::Connection& c, const Scope& scope, const std::string& text, PageRequest p) {
  return PageOf(c, q::kSearchCount, q::kSearch, {scope.lower(), scope.upper(), text}, p);
}

Result<Stats> GetStats(db::Connection& c, const Scope& scope, const std::string& code) {
  auto unit = Get(c, scope, code);
  if (!unit) return Fail(unit.error());
  const Scope subtree = Scope::ForPath(unit->path);
  Stats s;
  auto by_type = c.Query(q::kStatsByType, {subtree.lower(), subtree.upper()});
  if (!by_type) return Fail(by_type.error());
  for (const auto& r : *by_type) {
    s.by_type.emplace_back(r.Text(0), r.Int(1));
    s.schools += r.Int(1);
    s.students += r.Int(2);
  }
  auto by_loc = c.Query(q::kStatsByLocality, {subtree.lower(), subtree.upper()});
  if (!by_loc) return Fail(by_loc.error());
  for (const auto& r : *by_loc) s.by_locality.emplace_back(r.Text(0), r.Int(1));
  return s;
}

Result<std::vector<UnitRef>> Ancestors(db::Connection& c, const Scope& scope, const OrgUnit& unit) {
  std::vector<UnitRef> out;
  std::string_view path = unit.path;
  size_t start = 1;
  while (start < path.size()) {
    const size_t slash = path.find('/', start);
    const std::string code(path.substr(start, slash - start));
    start = slash + 1;
    if (code == unit.code) break;
    auto a = Get(c, scope, code);
    if (a)
      out.push_back(UnitRef{a->code, a->name, a->level});
    else if (a.error().code != ErrorCode::kNotFound)
      return Fail(a.error());
  }
  return out;
}

Result<int64_t> CountyChildren(db::Connection& c, const std::string& code) {
  auto r = c.QueryOne(q::kCountyChildren, {code});
  if (!r) return Fail(r.error());
  return (*r)->Int(0);
}

Result<bool> CodeExists(db::Connection& c, const std::string& code) {
  auto r = c.QueryOne(q::kCodeExists, {code});
  if (!r) return Fail(r.error());
  return r->has_value();
}

Result<int64_t> CountUnits(db::Connection& c) {
  auto r = c.QueryOne(q::kCountUnits, {});
  if (!r) return Fail(r.error());
  return (*r)->Int(0);
}

Status Insert(db::Connection& tx, const OrgUnit& unit, const std::string& now) {
  auto r = tx.Execute(q::kInsertUnit, UnitParams(unit, now));
  if (!r) return Fail(r.error());
  return {};
}

Status UpdateSchool(db::Connection& tx, const OrgUnit& u, const std::string& now) {
  const auto& a = *u.attributes;
  auto r = tx.Execute(q::kUpdateSchool, {u.code, u.name, std::string(SchoolTypeName(a.school_type)),
                                         std::string(LocalityName(a.locality)), int64_t{a.boarding ? 1 : 0},
                                         a.day_students, a.boarding_students, a.class_count, now});
  if (!r) return Fail(r.error());
  return {};
}

Status SetActive(db::Connection& tx, const std::string& code, bool active, const std::string& now) {
  auto r = tx.Execute(q::kSetActive, {code, int64_t{active ? 1 : 0}, now});
  if (!r) return Fail(r.error());
  return {};
}

}  // namespace xiaoan::org::store
