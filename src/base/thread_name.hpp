// Names for the threads XiaoAn starts, as `top -H`, `ps -L`, perf and /proc/<pid>/task/*/comm show
// them, and as bench/health-http-bench reports CPU per thread.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace xiaoan {

// Names the calling thread. Linux keeps at most 15 bytes of a name: a longer one is cut there.
// Never called on the main thread, whose name is the process's.
void NameThisThread(std::string_view name);

// The calling thread's name, as the system keeps it.
[[nodiscard]] std::string ThisThreadName();

// The names of this process's threads (/proc/self/task/*/comm), one entry per thread.
[[nodiscard]] std::multiset<std::string> ProcessThreadNames();

// A thread that names itself `name`, then runs `body`.
template <class Body>
[[nodiscard]] std::thread NamedThread(std::string name, Body body) {
  return std::thread([name = std::move(name), body = std::move(body)]() mutable {
    NameThisThread(name);
    body();
  });
}

}  // namespace xiaoan
