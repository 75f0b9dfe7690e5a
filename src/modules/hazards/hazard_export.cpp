#include "modules/hazards/hazard_export.hpp"

#include <fmt/format.h>

#include "modules/hazards/hazard_service.hpp"
#include "platform/xlsx/workbook.hpp"

namespace xiaoan::hazards {
namespace {

using xlsx::Cell;

std::string CategoryZh(const std::string& c) {
  if (c == "fire") return "消防安全";
  if (c == "building") return "校舍建筑";
  if (c == "food") return "食品安全";
  if (c == "school_bus") return "校车安全";
  if (c == "electricity") return "用电安全";
  if (c == "heating") return "冬季取暖与一氧化碳";
  if (c == "snow_ice") return "雨雪冰冻";
  if (c == "lab") return "实验室与危化品";
  if (c == "surroundings") return "校园周边";
  if (c == "drowning") return "防溺水";
  if (c == "security") return "安保（四个100%）";
  return "其他";
}
std::string GradeZh(const std::string& g) { return g == "major" ? "重大隐患" : "一般隐患"; }
std::string SourceZh(const std::string& s) {
  if (s == "inspection") return "排查检查";
  if (s == "direct") return "直接上报";
  if (s == "spot_check") return "抽查";
  return "暗访";
}
std::string StateZh(const std::string& s) {
  if (s == "registered") return "已登记";
  if (s == "rectifying") return "整改中";
  if (s == "awaiting_acceptance") return "待验收";
  return "已销号";
}
std::string LevelZh(const std::string& l) {
  if (l == "county") return "县级督办";
  if (l == "city") return "市级督办";
  if (l == "province") return "省级督办";
  return "学校";
}
Cell Opt(const std::optional<std::string>& s) { return s ? Cell(*s) : Cell(); }

}  // namespace

Result<std::string> HazardWorkbook(HazardService& s, const Principal& p, const std::string& org, int year) {
  auto rows = s.YearRows(p, org, year, kMaxExportRows + 1);
  if (!rows) return Fail(rows.error());
  if (static_cast<int64_t>(rows->second.size()) > kMaxExportRows)
    return Fail(
        Error::Invalid("org", fmt::format("More than {} rows; export a city or county at a time.", kMaxExportRows)));
  xlsx::Sheet sheet;
  sheet.name = "隐患排查整改台账";
  sheet.note = fmt::format("{}隐患排查整改台账（{}年）", rows->first.name, year);
  sheet.columns = {{"序号", 6, {}},      {"学校", 30, {}},     {"发现时间", 26, {}}, {"隐患类别", 16, {}},
                   {"隐患部位", 18, {}}, {"隐患描述", 40, {}}, {"隐患等级", 10, {}}, {"来源", 10, {}},
                   {"发现人", 14, {}},   {"责任人", 14, {}},   {"整改措施", 36, {}}, {"整改资金", 16, {}},
                   {"整改期限", 12, {}}, {"应急预案", 30, {}}, {"临时措施", 30, {}}, {"状态", 10, {}},
                   {"是否逾期", 10, {}}, {"督办级别", 12, {}}, {"验收人", 14, {}},   {"验收时间", 26, {}},
                   {"销号时间", 26, {}}};
  sheet.validation_rows = 0;
  int64_t n = 0;
  for (const auto& h : rows->second) {
    std::string where = h.location;
    if (h.out_of_use) where += "（D级危房，已停用）";
    sheet.rows.push_back({Cell(++n),
                          Cell(h.school_name),
                          Cell(h.found_at),
                          Cell(CategoryZh(h.category)),
                          Cell(where),
                          Cell(h.description),
                          Cell(GradeZh(h.grade)),
                          Cell(SourceZh(h.source)),
                          Cell(h.found_by),
                          Cell(h.responsible),
                          Cell(h.measures),
                          Cell(h.funds),
                          Opt(h.deadline),
                          Cell(h.contingency_plan),
                          Cell(h.interim_measures),
                          Cell(StateZh(h.state)),
                          Cell(std::string(h.overdue ? "是" : "否")),
                          Cell(LevelZh(h.supervising_level)),
                          Opt(h.accepted_by),
                          Opt(h.accepted_at),
                          Opt(h.closed_at)});
  }
  return xlsx::Write({sheet});
}

}  // namespace xiaoan::hazards
