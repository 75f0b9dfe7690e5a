// http::Server's asynchronous handlers (ServerOptions::async_handler), against a real socket: the
// answer may come from any thread, later; a handler that drops its reply or throws still gets the
// client an answer (500); a second reply is ignored; keep-alive goes on after each; an answer too
// large to write at once arrives whole.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/thread_name.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/server.hpp"
#include "server_fixture.hpp"

namespace xiaoan::it {
namespace {

using namespace std::chrono_literals;

class AsyncServer : public ::testing::Test {
 protected:
  void SetUp() override {
    http::ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 2;
    options.starts_async = [](const http::Request& r) { return r.path.starts_with("/async/"); };
    options.async_handler = [this](std::shared_ptr<http::Request> r, http::Reply reply) {
      async_calls_++;
      if (r->path == "/async/later") {
        // Answered from another thread, after the handler has returned.
        helpers_.emplace_back([reply, body = r->body] {
          std::this_thread::sleep_for(20ms);
          http::Response res;
          res.status = 201;
          res.content_type = "text/plain";
          res.body = "later:" + body;
          reply(res);
        });
      } else if (r->path == "/async/dropped") {
        // Never replies.
      } else if (r->path == "/async/throws") {
        throw std::runtime_error("the handler failed");
      } else if (r->path == "/async/twice") {
        http::Response first;
        first.content_type = "text/plain";
        first.body = "first";
        reply(first);
        http::Response second = first;
        second.body = "second";
        reply(second);
      }
    };
    auto server = http::Server::Create(std::move(options), [this](http::Request& r) {
      sync_calls_++;
      http::Response res;
      res.content_type = "text/plain";
      res.body = r.path == "/big"      ? BigBody()
                 : r.path == "/thread" ? ThisThreadName()
                                       : "sync:" + r.method + " " + r.path;
      return res;
    });
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
    runner_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (runner_.joinable()) runner_.join();
    for (auto& t : helpers_) t.join();
  }

  // Far more than a socket's send buffer holds, and no two 64 KiB stretches alike.
  static std::string BigBody() {
    std::string body;
    for (int i = 0; body.size() < 8 * 1024 * 1024; ++i) body += std::to_string(i) + ",";
    return body;
  }

  HttpResponse Post(HttpConnection& c, const std::string& target, const std::string& body = "") {
    return c.Send({"POST", target, body, "text/plain", "", {}});
  }

  std::unique_ptr<http::Server> server_;
  std::thread runner_;
  std::vector<std::thread> helpers_;  // touched only by the handler (one request at a time here)
  std::atomic<int> async_calls_{0}, sync_calls_{0};
};

TEST_F(AsyncServer, ALaterAnswerFromAnotherThreadArrivesAndTheConnectionStaysOpen) {
  HttpConnection c(server_->port());
  auto first = Post(c, "/async/later", "a");
  EXPECT_EQ(first.status, 201) << first;
  EXPECT_EQ(first.body, "later:a");
  auto plain = Post(c, "/plain", "b");  // not async: the worker pool answers
  EXPECT_EQ(plain.status, 200) << plain;
  EXPECT_EQ(plain.body, "sync:POST /plain");
  auto again = Post(c, "/async/later", "c");
  EXPECT_EQ(again.body, "later:c") << again;
  auto get = c.Send({"GET", "/async/later", "", "", "", {}});  // GET is never async
  EXPECT_EQ(get.body, "sync:GET /async/later");
  EXPECT_EQ(async_calls_.load(), 2);
  EXPECT_EQ(sync_calls_.load(), 2);
}

TEST_F(AsyncServer, AReplyDroppedUnansweredOrAThrowingHandlerAnswers500) {
  HttpConnection c(server_->port());
  auto dropped = Post(c, "/async/dropped");
  EXPECT_EQ(dropped.status, 500) << dropped;
  EXPECT_TRUE(dropped.IsProblem());
  auto thrown = Post(c, "/async/throws");
  EXPECT_EQ(thrown.status, 500) << thrown;
  EXPECT_TRUE(thrown.IsProblem());
  auto after = Post(c, "/async/later", "still");  // the same connection goes on
  EXPECT_EQ(after.body, "later:still") << after;
}

// An answer written only in part at first (the client is not reading yet) is written on as the
// client reads: it arrives whole, and the connection goes on.
TEST_F(AsyncServer, AnAnswerLargerThanTheSendBufferArrivesWholeToASlowReader) {
  HttpConnection c(server_->port());
  ASSERT_TRUE(c.SendRaw("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  std::this_thread::sleep_for(300ms);
  auto big = c.ReadResponse();
  EXPECT_EQ(big.status, 200) << big.transport_error;
  EXPECT_EQ(big.body.size(), BigBody().size());
  EXPECT_TRUE(big.body == BigBody()) << "the body arrived changed";
  auto next = Post(c, "/async/later", "after");
  EXPECT_EQ(next.body, "later:after") << next;
}

// The server's threads carry names (top -H, perf, the HTTP bench): the second io thread, and the
// worker that runs a POST's handler.
TEST_F(AsyncServer, TheIoThreadsAndTheWorkersCarryTheirNames) {
  HttpConnection c(server_->port());
  auto worker = Post(c, "/thread");
  EXPECT_EQ(worker.body, "xiaoan-worker") << worker;
  // The second io thread names itself as it starts, which on a busy machine may be a little later.
  const auto io_threads = [] { return ProcessThreadNames().count("xiaoan-io"); };
  for (int i = 0; i < 200 && io_threads() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(io_threads(), 1u) << "io_threads 2: the thread that calls Run and one more";
}

// Server::Post queues a function for the I/O threads (the store hands them its answers to
// asynchronous writes that way): it runs once, on the thread that called Run or a "xiaoan-io" one.
TEST_F(AsyncServer, APostedFunctionRunsOnceOnAnIoThread) {
  std::promise<std::pair<std::thread::id, std::string>> ran;
  std::atomic<int> runs{0};
  server_->Post([&] {
    if (runs++ == 0) ran.set_value({std::this_thread::get_id(), ThisThreadName()});
  });
  auto where = ran.get_future();
  ASSERT_EQ(where.wait_for(5s), std::future_status::ready) << "the posted function never ran";
  const auto [id, name] = where.get();
  EXPECT_NE(id, std::this_thread::get_id());
  EXPECT_TRUE(id == runner_.get_id() || name == "xiaoan-io") << name;
  HttpConnection c(server_->port());  // a request after it: the I/O threads go on serving
  EXPECT_EQ(Post(c, "/async/later", "after").body, "later:after");
  EXPECT_EQ(runs.load(), 1);
}

TEST_F(AsyncServer, OnlyTheFirstReplyIsSent) {
  HttpConnection c(server_->port());
  auto twice = Post(c, "/async/twice");
  EXPECT_EQ(twice.body, "first") << twice;
  auto next = Post(c, "/async/later", "next");
  EXPECT_EQ(next.body, "later:next") << "the second reply must not be read as the next answer: " << next;
}

}  // namespace
}  // namespace xiaoan::it
