// The store interface every module writes against. One implementation per engine (SQLite now,
// PostgreSQL to follow); nothing outside platform/db knows which engine runs.
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/error.hpp"
#include "platform/db/sql.hpp"

namespace xiaoan::db {

using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

// One result row. Accessors never throw: a NULL reads as 0 / "" and IsNull tells the difference.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  [[nodiscard]] bool IsNull(size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  [[nodiscard]] int64_t Int(size_t i) const;
  [[nodiscard]] double Real(size_t i) const;
  [[nodiscard]] std::string Text(size_t i) const;
  [[nodiscard]] std::optional<std::string> OptText(size_t i) const;
  [[nodiscard]] size_t size() const { return values_.size(); }

 private:
  std::vector<Value> values_;
};

using Params = std::vector<Value>;

// Parameters made in place: a braced list copies every value twice (into the list, then out of
// it into the vector), which for text is two allocations; this moves what it is given and copies
// the rest once. For the statements run on every request.
template <class... Args>
[[nodiscard]] Params ParamsOf(Args&&... args) {
  Params p;
  p.reserve(sizeof...(Args));
  (p.emplace_back(std::forward<Args>(args)), ...);
  return p;
}

// An optional value as a parameter: the value, or NULL.
[[nodiscard]] inline Value Opt(const std::optional<std::string>& s) { return s ? Value(*s) : Value(nullptr); }
[[nodiscard]] inline Value Opt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(nullptr); }

// A connection to the store. Not thread-safe: one thread uses it at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs `sql` with `params` ($1 = params[0]) and returns every row. kConflict on a uniqueness or
  // foreign-key violation, kUnavailable when the engine is busy or failing.
  [[nodiscard]] virtual Result<std::vector<Row>> Query(const Sql& sql, const Params& params) = 0;
  // Runs a statement that returns no rows; answers the number of rows changed.
  [[nodiscard]] virtual Result<int64_t> Execute(const Sql& sql, const Params& params) = 0;
  // Runs an INSERT of one row, without RETURNING, and answers the new row's INTEGER PRIMARY KEY
  // (kInternal when no row was inserted). Cheaper than InsertReturningId on SQLite, which gathers
  // RETURNING rows in a temporary table of their own; for the hot paths.
  [[nodiscard]] virtual Result<int64_t> InsertOne(const Sql& sql, const Params& params) = 0;
  // Runs a script of several statements without parameters (migrations).
  [[nodiscard]] virtual Status ExecuteScript(std::string_view script) = 0;
  // The first row, or nullopt when there is none.
  [[nodiscard]] Result<std::optional<Row>> QueryOne(const Sql& sql, const Params& params);
  // Runs an INSERT … RETURNING id and answers the id (kInternal when no row comes back).
  [[nodiscard]] Result<int64_t> InsertReturningId(const Sql& sql, const Params& params);
  // A note that a module keeps on the open transaction, for its later work in the same
  // transaction: the audit chain's head, which every write appends to and would otherwise read
  // again. Notes are dropped whenever the transaction ends or any of it is rolled back (to a
  // savepoint too), and none is kept outside a transaction, so a note read back describes the
  // rows as they stand. Keep in a note only what the changes made since it was set cannot alter.
  // Note answers the note under `key`, or nullptr.
  [[nodiscard]] virtual const std::any* Note(std::string_view key) = 0;
  virtual void SetNote(std::string_view key, std::any value) = 0;
};

// Work done inside the writer's transaction. Returning an error rolls back this work only.
using WriteWork = std::function<Status(Connection&)>;
// Told the outcome of a WriteAsync.
using WriteDone = std::move_only_function<void(Status)>;
// Runs a WriteAsync's `done` on a thread of the caller's choosing (e.g. queues it for the HTTP
// server's I/O threads). It must not run the function inline: it is called on the store's own threads.
using CompletionPost = std::function<void(std::move_only_function<void()>)>;
// Whether the writer may run a job's work a second time. Repeatable work changes the store only
// through INSERT, UPDATE and DELETE, sets afresh on every run whatever it leaves for its `done`, and
// does nothing outside the store. The writer runs a batch made only of repeatable work without a
// savepoint per job (each savepoint copies every page the job then changes); should one fail after
// changing rows, the writer rolls the batch back and runs the others again, each in a savepoint.
enum class Repeat { kNo, kYes };

// The database: reader connections for any thread, and one writer thread that commits the work of
// many requests in one durable transaction (group commit). Thread-safe.
class Database {
 public:
  virtual ~Database() = default;
  // Runs `work` on a reader connection (a consistent snapshot for the duration of the call).
  [[nodiscard]] virtual Status Read(const std::function<Status(Connection&)>& work) = 0;
  // Runs `work` in the writer's transaction and returns once the transaction is durable, or
  // with the work's own error (its changes rolled back), or kUnavailable if the commit failed.
  [[nodiscard]] virtual Status Write(WriteWork work) = 0;
  // Write without waiting: queues `work` and returns at once; `done` is called exactly once with
  // what Write would have returned, when Write would have returned it. `done` runs through the
  // completion post when one is set (SetCompletionPost), otherwise on one of the store's own
  // threads (or on the caller's, when the store is shutting down), so it must be short and must
  // never call Write (which would wait for the thread running it); WriteAsync and WriteDetached
  // are fine.
  // `repeat`: whether `work` is repeatable (see Repeat).
  virtual void WriteAsync(WriteWork work, WriteDone done, Repeat repeat) = 0;
  void WriteAsync(WriteWork work, WriteDone done) { WriteAsync(std::move(work), std::move(done), Repeat::kNo); }
  // Where WriteAsync's `done` runs from now on: handed to `post` rather than called on the thread
  // that made the write durable, so that answering one batch of writers never delays the sync of
  // the next. An empty `post` restores the default. Write's own waiting is never posted. The post
  // must keep running what it is given until it is replaced (a server sets it while it serves).
  virtual void SetCompletionPost(CompletionPost post) = 0;
  // Queues `work` without waiting for it (bookkeeping such as session touches).
  virtual void WriteDetached(WriteWork work) = 0;
  // Stops accepting work, commits what is queued and stops the writer thread. Idempotent.
  virtual void Shutdown() = 0;

  struct Stats {
    uint64_t commits = 0;
    uint64_t jobs = 0;
    uint64_t failed_commits = 0;
    uint64_t queue_depth = 0;
    uint64_t max_batch = 0;
    uint64_t reader_opens = 0;  // reader connections opened: after warm-up, none while the pool suffices
    uint64_t syncs = 0;         // fdatasyncs of the WAL, each making every commit before it durable
    uint64_t checkpoints = 0;   // checkpoint passes made off the writer's thread
    uint64_t repeats = 0;       // batches of repeatable work rolled back and run again (see Repeat)
    uint64_t wal_frames = 0;    // frames in the WAL after the last commit (it starts over once checkpointed)
  };
  [[nodiscard]] virtual Stats GetStats() const = 0;
};

// Runs `f(connection)` (answering Result<T>) on a reader connection and returns its result.
template <class T, class F>
[[nodiscard]] Result<T> ReadResult(Database& db, F&& f) {
  std::optional<Result<T>> out;
  auto status = db.Read([&](Connection& c) -> Status {
    out = f(c);
    return {};
  });
  if (!status) return Fail(status.error());
  return std::move(*out);
}

struct SqliteOptions {
  std::string path;  // file path, or ":memory:" (a shared in-memory database)
  // Readers kept open for reuse. A read that finds none free opens one (parsing the whole schema),
  // which is kept only if the pool has room: size it for the threads that read at once.
  int reader_connections = 8;
  int max_batch = 512;  // jobs per group commit at most
  // A file database's WAL is checkpointed by a thread of its own once it holds this many frames
  // (pages), so that the writer does not stop to copy pages into the database file and sync it.
  // 16,000 (64 MB with 4 KiB pages): a page changed many times is copied once (decision 0032).
  int checkpoint_frames = 16000;
};

// Opens (creating if needed) a SQLite database in WAL mode and applies the
// migrations in `migrations_sql` (ordered, each applied once and recorded).
[[nodiscard]] Result<std::unique_ptr<Database>> OpenSqlite(
    const SqliteOptions& options, const std::vector<std::pair<std::string, std::string>>& migrations);

}  // namespace xiaoan::db
