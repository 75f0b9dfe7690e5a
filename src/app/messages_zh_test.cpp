#include "app/messages_zh.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "platform/http/problem.hpp"

namespace xiaoan::app {
namespace {

TEST(MessagesZh, TranslatesFixedAndNumberedMessages) {
  EXPECT_EQ(TranslateToChinese("This field is required."), "此项为必填项。");
  EXPECT_EQ(TranslateToChinese("At most 100 characters."), "最多100个字符。");
  EXPECT_EQ(TranslateToChinese("Must be between 0 and 100000."), "应在0至100000之间。");
  EXPECT_EQ(TranslateToChinese("The account is locked after 5 failed attempts. Try again in 15 minutes."),
            "连续5次登录失败，账号已锁定，请15分钟后再试。");
  EXPECT_EQ(TranslateToChinese("Missing column code (学校标识码)."), "缺少列：学校标识码（code）。");
  EXPECT_EQ(TranslateToChinese("Something new."), "Something new.");
}

TEST(MessagesZh, TranslatesEachModulesMessages) {
  // platform and app
  EXPECT_EQ(TranslateToChinese("This field is given more than once."), "此项重复出现。");
  EXPECT_EQ(TranslateToChinese("A date as YYYY-MM-DD."), "日期格式应为 YYYY-MM-DD。");
  EXPECT_EQ(TranslateToChinese("The server is shutting down."), "服务器正在关闭。");
  EXPECT_EQ(TranslateToChinese("Must not contain any of [ ] : * ? / \\."), "不能包含 [ ] : * ? / \\ 中的任何字符。");
  // Error::NotFound("The hazard") and its kind
  EXPECT_EQ(TranslateToChinese("The hazard was not found."), "找不到该隐患。");
  EXPECT_EQ(TranslateToChinese("The report task was not found."), "找不到该报告任务。");
  // accounts
  EXPECT_EQ(TranslateToChinese("3 to 40 letters, digits, '-', '_' or '.'."),
            "应为3至40个字符，只能使用字母、数字及“-”“_”“.”。");
  // alarms
  EXPECT_EQ(TranslateToChinese("Use real, test or drill."), "请填写真实报警、测试或演练（real、test 或 drill）。");
  EXPECT_EQ(TranslateToChinese("The alarm source key is not valid."), "报警源密钥无效。");
  // devices
  EXPECT_EQ(TranslateToChinese("Use online, offline or unknown."),
            "请填写在线、离线或未知（online、offline 或 unknown）。");
  // hazards
  EXPECT_EQ(TranslateToChinese("A major hazard is planned and rectified, not fixed at once."),
            "重大隐患须制定方案后整改，不能立行立改。");
  EXPECT_EQ(TranslateToChinese("The hazard is supervised at the county level."), "该隐患由县（区）级督办。");
  // inspections
  EXPECT_EQ(TranslateToChinese("A bureau's admin or safety officer issues campaigns."),
            "只有教育局管理员或安全员可以下发检查任务。");
  EXPECT_EQ(TranslateToChinese("This item needs at least one photo."), "该项至少需要一张照片。");
  // ledger
  EXPECT_EQ(TranslateToChinese("Patrols are logged within 31 days."), "巡逻记录须在31天内登记。");
  EXPECT_EQ(TranslateToChinese("护学岗 applies to urban and town schools; this school is rural."),
            "护学岗适用于城区和镇区学校，本校位于乡村。");
  // health
  EXPECT_EQ(TranslateToChinese("Cannot be in the future."), "不能晚于当前时间。");
  EXPECT_EQ(TranslateToChinese("Today or yesterday."), "只能是今天或昨天。");
  EXPECT_EQ(TranslateToChinese("Only boarding classes have an evening check."), "只有寄宿班级才有晚检。");
  EXPECT_EQ(TranslateToChinese("Describe the facts."), "请描述事件经过。");
  EXPECT_EQ(TranslateToChinese("Say how the warning was resolved."), "请说明预警的处置情况。");
  EXPECT_EQ(TranslateToChinese("The school already has a class of this name."), "本校已有同名班级。");
}

TEST(MessagesZh, TranslatesFormattedMessagesWithTheirValues) {
  // platform and app
  EXPECT_EQ(TranslateToChinese("A WebSocket at /api/v1/other was not found."), "找不到 WebSocket 路径 /api/v1/other。");
  EXPECT_EQ(TranslateToChinese("The change could not be saved: commit: database or disk is full"),
            "更改未能保存：commit: database or disk is full");
  EXPECT_EQ(
      TranslateToChinese("The change could not be made durable: fdatasync data/xiaoan.db-wal: Input/output error"),
      "更改未能可靠写入磁盘：fdatasync data/xiaoan.db-wal: Input/output error");
  EXPECT_EQ(TranslateToChinese("At most 16384 columns."), "最多16384列。");
  EXPECT_EQ(TranslateToChinese("At most 1048574 rows."), "最多1048574行。");
  EXPECT_EQ(TranslateToChinese("Sheet 0 already has this name."), "与 sheets[0] 的名称相同。");
  EXPECT_EQ(TranslateToChinese("Has 9 cells; the sheet has 8 columns."), "有9个单元格，而工作表有8列。");
  // alarms
  EXPECT_EQ(TranslateToChinese("The alarm is closed; it cannot become on_scene."),
            "报警当前状态为 closed，不能变为 on_scene。");
  // hazards
  EXPECT_EQ(TranslateToChinese("The hazard is awaiting_acceptance; fix_now is not possible now."),
            "隐患当前状态为 awaiting_acceptance，现在不能执行 fix_now。");
  EXPECT_EQ(TranslateToChinese("More than 300000 rows; export a city or county at a time."),
            "超过300000行，请按市或县（区）分别导出。");
  // inspections
  EXPECT_EQ(TranslateToChinese("A round from 1 to 4."), "轮次应在1至4之间。");
  EXPECT_EQ(TranslateToChinese("Its window opens on 2026-12-01."), "该次检查自2026-12-01起才能进行。");
  EXPECT_EQ(TranslateToChinese("The campaign's checklist is 12."), "该检查任务使用的检查表为 12。");
  EXPECT_EQ(TranslateToChinese("2 item(s) not answered: F-01, F-02."), "有2项未填写结果：F-01, F-02。");
  EXPECT_EQ(TranslateToChinese("12 item(s) not answered: A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, …."),
            "有12项未填写结果：A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, …。");
  // ledger
  EXPECT_EQ(TranslateToChinese("A year between 1940 and 2010."), "应为1940至2010之间的年份。");
  EXPECT_EQ(TranslateToChinese("Posts are recorded within 60 days."), "护学岗记录须在60天内登记。");
  EXPECT_EQ(TranslateToChinese("Checks are recorded within 60 days."), "封闭化管理检查记录须在60天内登记。");
  EXPECT_EQ(TranslateToChinese("Alarm tests are recorded within 60 days."), "一键报警测试记录须在60天内登记。");
  EXPECT_EQ(TranslateToChinese("Cannot create the photo directory: Permission denied"),
            "无法创建照片目录：Permission denied");
  // health
  EXPECT_EQ(TranslateToChinese("The class has 44 students enrolled."), "该班在册学生44人。");
  EXPECT_EQ(TranslateToChinese("3 absent through illness, but 2 cases say absent."),
            "因病缺课3人，但病例中缺课的有2人。");
  EXPECT_EQ(TranslateToChinese("Corrections are accepted for 24 hours after the first report."),
            "首次上报后24小时内可以更正。");
  EXPECT_EQ(TranslateToChinese("At most 30 days before the report's date."), "不能早于报告日期前30天。");
  EXPECT_EQ(TranslateToChinese("Unknown symptom sneezing."), "未知的症状：sneezing。");
  EXPECT_EQ(TranslateToChinese("Before the absence started (2026-11-20)."), "早于缺课开始日期（2026-11-20）。");
  EXPECT_EQ(TranslateToChinese("After 水痘 a student returns with a medical clearance."),
            "因水痘缺课的学生须凭复课证明返校。");
  // A near miss stays English rather than becoming a wrong sentence.
  EXPECT_EQ(TranslateToChinese("The class has many students enrolled."), "The class has many students enrolled.");
}

// Every message the modules put in a problem body, as the code writes it: each has a Chinese
// version (a typo on either side, or an entry dropped from the table, fails here).
TEST(MessagesZh, TranslatesEveryModuleMessage) {
  const char* const messages[] = {
      // platform and app
      "A WebSocket opened with the session cookie must come from this site (Origin).",
      "A date as YYYY-MM-DD.",
      "A seq: digits only.",
      "A workbook needs at least one sheet.",
      "Must not contain any of [ ] : * ? / \\.",
      "Must not start or end with an apostrophe.",
      "Not an encrypted field.",
      "Open this path as a WebSocket (Upgrade: websocket).",
      "The field was not encrypted with this key, or was altered.",
      "The server is shutting down.",
      "This field is given more than once.",
      // Error::NotFound("The ...")
      "The absence was not found.",
      "The alarm source was not found.",
      "The alarm was not found.",
      "The campaign was not found.",
      "The checklist was not found.",
      "The class was not found.",
      "The device was not found.",
      "The file was not found.",
      "The guard was not found.",
      "The hazard was not found.",
      "The inspection was not found.",
      "The record was not found.",
      "The report task was not found.",
      "The school was not found.",
      "The warning was not found.",
      // shared by several modules
      "1 to 100 characters.",
      "1 to 100 visible ASCII characters.",
      "At most 9 photos.",
      "At most a year ago.",
      "At most a year at a time.",
      "Cannot be in the future.",
      "Name the school by its code.",
      "Name the unit by its code.",
      "Not a file id.",
      "Not a hazard category.",
      "Not a unit code.",
      "Not in the past.",
      "The school is deactivated.",
      "The account's school is deactivated.",
      "Upload the photo for this school first.",
      "Use A, B, C or D.",
      "Use ordinary or major.",
      // accounts
      "3 to 40 letters, digits, '-', '_' or '.'.",
      // alarms
      "1 (highest) to 4.",
      "A drill ends drill_done.",
      "A national device id has 20 digits.",
      "A real alarm ends handled or false_alarm.",
      "A test ends test_passed or test_failed.",
      "A time as RFC 3339.",
      "Not an active school.",
      "Not before from.",
      "Only the school's own staff raise its alarm.",
      "Say how the alarm ended.",
      "Send the alarm source's key in X-Alarm-Key.",
      "The alarm changed meanwhile; reload it.",
      "The alarm source key is not valid.",
      "The school's leaders and the bureau's duty officers handle alarms.",
      "The school's principal or safety officer, or a bureau admin, adds alarm sources.",
      "The school's principal or safety officer, or a bureau admin, revokes alarm sources.",
      "Use acknowledged, dispatched, on_scene or closed.",
      "Use open, raised, acknowledged, dispatched, on_scene or closed.",
      "Use real, test or drill.",
      // devices
      "Use online, offline or unknown.",
      // hazards
      "1 to 1000 characters.",
      "A bureau records hazards with source spot_check or unannounced.",
      "A major hazard is planned and rectified, not fixed at once.",
      "A major hazard needs responsible person, measures, funds, deadline and contingency plan before work starts.",
      "Acceptance is by someone other than the reporter.",
      "Add photos after the rectification.",
      "Add photos of the fixed hazard.",
      "Hazards from inspections are registered by the inspection.",
      "No written explanation is asked for.",
      "Not a school.",
      "Not before the day the hazard was found.",
      "Only a building hazard has a building grade.",
      "Record the interim measures first.",
      "Say what is still wrong.",
      "Send at least one of the plan's fields.",
      "Set the deadline first.",
      "Set the deadline of the rework.",
      "The deadline of an overdue hazard cannot move.",
      "The hazard changed meanwhile; reload it.",
      "The hazard is closed.",
      "The hazard is supervised at the city level.",
      "The hazard is supervised at the county level.",
      "The hazard is supervised at the province level.",
      "The hazard is supervised at the school level.",
      "The plan can change while registered or rectifying.",
      "The school's own staff report with source direct.",
      "The school's principal or safety officer, or a bureau safety officer, accepts.",
      "The school's principal, Party secretary or safety officer takes this step.",
      "The school's staff and the bureau's safety officers report hazards.",
      "The supervising bureau's safety officer or administrator supervises.",
      "Use inspection, direct, spot_check or unannounced.",
      "Use open, registered, rectifying, awaiting_acceptance or closed.",
      "Use plan, start, fix_now, submit, accept, reject, explain or supervise.",
      "Who found it.",
      "Write the explanation.",
      "Write the supervision note.",
      // inspections
      "1 to 100 items.",
      "1 to 20 of A-Z, a-z, 0-9, _, . and -.",
      "1 to 200 characters.",
      "1 to 200 results.",
      "1 to 40 of a-z, 0-9 and _.",
      "1 to 60 characters.",
      "A bureau's admin or safety officer adds the bureau's checklists.",
      "A bureau's admin or safety officer issues campaigns.",
      "A bureau's admin or safety officer records spot checks and unannounced visits.",
      "A campaign inspection names its due row.",
      "A campaign is issued by a province, city or county unit.",
      "A campaign lasts at most two years.",
      "A failed item becomes a hazard: give its grade and location.",
      "A major hazard is not fixed at once.",
      "Each item has its own code.",
      "No such checklist for this school.",
      "No such checklist for this unit.",
      "Not a due inspection of this school.",
      "Not a school type.",
      "Not an item of this checklist.",
      "Not before starts_on.",
      "Only a campaign inspection has a due row.",
      "Only a failed item becomes a hazard.",
      "Only for a building item.",
      "Say where the hazard is.",
      "Schools use the checklists of their bureaus.",
      "The campaign has ended already.",
      "The school's principal, Party secretary or safety officer inspects the school.",
      "The window holds no semester day (02-15..07-15, 09-01..01-31).",
      "This due inspection has been done already.",
      "This item is already answered.",
      "This item needs at least one photo.",
      "This key was used for a different inspection; a retry must send the same one.",
      "Use campaign, self, spot_check or unannounced.",
      "Use once, weekly, monthly or semester.",
      "Use pass, fail or na.",
      // ledger
      "1 (Monday) to 7 (Sunday).",
      "1 to 512 channels.",
      "A measure in place needs at least one photo as evidence.",
      "A shift starts at 23:59 at the latest.",
      "A time as HH:MM (24:00 for midnight).",
      "A time as HH:MM.",
      "A time as RFC 3339, e.g. 2026-11-28T08:30:00+08:00.",
      "A time as RFC 3339, e.g. 2026-11-28T10:00:00+08:00.",
      "A time from 00:00 to 23:59.",
      "After the start, at most 24:00; split a night shift at midnight.",
      "After the start.",
      "Cannot store the photo.",
      "Cannot write the photo.",
      "Must not be before from.",
      "Name the route or area.",
      "No device with this id at this school.",
      "No guard with this id at this school.",
      "Not a JPEG, PNG or WebP image, or not the declared type.",
      "Not an alarm device of this school.",
      "Only separate gates can be not possible on a site.",
      "Only the school's principal, Party secretary or safety officer may change its ledger.",
      "Only the school's staff, or a bureau officer over it, may upload its evidence.",
      "Patrols are logged within 31 days.",
      "The GB/T 28181 device ID has 20 digits.",
      "The name is required.",
      "The photo is empty.",
      "The workbook has errors; nothing was imported.",
      "The workbook has no rows to import.",
      "Upload a JPEG, PNG or WebP photo.",
      "Use alarm, camera or nvr.",
      "Use arrival or dismissal.",
      "Use enclosure_anti_climb, separate_gates, anti_ram_barriers or visitor_registration.",
      "Use full_time or part_time.",
      "Use guards, closed_management, protection_posts, alarm_video or all_four.",
      "Use in_place, not_in_place or not_possible.",
      "Use pass or fail.",
      "Who patrolled.",
      "护学岗 applies to urban and town schools; this school is rural.",
      "Cannot be null.",
      "Nothing to change.",
      "This national id is already used by another device.",
      // health
      "A present student is recorded only with symptoms.",
      "Describe the facts.",
      "Enrolled must equal present + absent through illness + absent for other reasons.",
      "Name the class, e.g. 一年级1班.",
      "Name the diagnosis.",
      "Name the dormitory.",
      "No such class.",
      "No such dormitory.",
      "Only boarding classes have an evening check.",
      "Say how the warning was resolved.",
      "Say what was done (isolation, parents, disinfection, contacts).",
      "Send an Idempotency-Key header (1–100 visible ASCII characters) so a retry never writes twice.",
      "Submit the warning's report before closing it.",
      "The class is no longer active.",
      "The class teacher of this class, the school doctor or the principal reports.",
      "The report was already submitted.",
      "The school already has a class of this name.",
      "The school already has a dormitory of this name.",
      "The school doctor or the principal closes a warning.",
      "The school doctor or the principal follows illness absences.",
      "The school doctor or the principal submits the report.",
      "The school's principal, safety officer or doctor manages its classes.",
      "The school's principal, safety officer or doctor manages its dormitories.",
      "The student is already back.",
      "The student number is required.",
      "The warning is already closed.",
      "This key was used for a different report; a retry must send the same report.",
      "This student is already in the report.",
      "Today or yesterday.",
      "Use absent, diagnosed, hospitalised or returned.",
      "Use male or female.",
      "Use morning, noon or evening.",
      "Use open, closed or all.",
      "Use open, returned or all.",
  };
  for (const std::string english : messages) {
    const std::string zh = TranslateToChinese(english);
    EXPECT_NE(zh, english) << english;
    EXPECT_TRUE(zh.ends_with("。")) << english << " → " << zh;
  }
}

TEST(MessagesZh, FollowsTheFirstAcceptedLanguage) {
  http::Request zh, en, none;
  zh.headers["accept-language"] = "zh-CN,zh;q=0.9,en;q=0.8";
  en.headers["accept-language"] = "en-US,en;q=0.9,zh;q=0.8";
  EXPECT_TRUE(PrefersChinese(zh));
  EXPECT_FALSE(PrefersChinese(en));
  EXPECT_FALSE(PrefersChinese(none));
}

TEST(MessagesZh, LocalisesProblemBodiesOnly) {
  Error e = Error::Invalid("name", "This field is required.");
  auto r = http::Problem(e);
  LocaliseProblem(r);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["detail"], "请求中有字段不正确。");
  EXPECT_EQ(body["errors"][0]["field"], "name");
  EXPECT_EQ(body["errors"][0]["message"], "此项为必填项。");
  auto ok = http::Json(200, {{"detail", "This field is required."}});
  LocaliseProblem(ok);
  EXPECT_EQ(nlohmann::json::parse(ok.body)["detail"], "This field is required.");
}

TEST(MessagesZh, LocalisesAModuleProblemBody) {
  auto r = http::Problem(Error::NotFound("The warning"));
  LocaliseProblem(r);
  EXPECT_EQ(nlohmann::json::parse(r.body)["detail"], "找不到该预警。");
  auto c = http::Problem(Error::Conflict("id", "The student is already back."));
  LocaliseProblem(c);
  auto body = nlohmann::json::parse(c.body);
  EXPECT_EQ(body["detail"], "该学生已返校。");
  EXPECT_EQ(body["errors"][0]["message"], "该学生已返校。");
}

}  // namespace
TEST(MessagesZh, TheAlarmAndHazardLimitsAddedLaterAreTranslated) {
  EXPECT_EQ(TranslateToChinese("At most 24 hours ago."), "最多为24小时之前。");
  EXPECT_EQ(TranslateToChinese("At most 365 days from today."), "最多为今天起365天之内。");
  EXPECT_EQ(TranslateToChinese("Not a device in this school's ledger."), "不是本校台账中的设备。");
  EXPECT_NE(TranslateToChinese("This key was used for a different alarm; a retry must send the same one."),
            "This key was used for a different alarm; a retry must send the same one.");
}

}  // namespace xiaoan::app
