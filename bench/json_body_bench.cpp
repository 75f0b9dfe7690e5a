// Reading a class report's body (issue #4, decision 0029): http::JsonBody as the route reads it
// (parse, the fields, the cases, Finish), against the same reads from an nlohmann::json DOM, which
// is how JsonBody read bodies before. Both run in the same process, one after the other; each body
// is a zero report, and one with an ill student.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/http/json_body.hpp"

namespace {

using xiaoan::http::JsonBody;
using xiaoan::http::Need;

const std::string kZeroReport =
    R"({"class_id":1234,"date":"2026-11-30","session":"morning","enrolled":45,"present":44,"absent_ill":0,)"
    R"("absent_other":1,"cases":[]})";
const std::string kOneCase =
    R"({"class_id":1234,"date":"2026-11-30","session":"morning","enrolled":45,"present":43,"absent_ill":1,)"
    R"("absent_other":1,"cases":[{"student_no":"1234-7","sex":"female","age":9,"symptoms":["fever","cough"],)"
    R"("absent":true}]})";

const std::string& Body(const benchmark::State& state) { return state.range(0) == 0 ? kZeroReport : kOneCase; }

void JsonBodyClassReport(benchmark::State& state) {
  const std::string& text = Body(state);
  for (auto _ : state) {
    auto body = JsonBody::Parse(text);
    int64_t sum = body->Int("class_id", Need::kRequired, 1, INT64_MAX).value_or(0);
    sum += body->String("date", Need::kRequired, 10)->size();
    sum += body->String("session", Need::kRequired, 10)->size();
    for (const char* key : {"enrolled", "present", "absent_ill", "absent_other"})
      sum += body->Int(key, Need::kRequired, 0, 200).value_or(0);
    if (auto cases = body->Array("cases", Need::kOptional, 200)) {
      for (size_t i = 0; i < cases->size(); ++i) {
        auto item = cases->Object(i, "cases[" + std::to_string(i) + "].");
        sum += item->String("student_no", Need::kRequired, 30, 1)->size();
        sum += item->String("sex", Need::kRequired, 10)->size();
        sum += item->Int("age", Need::kRequired, 2, 25).value_or(0);
        sum += item->StringList("symptoms", Need::kRequired, 16, 30)->size();
        sum += item->Bool("absent", Need::kOptional).value_or(false);
        body->Merge(*item);
      }
    }
    benchmark::DoNotOptimize(sum);
    benchmark::DoNotOptimize(body->Finish());
  }
}

// The reference: the same reads from nlohmann::json, type checks and unknown fields included.
void NlohmannClassReport(benchmark::State& state) {
  const std::string& text = Body(state);
  const auto unknown = [](const nlohmann::json& o, std::initializer_list<const char*> known) {
    int n = 0;
    for (auto it = o.begin(); it != o.end(); ++it)
      if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) ++n;
    return n;
  };
  for (auto _ : state) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    int64_t sum = j.is_object() ? 0 : 1;
    for (const char* key : {"class_id", "enrolled", "present", "absent_ill", "absent_other"}) {
      const auto it = j.find(key);
      if (it != j.end() && it->is_number_integer()) sum += it->get<int64_t>();
    }
    for (const char* key : {"date", "session"}) {
      const auto it = j.find(key);
      if (it != j.end() && it->is_string()) sum += it->get_ref<const std::string&>().size();
    }
    if (const auto it = j.find("cases"); it != j.end() && it->is_array()) {
      for (const auto& c : *it) {
        for (const char* key : {"student_no", "sex"})
          if (const auto f = c.find(key); f != c.end() && f->is_string())
            sum += f->get_ref<const std::string&>().size();
        if (const auto f = c.find("age"); f != c.end() && f->is_number_integer()) sum += f->get<int64_t>();
        if (const auto f = c.find("symptoms"); f != c.end() && f->is_array()) {
          std::vector<std::string> list;
          for (const auto& s : *f)
            if (s.is_string()) list.push_back(s.get<std::string>());
          sum += list.size();
        }
        if (const auto f = c.find("absent"); f != c.end() && f->is_boolean()) sum += f->get<bool>();
        sum += unknown(c, {"student_no", "sex", "age", "symptoms", "absent"});
      }
    }
    sum += unknown(j, {"class_id", "date", "session", "enrolled", "present", "absent_ill", "absent_other", "cases"});
    benchmark::DoNotOptimize(sum);
  }
}

BENCHMARK(JsonBodyClassReport)->ArgName("cases")->Arg(0)->Arg(1);
BENCHMARK(NlohmannClassReport)->ArgName("cases")->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
