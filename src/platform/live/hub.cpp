#include "platform/live/hub.hpp"

#include <condition_variable>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

namespace xiaoan::live {

struct Hub::Event {
  uint64_t seq;
  std::string org_path;
  TimePoint at;
  std::shared_ptr<const std::string> message;
};

// One subscriber. Messages are appended to `pending` under the hub's lock, in seq order; one
// thread at a time (the drainer) hands them to `deliver` outside every lock but its own turn.
struct Subscription::State {
  State(Scope s, Deliver d) : scope(std::move(s)), deliver(std::move(d)) {}
  const Scope scope;
  const Deliver deliver;
  std::mutex mu;
  std::condition_variable idle;
  std::vector<std::shared_ptr<const std::string>> pending;  // guarded by mu
  bool draining = false;                                    // guarded by mu
  bool closed = false;                                      // guarded by mu
  std::thread::id drainer;                                  // guarded by mu: valid while draining

  // Queues `message`. Called under the hub's lock, so messages queue in seq order.
  void Queue(std::shared_ptr<const std::string> message) {
    std::lock_guard lock(mu);
    if (!closed) pending.push_back(std::move(message));
  }

  // Delivers until nothing is pending, unless another thread is already doing so (it then
  // delivers what this thread queued too). A publisher never waits for another's delivery, and a
  // Deliver that blocks holds up only its own subscriber.
  void TryDrain() {
    {
      std::lock_guard lock(mu);
      if (draining || closed || pending.empty()) return;
      draining = true;
      drainer = std::this_thread::get_id();
    }
    std::vector<std::shared_ptr<const std::string>> batch;
    for (;;) {
      {
        std::lock_guard lock(mu);
        if (pending.empty() || closed) {
          draining = false;
          pending.clear();
          idle.notify_all();
          return;
        }
        batch.swap(pending);
      }
      for (const auto& message : batch) {
        {
          std::lock_guard lock(mu);
          if (closed) break;
        }
        deliver(*message);
      }
      batch.clear();
    }
  }
};

namespace {

uint64_t MicrosSinceEpoch(const Clock& clock) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(clock.Now().time_since_epoch()).count());
}

std::shared_ptr<const std::string> Control(const char* type, uint64_t seq) {
  return std::make_shared<const std::string>(nlohmann::ordered_json{{"type", type}, {"seq", seq}}.dump());
}

}  // namespace

Subscription::~Subscription() { hub_.Unsubscribe(state_); }

Hub::Hub(HubOptions options, const Clock& clock)
    : options_(options),
      clock_(clock),
      next_seq_(options.first_seq != 0 ? options.first_seq : MicrosSinceEpoch(clock)),
      floor_(next_seq_ - 1) {}

Hub::~Hub() = default;

uint64_t Hub::Publish(std::string org_path, std::string type, std::string data_json) {
  auto data = nlohmann::ordered_json::parse(data_json, nullptr, false);
  if (!data.is_object()) throw std::invalid_argument("live::Hub::Publish: data_json is not a JSON object");
  const TimePoint at = clock_.Now();
  // The message without its seq, built outside the lock; the seq is put in front under it.
  const std::string body = nlohmann::ordered_json{
      {"type", std::move(type)},
      {"org_path", org_path},
      {"at", FormatRfc3339(at)},
      {"data",
       std::move(data)}}.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::vector<std::shared_ptr<Subscription::State>> to_drain;
  uint64_t seq = 0;
  {
    std::lock_guard lock(mu_);
    seq = next_seq_++;
    auto event = std::make_shared<Event>();
    event->seq = seq;
    event->org_path = std::move(org_path);
    event->at = at;
    event->message = std::make_shared<const std::string>("{\"seq\":" + std::to_string(seq) + "," + body.substr(1));
    for (const auto& s : subscribers_)
      if (s->scope.Contains(event->org_path)) {
        s->Queue(event->message);
        to_drain.push_back(s);
      }
    events_.push_back(std::move(event));
    published_++;
    Prune(at);
  }
  for (const auto& s : to_drain) s->TryDrain();
  return seq;
}

std::unique_ptr<Subscription> Hub::Subscribe(Scope scope, std::optional<uint64_t> since, Deliver deliver) {
  auto state = std::make_shared<Subscription::State>(std::move(scope), std::move(deliver));
  {
    std::lock_guard lock(mu_);
    Prune(clock_.Now());
    const uint64_t current = next_seq_ - 1;
    state->Queue(Control("hello", current));
    if (since && (*since < floor_ || *since > current)) {
      state->Queue(Control("reset", current));
    } else if (since) {
      // Seqs are contiguous, so the first event after `since` sits at a known index.
      for (size_t i = *since - floor_; i < events_.size(); ++i)
        if (state->scope.Contains(events_[i]->org_path)) state->Queue(events_[i]->message);
    }
    subscribers_.push_back(state);
  }
  state->TryDrain();
  return std::unique_ptr<Subscription>(new Subscription(*this, std::move(state)));
}

void Hub::Unsubscribe(const std::shared_ptr<Subscription::State>& state) {
  {
    std::lock_guard lock(mu_);
    std::erase(subscribers_, state);
  }
  std::unique_lock lock(state->mu);
  state->closed = true;
  // Wait for a delivery in progress on another thread; from inside Deliver, just stop after it.
  if (state->draining && state->drainer != std::this_thread::get_id())
    state->idle.wait(lock, [&] { return !state->draining; });
}

void Hub::Prune(TimePoint now) {
  const TimePoint oldest = now - options_.retain_for;
  while (!events_.empty() && (events_.size() > options_.retain_events || events_.front()->at < oldest)) {
    floor_ = events_.front()->seq;
    events_.pop_front();
  }
}

HubStats Hub::Stats() const {
  std::lock_guard lock(mu_);
  return {next_seq_ - 1, published_, events_.size(), subscribers_.size()};
}

}  // namespace xiaoan::live
