// JSON text written value by value into a string, without building a JSON value first: for the
// texts written most often (the answer to a class report, an audit record's hashed text). Text
// that needs no escaping (valid UTF-8 without control characters, quotes or backslashes) is
// written as it is; anything else goes through nlohmann's own serializer with invalid UTF-8
// replaced, as http::Json does. Either way the text is what dumping the same value gives
// (json_text_test).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace xiaoan::http {

class JsonText {
 public:
  // Appends to `out`, which must outlive this writer.
  explicit JsonText(std::string& out);

  // Opens and closes an object ('{' '}') or an array ('[' ']'). Opening is a value: in an
  // object it follows a Key.
  JsonText& Open(char bracket);
  JsonText& Close(char bracket);
  // An object member's name, written as given: plain ASCII names that need no escaping.
  JsonText& Key(std::string_view name);
  JsonText& String(const std::string& value);
  JsonText& Int(int64_t value);
  JsonText& Bool(bool value);
  JsonText& Null();
  // Any value, dumped as a whole (for the rare nested part, such as a report's cases).
  JsonText& Value(const nlohmann::json& value);

 private:
  void Separate();
  nlohmann::detail::serializer<nlohmann::json>& Serializer();

  std::string& out_;
  std::optional<nlohmann::detail::serializer<nlohmann::json>> serializer_;  // for what needs escaping
  nlohmann::json cell_;  // a string value reused for every String() that needs escaping
  bool comma_ = false;   // a value came before at this level: the next needs a comma
};

}  // namespace xiaoan::http
