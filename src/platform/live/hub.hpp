// Live push: events that modules publish (an alarm raised, acknowledged, escalated, ...) fanned
// out to every console whose jurisdiction contains the event's org unit, with a bounded backlog
// so that a console that lost its connection catches up on what it missed.
//
// One Hub per process, owned by the App. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/scope.hpp"

namespace xiaoan::live {

struct HubOptions {
  size_t retain_events = 10000;       // the newest events kept for catch-up
  std::chrono::hours retain_for{24};  // and none older than this
  // The seq of the first event. 0 = the clock's microseconds since the Unix epoch at
  // construction: seqs then grow across restarts too, so a console that comes back with a seq
  // from an earlier run is told to reload instead of silently missing events.
  uint64_t first_seq = 0;
};

struct HubStats {
  uint64_t current_seq = 0;  // the seq of the newest event (first_seq - 1 before any)
  uint64_t published = 0;    // events published since start
  size_t retained = 0;       // events kept for catch-up
  size_t subscribers = 0;
};

// Receives a subscriber's wire messages (one JSON text each), in order and never two at once.
// It may run on the publisher's thread, so it must not block: queue the text (WsChannel::Send).
using Deliver = std::function<void(const std::string& message)>;

class Hub;

// A subscription; destroying it unsubscribes. Once the destructor returns, its Deliver is not
// called again (a destructor run from inside that Deliver lets the current call finish).
class Subscription {
 public:
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  struct State;

 private:
  friend class Hub;
  Subscription(Hub& hub, std::shared_ptr<State> state) : hub_(hub), state_(std::move(state)) {}
  Hub& hub_;
  std::shared_ptr<State> state_;
};

// Wire messages (docs/architecture.md, "Live push"):
//   {"type":"hello","seq":N}    first, N = the newest seq now
//   {"type":"reset","seq":N}    the catch-up asked for is no longer possible: reload via REST
//   {"seq":N,"type":"alarm.raised","org_path":"/410000/.../","at":"RFC 3339","data":{...}}
class Hub {
 public:
  explicit Hub(HubOptions options = {}, const Clock& clock = Clock::System());
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Publishes an event of `type` (e.g. "alarm.raised") about the org unit at `org_path` (its
  // materialised path, "/410000/410100/410105/9410105001/"); `data_json` is a JSON object that
  // goes to the consoles as the message's "data". Answers the event's seq, one more than the
  // previous event's. Every subscriber whose scope contains `org_path` has been handed the message
  // when Publish returns; no lock is held while Deliver runs, and one slow subscriber delays
  // no other. Throws std::invalid_argument when `data_json` is not a JSON object (a caller's bug).
  uint64_t Publish(std::string org_path, std::string type, std::string data_json);

  // Subscribes `deliver` to the events whose org_path `scope` contains. It first gets hello; with
  // `since` (a seq the subscriber has seen), then the retained events after it — or one reset
  // when some of them are no longer retained or `since` is not a seq of this run; then each new
  // event as it is published. The first messages are delivered before Subscribe returns (or, if
  // a publisher is delivering to the new subscriber at that moment, by that publisher).
  [[nodiscard]] std::unique_ptr<Subscription> Subscribe(Scope scope, std::optional<uint64_t> since, Deliver deliver);

  [[nodiscard]] HubStats Stats() const;

 private:
  friend class Subscription;
  struct Event;
  void Unsubscribe(const std::shared_ptr<Subscription::State>& state);
  // Drops events beyond the count and age limits. Needs mu_.
  void Prune(TimePoint now);

  const HubOptions options_;
  const Clock& clock_;
  mutable std::mutex mu_;
  uint64_t next_seq_;                                // guarded by mu_
  uint64_t floor_;                                   // guarded by mu_: events up to this seq are no longer retained
  uint64_t published_ = 0;                           // guarded by mu_
  std::deque<std::shared_ptr<const Event>> events_;  // guarded by mu_: oldest first, seqs contiguous
  std::vector<std::shared_ptr<Subscription::State>> subscribers_;  // guarded by mu_
};

}  // namespace xiaoan::live
