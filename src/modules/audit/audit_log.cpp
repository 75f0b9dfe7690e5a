#include "modules/audit/audit_log.hpp"

#include <any>

#include "modules/audit/audit_chain.hpp"
#include "xiaoan_audit_sql.hpp"

namespace xiaoan::audit {
namespace q = xiaoan::audit::sql;

Actor SystemActor(std::string what) { return Actor{std::nullopt, std::move(what), "system", "", ""}; }

namespace {
// The chain's last record, noted on the transaction that appended it (db::Connection::Note).
struct ChainHead {
  int64_t id = 0;
  std::string hash;
};
constexpr std::string_view kHeadNote = "audit.chain_head";

Record FromRow(const db::Row& row) {
  Record r;
  r.id = row.Int(0);
  r.at = row.Text(1);
  if (!row.IsNull(2)) r.user_id = row.Int(2);
  r.username = row.Text(3);
  r.role = row.Text(4);
  r.org_code = row.Text(5);
  r.action = row.Text(6);
  r.target = row.Text(7);
  r.outcome = row.Text(8);
  r.request_id = row.Text(9);
  r.summary = row.Text(10);
  r.algorithm = row.Text(11);
  r.prev_hash = row.Text(12);
  r.hash = row.Text(13);
  return r;
}
}  // namespace

Status AuditLog::Append(db::Connection& tx, const Entry& entry) const {
  Record r;
  // The chain's head: noted on the transaction by its last append (most writes are jobs of a batch
  // that shares one transaction), else read. Only appends move the head: a purge anchors the chain
  // at the last record it deletes, so the next record follows the same id and hash either way.
  if (const std::any* note = tx.Note(kHeadNote); note != nullptr) {
    const auto& head = std::any_cast<const ChainHead&>(*note);
    r.id = head.id + 1;
    r.prev_hash = head.hash;
  } else if (auto last = tx.QueryOne(q::kLastRecord, {}); !last) {
    return Fail(last.error());
  } else if (*last) {
    r.id = (*last)->Int(0) + 1;
    r.prev_hash = (*last)->Text(1);
  } else {
    auto anchor = tx.QueryOne(q::kAnchor, {});
    if (!anchor) return Fail(anchor.error());
    r.id = *anchor ? (*anchor)->Int(0) + 1 : 1;
    r.prev_hash = *anchor ? (*anchor)->Text(1) : "";
  }
  r.at = FormatRfc3339(clock_.Now());
  r.user_id = entry.actor.user_id;
  r.username = entry.actor.username;
  r.role = entry.actor.role;
  r.org_code = entry.actor.org_code;
  r.action = entry.action;
  r.target = entry.target;
  r.outcome = OutcomeName(entry.outcome);
  r.request_id = entry.actor.request_id;
  r.summary = entry.summary;
  r.algorithm = algorithm_;
  r.hash = HashRecord(r);
  db::Value user = r.user_id ? db::Value(*r.user_id) : db::Value(nullptr);
  ChainHead head{r.id, r.hash};
  // The record is not needed after this: its texts move into the parameters.
  auto inserted = tx.Execute(
      q::kInsertRecord, db::ParamsOf(r.id, std::move(r.at), std::move(user), std::move(r.username), std::move(r.role),
                                     std::move(r.org_code), std::move(r.action), std::move(r.target),
                                     std::move(r.outcome), std::move(r.request_id), std::move(r.summary),
                                     std::move(r.algorithm), std::move(r.prev_hash), std::move(r.hash)));
  if (!inserted) return Fail(inserted.error());
  tx.SetNote(kHeadNote, std::move(head));
  return {};
}

Status AuditLog::AppendDurable(db::Database& db, const Entry& entry) const {
  return db.Write([this, entry](db::Connection& tx) { return Append(tx, entry); });
}

Status AuditLog::RecordSensitiveRead(db::Database& db, const Actor& actor, const std::string& kind,
                                     const std::string& target, const std::string& summary) const {
  return AppendDurable(db, Entry{actor, "read." + kind, target, Outcome::kSuccess, summary});
}

Result<SearchPage> AuditLog::Search(db::Database& db, const SearchFilter& f) const {
  SearchPage page;
  auto status = db.Read([&](db::Connection& c) -> Status {
    db::Params params{f.from, f.to, f.username, f.action_prefix, f.outcome};
    auto count = c.QueryOne(q::kSearchCount, params);
    if (!count) return Fail(count.error());
    page.total = (*count)->Int(0);
    params.emplace_back(f.page_size);
    params.emplace_back((f.page - 1) * f.page_size);
    auto rows = c.Query(q::kSearch, params);
    if (!rows) return Fail(rows.error());
    for (const auto& row : *rows) page.items.push_back(FromRow(row));
    return {};
  });
  if (!status) return Fail(status.error());
  return page;
}

Result<VerifyReport> AuditLog::Verify(db::Database& db) const {
  VerifyReport total;
  auto status = db.Read([&](db::Connection& c) -> Status {
    auto anchor = c.QueryOne(q::kAnchor, {});
    if (!anchor) return Fail(anchor.error());
    int64_t after = *anchor ? (*anchor)->Int(0) : 0;
    std::string prev = *anchor ? (*anchor)->Text(1) : "";
    constexpr int64_t kChunk = 5000;
    for (;;) {
      auto rows = c.Query(q::kRecordsFrom, {after, kChunk});
      if (!rows) return Fail(rows.error());
      if (rows->empty()) return {};
      std::vector<audit::Record> records;
      records.reserve(rows->size());
      for (const auto& row : *rows) records.push_back(FromRow(row));
      VerifyReport part = VerifyChain(records, after, prev);
      total.checked += part.checked;
      if (!part.ok) {
        total.ok = false;
        total.first_bad_id = part.first_bad_id;
        total.reason = part.reason;
        return {};
      }
      after = records.back().id;
      prev = records.back().hash;
    }
  });
  if (!status) return Fail(status.error());
  return total;
}

Result<int64_t> AuditLog::Purge(db::Database& db, int retention_days, const Actor& actor) const {
  if (retention_days < 183) return Fail(Error::Invalid("audit_retention_days", "At least 183 days (6 months)."));
  const std::string cutoff = FormatRfc3339(clock_.Now() - std::chrono::hours(24) * retention_days);
  int64_t deleted = 0;
  auto status = db.Write([&](db::Connection& tx) -> Status {
    auto last = tx.QueryOne(q::kLastBefore, {cutoff});
    if (!last) return Fail(last.error());
    if (!*last) return {};
    const int64_t last_id = (*last)->Int(0);
    const std::string last_hash = (*last)->Text(1);
    if (auto s = tx.Execute(q::kGrantPurge, {}); !s) return Fail(s.error());
    auto n = tx.Execute(q::kDeleteThrough, {last_id});
    if (!n) return Fail(n.error());
    deleted = *n;
    if (auto s = tx.Execute(q::kRevokePurge, {}); !s) return Fail(s.error());
    if (auto s = tx.Execute(q::kSetAnchor, {last_id, last_hash}); !s) return Fail(s.error());
    return Append(tx, Entry{actor, "audit.purge", "audit_log", Outcome::kSuccess,
                            "deleted " + std::to_string(deleted) + " records through id " + std::to_string(last_id) +
                                " (older than " + std::to_string(retention_days) + " days)"});
  });
  if (!status) return Fail(status.error());
  return deleted;
}

}  // namespace xiaoan::audit
