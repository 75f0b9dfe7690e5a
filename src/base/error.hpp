// The one error vocabulary of XiaoAn: a closed set of codes and the value that carries them.
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace xiaoan {

enum class ErrorCode {
  kInvalidArgument,   // the caller's input is wrong; fields say where (400, or 422 for imports)
  kUnauthenticated,   // no valid session (401)
  kPermissionDenied,  // authenticated but not allowed (403)
  kNotFound,          // absent, or outside the caller's jurisdiction (404)
  kConflict,          // clashes with existing data (409)
  kPayloadTooLarge,   // body over the limit (413)
  kUnavailable,       // the store or a dependency cannot serve now (503)
  kInternal,          // a bug (500)
};

// One problem with one input field. `row` is the spreadsheet row (header = 1) for imports, else 0.
struct FieldError {
  std::string field;
  std::string message;
  int row = 0;
};

// An expected failure. `reason` is a stable machine word the UI translates (e.g. "account_locked");
// `extra` holds additional string members for the problem body (e.g. locked_until).
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string reason;
  std::vector<FieldError> fields;
  std::vector<std::pair<std::string, std::string>> extra;

  static Error Invalid(std::string field, std::string message) {
    return Error{ErrorCode::kInvalidArgument,
                 "The request has invalid fields.",
                 "validation_failed",
                 {FieldError{std::move(field), std::move(message)}},
                 {}};
  }
  static Error NotFound(std::string what) {
    return Error{ErrorCode::kNotFound, std::move(what) + " was not found.", "not_found", {}, {}};
  }
  static Error Denied(std::string message) {
    return Error{ErrorCode::kPermissionDenied, std::move(message), "forbidden", {}, {}};
  }
  static Error Conflict(std::string field, std::string message) {
    return Error{ErrorCode::kConflict, message, "conflict", {FieldError{std::move(field), message}}, {}};
  }
  static Error Unavailable(std::string message) {
    return Error{ErrorCode::kUnavailable, std::move(message), "unavailable", {}, {}};
  }
  static Error Internal(std::string message) {
    return Error{ErrorCode::kInternal, std::move(message), "internal", {}, {}};
  }
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(Error e) { return std::unexpected<Error>(std::move(e)); }

}  // namespace xiaoan
