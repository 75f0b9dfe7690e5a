// Org trees for the benchmarks: demo schools spread over divisions, a national tree made from
// Henan's, and their insertion through the real store in large durable jobs.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "modules/org/org_unit.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::bench {

// The units of `divisions` that hold schools (counties, and cities without counties), each with
// its share of `total` schools in proportion to org::DemoSchoolCount (24..48 a unit). The pointers
// point into `divisions`.
[[nodiscard]] std::vector<std::pair<const org::OrgUnit*, int>> SpreadSchools(const std::vector<org::OrgUnit>& divisions,
                                                                             int total);

// Henan's tree (parents first) under each of the 31 province codes of GB/T 2260: 41 is Henan
// itself, the others copies whose codes start with their province code and whose names keep their
// 区/县/市 ending (org::DemoSchools makes districts mostly urban).
[[nodiscard]] std::vector<org::OrgUnit> NationalDivisions(const std::vector<org::OrgUnit>& henan);

// Inserts `units` (parents first) through org::store::Insert in durable jobs of 20,000 rows.
[[nodiscard]] Status InsertUnits(db::Database& database, const std::vector<org::OrgUnit>& units);
// Inserts org::DemoSchools for every unit of `spread`; answers how many.
[[nodiscard]] Result<int64_t> InsertSchools(db::Database& database,
                                            const std::vector<std::pair<const org::OrgUnit*, int>>& spread);

}  // namespace xiaoan::bench
