#include "platform/http/json_body.hpp"

#include <gtest/gtest.h>

namespace xiaoan::http {
namespace {

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  if (!s)
    for (const auto& f : s.error().fields) out.push_back(f.field);
  return out;
}

TEST(JsonBody, MalformedJsonNamesTheBody) {
  for (const char* bad : {"", "{", "[1,2]", "\"text\"", "{\"a\":}", "null"}) {
    auto body = JsonBody::Parse(bad);
    ASSERT_FALSE(body) << bad;
    EXPECT_EQ(body.error().fields.at(0).field, "body") << bad;
  }
}

TEST(JsonBody, ReadsTypedFieldsAndReportsEveryProblemAtOnce) {
  auto body = JsonBody::Parse(R"({"name":"x","n":"7","flag":1,"extra":true})");
  ASSERT_TRUE(body);
  EXPECT_TRUE(body->String("name", Need::kRequired, 10));
  EXPECT_FALSE(body->Int("n", Need::kRequired, 0, 10));
  EXPECT_FALSE(body->Bool("flag", Need::kRequired));
  EXPECT_FALSE(body->String("missing", Need::kRequired));
  EXPECT_EQ(Fields(body->Finish()), (std::vector<std::string>{"n", "flag", "missing", "extra"}));
}

TEST(JsonBody, IntegerBoundsAreInclusive) {
  auto body = JsonBody::Parse(R"({"lo":0,"hi":100,"over":101,"under":-1,"big":18446744073709551615,"real":1.5})");
  ASSERT_TRUE(body);
  EXPECT_EQ(body->Int("lo", Need::kRequired, 0, 100), 0);
  EXPECT_EQ(body->Int("hi", Need::kRequired, 0, 100), 100);
  EXPECT_FALSE(body->Int("over", Need::kRequired, 0, 100));
  EXPECT_FALSE(body->Int("under", Need::kRequired, 0, 100));
  EXPECT_FALSE(body->Int("big", Need::kRequired, 0, 100));
  EXPECT_FALSE(body->Int("real", Need::kRequired, 0, 100));
  EXPECT_EQ(Fields(body->Finish()), (std::vector<std::string>{"over", "under", "big", "real"}));
}

TEST(JsonBody, StringLengthCountsCharactersNotBytes) {
  auto body = JsonBody::Parse(R"({"name":"金水区第一小学"})");
  ASSERT_TRUE(body);
  EXPECT_TRUE(body->String("name", Need::kRequired, 7));
  auto longer = JsonBody::Parse(R"({"name":"金水区第一小学"})");
  EXPECT_FALSE(longer->String("name", Need::kRequired, 6));
}

TEST(JsonBody, ControlCharactersAndEmptyRequiredStringsAreRejected) {
  auto body = JsonBody::Parse("{\"a\":\"x\\u0001y\",\"b\":\"\"}");
  ASSERT_TRUE(body);
  EXPECT_FALSE(body->String("a", Need::kRequired, 10));
  EXPECT_FALSE(body->String("b", Need::kRequired, 10, 1));
}

TEST(JsonBody, NestedObjectsPrefixTheirFieldNames) {
  auto body = JsonBody::Parse(R"({"attributes":{"class_count":"x","zz":1}})");
  ASSERT_TRUE(body);
  auto attrs = body->Object("attributes", Need::kRequired);
  ASSERT_TRUE(attrs);
  EXPECT_FALSE(attrs->Int("class_count", Need::kRequired, 0, 10));
  body->Merge(*attrs);
  EXPECT_EQ(Fields(body->Finish()), (std::vector<std::string>{"attributes.class_count", "attributes.zz"}));
}

TEST(JsonBody, OptionalNullCountsAsAbsent) {
  auto body = JsonBody::Parse(R"({"totp":null})");
  ASSERT_TRUE(body);
  EXPECT_FALSE(body->String("totp", Need::kOptional, 6));
  EXPECT_TRUE(body->Finish());
}

TEST(Utf8Length, RejectsInvalidSequences) {
  EXPECT_EQ(Utf8Length("abc"), 3);
  EXPECT_EQ(Utf8Length("校安"), 2);
  EXPECT_EQ(Utf8Length("\xff"), -1);
  EXPECT_EQ(Utf8Length("\xe6\xa0"), -1);
}

}  // namespace
}  // namespace xiaoan::http
