// The SQLite driver: the embedded default back end. One database file in WAL
// mode with synchronous=FULL (a committed record survives power loss),
// foreign keys on, a busy timeout, one connection per worker, prepared
// statements cached per connection.
#pragma once

#include <memory>
#include <string>

#include "platform/db/database.hpp"

namespace kam::db {

// `path` is a file path, or ":memory:" for a private shared in-memory
// database (tests). Parent folders are created.
std::unique_ptr<Database> open_sqlite(const std::string& path, int pool_size);

}  // namespace kam::db
