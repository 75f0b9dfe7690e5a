#include "base/thread_name.hpp"

#include <pthread.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>

namespace xiaoan {

void NameThisThread(std::string_view name) {
  std::array<char, 16> cut{};  // 15 bytes and the NUL: the limit of pthread_setname_np
  std::copy_n(name.begin(), std::min(name.size(), cut.size() - 1), cut.begin());
  (void)pthread_setname_np(pthread_self(), cut.data());
}

std::string ThisThreadName() {
  std::array<char, 16> name{};
  if (pthread_getname_np(pthread_self(), name.data(), name.size()) != 0) return {};
  return name.data();
}

std::multiset<std::string> ProcessThreadNames() {
  std::multiset<std::string> names;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name)) names.insert(name);  // a thread that ended meanwhile has none
  }
  return names;
}

}  // namespace xiaoan
