// What every benchmark program measures the same way: latency percentiles, the process's memory
// from /proc, the machine's load, database files on disk.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace xiaoan::bench {

// Latencies in milliseconds; Percentile(p) is the nearest-rank percentile (p in (0, 1]), 0 when empty.
struct Latencies {
  std::vector<double> ms;
  [[nodiscard]] double Percentile(double p) const;
};

// Milliseconds since `start` on the steady clock.
[[nodiscard]] double MsSince(std::chrono::steady_clock::time_point start);

// A field of /proc/self/status in kB ("VmRSS:", "VmHWM:"); 0 when absent.
[[nodiscard]] long ProcStatusKb(std::string_view field);

// The 1-, 5- and 15-minute load averages, as /proc/loadavg has them ("6.12 5.80 4.02").
[[nodiscard]] std::string LoadAverage();

// The size of a file in MiB (0 when absent), and of an SQLite database with its WAL.
[[nodiscard]] double FileMib(const std::string& path);
[[nodiscard]] double DatabaseMib(const std::string& path);

// Removes an SQLite database and its -wal and -shm files.
void RemoveDatabase(const std::string& path);

}  // namespace xiaoan::bench
