// Responses and transactions (RFC 3261 §8.2.6, §17): building a response from a request, the
// server transaction cache that replays final responses to retransmitted requests, and client
// transactions for the requests the platform sends (non-INVITE: UDP retransmission from T1 =
// 500 ms doubling to T2 = 4 s, Timer F = 32 s). Single-threaded: used from the transport's I/O thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "platform/sip/peer.hpp"
#include "platform/sip/sip_message.hpp"

namespace xiaoan::sip {

using SteadyTime = std::chrono::steady_clock::time_point;

// A response to `request`: all Via copied (the top one gets received= and, when it asked with
// rport, rport=, from `source`; RFC 3581), From, To (with `to_tag` added when it has none, so a
// response never lacks a To tag), Call-ID, CSeq. The caller adds the rest.
[[nodiscard]] Message MakeResponse(const Message& request, int status, std::string_view reason, const Peer& source,
                                   std::string_view to_tag);

// "2026-11-28T20:09:11.123": the Date a GB/T 28181 device sets its clock from (2016 §9.10),
// Beijing time whatever the server's time zone.
[[nodiscard]] std::string FormatGbDate(TimePoint t);

// Final responses by transaction (top Via branch, CSeq method, Call-ID), kept for Timer J (32 s).
class ServerTransactions {
 public:
  explicit ServerTransactions(std::chrono::milliseconds keep = std::chrono::seconds(32)) : keep_(keep) {}
  // The key of a request's transaction; empty when the request has no usable Via or CSeq.
  [[nodiscard]] static std::string Key(const Message& request);
  // The final response already sent in this transaction, if any.
  [[nodiscard]] const std::string* Find(const std::string& key) const;
  void Remember(const std::string& key, std::string response, SteadyTime now);
  // Forgets responses older than the keep time.
  void Expire(SteadyTime now);
  [[nodiscard]] size_t size() const { return entries_.size(); }

 private:
  std::chrono::milliseconds keep_;
  std::map<std::string, std::pair<std::string, SteadyTime>> entries_;
};

struct RetransmitTimers {
  std::chrono::milliseconds t1{500}, t2{4000}, timer_f{32000};
};

// Outgoing non-INVITE requests awaiting their final response.
class ClientTransactions {
 public:
  // Called once with the final status, or 408 when Timer F fires first.
  using Done = std::function<void(int status)>;
  explicit ClientTransactions(RetransmitTimers timers = {}) : timers_(timers) {}

  // Tracks a request already sent once to `peer`; `branch` is its top Via branch.
  void Start(std::string branch, std::string bytes, Peer peer, SteadyTime now, Done done);
  // Feeds a response; true when it belonged to a pending transaction.
  bool OnResponse(const Message& response);
  struct Resend {
    Peer peer;
    std::string bytes;
  };
  // Advances the timers: what must be sent again now (UDP only). Timed-out transactions get 408.
  [[nodiscard]] std::vector<Resend> Tick(SteadyTime now);
  [[nodiscard]] size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    std::string bytes;
    Peer peer;
    SteadyTime next, deadline;
    std::chrono::milliseconds interval;
    Done done;
  };
  RetransmitTimers timers_;
  std::map<std::string, Pending> pending_;
};

}  // namespace xiaoan::sip
