#include "platform/db/database.hpp"

#include <gtest/gtest.h>

#include <any>
#include <atomic>
#include <barrier>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "base/thread_name.hpp"
#include "platform/db/test_db.hpp"

namespace xiaoan::db {
namespace {

constexpr Sql kCreate{"create", "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)"};
constexpr Sql kInsert{"insert", "INSERT INTO t(v) VALUES ($1)"};
constexpr Sql kCount{"count", "SELECT COUNT(*) FROM t"};
constexpr Sql kReversed{"reversed", "SELECT $2 || $1"};

int64_t Count(Database& db) {
  int64_t n = -1;
  EXPECT_TRUE(db.Read([&](Connection& c) -> Status {
    auto r = c.QueryOne(kCount, {});
    if (!r) return Fail(r.error());
    n = (*r)->Int(0);
    return {};
  }));
  return n;
}

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_->Write([](Connection& c) -> Status {
      if (auto r = c.Execute(kCreate, {}); !r) return Fail(r.error());
      return {};
    }));
  }
  TestDb db_;
};

TEST_F(SqliteDatabaseTest, ParametersBindByNumberNotPosition) {
  std::string out;
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
    auto r = c.QueryOne(kReversed, {std::string("a"), std::string("b")});
    if (!r) return Fail(r.error());
    out = (*r)->Text(0);
    return {};
  }));
  EXPECT_EQ(out, "ba");
}

// ParamsOf gives what a braced list gives, moving what it is handed and copying the rest.
TEST(ParamsOf, HoldsTheValuesInOrderMovingRvaluesAndCopyingLvalues) {
  const std::string kept = "a text long enough not to fit in a string's own buffer";
  std::string moved = "another text long enough to live on the heap, moved";
  const char* data = moved.data();
  const Params p = ParamsOf(int64_t{7}, kept, std::move(moved), nullptr, 2.5, Value(nullptr));
  const Params braced{int64_t{7}, kept, std::string("another text long enough to live on the heap, moved"),
                      nullptr,    2.5,  Value(nullptr)};
  EXPECT_EQ(p, braced);
  EXPECT_EQ(p.capacity(), 6u);
  EXPECT_EQ(kept, "a text long enough not to fit in a string's own buffer");  // copied, not taken
  EXPECT_EQ(std::get<std::string>(p[2]).data(), data);                        // the buffer itself moved in
}

TEST_F(SqliteDatabaseTest, AMissingParameterIsAnErrorAndTheStatementStaysUsable) {
  static constexpr Sql kTwo{"two", "INSERT INTO t(v) VALUES ($1 || $2)"};
  auto missing = db_->Write([](Connection& c) -> Status {
    if (auto r = c.Execute(kTwo, {std::string("only one")}); !r) return Fail(r.error());
    return {};
  });
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("missing parameter $2"), std::string::npos) << missing.error().message;
  static constexpr Sql kUnnumbered{"unnumbered", "INSERT INTO t(v) VALUES (?)"};
  auto unnumbered = db_->Write([](Connection& c) -> Status {
    if (auto r = c.Execute(kUnnumbered, {std::string("x")}); !r) return Fail(r.error());
    return {};
  });
  ASSERT_FALSE(unnumbered);
  EXPECT_NE(unnumbered.error().message.find("use $N parameters"), std::string::npos) << unnumbered.error().message;
  EXPECT_EQ(Count(*db_), 0);
  ASSERT_TRUE(db_->Write([](Connection& c) -> Status {
    std::string a = "left-", b = "right";  // bound without a copy: alive until the statement has run
    if (auto r = c.Execute(kTwo, {a, b}); !r) return Fail(r.error());
    return {};
  }));
  std::string stored;
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
    static constexpr Sql kValue{"value", "SELECT v FROM t"};
    auto r = c.QueryOne(kValue, {});
    if (!r) return Fail(r.error());
    stored = (*r)->Text(0);
    return {};
  }));
  EXPECT_EQ(stored, "left-right");
}

// InsertOne answers the new row's id, and an error, never a stale id, when no row went in.
TEST_F(SqliteDatabaseTest, InsertOneAnswersTheNewIdOrAnErrorWhenNothingWasInserted) {
  static constexpr Sql kIgnore{"insert_or_ignore", "INSERT OR IGNORE INTO t(v) VALUES ($1)"};
  std::vector<int64_t> ids;
  std::optional<Error> ignored;
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    for (const char* v : {"one", "two"}) {
      auto id = c.InsertOne(kInsert, {std::string(v)});
      if (!id) return Fail(id.error());
      ids.push_back(*id);
    }
    auto again = c.InsertOne(kIgnore, {std::string("one")});  // the UNIQUE v: ignored, no row
    if (!again) ignored = again.error();
    return {};
  }));
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2}));
  ASSERT_TRUE(ignored.has_value()) << "an ignored insert must not answer the last id";
  EXPECT_EQ(ignored->code, ErrorCode::kInternal);
  EXPECT_EQ(Count(*db_), 2);
}

TEST_F(SqliteDatabaseTest, AFailedJobRollsBackAloneAndOthersInTheBatchCommit) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, conflicts{0};
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      // Every fourth job writes a duplicate value and must fail without harming the others.
      const std::string v = (i % 4 == 0) ? "dup" : "v" + std::to_string(i);
      auto s = db_->Write([&](Connection& c) -> Status {
        if (auto r = c.Execute(kInsert, {v}); !r) return Fail(r.error());
        return {};
      });
      if (s)
        ok++;
      else if (s.error().code == ErrorCode::kConflict)
        conflicts++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 31);  // 30 distinct values + the first "dup"
  EXPECT_EQ(conflicts.load(), 9);
  EXPECT_EQ(Count(*db_), 31);
}

TEST_F(SqliteDatabaseTest, ANoteLastsUntilItsTransactionEndsOrAnyOfItIsRolledBack) {
  static constexpr Sql kSavepoint{"savepoint_s", "SAVEPOINT s"};
  static constexpr Sql kRollbackTo{"rollback_to_s", "-- the job's changes\n  rollback to s"};
  static constexpr Sql kRelease{"release_s", "RELEASE s"};
  const auto note = [](Connection& c, std::string_view key) {
    const std::any* n = c.Note(key);
    return n != nullptr ? std::any_cast<int>(*n) : 0;
  };
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    EXPECT_EQ(c.Note("n"), nullptr);
    c.SetNote("n", 1);
    c.SetNote("m", 10);
    EXPECT_TRUE(c.Execute(kInsert, {std::string("a")}));
    EXPECT_EQ(note(c, "n"), 1) << "kept across statements";
    c.SetNote("n", 2);
    EXPECT_EQ(note(c, "n"), 2);
    EXPECT_EQ(note(c, "m"), 10);
    EXPECT_TRUE(c.Execute(kSavepoint, {}));
    EXPECT_TRUE(c.Execute(kInsert, {std::string("b")}));
    EXPECT_EQ(note(c, "n"), 2) << "a savepoint undoes nothing";
    EXPECT_TRUE(c.Execute(kRollbackTo, {}));
    EXPECT_EQ(c.Note("n"), nullptr) << "dropped by ROLLBACK TO";
    EXPECT_EQ(c.Note("m"), nullptr);
    EXPECT_TRUE(c.Execute(kRelease, {}));
    c.SetNote("n", 3);
    return {};
  }));
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    EXPECT_EQ(c.Note("n"), nullptr) << "dropped at the commit";
    return {};
  }));
  // Outside a transaction nothing is kept: a reader after its snapshot, the writer after COMMIT.
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
    c.SetNote("r", 5);
    EXPECT_EQ(note(c, "r"), 5) << "a reader's snapshot is a transaction";
    return {};
  }));
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
    EXPECT_EQ(c.Note("r"), nullptr) << "dropped when the snapshot ended";
    return {};
  }));
  EXPECT_EQ(Count(*db_), 1);
}

TEST_F(SqliteDatabaseTest, PreparingANewStatementLeavesTheCachedOnesPrepared) {
  // Marking the statements that roll back (for the notes above) must not make SQLite prepare the
  // others again, as installing an authorizer for each new statement would.
  static constexpr Sql kFresh{"fresh", "SELECT count(*) FROM t WHERE v <> $1"};
  static constexpr Sql kReprepared{"reprepared", "SELECT reprep FROM sqlite_stmt WHERE sql = $1"};
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    EXPECT_TRUE(c.Execute(kInsert, {std::string("first")}));
    EXPECT_TRUE(c.Query(kFresh, {std::string("x")}));
    EXPECT_TRUE(c.Execute(kInsert, {std::string("second")}));
    auto r = c.QueryOne(kReprepared, {std::string(kInsert.text)});
    if (!r) return Fail(r.error());
    EXPECT_TRUE(*r) << "the insert is among the connection's statements";
    if (*r) {
      EXPECT_EQ((*r)->Int(0), 0) << "the insert was prepared again";
    }
    return {};
  }));
}

TEST_F(SqliteDatabaseTest, WorkThatReturnsAnErrorLeavesNoTrace) {
  auto s = db_->Write([](Connection& c) -> Status {
    if (auto r = c.Execute(kInsert, {std::string("half")}); !r) return Fail(r.error());
    return Fail(Error::Invalid("x", "second step failed"));
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().fields.at(0).field, "x");
  EXPECT_EQ(Count(*db_), 0);
}

TEST_F(SqliteDatabaseTest, ManyConcurrentWritersShareCommits) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i)
    threads.emplace_back([&, i] {
      EXPECT_TRUE(db_->Write([&](Connection& c) -> Status {
        if (auto r = c.Execute(kInsert, {"w" + std::to_string(i)}); !r) return Fail(r.error());
        return {};
      }));
    });
  for (auto& t : threads) t.join();
  const auto stats = db_->GetStats();
  EXPECT_EQ(Count(*db_), 64);
  EXPECT_LE(stats.commits, stats.jobs);
  // Each answer waited for an fdatasync of the WAL made after its commit; one may cover several.
  EXPECT_GE(stats.syncs, 1u);
  EXPECT_LE(stats.syncs, stats.commits);
}

TEST_F(SqliteDatabaseTest, AWriteIsAnsweredOnlyOnceTheWalIsSynced) {
  const auto before = db_->GetStats();
  ASSERT_TRUE(db_->Write([](Connection& c) -> Status {
    if (auto r = c.Execute(kInsert, {"durable"}); !r) return Fail(r.error());
    return {};
  }));
  const auto after = db_->GetStats();
  EXPECT_EQ(after.commits, before.commits + 1);
  EXPECT_EQ(after.syncs, before.syncs + 1);
}

// WriteAsync answers through its callback what Write would answer, when Write would: once the
// commit is durable, with the work's own error (its changes rolled back), on a store thread.
TEST_F(SqliteDatabaseTest, AnAsyncWriteIsAnsweredOnceDurableWithTheWorksOutcome) {
  std::promise<std::pair<Status, uint64_t>> stored, refused;
  const auto caller = std::this_thread::get_id();
  std::thread::id answered_on;
  db_->WriteAsync(
      [](Connection& c) -> Status {
        if (auto r = c.Execute(kInsert, {"async"}); !r) return Fail(r.error());
        return {};
      },
      [&](Status s) {
        answered_on = std::this_thread::get_id();
        stored.set_value({std::move(s), db_->GetStats().syncs});
      });
  db_->WriteAsync(
      [](Connection& c) -> Status {
        if (auto r = c.Execute(kInsert, {"async"}); !r) return Fail(r.error());  // the UNIQUE v again
        return {};
      },
      [&](Status s) {
        refused.set_value({std::move(s), 0});
      });
  auto [ok, syncs_when_answered] = stored.get_future().get();
  EXPECT_TRUE(ok);
  EXPECT_GE(syncs_when_answered, 1u) << "answered only after a sync of the WAL";
  EXPECT_NE(answered_on, caller);
  auto [conflict, unused] = refused.get_future().get();
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Count(*db_), 1);

  db_->Shutdown();  // refused at once, on the caller's thread, and the work never runs
  bool ran = false, answered = false;
  db_->WriteAsync(
      [&](Connection&) -> Status {
        ran = true;
        return {};
      },
      [&](Status s) {
        answered = true;
        EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
      });
  EXPECT_TRUE(answered);
  EXPECT_FALSE(ran);
}

// With a completion post set, an async write's answer is handed to the post (the HTTP server's
// I/O threads) instead of being made on the syncer; a blocking Write never waits on the post, and
// clearing the post answers on the store's thread again.
TEST_F(SqliteDatabaseTest, AnAsyncWritesAnswerGoesThroughTheCompletionPostWhenOneIsSet) {
  std::mutex mu;
  std::vector<std::move_only_function<void()>> posted;
  db_->SetCompletionPost([&](std::move_only_function<void()> fn) {
    std::lock_guard lock(mu);
    posted.push_back(std::move(fn));
  });
  auto posted_count = [&] {
    std::lock_guard lock(mu);
    return posted.size();
  };
  std::atomic<int> answers{0};
  std::optional<Status> first;
  db_->WriteAsync(
      [](Connection& c) -> Status {
        if (auto r = c.Execute(kInsert, {"posted"}); !r) return Fail(r.error());
        return {};
      },
      [&](Status s) {
        first = std::move(s);
        answers++;
      });
  // A blocking write after it is answered without the post: once it returns, the async write
  // (committed in the same or an earlier batch) is durable and its answer has been posted.
  ASSERT_TRUE(db_->Write([](Connection& c) -> Status {
    if (auto r = c.Execute(kInsert, {"blocking"}); !r) return Fail(r.error());
    return {};
  }));
  for (int i = 0; i < 500 && posted_count() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_EQ(posted_count(), 1u) << "only the async write's answer is posted";
  EXPECT_EQ(answers.load(), 0) << "not answered until the post runs it";
  posted[0]();
  EXPECT_EQ(answers.load(), 1);
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(*first);
  EXPECT_EQ(Count(*db_), 2);

  db_->SetCompletionPost(nullptr);
  std::promise<Status> direct;
  db_->WriteAsync([](Connection&) -> Status { return {}; }, [&](Status s) { direct.set_value(std::move(s)); });
  EXPECT_TRUE(direct.get_future().get());
  EXPECT_EQ(posted_count(), 1u);
}

// Opening a reader parses the whole schema: the pool keeps `reader_connections` open for reuse, and
// reads beyond it open (and then close) their own.
TEST_F(SqliteDatabaseTest, ReadersAreReusedUpToThePoolSize) {
  const auto concurrent_reads = [&](int threads, int rounds) {
    std::barrier all_in(threads);  // every thread holds its connection at once
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i)
      pool.emplace_back([&] {
        for (int round = 0; round < rounds; ++round)
          EXPECT_TRUE(db_->Read([&](Connection& c) -> Status {
            all_in.arrive_and_wait();
            return c.QueryOne(kCount, {}) ? Status{} : Fail(Error::Internal("count"));
          }));
      });
    for (auto& t : pool) t.join();
  };
  const int pool_size = SqliteOptions{}.reader_connections;
  concurrent_reads(pool_size, 20);
  EXPECT_EQ(db_->GetStats().reader_opens, static_cast<uint64_t>(pool_size));  // opened once, reused 19 times
  concurrent_reads(pool_size, 20);
  EXPECT_EQ(db_->GetStats().reader_opens, static_cast<uint64_t>(pool_size));  // none more
  concurrent_reads(2 * pool_size, 3);  // beyond the pool: twice as many must be open at once
  EXPECT_GE(db_->GetStats().reader_opens, static_cast<uint64_t>(2 * pool_size));
}

TEST_F(SqliteDatabaseTest, DataIsDurableAcrossReopen) {
  ASSERT_TRUE(db_->Write([](Connection& c) -> Status {
    if (auto r = c.Execute(kInsert, {std::string("kept")}); !r) return Fail(r.error());
    return {};
  }));
  const std::string path = db_.path();
  db_->Shutdown();
  std::vector<std::pair<std::string, std::string>> none;
  auto reopened = OpenSqlite({path, 2, 16}, none);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(Count(**reopened), 1);
}

TEST_F(SqliteDatabaseTest, TheWriterSyncerAndCheckpointerRunOnThreadsNamedForThemUntilShutdown) {
  // The write in SetUp has run on the writer and been synced; the checkpointer, which has had
  // nothing to do yet, names itself as it starts, which on a busy machine may be a little later.
  for (int i = 0; i < 200 && ProcessThreadNames().count("xiaoan-ckpt") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto names = ProcessThreadNames();
  EXPECT_EQ(names.count("xiaoan-writer"), 1u);
  EXPECT_EQ(names.count("xiaoan-syncer"), 1u);
  EXPECT_EQ(names.count("xiaoan-ckpt"), 1u);
  db_->Shutdown();
  names = ProcessThreadNames();
  EXPECT_EQ(names.count("xiaoan-writer") + names.count("xiaoan-syncer") + names.count("xiaoan-ckpt"), 0u);
}

// Under a steady stream of writes the WAL is checkpointed off the writer's thread and starts over
// instead of growing with everything written; nothing is lost on the way.
TEST(SqliteCheckpoints, TheWalIsCheckpointedBesideTheWriterAndStartsOverUnderSteadyWrites) {
  TestDb dir;  // only for its folder
  const std::string path = dir.path() + "-steady";
  std::vector<std::pair<std::string, std::string>> none;
  SqliteOptions options{path, 2, 16};
  options.checkpoint_frames = 64;
  auto db = OpenSqlite(options, none);
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->Write([](Connection& c) -> Status {
    if (auto r = c.Execute(kCreate, {}); !r) return Fail(r.error());
    return {};
  }));
  constexpr int kThreads = 8, kEach = 400;
  const std::string filler(1500, 'x');  // about a third of a page per row
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t)
    writers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        ASSERT_TRUE((*db)->Write([&](Connection& c) -> Status {
          if (auto r = c.Execute(kInsert, {std::to_string(t) + "-" + std::to_string(i) + filler}); !r)
            return Fail(r.error());
          return {};
        }));
    });
  for (auto& w : writers) w.join();
  const auto stats = (*db)->GetStats();
  EXPECT_GE(stats.checkpoints, 1u);
  // About 4.8 MB of rows went through the WAL, several pages per commit: had it never started over
  // it would have grown to about 70 MB. Here it stays near the threshold (about 1.2 MB); the bound
  // leaves room for a slow machine.
  const auto wal_bytes = std::filesystem::file_size(path + "-wal");
  EXPECT_LT(wal_bytes, 10'000'000u) << stats.commits << " commits, " << stats.checkpoints << " checkpoints";
  EXPECT_EQ(Count(**db), kThreads * kEach);
  (*db)->Shutdown();
  db->reset();
  auto reopened = OpenSqlite({path, 2, 16}, none);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(Count(**reopened), kThreads * kEach);
}

// Five jobs in one batch, queued while the writer is held by a job of its own. Job `failing`
// inserts its value and then fails when `changes_then_fails`, or fails at once otherwise.
struct BatchOutcome {
  std::vector<Status> results;
  std::vector<int> runs;
  uint64_t commits = 0;  // commits made for the holder and the batch
  uint64_t repeats = 0;
};
BatchOutcome RunOneBatch(Database& db, const std::vector<Repeat>& repeat, size_t failing, bool changes_then_fails) {
  const auto before = db.GetStats();
  std::promise<void> holding, release;
  auto released = release.get_future();
  db.WriteAsync(
      [&](Connection&) -> Status {
        holding.set_value();
        released.wait();
        return {};
      },
      [](Status) {});
  holding.get_future().wait();  // the writer is inside the holder: what follows queues behind it
  const size_t n = repeat.size();
  std::vector<std::promise<Status>> answers(n);
  std::vector<std::atomic<int>> runs(n);
  for (size_t i = 0; i < n; ++i) {
    db.WriteAsync(
        [&, i](Connection& c) -> Status {
          runs[i]++;
          if (i == failing && !changes_then_fails) return Fail(Error::Invalid("job", "fails at once"));
          if (auto r = c.Execute(kInsert, {"batch-" + std::to_string(i)}); !r) return Fail(r.error());
          if (i == failing) return Fail(Error::Invalid("job", "fails after its insert"));
          return {};
        },
        [&answers, i](Status s) { answers[i].set_value(std::move(s)); }, repeat[i]);
  }
  release.set_value();
  BatchOutcome out;
  for (size_t i = 0; i < n; ++i) out.results.push_back(answers[i].get_future().get());
  for (size_t i = 0; i < n; ++i) out.runs.push_back(runs[i].load());
  const auto after = db.GetStats();
  out.commits = after.commits - before.commits;
  out.repeats = after.repeats - before.repeats;
  return out;
}

TEST_F(SqliteDatabaseTest, ARepeatableJobThatFailsAfterChangingRowsIsUndoneAndTheBatchRunsAgain) {
  const std::vector<Repeat> all(5, Repeat::kYes);
  const auto out = RunOneBatch(*db_, all, 2, true);
  EXPECT_EQ(out.commits, 2u) << "the holder's commit and the batch's one";
  EXPECT_EQ(out.repeats, 1u);
  for (size_t i : {0u, 1u, 3u, 4u}) EXPECT_TRUE(out.results[i]) << i;
  ASSERT_FALSE(out.results[2]);
  EXPECT_EQ(out.results[2].error().fields.at(0).message, "fails after its insert");
  // The jobs before the failure ran twice (the second time in savepoints); the failed one and
  // those after it once.
  EXPECT_EQ(out.runs, (std::vector<int>{2, 2, 1, 1, 1}));
  EXPECT_EQ(Count(*db_), 4);
  int64_t failed_rows = -1;
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
    static constexpr Sql kFind{"find", "SELECT COUNT(*) FROM t WHERE v = 'batch-2'"};
    auto r = c.QueryOne(kFind, {});
    if (!r) return Fail(r.error());
    failed_rows = (*r)->Int(0);
    return {};
  }));
  EXPECT_EQ(failed_rows, 0) << "the failed job's insert is undone";
}

TEST_F(SqliteDatabaseTest, ARepeatableJobThatFailsBeforeChangingAnythingCostsNoRepeat) {
  const std::vector<Repeat> all(5, Repeat::kYes);
  const auto out = RunOneBatch(*db_, all, 2, false);
  EXPECT_EQ(out.commits, 2u);
  EXPECT_EQ(out.repeats, 0u);
  EXPECT_EQ(out.runs, (std::vector<int>{1, 1, 1, 1, 1}));
  ASSERT_FALSE(out.results[2]);
  EXPECT_EQ(Count(*db_), 4);
}

TEST_F(SqliteDatabaseTest, ABatchWithWorkThatIsNotRepeatableRunsEachJobOnceInASavepoint) {
  const std::vector<Repeat> mixed{Repeat::kYes, Repeat::kYes, Repeat::kYes, Repeat::kNo, Repeat::kYes};
  const auto out = RunOneBatch(*db_, mixed, 2, true);
  EXPECT_EQ(out.commits, 2u);
  EXPECT_EQ(out.repeats, 0u);
  EXPECT_EQ(out.runs, (std::vector<int>{1, 1, 1, 1, 1}));
  for (size_t i : {0u, 1u, 3u, 4u}) EXPECT_TRUE(out.results[i]) << i;
  ASSERT_FALSE(out.results[2]);
  EXPECT_EQ(Count(*db_), 4);
}

TEST_F(SqliteDatabaseTest, WritesAfterShutdownAreRefused) {
  db_->Shutdown();
  auto s = db_->Write([](Connection&) -> Status { return {}; });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
}

TEST(Migrations, ABrokenMigrationIsReportedAndNothingOfItRemains) {
  const auto dir = std::filesystem::temp_directory_path() / "xiaoan-migration-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto db = OpenSqlite({(dir / "m.db").string(), 2, 16},
                       {{"0001_ok", "CREATE TABLE a(x);"}, {"0002_bad", "CREATE TABLE b(y); THIS IS NOT SQL;"}});
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find("0002_bad"), std::string::npos);
  auto again = OpenSqlite({(dir / "m.db").string(), 2, 16},
                          {{"0001_ok", "CREATE TABLE a(x);"}, {"0002_bad", "CREATE TABLE b(y);"}});
  EXPECT_TRUE(again) << "0001 was recorded once and 0002 rolled back, so a fixed 0002 applies";
  std::filesystem::remove_all(dir);
}

// Migrations run with foreign keys off, so a table can be rebuilt by SQLite's procedure (DROP TABLE
// of a referenced table, then RENAME), and each is committed only if no row is left without its
// parent. Foreign keys are on again afterwards.
TEST(Migrations, ATableIsRebuiltUnderItsReferencesAndAMigrationLeavingOrphansIsRefused) {
  const auto dir = std::filesystem::temp_directory_path() / "xiaoan-migration-fk-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "m.db").string();
  const std::pair<std::string, std::string> parents{
      "0001_parents",
      "CREATE TABLE p(id INTEGER PRIMARY KEY, v TEXT CHECK (v IN ('a', 'b', 'c')));"
      "CREATE TABLE c(id INTEGER PRIMARY KEY, p_id INTEGER NOT NULL REFERENCES p(id));"
      "INSERT INTO p VALUES (1, 'a'), (2, 'b'); INSERT INTO c VALUES (10, 2);"};
  const std::pair<std::string, std::string> rebuild{
      "0002_rebuild",
      "CREATE TABLE p_new(id INTEGER PRIMARY KEY, v TEXT CHECK (v = 'a' OR v = 'b' OR v = 'c'));"
      "INSERT INTO p_new SELECT id, v FROM p; DROP TABLE p; ALTER TABLE p_new RENAME TO p;"};
  const std::pair<std::string, std::string> orphan{"0003_orphan", "DELETE FROM p WHERE id = 2;"};
  auto refused = OpenSqlite({path, 2, 16}, {parents, rebuild, orphan});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("0003_orphan"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("without their parent, the first in c"), std::string::npos)
      << refused.error().message;
  auto db = OpenSqlite({path, 2, 16}, {parents, rebuild, {"0003_orphan", "DELETE FROM p WHERE id = 1;"}});
  ASSERT_TRUE(db) << db.error().message;
  static constexpr Sql kChild{"child", "SELECT p.v FROM c JOIN p ON p.id = c.p_id WHERE c.id = 10"};
  static constexpr Sql kOrphanChild{"orphan_child", "INSERT INTO c VALUES (11, 99)"};
  ASSERT_TRUE((*db)->Read([](Connection& c) -> Status {
    auto row = c.QueryOne(kChild, {});
    if (!row) return Fail(row.error());
    EXPECT_TRUE(*row);
    if (*row) EXPECT_EQ((**row).Text(0), "b");  // the row 0002 copied, found through the old reference
    return {};
  }));
  const auto orphaned = (*db)->Write([](Connection& c) -> Status {
    auto r = c.Execute(kOrphanChild, {});
    if (!r) return Fail(r.error());
    return {};
  });
  ASSERT_FALSE(orphaned) << "foreign keys are on again once the migrations have run";
  EXPECT_NE(orphaned.error().message.find("FOREIGN KEY"), std::string::npos) << orphaned.error().message;
  db->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace xiaoan::db
