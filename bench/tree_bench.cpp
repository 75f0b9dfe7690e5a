// The org tree at national scale: 31 provinces, 340 cities, 3,000 counties and 500,000 schools
// (deterministic; the demo school generator over synthetic counties), loaded into a fresh SQLite
// database through the real store and the real migrations. Reports the load time, the latency of
// subtree queries (store::Schools: the count and the first page of 50) for random counties, cities
// and provinces, resident memory after the load, and, as the reference in the same run, the same
// subtree count by a recursive walk of parent_code links.
//
// Usage: tree_bench [--dir=DIR] [--json=FILE] [--schools=N] [--samples=N]
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <expected>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/scope.hpp"
#include "measure.hpp"
#include "modules/org/org_seed.hpp"
#include "modules/org/org_store.hpp"
#include "platform/db/database.hpp"
#include "tree_bench_sql.hpp"
#include "xiaoan_org_sql.hpp"
#include "xiaoan_platform_sql.hpp"

namespace {

using xiaoan::bench::Latencies;
using xiaoan::bench::MsSince;

namespace fs = std::filesystem;
namespace db = xiaoan::db;
namespace org = xiaoan::org;
using Clock = std::chrono::steady_clock;

// The 31 province-level codes of GB/T 2260 (mainland).
constexpr std::array<int, 31> kProvinces{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                                         42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
constexpr int kCities = 340;
constexpr int kCounties = 3000;
constexpr size_t kUnitsPerJob = 20000;
const std::string kNow = "2024-09-01T08:00:00+08:00";

struct Options {
  std::string dir = ".";
  std::string json;
  int schools = 500000;
  int samples = 200;
};

// n items spread over `parts` as evenly as possible: the share of part i.
int Share(int n, int parts, int i) { return n / parts + (i < n % parts ? 1 : 0); }

struct Tree {
  std::vector<org::OrgUnit> divisions;  // provinces, cities, counties; parents first
  std::vector<size_t> counties;         // indexes into divisions
  std::vector<std::string> province_codes, city_codes, county_codes;
};

org::OrgUnit Division(std::string code, std::string name, org::Level level, const org::OrgUnit* parent) {
  org::OrgUnit u;
  u.code = std::move(code);
  u.name = std::move(name);
  u.level = level;
  if (parent) u.parent_code = parent->code;
  u.path = (parent ? parent->path : std::string("/")) + u.code + "/";
  return u;
}

Tree MakeDivisions() {
  Tree t;
  int city_index = 0, county_index = 0;
  for (size_t p = 0; p < kProvinces.size(); ++p) {
    t.divisions.push_back(Division(fmt::format("{:02d}0000", kProvinces[p]), fmt::format("省{:02d}", kProvinces[p]),
                                   org::Level::kProvince, nullptr));
    const size_t province = t.divisions.size() - 1;
    t.province_codes.push_back(t.divisions[province].code);
    const int cities = Share(kCities, static_cast<int>(kProvinces.size()), static_cast<int>(p));
    for (int c = 1; c <= cities; ++c, ++city_index) {
      const org::OrgUnit& prov = t.divisions[province];
      t.divisions.push_back(Division(fmt::format("{:02d}{:02d}00", kProvinces[p], c),
                                     prov.name + fmt::format("市{:02d}", c), org::Level::kCity, &prov));
      const size_t city = t.divisions.size() - 1;
      t.city_codes.push_back(t.divisions[city].code);
      const int counties = Share(kCounties, kCities, city_index);
      for (int k = 1; k <= counties; ++k, ++county_index) {
        const org::OrgUnit& parent = t.divisions[city];
        // Every third county-level unit is a district (区), the rest counties (县): the demo
        // generator makes districts mostly urban.
        const char* kind = county_index % 3 == 0 ? "区" : "县";
        t.divisions.push_back(Division(fmt::format("{:02d}{:02d}{:02d}", kProvinces[p], c, k),
                                       parent.name + fmt::format("第{}{}", k, kind), org::Level::kCounty, &parent));
        t.counties.push_back(t.divisions.size() - 1);
        t.county_codes.push_back(t.divisions.back().code);
      }
    }
  }
  return t;
}

void Check(const xiaoan::Status& s, const std::string& what) {
  if (!s) throw std::runtime_error(what + ": " + s.error().message);
}

// Writes `units` in jobs of kUnitsPerJob rows, each one durable transaction.
void InsertAll(db::Database& database, const std::vector<org::OrgUnit>& units) {
  for (size_t start = 0; start < units.size(); start += kUnitsPerJob) {
    const size_t end = std::min(units.size(), start + kUnitsPerJob);
    Check(database.Write([&](db::Connection& tx) -> xiaoan::Status {
      for (size_t i = start; i < end; ++i)
        if (auto s = org::store::Insert(tx, units[i], kNow); !s) return s;
      return {};
    }),
          "insert");
  }
}

struct Memory {
  long rss_kb = 0, hwm_kb = 0;
};

Memory ReadMemory() {
  Memory m;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) m.rss_kb = std::stol(line.substr(6));
    if (line.starts_with("VmHWM:")) m.hwm_kb = std::stol(line.substr(6));
  }
  return m;
}

struct LevelResult {
  std::string level;
  int samples = 0;
  double mean_schools = 0;
  Latencies page, path_count, recursive_count;
};

// Times, for each of `codes`: store::Schools (count + first page of 50), the path-range count
// alone, and the recursive parent_code count; and checks that the two counts agree.
LevelResult MeasureLevel(db::Database& database, const std::string& level, const std::vector<std::string>& codes) {
  LevelResult r;
  r.level = level;
  double total = 0;
  for (const auto& code : codes) {
    Check(database.Read([&](db::Connection& c) -> xiaoan::Status {
      auto t0 = Clock::now();
      auto page = org::store::Schools(c, xiaoan::Scope::Everything(), code, {}, {1, 50});
      r.page.ms.push_back(MsSince(t0));
      if (!page) return xiaoan::Fail(page.error());

      auto unit = org::store::Get(c, xiaoan::Scope::Everything(), code);
      if (!unit) return xiaoan::Fail(unit.error());
      const auto subtree = xiaoan::Scope::ForPath(unit->path);
      t0 = Clock::now();
      auto by_path = c.QueryOne(org::sql::kSchoolsCount, {subtree.lower(), subtree.upper(), std::string(),
                                                          std::string(), std::string(), int64_t{-1}});
      r.path_count.ms.push_back(MsSince(t0));
      if (!by_path) return xiaoan::Fail(by_path.error());

      t0 = Clock::now();
      auto by_walk = c.QueryOne(xiaoan::bench::sql::kSubtreeCountRecursive, {code});
      r.recursive_count.ms.push_back(MsSince(t0));
      if (!by_walk) return xiaoan::Fail(by_walk.error());

      const int64_t a = page->total, b = (*by_path)->Int(0), w = (*by_walk)->Int(0);
      if (a != b || a != w) throw std::runtime_error(fmt::format("{}: counts differ ({} {} {})", code, a, b, w));
      if (page->items.size() != static_cast<size_t>(std::min<int64_t>(50, a)))
        throw std::runtime_error(code + ": short page");
      total += static_cast<double>(a);
      return {};
    }),
          "query " + code);
  }
  r.samples = static_cast<int>(codes.size());
  r.mean_schools = codes.empty() ? 0 : total / static_cast<double>(codes.size());
  return r;
}

std::vector<std::string> Sample(const std::vector<std::string>& from, int n, std::mt19937_64& rng) {
  std::vector<std::string> out;
  std::uniform_int_distribution<size_t> pick(0, from.size() - 1);
  for (int i = 0; i < n; ++i) out.push_back(from[pick(rng)]);
  return out;
}

// The options, or the exit status once CLI11 has printed --help or the parse error.
std::expected<Options, int> ParseArgs(int argc, char** argv) {
  Options o;
  CLI::App cli{"The org tree at national scale: load, subtree queries, memory"};
  cli.option_defaults()->always_capture_default();
  cli.add_option("--dir", o.dir, "Folder for the database");
  cli.add_option("--json", o.json, "Write the results as JSON to this file");
  cli.add_option("--schools", o.schools, "Schools in the tree");
  cli.add_option("--samples", o.samples,
                 "Random counties queried (cities: half as many, provinces: a tenth, at least 10)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return std::unexpected(cli.exit(e));
  }
  return o;
}

int Run(const Options& o) {
  fs::create_directories(o.dir);
  const std::string path = (fs::path(o.dir) / "tree-bench.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);

  std::vector<std::pair<std::string, std::string>> migrations;
  for (const auto& m : db::migrations::kAll) migrations.emplace_back(std::string(m.name), std::string(m.text));
  auto opened = db::OpenSqlite({.path = path}, migrations);
  if (!opened) throw std::runtime_error("open: " + opened.error().message);
  db::Database& database = **opened;

  // Load: the divisions, then the schools county by county in large durable jobs.
  const auto load_start = Clock::now();
  Tree tree = MakeDivisions();
  InsertAll(database, tree.divisions);
  int64_t schools = 0;
  std::vector<org::OrgUnit> batch;
  for (size_t i = 0; i < tree.counties.size(); ++i) {
    const int n = Share(o.schools, kCounties, static_cast<int>(i));
    auto made = org::DemoSchools(tree.divisions[tree.counties[i]], n);
    schools += static_cast<int64_t>(made.size());
    std::move(made.begin(), made.end(), std::back_inserter(batch));
    if (batch.size() >= kUnitsPerJob || i + 1 == tree.counties.size()) {
      InsertAll(database, batch);
      batch.clear();
      batch.shrink_to_fit();
    }
  }
  const double load_seconds = MsSince(load_start) / 1000;
  const Memory mem = ReadMemory();
  const int64_t units = static_cast<int64_t>(tree.divisions.size()) + schools;
  std::error_code ec;
  const double db_mb = static_cast<double>(fs::file_size(path, ec)) / (1 << 20);

  // Queries: random counties and cities, and provinces (each one several times).
  std::mt19937_64 rng(20240901);
  std::vector<LevelResult> results;
  // One untimed pass so every run starts from the same warm page cache.
  (void)MeasureLevel(database, "warm-up", Sample(tree.county_codes, 20, rng));
  results.push_back(MeasureLevel(database, "county", Sample(tree.county_codes, o.samples, rng)));
  results.push_back(MeasureLevel(database, "city", Sample(tree.city_codes, o.samples / 2, rng)));
  results.push_back(MeasureLevel(database, "province", Sample(tree.province_codes, std::max(10, o.samples / 10), rng)));
  const Memory after = ReadMemory();

  fmt::print("Org tree: {} units ({} schools under {} provinces, {} cities, {} counties)\n", units, schools,
             tree.province_codes.size(), tree.city_codes.size(), tree.county_codes.size());
  fmt::print("load through store::Insert + Database::Write: {:.1f} s ({:.0f} units/s), database file {:.0f} MiB\n",
             load_seconds, static_cast<double>(units) / load_seconds, db_mb);
  fmt::print("memory after load: VmRSS {:.1f} MiB, VmHWM {:.1f} MiB (after queries: VmRSS {:.1f} MiB)\n",
             mem.rss_kb / 1024.0, mem.hwm_kb / 1024.0, after.rss_kb / 1024.0);
  fmt::print(
      "\nSubtree queries, ms; reference = recursive parent_code walk (WITH RECURSIVE) counting the same schools\n");
  fmt::print("{:<9} {:>7} {:>9} | {:>9} {:>9} | {:>9} {:>9} | {:>10} {:>10} | {:>9}\n", "level", "samples", "schools",
             "page p50", "page p99", "path p50", "path p99", "recur p50", "recur p99", "x (p50)");
  for (const auto& r : results) {
    const double path50 = r.path_count.Percentile(0.5), rec50 = r.recursive_count.Percentile(0.5);
    fmt::print("{:<9} {:>7} {:>9.0f} | {:>9.3f} {:>9.3f} | {:>9.3f} {:>9.3f} | {:>10.3f} {:>10.3f} | {:>9.1f}\n",
               r.level, r.samples, r.mean_schools, r.page.Percentile(0.5), r.page.Percentile(0.99), path50,
               r.path_count.Percentile(0.99), rec50, r.recursive_count.Percentile(0.99),
               path50 > 0 ? rec50 / path50 : 0.0);
  }
  fmt::print("page = store::Schools (count + first page of 50); path = the materialised-path range count alone.\n");

  if (!o.json.empty()) {
    std::ofstream out(o.json);
    out << fmt::format(
        "{{\"units\": {}, \"schools\": {}, \"load_seconds\": {:.2f}, \"db_mib\": {:.1f}, \"vm_rss_mib\": {:.1f}, "
        "\"vm_hwm_mib\": {:.1f}, \"levels\": [",
        units, schools, load_seconds, db_mb, mem.rss_kb / 1024.0, mem.hwm_kb / 1024.0);
    for (size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      out << (i ? ", " : "")
          << fmt::format(
                 "{{\"level\": \"{}\", \"samples\": {}, \"mean_schools\": {:.1f}, \"page_p50_ms\": {:.3f}, "
                 "\"page_p99_ms\": {:.3f}, \"path_count_p50_ms\": {:.3f}, \"path_count_p99_ms\": {:.3f}, "
                 "\"recursive_count_p50_ms\": {:.3f}, \"recursive_count_p99_ms\": {:.3f}}}",
                 r.level, r.samples, r.mean_schools, r.page.Percentile(0.5), r.page.Percentile(0.99),
                 r.path_count.Percentile(0.5), r.path_count.Percentile(0.99), r.recursive_count.Percentile(0.5),
                 r.recursive_count.Percentile(0.99));
    }
    out << "]}\n";
  }
  database.Shutdown();
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto o = ParseArgs(argc, argv);
    if (!o) return o.error();
    return Run(*o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tree_bench: %s\n", e.what());
    return 1;
  }
}
