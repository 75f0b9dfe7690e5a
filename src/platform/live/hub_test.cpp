#include "platform/live/hub.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

namespace xiaoan::live {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string kJinshui = "/410000/410100/410105/";  // a county of Zhengzhou
const std::string kSchool = "/410000/410100/410105/9410105001/";
const std::string kLaocheng = "/410000/410300/410302/";  // a county of Luoyang
const std::string kProvince = "/410000/";

class ManualClock : public Clock {
 public:
  TimePoint Now() const override { return now_.load(); }
  void Advance(std::chrono::seconds d) { now_ = now_.load() + d; }

 private:
  std::atomic<TimePoint> now_{FromUnixSeconds(1'790'000'000)};
};

// A subscriber that keeps what it is given. Thread-safe.
class Inbox {
 public:
  Deliver Sink() {
    return [this](const std::string& m) {
      std::lock_guard lock(mu_);
      messages_.push_back(json::parse(m));
    };
  }
  std::vector<json> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  // The seqs of the events (not hello or reset), in arrival order.
  std::vector<uint64_t> EventSeqs() const {
    std::vector<uint64_t> out;
    for (const auto& m : messages())
      if (m.contains("org_path")) out.push_back(m["seq"]);
    return out;
  }
  std::vector<std::string> Types() const {
    std::vector<std::string> out;
    for (const auto& m : messages()) out.push_back(m["type"]);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<json> messages_;
};

HubOptions Options(size_t retain = 10000) {
  HubOptions o;
  o.retain_events = retain;
  o.first_seq = 1;
  return o;
}

TEST(LiveHub, SiblingCountiesDoNotSeeEachOthersEventsAndTheProvinceSeesAll) {
  ManualClock clock;
  Hub hub(Options(), clock);
  Inbox province, jinshui, laocheng, school;
  auto s1 = hub.Subscribe(Scope::ForPath(kProvince), std::nullopt, province.Sink());
  auto s2 = hub.Subscribe(Scope::ForPath(kJinshui), std::nullopt, jinshui.Sink());
  auto s3 = hub.Subscribe(Scope::ForPath(kLaocheng), std::nullopt, laocheng.Sink());
  auto s4 = hub.Subscribe(Scope::ForPath(kSchool), std::nullopt, school.Sink());
  const uint64_t a = hub.Publish(kSchool, "alarm.raised", R"({"alarm_id":1})");
  const uint64_t b = hub.Publish(kLaocheng + "9410302007/", "alarm.raised", R"({"alarm_id":2})");
  const uint64_t c = hub.Publish(kJinshui, "alarm.escalated", R"({"alarm_id":1})");
  EXPECT_EQ(province.EventSeqs(), (std::vector<uint64_t>{a, b, c}));
  EXPECT_EQ(jinshui.EventSeqs(), (std::vector<uint64_t>{a, c}));
  EXPECT_EQ(laocheng.EventSeqs(), (std::vector<uint64_t>{b}));
  // A school sees its own events, not its county's.
  EXPECT_EQ(school.EventSeqs(), (std::vector<uint64_t>{a}));
}

TEST(LiveHub, APrefixOfACodeIsNotAnAncestor) {
  Hub hub(Options());
  Inbox county;
  auto s = hub.Subscribe(Scope::ForPath("/410000/410100/41010/"), std::nullopt, county.Sink());
  hub.Publish(kSchool, "alarm.raised", "{}");
  EXPECT_TRUE(county.EventSeqs().empty());
}

TEST(LiveHub, MessagesFollowTheWireFormat) {
  ManualClock clock;
  Hub hub(Options(), clock);
  hub.Publish(kSchool, "alarm.raised", "{}");
  Inbox inbox;
  auto s = hub.Subscribe(Scope::ForPath(kJinshui), std::nullopt, inbox.Sink());
  EXPECT_EQ(inbox.messages(), (std::vector<json>{{{"type", "hello"}, {"seq", 1}}}));
  const uint64_t seq = hub.Publish(kSchool, "alarm.raised", R"({"alarm_id":7,"name":"金水区第1小学"})");
  EXPECT_EQ(seq, 2u);
  ASSERT_EQ(inbox.messages().size(), 2u);
  EXPECT_EQ(inbox.messages()[1], json({{"seq", 2},
                                       {"type", "alarm.raised"},
                                       {"org_path", kSchool},
                                       {"at", FormatRfc3339(clock.Now())},
                                       {"data", {{"alarm_id", 7}, {"name", "金水区第1小学"}}}}));
}

TEST(LiveHub, DataThatIsNotAJsonObjectIsACallersBug) {
  Hub hub(Options());
  EXPECT_THROW(hub.Publish(kSchool, "alarm.raised", "[1]"), std::invalid_argument);
  EXPECT_THROW(hub.Publish(kSchool, "alarm.raised", "{broken"), std::invalid_argument);
  EXPECT_EQ(hub.Stats().published, 0u);
}

TEST(LiveHub, ASubscriberCatchesUpOnTheEventsAfterItsSeqInItsScope) {
  Hub hub(Options());
  const uint64_t a = hub.Publish(kSchool, "alarm.raised", "{}");
  const uint64_t b = hub.Publish(kSchool, "alarm.acknowledged", "{}");
  hub.Publish(kLaocheng, "alarm.raised", "{}");
  const uint64_t d = hub.Publish(kJinshui, "alarm.escalated", "{}");
  Inbox inbox;
  auto s = hub.Subscribe(Scope::ForPath(kJinshui), a, inbox.Sink());
  EXPECT_EQ(inbox.Types(), (std::vector<std::string>{"hello", "alarm.acknowledged", "alarm.escalated"}));
  EXPECT_EQ(inbox.EventSeqs(), (std::vector<uint64_t>{b, d}));
  EXPECT_EQ(inbox.messages()[0]["seq"], d);
  const uint64_t e = hub.Publish(kSchool, "alarm.closed", "{}");
  EXPECT_EQ(inbox.EventSeqs(), (std::vector<uint64_t>{b, d, e}));
}

TEST(LiveHub, ASubscriberThatIsUpToDateGetsOnlyHello) {
  Hub hub(Options());
  const uint64_t a = hub.Publish(kSchool, "alarm.raised", "{}");
  Inbox inbox;
  auto s = hub.Subscribe(Scope::ForPath(kProvince), a, inbox.Sink());
  EXPECT_EQ(inbox.Types(), (std::vector<std::string>{"hello"}));
}

TEST(LiveHub, ASeqOlderThanTheRetainedEventsGetsOneReset) {
  Hub hub(Options(3));
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 5; ++i) seqs.push_back(hub.Publish(kSchool, "alarm.raised", "{}"));
  EXPECT_EQ(hub.Stats().retained, 3u);
  // Events 3, 4 and 5 are kept: after 2 nothing was lost, after 1 event 2 was.
  Inbox ok, lost;
  auto s1 = hub.Subscribe(Scope::ForPath(kProvince), seqs[1], ok.Sink());
  auto s2 = hub.Subscribe(Scope::ForPath(kProvince), seqs[0], lost.Sink());
  EXPECT_EQ(ok.EventSeqs(), (std::vector<uint64_t>{seqs[2], seqs[3], seqs[4]}));
  EXPECT_EQ(lost.Types(), (std::vector<std::string>{"hello", "reset"}));
  EXPECT_EQ(lost.messages()[1]["seq"], seqs[4]);
  // After the reset, new events flow as usual.
  const uint64_t next = hub.Publish(kSchool, "alarm.raised", "{}");
  EXPECT_EQ(lost.EventSeqs(), (std::vector<uint64_t>{next}));
}

TEST(LiveHub, EventsOlderThanTheRetentionTimeAreNotReplayed) {
  ManualClock clock;
  HubOptions options = Options();
  options.retain_for = std::chrono::hours(24);
  Hub hub(options, clock);
  const uint64_t a = hub.Publish(kSchool, "alarm.raised", "{}");
  const uint64_t b = hub.Publish(kSchool, "alarm.raised", "{}");
  clock.Advance(std::chrono::hours(23));
  Inbox within;
  auto s1 = hub.Subscribe(Scope::ForPath(kProvince), a, within.Sink());
  EXPECT_EQ(within.EventSeqs(), (std::vector<uint64_t>{b}));
  clock.Advance(std::chrono::hours(1) + std::chrono::seconds(1));
  Inbox late;
  auto s2 = hub.Subscribe(Scope::ForPath(kProvince), a, late.Sink());
  EXPECT_EQ(late.Types(), (std::vector<std::string>{"hello", "reset"}));
  EXPECT_EQ(hub.Stats().retained, 0u);
  // Up to date with the newest event (b), nothing was lost even though nothing is retained.
  Inbox current;
  auto s3 = hub.Subscribe(Scope::ForPath(kProvince), b, current.Sink());
  EXPECT_EQ(current.Types(), (std::vector<std::string>{"hello"}));
}

TEST(LiveHub, ASeqFromAnEarlierRunGetsAReset) {
  ManualClock clock;
  Hub earlier(HubOptions{}, clock);
  const uint64_t seen = earlier.Publish(kSchool, "alarm.raised", "{}");
  clock.Advance(std::chrono::seconds(60));
  Hub restarted(HubOptions{}, clock);  // default first seq: from the clock
  restarted.Publish(kSchool, "alarm.raised", "{}");
  EXPECT_GT(restarted.Stats().current_seq, seen);
  Inbox inbox;
  auto s = restarted.Subscribe(Scope::ForPath(kProvince), seen, inbox.Sink());
  EXPECT_EQ(inbox.Types(), (std::vector<std::string>{"hello", "reset"}));
  // A seq ahead of this run (the clock went back) is answered with a reset too.
  Inbox ahead;
  auto s2 = restarted.Subscribe(Scope::ForPath(kProvince), restarted.Stats().current_seq + 5, ahead.Sink());
  EXPECT_EQ(ahead.Types(), (std::vector<std::string>{"hello", "reset"}));
}

TEST(LiveHub, NothingIsDeliveredAfterUnsubscribing) {
  Hub hub(Options());
  Inbox inbox;
  auto s = hub.Subscribe(Scope::ForPath(kProvince), std::nullopt, inbox.Sink());
  hub.Publish(kSchool, "alarm.raised", "{}");
  s.reset();
  hub.Publish(kSchool, "alarm.raised", "{}");
  EXPECT_EQ(inbox.EventSeqs().size(), 1u);
  EXPECT_EQ(hub.Stats().subscribers, 0u);
}

TEST(LiveHub, ASubscriberStuckInDeliveryDelaysNoOtherSubscriberOrPublisher) {
  Hub hub(Options());
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> stuck_calls{0};
  auto stuck = hub.Subscribe(Scope::ForPath(kProvince), std::nullopt, [&](const std::string& m) {
    if (json::parse(m).contains("org_path")) {
      stuck_calls++;
      released.wait();
    }
  });
  Inbox other;
  auto s = hub.Subscribe(Scope::ForPath(kJinshui), std::nullopt, other.Sink());
  // The first publisher delivers to the stuck subscriber and stays there.
  auto first = std::async(std::launch::async, [&] { return hub.Publish(kSchool, "alarm.raised", "{}"); });
  while (stuck_calls == 0) std::this_thread::sleep_for(1ms);
  // Others publish and are delivered meanwhile.
  std::vector<uint64_t> later;
  for (int i = 0; i < 20; ++i) later.push_back(hub.Publish(kSchool, "alarm.raised", "{}"));
  auto seqs = other.EventSeqs();
  ASSERT_EQ(seqs.size(), 21u);
  EXPECT_TRUE(std::equal(later.begin(), later.end(), seqs.end() - 20));
  EXPECT_EQ(stuck_calls, 1);
  release.set_value();
  first.get();
  // The stuck subscriber then gets the rest, in order, from the thread that was stuck.
  EXPECT_EQ(stuck_calls, 21);
}

TEST(LiveHub, ConcurrentPublishersReachEachSubscriberInSeqOrder) {
  Hub hub(Options(100000));
  const std::vector<std::string> paths = {kSchool, kJinshui, kLaocheng + "9410302007/", "/410000/410100/"};
  Inbox province, jinshui, laocheng;
  auto s1 = hub.Subscribe(Scope::ForPath(kProvince), std::nullopt, province.Sink());
  auto s2 = hub.Subscribe(Scope::ForPath(kJinshui), std::nullopt, jinshui.Sink());
  auto s3 = hub.Subscribe(Scope::ForPath(kLaocheng), std::nullopt, laocheng.Sink());
  constexpr int kThreads = 4, kEach = 500;
  std::mutex mu;
  std::map<uint64_t, std::string> published;  // seq → org path
  Inbox late;
  std::unique_ptr<Subscription> late_sub;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const auto& path = paths[(t + i) % paths.size()];
        const uint64_t seq = hub.Publish(path, "alarm.raised", R"({"i":)" + std::to_string(i) + "}");
        std::lock_guard lock(mu);
        published[seq] = path;
        // One console joins midway, catching up from an early seq.
        if (t == 0 && i == kEach / 2) late_sub = hub.Subscribe(Scope::ForPath(kJinshui), 10, late.Sink());
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(published.size(), size_t{kThreads * kEach});
  auto expect = [&](const Inbox& inbox, const std::string& scope, uint64_t after) {
    std::vector<uint64_t> want;
    for (const auto& [seq, path] : published)
      if (seq > after && path.starts_with(scope)) want.push_back(seq);
    EXPECT_EQ(inbox.EventSeqs(), want) << scope;
  };
  expect(province, kProvince, 0);
  expect(jinshui, kJinshui, 0);
  expect(laocheng, kLaocheng, 0);
  expect(late, kJinshui, 10);
}

}  // namespace
}  // namespace xiaoan::live
