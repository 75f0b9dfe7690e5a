// InspectionsService: the demo campaign.
#include <fmt/format.h>

#include "base/scope.hpp"
#include "modules/inspections/inspection_rules.hpp"
#include "modules/inspections/inspections_service.hpp"
#include "modules/inspections/inspections_support.hpp"
#include "modules/org/org_store.hpp"
#include "xiaoan_inspections_sql.hpp"

namespace xiaoan::inspections {
namespace q = xiaoan::inspections::sql;

Result<bool> InspectionsService::SeedDemo() {
  const std::string kName = "【演示】冬季安全大检查";
  const Day today = Today();
  int64_t template_id = 0;
  auto found = db::ReadResult<bool>(db_, [&](db::Connection& c) -> Result<bool> {
    auto row = c.QueryOne(q::kCampaignByName, {std::string("410105"), kName});
    if (!row) return Fail(row.error());
    if (*row) return true;
    auto all = c.Query(q::kVisibleTemplates, {std::string("/410000/410100/410105/")});
    if (!all) return Fail(all.error());
    for (const auto& r : *all)
      if (r.IsNull(4) && r.Text(1) == "heating") template_id = r.Int(0);
    return false;
  });
  if (!found) return Fail(found.error());
  if (*found || template_id == 0) return false;
  CampaignInput in;
  in.name = kName;
  in.org = "410105";
  in.template_id = template_id;
  in.cadence = "weekly";
  in.starts_on = FormatDay(today - std::chrono::days(3));
  in.ends_on = FormatDay(today + std::chrono::days(52));
  in.description = "演示：金水区教育局组织辖区学校每周开展冬季取暖与一氧化碳安全自查。";
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto unit = org::store::Get(tx, Scope::Everything(), in.org);
    if (!unit) return Fail(unit.error());
    auto rounds = MakeRounds(in.cadence, *ParseDay(in.starts_on), *ParseDay(in.ends_on));
    if (!rounds) return Fail(rounds.error());
    auto id = Issue(tx, audit::SystemActor("demo-seed"), in, unit->path, *rounds, today);
    if (!id) return Fail(id.error());
    return {};
  });
  if (!ok) return Fail(ok.error());
  return true;
}

}  // namespace xiaoan::inspections
