// `kam import`: imports a CSV or XLSX file of accounts or contacts with the
// same code as POST /imports, acting as a user (--owner, default admin).
#pragma once

#include <string>

#include "accounts/import.hpp"
#include "platform/db/database.hpp"

namespace kam::app {

struct ImportCommand {
  std::string file;
  std::string username = "admin";  // the importer: owner of new accounts, scope of duplicate checks
  accounts::ImportOptions options;
};

// Prints the report (JSON) and the rate; returns the process exit code
// (0 applied or a clean dry run, 1 errors in the file, 2 bad arguments).
int run_import(db::Database& database, const ImportCommand& command);

}  // namespace kam::app
