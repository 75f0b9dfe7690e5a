#include "platform/http/json_body.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

TEST(JsonBody, AFieldGivenTwiceIsAnErrorNamingIt) {
  auto body = JsonBody::Parse(R"({"n":1,"n":2,"n":3,"name":"x"})");
  ASSERT_TRUE(body);
  EXPECT_TRUE(body->Int("n", Need::kRequired, 0, 10));
  EXPECT_TRUE(body->String("name", Need::kRequired, 10));
  auto status = body->Finish();
  ASSERT_FALSE(status);
  ASSERT_EQ(status.error().fields.size(), 1u);  // once, however often it is repeated
  EXPECT_EQ(status.error().fields[0].field, "n");
  EXPECT_EQ(status.error().fields[0].message, "This field is given more than once.");
  EXPECT_EQ(Fields(body->Finish()), (std::vector<std::string>{"n"}));  // and Finish twice adds nothing
}

TEST(JsonBody, ListItemsAreReadAsObjectsWithTheirOwnPrefix) {
  std::optional<JsonBody::List> rows;
  {
    auto body = JsonBody::Parse(R"({"rows":[{"code":"41"},7,{"code":5,"zz":true}],"few":[1,2,3]})");
    ASSERT_TRUE(body);
    EXPECT_FALSE(body->Array("few", Need::kRequired, 2));
    EXPECT_FALSE(body->Array("missing", Need::kRequired, 2));
    rows = body->Array("rows", Need::kRequired, 3);
    ASSERT_TRUE(rows);
    EXPECT_EQ(Fields(body->Finish()), (std::vector<std::string>{"few", "missing"}));
  }  // the list keeps the parsed document alive without the body
  ASSERT_EQ(rows->size(), 3u);
  auto first = rows->Object(0, "rows[0].");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->String("code", Need::kRequired, 10), "41");
  EXPECT_TRUE(first->Finish());
  auto second = rows->Object(1, "rows[1].");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().fields.at(0).field, "rows[1]");
  auto third = rows->Object(2, "rows[2].");
  ASSERT_TRUE(third);
  EXPECT_FALSE(third->String("code", Need::kRequired, 10));
  EXPECT_EQ(Fields(third->Finish()), (std::vector<std::string>{"rows[2].code", "rows[2].zz"}));
  EXPECT_FALSE(rows->Object(3, "rows[3]."));
  EXPECT_EQ(rows->ToJson(), nlohmann::json::parse(R"([{"code":"41"},7,{"code":5,"zz":true}])"));
}

TEST(JsonBody, ALargeBodyIsParsedAsWellAsASmallOne) {
  // Over the size that the thread's reused parser takes (json_body.cpp): a parser of its own.
  std::string big = R"({"name":")" + std::string(100000, 'x') + R"(","n":3})";
  auto body = JsonBody::Parse(big);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->String("name", Need::kRequired, 100000)->size(), 100000u);
  EXPECT_EQ(body->Int("n", Need::kRequired, 0, 10), 3);
  EXPECT_TRUE(body->Finish());
  EXPECT_FALSE(JsonBody::Parse(big.substr(0, big.size() - 1)));
  // and a small body after it still parses on the same thread
  EXPECT_EQ(JsonBody::Parse(R"({"n":4})")->Int("n", Need::kRequired, 0, 10), 4);
}

TEST(JsonBody, InvalidUtf8IsNotValidJson) {
  for (const char* bad : {"{\"a\":\"\xff\"}", "{\"a\":1,}", R"({"a":-})"}) {
    auto body = JsonBody::Parse(bad);
    ASSERT_FALSE(body) << bad;
    EXPECT_EQ(body.error().fields.at(0).field, "body") << bad;
  }
}

TEST(JsonBody, ANumberBeyondSixtyFourBitsOrADoublesRangeNamesItsField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"a":123456789012345678901234567890})", "a"},
      {R"({"a":-123456789012345678901234567890})", "a"},
      {R"({"a":1e400})", "a"},
      {R"({"ok":1,"cases":[{"age":7},{"no":"x","age":99999999999999999999}]})", "cases[1].age"},
      {R"({"rows":[[1,2],[3,1e999]]})", "rows[1][1]"},
      {R"({"a":{"b":{"c":[0,0,-1e500]}}})", "a.b.c[2]"},
  };
  for (const auto& [bad, field] : cases) {
    auto body = JsonBody::Parse(bad);
    ASSERT_FALSE(body) << bad;
    ASSERT_EQ(body.error().fields.size(), 1u) << bad;
    EXPECT_EQ(body.error().fields[0].field, field) << bad;
    EXPECT_EQ(body.error().fields[0].message, "Out of range.") << bad;
  }
  // A body broken before its bad number is the body's error.
  EXPECT_EQ(JsonBody::Parse(R"({"a":1,,"b":1e400})").error().fields.at(0).field, "body");
}

TEST(Utf8Length, RejectsInvalidSequences) {
  EXPECT_EQ(Utf8Length("abc"), 3);
  EXPECT_EQ(Utf8Length("校安"), 2);
  EXPECT_EQ(Utf8Length("\xff"), -1);
  EXPECT_EQ(Utf8Length("\xe6\xa0"), -1);
}

}  // namespace
}  // namespace xiaoan::http
