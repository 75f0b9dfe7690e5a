// SQL access to org units. Every function takes the caller's Scope and never returns or changes a
// unit outside it: such a unit answers kNotFound, exactly like one that does not exist.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/scope.hpp"
#include "modules/org/org_unit.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::org {

struct SchoolFilter {
  std::string q;            // part of the name, or the exact code
  std::string school_type;  // wire name or ""
  std::string locality;     // wire name or ""
  int active = -1;          // 1, 0, or -1 for both
};

struct PageRequest {
  int64_t page = 1;
  int64_t page_size = 50;
};

namespace store {

[[nodiscard]] Result<OrgUnit> Get(db::Connection& c, const Scope& scope, const std::string& code);
[[nodiscard]] Result<Page> Children(db::Connection& c, const Scope& scope, const std::string& code, PageRequest page);
[[nodiscard]] Result<Page> Schools(db::Connection& c, const Scope& scope, const std::string& code,
                                   const SchoolFilter& filter, PageRequest page);
[[nodiscard]] Result<Page> Search(db::Connection& c, const Scope& scope, const std::string& q, PageRequest page);
[[nodiscard]] Result<Stats> GetStats(db::Connection& c, const Scope& scope, const std::string& code);
// The unit's ancestors inside `scope`, root first.
[[nodiscard]] Result<std::vector<UnitRef>> Ancestors(db::Connection& c, const Scope& scope, const OrgUnit& unit);
[[nodiscard]] Result<int64_t> CountyChildren(db::Connection& c, const std::string& code);
[[nodiscard]] Result<bool> CodeExists(db::Connection& c, const std::string& code);
[[nodiscard]] Result<int64_t> CountUnits(db::Connection& c);

// Writes: run inside the writer's transaction.
[[nodiscard]] Status Insert(db::Connection& tx, const OrgUnit& unit, const std::string& now);
[[nodiscard]] Status UpdateSchool(db::Connection& tx, const OrgUnit& unit, const std::string& now);
[[nodiscard]] Status SetActive(db::Connection& tx, const std::string& code, bool active, const std::string& now);

}  // namespace store
}  // namespace xiaoan::org
