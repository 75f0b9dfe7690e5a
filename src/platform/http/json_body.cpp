#include "platform/http/json_body.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace xiaoan::http {

namespace dom = simdjson::dom;

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

// The document owns the parsed values; `values` holds the objects and arrays handed out to bodies
// and lists (a simdjson element points into the document).
struct JsonBody::Doc {
  dom::document document;
  std::vector<dom::element> values;
};

struct JsonBody::Reader {
  static dom::object Object(const JsonBody& b) {
    dom::object o;
    const auto error = b.doc_->values[b.value_].get_object().get(o);  // an object: checked when handed out
    (void)error;
    return o;
  }

  // The field's value, or nullopt when it is absent, or null and optional (an error if required).
  static std::optional<dom::element> Field(JsonBody& b, const std::string& key, Need need) {
    b.known_.push_back(key);
    dom::element v;
    if (Object(b).at_key(key).get(v) != simdjson::SUCCESS || (v.is_null() && need == Need::kOptional)) {
      if (need == Need::kRequired) b.AddError(key, "This field is required.");
      return std::nullopt;
    }
    return v;
  }
};

namespace {
// Bodies up to this size are parsed by the thread's own parser, which keeps its buffers (sized for
// the largest body it has parsed) from one request to the next; larger ones (imports) by a parser
// of their own, so that no thread holds on to buffers the size of an import.
constexpr size_t kReusedParserBytes = 64 << 10;
// Finds the number simdjson refused (an integer beyond 64 bits, or a number beyond a double's
// range), reading the body again with nlohmann's SAX parser, which names where it is.
class BadNumber final : public nlohmann::json_sax<nlohmann::json> {
 public:
  // The field's path, as fields are named in errors ("cases[0].age"); "" when there is none.
  static std::string Find(std::string_view body) {
    BadNumber finder;
    nlohmann::json::sax_parse(body.begin(), body.end(), &finder);
    return finder.found_;
  }

  bool null() override { return Done(); }
  bool boolean(bool) override { return Done(); }
  bool number_integer(number_integer_t) override { return Done(); }
  bool number_unsigned(number_unsigned_t) override { return Done(); }
  bool number_float(number_float_t value, const string_t& text) override {
    if (!std::isfinite(value) || text.find_first_of(".eE") == string_t::npos) return Stop();
    return Done();
  }
  bool string(string_t&) override { return Done(); }
  bool binary(binary_t&) override { return Done(); }
  bool start_object(std::size_t) override { return Open(false); }
  bool key(string_t& k) override {
    frames_.back().key = k;
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(true); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    if (e.id == 406) Stop();  // "number overflow": a number beyond a double's range
    return false;
  }

 private:
  struct Frame {
    bool array = false;
    std::size_t next = 0;  // an array's: the index of the element being read
    std::string key;       // an object's: the key being read
  };

  bool Open(bool array) {
    frames_.push_back({array, 0, {}});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return Done();
  }
  bool Done() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().next;
    return true;
  }
  bool Stop() {
    std::string path;
    for (const auto& f : frames_) {
      if (f.array)
        path += "[" + std::to_string(f.next) + "]";
      else
        path += (path.empty() ? "" : ".") + f.key;
    }
    found_ = path;
    return false;
  }

  std::vector<Frame> frames_;
  std::string found_;
};

}  // namespace

Result<JsonBody> JsonBody::Parse(std::string_view body) {
  auto doc = std::make_shared<Doc>();
  thread_local dom::parser reused;
  dom::parser own;  // allocates nothing until it parses
  dom::parser& parser = body.size() <= kReusedParserBytes ? reused : own;
  dom::element root;
  const auto* bytes = reinterpret_cast<const uint8_t*>(body.data());
  if (const auto error = parser.parse_into_document(doc->document, bytes, body.size()).get(root);
      error != simdjson::SUCCESS) {
    if (error == simdjson::NUMBER_ERROR)
      if (std::string field = BadNumber::Find(body); !field.empty())
        return Fail(Error::Invalid(field, "Out of range."));
    return Fail(Error::Invalid("body", "The body is not valid JSON."));
  }
  if (!root.is_object()) return Fail(Error::Invalid("body", "Expected a JSON object."));
  doc->values.push_back(root);
  return JsonBody(std::move(doc), 0, "");
}

JsonBody::JsonBody(std::shared_ptr<Doc> doc, size_t value, std::string prefix)
    : doc_(std::move(doc)), value_(value), prefix_(std::move(prefix)) {
  known_.reserve(16);  // one allocation for the fields of most bodies
}

void JsonBody::AddError(const std::string& key, std::string message) {
  errors_.push_back(FieldError{prefix_ + key, std::move(message), 0});
}

bool JsonBody::HasField(const std::string& key) const {
  dom::element v;
  return Reader::Object(*this).at_key(key).get(v) == simdjson::SUCCESS;
}

bool JsonBody::IsNull(const std::string& key) const {
  dom::element v;
  return Reader::Object(*this).at_key(key).get(v) == simdjson::SUCCESS && v.is_null();
}

std::optional<std::string> JsonBody::String(const std::string& key, Need need, size_t max_chars, size_t min_chars) {
  const auto v = Reader::Field(*this, key, need);
  if (!v) return std::nullopt;
  std::string_view s;
  if (v->get_string().get(s) != simdjson::SUCCESS) {
    AddError(key, "Expected a string.");
    return std::nullopt;
  }
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
  return std::string(s);
}

std::optional<int64_t> JsonBody::Int(const std::string& key, Need need, int64_t min, int64_t max) {
  const auto v = Reader::Field(*this, key, need);
  if (!v) return std::nullopt;
  if (v->type() == dom::element_type::UINT64) {  // above INT64_MAX: simdjson keeps others as INT64
    AddError(key, "Out of range.");
    return std::nullopt;
  }
  int64_t n = 0;
  if (v->type() != dom::element_type::INT64 || v->get_int64().get(n) != simdjson::SUCCESS) {
    AddError(key, "Expected an integer.");
    return std::nullopt;
  }
  if (n < min || n > max) {
    AddError(key, "Must be between " + std::to_string(min) + " and " + std::to_string(max) + ".");
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonBody::Bool(const std::string& key, Need need) {
  const auto v = Reader::Field(*this, key, need);
  if (!v) return std::nullopt;
  bool b = false;
  if (v->get_bool().get(b) != simdjson::SUCCESS) {
    AddError(key, "Expected true or false.");
    return std::nullopt;
  }
  return b;
}

std::optional<std::vector<std::string>> JsonBody::StringList(const std::string& key, Need need, size_t max_items,
                                                             size_t max_chars) {
  const auto v = Reader::Field(*this, key, need);
  if (!v) return std::nullopt;
  dom::array items;
  if (v->get_array().get(items) != simdjson::SUCCESS || items.size() > max_items) {
    AddError(key, "Expected a list of at most " + std::to_string(max_items) + " strings.");
    return std::nullopt;
  }
  std::vector<std::string> out;
  out.reserve(items.size());
  for (dom::element item : items) {
    std::string_view s;
    const long len = item.get_string().get(s) == simdjson::SUCCESS ? Utf8Length(s) : -1;
    if (len < 1 || static_cast<size_t>(len) > max_chars) {
      AddError(key, "Each item must be a non-empty string of at most " + std::to_string(max_chars) + " characters.");
      return std::nullopt;
    }
    out.emplace_back(s);
  }
  return out;
}

std::optional<JsonBody> JsonBody::Object(const std::string& key, Need need) {
  const auto v = Reader::Field(*this, key, need);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    AddError(key, "Expected an object.");
    return std::nullopt;
  }
  doc_->values.push_back(*v);
  return JsonBody(doc_, doc_->values.size() - 1, prefix_ + key + ".");
}

std::optional<JsonBody::List> JsonBody::Array(const std::string& key, Need need, size_t max_items) {
  const auto v = Reader::Field(*this, key, need);
  if (!v) return std::nullopt;
  dom::array items;
  if (v->get_array().get(items) != simdjson::SUCCESS) {
    AddError(key, "Expected a list.");
    return std::nullopt;
  }
  // size() counts up to 0xFFFFFF; a longer list is over any limit a route sets.
  if (items.size() > max_items) {
    AddError(key, "At most " + std::to_string(max_items) + " items.");
    return std::nullopt;
  }
  const size_t array = doc_->values.size();
  doc_->values.push_back(*v);
  for (dom::element item : items) doc_->values.push_back(item);
  return List(doc_, array, array + 1, doc_->values.size() - array - 1);
}

Result<JsonBody> JsonBody::List::Object(size_t i, std::string prefix) const {
  if (i >= size_ || !doc_->values[first_ + i].is_object()) {
    return Fail(
        Error::Invalid(prefix.empty() ? "body" : prefix.substr(0, prefix.size() - 1), "Expected a JSON object."));
  }
  return JsonBody(doc_, first_ + i, std::move(prefix));
}

nlohmann::json JsonBody::List::ToJson() const { return nlohmann::json::parse(simdjson::minify(doc_->values[array_])); }

void JsonBody::Merge(const JsonBody& child) {
  JsonBody copy = child;
  (void)copy.Finish();
  errors_.insert(errors_.end(), copy.errors_.begin(), copy.errors_.end());
}

Status JsonBody::Finish() {
  if (!fields_checked_) CheckFields();
  if (errors_.empty()) return {};
  Error e = Error::Invalid("", "");
  e.fields = errors_;
  return Fail(e);
}

void JsonBody::CheckFields() {
  fields_checked_ = true;
  std::vector<std::string_view> seen;  // each field once; a second time is an error, also once
  std::vector<std::string_view> repeated;
  for (const auto field : Reader::Object(*this)) {
    const std::string_view key = field.key;
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      if (std::find(repeated.begin(), repeated.end(), key) == repeated.end()) {
        repeated.push_back(key);
        AddError(std::string(key), "This field is given more than once.");
      }
      continue;
    }
    seen.push_back(key);
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) AddError(std::string(key), "Unknown field.");
  }
}

}  // namespace xiaoan::http
