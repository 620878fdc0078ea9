// The 客户档案表 (customer archive form) of one account, laid out like the
// paper form of the key-account handbook: title, 档案编号 and 建档日期, then
// bordered label/value grids for the company basics, business status, needs
// and preferences, key contacts, classification and the owner. One model
// feeds both renderings (XLSX and a printable HTML page) so they stay in step.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/export.hpp"

namespace kam::accounts {

struct FormField {
  std::string label;
  std::string value;
  bool wide = false;  // takes the whole row
};

struct FormSection {
  std::string title;
  std::vector<FormField> fields;
};

struct ArchiveForm {
  std::string archive_no;
  std::string filed_on;  // 建档日期 as 2026年11月29日
  std::vector<FormSection> sections;
  std::vector<std::string> contact_headers;
  std::vector<std::vector<std::string>> contacts;  // key contacts, one row each
};

// Pure: the form of an account and its contacts (the API representation of
// contacts: name, title, department, phone, buying_role, attitude, status).
ArchiveForm archive_form(const Account& account, const nlohmann::json& contacts);

Expected<std::string> render_form_xlsx(const ArchiveForm& form);
std::string render_form_html(const ArchiveForm& form);

// Loads the account (404 outside scope) and its contacts, renders the file.
Expected<FileReply> archive_form_file(db::Connection& c, const auth::Principal& p, std::int64_t account_id,
                                      const std::string& format /* xlsx | html */);

}  // namespace kam::accounts
