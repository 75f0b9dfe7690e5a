// Keeps the router and docs/openapi.yaml in step: every route is described and every described
// operation exists.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>

#include "app/app.hpp"

namespace xiaoan::app {
namespace {

std::set<std::string> SpecOperations() {
  std::ifstream in(std::string(XIAOAN_SOURCE_DIR) + "/docs/openapi.yaml");
  EXPECT_TRUE(in.good());
  std::set<std::string> ops;
  std::string line, path;
  bool in_paths = false;
  const std::regex path_re(R"(^  (/[^:]+):\s*$)"), method_re(R"(^    (get|post|put|patch|delete):)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (line == "paths:")
      in_paths = true;
    else if (!line.empty() && line[0] != ' ')
      in_paths = false;
    if (!in_paths) continue;
    if (std::regex_match(line, m, path_re))
      path = m[1];
    else if (std::regex_search(line, m, method_re)) {
      std::string method = m[1];
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ops.insert(method + " " + path);
    }
  }
  return ops;
}

TEST(OpenApi, EveryRouteIsDescribedAndEveryDescriptionIsRouted) {
  Config config;
  config.db = ":memory:";
  config.log_level = "off";
  auto app = App::Open(config);
  ASSERT_TRUE(app) << app.error().message;
  std::set<std::string> routed;
  for (const auto& r : (*app)->router().routes()) routed.insert(r.method + " " + r.pattern);
  const auto described = SpecOperations();
  EXPECT_GT(described.size(), 10u);
  for (const auto& op : routed) EXPECT_TRUE(described.contains(op)) << op << " is not in docs/openapi.yaml";
  for (const auto& op : described) EXPECT_TRUE(routed.contains(op)) << op << " is described but not routed";
}

}  // namespace
}  // namespace xiaoan::app
