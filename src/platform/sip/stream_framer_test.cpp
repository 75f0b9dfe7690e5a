#include "platform/sip/stream_framer.hpp"

#include <gtest/gtest.h>

namespace xiaoan::sip {
namespace {

constexpr std::string_view kOne = "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nl: 5\r\n\r\nhello";

TEST(StreamFramer, CutsMessagesArrivingByteByByteAndSkipsCrlfPings) {
  StreamFramer f;
  const std::string stream = "\r\n\r\n" + std::string(kOne) + "\r\n\r\n" + std::string(kOne);
  std::vector<std::string> got;
  for (char c : stream) {
    f.Append(std::string_view(&c, 1));
    for (;;) {
      auto next = f.Next();
      ASSERT_TRUE(next);
      if (!*next) break;
      got.push_back(**next);
    }
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], kOne);
  EXPECT_EQ(got[1], kOne);
  EXPECT_EQ(f.pings(), 4);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(StreamFramer, TwoMessagesInOneSegment) {
  StreamFramer f;
  f.Append(std::string(kOne) + std::string(kOne));
  EXPECT_EQ(**f.Next(), kOne);
  EXPECT_EQ(**f.Next(), kOne);
  EXPECT_FALSE(*f.Next());
}

TEST(StreamFramer, RefusesStreamsItCannotFrame) {
  StreamFramer no_length;
  no_length.Append("MESSAGE sip:a@b SIP/2.0\r\nVia: x\r\n\r\nbody");
  EXPECT_FALSE(no_length.Next());
  StreamFramer bad_length;
  bad_length.Append("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: ten\r\n\r\n");
  EXPECT_FALSE(bad_length.Next());
  StreamFramer huge(1000);
  huge.Append("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n");
  EXPECT_FALSE(huge.Next());
  StreamFramer endless_head(100);
  endless_head.Append(std::string(200, 'a'));
  EXPECT_FALSE(endless_head.Next());
}

}  // namespace
}  // namespace xiaoan::sip
