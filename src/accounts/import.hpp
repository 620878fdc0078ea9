// Import of the customer archive from spreadsheets (CSV or XLSX): accounts or
// contacts, with Chinese or English headers. Every row is validated by the
// same rules as the API (accounts::read_input, the contacts table's fields);
// applying is all or nothing in one transaction, so the counts of the report
// are what the database holds. Used by POST /imports and `kam import`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/sheets/sheets.hpp"

namespace kam::accounts {

struct ImportOptions {
  std::string kind = "accounts";      // accounts | contacts
  bool dry_run = true;                // validate and count, write nothing
  std::string on_duplicate = "fail";  // skip | update | fail
};

struct ImportIssue {
  std::int64_t row = 0;  // spreadsheet row number: the header is row 1
  std::string column;    // the header as written in the file ("" for the whole row)
  std::string message;
};

struct ImportReport {
  std::string kind;
  bool dry_run = true;
  std::int64_t rows = 0;   // data rows read
  std::int64_t valid = 0;  // rows without errors
  // Applied: what was written. Dry run (no errors): what would be written.
  std::int64_t created = 0, updated = 0, skipped = 0;
  std::vector<ImportIssue> errors;
  std::vector<std::string> ignored_columns;  // headers that map to no field
};

nlohmann::json to_json(const ImportReport& report);

// Pure: the field a header names (Chinese or English; spaces, case, full-width
// brackets and a trailing * ignored), or nullopt. Account fields include
// "owner" (a username) and the revenue units "annual_revenue_yuan" and
// "annual_revenue_wan" (万元); contacts include "account_name", "archive_no", "account_id".
std::optional<std::string> account_field_of_header(std::string_view header);
std::optional<std::string> contact_field_of_header(std::string_view header);

// Pure: a cell's text turned into the API value of `field` (Chinese labels of
// enumerations to codes, "1,200" to 1200, yuan to fen, a date to its year),
// or an error message.
Expected<nlohmann::json> cell_value(const std::string& field, const std::string& text);

// 422 when kind or on_duplicate is not one of the allowed values.
Status check_import_options(const ImportOptions& options);

// Validates every row and, unless dry_run or any row has an error, applies
// them in one transaction. Needs accounts.import (403). Takes the table so
// that an account import can release each row once read.
Expected<ImportReport> import_table(db::Connection& c, const auth::Principal& p, sheets::Table table,
                                    const ImportOptions& options);

// The same from the bytes of a CSV or XLSX file (400 when unreadable).
Expected<ImportReport> import_file(db::Connection& c, const auth::Principal& p, std::string_view bytes,
                                   const ImportOptions& options);

}  // namespace kam::accounts
