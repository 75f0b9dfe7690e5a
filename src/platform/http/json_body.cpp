#include "platform/http/json_body.hpp"

#include <algorithm>

namespace xiaoan::http {

long Utf8Length(std::string_view s) {
  long count = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return -1;
    i += len;
    ++count;
  }
  return count;
}

Result<JsonBody> JsonBody::Parse(std::string_view body) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Fail(Error::Invalid("body", "The body is not valid JSON."));
  if (!parsed.is_object()) return Fail(Error::Invalid("body", "Expected a JSON object."));
  return JsonBody(std::move(parsed), "");
}

Result<JsonBody> JsonBody::FromValue(const nlohmann::json& value, std::string prefix) {
  if (!value.is_object()) {
    return Fail(
        Error::Invalid(prefix.empty() ? "body" : prefix.substr(0, prefix.size() - 1), "Expected a JSON object."));
  }
  return JsonBody(value, std::move(prefix));
}

const nlohmann::json* JsonBody::Field(const std::string& key, Need need) {
  known_.push_back(key);
  auto it = object_.find(key);
  if (it == object_.end() || (it->is_null() && need == Need::kOptional)) {
    if (need == Need::kRequired) AddError(key, "This field is required.");
    return nullptr;
  }
  return &*it;
}

void JsonBody::AddError(const std::string& key, std::string message) {
  errors_.push_back(FieldError{prefix_ + key, std::move(message), 0});
}

std::optional<std::string> JsonBody::String(const std::string& key, Need need, size_t max_chars, size_t min_chars) {
  const auto* v = Field(key, need);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    AddError(key, "Expected a string.");
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  const long len = Utf8Length(s);
  if (len < 0) {
    AddError(key, "Not valid UTF-8.");
    return std::nullopt;
  }
  if (static_cast<size_t>(len) > max_chars) {
    AddError(key, "At most " + std::to_string(max_chars) + " characters.");
    return std::nullopt;
  }
  if (static_cast<size_t>(len) < min_chars) {
    AddError(key, min_chars == 1 ? "Must not be empty." : "At least " + std::to_string(min_chars) + " characters.");
    return std::nullopt;
  }
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t') {
      AddError(key, "Control characters are not allowed.");
      return std::nullopt;
    }
  }
  return s;
}

std::optional<int64_t> JsonBody::Int(const std::string& key, Need need, int64_t min, int64_t max) {
  const auto* v = Field(key, need);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    AddError(key, "Expected an integer.");
    return std::nullopt;
  }
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    AddError(key, "Out of range.");
    return std::nullopt;
  }
  const int64_t n = v->get<int64_t>();
  if (n < min || n > max) {
    AddError(key, "Must be between " + std::to_string(min) + " and " + std::to_string(max) + ".");
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonBody::Bool(const std::string& key, Need need) {
  const auto* v = Field(key, need);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    AddError(key, "Expected true or false.");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::vector<std::string>> JsonBody::StringList(const std::string& key, Need need, size_t max_items,
                                                             size_t max_chars) {
  const auto* v = Field(key, need);
  if (!v) return std::nullopt;
  if (!v->is_array() || v->size() > max_items) {
    AddError(key, "Expected a list of at most " + std::to_string(max_items) + " strings.");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *v) {
    if (!item.is_string() || Utf8Length(item.get_ref<const std::string&>()) < 1 ||
        static_cast<size_t>(Utf8Length(item.get_ref<const std::string&>())) > max_chars) {
      AddError(key, "Each item must be a non-empty string of at most " + std::to_string(max_chars) + " characters.");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<JsonBody> JsonBody::Object(const std::string& key, Need need) {
  const auto* v = Field(key, need);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    AddError(key, "Expected an object.");
    return std::nullopt;
  }
  return JsonBody(*v, prefix_ + key + ".");
}

const nlohmann::json* JsonBody::Array(const std::string& key, Need need, size_t max_items) {
  const auto* v = Field(key, need);
  if (!v) return nullptr;
  if (!v->is_array()) {
    AddError(key, "Expected a list.");
    return nullptr;
  }
  if (v->size() > max_items) {
    AddError(key, "At most " + std::to_string(max_items) + " items.");
    return nullptr;
  }
  return v;
}

void JsonBody::Merge(const JsonBody& child) {
  JsonBody copy = child;
  (void)copy.Finish();
  errors_.insert(errors_.end(), copy.errors_.begin(), copy.errors_.end());
}

Status JsonBody::Finish() {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (std::find(known_.begin(), known_.end(), it.key()) == known_.end()) {
      known_.push_back(it.key());
      AddError(it.key(), "Unknown field.");
    }
  }
  if (errors_.empty()) return {};
  Error e = Error::Invalid("", "");
  e.fields = errors_;
  return Fail(e);
}

}  // namespace xiaoan::http
