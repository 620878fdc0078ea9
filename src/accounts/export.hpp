// Export of the customer archive: the account list (same filters and scope
// as GET /accounts) as CSV (UTF-8 with BOM) or XLSX with Chinese headers and
// formula-neutralised cells; labels of enumerated values in Chinese, which
// the import reads back. Used by GET /accounts/export and the forms.
#pragma once

#include <string>

#include "accounts/accounts.hpp"
#include "platform/sheets/sheets.hpp"

namespace kam::accounts {

struct FileReply {
  std::string content_type;
  std::string filename;  // suggested download name (UTF-8)
  std::string bytes;
};

// Pure: the Chinese label of an enumerated value ("state_owned" → "国有");
// the code itself when unknown.
std::string label_zh(const std::string& field, const std::string& code);

// Pure: fen → yuan text with two decimals ("123456" → "1234.56").
std::string fen_to_yuan(std::int64_t fen);

// The header row and one row per account, cells neutralised.
sheets::Table export_table(const std::vector<Account>& accounts);

// Every account matching query (limit/offset ignored) in p's scope, as
// format "csv" or "xlsx" (422 on format). Needs accounts.export.
Expected<FileReply> export_accounts(db::Connection& c, const auth::Principal& p, ListQuery query,
                                    const std::string& format);

}  // namespace kam::accounts
