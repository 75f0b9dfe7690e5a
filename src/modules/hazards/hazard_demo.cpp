// HazardService::SeedDemo: a few hazards at 金水区's demo schools, through the same workflow as
// everyone else's, so the pages have something in each state.
#include <fmt/format.h>

#include "base/scope.hpp"
#include "modules/hazards/hazard_service.hpp"
#include "modules/org/org_store.hpp"
#include "xiaoan_hazards_sql.hpp"

namespace xiaoan::hazards {
namespace q = xiaoan::hazards::sql;

Result<int64_t> HazardService::SeedDemo(const std::function<Result<std::string>()>& photo) {
  auto existing = db::ReadResult<int64_t>(db_, [&](db::Connection& c) -> Result<int64_t> {
    auto row = c.QueryOne(q::kDemoCount, {});
    if (!row) return Fail(row.error());
    return *row ? (*row)->Int(0) : 0;
  });
  if (!existing) return Fail(existing.error());
  if (*existing > 0) return 0;
  auto path_of = [&](const std::string& code) {
    return db::ReadResult<org::OrgUnit>(
        db_, [&](db::Connection& c) { return org::store::Get(c, Scope::Everything(), code); });
  };
  auto who = [&](const std::string& username, const std::string& code, Role role) -> Result<Principal> {
    auto unit = path_of(code);
    if (!unit) return Fail(unit.error());
    Principal p;
    p.username = username;
    p.role = role;
    p.org_code = code;
    p.org_path = unit->path;
    return p;
  };
  const audit::Actor actor = audit::SystemActor("demo-seed");
  const TimePoint now = clock_.Now();
  const Day today = ShanghaiDay(now);
  auto day = [&](int offset) { return FormatDay(today + std::chrono::days(offset)); };
  auto principal = who("demo-principal", "9410105001", Role::kPrincipal);
  auto principal2 = who("demo-seed", "9410105002", Role::kPrincipal);
  if (!principal || !principal2) return Fail(Error::NotFound("The demo schools"));

  auto add = [&](const std::string& school, const std::string& category, const std::string& location,
                 const std::string& description, const std::string& grade, const std::string& found_by,
                 int found_days_ago, std::optional<std::string> building_grade = std::nullopt) -> Result<int64_t> {
    NewHazard in;
    in.school_code = school;
    in.category = category;
    in.location = location;
    in.description = "【演示】" + description;
    in.grade = grade;
    in.source = found_by == "demo-county" ? "spot_check" : "direct";
    in.found_by = found_by;
    in.building_grade = std::move(building_grade);
    in.found_at = FormatRfc3339(now - std::chrono::days(found_days_ago));
    int64_t id = 0;
    auto ok = db_.Write([&](db::Connection& tx) -> Status {
      auto r = RegisterIn(tx, in, actor);
      if (!r) return Fail(r.error());
      id = *r;
      return {};
    });
    if (!ok) return Fail(ok.error());
    return id;
  };
  auto act = [&](const Principal& p, int64_t id, ActionInput in) -> Status {
    auto r = Act(p, actor, id, in);
    if (!r) return Fail(r.error());
    return {};
  };
  auto plan = [&](const std::string& deadline) {
    ActionInput in;
    in.action = "plan";
    in.plan = {std::string("后勤副校长"),
               std::string("按整改方案落实整改"),
               std::string("学校公用经费 5000 元"),
               deadline,
               std::string("发现险情立即疏散师生并报告"),
               std::string("设置警戒线和警示标志，专人看守")};
    return in;
  };
  auto simple = [](const std::string& action) {
    ActionInput in;
    in.action = action;
    return in;
  };
  int64_t added = 0;
  // Registered: a guard's report waiting for the school.
  auto a = add("9410105001", "fire", "教学楼二楼走廊", "灭火器压力不足，已过检验期", "ordinary", "demo-guard", 0);
  if (!a) return Fail(a.error());
  ++added;
  // Rectifying, with the plan and interim measures.
  auto b = add("9410105001", "electricity", "学生宿舍三楼", "宿舍插座线路老化，有私拉乱接现象", "ordinary",
               "demo-safety", 3);
  if (!b) return Fail(b.error());
  ++added;
  if (auto s = act(*principal, *b, plan(day(10))); !s) return Fail(s.error());
  if (auto s = act(*principal, *b, simple("start")); !s) return Fail(s.error());
  // A D-grade building: out of use at once, the five in place being prepared.
  auto c = add("9410105001", "building", "老办公楼", "经鉴定为D级危房", "major", "demo-principal", 2, "D");
  if (!c) return Fail(c.error());
  ++added;
  // Overdue: found by the county on a spot check, deadline missed → the job escalates it.
  auto d = add("9410105002", "heating", "锅炉房", "燃煤锅炉房未安装一氧化碳报警器", "major", "demo-county", 40);
  if (!d) return Fail(d.error());
  ++added;
  if (auto s = act(*principal2, *d, plan(day(-20))); !s) return Fail(s.error());
  if (auto s = act(*principal2, *d, simple("start")); !s) return Fail(s.error());
  // Overdue at the showcase school too: its leaders owe an explanation.
  auto e = add("9410105001", "surroundings", "校门口", "校门口减速带损坏", "ordinary", "demo-guard", 10);
  if (!e) return Fail(e.error());
  ++added;
  if (auto s = act(*principal, *e, plan(day(-5))); !s) return Fail(s.error());
  if (auto s = act(*principal, *e, simple("start")); !s) return Fail(s.error());
  // Closed: fixed on the spot by the principal with a photo, accepted by the safety officer (not the
  // guard who found it).
  if (photo) {
    auto file = photo();
    if (!file) return Fail(file.error());
    auto safety = who("demo-safety", "9410105001", Role::kSchoolSafetyOfficer);
    if (!safety) return Fail(safety.error());
    auto f = add("9410105001", "fire", "食堂后门", "消防通道堆放杂物", "ordinary", "demo-guard", 6);
    if (!f) return Fail(f.error());
    ++added;
    ActionInput fixed = simple("fix_now");
    fixed.note = "已清理杂物，通道畅通";
    fixed.photos = {*file};
    if (auto s = act(*principal, *f, fixed); !s) return Fail(s.error());
    ActionInput accepted = simple("accept");
    accepted.note = "现场验收合格";
    if (auto s = act(*safety, *f, accepted); !s) return Fail(s.error());
  }
  auto run = RunDeadlines();
  if (!run) return Fail(run.error());
  return added;
}

}  // namespace xiaoan::hazards
