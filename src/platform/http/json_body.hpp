// Strict reading of a JSON request body into typed values. Collects every problem (malformed JSON,
// missing field, wrong type, out of range, unknown field) and reports them together as one
// validation error naming each field, so a handler never writes from a half-valid body.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace xiaoan::http {

enum class Need { kRequired, kOptional };

class JsonBody {
 public:
  // Parses `body` as a JSON object. kInvalidArgument naming field "body" when it is not one.
  [[nodiscard]] static Result<JsonBody> Parse(std::string_view body);
  // Reads an already-parsed object; field names get `prefix` (e.g. "rows[3].").
  [[nodiscard]] static Result<JsonBody> FromValue(const nlohmann::json& value, std::string prefix);

  // Each getter returns nullopt when the field is absent (an error if required) or invalid.
  std::optional<std::string> String(const std::string& key, Need need, size_t max_chars = 200, size_t min_chars = 0);
  std::optional<int64_t> Int(const std::string& key, Need need, int64_t min, int64_t max);
  std::optional<bool> Bool(const std::string& key, Need need);
  std::optional<std::vector<std::string>> StringList(const std::string& key, Need need, size_t max_items,
                                                     size_t max_chars);
  // A nested object, read with its own JsonBody whose errors must be merged back with Merge().
  std::optional<JsonBody> Object(const std::string& key, Need need);
  // The raw value of an array field (the caller reads items itself).
  const nlohmann::json* Array(const std::string& key, Need need, size_t max_items);

  void AddError(const std::string& key, std::string message);
  void Merge(const JsonBody& child);
  [[nodiscard]] bool HasField(const std::string& key) const { return object_.contains(key); }
  // Whether the field is present with the value null (an optional field being cleared).
  [[nodiscard]] bool IsNull(const std::string& key) const {
    auto it = object_.find(key);
    return it != object_.end() && it->is_null();
  }
  // Records unknown fields as errors; answers the collected validation error, if any.
  [[nodiscard]] Status Finish();
  [[nodiscard]] const std::vector<FieldError>& errors() const { return errors_; }

 private:
  JsonBody(nlohmann::json object, std::string prefix) : object_(std::move(object)), prefix_(std::move(prefix)) {
    known_.reserve(16);  // one allocation for the fields of most bodies
  }
  const nlohmann::json* Field(const std::string& key, Need need);

  nlohmann::json object_;
  std::string prefix_;
  std::vector<std::string> known_;  // the fields read: few, so a list beats a tree
  std::vector<FieldError> errors_;
};

// Number of Unicode code points in UTF-8 `s`, or -1 when `s` is not valid UTF-8.
[[nodiscard]] long Utf8Length(std::string_view s);

}  // namespace xiaoan::http
