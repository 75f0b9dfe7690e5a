// Reading a class report's body (issue #4, decision 0029): http::JsonBody as the route reads it
// (parse, the fields, the cases, Finish), against the same reads from an nlohmann::json DOM, which
// is how JsonBody read bodies before. Both run in the same process, one after the other; each body
// is a zero report, and one with an ill student.
// Also writing the answer to a class report (health's CheckText): http::JsonText, against building
// the same nlohmann::json object and dumping it. The class's name is Chinese, as it is in a school.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/http/json_body.hpp"
#include "platform/http/json_text.hpp"

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

// The answer's members, in the order of CheckText.
struct Answer {
  int64_t absent_ill = 0, absent_other = 1, class_id = 1234, enrolled = 45, id = 987654, present = 44, version = 1;
  bool late = false;
  std::string class_name = "三年级2班", date = "2026-11-30", school_code = "41010500001", session = "morning",
              submitted_at = "2026-11-30T07:42:13+08:00", submitted_by = "teacher-41010500001-3-2";
};

void JsonTextAnswer(benchmark::State& state) {
  const Answer a;
  for (auto _ : state) {
    std::string text;
    text.reserve(400);
    xiaoan::http::JsonText t(text);
    t.Open('{').Key("absent_ill").Int(a.absent_ill).Key("absent_other").Int(a.absent_other).Key("cases").Open('[');
    t.Close(']').Key("class_id").Int(a.class_id).Key("class_name").String(a.class_name).Key("date").String(a.date);
    t.Key("enrolled").Int(a.enrolled).Key("id").Int(a.id).Key("late").Bool(a.late).Key("present").Int(a.present);
    t.Key("school_code").String(a.school_code).Key("session").String(a.session);
    t.Key("submitted_at").String(a.submitted_at).Key("submitted_by").String(a.submitted_by);
    t.Key("version").Int(a.version).Key("warnings").Open('[').Close(']').Close('}');
    benchmark::DoNotOptimize(text);
  }
}

// The reference: the same object built as nlohmann::json and dumped, invalid UTF-8 replaced.
void NlohmannAnswer(benchmark::State& state) {
  const Answer a;
  for (auto _ : state) {
    nlohmann::json j = nlohmann::json::object();
    j["absent_ill"] = a.absent_ill;
    j["absent_other"] = a.absent_other;
    j["cases"] = nlohmann::json::array();
    j["class_id"] = a.class_id;
    j["class_name"] = a.class_name;
    j["date"] = a.date;
    j["enrolled"] = a.enrolled;
    j["id"] = a.id;
    j["late"] = a.late;
    j["present"] = a.present;
    j["school_code"] = a.school_code;
    j["session"] = a.session;
    j["submitted_at"] = a.submitted_at;
    j["submitted_by"] = a.submitted_by;
    j["version"] = a.version;
    j["warnings"] = nlohmann::json::array();
    std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    benchmark::DoNotOptimize(text);
  }
}

BENCHMARK(JsonBodyClassReport)->ArgName("cases")->Arg(0)->Arg(1);
BENCHMARK(NlohmannClassReport)->ArgName("cases")->Arg(0)->Arg(1);
BENCHMARK(JsonTextAnswer);
BENCHMARK(NlohmannAnswer);

}  // namespace

BENCHMARK_MAIN();
