// Strict reading of a JSON request body into typed values. Collects every problem (malformed JSON,
// missing field, wrong type, out of range, unknown or repeated field) and reports them together as one
// validation error naming each field, so a handler never writes from a half-valid body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace xiaoan::http {

enum class Need { kRequired, kOptional };

// Parsed with simdjson (decision 0029): a body, and the objects and lists read from it, share the
// parsed document, which lives as long as any of them.
class JsonBody {
 public:
  class List;

  // Parses `body` as a JSON object. kInvalidArgument naming field "body" when it is not one, or
  // naming the field ("cases[0].age") of a number beyond 64-bit integers or a double's range.
  [[nodiscard]] static Result<JsonBody> Parse(std::string_view body);

  // Each getter returns nullopt when the field is absent (an error if required) or invalid.
  std::optional<std::string> String(const std::string& key, Need need, size_t max_chars = 200, size_t min_chars = 0);
  std::optional<int64_t> Int(const std::string& key, Need need, int64_t min, int64_t max);
  std::optional<bool> Bool(const std::string& key, Need need);
  std::optional<std::vector<std::string>> StringList(const std::string& key, Need need, size_t max_items,
                                                     size_t max_chars);
  // A nested object, read with its own JsonBody whose errors must be merged back with Merge().
  std::optional<JsonBody> Object(const std::string& key, Need need);
  // An array field of at most `max_items` items, read item by item (List::Object).
  std::optional<List> Array(const std::string& key, Need need, size_t max_items);

  void AddError(const std::string& key, std::string message);
  void Merge(const JsonBody& child);
  [[nodiscard]] bool HasField(const std::string& key) const;
  // Whether the field is present with the value null (an optional field being cleared).
  [[nodiscard]] bool IsNull(const std::string& key) const;
  // Records unknown fields, and fields given more than once, as errors; answers the collected
  // validation error, if any.
  [[nodiscard]] Status Finish();
  [[nodiscard]] const std::vector<FieldError>& errors() const { return errors_; }

 private:
  struct Doc;     // the parsed document and the values handed out from it (json_body.cpp)
  struct Reader;  // the steps the getters share (json_body.cpp)
  JsonBody(std::shared_ptr<Doc> doc, size_t value, std::string prefix);
  void CheckFields();  // once: unknown fields and fields given twice become errors

  std::shared_ptr<Doc> doc_;
  size_t value_;  // this object's place among doc_'s values
  std::string prefix_;
  std::vector<std::string> known_;  // the fields read: few, so a list beats a tree
  std::vector<FieldError> errors_;
  bool fields_checked_ = false;
};

// The items of an array field (JsonBody::Array).
class JsonBody::List {
 public:
  [[nodiscard]] size_t size() const { return size_; }
  // Item `i` as an object whose fields are named with `prefix` (e.g. "rows[3]."). kInvalidArgument
  // naming the item when it is not an object.
  [[nodiscard]] Result<JsonBody> Object(size_t i, std::string prefix) const;
  // The items as nlohmann::json, for code that reads rows of free-form columns (school import).
  [[nodiscard]] nlohmann::json ToJson() const;

 private:
  friend class JsonBody;
  List(std::shared_ptr<Doc> doc, size_t array, size_t first, size_t size)
      : doc_(std::move(doc)), array_(array), first_(first), size_(size) {}
  std::shared_ptr<Doc> doc_;
  size_t array_;  // the array's place among doc_'s values
  size_t first_;  // its first item's; the others follow
  size_t size_;
};

// Number of Unicode code points in UTF-8 `s`, or -1 when `s` is not valid UTF-8.
[[nodiscard]] long Utf8Length(std::string_view s);

}  // namespace xiaoan::http
