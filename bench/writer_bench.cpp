// Durable single-row writes: the group-commit writer (db::OpenSqlite + Database::Write) with 1, 8
// and 64 concurrent writers, against plain SQLite in the same mode (WAL, synchronous=FULL) with one
// commit per row and with 100 rows per commit. Every figure is rows made durable per second.
//
// Usage: writer_bench [--dir=DIR] [--json=FILE] [benchmark flags]. The databases are temporary
// files in DIR (default: the current directory), on the disk whose fsync is being measured.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <fmt/format.h>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/db/database.hpp"
#include "writer_bench_sql.hpp"

namespace {

namespace fs = std::filesystem;
namespace db = xiaoan::db;
namespace sql = xiaoan::bench::sql;

constexpr int kBatchRows = 100;
const std::string kPayload(64, 'x');  // a small row: an id, a writer number, 64 bytes, a time

std::string g_dir = ".";

std::string FreshPath(const std::string& name) {
  const std::string path = (fs::path(g_dir) / name).string();
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix);
  return path;
}

// --- the group-commit writer ----------------------------------------------------------------------

std::unique_ptr<db::Database> g_db;

void OpenStore(const benchmark::State&) {
  auto opened = db::OpenSqlite({.path = FreshPath("writer-bench-store.db")},
                               {{std::string(sql::k0001BenchRows.name), std::string(sql::k0001BenchRows.text)}});
  if (!opened) throw std::runtime_error("open store: " + opened.error().message);
  g_db = std::move(*opened);
}

void CloseStore(const benchmark::State&) {
  g_db->Shutdown();
  g_db.reset();
}

void BM_GroupCommit(benchmark::State& state) {
  const auto writer = static_cast<int64_t>(state.thread_index());
  const auto before = g_db->GetStats();
  int64_t seq = 0;
  for (auto _ : state) {
    auto written = g_db->Write([&](db::Connection& tx) -> xiaoan::Status {
      auto r = tx.Execute(sql::kInsertBenchRow, {writer, kPayload, seq++});
      if (!r) return xiaoan::Fail(r.error());
      return {};
    });
    if (!written) {
      state.SkipWithError(written.error().message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    // Rows per commit over the whole run, as seen from the first thread at its end.
    const auto after = g_db->GetStats();
    const double commits = static_cast<double>(after.commits - before.commits);
    state.counters["rows_per_commit"] = commits > 0 ? static_cast<double>(after.jobs - before.jobs) / commits : 0;
  }
}
BENCHMARK(BM_GroupCommit)
    ->Name("group_commit")
    ->Setup(OpenStore)
    ->Teardown(CloseStore)
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->UseRealTime()
    ->MinTime(2.0);

// --- plain SQLite ---------------------------------------------------------------------------------

struct Plain {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;

  explicit Plain(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("open " + path);
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    Exec(std::string(sql::k0001BenchRows.text));
    const std::string text = "INSERT INTO bench_rows (writer, payload, created_at) VALUES (?1, ?2, ?3)";
    if (sqlite3_prepare_v2(db, text.c_str(), -1, &insert, nullptr) != SQLITE_OK) throw std::runtime_error("prepare");
  }
  ~Plain() {
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
  void Exec(const std::string& script) {
    char* err = nullptr;
    if (sqlite3_exec(db, script.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(msg);
    }
  }
  void Insert(int64_t seq) {
    sqlite3_bind_int64(insert, 1, 0);
    sqlite3_bind_text(insert, 2, kPayload.data(), static_cast<int>(kPayload.size()), SQLITE_STATIC);
    sqlite3_bind_int64(insert, 3, seq);
    if (sqlite3_step(insert) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
    sqlite3_reset(insert);
  }
};

void BM_PlainCommitPerRow(benchmark::State& state) {
  Plain p(FreshPath("writer-bench-plain.db"));
  int64_t seq = 0;
  for (auto _ : state) p.Insert(seq++);  // autocommit: one durable transaction per row
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlainCommitPerRow)->Name("sqlite_commit_per_row")->UseRealTime()->MinTime(2.0);

void BM_PlainBatched(benchmark::State& state) {
  Plain p(FreshPath("writer-bench-batched.db"));
  int64_t seq = 0;
  for (auto _ : state) {
    p.Exec("BEGIN IMMEDIATE");
    for (int i = 0; i < kBatchRows; ++i) p.Insert(seq++);
    p.Exec("COMMIT");
  }
  state.SetItemsProcessed(state.iterations() * kBatchRows);
}
BENCHMARK(BM_PlainBatched)->Name("sqlite_batched_100")->UseRealTime()->MinTime(2.0);

// --- the summary ----------------------------------------------------------------------------------

// The usual console table, plus the rows/s of every run kept for the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      Row row;
      if (auto it = run.counters.find("items_per_second"); it != run.counters.end()) row.rows_per_second = it->second;
      if (auto it = run.counters.find("rows_per_commit"); it != run.counters.end()) row.rows_per_commit = it->second;
      row.threads = run.threads;
      rows_[run.run_name.function_name + "/" + std::to_string(run.threads)] = row;
    }
  }

  struct Row {
    double rows_per_second = 0;
    double rows_per_commit = 1;
    int64_t threads = 1;
  };
  const std::map<std::string, Row>& rows() const { return rows_; }

 private:
  std::map<std::string, Row> rows_;
};

void PrintSummary(const SummaryReporter& reporter, const std::string& json_path) {
  const auto& rows = reporter.rows();
  double per_row = 0;
  for (const auto& [name, row] : rows)
    if (name == "sqlite_commit_per_row/1") per_row = row.rows_per_second;
  std::vector<std::pair<std::string, const SummaryReporter::Row*>> ordered;
  for (const char* key :
       {"group_commit/1", "group_commit/8", "group_commit/64", "sqlite_commit_per_row/1", "sqlite_batched_100/1"})
    if (auto it = rows.find(key); it != rows.end()) ordered.emplace_back(key, &it->second);

  fmt::print(
      "\nDurable single-row writes (WAL, synchronous=FULL), rows/s; reference = plain SQLite, one commit per row\n");
  fmt::print("{:<24} {:>8} {:>14} {:>16} {:>14}\n", "variant", "writers", "rows/s", "rows/commit", "x per-row");
  for (const auto& [name, row] : ordered) {
    fmt::print("{:<24} {:>8} {:>14.0f} {:>16.1f} {:>14.2f}\n", name.substr(0, name.find('/')), row->threads,
               row->rows_per_second, name.starts_with("sqlite_batched") ? double{kBatchRows} : row->rows_per_commit,
               per_row > 0 ? row->rows_per_second / per_row : 0.0);
  }
  if (json_path.empty()) return;
  std::ofstream out(json_path);
  out << "{\"unit\": \"rows_per_second\", \"runs\": [";
  bool first = true;
  for (const auto& [name, row] : ordered) {
    out << (first ? "" : ", ")
        << fmt::format(
               "{{\"name\": \"{}\", \"writers\": {}, \"rows_per_second\": {:.1f}, \"rows_per_commit\": {:.2f}}}",
               name.substr(0, name.find('/')), row->threads, row->rows_per_second,
               name.starts_with("sqlite_batched") ? double{kBatchRows} : row->rows_per_commit);
    first = false;
  }
  out << "]}\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string json_path;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--dir="))
      g_dir = std::string(arg.substr(6));
    else if (arg.starts_with("--json="))
      json_path = std::string(arg.substr(7));
    else
      rest.push_back(argv[i]);
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 1;
  fs::create_directories(g_dir);
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  PrintSummary(reporter, json_path);
  for (const char* name : {"writer-bench-store.db", "writer-bench-plain.db", "writer-bench-batched.db"})
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(fs::path(g_dir) / (std::string(name) + suffix));
  return 0;
}
