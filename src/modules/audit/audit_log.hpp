// The audit log service: appends chained records inside the caller's write transaction, searches
// and verifies them, and purges past the retention period. Thread-safe (holds no mutable state).
#pragma once

#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "modules/audit/audit.hpp"
#include "platform/db/database.hpp"

namespace xiaoan::audit {

struct SearchFilter {
  std::string from, to;  // RFC 3339 bounds: from `from` on, before `to` ("" = open)
  std::string username, action_prefix, outcome;
  int64_t page = 1, page_size = 50;
};

struct SearchPage {
  std::vector<Record> items;
  int64_t total = 0;
};

class AuditLog {
 public:
  // `algorithm` must have passed CheckAlgorithm.
  AuditLog(std::string algorithm, const Clock& clock) : algorithm_(std::move(algorithm)), clock_(clock) {}

  // Appends `entry` in the transaction of `tx` (the writer's); it commits or rolls back with the
  // change it describes.
  [[nodiscard]] Status Append(db::Connection& tx, const Entry& entry) const;
  // Appends a record of its own (a denied request, a sensitive read) and waits until it is durable.
  [[nodiscard]] Status AppendDurable(db::Database& db, const Entry& entry) const;
  // Records that `actor` read a sensitive record (a named student's health or bullying file):
  // action "read.<kind>", outcome success. Later modules call it from their read paths.
  [[nodiscard]] Status RecordSensitiveRead(db::Database& db, const Actor& actor, const std::string& kind,
                                           const std::string& target, const std::string& summary) const;
  [[nodiscard]] Result<SearchPage> Search(db::Database& db, const SearchFilter& filter) const;
  // Walks the whole chain. kUnavailable if the store cannot be read.
  [[nodiscard]] Result<VerifyReport> Verify(db::Database& db) const;
  // Deletes records older than `retention_days` (at least 183, the level-3 minimum), keeping the
  // chain verifiable through an anchor, and records the purge itself. Answers rows deleted.
  [[nodiscard]] Result<int64_t> Purge(db::Database& db, int retention_days, const Actor& actor) const;

 private:
  std::string algorithm_;
  const Clock& clock_;
};

[[nodiscard]] Actor SystemActor(std::string what);

}  // namespace xiaoan::audit
