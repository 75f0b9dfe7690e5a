// Fuzz target: JSON request bodies as the routes read them. The input is a request body;
// JsonBody::Parse, then the getters the routes use (strings with length limits, integers with
// ranges, booleans, string lists, a nested object merged back, an array of row objects and the
// import's SchoolsFromJsonRows), Finish, and the problem+json answer built from the errors.
// Nothing may crash, leak, hit undefined behaviour or throw.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "modules/org/school_import.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/problem.hpp"

namespace {

using xiaoan::http::JsonBody;
using xiaoan::http::Need;

// The attributes object of a school, as org_routes reads it (required on create, optional on edit).
void ReadAttributes(JsonBody& body, Need need) {
  auto obj = body.Object("attributes", Need::kOptional);
  if (!obj) return;
  (void)obj->String("school_type", need, 20);
  (void)obj->String("locality", need, 10);
  (void)obj->Bool("boarding", need);
  (void)obj->Int("day_students", need, 0, 100000);
  (void)obj->Int("boarding_students", need, 0, 100000);
  (void)obj->Int("class_count", need, 0, 1000);
  if (obj->HasField("note")) obj->AddError("note", "Not allowed here.");
  body.Merge(*obj);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)xiaoan::http::Utf8Length(input);

  auto body = JsonBody::Parse(input);
  if (!body) {
    (void)xiaoan::http::Problem(body.error());
    return 0;
  }
  // Odd first bytes read fields as required, even ones as optional, so both paths are reached.
  const Need need = (size > 0 && (data[0] & 1)) ? Need::kRequired : Need::kOptional;
  (void)body->String("parent_code", need, 10, 1);
  (void)body->String("code", Need::kOptional, 10, 1);
  (void)body->String("name", need, 100, 1);
  (void)body->String("username", Need::kOptional, 40, 3);
  (void)body->String("password", Need::kOptional, 200, 12);
  (void)body->String("role", Need::kOptional, 40);
  (void)body->Int("page", Need::kOptional, 1, 100000);
  (void)body->Int("any", Need::kOptional, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  (void)body->Bool("active", Need::kOptional);
  (void)body->StringList("classes", Need::kOptional, 50, 20);
  ReadAttributes(*body, need);

  if (auto rows = body->Array("rows", Need::kOptional, xiaoan::org::kMaxImportRows)) {
    std::vector<xiaoan::FieldError> errors;
    (void)xiaoan::org::SchoolsFromJsonRows(rows->ToJson(), "410105", errors);
    if (!errors.empty()) {
      (void)xiaoan::http::Problem(
          xiaoan::Error{xiaoan::ErrorCode::kInvalidArgument, "Nothing was imported.", "import_failed", errors, {}});
    }
    // Row objects read one by one with their own prefix ("rows[3].").
    for (size_t i = 0; i < rows->size() && i < 16; ++i) {
      auto row = rows->Object(i, "rows[" + std::to_string(i) + "].");
      if (!row) continue;
      (void)row->String("code", Need::kRequired, 10, 1);
      (void)row->Int("class_count", Need::kOptional, 0, 1000);
      body->Merge(*row);
    }
  }
  if (auto status = body->Finish(); !status) (void)xiaoan::http::Problem(status.error());
  return 0;
}
