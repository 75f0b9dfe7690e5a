#include "platform/http/json_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace xiaoan::http {
namespace {

using nlohmann::json;

// What http::Json writes for the same value.
std::string Dumped(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

TEST(JsonText, AnObjectIsWhatDumpingTheSameObjectGives) {
  const std::string awkward = std::string("班级\"一\"\\ \n\t\x01 end") + '\0' + "after";
  const std::string broken = "bad \xff\xfe utf-8 \xe4\xb8";  // invalid bytes, and a truncated 中
  std::string text;
  JsonText t(text);
  t.Open('{')
      .Key("a")
      .Int(std::numeric_limits<int64_t>::min())
      .Key("b")
      .Int(std::numeric_limits<int64_t>::max())
      .Key("c")
      .Open('[')
      .Close(']')
      .Key("d")
      .String(awkward)
      .Key("e")
      .String(broken)
      .Key("f")
      .Bool(true)
      .Key("g")
      .Bool(false)
      .Key("h")
      .Null()
      .Key("i")
      .Open('[')
      .Int(1)
      .Open('{')
      .Key("x")
      .String("")
      .Close('}')
      .Value(json{{"nested", {1, "二"}}})
      .Open('[')
      .Close(']')
      .Close(']')
      .Key("j")
      .Value(json::array({3, 4}))
      .Close('}');
  const json same{{"a", std::numeric_limits<int64_t>::min()},
                  {"b", std::numeric_limits<int64_t>::max()},
                  {"c", json::array()},
                  {"d", awkward},
                  {"e", broken},
                  {"f", true},
                  {"g", false},
                  {"h", nullptr},
                  {"i", json::array({1, json{{"x", ""}}, json{{"nested", {1, "二"}}}, json::array()})},
                  {"j", {3, 4}}};
  EXPECT_EQ(text, Dumped(same));
  EXPECT_EQ(json::parse(text), json::parse(Dumped(same)));  // and it reads back
}

TEST(JsonText, EveryAsciiCharacterIsWrittenAsTheDumpWritesIt) {
  // Each of the 128, alone and inside text: escaped or not as the dump has it.
  for (int c = 0; c < 128; ++c) {
    for (const std::string& s : {std::string(1, static_cast<char>(c)),
                                 "2026-11-30T08:00:00+08:00 " + std::string(1, static_cast<char>(c)) + " x"}) {
      std::string text;
      JsonText(text).String(s);
      EXPECT_EQ(text, Dumped(json(s))) << "character " << c;
    }
  }
  std::string text;
  JsonText(text).String("");
  EXPECT_EQ(text, "\"\"");
}

TEST(JsonText, EveryAsciiCharacterAtEveryPlaceOfAWordIsWrittenAsTheDumpWritesIt) {
  // Text is looked at eight bytes at a time, then byte by byte for the rest: each of the 128 at
  // each of 24 places (three words, and the bytes after them).
  for (int c = 0; c < 128; ++c) {
    for (size_t at = 0; at < 24; ++at) {
      std::string s = "abcdefghijklmnopqrstuvwxyz";
      s[at] = static_cast<char>(c);
      std::string text;
      JsonText(text).String(s);
      ASSERT_EQ(text, Dumped(json(s))) << "character " << c << " at " << at;
    }
  }
}

TEST(JsonText, RandomTextIsWrittenAsTheDumpWritesIt) {
  // Plain ASCII and valid UTF-8 take a path of their own; text with quotes, controls or broken
  // bytes goes through nlohmann's escaping. Either way, byte for byte what the dump writes.
  std::mt19937 random(4);
  const std::vector<std::string> pieces{"a",    "Z",    "0",  " ",  "-",        ":",    "\"", "\\", "\n",
                                        "\x7f", "\x01", "中", "班", "\xe4\xb8", "\xff", "~",  "{",  "}"};
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    for (int n = static_cast<int>(random() % 12); n > 0; --n) s += pieces[random() % (i % 2 ? 6 : pieces.size())];
    std::string text;
    JsonText(text).String(s);
    ASSERT_EQ(text, Dumped(json(s))) << s;
  }
}

TEST(JsonText, ValidUtf8IsWrittenAsItIsAndInvalidUtf8AsTheDumpReplacesIt) {
  // Valid UTF-8 without escapes takes the path of plain text. What only looks like UTF-8 (overlong
  // forms, surrogates, beyond U+10FFFF, a lead byte without its continuation, a stray
  // continuation) must still come out as the dump writes it, with the bytes replaced.
  const std::vector<std::string> valid{"一年级1班", "é", "\xf0\x9f\x98\x80 4 bytes", "\xef\xbf\xbd",
                                       "\xf4\x8f\xbf\xbf"};
  const std::vector<std::string> invalid{
      "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80",
      "班\xe7",   "\x80 alone",   "\xc3"};
  for (const auto& s : valid) {
    std::string text;
    JsonText(text).String(s);
    EXPECT_EQ(text, "\"" + s + "\"") << s;
    EXPECT_EQ(text, Dumped(json(s))) << s;
  }
  for (const auto& s : invalid) {
    std::string text;
    JsonText(text).String(s);
    EXPECT_EQ(text, Dumped(json(s))) << s;
    EXPECT_NE(text, "\"" + s + "\"") << s << " was written as it is";
  }
}

TEST(JsonText, AnArrayOfValuesIsSeparatedByCommasOnly) {
  std::string text;
  JsonText t(text);
  t.Open('[').Int(0).String("x").Bool(false).Null().Close(']');
  EXPECT_EQ(text, R"([0,"x",false,null])");
}

TEST(JsonText, ItAppendsToWhatIsAlreadyThere) {
  std::string text = "prefix:";
  JsonText(text).Open('{').Key("k").String("v").Close('}');
  EXPECT_EQ(text, R"(prefix:{"k":"v"})");
}

}  // namespace
}  // namespace xiaoan::http
