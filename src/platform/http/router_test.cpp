#include "platform/http/router.hpp"

#include <gtest/gtest.h>

#include "platform/http/problem.hpp"
#include "platform/http/server.hpp"

namespace xiaoan::http {
namespace {

Response Named(const char* name) {
  Response r;
  r.body = name;
  return r;
}

TEST(Router, MatchesParametersAndPrefersLiteralSegments) {
  Router router;
  router.Add("GET", "/api/v1/org-units/{code}", Access::kAuthenticated, [](Context&) { return Named("unit"); });
  router.Add("GET", "/api/v1/org-units/{code}/children", Access::kAuthenticated,
             [](Context&) { return Named("kids"); });
  router.Add("GET", "/api/v1/audit/verify", Access::kAuthenticated, [](Context&) { return Named("verify"); });
  router.Add("GET", "/api/v1/audit/{id}", Access::kAuthenticated, [](Context&) { return Named("one"); });

  auto m = router.Find("GET", "/api/v1/org-units/410105");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("code"), "410105");
  EXPECT_EQ(router.Find("GET", "/api/v1/org-units/410105/children").route->pattern,
            "/api/v1/org-units/{code}/children");
  EXPECT_EQ(router.Find("GET", "/api/v1/audit/verify").route->pattern, "/api/v1/audit/verify");
  EXPECT_EQ(router.Find("GET", "/api/v1/audit/7").route->pattern, "/api/v1/audit/{id}");
}

TEST(Router, DistinguishesUnknownPathsFromWrongMethods) {
  Router router;
  router.Add("POST", "/api/v1/auth/login", Access::kPublic, [](Context&) { return Named("login"); });
  auto wrong_method = router.Find("GET", "/api/v1/auth/login");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_TRUE(wrong_method.path_known);
  auto unknown = router.Find("GET", "/api/v1/nothing");
  EXPECT_EQ(unknown.route, nullptr);
  EXPECT_FALSE(unknown.path_known);
}

TEST(Router, HeadIsAnsweredByGetRoutes) {
  Router router;
  router.Add("GET", "/api/v1/health", Access::kPublic, [](Context&) { return Named("h"); });
  EXPECT_NE(router.Find("HEAD", "/api/v1/health").route, nullptr);
}

TEST(PercentDecode, DecodesAndRejectsBrokenEscapes) {
  EXPECT_EQ(PercentDecode("%E9%87%91%E6%B0%B4", false), "金水");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_FALSE(PercentDecode("%", false));
  EXPECT_FALSE(PercentDecode("%4", false));
  EXPECT_FALSE(PercentDecode("%zz", false));
}

}  // namespace
}  // namespace xiaoan::http

namespace xiaoan::http {
namespace {

TEST(Problem, InvalidUtf8InAMessageStillGivesAProblemNotACrash) {
  Error e = Error::Invalid("\xff", "Unknown column.");
  e.message = "bad \xfe";
  Response r;
  ASSERT_NO_THROW(r = Problem(e));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_NE(r.body.find("validation_failed"), std::string::npos);
}

}  // namespace
}  // namespace xiaoan::http
