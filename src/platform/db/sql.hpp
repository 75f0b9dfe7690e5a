// A named SQL statement, generated at build time from a module's queries/*.sql file.
// Statements use PostgreSQL-style positional parameters ($1, $2, ...) so that one text serves both
// backends; the SQLite backend binds them by name.
#pragma once

#include <string_view>

namespace xiaoan::db {

struct Sql {
  std::string_view name;
  std::string_view text;
};

}  // namespace xiaoan::db
