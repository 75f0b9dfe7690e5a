#include "platform/http/json_text.hpp"

#include <simdjson.h>

namespace xiaoan::http {

JsonText::JsonText(std::string& out) : out_(out) {}

// The serializer is nlohmann's detail API (the one dump() itself uses); json_text_test compares
// what it writes with dump(). Made on first use: most texts never need it, and making it allocates.
nlohmann::detail::serializer<nlohmann::json>& JsonText::Serializer() {
  if (!serializer_)
    serializer_.emplace(nlohmann::detail::output_adapter<char, std::string>(out_), ' ',
                        nlohmann::json::error_handler_t::replace);
  return *serializer_;
}

void JsonText::Separate() {
  if (comma_) out_.push_back(',');
  comma_ = true;
}

JsonText& JsonText::Open(char bracket) {
  Separate();
  out_.push_back(bracket);
  comma_ = false;
  return *this;
}

JsonText& JsonText::Close(char bracket) {
  out_.push_back(bracket);
  comma_ = true;
  return *this;
}

JsonText& JsonText::Key(std::string_view name) {
  Separate();
  out_.push_back('"');
  out_.append(name);
  out_ += "\":";
  comma_ = false;  // the value follows without one
  return *this;
}

JsonText& JsonText::String(const std::string& value) {
  Separate();
  // Only control characters, the quote and the backslash are escaped by dump() (it writes UTF-8 as
  // it is): text without them is written as it is, without the copy into a json value, when it is
  // plain ASCII or valid UTF-8 (class names and audit summaries are Chinese). Anything else is
  // nlohmann's to escape, and invalid UTF-8 its to replace.
  bool ascii = true;
  bool plain = true;
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
    ascii &= c < 0x80;
  }
  if (plain && (ascii || simdjson::validate_utf8(value.data(), value.size()))) {
    out_.push_back('"');
    out_.append(value);
    out_.push_back('"');
    return *this;
  }
  if (!cell_.is_string()) cell_ = std::string();
  cell_.get_ref<std::string&>().assign(value);
  Serializer().dump(cell_, false, false, 0);
  return *this;
}

JsonText& JsonText::Int(int64_t value) {
  Separate();
  out_ += std::to_string(value);
  return *this;
}

JsonText& JsonText::Bool(bool value) {
  Separate();
  out_ += value ? "true" : "false";
  return *this;
}

JsonText& JsonText::Null() {
  Separate();
  out_ += "null";
  return *this;
}

JsonText& JsonText::Value(const nlohmann::json& value) {
  Separate();
  Serializer().dump(value, false, false, 0);
  return *this;
}

}  // namespace xiaoan::http
