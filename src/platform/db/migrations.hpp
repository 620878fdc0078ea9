// Numbered schema migrations, shared by both back ends. Files live in
// /migrations as NNN_name.sql and are compiled into the binary. A few tokens
// stand for the SQL that differs between engines:
//   {{id}}            64-bit auto-assigned primary key
//   {{without_rowid}} SQLite's WITHOUT ROWID table option (nothing on PostgreSQL)
//   {{bytewise}}      byte-order collation (COLLATE "C" on PostgreSQL; SQLite's
//                     default), for columns queried with text ranges
// and lines between "-- begin postgres" / "-- end postgres" (or "sqlite")
// are kept only on that back end.
// Applied versions are recorded in schema_migrations; each migration runs in
// its own transaction, and concurrent starters (two servers on one
// PostgreSQL) serialise on a lock so each migration runs exactly once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "platform/db/database.hpp"

namespace kam::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The migrations compiled into this binary, ordered by version.
const std::vector<Migration>& builtin_migrations();

// Replaces the portable tokens with the back end's SQL.
std::string adapt_sql(std::string_view sql, Backend backend);

// Applies the pending migrations; returns how many were applied.
int migrate(Database& database, const std::vector<Migration>& migrations);

}  // namespace kam::db
