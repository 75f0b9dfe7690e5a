#include "modules/hazards/hazard_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <set>

#include "modules/org/org_service.hpp"
#include "platform/db/test_db.hpp"

namespace xiaoan::hazards {
namespace {

class StepClock final : public Clock {
 public:
  TimePoint Now() const override { return now.load(); }
  void AddDays(int d) { now = now.load() + std::chrono::days(d); }
  std::atomic<TimePoint> now{*ParseRfc3339("2026-11-30T09:00:00+08:00")};
};

Principal At(const std::string& username, const std::string& code, const std::string& path, Role role) {
  Principal p;
  p.user_id = 7;
  p.username = username;
  p.role = role;
  p.org_code = code;
  p.org_path = path;
  return p;
}

const std::string kSchool = "9410105001";
const std::string kPath = "/410000/410100/410105/9410105001/";
const Principal kGuard = At("guard", kSchool, kPath, Role::kGuard);
const Principal kPrincipal = At("principal", kSchool, kPath, Role::kPrincipal);
const Principal kSafety = At("safety", kSchool, kPath, Role::kSchoolSafetyOfficer);
const Principal kCounty = At("county", "410105", "/410000/410100/410105/", Role::kBureauSafetyOfficer);
const Principal kCity = At("city", "410100", "/410000/410100/", Role::kBureauSafetyOfficer);
const Principal kProvince = At("province", "410000", "/410000/", Role::kBureauSafetyOfficer);
const Principal kOtherCounty = At("county2", "410302", "/410000/410300/410302/", Role::kBureauSafetyOfficer);
const audit::Actor kActor{7, "tester", "principal", kSchool, "req"};
const std::string kPhoto(64, 'a');

constexpr db::Sql kInsertFile{"insert_file",
                              "INSERT INTO files (id, school_code, content_type, size, created_by, created_at) "
                              "VALUES ($1, $2, 'image/png', 10, 'principal', '2026-11-30T09:00:00+08:00')"};
constexpr db::Sql kCountEvents{"count_events", "SELECT count(*) FROM hazard_events"};
constexpr db::Sql kCountAudit{"count_audit", "SELECT count(*) FROM audit_log WHERE action LIKE 'hazard.%'"};

class HazardServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(org_.SeedDivisions());
    ASSERT_TRUE(org_.SeedDemoSchools());
    ASSERT_TRUE(db_->Write([](db::Connection& tx) -> Status {
      auto r = tx.Execute(kInsertFile, {kPhoto, kSchool});
      if (!r) return Fail(r.error());
      return {};
    }));
    service_.SetPublisher(
        [this](const std::string&, const std::string& type, const std::string&) { published_.push_back(type); });
  }
  NewHazard Report(const std::string& grade = "ordinary") {
    NewHazard in;
    in.school_code = kSchool;
    in.category = "fire";
    in.location = "教学楼二楼";
    in.description = "灭火器过期";
    in.grade = grade;
    in.source = "direct";
    return in;
  }
  int64_t Count(const db::Sql& sql) {
    return *db::ReadResult<int64_t>(*db_, [&](db::Connection& c) -> Result<int64_t> {
      auto r = c.QueryOne(sql, {});
      if (!r) return Fail(r.error());
      return (*r)->Int(0);
    });
  }
  static ActionInput Plan(const std::string& deadline) {
    ActionInput in;
    in.action = "plan";
    in.plan = {std::string("张副校长"),     std::string("更换灭火器"),    std::string("3000元"), deadline,
               std::string("火情疏散预案"), std::string("临时增配灭火器")};
    return in;
  }
  static ActionInput Simple(const std::string& action, const std::string& note = "", bool photo = false) {
    ActionInput in;
    in.action = action;
    in.note = note;
    in.text = note;
    if (photo) in.photos = {kPhoto};
    return in;
  }
  HazardFilter Filter(const std::string& org) {
    HazardFilter f;
    f.org = org;
    return f;
  }

  db::TestDb db_;
  StepClock clock_;
  audit::AuditLog audit_{"sha256", clock_};
  org::OrgService org_{*db_, audit_, clock_};
  HazardService service_{*db_, audit_, clock_, HazardSettings{7}};
  std::vector<std::string> published_;
};

TEST_F(HazardServiceTest, AGuardsReportIsRegisteredWithItsHistoryAndSeenUpTheTreeButNotNextDoor) {
  auto h = service_.Report(kGuard, kActor, Report());
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->state, "registered");
  EXPECT_EQ(h->found_by, "guard");
  EXPECT_EQ(h->found_on, "2026-11-30");
  EXPECT_EQ(h->county_code, "410105");
  EXPECT_EQ(h->supervising_level, "school");
  ASSERT_EQ(h->events.size(), 1u);
  EXPECT_EQ(h->events[0].action, "register");
  EXPECT_EQ(published_, std::vector<std::string>{"hazard.changed"});
  EXPECT_EQ(service_.Get(kProvince, h->id)->id, h->id);
  EXPECT_EQ(service_.Get(kOtherCounty, h->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.List(kOtherCounty, Filter("410105")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.List(kCity, Filter("410100"))->second, 1);
  auto open = Filter("410105");
  open.state = "open";
  EXPECT_EQ(service_.List(kCounty, open)->second, 1);
  open.state = "closed";
  EXPECT_EQ(service_.List(kCounty, open)->second, 0);
  EXPECT_EQ(Count(kCountAudit), 1);
}

TEST_F(HazardServiceTest, BadInputNamesTheFieldAndWritesNothing) {
  auto bad = Report();
  bad.category = "weather";
  bad.building_grade = "D";
  bad.photos = {"nope"};
  auto r = service_.Report(kGuard, kActor, bad);
  ASSERT_FALSE(r);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) fields.insert(f.field);
  EXPECT_TRUE(fields.contains("category"));
  EXPECT_TRUE(fields.contains("building_grade"));
  EXPECT_TRUE(fields.contains("photos[0]"));
  auto not_uploaded = Report();
  not_uploaded.photos = {std::string(64, 'b')};
  EXPECT_EQ(service_.Report(kGuard, kActor, not_uploaded).error().fields.at(0).field, "photos[0]");
  auto future = Report();
  future.found_at = "2026-12-31";
  EXPECT_EQ(service_.Report(kGuard, kActor, future).error().fields.at(0).field, "found_at");
  auto major_at_once = Report("major");
  major_at_once.fixed_at_once = true;
  EXPECT_EQ(service_.Report(kGuard, kActor, major_at_once).error().fields.at(0).field, "fixed_at_once");
  EXPECT_EQ(service_.Report(kCounty, kActor, Report()).error().fields.at(0).field, "source");
  EXPECT_EQ(service_.Report(kOtherCounty, kActor, Report()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.List(kProvince, Filter("410000"))->second, 0);
  EXPECT_EQ(Count(kCountEvents), 0);
  EXPECT_EQ(Count(kCountAudit), 0);
}

TEST_F(HazardServiceTest, ALocationOrDescriptionOfBlanksIsNoneAndTheRestIsStoredTrimmed) {
  for (const std::string blank : {"   ", "\t", "\u3000\u3000", " \u3000 "}) {
    auto no_location = Report();
    no_location.location = blank;
    auto r = service_.Report(kGuard, kActor, no_location);
    ASSERT_FALSE(r) << blank;
    EXPECT_EQ(r.error().fields.at(0).field, "location");
    auto no_description = Report();
    no_description.description = blank;
    r = service_.Report(kGuard, kActor, no_description);
    ASSERT_FALSE(r) << blank;
    EXPECT_EQ(r.error().fields.at(0).field, "description");
  }
  EXPECT_EQ(Count(kCountEvents), 0);
  auto padded = Report();
  padded.location = "\u3000 教学楼二楼 ";
  padded.description = " 灭火器过期\u3000";
  auto h = service_.Report(kGuard, kActor, padded);
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->location, "教学楼二楼");
  EXPECT_EQ(h->description, "灭火器过期");
}

TEST_F(HazardServiceTest, ADeadlineIsAtMostAYearFromToday) {
  auto h = service_.Report(kPrincipal, kActor, Report());
  ASSERT_TRUE(h) << h.error().message;
  // Today is 2026-11-30: 365 days on is 2027-11-30.
  for (const auto& [deadline, taken] : std::vector<std::pair<std::string, bool>>{
           {"2026-12-30", true}, {"2027-11-30", true}, {"2027-12-01", false}, {"2126-11-01", false}}) {
    auto planned = service_.Act(kPrincipal, kActor, h->id, Plan(deadline));
    EXPECT_EQ(planned.has_value(), taken) << deadline;
    if (planned) EXPECT_EQ(planned->deadline, deadline);
    if (!planned) {
      EXPECT_EQ(planned.error().code, ErrorCode::kInvalidArgument);
      EXPECT_EQ(planned.error().fields.at(0).field, "deadline");
      EXPECT_EQ(planned.error().fields.at(0).message, "At most 365 days from today.");
    }
  }
  EXPECT_EQ(service_.Get(kPrincipal, h->id)->deadline, "2027-11-30");
  // The rework's deadline an acceptor sets is held to the same limit.
  auto started = service_.Act(kPrincipal, kActor, h->id, Simple("start"));
  ASSERT_TRUE(started) << started.error().message;
  ASSERT_TRUE(service_.Act(kPrincipal, kActor, h->id, Simple("submit", "已更换", true)));
  auto reject = Simple("reject", "仍有过期灭火器");
  reject.plan.deadline = "2030-01-01";
  auto refused = service_.Act(kCounty, kActor, h->id, reject);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().fields.at(0).field, "deadline");
}

TEST_F(HazardServiceTest, AMajorHazardGoesThroughFiveInPlaceRectificationAndAcceptanceBySomeoneElse) {
  auto h = service_.Report(kSafety, kActor, Report("major"));
  ASSERT_TRUE(h);
  const int64_t events = Count(kCountEvents), audits = Count(kCountAudit);
  // Refusals write nothing.
  auto refused = service_.Act(kPrincipal, kActor, h->id, Simple("start"));
  EXPECT_EQ(refused.error().reason, "five_not_in_place");
  EXPECT_EQ(service_.Act(kGuard, kActor, h->id, Plan("2026-12-20")).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.Act(kPrincipal, kActor, h->id, Plan("2026-11-01")).error().fields.at(0).field, "deadline");
  EXPECT_EQ(service_.Act(kPrincipal, kActor, h->id, Plan("2026-13-01")).error().fields.at(0).field, "deadline");
  EXPECT_EQ(Count(kCountEvents), events);
  EXPECT_EQ(Count(kCountAudit), audits);

  auto planned = service_.Act(kPrincipal, kActor, h->id, Plan("2026-12-20"));
  ASSERT_TRUE(planned) << planned.error().message;
  EXPECT_TRUE(planned->FiveInPlace());
  ASSERT_TRUE(service_.Act(kPrincipal, kActor, h->id, Simple("start")));
  EXPECT_EQ(service_.Act(kPrincipal, kActor, h->id, Simple("submit", "完成")).error().reason, "photos_required");
  auto submitted = service_.Act(kPrincipal, kActor, h->id, Simple("submit", "已更换", true));
  ASSERT_TRUE(submitted) << submitted.error().message;
  EXPECT_EQ(submitted->state, "awaiting_acceptance");
  // The reporter (the safety officer) may not accept; the county rejects, the school resubmits.
  EXPECT_EQ(service_.Act(kSafety, kActor, h->id, Simple("accept")).error().reason, "same_person");
  EXPECT_EQ(service_.Act(kCounty, kActor, h->id, Simple("reject")).error().reason, "note_required");
  auto rejected = service_.Act(kCounty, kActor, h->id, Simple("reject", "数量不足"));
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->state, "rectifying");
  ASSERT_TRUE(service_.Act(kPrincipal, kActor, h->id, Simple("submit", "补齐", true)));
  clock_.AddDays(3);
  auto accepted = service_.Act(kPrincipal, kActor, h->id, Simple("accept", "验收合格"));
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->state, "closed");
  EXPECT_EQ(accepted->accepted_by, "principal");
  EXPECT_EQ(accepted->days_open, 3);
  EXPECT_EQ(service_.Act(kPrincipal, kActor, h->id, Plan("2026-12-25")).error().reason, "invalid_transition");
  // register, plan, start, submit, reject, submit, accept
  ASSERT_EQ(accepted->events.size(), 7u);
  EXPECT_EQ(accepted->events[4].action, "reject");
  EXPECT_EQ(accepted->events[4].from, "awaiting_acceptance");
  EXPECT_EQ(accepted->events[4].to, "rectifying");
  EXPECT_EQ(accepted->events[3].photos, std::vector<std::string>{kPhoto});
  EXPECT_EQ(Count(kCountAudit), 7);
}

TEST_F(HazardServiceTest, AnOrdinaryHazardFixedAtOnceIsDueTheSameDay) {
  auto in = Report();
  in.fixed_at_once = true;
  auto h = service_.Report(kGuard, kActor, in);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->deadline, "2026-11-30");
  auto fixed = service_.Act(kSafety, kActor, h->id, Simple("fix_now", "已更换", true));
  ASSERT_TRUE(fixed) << fixed.error().message;
  EXPECT_EQ(fixed->state, "awaiting_acceptance");
  EXPECT_EQ(service_.Act(kGuard, kActor, h->id, Simple("accept")).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.Act(kCounty, kActor, h->id, Simple("accept"))->state, "closed");
}

TEST_F(HazardServiceTest, ADGradeBuildingIsOutOfUseAtOnceAsAMajorHazardAndListedFirst) {
  ASSERT_TRUE(service_.Report(kGuard, kActor, Report()));
  auto in = Report();
  in.category = "building";
  in.building_grade = "D";
  auto h = service_.Report(kGuard, kActor, in);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->out_of_use);
  EXPECT_EQ(h->grade, "major");
  auto list = service_.List(kCounty, Filter("410105"));
  ASSERT_EQ(list->first.size(), 2u);
  EXPECT_EQ(list->first[0].id, h->id);
}

TEST_F(HazardServiceTest, AMissedDeadlineMarksOverdueClimbsEachWeekAndRerunsDoNothingTwice) {
  auto h = service_.Report(kGuard, kActor, Report());
  ASSERT_TRUE(service_.Act(kPrincipal, kActor, h->id, Plan("2026-12-02")));
  ASSERT_TRUE(service_.Act(kPrincipal, kActor, h->id, Simple("start")));
  // The deadline day itself is still in time.
  clock_.AddDays(2);
  EXPECT_EQ(service_.RunDeadlines()->marked, 0);
  clock_.AddDays(1);  // 2026-12-03
  auto run = service_.RunDeadlines();
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->marked, 1);
  EXPECT_EQ(run->escalated, 1);
  EXPECT_EQ(run->rows_touched, 4);  // hazard, overdue event, escalated event, audit record
  auto after = service_.Get(kCounty, h->id);
  EXPECT_TRUE(after->overdue);
  EXPECT_EQ(after->overdue_since, "2026-12-03");
  EXPECT_EQ(after->supervising_level, "county");
  EXPECT_TRUE(after->explanation_required);
  EXPECT_EQ(after->next_escalation_on, "2026-12-10");
  EXPECT_EQ(after->events.back().action, "escalated");
  // A rerun the same minute, and the next days, change nothing.
  auto again = service_.RunDeadlines();
  EXPECT_EQ(again->marked + again->escalated + again->rows_touched, 0);
  clock_.AddDays(6);
  EXPECT_EQ(service_.RunDeadlines()->rows_touched, 0);
  // The overdue deadline cannot move; the county supervises; the city may not (not its level yet).
  EXPECT_EQ(service_.Act(kPrincipal, kActor, h->id, Plan("2027-01-10")).error().reason, "deadline_locked");
  EXPECT_EQ(service_.Act(kCity, kActor, h->id, Simple("supervise", "x")).error().reason, "not_supervising_level");
  ASSERT_TRUE(service_.Act(kCounty, kActor, h->id, Simple("supervise", "限期三日内整改")));
  auto explained = service_.Act(kPrincipal, kActor, h->id, Simple("explain", "灭火器采购延迟"));
  ASSERT_TRUE(explained);
  EXPECT_FALSE(explained->explanation_required);
  EXPECT_EQ(explained->explanation, "灭火器采购延迟");
  // Seven days after the climb it climbs again, and asks again.
  clock_.AddDays(1);  // 2026-12-10
  run = service_.RunDeadlines();
  EXPECT_EQ(run->marked, 0);
  EXPECT_EQ(run->escalated, 1);
  after = service_.Get(kCity, h->id);
  EXPECT_EQ(after->supervising_level, "city");
  EXPECT_TRUE(after->explanation_required);
  EXPECT_EQ(after->next_escalation_on, "2026-12-17");
  EXPECT_EQ(service_.RunDeadlines()->escalated, 0);
  clock_.AddDays(7);
  EXPECT_EQ(service_.RunDeadlines()->escalated, 1);
  after = service_.Get(kProvince, h->id);
  EXPECT_EQ(after->supervising_level, "province");
  EXPECT_FALSE(after->next_escalation_on.has_value());  // never above the province
  clock_.AddDays(30);
  EXPECT_EQ(service_.RunDeadlines()->rows_touched, 0);
  // The province's dashboard lists it as escalated to it; the city's no longer does.
  EXPECT_EQ(service_.GetDashboard(kProvince, "410000")->escalated.size(), 1u);
  EXPECT_EQ(service_.GetDashboard(kCity, "410100")->escalated.size(), 0u);
  auto list = Filter("410105");
  list.overdue_only = true;
  EXPECT_EQ(service_.List(kCounty, list)->second, 1);
}

TEST_F(HazardServiceTest, AClosedHazardNeverGoesOverdueAndManyAreHandledInBatches) {
  std::vector<int64_t> ids;
  NewHazard in = Report();
  in.fixed_at_once = true;  // due the day it is found
  in.found_by = "guard";
  ASSERT_TRUE(db_->Write([&](db::Connection& tx) -> Status {
    for (int i = 0; i < 1203; ++i) {
      auto id = service_.RegisterIn(tx, in, kActor);
      if (!id) return Fail(id.error());
      ids.push_back(*id);
    }
    return {};
  }));
  ASSERT_TRUE(service_.Act(kPrincipal, kActor, ids[0], Simple("fix_now", "修好", true)));
  ASSERT_TRUE(service_.Act(kCounty, kActor, ids[0], Simple("accept")));
  clock_.AddDays(5);
  auto run = service_.RunDeadlines();
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->marked, 1202);
  EXPECT_FALSE(service_.Get(kCounty, ids[0])->overdue);
  EXPECT_EQ(service_.RunDeadlines()->rows_touched, 0);
}

TEST_F(HazardServiceTest, TheDashboardCountsPerChildWithClosureRateAndMedianDaysToClose) {
  auto a = service_.Report(kGuard, kActor, Report());
  auto b = service_.Report(kGuard, kActor, Report("major"));
  auto c = service_.Report(kGuard, kActor, Report());
  ASSERT_TRUE(a && b && c);
  ASSERT_TRUE(service_.Act(kPrincipal, kActor, a->id, Simple("fix_now", "修好", true)));
  clock_.AddDays(2);
  ASSERT_TRUE(service_.Act(kCounty, kActor, a->id, Simple("accept")));
  ASSERT_TRUE(service_.Act(kPrincipal, kActor, c->id, Simple("fix_now", "修好", true)));
  clock_.AddDays(2);
  ASSERT_TRUE(service_.Act(kCounty, kActor, c->id, Simple("accept")));
  auto d = service_.GetDashboard(kCounty, "410105");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->unit.open, 1);
  EXPECT_EQ(d->unit.major, 1);
  EXPECT_EQ(d->unit.closed, 2);
  EXPECT_DOUBLE_EQ(*d->unit.closure_rate, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(*d->unit.median_days_to_close, 3.0);
  bool found = false;
  for (const auto& f : d->children) {
    if (f.code != kSchool) {
      EXPECT_EQ(f.open + f.closed, 0) << f.code;
      EXPECT_FALSE(f.closure_rate.has_value());
      continue;
    }
    found = true;
    EXPECT_EQ(f.open, 1);
    EXPECT_EQ(f.closed, 2);
  }
  EXPECT_TRUE(found);
  auto province = service_.GetDashboard(kProvince, "410000");
  EXPECT_EQ(province->unit.open, 1);
  EXPECT_EQ(province->children.size(), 18u);
  EXPECT_EQ(service_.GetDashboard(kOtherCounty, "410105").error().code, ErrorCode::kNotFound);
  auto school = service_.GetDashboard(kPrincipal, kSchool);
  EXPECT_EQ(school->unit.open, 1);
  EXPECT_TRUE(school->children.empty());
}

TEST_F(HazardServiceTest, RegisterInRunsInTheCallersTransactionAndRollsBackWithIt) {
  NewHazard in = Report();
  in.source = "inspection";
  in.inspection_id = 42;
  in.item_code = "fire-01";
  in.found_by = "inspector";
  auto failed = db_->Write([&](db::Connection& tx) -> Status {
    auto id = service_.RegisterIn(tx, in, kActor);
    if (!id) return Fail(id.error());
    return Fail(Error::Invalid("results", "a later item failed"));
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(service_.List(kProvince, Filter("410000"))->second, 0);
  int64_t id = 0;
  ASSERT_TRUE(db_->Write([&](db::Connection& tx) -> Status {
    auto r = service_.RegisterIn(tx, in, kActor);
    if (!r) return Fail(r.error());
    id = *r;
    return {};
  }));
  auto h = service_.Get(kCounty, id);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->inspection_id, 42);
  EXPECT_EQ(h->item_code, "fire-01");
  EXPECT_EQ(h->found_by, "inspector");
}

TEST_F(HazardServiceTest, TheDemoSeedsOnceWithAnEscalatedAndAnOutOfUseHazard) {
  int photos_asked = 0;
  auto photo = [&]() -> Result<std::string> {
    ++photos_asked;
    return kPhoto;
  };
  auto n = service_.SeedDemo(photo);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_GE(*n, 5);
  EXPECT_EQ(*service_.SeedDemo(photo), 0);
  EXPECT_EQ(photos_asked, 1);
  auto d = service_.GetDashboard(kCounty, "410105");
  EXPECT_EQ(d->unit.closed, 1);
  EXPECT_GE(d->unit.out_of_use, 1);
  EXPECT_GE(d->unit.overdue, 1);
  EXPECT_GE(d->escalated.size(), 1u);
}

}  // namespace
}  // namespace xiaoan::hazards
