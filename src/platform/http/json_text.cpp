#include "platform/http/json_text.hpp"

#include <simdjson.h>

#include <charconv>
#include <cstring>

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

namespace {
// Whether any byte of the word is below 0x20, or equal to `byte` (bytes of 0x80 and above never
// match): the usual word-at-a-time tests, exact for the word as a whole.
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;
bool HasControl(uint64_t w) { return ((w - kOnes * 0x20) & ~w & kHighs) != 0; }
bool HasByte(uint64_t w, unsigned char byte) {
  const uint64_t x = w ^ (kOnes * byte);
  return ((x - kOnes) & ~x & kHighs) != 0;
}
}  // namespace

JsonText& JsonText::String(const std::string& value) {
  Separate();
  // Only control characters, the quote and the backslash are escaped by dump() (it writes UTF-8 as
  // it is): text without them is written as it is, without the copy into a json value, when it is
  // plain ASCII or valid UTF-8 (class names and audit summaries are Chinese). Anything else is
  // nlohmann's to escape, and invalid UTF-8 its to replace. Eight bytes are looked at a time (every
  // audit record and every class report's answer writes a dozen strings).
  const char* data = value.data();
  const size_t size = value.size();
  bool plain = true;
  uint64_t seen = 0;  // every byte OR-ed: its high bits say whether any byte is beyond ASCII
  size_t i = 0;
  for (; plain && i + 8 <= size; i += 8) {
    uint64_t w;
    std::memcpy(&w, data + i, 8);
    plain = !HasControl(w) && !HasByte(w, '"') && !HasByte(w, '\\');
    seen |= w;
  }
  for (; plain && i < size; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    plain = c >= 0x20 && c != '"' && c != '\\';
    seen |= c;
  }
  if (plain && ((seen & kHighs) == 0 || simdjson::validate_utf8(data, size))) {
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
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
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
