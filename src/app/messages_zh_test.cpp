#include "app/messages_zh.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "platform/http/problem.hpp"

namespace xiaoan::app {
namespace {

TEST(MessagesZh, TranslatesFixedAndNumberedMessages) {
  EXPECT_EQ(TranslateToChinese("This field is required."), "此项为必填项。");
  EXPECT_EQ(TranslateToChinese("At most 100 characters."), "最多100个字符。");
  EXPECT_EQ(TranslateToChinese("Must be between 0 and 100000."), "应在0至100000之间。");
  EXPECT_EQ(TranslateToChinese("The account is locked after 5 failed attempts. Try again in 15 minutes."),
            "连续5次登录失败，账号已锁定，请15分钟后再试。");
  EXPECT_EQ(TranslateToChinese("Missing column code (学校标识码)."), "缺少列：学校标识码（code）。");
  EXPECT_EQ(TranslateToChinese("Something new."), "Something new.");
}

TEST(MessagesZh, FollowsTheFirstAcceptedLanguage) {
  http::Request zh, en, none;
  zh.headers["accept-language"] = "zh-CN,zh;q=0.9,en;q=0.8";
  en.headers["accept-language"] = "en-US,en;q=0.9,zh;q=0.8";
  EXPECT_TRUE(PrefersChinese(zh));
  EXPECT_FALSE(PrefersChinese(en));
  EXPECT_FALSE(PrefersChinese(none));
}

TEST(MessagesZh, LocalisesProblemBodiesOnly) {
  Error e = Error::Invalid("name", "This field is required.");
  auto r = http::Problem(e);
  LocaliseProblem(r);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["detail"], "请求中有字段不正确。");
  EXPECT_EQ(body["errors"][0]["field"], "name");
  EXPECT_EQ(body["errors"][0]["message"], "此项为必填项。");
  auto ok = http::Json(200, {{"detail", "This field is required."}});
  LocaliseProblem(ok);
  EXPECT_EQ(nlohmann::json::parse(ok.body)["detail"], "This field is required.");
}

}  // namespace
}  // namespace xiaoan::app
