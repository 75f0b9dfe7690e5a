// The HTTP layer seen from outside: health, metrics, request ids, keep-alive, and how the server
// answers bad input (problem+json naming the field, nothing written) and hostile clients.
#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>
#include <tuple>

#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------------
class HttpBasics : public ServerSuite<HttpBasics> {};

TEST_F(HttpBasics, HealthAnswersOk) {
  auto r = server().Get("/api/v1/health");
  ASSERT_EQ(r.status, 200) << r;
  EXPECT_EQ(r.Json(), json({{"status", "ok"}}));
  EXPECT_TRUE(r.Header("content-type").starts_with("application/json")) << r.Header("content-type");
}

TEST_F(HttpBasics, MetricsCountRequestsAndCommits) {
  ASSERT_EQ(server().Get("/api/v1/health").status, 200);
  auto r = server().Get("/metrics");
  ASSERT_EQ(r.status, 200) << r;
  EXPECT_NE(r.body.find("xiaoan_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"200\"}"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("xiaoan_db_commits_total"), std::string::npos) << r.body;
  EXPECT_TRUE(r.Header("content-type").starts_with("text/plain")) << r.Header("content-type");
}

TEST_F(HttpBasics, RequestIdIsEchoedWhenSent) {
  auto r = server().Send({"GET", "/api/v1/health", "", "", "", {{"X-Request-Id", "it-req-0001_a"}}});
  ASSERT_EQ(r.status, 200) << r;
  EXPECT_EQ(r.Header("x-request-id"), "it-req-0001_a");
}

TEST_F(HttpBasics, RequestIdIsGeneratedWhenAbsentOrUnsafe) {
  auto a = server().Get("/api/v1/health");
  auto b = server().Get("/api/v1/health");
  EXPECT_FALSE(a.Header("x-request-id").empty());
  EXPECT_FALSE(b.Header("x-request-id").empty());
  EXPECT_NE(a.Header("x-request-id"), b.Header("x-request-id"));
  // An id that could forge log lines is replaced, not echoed.
  auto c = server().Send({"GET", "/api/v1/health", "", "", "", {{"X-Request-Id", "evil id\"}"}}});
  EXPECT_FALSE(c.Header("x-request-id").empty());
  EXPECT_NE(c.Header("x-request-id"), "evil id\"}");
  auto d = server().Send({"GET", "/api/v1/health", "", "", "", {{"X-Request-Id", std::string(65, 'a')}}});
  EXPECT_NE(d.Header("x-request-id"), std::string(65, 'a'));
}

TEST_F(HttpBasics, KeepAliveServesSeveralRequestsOnOneConnection) {
  HttpConnection connection(server().port());
  const std::string token = server().Token("demo-county");
  for (int i = 0; i < 6; ++i) {
    auto r = connection.Send({"GET", i % 2 ? "/api/v1/org-units/410105" : "/api/v1/health", "", "", token, {}});
    ASSERT_EQ(r.status, 200) << "request " << i << ": " << r;
    EXPECT_EQ(r.Header("connection").find("close"), std::string::npos) << "request " << i;
  }
}

TEST_F(HttpBasics, UnknownPathsAnswer404ProblemJson) {
  auto r = server().Get("/api/v1/no-such-thing");
  EXPECT_EQ(r.status, 404) << r;
  EXPECT_TRUE(r.IsProblem()) << r.Header("content-type");
  EXPECT_EQ(r.Code(), "not_found");
}

TEST_F(HttpBasics, AWrongMethodOnAKnownPathAnswers405) {
  auto r = server().Send({"DELETE", "/api/v1/org-units/410105", "", "", server().Token("demo-county"), {}});
  EXPECT_EQ(r.status, 405) << r;
  EXPECT_TRUE(r.IsProblem()) << r.Header("content-type");
  EXPECT_EQ(r.Code(), "method_not_allowed");
}

TEST_F(HttpBasics, ProtectedRoutesNeedASession) {
  auto r = server().Get("/api/v1/org-units/410000");
  EXPECT_EQ(r.status, 401) << r;
  EXPECT_TRUE(r.IsProblem());
  auto bogus = server().Get("/api/v1/org-units/410000", "not-a-real-token");
  EXPECT_EQ(bogus.status, 401) << bogus;
}

// ---------------------------------------------------------------------------------------------
// Every case checks that nothing was written: no school, no account, no audit record.
class BadInput : public ServerSuite<BadInput> {
 public:
  static std::vector<NewAccount> Accounts() {
    return {{"it-sysadmin", "system_admin", "410000"}, {"it-auditor", "audit_admin", "410000"}};
  }

 protected:
  struct Counts {
    int64_t schools = -1, users = -1, audit = -1;
    bool operator==(const Counts&) const = default;
  };

  void SetUp() override {
    ServerSuite::SetUp();
    county_ = server().Token("demo-county");
    sysadmin_ = server().Token("it-sysadmin");
    auditor_ = server().Token("it-auditor");
  }

  static int64_t Total(const HttpResponse& r) {
    const json j = r.Json();
    return j.is_object() && j.contains("total") ? j["total"].get<int64_t>() : -1;
  }
  Counts Count() {
    return {Total(server().Get("/api/v1/org-units/410105/schools?page_size=1", county_)),
            Total(server().Get("/api/v1/users?page_size=1", sysadmin_)),
            Total(server().Get("/api/v1/audit?page_size=1", auditor_))};
  }
  // Asserts `r` is a 4xx problem naming each of `fields`.
  static void ExpectProblemNaming(const HttpResponse& r, int status, const std::vector<std::string>& fields) {
    EXPECT_EQ(r.status, status) << r;
    EXPECT_TRUE(r.IsProblem()) << r.Header("content-type");
    for (const auto& f : fields) EXPECT_TRUE(r.NamesField(f)) << "field " << f << " not named in " << r.body;
  }
  // A new school's body without its name: refused naming "name", which only a body read whole
  // can be.
  static std::string NamelessSchool(const std::string& code) {
    json school = NewSchoolBody("410105", code, "无名");
    school.erase("name");
    return school.dump();
  }
  // A POST's request line and headers, but for how its body is framed.
  [[nodiscard]] std::string RawPostHead(const std::string& target) const {
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + county_ +
           "\r\nContent-Type: application/json\r\n";
  }
  HttpResponse PostRaw(const std::string& target, const std::string& body) {
    return server().Send({"POST", target, body, "application/json", county_, {}});
  }

  std::string county_, sysadmin_, auditor_;
};

TEST_F(BadInput, MalformedJsonIsRejectedNamingTheBody) {
  const Counts before = Count();
  ExpectProblemNaming(PostRaw("/api/v1/org-units", R"({"parent_code": "410105", "code": )"), 400, {"body"});
  ExpectProblemNaming(PostRaw("/api/v1/org-units", "[1, 2, 3]"), 400, {"body"});
  ExpectProblemNaming(PostRaw("/api/v1/org-units", ""), 400, {"body"});
  ExpectProblemNaming(PostRaw("/api/v1/auth/login", R"({"username": "demo-county",)"), 400, {"body"});
  ExpectProblemNaming(
      server().Send({"PATCH", "/api/v1/org-units/9410105002", "{'name': 1}", "application/json", county_, {}}), 400,
      {"body"});
  EXPECT_EQ(PostRaw("/api/v1/org-units", "{not json").Code(), "validation_failed");
  EXPECT_EQ(Count(), before);
}

TEST_F(BadInput, WrongTypesAreNamed) {
  const Counts before = Count();
  json body = NewSchoolBody("410105", "8410105901", "类型错误学校");
  body["name"] = 42;
  body["attributes"]["day_students"] = "many";
  body["attributes"]["boarding"] = "yes";
  body["attributes"]["class_count"] = 12.5;
  ExpectProblemNaming(server().Post("/api/v1/org-units", body, county_), 400,
                      {"name", "attributes.day_students", "attributes.boarding", "attributes.class_count"});
  json login{{"username", 7}, {"password", true}};
  ExpectProblemNaming(server().Post("/api/v1/auth/login", login), 400, {"username", "password"});
  json attrs_not_object = NewSchoolBody("410105", "8410105902", "属性错误学校");
  attrs_not_object["attributes"] = json::array();
  ExpectProblemNaming(server().Post("/api/v1/org-units", attrs_not_object, county_), 400, {"attributes"});
  EXPECT_EQ(Count(), before);
}

TEST_F(BadInput, UnknownFieldsAreNamed) {
  const Counts before = Count();
  json body = NewSchoolBody("410105", "8410105903", "多余字段学校");
  body["colour"] = "red";
  body["attributes"]["motto"] = "好好学习";
  ExpectProblemNaming(server().Post("/api/v1/org-units", body, county_), 400, {"colour", "attributes.motto"});
  ExpectProblemNaming(server().Patch("/api/v1/org-units/9410105002", {{"active", false}}, county_), 400, {"active"});
  json user{{"username", "it-extra"},
            {"display_name", "多余"},
            {"role", "bureau_leader"},
            {"org_code", "410105"},
            {"is_admin", true}};
  ExpectProblemNaming(server().Post("/api/v1/users", user, sysadmin_), 400, {"is_admin"});
  EXPECT_EQ(Count(), before);
}

TEST_F(BadInput, MissingFieldsAreNamed) {
  const Counts before = Count();
  json body = NewSchoolBody("410105", "8410105904", "缺字段学校");
  body.erase("name");
  body["attributes"].erase("class_count");
  ExpectProblemNaming(server().Post("/api/v1/org-units", body, county_), 400, {"name", "attributes.class_count"});
  ExpectProblemNaming(server().Post("/api/v1/org-units", json::object(), county_), 400,
                      {"parent_code", "code", "name", "attributes"});
  ExpectProblemNaming(server().Post("/api/v1/users", {{"username", "it-missing"}}, sysadmin_), 400,
                      {"display_name", "role", "org_code"});
  ExpectProblemNaming(server().Post("/api/v1/org-units/410105/schools/import", json::object(), county_), 400, {"rows"});
  EXPECT_EQ(Count(), before);
}

TEST_F(BadInput, InvalidValuesAreNamed) {
  const Counts before = Count();
  struct Case {
    const char* what;
    json body;
    std::string field;
  };
  auto with = [](const std::string& key, json value) {
    json b = NewSchoolBody("410105", "8410105905", "取值错误学校");
    if (key.starts_with("attributes."))
      b["attributes"][key.substr(11)] = std::move(value);
    else
      b[key] = std::move(value);
    return b;
  };
  const std::vector<Case> cases = {
      {"short school code", with("code", "12345"), "code"},
      {"letters in the code", with("code", "84101059AB"), "code"},
      {"11-digit code", with("code", "84101059051"), "code"},
      {"empty name", with("name", ""), "name"},
      {"101-character name", with("name", std::string(101, 'x')), "name"},
      {"control character in name", with("name", "坏\x01名字"), "name"},
      {"unknown school type", with("attributes.school_type", "university"), "attributes.school_type"},
      {"unknown locality", with("attributes.locality", "moon"), "attributes.locality"},
      {"negative students", with("attributes.day_students", -1), "attributes.day_students"},
      {"100001 students", with("attributes.day_students", 100001), "attributes.day_students"},
      {"1001 classes", with("attributes.class_count", 1001), "attributes.class_count"},
      {"boarders without boarding", with("attributes.boarding_students", 5), "attributes.boarding_students"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    ExpectProblemNaming(server().Post("/api/v1/org-units", c.body, county_), 400, {c.field});
  }
  // The boundaries themselves are accepted by validation (the code is then created, so use a
  // fresh one and count it).
  json edge = with("attributes.day_students", 100000);
  edge["attributes"]["class_count"] = 1000;
  auto ok = server().Post("/api/v1/org-units", edge, county_);
  EXPECT_EQ(ok.status, 201) << ok;
  EXPECT_EQ(Count().schools, before.schools + 1);
  EXPECT_EQ(Count().users, before.users);
}

TEST_F(BadInput, UnknownIdsAnswer404) {
  const Counts before = Count();
  struct Case {
    std::string method, target, token;
  };
  const std::vector<Case> cases = {
      {"GET", "/api/v1/org-units/9999999999", county_},
      {"GET", "/api/v1/org-units/41x105", county_},
      {"GET", "/api/v1/org-units/9410105999/children", county_},
      {"GET", "/api/v1/org-units/9410105999/stats", county_},
      {"POST", "/api/v1/org-units/9410105999/deactivate", county_},
      {"GET", "/api/v1/users/999999", sysadmin_},
      {"GET", "/api/v1/users/abc", sysadmin_},
      {"POST", "/api/v1/users/999999/unlock", sysadmin_},
      {"POST", "/api/v1/users/999999/reset-password", sysadmin_},
  };
  for (const auto& c : cases) {
    auto r = server().Send({c.method, c.target, c.method == "GET" ? "" : "{}", "application/json", c.token, {}});
    EXPECT_EQ(r.status, 404) << c.method << " " << c.target << ": " << r;
    EXPECT_TRUE(r.IsProblem()) << c.target;
  }
  auto patch = server().Patch("/api/v1/org-units/9410105999", {{"name", "不存在"}}, county_);
  EXPECT_EQ(patch.status, 404) << patch;
  EXPECT_EQ(Count(), before);
}

TEST_F(BadInput, PageParametersOutOfRangeAreNamed) {
  struct Case {
    std::string query;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"page_size=0", 400, "page_size"},
      {"page_size=501", 400, "page_size"},
      {"page_size=-1", 400, "page_size"},
      {"page_size=abc", 400, "page_size"},
      {"page_size=1", 200, ""},
      {"page_size=500", 200, ""},
      {"page=0", 400, "page"},
      {"page=1&page_size=10", 200, ""},
  };
  const std::vector<std::pair<std::string, std::string>> lists = {
      {"/api/v1/org-units/410105/schools?", county_},
      {"/api/v1/org-units/410105/children?", county_},
      {"/api/v1/org-units?q=%E9%87%91%E6%B0%B4&", county_},
      {"/api/v1/users?", sysadmin_},
      {"/api/v1/audit?", auditor_},
  };
  for (const auto& [list, token] : lists) {
    for (const auto& c : cases) {
      auto r = server().Get(list + c.query, token);
      EXPECT_EQ(r.status, c.status) << list << c.query << ": " << r;
      if (c.status == 400) {
        EXPECT_TRUE(r.IsProblem()) << list << c.query;
        EXPECT_TRUE(r.NamesField(c.field)) << list << c.query << ": " << r;
      } else if (r.status == 200) {
        const json j = r.Json();
        EXPECT_TRUE(j.contains("items") && j.contains("total") && j.contains("page") && j.contains("page_size"))
            << list << c.query;
      }
    }
  }
}

TEST_F(BadInput, FilterParametersAreValidated) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"/api/v1/org-units?q=", county_, "q"},
      {"/api/v1/org-units", county_, "q"},
      {"/api/v1/org-units?q=" + std::string(51, 'a'), county_, "q"},
      {"/api/v1/org-units/410105/schools?school_type=university", county_, "school_type"},
      {"/api/v1/org-units/410105/schools?locality=moon", county_, "locality"},
      {"/api/v1/org-units/410105/schools?active=yes", county_, "active"},
      {"/api/v1/users?role=superuser", sysadmin_, "role"},
      {"/api/v1/audit?from=yesterday", auditor_, "from"},
      {"/api/v1/audit?to=2026-13-45", auditor_, "to"},
      {"/api/v1/audit?outcome=maybe", auditor_, "outcome"},
  };
  for (const auto& [target, token, field] : cases) {
    auto r = server().Get(target, token);
    EXPECT_EQ(r.status, 400) << target << ": " << r;
    EXPECT_TRUE(r.IsProblem()) << target;
    EXPECT_TRUE(r.NamesField(field)) << target << ": " << r;
  }
}

TEST_F(BadInput, BadPercentEncodingInAQueryParameterIsNamed) {
  // A malformed escape must not silently drop the parameter: a dropped filter answers every school.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/v1/org-units/410105/schools?q=%ZZ", "q"},
      {"/api/v1/org-units/410105/schools?school_type=prim%2", "school_type"},
      {"/api/v1/org-units/410105/schools?page_size=%G1", "page_size"},
      {"/api/v1/org-units?q=%E9%87%9", "q"},
  };
  for (const auto& [target, field] : cases) {
    auto r = server().Get(target, county_);
    EXPECT_EQ(r.status, 400) << target << ": " << r;
    EXPECT_TRUE(r.IsProblem()) << target;
    EXPECT_TRUE(r.NamesField(field)) << target << ": " << r;
  }
  // In the path, a bad escape cannot name any unit.
  auto path = server().Get("/api/v1/org-units/%ZZ", county_);
  EXPECT_TRUE(path.status == 400 || path.status == 404) << path;
  EXPECT_TRUE(path.IsProblem());
}

TEST_F(BadInput, BodyOverTwoMebibytesAnswers413AndWritesNothing) {
  const Counts before = Count();
  const size_t limit = 2 * 1024 * 1024;
  // Exactly at the limit is read (and then rejected for its content, not its size).
  json at_limit = NewSchoolBody("410105", "8410105906", "边界学校");
  at_limit.erase("name");
  std::string body = at_limit.dump();
  body.append(limit - body.size(), ' ');
  ASSERT_EQ(body.size(), limit);
  auto r = PostRaw("/api/v1/org-units", body);
  EXPECT_EQ(r.status, 400) << r;
  EXPECT_TRUE(r.NamesField("name")) << r;

  // One byte more answers 413, as the whole body is sent.
  body.push_back(' ');
  HttpConnection connection(server().port());
  const std::string request =
      RawPostHead("/api/v1/org-units") + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  ASSERT_TRUE(connection.SendRaw(request));
  (void)connection.SendRaw(body);  // the server may stop reading once it has seen the length
  auto big = connection.ReadResponse();
  EXPECT_EQ(big.status, 413) << big;
  EXPECT_TRUE(big.IsProblem()) << big.Header("content-type");
  EXPECT_EQ(big.Code(), "payload_too_large") << big;
  EXPECT_EQ(Count(), before);
}

// The server reads a body from what came with the header and reads on only for the rest: a body
// that arrives in pieces, or chunked, is still read whole, and a request sent before the answer
// to the one before it (pipelined) is kept for after it.
TEST_F(BadInput, ABodyInPiecesOrChunksIsReadWhole) {
  const Counts before = Count();
  const std::string body = NamelessSchool("8410105907");
  const std::string head = RawPostHead("/api/v1/org-units");
  {
    HttpConnection connection(server().port());
    const size_t half = body.size() / 2;
    ASSERT_TRUE(connection.SendRaw(head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                                   body.substr(0, half)));
    std::this_thread::sleep_for(200ms);
    ASSERT_TRUE(connection.SendRaw(body.substr(half)));
    ExpectProblemNaming(connection.ReadResponse(), 400, {"name"});
  }
  {
    HttpConnection connection(server().port());
    const auto chunk = [](const std::string& part) {
      std::ostringstream out;
      out << std::hex << part.size() << "\r\n" << part << "\r\n";
      return out.str();
    };
    ASSERT_TRUE(connection.SendRaw(head + "Transfer-Encoding: chunked\r\n\r\n" + chunk(body.substr(0, 10))));
    std::this_thread::sleep_for(200ms);
    ASSERT_TRUE(connection.SendRaw(chunk(body.substr(10)) + "0\r\n\r\n"));
    ExpectProblemNaming(connection.ReadResponse(), 400, {"name"});
  }
  EXPECT_EQ(Count(), before);
}

TEST_F(BadInput, PipelinedRequestsAreAnsweredInOrder) {
  const Counts before = Count();
  const std::string body = NamelessSchool("8410105908");
  HttpConnection connection(server().port());
  ASSERT_TRUE(connection.SendRaw(RawPostHead("/api/v1/org-units") + "Content-Length: " + std::to_string(body.size()) +
                                 "\r\n\r\n" + body + "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  ExpectProblemNaming(connection.ReadResponse(), 400, {"name"});
  auto second = connection.ReadResponse();
  EXPECT_EQ(second.status, 200) << second;
  EXPECT_EQ(second.Json(), json({{"status", "ok"}}));
  EXPECT_EQ(Count(), before);
}

TEST_F(BadInput, HugeHeaderIsRefusedWithoutHarm) {
  HttpConnection connection(server().port());
  const std::string filler(17 * 1024, 'h');
  auto r = connection.Send({"GET", "/api/v1/health", "", "", "", {{"X-Filler", filler}}});
  EXPECT_TRUE(r.status == 431 || (r.status == 0 && !r.transport_error.empty())) << r;
  if (r.status == 431) {
    EXPECT_TRUE(r.IsProblem()) << r.Header("content-type");
  }
  EXPECT_EQ(server().Get("/api/v1/health").status, 200);
}

TEST_F(BadInput, GarbageRequestLineAnswers400) {
  HttpConnection connection(server().port());
  ASSERT_TRUE(connection.SendRaw("HELLO WORLD\r\n\r\n"));
  auto r = connection.ReadResponse();
  EXPECT_TRUE(r.status == 400 || r.status == 0) << r;
  EXPECT_EQ(server().Get("/api/v1/health").status, 200);
}

TEST_F(BadInput, SlowClientsDoNotBlockOthers) {
  // More dripping clients than the server has I/O threads, each taking ~10 s to send a request.
  constexpr int kSlowClients = 6;
  const std::string request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: slow\r\n\r\n";
  std::atomic<int> answered{0};
  std::vector<std::thread> slow;
  for (int i = 0; i < kSlowClients; ++i) {
    slow.emplace_back([&] {
      HttpConnection c(server().port());
      const auto pause = std::chrono::milliseconds(10000 / static_cast<int>(request.size()));
      for (char ch : request) {
        if (!c.SendRaw(std::string(1, ch))) return;
        std::this_thread::sleep_for(pause);
      }
      if (c.ReadResponse().status == 200) answered++;
    });
  }
  std::chrono::milliseconds worst{0};
  int fast_ok = 0;
  const auto until = std::chrono::steady_clock::now() + 9s;
  while (std::chrono::steady_clock::now() < until) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = server().Get("/api/v1/org-units/410105", county_);
    worst =
        std::max(worst, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0));
    if (r.status == 200) fast_ok++;
    std::this_thread::sleep_for(250ms);
  }
  for (auto& t : slow) t.join();
  EXPECT_GE(fast_ok, 20);
  EXPECT_LT(worst.count(), 2000) << "a quick request waited behind slow clients";
  EXPECT_EQ(answered.load(), kSlowClients) << "slow but complete requests are still answered";
}

TEST_F(BadInput, TheServerStillAnswersAfterAllOfIt) {
  auto r = server().Get("/api/v1/health");
  EXPECT_EQ(r.status, 200) << r;
  EXPECT_TRUE(server().Running()) << "the server process has exited";
}

// ---------------------------------------------------------------------------------------------
// Timeouts of 2 s (configured): a connection's deadline moves with every request, and a client that
// stays silent, or sends a request too slowly, loses the connection.
class Timeouts : public ServerSuite<Timeouts> {
 public:
  static void SetUpTestSuite() {
    SetUpTestSuiteWithFile("XIAOAN_CONFIG", "read_timeout_seconds = 2\nidle_timeout_seconds = 2\n");
  }

 protected:
  static HttpRequest Health() {
    HttpRequest r;
    r.target = "/api/v1/health";
    return r;
  }
};

TEST_F(Timeouts, AKeepAliveConnectionThatStaysSilentIsClosedAfterTheIdleTimeout) {
  HttpConnection c(server().port());
  ASSERT_EQ(c.Send(Health()).status, 200);
  EXPECT_FALSE(c.PeerClosed(1200ms)) << "closed well before the idle timeout";
  EXPECT_TRUE(c.PeerClosed(3000ms)) << "still open long after the idle timeout";
}

TEST_F(Timeouts, EachRequestMovesTheDeadlineOn) {
  // A request every 0.8 s for 4 s: twice the idle timeout, never 2 s silent.
  HttpConnection c(server().port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(c.Send(Health()).status, 200) << "request " << i;
    ASSERT_FALSE(c.PeerClosed(800ms)) << "closed after request " << i;
  }
  EXPECT_EQ(c.Send(Health()).status, 200);
}

TEST_F(Timeouts, ARequestStillArrivingAfterTheReadTimeoutLosesItsConnection) {
  // The header, a piece every 0.5 s: the deadline is the request's, not each piece's.
  HttpConnection c(server().port());
  const std::string request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n";
  bool closed = false;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < request.size() && !closed; i += 4) {
    if (!c.SendRaw(request.substr(i, 4))) break;
    closed = c.PeerClosed(500ms);
  }
  if (!closed) closed = c.PeerClosed(3000ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(closed) << "a request dripping for " << request.size() / 4 * 0.5 << " s kept its connection";
  EXPECT_LT(took, 4s);
  EXPECT_GE(took, 1500ms) << "closed before the read timeout";
  // Others are served all along.
  EXPECT_EQ(server().Get("/api/v1/health").status, 200);
}

}  // namespace
}  // namespace xiaoan::it
