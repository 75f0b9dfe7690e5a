// For tests: a fresh database in a temporary file with every migration applied, removed afterwards.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "platform/db/database.hpp"
#include "xiaoan_platform_sql.hpp"

namespace xiaoan::db {

class TestDb {
 public:
  TestDb() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("xiaoan-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    std::vector<std::pair<std::string, std::string>> migrations;
    for (const auto& m : migrations::kAll) migrations.emplace_back(std::string(m.name), std::string(m.text));
    SqliteOptions options;
    options.path = (dir_ / "test.db").string();
    auto opened = OpenSqlite(options, migrations);
    if (!opened) throw std::runtime_error("test db: " + opened.error().message);
    db_ = std::move(*opened);
  }
  ~TestDb() {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Database& operator*() { return *db_; }
  Database* operator->() { return db_.get(); }
  [[nodiscard]] std::string path() const { return (dir_ / "test.db").string(); }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

// `q` behind `prefix` ("EXPLAIN " or "EXPLAIN QUERY PLAN "), as a statement whose text lives as long
// as the program. Connections cache statements by the address of their text: a text made on the
// stack and freed could have its address taken by the next one, which would then be answered with
// the first one's statement. One text per statement, never freed, cannot be mistaken.
inline Sql Explained(std::string_view prefix, const Sql& q) {
  static std::mutex mu;
  static std::map<std::string, std::string, std::less<>> texts;
  std::lock_guard lock(mu);
  std::string text = std::string(prefix) + std::string(q.text);
  const std::string& kept = texts.try_emplace(text, text).first->second;
  return Sql{"explain", kept};
}

}  // namespace xiaoan::db
