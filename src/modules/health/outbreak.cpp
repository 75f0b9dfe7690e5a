#include "modules/health/outbreak.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <map>
#include <set>

#include "outbreak_data.hpp"

namespace xiaoan::health {
namespace {

struct SymptomInfo {
  Symptom symptom;
  const char* name;
  const char* zh;
};
constexpr SymptomInfo kSymptoms[kSymptomCount] = {
    {Symptom::kFever, "fever", "发热"},
    {Symptom::kCough, "cough", "咳嗽"},
    {Symptom::kHeadache, "headache", "头痛"},
    {Symptom::kSoreThroat, "sore_throat", "咽痛"},
    {Symptom::kSwollenParotid, "swollen_parotid", "腮腺肿大"},
    {Symptom::kAbdominalPain, "abdominal_pain", "腹痛"},
    {Symptom::kDiarrhoea, "diarrhoea", "腹泻"},
    {Symptom::kVomiting, "vomiting", "呕吐"},
    {Symptom::kRash, "rash", "皮疹"},
    {Symptom::kDizziness, "dizziness", "头晕"},
    {Symptom::kFatigue, "fatigue", "乏力"},
    {Symptom::kRedEyes, "red_eyes", "红眼"},
    {Symptom::kJaundice, "jaundice", "黄疸"},
};

Error Bad(const std::string& where, const std::string& what) { return Error::Invalid(where, what); }

bool InGroup(const Case& c, const SymptomGroup& g) {
  for (Symptom s : c.symptoms)
    if (std::find(g.symptoms.begin(), g.symptoms.end(), s) != g.symptoms.end()) return true;
  return false;
}

// The windows of `width` days that contain `day` and end no later than `today`, as start days.
std::vector<Day> WindowStarts(int width, Day day, Day today) {
  std::vector<Day> out;
  for (int back = width - 1; back >= 0; --back) {
    const Day start = day - std::chrono::days(back);
    if (start + std::chrono::days(width - 1) <= today) out.push_back(start);
  }
  return out;
}

// For each unit of `kind`, the best window (most cases, then latest) of `width` days where the
// cases matching `match` reach `min_cases`.
template <class Match>
void Windows(const std::vector<Case>& cases, UnitKind kind, int width, int min_cases, Day day, Day today, Match&& match,
             const std::string& rule_id, const std::string& group_id, int deadline, std::vector<Trigger>& out) {
  std::map<std::string, std::vector<const Case*>> by_unit;
  for (const auto& c : cases) {
    if (!match(c)) continue;
    if (kind == UnitKind::kClass) by_unit[c.class_key].push_back(&c);
    if (kind == UnitKind::kDormitory && c.dormitory_key) by_unit[*c.dormitory_key].push_back(&c);
    if (kind == UnitKind::kSchool) by_unit[""].push_back(&c);
  }
  for (const auto& [unit, list] : by_unit) {
    std::optional<Trigger> best;
    for (Day start : WindowStarts(width, day, today)) {
      const Day end = start + std::chrono::days(width - 1);
      Trigger t{rule_id, group_id, kind, unit, start, end, {}, deadline};
      std::map<std::string, int64_t> latest;  // student → latest record in the window
      for (const Case* c : list) {
        if (c->day < start || c->day > end) continue;
        const std::string who = c->student.empty() ? "#" + std::to_string(c->id) : c->student;
        auto& id = latest[who];
        id = std::max(id, c->id);
      }
      for (const auto& [_, id] : latest) t.case_ids.push_back(id);
      if (static_cast<int>(t.case_ids.size()) < min_cases) continue;
      if (!best || t.case_ids.size() >= best->case_ids.size()) best = std::move(t);
    }
    if (best) {
      std::sort(best->case_ids.begin(), best->case_ids.end());
      out.push_back(std::move(*best));
    }
  }
}

}  // namespace

const char* SymptomName(Symptom s) { return kSymptoms[static_cast<int>(s)].name; }
const char* SymptomNameZh(Symptom s) { return kSymptoms[static_cast<int>(s)].zh; }
std::optional<Symptom> SymptomFromName(std::string_view s) {
  for (const auto& i : kSymptoms)
    if (s == i.name) return i.symptom;
  return std::nullopt;
}

const char* UnitKindName(UnitKind k) {
  return k == UnitKind::kClass ? "class" : k == UnitKind::kDormitory ? "dormitory" : "school";
}

Result<OutbreakRules> ParseOutbreakRules(std::string_view text) {
  toml::table doc;
  try {
    doc = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return Fail(Bad("rules", std::string(e.description())));
  }
  OutbreakRules r;
  std::set<std::string> ids;
  if (auto* groups = doc["group"].as_array()) {
    for (size_t i = 0; i < groups->size(); ++i) {
      auto* t = (*groups)[i].as_table();
      const std::string at = fmt::format("group[{}]", i);
      if (!t) return Fail(Bad(at, "Expected a table."));
      SymptomGroup g{(*t)["id"].value_or(std::string()), (*t)["name"].value_or(std::string()), {}};
      if (g.id.empty() || !ids.insert(g.id).second) return Fail(Bad(at + ".id", "A unique id is required."));
      auto* syms = (*t)["symptoms"].as_array();
      if (!syms || syms->empty()) return Fail(Bad(at + ".symptoms", "List at least one symptom."));
      for (auto& s : *syms) {
        auto sym = SymptomFromName(s.value_or(std::string()));
        if (!sym) return Fail(Bad(at + ".symptoms", "Unknown symptom " + s.value_or(std::string()) + "."));
        g.symptoms.push_back(*sym);
      }
      r.groups.push_back(std::move(g));
    }
  }
  if (auto* clusters = doc["cluster"].as_array()) {
    for (size_t i = 0; i < clusters->size(); ++i) {
      auto* t = (*clusters)[i].as_table();
      const std::string at = fmt::format("cluster[{}]", i);
      if (!t) return Fail(Bad(at, "Expected a table."));
      ClusterRule c;
      c.id = (*t)["id"].value_or(std::string());
      c.name = (*t)["name"].value_or(std::string());
      c.window_days = static_cast<int>((*t)["window_days"].value_or(int64_t{0}));
      c.min_cases = static_cast<int>((*t)["min_cases"].value_or(int64_t{0}));
      c.deadline_hours = static_cast<int>((*t)["deadline_hours"].value_or(int64_t{-1}));
      c.source = (*t)["source"].value_or(std::string());
      c.confidence = (*t)["confidence"].value_or(std::string());
      if (c.id.empty()) return Fail(Bad(at + ".id", "Required."));
      if (c.window_days < 1 || c.window_days > 31) return Fail(Bad(at + ".window_days", "1 to 31 days."));
      if (c.min_cases < 1) return Fail(Bad(at + ".min_cases", "At least 1."));
      if (c.deadline_hours < 0) return Fail(Bad(at + ".deadline_hours", "0 (immediately) or more hours."));
      r.clusters.push_back(std::move(c));
    }
  }
  if (auto* n = doc["notifiable"].as_table()) {
    r.notifiable_deadline_hours = static_cast<int>((*n)["deadline_hours"].value_or(int64_t{0}));
    if (auto* d = (*n)["diseases"].as_array())
      for (auto& x : *d) r.notifiable.push_back(x.value_or(std::string()));
  }
  if (auto* w = doc["disease_windows"].as_table()) {
    r.disease_windows_enabled = (*w)["enabled"].value_or(false);
    if (auto* rules = (*w)["rule"].as_array()) {
      for (size_t i = 0; i < rules->size(); ++i) {
        auto* t = (*rules)[i].as_table();
        const std::string at = fmt::format("disease_windows.rule[{}]", i);
        if (!t) return Fail(Bad(at, "Expected a table."));
        DiseaseWindowRule d;
        d.disease = (*t)["disease"].value_or(std::string());
        d.window_days = static_cast<int>((*t)["window_days"].value_or(int64_t{0}));
        if (auto v = (*t)["school_min"].value<int64_t>()) d.school_min = static_cast<int>(*v);
        if (auto v = (*t)["class_min"].value<int64_t>()) d.class_min = static_cast<int>(*v);
        if (d.disease.empty() || d.window_days < 1 || d.window_days > 31 || (!d.school_min && !d.class_min))
          return Fail(Bad(at, "Needs a disease, 1–31 window days and a school or class minimum."));
        r.disease_windows.push_back(std::move(d));
      }
    }
  }
  return r;
}

const OutbreakRules& ShippedOutbreakRules() {
  static const OutbreakRules rules = [] {
    auto parsed = ParseOutbreakRules(data::kOutbreakRules);
    if (!parsed) throw std::runtime_error("data/rules/outbreak.toml: " + parsed.error().fields.at(0).message);
    return *parsed;
  }();
  return rules;
}

int LookbackDays(const OutbreakRules& rules) {
  int longest = 1;
  for (const auto& c : rules.clusters) longest = std::max(longest, c.window_days);
  if (rules.disease_windows_enabled)
    for (const auto& d : rules.disease_windows) longest = std::max(longest, d.window_days);
  return longest - 1;
}

std::vector<Trigger> Evaluate(const OutbreakRules& rules, const std::vector<Case>& cases, Day day, Day today) {
  std::vector<Trigger> out;
  for (const auto& rule : rules.clusters) {
    for (const auto& g : rules.groups) {
      for (UnitKind kind : {UnitKind::kClass, UnitKind::kDormitory}) {
        Windows(
            cases, kind, rule.window_days, rule.min_cases, day, today, [&](const Case& c) { return InGroup(c, g); },
            rule.id, g.id, rule.deadline_hours, out);
      }
    }
  }
  // A notifiable or suspected notifiable disease: one warning per class and disease, the same day.
  std::map<std::pair<std::string, std::string>, Trigger> notifiable;
  std::map<std::pair<std::string, std::string>, std::map<std::string, int64_t>> students;
  for (const auto& c : cases) {
    if (c.day != day) continue;
    const bool listed = c.diagnosis && std::find(rules.notifiable.begin(), rules.notifiable.end(), *c.diagnosis) !=
                                           rules.notifiable.end();
    if (!listed && !c.suspected_notifiable) continue;
    const std::string disease = listed ? *c.diagnosis : "suspected";
    auto [it, fresh] = notifiable.try_emplace({c.class_key, disease});
    if (fresh)
      it->second =
          Trigger{"notifiable", disease, UnitKind::kClass, c.class_key, day, day, {}, rules.notifiable_deadline_hours};
    it->second.case_ids.push_back(c.id);
    students[{c.class_key, disease}][c.student.empty() ? "#" + std::to_string(c.id) : c.student] =
        std::max(students[{c.class_key, disease}][c.student.empty() ? "#" + std::to_string(c.id) : c.student], c.id);
  }
  for (auto& [key, t] : notifiable) {
    t.case_ids.clear();
    for (const auto& [_, id] : students[key]) t.case_ids.push_back(id);
    std::sort(t.case_ids.begin(), t.case_ids.end());
    out.push_back(std::move(t));
  }
  if (rules.disease_windows_enabled) {
    for (const auto& d : rules.disease_windows) {
      auto match = [&](const Case& c) { return c.diagnosis && *c.diagnosis == d.disease; };
      if (d.school_min)
        Windows(cases, UnitKind::kSchool, d.window_days, *d.school_min, day, today, match, "disease:" + d.disease,
                d.disease, 24, out);
      if (d.class_min)
        Windows(cases, UnitKind::kClass, d.window_days, *d.class_min, day, today, match, "disease:" + d.disease,
                d.disease, 24, out);
    }
  }
  return out;
}

std::vector<int64_t> Members(const OutbreakRules& rules, const std::vector<Case>& cases, const std::string& rule_id,
                             const std::string& group_id, UnitKind kind, const std::string& unit_key, Day window_start,
                             Day window_end) {
  const SymptomGroup* group = nullptr;
  for (const auto& g : rules.groups)
    if (g.id == group_id) group = &g;
  const bool cluster =
      std::any_of(rules.clusters.begin(), rules.clusters.end(), [&](const ClusterRule& c) { return c.id == rule_id; });
  auto matches = [&](const Case& c) {
    if (cluster) return group != nullptr && InGroup(c, *group);
    if (rule_id == "notifiable") {
      const bool listed = c.diagnosis && std::find(rules.notifiable.begin(), rules.notifiable.end(), *c.diagnosis) !=
                                             rules.notifiable.end();
      if (listed) return *c.diagnosis == group_id;
      return c.suspected_notifiable && group_id == "suspected";
    }
    if (rule_id.starts_with("disease:")) return c.diagnosis && *c.diagnosis == group_id;
    return false;
  };
  std::map<std::string, int64_t> latest;  // student → record
  for (const auto& c : cases) {
    if (c.day < window_start || c.day > window_end || !matches(c)) continue;
    if (kind == UnitKind::kClass && c.class_key != unit_key) continue;
    if (kind == UnitKind::kDormitory && c.dormitory_key != unit_key) continue;
    auto& id = latest[c.student.empty() ? "#" + std::to_string(c.id) : c.student];
    id = std::max(id, c.id);
  }
  std::vector<int64_t> out;
  for (const auto& [_, id] : latest) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace xiaoan::health
