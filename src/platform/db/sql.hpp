// A named SQL statement, generated at build time from a module's queries/*.sql file.
// Statements use PostgreSQL-style positional parameters ($1, $2, ...) so that one text serves both
// backends; the SQLite backend binds them by name.
#pragma once

#include <string_view>

namespace xiaoan::db {

// `text` must outlive the connections that run it: they cache prepared statements by the address
// of the text, so a Sql built from a temporary string can find an earlier statement's cache entry.
// Use the generated constants (static storage), or a string kept alive for the process.
struct Sql {
  std::string_view name;
  std::string_view text;
};

}  // namespace xiaoan::db
