// Accounts - the customer archive (客户档案). This is the module's contract:
// the Account record, its validation, and the operations other modules and
// the HTTP routes call. Owns tables accounts and account_search.
//
// Every operation takes the caller's Principal: reads and writes are limited
// to the caller's data scope (an account outside it is not_found), writes
// need accounts.write (delete: accounts.delete), and every change is audited
// in the same transaction. Thread-safe: each call uses the connection given.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/core/fields.hpp"
#include "platform/db/database.hpp"

namespace kam::accounts {

struct Account {
  std::int64_t id = 0;
  std::string archive_no;  // 档案编号 KA-YYYY-NNNNNN
  std::string name;
  std::optional<std::string> industry, province, city, address;
  std::optional<std::int64_t> owner_id, department_id;
  std::optional<std::string> owner_name, department_name;
  std::int64_t version = 0;
  std::string created_at, updated_at;
};

nlohmann::json to_json(const Account& account);

// The editable fields of a create or update body, validated.
struct AccountInput {
  TextChange name, industry, province, city, address;
};

// Pure: reads and validates the editable fields. On create, name is required.
Expected<AccountInput> read_input(const nlohmann::json& body, bool creating);

// Pure: formats the archive number of the n-th account of a year.
std::string archive_number(int year, std::int64_t n);

struct ListQuery {
  std::string q;        // substring of the name (Chinese-aware) or an archive number prefix
  std::string sort;     // name, -name, created_at, -created_at, updated_at, -updated_at, archive_no, -archive_no
  int limit = 20;
  int offset = 0;
  std::map<std::string, std::string> filters;  // owner_id, department_id, province, city, industry
};

struct AccountPage {
  std::vector<Account> items;
  std::int64_t total = 0;
};

// Pure: validates sort and filter names; bad_request listing the problems.
Status check_list_query(const ListQuery& query);

Expected<Account> create_account(db::Connection& c, const auth::Principal& p, const AccountInput& input);
Expected<Account> get_account(db::Connection& c, const auth::Principal& p, std::int64_t id);
Expected<Account> update_account(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                 std::int64_t version, const AccountInput& input);
Status delete_account(db::Connection& c, const auth::Principal& p, std::int64_t id);
Expected<AccountPage> list_accounts(db::Connection& c, const auth::Principal& p, const ListQuery& query);

// For the audit log and other modules: is this account visible to p?
// `include_deleted` lets the history of a deleted account stay readable.
bool account_visible(db::Connection& c, const auth::Principal& p, std::int64_t id, bool include_deleted = false);

// Bulk insert for `kam demo` and benchmarks: rows are written with their
// search postings in the caller's transaction; no audit rows (the caller
// audits the import as a whole). Returns the ids.
struct NewAccount {
  std::string name;
  std::optional<std::string> industry, province, city, address;
  std::optional<std::int64_t> owner_id, department_id;
};
std::vector<std::int64_t> insert_accounts_bulk(db::Connection& c, const std::vector<NewAccount>& rows);

}  // namespace kam::accounts
