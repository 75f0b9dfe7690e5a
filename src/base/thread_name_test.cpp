#include "base/thread_name.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace xiaoan
