#include "modules/ledger/ledger_export.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "modules/ledger/ledger_service.hpp"
#include "platform/xlsx/workbook.hpp"
#include "xiaoan_ledger_sql.hpp"

namespace xiaoan::ledger {
namespace {
using xlsx::Cell;

Cell Text(const std::string& s) { return Cell(s); }
Cell OptText(const std::optional<std::string>& s) { return s ? Cell(*s) : Cell(); }
Cell YesNo(bool b) { return Cell(std::string(b ? "是" : "否")); }

std::string EmploymentZh(const std::string& e) { return e == "full_time" ? "专职" : "兼职"; }
std::string KindZh(const std::string& k) { return k == "alarm" ? "一键报警" : k == "camera" ? "摄像机" : "硬盘录像机"; }
std::string MeasureZh(const std::string& m) {
  if (m == "enclosure_anti_climb") return "围墙及防攀爬设施";
  if (m == "separate_gates") return "人车分流";
  if (m == "anti_ram_barriers") return "校门防冲撞设施";
  return "来访登记";
}
std::string StatusZh(const std::string& s) {
  return s == "in_place" ? "已落实" : s == "not_in_place" ? "未落实" : "场地不具备";
}
std::string ItemZh(Item i) {
  switch (i) {
    case Item::kGuards:
      return "专职保安";
    case Item::kClosedManagement:
      return "封闭化管理";
    case Item::kProtectionPosts:
      return "护学岗";
    case Item::kAlarmVideo:
      return "一键报警与视频监控联网";
  }
  return "";
}
std::string StateZh(ItemState s) {
  return s == ItemState::kMet ? "达标" : s == ItemState::kNotMet ? "未达标" : "不适用";
}

Status CheckRows(size_t n) {
  if (static_cast<int64_t>(n) > kMaxExportRows)
    return Fail(
        Error::Invalid("org", fmt::format("More than {} rows; export a city or county at a time.", kMaxExportRows)));
  return {};
}

}  // namespace

Result<std::string> TemplateWorkbook(LedgerService& s, const Principal& p, const std::string& school) {
  auto summary = s.GetSummary(p, school);
  if (!summary) return Fail(summary.error());
  auto guards = s.Guards(p, school);
  if (!guards) return Fail(guards.error());
  auto devices = s.Devices(p, school);
  if (!devices) return Fail(devices.error());

  xlsx::Sheet g;
  g.name = "guards";
  g.note = fmt::format(
      "{}（{}）保安名单。第2行为表头，请从第3行起填写；“编号”留空表示新增，已有编号的行将更新该人员。\n"
      "聘用方式填“专职”或“兼职”；在岗填“是”或“否”；日期格式 YYYY-MM-DD。需配备专职保安{}名（{}）。",
      summary->school.name, school, summary->evaluation.required_guards, summary->rules->name);
  g.columns = {{"编号 id", 10, {}},
               {"姓名 name", 14, {}},
               {"保安员证号 certificate_no", 22, {}},
               {"出生年份 birth_year", 16, {}},
               {"聘用方式 employment", 18, {"专职", "兼职"}},
               {"入职日期 employed_since", 20, {}},
               {"在岗 active", 12, {"是", "否"}}};
  for (const auto& x : *guards)
    g.rows.push_back({Cell(x.id), Text(x.name), OptText(x.certificate_no), x.birth_year ? Cell(*x.birth_year) : Cell(),
                      Text(EmploymentZh(x.employment)), OptText(x.employed_since), YesNo(x.active)});

  xlsx::Sheet d;
  d.name = "devices";
  d.note =
      "一键报警、摄像机和硬盘录像机。第2行为表头，请从第3行起填写；“编号”留空表示新增。\n"
      "类型填“一键报警”“摄像机”或“硬盘录像机”；与公安联网、在用填“是”或“否”；国标编码为20位数字，可空。";
  d.columns = {{"编号 id", 10, {}},
               {"类型 kind", 14, {"一键报警", "摄像机", "硬盘录像机"}},
               {"名称 name", 20, {}},
               {"位置 location", 16, {}},
               {"国标编码 national_id", 24, {}},
               {"与公安联网 police_networked", 24, {"是", "否"}},
               {"安装日期 installed_on", 18, {}},
               {"在用 active", 10, {"是", "否"}}};
  for (const auto& x : *devices)
    d.rows.push_back({Cell(x.id), Text(KindZh(x.kind)), Text(x.name), Text(x.location), OptText(x.national_id),
                      YesNo(x.police_networked), OptText(x.installed_on), YesNo(x.active)});
  g.validation_rows = d.validation_rows = 500;
  return xlsx::Write({g, d});
}

Result<std::string> GapsWorkbook(LedgerService& s, const Principal& p, const std::string& org,
                                 store::GapFilter filter) {
  filter.limit = kMaxExportRows + 1;
  filter.offset = 0;
  auto gaps = s.Gaps(p, org, filter);
  if (!gaps) return Fail(gaps.error());
  if (auto ok = CheckRows(gaps->first.size()); !ok) return Fail(ok.error());
  xlsx::Sheet sheet;
  sheet.name = "四个100%未达标学校";
  sheet.columns = {{"学校标识码", 14, {}}, {"学校名称", 30, {}}, {"县（市、区）", 16, {}}, {"城乡", 8, {}}};
  for (Item i : kItems) sheet.columns.push_back({ItemZh(i), 12, {}});
  sheet.columns.push_back({"未达标原因", 80, {}});
  sheet.columns.push_back({"评估时间", 24, {}});
  for (const auto& g : gaps->first) {
    std::vector<Cell> row{Text(g.code), Text(g.name), Text(g.county_name),
                          Text(g.locality == "urban"  ? "城区"
                               : g.locality == "town" ? "镇区"
                                                      : "乡村")};
    for (size_t i = 0; i < 4; ++i) row.push_back(Text(StateZh(g.states[i])));
    std::string reasons;
    const auto j = nlohmann::json::parse(g.reasons_json, nullptr, false);
    for (Item i : kItems) {
      if (!j.is_object() || !j.contains(ItemName(i))) continue;
      for (const auto& r : j[ItemName(i)]["zh"]) {
        if (!reasons.empty()) reasons += "；";
        reasons += ItemZh(i) + "：" + r.get<std::string>();
      }
    }
    row.push_back(Text(reasons));
    row.push_back(Text(g.evaluated_at));
    sheet.rows.push_back(std::move(row));
  }
  sheet.validation_rows = 0;
  return xlsx::Write({sheet});
}

Result<std::string> LedgerWorkbook(LedgerService& s, const Principal& p, const std::string& org) {
  std::vector<xlsx::Sheet> sheets;
  auto fetch = [&](const db::Sql& sql) -> Result<std::vector<db::Row>> {
    auto r = s.SubtreeRows(p, org, sql, kMaxExportRows + 1);
    if (!r) return Fail(r.error());
    if (auto ok = CheckRows(r->second.size()); !ok) return Fail(ok.error());
    return std::move(r->second);
  };
  auto guards = fetch(sql::kExportGuards);
  if (!guards) return Fail(guards.error());
  xlsx::Sheet g{"保安",
                {{"学校标识码", 14, {}},
                 {"学校名称", 30, {}},
                 {"编号", 8, {}},
                 {"姓名", 12, {}},
                 {"保安员证号", 18, {}},
                 {"出生年份", 10, {}},
                 {"聘用方式", 10, {}},
                 {"入职日期", 12, {}},
                 {"在岗", 8, {}}},
                {},
                "",
                0};
  for (const auto& r : *guards)
    g.rows.push_back({Text(r.Text(0)), Text(r.Text(1)), Cell(r.Int(2)), Text(r.Text(3)), OptText(r.OptText(4)),
                      r.IsNull(5) ? Cell() : Cell(r.Int(5)), Text(EmploymentZh(r.Text(6))), OptText(r.OptText(7)),
                      YesNo(r.Int(8) != 0)});
  sheets.push_back(std::move(g));

  auto devices = fetch(sql::kExportDevices);
  if (!devices) return Fail(devices.error());
  xlsx::Sheet d{"设备",
                {{"学校标识码", 14, {}},
                 {"学校名称", 30, {}},
                 {"编号", 8, {}},
                 {"类型", 12, {}},
                 {"名称", 20, {}},
                 {"位置", 14, {}},
                 {"国标编码", 24, {}},
                 {"与公安联网", 12, {}},
                 {"安装日期", 12, {}},
                 {"在用", 8, {}}},
                {},
                "",
                0};
  for (const auto& r : *devices)
    d.rows.push_back({Text(r.Text(0)), Text(r.Text(1)), Cell(r.Int(2)), Text(KindZh(r.Text(3))), Text(r.Text(4)),
                      Text(r.Text(5)), OptText(r.OptText(6)), YesNo(r.Int(7) != 0), OptText(r.OptText(8)),
                      YesNo(r.Int(9) != 0)});
  sheets.push_back(std::move(d));

  auto tests = fetch(sql::kExportAlarmTests);
  if (!tests) return Fail(tests.error());
  xlsx::Sheet t{"报警测试",
                {{"学校标识码", 14, {}},
                 {"学校名称", 30, {}},
                 {"测试时间", 24, {}},
                 {"设备编号", 10, {}},
                 {"结果", 8, {}},
                 {"110响应秒数", 12, {}},
                 {"备注", 30, {}}},
                {},
                "",
                0};
  for (const auto& r : *tests)
    t.rows.push_back({Text(r.Text(0)), Text(r.Text(1)), Text(r.Text(2)), r.IsNull(3) ? Cell() : Cell(r.Int(3)),
                      Text(r.Text(4) == "pass" ? "通过" : "未通过"), r.IsNull(5) ? Cell() : Cell(r.Int(5)),
                      Text(r.Text(6))});
  sheets.push_back(std::move(t));

  auto checks = fetch(sql::kExportClosedChecks);
  if (!checks) return Fail(checks.error());
  xlsx::Sheet k{"封闭化管理检查",
                {{"学校标识码", 14, {}},
                 {"学校名称", 30, {}},
                 {"措施", 18, {}},
                 {"状态", 10, {}},
                 {"检查日期", 12, {}},
                 {"备注", 30, {}},
                 {"照片数", 8, {}},
                 {"记录人", 14, {}}},
                {},
                "",
                0};
  for (const auto& r : *checks) {
    const auto photos = nlohmann::json::parse(r.Text(6), nullptr, false);
    k.rows.push_back({Text(r.Text(0)), Text(r.Text(1)), Text(MeasureZh(r.Text(2))), Text(StatusZh(r.Text(3))),
                      Text(r.Text(4)), Text(r.Text(5)),
                      Cell(static_cast<int64_t>(photos.is_array() ? photos.size() : 0)), Text(r.Text(7))});
  }
  sheets.push_back(std::move(k));

  auto gap_rows = s.Gaps(p, org, store::GapFilter{"all_four", "", "", kMaxExportRows + 1, 0});
  if (!gap_rows) return Fail(gap_rows.error());
  xlsx::Sheet gs{"未达标学校",
                 {{"学校标识码", 14, {}}, {"学校名称", 30, {}}, {"县（市、区）", 16, {}}, {"未达标事项", 40, {}}},
                 {},
                 "",
                 0};
  for (const auto& r : gap_rows->first) {
    std::string failed;
    for (size_t i = 0; i < 4; ++i)
      if (r.states[i] == ItemState::kNotMet) failed += (failed.empty() ? "" : "、") + ItemZh(kItems[i]);
    gs.rows.push_back({Text(r.code), Text(r.name), Text(r.county_name), Text(failed)});
  }
  sheets.push_back(std::move(gs));
  return xlsx::Write(sheets);
}

}  // namespace xiaoan::ledger
