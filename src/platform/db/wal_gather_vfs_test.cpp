#include "platform/db/wal_gather_vfs.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "platform/db/test_db.hpp"

namespace xiaoan::db {
namespace {

// A raw SQLite connection, through the gathering VFS or the default one.
class Conn {
 public:
  Conn(const std::string& path, bool gather) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                   gather ? WalGatherVfs() : nullptr);
    EXPECT_EQ(rc, SQLITE_OK) << sqlite3_errmsg(db_);
    Run("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;");
  }
  ~Conn() { sqlite3_close(db_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  void Run(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (err ? err : "");
    sqlite3_free(err);
  }

  std::string One(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Inserts `rows` rows of about a third of a page each in one transaction.
void InsertRows(Conn& c, int rows) {
  c.Run("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(rows) +
        ") INSERT INTO t(v) SELECT printf('%.1500c', 'x') || i FROM n; COMMIT;");
}

WalGatherStats Since(const WalGatherStats& before) {
  const auto now = GetWalGatherStats();
  return {now.asked - before.asked, now.made - before.made, now.opened - before.opened};
}

TEST(WalGatherVfs, ACommitsFramesAreWrittenTogetherAndAnotherConnectionReadsThemAll) {
  ASSERT_NE(WalGatherVfs(), nullptr);
  TestDb dir;  // only for its folder
  const std::string path = dir.path() + "-gather";
  Conn writer(path, true);
  Conn reader(path, false);
  writer.Run("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  const auto before = GetWalGatherStats();
  InsertRows(writer, 60);  // about 22 pages: SQLite asks for two writes per frame
  const auto one = Since(before);
  EXPECT_GE(one.asked, 40u);
  EXPECT_LE(one.made, 2u) << one.asked << " writes asked";
  EXPECT_EQ(reader.One("SELECT count(*) FROM t"), "60");
  // A transaction larger than what is gathered at once is written in several parts, all of them
  // there once it has committed.
  const auto big_before = GetWalGatherStats();
  InsertRows(writer, 3000);  // about 4.5 MB
  const auto big = Since(big_before);
  EXPECT_GT(big.made, 1u);
  EXPECT_LT(big.made * 10, big.asked);
  EXPECT_EQ(reader.One("SELECT count(*) FROM t"), "3060");
  EXPECT_EQ(reader.One("PRAGMA integrity_check"), "ok");
}

// The store's syncer asks whether the WAL is still the file it syncs only when this count moves:
// every WAL file a connection opens through the VFS is counted, once, before anything is written.
TEST(WalGatherVfs, EveryWalFileOpenedThroughItIsCountedOnce) {
  TestDb dir;
  const std::string path = dir.path() + "-opened";
  const auto before = GetWalGatherStats();
  Conn writer(path, true);
  writer.Run("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  EXPECT_EQ(Since(before).opened, 1u);
  InsertRows(writer, 10);
  EXPECT_EQ(Since(before).opened, 1u) << "writes to an open WAL open nothing";
  Conn other(path, true);
  EXPECT_EQ(other.One("SELECT count(*) FROM t"), "10");
  EXPECT_EQ(Since(before).opened, 2u);
  Conn plain(path, false);  // the default VFS: not counted
  EXPECT_EQ(plain.One("SELECT count(*) FROM t"), "10");
  EXPECT_EQ(Since(before).opened, 2u);
}

TEST(WalGatherVfs, ARolledBackTransactionLeavesNothingAndTheNextCommitIsWhole) {
  TestDb dir;
  const std::string path = dir.path() + "-rollback";
  Conn writer(path, true);
  Conn reader(path, false);
  writer.Run("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  // A tiny page cache makes the transaction spill frames into the WAL before it is rolled back.
  writer.Run("PRAGMA cache_size=10");
  writer.Run(
      "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
      "INSERT INTO t(v) SELECT printf('%.1500c', 'y') || i FROM n; ROLLBACK;");
  EXPECT_EQ(reader.One("SELECT count(*) FROM t"), "0");
  InsertRows(writer, 40);
  EXPECT_EQ(reader.One("SELECT count(*) FROM t"), "40");
  EXPECT_EQ(reader.One("SELECT count(*) FROM t WHERE v LIKE 'y%'"), "0");
  EXPECT_EQ(reader.One("PRAGMA integrity_check"), "ok");
}

TEST(WalGatherVfs, AConnectionOpenedOnAnExistingWalGathersItsAppendsAndNothingIsLost) {
  TestDb dir;
  const std::string path = dir.path() + "-existing";
  Conn reader(path, false);
  {
    Conn first(path, true);
    first.Run("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    InsertRows(first, 30);
    reader.Run("BEGIN; SELECT count(*) FROM t;");  // a reader: the WAL outlives the first writer
  }
  ASSERT_GT(std::filesystem::file_size(path + "-wal"), 32u);
  Conn second(path, true);
  const auto before = GetWalGatherStats();
  InsertRows(second, 30);  // appended after the first writer's frames: the page size is read from the WAL
  const auto appended = Since(before);
  reader.Run("COMMIT");
  EXPECT_LE(appended.made, 2u) << appended.asked << " writes asked";
  EXPECT_EQ(reader.One("SELECT count(*) FROM t"), "60");
  // Checkpointed by the default VFS and reopened: everything is in the database.
  reader.Run("PRAGMA wal_checkpoint(TRUNCATE)");
  Conn again(path, false);
  EXPECT_EQ(again.One("SELECT count(*) FROM t"), "60");
  EXPECT_EQ(again.One("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace xiaoan::db
