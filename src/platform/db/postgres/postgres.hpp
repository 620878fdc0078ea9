// The PostgreSQL driver (libpq): the scale-out back end. A pool of
// connections; `?` placeholders rewritten to $1..$n outside quoted literals
// and comments; statements prepared and cached per connection; parameters and
// results in text format, results converted to Values by column type; errors
// mapped from SQLSTATE to DbError kinds; bulk loads through COPY.
#pragma once

#include <memory>
#include <string>

#include "platform/db/database.hpp"

namespace kam::db {

// `url` is a libpq connection URI (`postgresql://user:pass@host:port/db?...`
// or `postgres://...`). `pool_size` connections are kept (at least one); the
// first is opened at once so a bad URL fails here, the others on demand.
// Throws DbError (Kind::connection) if the server cannot be reached.
std::unique_ptr<Database> open_postgres(const std::string& url, int pool_size);

}  // namespace kam::db
