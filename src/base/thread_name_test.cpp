#include "base/thread_name.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace xiaoan {
namespace {

TEST(ThreadName, AThreadCarriesItsNameAndALongNameIsCutAtFifteenBytes) {
  std::string named, cut;
  std::thread([&] {
    NameThisThread("xiaoan-writer");
    named = ThisThreadName();
    NameThisThread("xiaoan-a-name-longer-than-fifteen");
    cut = ThisThreadName();
  }).join();
  EXPECT_EQ(named, "xiaoan-writer");
  EXPECT_EQ(cut, "xiaoan-a-name-l");
  EXPECT_NE(ThisThreadName(), "xiaoan-writer") << "only the thread that named itself is renamed";
}

TEST(ThreadName, ANamedThreadIsAmongTheProcesssThreadsWhileItRuns) {
  std::atomic<bool> named{false}, done{false};
  std::thread t = NamedThread("xiaoan-test", [&] {
    named = true;
    while (!done) std::this_thread::yield();
  });
  while (!named) std::this_thread::yield();
  EXPECT_EQ(ProcessThreadNames().count("xiaoan-test"), 1u);
  done = true;
  t.join();
  EXPECT_EQ(ProcessThreadNames().count("xiaoan-test"), 0u);
}

}  // namespace
}  // namespace xiaoan
