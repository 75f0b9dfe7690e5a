#include "platform/http/router.hpp"

#include <gtest/gtest.h>

#include <random>

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

TEST(Router, ParametersOfOtherNamesAtOnePlaceAndTiesGoToTheRouteAddedFirst) {
  Router router;
  router.Add("GET", "/a/{x}/c", Access::kAuthenticated, [](Context&) { return Named("x"); });
  router.Add("GET", "/a/b/{y}", Access::kAuthenticated, [](Context&) { return Named("y"); });
  router.Add("GET", "/a/{z}/d", Access::kAuthenticated, [](Context&) { return Named("z"); });
  router.Add("POST", "/a/{w}", Access::kAuthenticated, [](Context&) { return Named("w"); });
  auto both = router.Find("GET", "/a/b/c");  // one parameter either way: the first added
  ASSERT_NE(both.route, nullptr);
  EXPECT_EQ(both.route->pattern, "/a/{x}/c");
  EXPECT_EQ(both.params, (std::unordered_map<std::string, std::string>{{"x", "b"}}));
  EXPECT_EQ(router.Find("GET", "/a/b/d").route->pattern, "/a/b/{y}");  // added before /a/{z}/d
  auto z = router.Find("GET", "/a/q/d");
  ASSERT_NE(z.route, nullptr);
  EXPECT_EQ(z.params, (std::unordered_map<std::string, std::string>{{"z", "q"}}));
  auto post_only = router.Find("GET", "/a/q");
  EXPECT_EQ(post_only.route, nullptr);
  EXPECT_TRUE(post_only.path_known);
  EXPECT_EQ(router.Find("POST", "/a/q").params.at("w"), "q");
  EXPECT_FALSE(router.Find("GET", "/a/b/c/d").path_known);
  EXPECT_FALSE(router.Find("GET", "/a").path_known);
}

// The rule, checked route by route as the router did before it walked a tree: of the routes whose
// segments match (a parameter matches any one segment), the fewest parameters, then the first added.
Router::Match ByTheRule(const Router& router, const std::string& method, const std::string& path) {
  std::vector<std::string> segments;
  for (size_t at = 0; at < path.size();) {
    size_t end = path.find('/', at);
    if (end == std::string::npos) end = path.size();
    if (end > at) segments.push_back(path.substr(at, end - at));
    at = end + 1;
  }
  Router::Match result;
  size_t fewest = 0;
  for (const auto& route : router.routes()) {
    if (route.segments.size() != segments.size()) continue;
    std::unordered_map<std::string, std::string> params;  // a name given twice keeps its first value
    size_t parameters = 0;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& p = route.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        params.emplace(p.substr(1, p.size() - 2), segments[i]);
        ++parameters;
      } else {
        ok = p == segments[i];
      }
    }
    if (!ok) continue;
    result.path_known = true;
    if ((route.method == method || (method == "HEAD" && route.method == "GET")) &&
        (!result.route || parameters < fewest)) {
      result.route = &route;
      result.params = std::move(params);
      fewest = parameters;
    }
  }
  return result;
}

TEST(Router, FindsWhatTheRuleSaysForManyRandomRoutesAndPaths) {
  std::mt19937 random(20261129);
  const std::vector<std::string> words{"a", "b", "c", "{id}", "{code}", "{x}"};
  const std::vector<std::string> methods{"GET", "POST", "PUT", "HEAD"};
  for (int table = 0; table < 50; ++table) {
    Router router;
    for (int r = 0; r < 40; ++r) {
      std::string pattern;
      for (int n = 1 + static_cast<int>(random() % 4); n > 0; --n) pattern += "/" + words[random() % words.size()];
      router.Add(methods[random() % 3], pattern, Access::kAuthenticated, [](Context&) { return Named("r"); });
    }
    for (int q = 0; q < 200; ++q) {
      std::string path;
      for (int n = static_cast<int>(random() % 5); n > 0; --n) path += "/" + words[random() % 3];
      const std::string& method = methods[random() % methods.size()];
      const auto got = router.Find(method, path);
      const auto want = ByTheRule(router, method, path);
      ASSERT_EQ(got.route, want.route) << method << " " << path;
      ASSERT_EQ(got.params, want.params) << method << " " << path;
      ASSERT_EQ(got.path_known, want.path_known) << method << " " << path;
    }
  }
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
