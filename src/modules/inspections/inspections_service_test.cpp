#include "modules/inspections/inspections_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "modules/inspections/inspection_rules.hpp"
#include "modules/ledger/ledger_service.hpp"
#include "modules/org/org_service.hpp"
#include "platform/db/test_db.hpp"

namespace xiaoan::inspections {
namespace {

class StepClock final : public Clock {
 public:
  TimePoint Now() const override { return now.load(); }
  void Advance(int days) { now = now.load() + std::chrono::days(days); }
  std::atomic<TimePoint> now{*ParseRfc3339("2026-11-30T09:00:00+08:00")};  // a Monday
};

Principal At(const std::string& code, const std::string& path, Role role) {
  Principal p;
  p.user_id = 7;
  p.username = std::string(RoleName(role)) + "@" + code;
  p.role = role;
  p.org_code = code;
  p.org_path = path;
  return p;
}

const std::string kSchool = "9410105001";
const std::string kPath = "/410000/410100/410105/9410105001/";
const Principal kPrincipal = At(kSchool, kPath, Role::kPrincipal);
const Principal kTeacher = At(kSchool, kPath, Role::kClassTeacher);
const Principal kCounty = At("410105", "/410000/410100/410105/", Role::kBureauSafetyOfficer);
const Principal kLeader = At("410105", "/410000/410100/410105/", Role::kBureauLeader);
const Principal kOtherCounty = At("410302", "/410000/410300/410302/", Role::kBureauSafetyOfficer);
const Principal kCity = At("410100", "/410000/410100/", Role::kBureauAdmin);
const Principal kProvince = At("410000", "/410000/", Role::kBureauSafetyOfficer);
const audit::Actor kActor{7, "tester", "principal", kSchool, "req"};

// The first field a refusal names; "<ok>" for a success, "<none>" for a refusal naming none.
template <class T>
std::string FieldOf(const Result<T>& r) {
  if (r) return "<ok>";
  return r.error().fields.empty() ? "<none>: " + r.error().message : r.error().fields[0].field;
}

class InspectionsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(org_.SeedDivisions());
    ASSERT_TRUE(org_.SeedDemoSchools());
    auto installed = service_.InstallShippedChecklists();
    ASSERT_TRUE(installed) << installed.error().message;
    ASSERT_EQ(*installed, static_cast<int64_t>(ShippedChecklists().size()));
    ledger::LedgerSettings settings;
    settings.photo_dir = photo_dir_;
    auto ledger = ledger::LedgerService::Create(*db_, audit_, clock_, settings);
    ASSERT_TRUE(ledger);
    ledger_ = std::move(*ledger);
    service_.SetHazardSink([this](db::Connection&, const FailedItem& item) -> Result<int64_t> {
      if (refuse_hazards_) return Fail(Error::Conflict("hazard", "refused by the test"));
      sunk_.push_back(item);
      return 1000 + static_cast<int64_t>(sunk_.size());
    });
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(photo_dir_, ec);
  }
  int64_t TemplateId(const std::string& key) {
    const auto lists = service_.Checklists(kCounty);
    for (const auto& c : *lists)
      if (c.key == key && !c.owner_code) return c.id;
    return 0;
  }
  CampaignInput Weekly(const std::string& template_key = "heating") {
    CampaignInput in;
    in.name = "冬季安全大检查";
    in.org = "410105";
    in.template_id = TemplateId(template_key);
    in.cadence = "weekly";
    in.starts_on = "2026-11-30";
    in.ends_on = "2026-12-20";
    return in;
  }
  // Every item of `template_id` answered pass, with a photo where one is required.
  InspectionInput AllPass(int64_t template_id, std::optional<int64_t> due_id, const std::string& source = "campaign",
                          const std::string& school = kSchool) {
    InspectionInput in;
    in.school = school;
    in.template_id = template_id;
    in.due_id = due_id;
    in.source = source;
    auto tpl = service_.GetChecklist(kProvince, template_id);
    for (const auto& item : tpl->items) {
      ResultInput r;
      r.code = item.code;
      r.result = "pass";
      if (item.photo_required) r.photos = {Photo(school)};
      in.results.push_back(r);
    }
    return in;
  }
  // A photo uploaded for `school`; another `variant` makes other bytes, so another file id.
  std::string Photo(const std::string& school, char variant = 'a') {
    const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + variant;
    const Principal& who = school == kSchool ? kPrincipal : kCounty;
    auto meta = ledger_->UploadPhoto(who, kActor, school, "image/png", png);
    EXPECT_TRUE(meta) << meta.error().message;
    return meta ? meta->id : "";
  }
  Due FirstDue(const std::string& school = kSchool, const Principal& who = kPrincipal) {
    auto dues = service_.Dues(who, school);
    EXPECT_TRUE(dues && !dues->empty());
    return dues->front();
  }
  int64_t CountInspections(const Principal& who, const std::string& org) {
    InspectionFilter f;
    f.org = org;
    return service_.Inspections(who, f)->second;
  }

  db::TestDb db_;
  StepClock clock_;
  audit::AuditLog audit_{"sha256", clock_};
  org::OrgService org_{*db_, audit_, clock_};
  InspectionsService service_{*db_, audit_, clock_};
  std::string photo_dir_ = (std::filesystem::path(db_.path()).parent_path() / "files").string();
  std::unique_ptr<ledger::LedgerService> ledger_;
  std::vector<FailedItem> sunk_;
  bool refuse_hazards_ = false;
};

TEST_F(InspectionsServiceTest, ShippedChecklistsInstallOnceAndEveryoneSeesThem) {
  EXPECT_EQ(*service_.InstallShippedChecklists(), 0);
  auto list = service_.Checklists(kPrincipal);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), ShippedChecklists().size());
  auto fire = service_.GetChecklist(kPrincipal, TemplateId("fire"));
  ASSERT_TRUE(fire);
  EXPECT_EQ(fire->name, "消防安全检查");
  EXPECT_EQ(fire->items.size(), static_cast<size_t>(fire->item_count));
  EXPECT_EQ(fire->categories, std::vector<std::string>{"fire"});
}

TEST_F(InspectionsServiceTest, ABureausOwnChecklistIsVersionedAndSeenByItsSubtreeOnly) {
  ChecklistInput in{"winter", "金水区冬季检查", {{"W1", "取暖设施", "heating", "查看", true}}};
  auto v1 = service_.CreateChecklist(kCounty, kActor, in);
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->owner_code, "410105");
  in.items.push_back({"W2", "一氧化碳报警器", "heating", "", false});
  auto v2 = service_.CreateChecklist(kCounty, kActor, in);
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->version, 2);
  // The school sees the newest version only; another county sees none; the old version stays.
  int own = 0;
  const auto seen_by_school = service_.Checklists(kPrincipal);
  for (const auto& c : *seen_by_school)
    if (c.key == "winter") {
      ++own;
      EXPECT_EQ(c.id, v2->id);
    }
  EXPECT_EQ(own, 1);
  const auto seen_elsewhere = service_.Checklists(kOtherCounty);
  for (const auto& c : *seen_elsewhere) EXPECT_NE(c.key, "winter");
  EXPECT_EQ(service_.GetChecklist(kOtherCounty, v1->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.GetChecklist(kCity, v1->id)->items.size(), 1u);
  EXPECT_EQ(service_.CreateChecklist(kPrincipal, kActor, in).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.CreateChecklist(kLeader, kActor, in).error().code, ErrorCode::kPermissionDenied);
  in.items[0].category = "weather";
  EXPECT_EQ(FieldOf(service_.CreateChecklist(kCounty, kActor, in)), "items[0].category");
}

TEST_F(InspectionsServiceTest, AChecklistNameOrItemTextOfBlanksIsEmptyAndTheRestIsStoredTrimmed) {
  ChecklistInput blank{"blank", "  ", {{"B1", "  ", "fire", "", false}, {"B2", "\u3000", "fire", "", false}}};
  auto refused = service_.CreateChecklist(kCounty, kActor, blank);
  ASSERT_FALSE(refused);
  std::set<std::string> fields;
  for (const auto& f : refused.error().fields) {
    fields.insert(f.field);
    EXPECT_EQ(f.message, "Must not be empty.") << f.field;
  }
  EXPECT_EQ(fields, (std::set<std::string>{"name", "items[0].text", "items[1].text"}));
  const auto after = service_.Checklists(kCounty);
  ASSERT_TRUE(after) << after.error().message;
  for (const auto& c : *after) EXPECT_NE(c.key, "blank");
  ChecklistInput padded{"padded", "\u3000金水区检查 ", {{"P1", " 消防通道\u3000", "fire", " 查看 ", false}}};
  auto stored = service_.CreateChecklist(kCounty, kActor, padded);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->name, "金水区检查");
  EXPECT_EQ(stored->items.at(0).text, "消防通道");
  EXPECT_EQ(stored->items.at(0).how, "查看");
}

TEST_F(InspectionsServiceTest, ACampaignNameOfBlanksIsEmptyAndSendsNoDue) {
  for (const std::string blank : {"   ", "\u3000", "\t \u3000"}) {
    CampaignInput in = Weekly();
    in.name = blank;
    auto r = service_.CreateCampaign(kCounty, kActor, in);
    ASSERT_FALSE(r);
    EXPECT_EQ(FieldOf(r), "name");
    EXPECT_EQ(r.error().fields.at(0).message, "Must not be empty.");
  }
  EXPECT_EQ(service_.Campaigns(kCounty, "410105", 50, 0)->second, 0);
  EXPECT_TRUE(service_.Dues(kPrincipal, kSchool)->empty());
  CampaignInput padded = Weekly();
  padded.name = " 冬季安全大检查\u3000";
  padded.description = " 重点查取暖 ";
  auto c = service_.CreateCampaign(kCounty, kActor, padded);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->name, "冬季安全大检查");
  EXPECT_EQ(c->description, "重点查取暖");
  EXPECT_EQ(FirstDue().campaign_name, "冬季安全大检查");
}

TEST_F(InspectionsServiceTest, ARoundThatHasNotOpenedIsListedAsUpcomingUntilItsFirstDay) {
  CampaignInput in = Weekly();
  in.cadence = "monthly";
  in.starts_on = "2027-01-01";
  in.ends_on = "2027-03-31";
  auto c = service_.CreateCampaign(kCounty, kActor, in);
  ASSERT_TRUE(c) << c.error().message;
  auto due = FirstDue();
  EXPECT_EQ(due.opens_on, "2027-01-01");
  EXPECT_EQ(due.status, "open");
  EXPECT_TRUE(due.upcoming);
  auto early = service_.Record(kPrincipal, kActor, AllPass(due.template_id, due.id));
  EXPECT_EQ(FieldOf(early), "due_id");
  clock_.Advance(31);  // 2026-12-31, the last day before it opens
  EXPECT_TRUE(FirstDue().upcoming);
  clock_.Advance(1);  // 2027-01-01
  EXPECT_FALSE(FirstDue().upcoming);
  EXPECT_TRUE(service_.Record(kPrincipal, kActor, AllPass(due.template_id, due.id)));
}

TEST_F(InspectionsServiceTest, ACampaignGivesEverySchoolOfTheSubtreeItsDueInOneGo) {
  auto c = service_.CreateCampaign(kCounty, kActor, Weekly());
  ASSERT_TRUE(c) << c.error().message << " " << (c.error().fields.empty() ? "" : c.error().fields[0].field);
  EXPECT_EQ(c->rounds, 3);
  ASSERT_TRUE(c->current_round);
  EXPECT_EQ(c->current_round->round, 1);
  EXPECT_EQ(c->current_round->due_on, "2026-12-06");
  EXPECT_EQ(c->org_name, "金水区");
  auto schools = org_.GetStats(kCounty, "410105");
  ASSERT_TRUE(schools);
  EXPECT_EQ(c->totals.due, schools->schools);
  EXPECT_EQ(c->totals.open, schools->schools);
  auto due = FirstDue();
  EXPECT_EQ(due.campaign_id, c->id);
  EXPECT_EQ(due.status, "open");
  EXPECT_FALSE(due.upcoming);  // the first round opens today
  EXPECT_EQ(due.template_name, "冬季取暖与一氧化碳中毒防范检查");
  // The school, the city and the province see it; another county does not.
  EXPECT_TRUE(service_.GetCampaign(kPrincipal, c->id));
  EXPECT_TRUE(service_.GetCampaign(kProvince, c->id));
  EXPECT_EQ(service_.GetCampaign(kOtherCounty, c->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.Campaigns(kPrincipal, kSchool, 50, 0)->second, 1);
  EXPECT_EQ(service_.Campaigns(kProvince, "410000", 50, 0)->second, 1);
  EXPECT_EQ(service_.Campaigns(kOtherCounty, "410302", 50, 0)->second, 0);
}

TEST_F(InspectionsServiceTest, AFilteredCampaignReachesOnlyTheChosenSchools) {
  CampaignInput in = Weekly();
  in.locality = {"rural"};
  in.school_types = {"primary", "junior"};
  auto c = service_.CreateCampaign(kCounty, kActor, in);
  ASSERT_TRUE(c);
  auto all = org_.GetStats(kCounty, "410105");
  EXPECT_LT(c->totals.due, all->schools);
  auto progress = service_.Progress(kCounty, c->id, std::nullopt, std::nullopt);
  ASSERT_TRUE(progress);
  EXPECT_EQ(static_cast<int64_t>(progress->children.size()), c->totals.due);  // children of a county are schools
}

TEST_F(InspectionsServiceTest, ACampaignIsIssuedOnlyByABureauOfficerAboveTheUnitWithGoodInput) {
  EXPECT_EQ(service_.CreateCampaign(kPrincipal, kActor, Weekly()).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.CreateCampaign(kLeader, kActor, Weekly()).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.CreateCampaign(kOtherCounty, kActor, Weekly()).error().code, ErrorCode::kNotFound);
  struct Case {
    std::function<void(CampaignInput&)> edit;
    std::set<std::string> fields;
  };
  const std::vector<Case> cases = {
      {[](CampaignInput& c) { c.cadence = "daily"; }, {"cadence"}},
      {[](CampaignInput& c) { c.ends_on = "2026-11-29"; }, {"ends_on"}},
      {[](CampaignInput& c) { c.starts_on = "2026-13-01"; }, {"starts_on"}},
      {[](CampaignInput& c) { c.ends_on = "2029-01-01"; }, {"ends_on"}},
      {[](CampaignInput& c) { c.name = ""; }, {"name"}},
      {[](CampaignInput& c) { c.locality = {"suburb"}; }, {"locality[0]"}},
      {[](CampaignInput& c) {
         c.school_types = {"primary", "college"};
       },
       {"school_types[1]"}},
      {[](CampaignInput& c) { c.template_id = 99999; }, {"template_id"}},
      {[](CampaignInput& c) { c.org = kSchool; }, {"org"}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    CampaignInput in = Weekly();
    cases[i].edit(in);
    auto r = service_.CreateCampaign(kCounty, kActor, in);
    ASSERT_FALSE(r) << "case " << i;
    std::set<std::string> fields;
    for (const auto& f : r.error().fields) fields.insert(f.field);
    EXPECT_EQ(fields, cases[i].fields) << "case " << i;
  }
  EXPECT_EQ(service_.Campaigns(kCounty, "410105", 50, 0)->second, 0);
  EXPECT_TRUE(service_.Dues(kPrincipal, kSchool)->empty());
}

TEST_F(InspectionsServiceTest, ACampaignInspectionCompletesTheDueAndAFailBecomesAHazard) {
  auto c = service_.CreateCampaign(kCounty, kActor, Weekly());
  ASSERT_TRUE(c);
  const Due due = FirstDue();
  InspectionInput in = AllPass(c->template_id, due.id);
  in.results[1].result = "fail";
  in.results[1].note = "烟囱接口松动";
  in.results[1].hazard = HazardInput{"ordinary", "锅炉房", "", std::nullopt, false};
  auto r = service_.Record(kPrincipal, kActor, in);
  ASSERT_TRUE(r) << r.error().message << " " << (r.error().fields.empty() ? "" : r.error().fields[0].field);
  EXPECT_EQ(r->inspection.fail, 1);
  EXPECT_EQ(r->inspection.pass, static_cast<int64_t>(in.results.size()) - 1);
  EXPECT_EQ(r->inspection.campaign_id, c->id);
  EXPECT_EQ(r->hazard_ids, std::vector<int64_t>{1001});
  EXPECT_EQ(r->inspection.results[1].hazard_id, 1001);
  ASSERT_EQ(sunk_.size(), 1u);
  const FailedItem& f = sunk_[0];
  EXPECT_EQ(f.school_code, kSchool);
  EXPECT_EQ(f.path, kPath);
  EXPECT_EQ(f.category, "heating");
  EXPECT_EQ(f.location, "锅炉房");
  EXPECT_EQ(f.grade, "ordinary");
  EXPECT_EQ(f.source, "inspection");
  EXPECT_EQ(f.found_by, kPrincipal.username);
  EXPECT_EQ(f.inspection_id, r->inspection.id);
  EXPECT_EQ(f.item_code, in.results[1].code);
  EXPECT_TRUE(f.description.find("烟囱接口松动") != std::string::npos) << f.description;
  EXPECT_EQ(FirstDue().status, "done");
  EXPECT_EQ(FirstDue().inspection_id, r->inspection.id);
  // The same due cannot be inspected twice.
  EXPECT_EQ(service_.Record(kPrincipal, kActor, AllPass(c->template_id, due.id)).error().code, ErrorCode::kConflict);
  auto progress = service_.Progress(kCounty, c->id, std::nullopt, std::nullopt);
  ASSERT_TRUE(progress);
  EXPECT_EQ(progress->unit.totals.done, 1);
  EXPECT_EQ(progress->unit.totals.on_time, 1);
  EXPECT_EQ(progress->unit.code, "410105");
  ASSERT_TRUE(progress->unit.completeness);
  EXPECT_DOUBLE_EQ(*progress->unit.completeness, 1.0 / static_cast<double>(progress->unit.totals.due));
}

TEST_F(InspectionsServiceTest, AnHazardSinkFailureLeavesNothingWritten) {
  auto c = service_.CreateCampaign(kCounty, kActor, Weekly());
  const Due due = FirstDue();
  InspectionInput in = AllPass(c->template_id, due.id);
  in.results[0].result = "fail";
  in.results[0].hazard = HazardInput{"major", "宿舍", "", std::nullopt, false};
  refuse_hazards_ = true;
  EXPECT_EQ(service_.Record(kPrincipal, kActor, in).error().code, ErrorCode::kConflict);
  EXPECT_EQ(FirstDue().status, "open");
  EXPECT_EQ(CountInspections(kCounty, "410105"), 0);
}

TEST_F(InspectionsServiceTest, BadAnswersAreNamedAndNothingIsWritten) {
  auto c = service_.CreateCampaign(kCounty, kActor, Weekly());
  const Due due = FirstDue();
  InspectionInput in = AllPass(c->template_id, due.id);
  in.results[0].photos.clear();  // H01 needs a photo
  in.results.pop_back();         // an item not answered
  auto r = service_.Record(kPrincipal, kActor, in);
  ASSERT_FALSE(r);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"results[0].photos", "results"}));
  // A photo of another school is not evidence here.
  InspectionInput foreign = AllPass(c->template_id, due.id);
  foreign.results[0].photos = {Photo("9410105002", 'b')};
  EXPECT_EQ(FieldOf(service_.Record(kPrincipal, kActor, foreign)), "results[0].photos[0]");
  InspectionInput wrong_template = AllPass(TemplateId("fire"), due.id);
  EXPECT_EQ(FieldOf(service_.Record(kPrincipal, kActor, wrong_template)), "template_id");
  InspectionInput no_due = AllPass(c->template_id, std::nullopt);
  EXPECT_EQ(FieldOf(service_.Record(kPrincipal, kActor, no_due)), "due_id");
  InspectionInput bad_source = AllPass(c->template_id, std::nullopt, "rumour");
  EXPECT_EQ(FieldOf(service_.Record(kPrincipal, kActor, bad_source)), "source");
  InspectionInput other_due = AllPass(c->template_id, FirstDue("9410105002", kCounty).id);
  EXPECT_EQ(FieldOf(service_.Record(kPrincipal, kActor, other_due)), "due_id");
  EXPECT_EQ(FirstDue().status, "open");
  EXPECT_EQ(CountInspections(kCounty, "410105"), 0);
  EXPECT_TRUE(sunk_.empty());
}

TEST_F(InspectionsServiceTest, RolesDecideWhoInspectsWithWhichSource) {
  const int64_t fire = TemplateId("fire");
  EXPECT_EQ(service_.Record(kTeacher, kActor, AllPass(fire, std::nullopt, "self")).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.Record(kPrincipal, kActor, AllPass(fire, std::nullopt, "spot_check")).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.Record(kCounty, kActor, AllPass(fire, std::nullopt, "self")).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.Record(kOtherCounty, kActor, AllPass(fire, std::nullopt, "spot_check")).error().code,
            ErrorCode::kNotFound);
  auto self = service_.Record(kPrincipal, kActor, AllPass(fire, std::nullopt, "self"));
  ASSERT_TRUE(self) << self.error().message;
  EXPECT_EQ(self->inspection.source, "self");
  // The county's officer records an unannounced visit with photos it uploaded for the school.
  InspectionInput visit = AllPass(fire, std::nullopt, "unannounced");
  visit.results[0].photos = {Photo(kSchool)};
  visit.results[2].result = "fail";
  visit.results[2].photos = {Photo(kSchool)};
  visit.results[2].hazard = HazardInput{"major", "教学楼二层", "灭火器过期", std::nullopt, false};
  auto spot = service_.Record(kCounty, kActor, visit);
  ASSERT_TRUE(spot) << spot.error().message;
  ASSERT_EQ(sunk_.size(), 1u);
  EXPECT_EQ(sunk_[0].source, "unannounced");
  EXPECT_EQ(sunk_[0].grade, "major");
  EXPECT_EQ(sunk_[0].description, "灭火器过期");
  EXPECT_EQ(sunk_[0].photos.size(), 1u);
  EXPECT_EQ(CountInspections(kCity, "410100"), 2);
  EXPECT_EQ(CountInspections(kOtherCounty, "410302"), 0);
  EXPECT_EQ(service_.GetInspection(kOtherCounty, spot->inspection.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.GetInspection(kPrincipal, spot->inspection.id)->results.size(), visit.results.size());
  InspectionFilter only_visits;
  only_visits.org = "410105";
  only_visits.source = "unannounced";
  EXPECT_EQ(service_.Inspections(kCounty, only_visits)->second, 1);
}

TEST_F(InspectionsServiceTest, ARetryWithTheSameKeyAnswersTheFirstInspection) {
  auto c = service_.CreateCampaign(kCounty, kActor, Weekly());
  InspectionInput in = AllPass(c->template_id, FirstDue().id);
  in.results[0].result = "fail";
  in.results[0].hazard = HazardInput{"ordinary", "门卫室", "", std::nullopt, true};
  in.idempotency_key = "phone-1";
  auto first = service_.Record(kPrincipal, kActor, in);
  ASSERT_TRUE(first);
  auto again = service_.Record(kPrincipal, kActor, in);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->inspection.id, first->inspection.id);
  EXPECT_EQ(again->hazard_ids, first->hazard_ids);
  EXPECT_EQ(sunk_.size(), 1u);
  in.notes = "changed";
  EXPECT_EQ(service_.Record(kPrincipal, kActor, in).error().reason, "idempotency_key_reused");
  EXPECT_EQ(CountInspections(kCounty, "410105"), 1);
}

TEST_F(InspectionsServiceTest, TheWindowJobOpensRoundsMarksMissedAndIsIdempotent) {
  auto c = service_.CreateCampaign(kCounty, kActor, Weekly());
  ASSERT_TRUE(c);
  const int64_t schools = c->totals.due;
  // Inside round 1 nothing changes.
  auto quiet = service_.RunWindows(*ParseDay("2026-12-06"));
  ASSERT_TRUE(quiet);
  EXPECT_EQ(quiet->rounds_opened, 0);
  EXPECT_EQ(quiet->dues_missed, 0);
  // Round 1 closes on 12-06: on 12-07 round 2 opens and round 1's open rows are missed.
  clock_.Advance(7);
  auto run = service_.RunWindows(*ParseDay("2026-12-07"));
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->rounds_opened, 1);
  EXPECT_EQ(run->dues_created, schools);
  EXPECT_EQ(run->dues_missed, schools);
  auto rerun = service_.RunWindows(*ParseDay("2026-12-07"));
  EXPECT_EQ(rerun->rounds_opened, 0);
  EXPECT_EQ(rerun->dues_missed, 0);
  auto progress = service_.Progress(kCounty, c->id, std::nullopt, int64_t{1});
  ASSERT_TRUE(progress);
  EXPECT_EQ(progress->unit.totals.missed, schools);
  EXPECT_EQ(static_cast<int64_t>(progress->missed_schools.size()), schools);
  EXPECT_EQ(progress->missed_schools[0].county_name, "金水区");
  EXPECT_DOUBLE_EQ(*progress->unit.completeness, 0.0);
  // A missed due may still be inspected: it counts as late.
  auto dues = *service_.Dues(kPrincipal, kSchool);
  ASSERT_EQ(dues.size(), 2u);
  EXPECT_EQ(dues[0].status, "missed");
  auto late = service_.Record(kPrincipal, kActor, AllPass(c->template_id, dues[0].id));
  ASSERT_TRUE(late) << late.error().message;
  EXPECT_EQ(service_.Dues(kPrincipal, kSchool)->front().status, "late");
  auto after = service_.Progress(kCity, c->id, "410105", int64_t{1});
  EXPECT_EQ(after->unit.totals.late, 1);
  EXPECT_EQ(after->unit.totals.done, 1);
  EXPECT_EQ(after->unit.totals.on_time, 0);
  // Round 2 is current; the city sees its county as a child row.
  auto city = service_.Progress(kCity, c->id, "410100", std::nullopt);
  ASSERT_TRUE(city);
  EXPECT_EQ(city->round.round, 2);
  ASSERT_EQ(city->children.size(), 1u);
  EXPECT_EQ(city->children[0].code, "410105");
  EXPECT_EQ(city->children[0].totals.open, schools);
  EXPECT_EQ(FieldOf(service_.Progress(kCounty, c->id, std::nullopt, int64_t{3})), "round");
  EXPECT_EQ(service_.Progress(kOtherCounty, c->id, std::nullopt, std::nullopt).error().code, ErrorCode::kNotFound);
  // After the last window the campaign has no current round and every round exists.
  clock_.Advance(14);
  auto end = service_.RunWindows(*ParseDay("2026-12-21"));
  EXPECT_EQ(end->rounds_opened, 1);
  EXPECT_EQ(end->dues_missed, 2 * schools);
  EXPECT_FALSE(service_.GetCampaign(kCounty, c->id)->current_round);
}

TEST_F(InspectionsServiceTest, TheDemoCampaignIsSeededOnce) {
  EXPECT_TRUE(*service_.SeedDemo());
  EXPECT_FALSE(*service_.SeedDemo());
  EXPECT_EQ(service_.Campaigns(kCounty, "410105", 50, 0)->second, 1);
  EXPECT_FALSE(service_.Dues(kPrincipal, kSchool)->empty());
}

}  // namespace
}  // namespace xiaoan::inspections
