#include "modules/ledger/four_items.hpp"

#include <fmt/format.h>

namespace xiaoan::ledger {
namespace {

void Add(ItemResult& r, std::string zh, std::string en) {
  r.reasons_zh.push_back(std::move(zh));
  r.reasons_en.push_back(std::move(en));
}

ItemResult Settle(ItemResult r) {
  r.state = r.reasons_en.empty() ? ItemState::kMet : ItemState::kNotMet;
  return r;
}

}  // namespace

ItemResult EvaluateGuards(const GuardRuleSet& rules, int64_t day_students, int64_t boarding_students, bool boarding,
                          int64_t full_time_guards) {
  ItemResult r;
  const int64_t needed = RequiredGuards(rules, day_students, boarding_students, boarding);
  if (full_time_guards < needed) {
    Add(r, fmt::format("应配备{}名专职保安，现有{}名", needed, full_time_guards),
        fmt::format("needs {} full-time guards, has {}", needed, full_time_guards));
  }
  return Settle(std::move(r));
}

ItemResult EvaluateClosedManagement(const ClosedManagementFacts& f) {
  ItemResult r;
  if (!f.enclosure_anti_climb) Add(r, "围墙或防攀爬设施未落实", "no enclosure with anti-climb measures");
  if (!f.separate_gates) Add(r, "未实行人车分流", "pedestrian and vehicle gates are not separate");
  if (!f.anti_ram_barriers) Add(r, "校门口未设置防冲撞设施", "no anti-ram barriers at the gate");
  if (!f.visitor_registration) Add(r, "未落实来访登记", "visitor registration is not in use");
  return Settle(std::move(r));
}

ItemResult EvaluateProtectionPosts(bool urban_or_town, int school_days, int missing_arrival, int missing_dismissal) {
  ItemResult r;
  if (!urban_or_town) {
    r.state = ItemState::kNotApplicable;
    return r;
  }
  if (missing_arrival > 0) {
    Add(r, fmt::format("最近{}个上学日中有{}天未记录上学时段护学岗", school_days, missing_arrival),
        fmt::format("no arrival post recorded on {} of the last {} school days", missing_arrival, school_days));
  }
  if (missing_dismissal > 0) {
    Add(r, fmt::format("最近{}个上学日中有{}天未记录放学时段护学岗", school_days, missing_dismissal),
        fmt::format("no dismissal post recorded on {} of the last {} school days", missing_dismissal, school_days));
  }
  return Settle(std::move(r));
}

ItemResult EvaluateAlarmAndVideo(bool alarm_networked, bool video_networked, std::optional<int> days_since_test,
                                 int max_days_since_test) {
  ItemResult r;
  if (!alarm_networked) Add(r, "一键报警未与公安110联网", "the one-click alarm is not networked with the police (110)");
  if (!video_networked) Add(r, "视频监控未与公安联网", "video surveillance is not networked with the police");
  if (!days_since_test) {
    Add(r, "一键报警从未测试", "the alarm has never been tested");
  } else if (*days_since_test > max_days_since_test) {
    Add(r, fmt::format("最近{}天内未测试一键报警", max_days_since_test),
        fmt::format("alarm not tested in the last {} days", max_days_since_test));
  }
  return Settle(std::move(r));
}

}  // namespace xiaoan::ledger
