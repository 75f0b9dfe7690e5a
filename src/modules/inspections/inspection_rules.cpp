#include "modules/inspections/inspection_rules.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "checklists_data.hpp"
#include "modules/org/org_rules.hpp"
#include "platform/http/json_body.hpp"

namespace xiaoan::inspections {
namespace {

using std::chrono::days;
using std::chrono::year_month_day;

Day Ymd(int y, unsigned m, unsigned d) {
  return Day(year_month_day{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)});
}

bool Matches(std::string_view s, size_t min, size_t max, bool upper_and_dots) {
  if (s.size() < min || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') return true;
    return upper_and_dots && ((c >= 'A' && c <= 'Z') || c == '.' || c == '-');
  });
}

bool LengthIn(const std::string& s, long min, long max) {
  const long n = http::Utf8Length(s);
  return n >= min && n <= max;
}

// A required text of 1 to `max` characters: nullopt when it is, else the problem.
std::optional<std::string> RequiredTextProblem(const std::string& s, long max) {
  if (s.empty()) return "Must not be empty.";
  if (!LengthIn(s, 1, max)) return fmt::format("1 to {} characters.", max);
  return std::nullopt;
}

}  // namespace

ChecklistInput TrimmedChecklist(ChecklistInput in) {
  in.name = org::TrimBlanks(in.name);
  for (auto& it : in.items) {
    it.text = org::TrimBlanks(it.text);
    it.how = org::TrimBlanks(it.how);
  }
  return in;
}

const std::vector<std::string>& Categories() {
  static const std::vector<std::string> c = {"fire",         "building", "food",     "school_bus",
                                             "electricity",  "heating",  "snow_ice", "lab",
                                             "surroundings", "drowning", "security", "other"};
  return c;
}

bool IsCategory(std::string_view c) {
  const auto& all = Categories();
  return std::find(all.begin(), all.end(), c) != all.end();
}

Result<std::vector<Round>> MakeRounds(std::string_view cadence, Day starts, Day ends) {
  if (ends < starts) return Fail(Error::Invalid("ends_on", "Not before starts_on."));
  std::vector<std::pair<Day, Day>> windows;
  if (cadence == "once") {
    windows.emplace_back(starts, ends);
  } else if (cadence == "weekly") {
    for (Day d = starts; d <= ends; d += days(7)) windows.emplace_back(d, std::min(d + days(6), ends));
  } else if (cadence == "monthly") {
    Day d = starts;
    while (d <= ends) {
      const year_month_day ymd(d);
      const Day last = Day(std::chrono::year_month_day_last(ymd.year(), std::chrono::month_day_last(ymd.month())));
      windows.emplace_back(d, std::min(last, ends));
      d = last + days(1);
    }
  } else if (cadence == "semester") {
    const int first = static_cast<int>(year_month_day(starts).year()) - 1;
    const int last = static_cast<int>(year_month_day(ends).year());
    for (int y = first; y <= last; ++y) {
      for (auto [open, close] : {std::pair{Ymd(y, 2, 15), Ymd(y, 7, 15)}, std::pair{Ymd(y, 9, 1), Ymd(y + 1, 1, 31)}}) {
        const Day a = std::max(open, starts), b = std::min(close, ends);
        if (a <= b) windows.emplace_back(a, b);
      }
    }
    if (windows.empty())
      return Fail(Error::Invalid("starts_on", "The window holds no semester day (02-15..07-15, 09-01..01-31)."));
  } else {
    return Fail(Error::Invalid("cadence", "Use once, weekly, monthly or semester."));
  }
  std::vector<Round> out;
  for (const auto& [a, b] : windows) out.push_back({static_cast<int64_t>(out.size()) + 1, FormatDay(a), FormatDay(b)});
  return out;
}

std::optional<Round> CurrentRound(const std::vector<Round>& rounds, Day today) {
  const std::string t = FormatDay(today);
  for (const auto& r : rounds)
    if (r.due_on >= t) return r;  // the first window not yet closed: open now, or the next to open
  return std::nullopt;
}

std::vector<std::string> CategoriesOf(const std::vector<ChecklistItem>& items) {
  std::vector<std::string> out;
  for (const auto& i : items)
    if (std::find(out.begin(), out.end(), i.category) == out.end()) out.push_back(i.category);
  return out;
}

Status ValidateChecklist(const ChecklistInput& in) {
  std::vector<FieldError> errors;
  if (!Matches(in.key, 1, 40, false)) errors.push_back({"key", "1 to 40 of a-z, 0-9 and _."});
  if (auto problem = RequiredTextProblem(in.name, 60)) errors.push_back({"name", *problem});
  if (in.items.empty() || in.items.size() > 100) errors.push_back({"items", "1 to 100 items."});
  std::set<std::string> codes;
  for (size_t i = 0; i < in.items.size(); ++i) {
    const auto& it = in.items[i];
    const std::string at = fmt::format("items[{}].", i);
    if (!Matches(it.code, 1, 20, true))
      errors.push_back({at + "code", "1 to 20 of A-Z, a-z, 0-9, _, . and -."});
    else if (!codes.insert(it.code).second)
      errors.push_back({at + "code", "Each item has its own code."});
    if (auto problem = RequiredTextProblem(it.text, 200)) errors.push_back({at + "text", *problem});
    if (!IsCategory(it.category)) errors.push_back({at + "category", "Not a hazard category."});
    if (!LengthIn(it.how, 0, 500)) errors.push_back({at + "how", "At most 500 characters."});
  }
  if (errors.empty()) return {};
  Error e = Error::Invalid(errors[0].field, errors[0].message);
  e.fields = errors;
  return Fail(e);
}

std::vector<FieldError> CheckResults(const std::vector<ChecklistItem>& items, const std::vector<ResultInput>& results) {
  std::vector<FieldError> errors;
  std::map<std::string, const ChecklistItem*, std::less<>> by_code;
  for (const auto& it : items) by_code.emplace(it.code, &it);
  std::set<std::string> answered;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    const std::string at = fmt::format("results[{}].", i);
    auto item = by_code.find(r.code);
    if (item == by_code.end()) {
      errors.push_back({at + "code", "Not an item of this checklist."});
      continue;
    }
    if (!answered.insert(r.code).second) {
      errors.push_back({at + "code", "This item is already answered."});
      continue;
    }
    if (r.result != "pass" && r.result != "fail" && r.result != "na") {
      errors.push_back({at + "result", "Use pass, fail or na."});
      continue;
    }
    if (item->second->photo_required && r.result != "na" && r.photos.empty())
      errors.push_back({at + "photos", "This item needs at least one photo."});
    if (r.result == "fail") {
      if (!r.hazard) {
        errors.push_back({at + "hazard", "A failed item becomes a hazard: give its grade and location."});
        continue;
      }
      const auto& h = *r.hazard;
      if (h.grade != "ordinary" && h.grade != "major")
        errors.push_back({at + "hazard.grade", "Use ordinary or major."});
      if (org::TrimBlanks(h.location).empty()) errors.push_back({at + "hazard.location", "Say where the hazard is."});
      if (h.building_grade) {
        if (item->second->category != "building")
          errors.push_back({at + "hazard.building_grade", "Only for a building item."});
        else if (*h.building_grade != "A" && *h.building_grade != "B" && *h.building_grade != "C" &&
                 *h.building_grade != "D")
          errors.push_back({at + "hazard.building_grade", "Use A, B, C or D."});
      }
      if (h.fixed_at_once && h.grade == "major")
        errors.push_back({at + "hazard.fixed_at_once", "A major hazard is not fixed at once."});
    } else if (r.hazard) {
      errors.push_back({at + "hazard", "Only a failed item becomes a hazard."});
    }
  }
  std::vector<std::string> missing;
  for (const auto& it : items)
    if (!answered.contains(it.code)) missing.push_back(it.code);
  if (!missing.empty()) {
    std::string list;
    for (size_t i = 0; i < missing.size() && i < 10; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 10) list += ", …";
    errors.push_back({"results", fmt::format("{} item(s) not answered: {}.", missing.size(), list)});
  }
  return errors;
}

Result<ShippedChecklist> ParseChecklistToml(std::string_view text) {
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return Fail(Error::Invalid("checklist", std::string(e.description())));
  }
  ShippedChecklist out;
  out.input.key = root["key"].value_or(std::string());
  out.input.name = root["name"].value_or(std::string());
  out.version = root["version"].value_or(int64_t{0});
  if (out.version < 1) return Fail(Error::Invalid(out.input.key + ".version", "A version of 1 or more."));
  const auto* items = root["items"].as_array();
  if (items == nullptr) return Fail(Error::Invalid(out.input.key + ".items", "No [[items]]."));
  for (const auto& node : *items) {
    const auto* t = node.as_table();
    if (t == nullptr) return Fail(Error::Invalid(out.input.key + ".items", "Each item is a table."));
    ChecklistItem it;
    it.code = (*t)["code"].value_or(std::string());
    it.text = (*t)["text"].value_or(std::string());
    it.category = (*t)["category"].value_or(std::string());
    it.how = (*t)["how"].value_or(std::string());
    it.photo_required = (*t)["photo_required"].value_or(false);
    out.input.items.push_back(std::move(it));
  }
  if (auto s = ValidateChecklist(out.input); !s) {
    Error e = s.error();
    for (auto& f : e.fields) f.field = out.input.key + "." + f.field;
    e.fields.front().message += " (" + e.fields.front().field + ")";
    return Fail(Error::Invalid(e.fields.front().field, e.fields.front().message));
  }
  return out;
}

const std::vector<ShippedChecklist>& ShippedChecklists() {
  static const std::vector<ShippedChecklist> all = [] {
    std::vector<ShippedChecklist> out;
    for (std::string_view text : data::kChecklists) {
      auto parsed = ParseChecklistToml(text);
      if (!parsed) throw std::runtime_error("data/checklists: " + parsed.error().fields.front().message);
      out.push_back(std::move(*parsed));
    }
    return out;
  }();
  return all;
}

}  // namespace xiaoan::inspections
