// SQLite implementation of db::Database: WAL made durable by a syncer beside the one group-commit writer,
// checkpoints on a thread of their own, pooled readers.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "base/thread_name.hpp"
#include "platform/db/database.hpp"
#include "platform/db/wal_gather_vfs.hpp"

namespace xiaoan::db {

int64_t Row::Int(size_t i) const {
  const auto& v = values_.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::atoll(p->c_str());
  return 0;
}

double Row::Real(size_t i) const {
  const auto& v = values_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  return 0;
}

std::string Row::Text(size_t i) const {
  const auto& v = values_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  return {};
}

std::optional<std::string> Row::OptText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

Result<std::optional<Row>> Connection::QueryOne(const Sql& sql, const Params& params) {
  auto rows = Query(sql, params);
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<Row>{};
  return std::optional<Row>(std::move(rows->front()));
}

Result<int64_t> Connection::InsertReturningId(const Sql& sql, const Params& params) {
  auto row = QueryOne(sql, params);
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::Internal(std::string("an insert returned no id: ") + std::string(sql.name)));
  return (*row)->Int(0);
}

namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (primary == SQLITE_CONSTRAINT) {
    Error e = Error::Conflict("", "The data conflicts with existing records.");
    e.message = msg;
    return e;
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL || primary == SQLITE_IOERR) {
    return Error::Unavailable(msg);
  }
  return Error::Internal(msg);
}

class SqliteConnection final : public Connection {
 public:
  // The writer of a file database commits with synchronous=NORMAL: SqliteDatabase's syncer makes
  // each commit durable (fdatasync of the WAL) before any of its writers is answered.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, bool writer,
                                                        bool synced_by_us = false) {
    sqlite3* db = nullptr;
    const bool memory = path.find("mode=memory") != std::string::npos;
    const std::string& uri = path;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    // A connection whose commits the syncer makes durable writes its WAL frames gathered, one
    // write per commit (wal_gather_vfs.hpp).
    const char* vfs = synced_by_us ? WalGatherVfs() : nullptr;
    int rc = sqlite3_open_v2(uri.c_str(), &db, flags, vfs);
    if (rc != SQLITE_OK) {
      Error e = SqliteError(db, rc, "open " + path);
      sqlite3_close(db);
      return Fail(e);
    }
    auto conn = std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
    sqlite3_busy_timeout(db, 5000);
    // A transaction's notes end with it (Connection::Note); SQLite calls these hooks for COMMIT,
    // ROLLBACK and a rollback it makes on its own after an error; ROLLBACK TO calls neither, and Query
    // drops them when it runs one.
    sqlite3_commit_hook(
        db,
        [](void* self) {
          static_cast<SqliteConnection*>(self)->notes_.clear();
          return 0;
        },
        conn.get());
    sqlite3_rollback_hook(
        db, [](void* self) { static_cast<SqliteConnection*>(self)->notes_.clear(); }, conn.get());
    // SQLite's compiler tells its authorizer what a statement does: Prepare marks a ROLLBACK there,
    // whatever the statement's spelling, comments or spacing. Installed once, before any statement
    // exists: installing an authorizer expires every prepared statement of the connection.
    sqlite3_set_authorizer(
        db,
        [](void* self, int action, const char* operation, const char*, const char*, const char*) {
          bool* rolls_back = static_cast<SqliteConnection*>(self)->marking_;
          if (rolls_back != nullptr && (action == SQLITE_TRANSACTION || action == SQLITE_SAVEPOINT) &&
              operation != nullptr && std::string_view(operation) == "ROLLBACK")
            *rolls_back = true;
          return SQLITE_OK;
        },
        conn.get());
    std::string pragmas = "PRAGMA foreign_keys=ON;";
    if (writer && !memory) pragmas += "PRAGMA journal_mode=WAL;";
    if (writer) pragmas += synced_by_us ? "PRAGMA synchronous=NORMAL;" : "PRAGMA synchronous=FULL;";
    if (!writer) pragmas += "PRAGMA query_only=ON;";
    // Every connection keeps SQLite's default page cache: a larger one makes each commit of the
    // writer walk the whole cache's hash table (decision 0025).
    if (auto s = conn->ExecuteScript(pragmas); !s) return Fail(s.error());
    return conn;
  }

  // Rows changed by INSERT, UPDATE and DELETE statements that completed, since the connection opened.
  int64_t TotalChanges() const { return sqlite3_total_changes64(db_); }
  // Whether a transaction is open (SQLite may end one on its own after some errors).
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

  ~SqliteConnection() override {
    for (auto& [_, prepared] : cache_) sqlite3_finalize(prepared.stmt);
    sqlite3_close(db_);
  }

  Result<std::vector<Row>> Query(const Sql& sql, const Params& params) override {
    auto prepared = Prepare(sql);
    if (!prepared) return Fail(prepared.error());
    sqlite3_stmt* stmt = (*prepared)->stmt;
    if (auto s = Bind(**prepared, sql, params); !s) {
      sqlite3_clear_bindings(stmt);
      return Fail(s.error());
    }
    std::vector<Row> rows;
    const int ncol = sqlite3_column_count(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(ncol));
      for (int c = 0; c < ncol; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_NULL:
            values.emplace_back(nullptr);
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            values.emplace_back(std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
          }
        }
      }
      rows.emplace_back(std::move(values));
    }
    // ROLLBACK TO undoes part of the transaction and calls no hook.
    if ((*prepared)->rolls_back) notes_.clear();
    std::optional<Error> err;
    if (rc != SQLITE_DONE) err = SqliteError(db_, rc, sql.name);  // before the reset clears the message
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (err) return Fail(*err);
    return rows;
  }

  Result<int64_t> Execute(const Sql& sql, const Params& params) override {
    auto rows = Query(sql, params);
    if (!rows) return Fail(rows.error());
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  Result<int64_t> InsertOne(const Sql& sql, const Params& params) override {
    auto changed = Execute(sql, params);
    if (!changed) return Fail(changed.error());
    if (*changed != 1) return Fail(Error::Internal(std::string("an insert inserted no row: ") + std::string(sql.name)));
    return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
  }

  // A PASSIVE checkpoint: copies what it can of the WAL into the database file without waiting for
  // the writer or readers. Answers the frames in the WAL and how many of them are now copied.
  Result<std::pair<int, int>> Checkpoint() {
    int log = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, "checkpoint"));
    return std::pair{log, copied};
  }

  // `hook(arg, frames)` after every commit, with the frames then in the WAL. Replaces SQLite's
  // own checkpoint after commit (wal_autocheckpoint): the hook decides.
  void OnWalCommit(void (*hook)(void*, int), void* arg) {
    wal_hook_ = hook;
    wal_hook_arg_ = arg;
    sqlite3_wal_hook(
        db_,
        [](void* self, sqlite3*, const char*, int frames) {
          auto* conn = static_cast<SqliteConnection*>(self);
          conn->wal_hook_(conn->wal_hook_arg_, frames);
          return SQLITE_OK;
        },
        this);
  }

  const std::any* Note(std::string_view key) override {
    if (sqlite3_get_autocommit(db_) != 0) {
      notes_.clear();
      return nullptr;
    }
    for (const auto& [k, v] : notes_)
      if (k == key) return &v;
    return nullptr;
  }

  void SetNote(std::string_view key, std::any value) override {
    if (sqlite3_get_autocommit(db_) != 0) return;  // outside a transaction nothing is kept
    for (auto& [k, v] : notes_)
      if (k == key) {
        v = std::move(value);
        return;
      }
    notes_.emplace_back(std::string(key), std::move(value));
  }

  Status ExecuteScript(std::string_view script) override {
    notes_.clear();  // a script may roll back to a savepoint
    char* err = nullptr;
    const std::string text(script);
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      Error e = SqliteError(nullptr, rc, "script");
      e.message = "script: " + msg;
      return Fail(e);
    }
    return {};
  }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  // A cached statement; for each of its parameters, the N of its name "$N"; and whether it is a
  // ROLLBACK, whole or to a savepoint.
  struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    std::vector<size_t> numbers;
    bool rolls_back = false;
  };

  Result<const Prepared*> Prepare(const Sql& sql) {
    const void* key = sql.text.data();
    if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
    Prepared p;
    marking_ = &p.rolls_back;
    int rc = sqlite3_prepare_v3(db_, sql.text.data(), static_cast<int>(sql.text.size()), SQLITE_PREPARE_PERSISTENT,
                                &p.stmt, nullptr);
    marking_ = nullptr;
    if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, std::string("prepare ") + std::string(sql.name)));
    const int n = sqlite3_bind_parameter_count(p.stmt);
    for (int i = 1; i <= n; ++i) {
      const char* name = sqlite3_bind_parameter_name(p.stmt, i);
      const int number = name != nullptr && name[0] == '$' ? std::atoi(name + 1) : 0;
      if (number < 1) {
        sqlite3_finalize(p.stmt);
        return Fail(Error::Internal(std::string(sql.name) + ": use $N parameters"));
      }
      p.numbers.push_back(static_cast<size_t>(number));
    }
    return &cache_.emplace(key, std::move(p)).first->second;
  }

  // Binds `params` by number ("$3" is params[2]). Text is bound without a copy: `params` outlives
  // the statement's steps, and Query clears the bindings before it returns, whether or not this
  // succeeded.
  Status Bind(const Prepared& p, const Sql& sql, const Params& params) {
    for (size_t i = 0; i < p.numbers.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      const size_t number = p.numbers[i];
      if (number > params.size())
        return Fail(Error::Internal(std::string(sql.name) + ": missing parameter $" + std::to_string(number)));
      const Value& v = params[number - 1];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v))
        rc = sqlite3_bind_null(p.stmt, at);
      else if (auto x = std::get_if<int64_t>(&v))
        rc = sqlite3_bind_int64(p.stmt, at, *x);
      else if (auto x = std::get_if<double>(&v))
        rc = sqlite3_bind_double(p.stmt, at, *x);
      else {
        const auto& text = std::get<std::string>(v);
        rc = sqlite3_bind_text(p.stmt, at, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, sql.name));
    }
    return {};
  }

  sqlite3* db_;
  std::unordered_map<const void*, Prepared> cache_;
  std::vector<std::pair<std::string, std::any>> notes_;  // the open transaction's (Connection::Note)
  bool* marking_ = nullptr;                              // while Prepare compiles a statement: its Prepared::rolls_back
  void (*wal_hook_)(void*, int) = nullptr;
  void* wal_hook_arg_ = nullptr;
};

constexpr Sql kBegin{"begin", "BEGIN IMMEDIATE"};
constexpr Sql kCommit{"commit", "COMMIT"};
constexpr Sql kRollback{"rollback", "ROLLBACK"};
constexpr Sql kSavepoint{"savepoint", "SAVEPOINT job"};
constexpr Sql kRelease{"release", "RELEASE job"};
constexpr Sql kRollbackTo{"rollback_to", "ROLLBACK TO job"};

class SqliteDatabase final : public Database {
 public:
  // `checkpointer` (a connection of its own; null for an in-memory database) takes over the
  // writer's checkpoints.
  SqliteDatabase(SqliteOptions options, std::unique_ptr<SqliteConnection> writer,
                 std::unique_ptr<SqliteConnection> checkpointer, bool file_backed)
      : options_(std::move(options)),
        writer_conn_(std::move(writer)),
        checkpoint_conn_(std::move(checkpointer)),
        file_backed_(file_backed) {
    if (file_backed_) syncer_ = NamedThread("xiaoan-syncer", [this] { SyncerLoop(); });
    if (checkpoint_conn_) {
      writer_conn_->OnWalCommit([](void* self, int frames) { static_cast<SqliteDatabase*>(self)->AfterCommit(frames); },
                                this);
      checkpointer_ = NamedThread("xiaoan-ckpt", [this] { CheckpointerLoop(); });
    }
    thread_ = NamedThread("xiaoan-writer", [this] { WriterLoop(); });
  }
  ~SqliteDatabase() override { Shutdown(); }

  Status Read(const std::function<Status(Connection&)>& work) override {
    std::unique_ptr<SqliteConnection> conn;
    {
      std::lock_guard lock(readers_mu_);
      if (!readers_.empty()) {
        conn = std::move(readers_.back());
        readers_.pop_back();
      }
    }
    if (!conn) {
      auto opened = SqliteConnection::Open(options_.path, false);
      if (!opened) return Fail(opened.error());
      conn = std::move(*opened);
      reader_opens_++;
    }
    Status result = ReadInSnapshot(*conn, work);
    std::lock_guard lock(readers_mu_);
    if (static_cast<int>(readers_.size()) < options_.reader_connections) readers_.push_back(std::move(conn));
    return result;
  }

  Status Write(WriteWork work) override {
    std::promise<Status> done;
    auto future = done.get_future();
    Job job{std::move(work), [&done](Status s) { done.set_value(std::move(s)); }};
    if (!Enqueue(job)) return Fail(Error::Unavailable("The store is shutting down."));
    return future.get();
  }

  using Database::WriteAsync;
  void WriteAsync(WriteWork work, WriteDone done, Repeat repeat) override {
    Job job{std::move(work), std::move(done), repeat, true};
    if (!Enqueue(job)) Finish(job, Fail(Error::Unavailable("The store is shutting down.")));
  }

  // Waits while a batch is being answered through the post in force: once it returns, the old post
  // is no longer called.
  void SetCompletionPost(CompletionPost post) override {
    std::unique_lock lock(post_mu_);
    post_ = std::move(post);
  }

  void WriteDetached(WriteWork work) override {
    Job job{std::move(work), {}};
    (void)Enqueue(job);
  }

  void Shutdown() override {
    {
      std::lock_guard lock(checkpoint_mu_);
      checkpoint_stopping_ = true;
    }
    checkpoint_cv_.notify_all();
    {
      std::lock_guard join_lock(join_mu_);
      if (checkpointer_.joinable()) checkpointer_.join();
    }
    if (db_fd_ >= 0) ::close(db_fd_);
    db_fd_ = -1;
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    std::lock_guard join_lock(join_mu_);
    if (thread_.joinable()) thread_.join();
    {  // the writer has handed over its last batch: the syncer finishes it and stops
      std::lock_guard lock(sync_mu_);
      sync_stopping_ = true;
    }
    sync_cv_.notify_all();
    if (syncer_.joinable()) syncer_.join();
    if (wal_fd_ >= 0) ::close(wal_fd_);
    wal_fd_ = -1;
  }

  Stats GetStats() const override {
    Stats s;
    s.commits = commits_.load();
    s.jobs = jobs_.load();
    s.failed_commits = failed_commits_.load();
    s.max_batch = max_batch_.load();
    s.reader_opens = reader_opens_.load();
    s.syncs = syncs_.load();
    s.checkpoints = checkpoints_.load();
    s.repeats = repeats_.load();
    s.wal_frames = static_cast<uint64_t>(std::max(0, wal_frames_.load()));
    std::lock_guard lock(mu_);
    s.queue_depth = queue_.size();
    return s;
  }

 private:
  struct Job {
    WriteWork work;
    WriteDone done;  // empty for detached work
    Repeat repeat = Repeat::kNo;
    bool posted = false;  // `done` goes through the completion post, when there is one (WriteAsync)
  };
  struct Synced {
    Job job;
    Status result;
  };

  static Status ReadInSnapshot(SqliteConnection& conn, const std::function<Status(Connection&)>& work) {
    static constexpr Sql kBeginRead{"begin_read", "BEGIN"};
    if (auto s = conn.Execute(kBeginRead, {}); !s) return Fail(s.error());
    Status result;
    try {
      result = work(conn);
    } catch (...) {
      (void)conn.Execute(kRollback, {});
      throw;
    }
    (void)conn.Execute(kRollback, {});
    return result;
  }

  // Takes `job` unless the store is stopping (then `job` is left as it was).
  bool Enqueue(Job& job) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return false;
      queue_.push_back(std::move(job));
    }
    cv_.notify_one();
    return true;
  }

  void WriterLoop() {
    for (;;) {
      std::vector<Job> batch;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) return;
        while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      CommitBatch(batch);
      // The checkpointer has copied all but the last few frames: copy those between batches, and
      // the next transaction starts the WAL over instead of letting it grow.
      if (finish_checkpoint_.exchange(false)) (void)writer_conn_->Checkpoint();
    }
  }

  // On the writer's thread, inside each COMMIT.
  void AfterCommit(int frames) {
    wal_frames_.store(frames, std::memory_order_relaxed);
    if (frames < options_.checkpoint_frames) return;
    {
      std::lock_guard lock(checkpoint_mu_);
      if (checkpoint_requested_) return;
      checkpoint_requested_ = true;
    }
    checkpoint_cv_.notify_one();
  }

  // Copies the WAL into the database file while the writer goes on. The writer keeps appending,
  // so a checkpoint leaves behind what was committed while it ran: passes repeat on that remainder
  // until it is small, then the writer copies the rest between two batches (a checkpoint must copy
  // every frame before the WAL can start over).
  void CheckpointerLoop() {
    constexpr int kPasses = 8;
    constexpr int kLeftForTheWriter = 256;
    for (;;) {
      {
        std::unique_lock lock(checkpoint_mu_);
        checkpoint_cv_.wait(lock, [&] { return checkpoint_stopping_ || checkpoint_requested_; });
        if (checkpoint_stopping_) return;
      }
      for (int pass = 0; pass < kPasses; ++pass) {
        auto done = checkpoint_conn_->Checkpoint();
        checkpoints_++;
        if (!done || wal_frames_.load(std::memory_order_relaxed) - done->second <= kLeftForTheWriter) break;
        std::lock_guard lock(checkpoint_mu_);
        if (checkpoint_stopping_) return;
      }
      // SQLite syncs the database file only when a checkpoint copies the last frame, which the
      // writer's does: flushed here, the pages copied so far do not hold the writer in that sync
      // (several milliseconds for a checkpoint's megabytes, every request waiting on the writer).
      FlushDatabaseFile();
      finish_checkpoint_ = true;
      std::lock_guard lock(checkpoint_mu_);
      checkpoint_requested_ = false;
    }
  }

  // Runs the batch's jobs in one transaction and hands it to the syncer. Each job runs in a
  // savepoint of its own, so that a failing job rolls back alone; a batch of repeatable jobs (the
  // common case: class reports) runs without them, and only a job that fails after changing rows
  // makes the writer roll the batch back and run the rest again the careful way.
  void CommitBatch(std::vector<Job>& batch) {
    std::vector<Status> results(batch.size());
    auto begun = writer_conn_->Execute(kBegin, {});
    if (!begun) {
      for (auto& job : batch) AnswerHere(job, Fail(begun.error()));
      failed_commits_++;
      return;
    }
    const bool repeatable =
        std::all_of(batch.begin(), batch.end(), [](const Job& j) { return j.repeat == Repeat::kYes; });
    size_t failed = batch.size();  // the repeatable job whose failure left changes behind
    for (size_t i = 0; i < batch.size() && failed == batch.size(); ++i) {
      if (!repeatable) {
        results[i] = RunInSavepoint(batch[i]);
        continue;
      }
      const int64_t changes = writer_conn_->TotalChanges();
      results[i] = Run(batch[i]);
      // A failure that changed nothing needs no undoing, unless the engine gave up the whole
      // transaction (as SQLite may on a full disk or an I/O error).
      if (!results[i] && (writer_conn_->TotalChanges() != changes || !writer_conn_->InTransaction())) failed = i;
    }
    if (failed < batch.size()) {
      repeats_++;
      (void)writer_conn_->Execute(kRollback, {});
      if (auto again = writer_conn_->Execute(kBegin, {}); !again) {
        for (auto& job : batch) AnswerHere(job, Fail(again.error()));
        failed_commits_++;
        return;
      }
      for (size_t i = 0; i < batch.size(); ++i)
        if (i != failed) results[i] = RunInSavepoint(batch[i]);  // the failed job's error stands
    }
    auto committed = writer_conn_->Execute(kCommit, {});
    if (!committed) {
      (void)writer_conn_->Execute(kRollback, {});
      failed_commits_++;
      for (auto& job : batch)
        AnswerHere(job, Fail(Error::Unavailable("The change could not be saved: " + committed.error().message)));
      return;
    }
    commits_++;
    jobs_ += batch.size();
    uint64_t prev = max_batch_.load();
    while (batch.size() > prev && !max_batch_.compare_exchange_weak(prev, batch.size())) {
    }
    if (!file_backed_) {
      for (size_t i = 0; i < batch.size(); ++i) AnswerHere(batch[i], std::move(results[i]));
      return;
    }
    {  // committed, visible to readers, not yet durable: the syncer answers once it is
      std::lock_guard lock(sync_mu_);
      for (size_t i = 0; i < batch.size(); ++i) to_sync_.push_back({std::move(batch[i]), std::move(results[i])});
    }
    sync_cv_.notify_one();
  }

  // Makes what the writer committed durable while the writer goes on with the next batch: one
  // fdatasync of the WAL for every commit made since the last, then the writers of those commits
  // are answered. (SQLite's synchronous=FULL would sync inside COMMIT and hold the writer.)
  void SyncerLoop() {
    for (;;) {
      std::vector<Synced> done;
      {
        std::unique_lock lock(sync_mu_);
        sync_cv_.wait(lock, [&] { return sync_stopping_ || !to_sync_.empty(); });
        if (to_sync_.empty() && sync_stopping_) return;
        done.swap(to_sync_);
      }
      const Status synced = SyncWal();
      syncs_++;
      // Answering is handed on (when a post is set), so that the next sync starts at once.
      std::shared_lock post_lock(post_mu_);
      const CompletionPost* post = post_ ? &post_ : nullptr;
      for (auto& d : done) {
        if (!synced && d.result)
          Answer(post, d.job,
                 Fail(Error::Unavailable("The change could not be made durable: " + synced.error().message)));
        else
          Answer(post, d.job, std::move(d.result));
      }
    }
  }

  // fdatasync of the database file through the checkpointer's own descriptor. Only an early flush:
  // a failure leaves the pages to the writer's checkpoint, which syncs the file itself.
  void FlushDatabaseFile() {
    if (db_fd_ < 0) db_fd_ = ::open(options_.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (db_fd_ >= 0) (void)::fdatasync(db_fd_);
  }

  // fdatasync of the WAL file through a descriptor of our own (fsync acts on the file, whichever
  // descriptor names it). Whether the WAL's name still is our file is asked (HoldCurrentWal) only
  // when a WAL file has been opened through the VFS since the last answer: SQLite opens a new WAL
  // there before it writes to it. A stat before every sync made the kernel stamp the next write
  // with a fine-grained time (multigrain timestamps), so the inode was dirty at every sync and
  // fdatasync wrote the inode's block too: one more wait on the disk in every sync (decision 0033).
  Status SyncWal() {
    const uint64_t opened = GetWalGatherStats().opened;  // read before the check: a later open is seen next time
    if (wal_fd_ < 0 || opened != wal_opens_seen_ || WalGatherVfs() == nullptr) {
      if (auto held = HoldCurrentWal(); !held) return held;
      wal_opens_seen_ = opened;
    }
    if (::fdatasync(wal_fd_) != 0)
      return Fail(Error::Unavailable("fdatasync " + options_.path + "-wal: " + std::strerror(errno)));
    return {};
  }

  // Makes wal_fd_ the file the WAL's name names. The WAL lives as long as the writer's connection;
  // should it ever be a new file, it is opened again and the directory synced, so that its name is
  // durable too.
  Status HoldCurrentWal() {
    const std::string wal = options_.path + "-wal";
    struct stat named {};
    if (::stat(wal.c_str(), &named) != 0) return Fail(Error::Unavailable("stat " + wal + ": " + std::strerror(errno)));
    struct stat held {};
    if (wal_fd_ >= 0 && ::fstat(wal_fd_, &held) == 0 && held.st_ino == named.st_ino && held.st_dev == named.st_dev)
      return {};
    if (wal_fd_ >= 0) ::close(wal_fd_);
    wal_fd_ = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) return Fail(Error::Unavailable("open " + wal + ": " + std::strerror(errno)));
    auto dir = std::filesystem::path(options_.path).parent_path();
    if (dir.empty()) dir = ".";
    if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
      (void)::fsync(dir_fd);
      ::close(dir_fd);
    }
    return {};
  }

  Status Run(Job& job) {
    try {
      return job.work(*writer_conn_);
    } catch (const std::exception& e) {
      return Fail(Error::Internal(std::string("write failed: ") + e.what()));
    }
  }

  Status RunInSavepoint(Job& job) {
    (void)writer_conn_->Execute(kSavepoint, {});
    Status result = Run(job);
    if (!result) (void)writer_conn_->Execute(kRollbackTo, {});
    (void)writer_conn_->Execute(kRelease, {});
    return result;
  }

  // Answers the job's writer. A `done` that throws must not take the writer or syncer down with it.
  static void Finish(Job& job, Status status) {
    if (!job.done) return;
    try {
      std::exchange(job.done, nullptr)(std::move(status));
    } catch (...) {
    }
  }

  // Answer, on the writer (a failed commit, or a database without a syncer).
  void AnswerHere(Job& job, Status status) {
    std::shared_lock lock(post_mu_);
    Answer(post_ ? &post_ : nullptr, job, std::move(status));
  }

  // Finish, through `post` for a WriteAsync job when there is one.
  static void Answer(const CompletionPost* post, Job& job, Status status) {
    if (post == nullptr || !job.posted || !job.done) return Finish(job, std::move(status));
    try {
      (*post)([done = std::exchange(job.done, nullptr), status = std::move(status)]() mutable {
        try {
          done(std::move(status));
        } catch (...) {
        }
      });
    } catch (...) {  // the post could not take it (out of memory): `done` is dropped unanswered,
    }                // which an HTTP reply answers with 500 (http::Reply)
  }

  SqliteOptions options_;
  std::unique_ptr<SqliteConnection> writer_conn_;
  std::unique_ptr<SqliteConnection> checkpoint_conn_;  // the checkpointer's own
  const bool file_backed_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_requested_ = false;
  bool checkpoint_stopping_ = false;
  std::thread checkpointer_;
  std::atomic<int> wal_frames_{0};
  std::atomic<bool> finish_checkpoint_{false};
  std::shared_mutex post_mu_;  // held shared while a batch is answered, so that SetCompletionPost waits
  CompletionPost post_;        // empty: none (see SetCompletionPost)
  std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  std::vector<Synced> to_sync_;
  bool sync_stopping_ = false;
  std::thread syncer_;
  int wal_fd_ = -1;              // the syncer's own
  uint64_t wal_opens_seen_ = 0;  // WAL files opened through the VFS when wal_fd_ was last checked (SyncWal)
  int db_fd_ = -1;               // the checkpointer's own
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_;
  std::mutex join_mu_;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::atomic<uint64_t> commits_{0}, jobs_{0}, failed_commits_{0}, max_batch_{0}, reader_opens_{0}, syncs_{0},
      checkpoints_{0}, repeats_{0};
};

constexpr Sql kCreateMigrations{
    "create_migrations",
    "CREATE TABLE IF NOT EXISTS schema_migrations(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"};
constexpr Sql kSelectMigration{"select_migration", "SELECT 1 FROM schema_migrations WHERE name = $1"};
constexpr Sql kInsertMigration{"insert_migration",
                               "INSERT INTO schema_migrations(name, applied_at) VALUES ($1, datetime('now'))"};

constexpr Sql kForeignKeyCheck{"foreign_key_check", "PRAGMA foreign_key_check"};

// Each migration runs in a transaction of its own with foreign keys off, as SQLite's procedure for
// rebuilding a table asks (a DROP TABLE of a referenced table would otherwise delete, or be refused
// for, the rows that reference it), and is committed only if `PRAGMA foreign_key_check` then finds
// no row without its parent. Foreign keys are on again afterwards, whatever happened.
Status Migrate(SqliteConnection& conn, const std::vector<std::pair<std::string, std::string>>& migrations) {
  if (auto s = conn.Execute(kCreateMigrations, {}); !s) return Fail(s.error());
  if (auto s = conn.ExecuteScript("PRAGMA foreign_keys=OFF;"); !s) return s;
  const auto run = [&]() -> Status {
    for (const auto& [name, script] : migrations) {
      auto seen = conn.QueryOne(kSelectMigration, {name});
      if (!seen) return Fail(seen.error());
      if (*seen) continue;
      if (auto s = conn.ExecuteScript("BEGIN IMMEDIATE;"); !s) return s;
      const auto fail = [&](Error e) -> Status {
        (void)conn.ExecuteScript("ROLLBACK;");
        e.message = "migration " + name + ": " + e.message;
        return Fail(e);
      };
      if (auto s = conn.ExecuteScript(script); !s) return fail(s.error());
      auto orphans = conn.Query(kForeignKeyCheck, {});
      if (!orphans) return fail(orphans.error());
      if (!orphans->empty()) {
        const auto& first = orphans->front();  // table, rowid, parent, foreign key index
        return fail(Error::Internal(std::to_string(orphans->size()) + " row(s) without their parent, the first in " +
                                    first.Text(0) + " (rowid " +
                                    (first.IsNull(1) ? "-" : std::to_string(first.Int(1))) + ") for " + first.Text(2)));
      }
      if (auto s = conn.Execute(kInsertMigration, {name}); !s) return fail(s.error());
      if (auto s = conn.ExecuteScript("COMMIT;"); !s) return s;
    }
    return {};
  };
  const Status ran = run();
  const Status on = conn.ExecuteScript("PRAGMA foreign_keys=ON;");
  if (!ran) return ran;
  return on;
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options,
                                             const std::vector<std::pair<std::string, std::string>>& migrations) {
  // Memory statistics cost a global mutex on every allocation SQLite makes; nothing reads them.
  // (Only possible before SQLite is first used in the process; later calls change nothing.)
  static std::once_flag configured;
  std::call_once(configured, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  SqliteOptions opts = options;
  if (opts.path == ":memory:") {
    // One shared-cache in-memory database per Database object.
    static std::atomic<int> counter{0};
    opts.path = "file:xiaoan_mem_" + std::to_string(counter++) + "?mode=memory&cache=shared";
  }
  // A plain file path: its WAL is "<path>-wal", which the syncer makes durable. (URIs, and so the
  // in-memory databases, keep synchronous=FULL.)
  const bool synced_by_us = !opts.path.starts_with("file:");
  auto writer = SqliteConnection::Open(opts.path, true, synced_by_us);
  if (!writer) return Fail(writer.error());
  if (auto s = Migrate(**writer, migrations); !s) return Fail(s.error());
  if (synced_by_us) {  // the migrations were committed with synchronous=NORMAL: durable before anything else
    if (auto s = (*writer)->ExecuteScript("PRAGMA wal_checkpoint(FULL);"); !s) return Fail(s.error());
  }
  std::unique_ptr<SqliteConnection> checkpointer;
  if (synced_by_us) {
    auto opened = SqliteConnection::Open(opts.path, true, true);
    if (!opened) return Fail(opened.error());
    checkpointer = std::move(*opened);
  }
  return std::unique_ptr<Database>(new SqliteDatabase(opts, std::move(*writer), std::move(checkpointer), synced_by_us));
}

}  // namespace xiaoan::db
