// Records of the customer archive stored one row each with the same shape:
// id, version, created_at, updated_at, deleted_at (soft delete) and a list of
// editable columns - contacts, secondary customers (二级客户), the competitor
// registry and the competitors present at an account. One implementation of
// validate / create / read / update / delete / list serves them all; each
// module describes its table (a RecordTable) and adds its own rules through
// the hooks.
//
// Scope: a table whose rows belong to an account (`account_scoped`) follows
// that account's data scope: a row of an account the caller cannot see (or of
// a deleted account) is not_found, lists join the account and apply
// auth::scope_clause. Reads need accounts.read, writes accounts.write. Every
// change writes an audit row (entity RecordTable::entity) in its transaction.
//
// Records travel as JSON objects shaped like the API representation: the
// selected columns by name, plus what a table's `decorate` hook adds.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::accounts {

// One column a client may write.
struct Field {
  enum class Kind {
    text,     // trimmed text of at most max_length characters; blank is null
    choice,   // one of `choices`
    integer,  // an integer from min to max
    date,     // an ISO date YYYY-MM-DD
    id,       // a positive id (a reference to another record)
  };
  std::string name;  // column and JSON name
  Kind kind = Kind::text;
  std::size_t max_length = 200;
  std::vector<std::string> choices = {};
  std::int64_t min = 0;
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  bool required = false;        // create: must be given; update: may not be cleared
  bool not_null = false;        // may be left out (the column's default), never null
  bool on_create_only = false;  // ignored in updates (e.g. account_id)
};

// The columns a body sets, in field order: only the fields present in it.
using Values = std::vector<std::pair<std::string, db::Value>>;

// Pure: reads and validates `fields` from a request body (422 listing every
// bad field). On create, required fields must be present and not null.
Expected<Values> read_fields(const nlohmann::json& body, const std::vector<Field>& fields, bool creating);

// Pure: is `text` a real calendar date written YYYY-MM-DD?
bool is_iso_date(const std::string& text);

// Row i of a result as a JSON object: every column by name.
nlohmann::json row_json(const db::Result& result, std::size_t i);

// The value a body sets for `name`, if it sets one.
const db::Value* find_value(const Values& values, const std::string& name);

struct RecordTable {
  std::string table;   // SQL table, alias t in every query
  std::string entity;  // audit entity and the noun of errors ("contact")
  std::vector<Field> fields;
  bool account_scoped = true;     // t.account_id is the owning account (alias a)
  std::string extra_columns;      // ", c.name AS competitor_name" (joins' columns)
  std::string extra_joins;        // " JOIN competitors c ON c.id = t.competitor_id"
  std::string duplicate_message;  // the 409 detail on a unique violation
  // Extra checks of a create (before = null) or an update, before it is written.
  std::function<Status(db::Connection&, const Values& values)> check;
  // Runs after a create (before = null) or update, in its transaction.
  std::function<Status(db::Connection&, const auth::Principal&, const nlohmann::json& before,
                       const nlohmann::json& after)>
      after_change;
  // Adds computed members to a record read for a reply.
  std::function<void(db::Connection&, nlohmann::json& record)> decorate;
};

// Equality filters and a substring search of a list.
struct RecordQuery {
  Values equals = {};  // column = value (columns of t)
  std::string q = {};  // substring of any of `search_columns`
  std::vector<std::string> search_columns = {};
  std::string order = "t.id DESC";
  int limit = 20;
  int offset = 0;
};

// {items, total}.
Expected<nlohmann::json> list_records(db::Connection& c, const auth::Principal& p, const RecordTable& table,
                                      const RecordQuery& query);
Expected<nlohmann::json> get_record(db::Connection& c, const auth::Principal& p, const RecordTable& table,
                                    std::int64_t id);
// For account-scoped tables `values` must hold account_id; an account the
// caller cannot see is 422 on account_id.
Expected<nlohmann::json> create_record(db::Connection& c, const auth::Principal& p, const RecordTable& table,
                                       const Values& values);
Expected<nlohmann::json> update_record(db::Connection& c, const auth::Principal& p, const RecordTable& table,
                                       std::int64_t id, std::int64_t version, const Values& values);
Status delete_record(db::Connection& c, const auth::Principal& p, const RecordTable& table, std::int64_t id);

// For the audit log: may p see this record, deleted ones included?
bool record_visible(db::Connection& c, const auth::Principal& p, const RecordTable& table, std::int64_t id);

// The checks every child of an account starts with: accounts.read and the
// account visible (not_found otherwise), for routes under /accounts/{id}/.
Status require_visible_account(db::Connection& c, const auth::Principal& p, std::int64_t account_id);

}  // namespace kam::accounts
