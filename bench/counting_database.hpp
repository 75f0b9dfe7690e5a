// A db::Database decorator for benchmarks: forwards everything to the real database and, for each
// write job, counts the rows every statement changed, read from SQLite's total_changes() on the
// writer's own connection before and after the statement (it includes rows changed by triggers).
// The extra reads cost a few microseconds a statement: time writes without the decorator.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "platform/db/database.hpp"

namespace xiaoan::bench {

// Rows changed by one write job, by statement name (the query file's name).
struct RowsTouched {
  int64_t total = 0;
  std::map<std::string, int64_t> by_statement;
};

class CountingDatabase final : public db::Database {
 public:
  explicit CountingDatabase(db::Database& inner) : inner_(inner) {}

  Status Read(const std::function<Status(db::Connection&)>& work) override { return inner_.Read(work); }
  Status Write(db::WriteWork work) override {
    RowsTouched rows;
    auto status = inner_.Write([&](db::Connection& tx) -> Status {
      rows = RowsTouched{};
      Counting counting(tx, rows);
      return work(counting);
    });
    std::lock_guard lock(mu_);
    last_ = std::move(rows);
    return status;
  }
  using db::Database::WriteAsync;
  void WriteAsync(db::WriteWork work, db::WriteDone done, db::Repeat repeat) override {
    auto rows = std::make_shared<RowsTouched>();
    inner_.WriteAsync(
        [rows, work = std::move(work)](db::Connection& tx) -> Status {
          *rows = RowsTouched{};
          Counting counting(tx, *rows);
          return work(counting);
        },
        [this, rows, done = std::move(done)](Status status) mutable {
          {
            std::lock_guard lock(mu_);
            last_ = std::move(*rows);
          }
          done(std::move(status));
        },
        repeat);
  }
  void SetCompletionPost(db::CompletionPost post) override { inner_.SetCompletionPost(std::move(post)); }
  void WriteDetached(db::WriteWork work) override { inner_.WriteDetached(std::move(work)); }
  void Shutdown() override { inner_.Shutdown(); }
  [[nodiscard]] Stats GetStats() const override { return inner_.GetStats(); }

  // The rows touched by the last write job that finished (committed or not).
  [[nodiscard]] RowsTouched Last() const {
    std::lock_guard lock(mu_);
    return last_;
  }

 private:
  class Counting final : public db::Connection {
   public:
    Counting(db::Connection& tx, RowsTouched& rows) : tx_(tx), rows_(rows) {}
    Result<std::vector<db::Row>> Query(const db::Sql& sql, const db::Params& params) override {
      const int64_t before = Total();
      auto out = tx_.Query(sql, params);
      Add(sql, Total() - before);
      return out;
    }
    Result<int64_t> Execute(const db::Sql& sql, const db::Params& params) override {
      const int64_t before = Total();
      auto out = tx_.Execute(sql, params);
      Add(sql, Total() - before);
      return out;
    }
    Result<int64_t> InsertOne(const db::Sql& sql, const db::Params& params) override {
      const int64_t before = Total();
      auto out = tx_.InsertOne(sql, params);
      Add(sql, Total() - before);
      return out;
    }
    Status ExecuteScript(std::string_view script) override { return tx_.ExecuteScript(script); }
    const std::any* Note(std::string_view key) override { return tx_.Note(key); }
    void SetNote(std::string_view key, std::any value) override { tx_.SetNote(key, std::move(value)); }

   private:
    static constexpr db::Sql kTotalChanges{"total_changes", "SELECT total_changes()"};
    int64_t Total() {
      auto row = tx_.QueryOne(kTotalChanges, {});
      return row && *row ? (*row)->Int(0) : 0;
    }
    void Add(const db::Sql& sql, int64_t n) {
      if (n == 0) return;
      rows_.total += n;
      rows_.by_statement[std::string(sql.name)] += n;
    }
    db::Connection& tx_;
    RowsTouched& rows_;
  };

  db::Database& inner_;
  mutable std::mutex mu_;
  RowsTouched last_;
};

}  // namespace xiaoan::bench
