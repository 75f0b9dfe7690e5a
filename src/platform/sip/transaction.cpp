#include "platform/sip/transaction.hpp"

#include <cstdio>
#include <ctime>

namespace xiaoan::sip {

Message MakeResponse(const Message& request, int status, std::string_view reason, const Peer& source,
                     std::string_view to_tag) {
  Message r;
  r.is_request = false;
  r.status = status;
  r.reason = std::string(reason);
  const std::vector<std::string> vias = request.FindAll("Via");
  for (size_t i = 0; i < vias.size(); ++i) {
    std::string value = vias[i];
    if (i == 0) {
      if (auto via = ParseVia(value)) {
        std::erase_if(via->params, [](const auto& p) { return p.first == "received"; });
        bool asked_rport = false;
        for (auto& [k, v] : via->params)
          if (k == "rport") {
            v = std::to_string(source.port);
            asked_rport = true;
          }
        if (asked_rport || via->host != source.address) via->params.emplace_back("received", source.address);
        value = FormatVia(*via);
      }
    }
    r.Add("Via", std::move(value));
  }
  if (const auto* from = request.Find("From")) r.Add("From", *from);
  if (const auto* to = request.Find("To")) {
    std::string value = *to;
    auto na = ParseNameAddr(value);
    if (na && FindParam(na->params, "tag") == nullptr && !to_tag.empty()) value += ";tag=" + std::string(to_tag);
    r.Add("To", std::move(value));
  }
  if (const auto* id = request.Find("Call-ID")) r.Add("Call-ID", *id);
  if (const auto* cseq = request.Find("CSeq")) r.Add("CSeq", *cseq);
  return r;
}

std::string FormatGbDate(TimePoint t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  const int64_t local_ms = ms + int64_t{8} * 3600 * 1000;  // Asia/Shanghai has no daylight saving
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(local_ms)));
  const year_month_day ymd(day);
  const int64_t in_day = local_ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
  const int ms_of_day = static_cast<int>(in_day);  // 0 .. 86,399,999
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), ms_of_day / 3600000,
                ms_of_day / 60000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
  return buf;
}

std::string ServerTransactions::Key(const Message& request) {
  const auto vias = request.FindAll("Via");
  const auto* cseq_value = request.Find("CSeq");
  const auto* call_id = request.Find("Call-ID");
  if (vias.empty() || cseq_value == nullptr || call_id == nullptr) return {};
  auto via = ParseVia(vias.front());
  auto cseq = ParseCSeq(*cseq_value);
  if (!via || !cseq) return {};
  // Branches without the RFC 3261 magic cookie are not unique on their own; the CSeq number and
  // Call-ID make the key unique for RFC 2543 peers too.
  return via->Branch() + '|' + via->host + ':' + std::to_string(via->port) + '|' + cseq->method + '|' +
         std::to_string(cseq->number) + '|' + *call_id;
}

const std::string* ServerTransactions::Find(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second.first;
}

void ServerTransactions::Remember(const std::string& key, std::string response, SteadyTime now) {
  if (key.empty()) return;
  entries_[key] = {std::move(response), now};
}

void ServerTransactions::Expire(SteadyTime now) {
  std::erase_if(entries_, [&](const auto& e) { return now - e.second.second >= keep_; });
}

void ClientTransactions::Start(std::string branch, std::string bytes, Peer peer, SteadyTime now, Done done) {
  Pending p{std::move(bytes), std::move(peer), now + timers_.t1, now + timers_.timer_f, timers_.t1, std::move(done)};
  pending_[std::move(branch)] = std::move(p);
}

bool ClientTransactions::OnResponse(const Message& response) {
  const auto vias = response.FindAll("Via");
  if (vias.empty()) return false;
  auto via = ParseVia(vias.front());
  if (!via) return false;
  auto it = pending_.find(via->Branch());
  if (it == pending_.end()) return false;
  if (response.status < 200) {
    it->second.interval = timers_.t2;  // RFC 3261 §17.1.2.2: proceeding, retransmit at T2
    return true;
  }
  Done done = std::move(it->second.done);
  pending_.erase(it);
  if (done) done(response.status);
  return true;
}

std::vector<ClientTransactions::Resend> ClientTransactions::Tick(SteadyTime now) {
  std::vector<Resend> out;
  std::vector<Done> timed_out;
  for (auto it = pending_.begin(); it != pending_.end();) {
    Pending& p = it->second;
    if (now >= p.deadline) {
      timed_out.push_back(std::move(p.done));
      it = pending_.erase(it);
      continue;
    }
    if (!p.peer.reliable() && now >= p.next) {
      out.push_back({p.peer, p.bytes});
      p.interval = std::min(p.interval * 2, timers_.t2);
      p.next = now + p.interval;
    }
    ++it;
  }
  for (auto& done : timed_out)
    if (done) done(408);
  return out;
}

}  // namespace xiaoan::sip
