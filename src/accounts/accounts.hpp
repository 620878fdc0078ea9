// Accounts - the customer archive (客户档案). This is the module's contract:
// the Account record, its validation, and the operations other modules and
// the HTTP routes call. Owns tables accounts, account_search and saved_views
// (views.hpp). Field list and rules: docs/archive-api.md.
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
  std::optional<std::string> credit_code;  // 统一社会信用代码, upper-case, unique among live accounts
  std::optional<std::string> ownership_type, website, business_status, procurement_mode, customer_kind;
  std::optional<std::int64_t> employees, annual_revenue_fen, founded_year;
  std::optional<std::string> needs, preferences, price_sensitivity, tier, tier_override_reason, market_stage;
  std::string relationship_stage = "establish";  // establish | stabilize | strengthen
  std::optional<std::string> last_activity_at;   // server-owned: latest visit or record
  std::optional<std::string> owned_since;        // server-owned: when the current owner got it
  std::int64_t version = 0;
  std::string created_at, updated_at;

  bool in_pool() const { return !owner_id.has_value(); }  // 公海: nobody owns it
};

nlohmann::json to_json(const Account& account);
// Appends exactly to_json(account).dump() to `out`, without building the tree
// (the list endpoint writes pages of these).
void append_json(const Account& account, std::string& out);
// Appends to_detail_json(account) (the same members; the last one out of key order).
void append_detail_json(const Account& account, std::string& out);

// An integer field in a PATCH: absent (not touched), null (cleared) or a value.
struct IntegerChange {
  bool present = false;
  std::optional<std::int64_t> value;
};

// The editable fields of a create or update body, validated.
struct AccountInput {
  TextChange name, industry, province, city, address;
  TextChange credit_code;  // upper-cased, checksum verified
  TextChange ownership_type, website, business_status, procurement_mode, customer_kind, needs, preferences,
      price_sensitivity, tier, tier_override_reason, market_stage;
  TextChange relationship_stage;  // never cleared: null is rejected
  IntegerChange employees, annual_revenue_fen, founded_year;
};

// The allowed values of the enumerated fields, in display order.
const std::vector<std::string>& allowed_values(const std::string& field);

// Pure: reads and validates the editable fields. On create, name is required.
// A tier set by a user needs a tier_override_reason in the same body.
// On create, province and city are checked with check_place (an update
// checks the resulting pair in update_account, when the body names either).
Expected<AccountInput> read_input(const nlohmann::json& body, bool creating);

// Pure: province and city against the division list (divisions.hpp): the
// province must be a known full name, the city one of its cities (without a
// province: a known city). 422 naming the field.
Status check_place(const std::optional<std::string>& province, const std::optional<std::string>& city);

// Pure: the priority of functions (核心职能) for a market stage, most
// important first: [{key, label_zh, label_en}]; empty for no or an unknown stage.
nlohmann::json market_stage_priorities(const std::optional<std::string>& market_stage);

// The single-account representation of the API: to_json plus
// market_stage_priorities.
nlohmann::json to_detail_json(const Account& account);

// Pure: formats the archive number of the n-th account of a year.
std::string archive_number(int year, std::int64_t n);

struct ListQuery {
  std::string q;     // substring of the name (Chinese-aware) or an archive number prefix
  std::string sort;  // one of list_sorts(), prefix - for descending
  int limit = 20;
  int offset = 0;
  std::map<std::string, std::string> filters;  // name → value; names from list_filters()
};

// The sort fields and filter names of the account list (docs/archive-api.md).
const std::vector<std::string>& list_sorts();
const std::vector<std::string>& list_filters();

struct AccountPage {
  std::vector<Account> items;
  std::int64_t total = 0;
  bool total_exact = true;  // false: there are more than `total` matches (counting stops at a cap)
};

// Pure: validates sort, filter names and filter values (ids, integers,
// booleans, instants); bad_request listing the problems.
Status check_list_query(const ListQuery& query);

// A credit code used by another live account is a conflict (409).
Expected<Account> create_account(db::Connection& c, const auth::Principal& p, const AccountInput& input);
Expected<Account> get_account(db::Connection& c, const auth::Principal& p, std::int64_t id);
Expected<Account> update_account(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                                 const AccountInput& input);
Status delete_account(db::Connection& c, const auth::Principal& p, std::int64_t id);
Expected<AccountPage> list_accounts(db::Connection& c, const auth::Principal& p, const ListQuery& query);
// The same page as the list endpoint's body, {"items": [...], "total": N} (and
// "total_exact": false past the cap), written straight from the rows: the
// bytes of to_json of list_accounts' page.
Expected<std::string> list_accounts_json(db::Connection& c, const auth::Principal& p, const ListQuery& query);
// Every match of the query (limit and offset ignored), in its order: for exports.
Expected<std::vector<Account>> list_all_accounts(db::Connection& c, const auth::Principal& p, const ListQuery& query);

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
