// Storage of accounts: SQL for both back ends, the bigram search postings,
// scope-limited reads and audited writes.
#include <algorithm>
#include <functional>
#include <set>

#include "accounts/accounts.hpp"
#include "accounts/credit_code.hpp"
#include "accounts/relationship.hpp"
#include "auth/audit.hpp"
#include "auth/scope.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/json_writer.hpp"
#include "platform/core/text.hpp"
#include "platform/http/router.hpp"

namespace kam::accounts {

namespace {

// Lists count matches up to this many (then AccountPage::total_exact is false).
constexpr std::int64_t kTotalCap = 1000;
// A bigram with at least this many postings counts as common when choosing
// which bigram drives a search.
constexpr std::int64_t kProbeLimit = 200;

constexpr const char* kSelect =
    "SELECT a.id, a.archive_no, a.name, a.industry, a.province, a.city, a.address, a.owner_id, a.department_id, "
    "a.credit_code, a.ownership_type, a.employees, a.annual_revenue_fen, a.founded_year, a.website, "
    "a.business_status, a.procurement_mode, a.customer_kind, a.needs, a.preferences, a.price_sensitivity, a.tier, "
    "a.tier_override_reason, a.market_stage, a.relationship_stage, a.last_activity_at, a.owned_since, "
    "a.version, a.created_at, a.updated_at, u.display_name AS owner_name, d.name AS department_name "
    "FROM accounts a LEFT JOIN users u ON u.id = a.owner_id LEFT JOIN departments d ON d.id = a.department_id ";

// kSelect's columns, in order.
enum Column : std::size_t {
  kId,
  kArchiveNo,
  kName,
  kIndustry,
  kProvince,
  kCity,
  kAddress,
  kOwnerId,
  kDepartmentId,
  kCreditCode,
  kOwnershipType,
  kEmployees,
  kAnnualRevenueFen,
  kFoundedYear,
  kWebsite,
  kBusinessStatus,
  kProcurementMode,
  kCustomerKind,
  kNeeds,
  kPreferences,
  kPriceSensitivity,
  kTier,
  kTierOverrideReason,
  kMarketStage,
  kRelationshipStage,
  kLastActivityAt,
  kOwnedSince,
  kVersion,
  kCreatedAt,
  kUpdatedAt,
  kOwnerName,
  kDepartmentName,
};

std::optional<std::string> optional_text(const db::RowView& r, std::size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return std::string(r.text(i));
}
std::optional<std::int64_t> optional_integer(const db::RowView& r, std::size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return r.integer(i);
}

Account from_row(const db::RowView& r) {
  Account a;
  a.id = r.integer(kId);
  a.archive_no = r.text(kArchiveNo);
  a.name = r.text(kName);
  a.industry = optional_text(r, kIndustry);
  a.province = optional_text(r, kProvince);
  a.city = optional_text(r, kCity);
  a.address = optional_text(r, kAddress);
  a.owner_id = optional_integer(r, kOwnerId);
  a.department_id = optional_integer(r, kDepartmentId);
  a.owner_name = optional_text(r, kOwnerName);
  a.department_name = optional_text(r, kDepartmentName);
  a.credit_code = optional_text(r, kCreditCode);
  a.ownership_type = optional_text(r, kOwnershipType);
  a.employees = optional_integer(r, kEmployees);
  a.annual_revenue_fen = optional_integer(r, kAnnualRevenueFen);
  a.founded_year = optional_integer(r, kFoundedYear);
  a.website = optional_text(r, kWebsite);
  a.business_status = optional_text(r, kBusinessStatus);
  a.procurement_mode = optional_text(r, kProcurementMode);
  a.customer_kind = optional_text(r, kCustomerKind);
  a.needs = optional_text(r, kNeeds);
  a.preferences = optional_text(r, kPreferences);
  a.price_sensitivity = optional_text(r, kPriceSensitivity);
  a.tier = optional_text(r, kTier);
  a.tier_override_reason = optional_text(r, kTierOverrideReason);
  a.market_stage = optional_text(r, kMarketStage);
  if (!r.is_null(kRelationshipStage)) a.relationship_stage = r.text(kRelationshipStage);
  a.last_activity_at = optional_text(r, kLastActivityAt);
  a.owned_since = optional_text(r, kOwnedSince);
  a.version = r.integer(kVersion);
  a.created_at = r.text(kCreatedAt);
  a.updated_at = r.text(kUpdatedAt);
  return a;
}

// Appends exactly append_json(from_row(r)) (tested against it), without the
// Account in between: a list page is 50 of these.
void append_row_json(const db::RowView& r, std::string& out) {
  enum class Cell { text, optional_text, optional_integer, integer, in_pool, relationship_stage };
  struct Member {
    std::string_view key;
    Column column;
    Cell cell;
  };
  // In key order (the order of append_json and nlohmann's objects).
  static constexpr Member kMembers[] = {
      {"address", kAddress, Cell::optional_text},
      {"annual_revenue_fen", kAnnualRevenueFen, Cell::optional_integer},
      {"archive_no", kArchiveNo, Cell::text},
      {"business_status", kBusinessStatus, Cell::optional_text},
      {"city", kCity, Cell::optional_text},
      {"created_at", kCreatedAt, Cell::text},
      {"credit_code", kCreditCode, Cell::optional_text},
      {"customer_kind", kCustomerKind, Cell::optional_text},
      {"department_id", kDepartmentId, Cell::optional_integer},
      {"department_name", kDepartmentName, Cell::optional_text},
      {"employees", kEmployees, Cell::optional_integer},
      {"founded_year", kFoundedYear, Cell::optional_integer},
      {"id", kId, Cell::integer},
      {"in_pool", kOwnerId, Cell::in_pool},
      {"industry", kIndustry, Cell::optional_text},
      {"last_activity_at", kLastActivityAt, Cell::optional_text},
      {"market_stage", kMarketStage, Cell::optional_text},
      {"name", kName, Cell::text},
      {"needs", kNeeds, Cell::optional_text},
      {"owned_since", kOwnedSince, Cell::optional_text},
      {"owner_id", kOwnerId, Cell::optional_integer},
      {"owner_name", kOwnerName, Cell::optional_text},
      {"ownership_type", kOwnershipType, Cell::optional_text},
      {"preferences", kPreferences, Cell::optional_text},
      {"price_sensitivity", kPriceSensitivity, Cell::optional_text},
      {"procurement_mode", kProcurementMode, Cell::optional_text},
      {"province", kProvince, Cell::optional_text},
      {"relationship_stage", kRelationshipStage, Cell::relationship_stage},
      {"tier", kTier, Cell::optional_text},
      {"tier_override_reason", kTierOverrideReason, Cell::optional_text},
      {"updated_at", kUpdatedAt, Cell::text},
      {"version", kVersion, Cell::integer},
      {"website", kWebsite, Cell::optional_text},
  };
  json_writer::Object o(out);
  for (const auto& m : kMembers) {
    switch (m.cell) {
      case Cell::text:
        o.field(m.key, r.text(m.column));
        break;
      case Cell::relationship_stage:
        o.field(m.key, r.is_null(m.column) ? std::string_view("establish") : r.text(m.column));
        break;
      case Cell::optional_text:
        if (r.is_null(m.column)) {
          o.null(m.key);
        } else {
          o.field(m.key, r.text(m.column));
        }
        break;
      case Cell::optional_integer:
        if (r.is_null(m.column)) {
          o.null(m.key);
        } else {
          o.field(m.key, r.integer(m.column));
        }
        break;
      case Cell::integer:
        o.field(m.key, r.integer(m.column));
        break;
      case Cell::in_pool:
        o.field(m.key, r.is_null(m.column));
        break;
    }
  }
}

db::Value value_of(const std::optional<std::string>& v) {
  return v ? db::Value(*v) : db::Value(nullptr);
}
db::Value value_of(const std::optional<std::int64_t>& v) {
  return v ? db::Value(*v) : db::Value(nullptr);
}

std::optional<Account> load(db::Connection& c, std::int64_t id) {
  std::optional<Account> found;
  c.each(std::string(kSelect) + "WHERE a.id = ? AND a.deleted_at IS NULL", {id},
         [&](const db::RowView& r) { found = from_row(r); });
  return found;
}

void post_grams(db::Connection& c, std::int64_t id, const std::string& name) {
  for (const auto& gram : text::search_grams(name)) {
    c.query("INSERT INTO account_search (gram, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING", {gram, id});
  }
}

void remove_grams(db::Connection& c, std::int64_t id, const std::string& name) {
  for (const auto& gram : text::search_grams(name)) {
    c.query("DELETE FROM account_search WHERE gram = ? AND account_id = ?", {gram, id});
  }
}

std::int64_t next_counter(db::Connection& c, const std::string& name) {
  return c
      .query(
          "INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + "
          "1 "
          "RETURNING value",
          {name})
      .front()
      .integer(0);
}

// Sort columns that may be empty (each has an index (column, id)).
bool sorts_nulls_last(const std::string& column) {
  static const std::set<std::string> nullable = {"tier", "annual_revenue_fen", "employees", "last_activity_at"};
  return nullable.count(column) > 0;
}

struct SortKey {
  std::string column;  // "id" when the sort is empty
  bool descending;
};
SortKey parse_sort(const std::string& sort) {
  if (sort.empty()) return {"id", true};
  if (sort.front() == '-') return {sort.substr(1), true};
  return {sort, false};
}

std::string sort_clause(const std::string& sort) {
  const auto [column, descending] = parse_sort(sort);
  const std::string direction = descending ? " DESC" : " ASC";
  if (column == "id") return "a.id" + direction;
  // Columns that may be empty: accounts without a value come last in both
  // directions and on both back ends (SQLite and PostgreSQL order NULLs
  // differently by default).
  const std::string nulls_last = sorts_nulls_last(column) ? "(a." + column + " IS NULL), " : "";
  return nulls_last + "a." + column + direction + ", a.id" + direction;  // column checked against list_sorts()
}

// The editable columns in the order of the INSERT and UPDATE statements.
const char* const kEditableColumns[] = {"industry",
                                        "province",
                                        "city",
                                        "address",
                                        "credit_code",
                                        "ownership_type",
                                        "employees",
                                        "annual_revenue_fen",
                                        "founded_year",
                                        "website",
                                        "business_status",
                                        "procurement_mode",
                                        "customer_kind",
                                        "needs",
                                        "preferences",
                                        "price_sensitivity",
                                        "tier",
                                        "tier_override_reason",
                                        "market_stage",
                                        "relationship_stage"};

// Values of kEditableColumns: the input where it names a field, else `base`.
db::Params editable_values(const AccountInput& in, const Account& base) {
  auto text = [](const TextChange& change, const std::optional<std::string>& old) {
    return value_of(change.present ? change.value : old);
  };
  auto number = [](const IntegerChange& change, const std::optional<std::int64_t>& old) {
    return value_of(change.present ? change.value : old);
  };
  return {text(in.industry, base.industry),
          text(in.province, base.province),
          text(in.city, base.city),
          text(in.address, base.address),
          text(in.credit_code, base.credit_code),
          text(in.ownership_type, base.ownership_type),
          number(in.employees, base.employees),
          number(in.annual_revenue_fen, base.annual_revenue_fen),
          number(in.founded_year, base.founded_year),
          text(in.website, base.website),
          text(in.business_status, base.business_status),
          text(in.procurement_mode, base.procurement_mode),
          text(in.customer_kind, base.customer_kind),
          text(in.needs, base.needs),
          text(in.preferences, base.preferences),
          text(in.price_sensitivity, base.price_sensitivity),
          text(in.tier, base.tier),
          text(in.tier_override_reason, base.tier_override_reason),
          text(in.market_stage, base.market_stage),
          db::Value(in.relationship_stage.value.value_or(base.relationship_stage))};
}

bool is_unique_violation(const db::DbError& e) {
  return e.kind() == db::DbError::Kind::unique_violation;
}

Error duplicate_credit_code() {
  return Error(Error::Code::conflict, "another account has this credit code (统一社会信用代码)",
               {{"credit_code", "is already used by another account"}});
}

}  // namespace

bool account_visible(db::Connection& c, const auth::Principal& p, std::int64_t id, bool include_deleted) {
  const auto rows = c.query(std::string("SELECT owner_id, department_id FROM accounts WHERE id = ?") +
                                (include_deleted ? "" : " AND deleted_at IS NULL"),
                            {id});
  if (rows.empty()) return false;
  return auth::can_see(p, rows.front().optional_integer("owner_id"), rows.front().optional_integer("department_id"));
}

Expected<Account> create_account(db::Connection& c, const auth::Principal& p, const AccountInput& input) {
  if (!p.can("accounts.write")) return Error::forbidden();
  db::Transaction tx(c, true);
  const std::string now = now_text();
  const int year = current_year();
  const std::string archive_no = archive_number(year, next_counter(c, "archive_no:" + std::to_string(year)));
  std::string columns, marks;
  for (const char* column : kEditableColumns) {
    columns += std::string(", ") + column;
    marks += ", ?";
  }
  db::Params params = {archive_no, *input.name.value, text::normalize_for_search(*input.name.value)};
  const auto editable = editable_values(input, Account{});
  params.insert(params.end(), editable.begin(), editable.end());
  params.insert(params.end(), {p.user_id, value_of(p.department_id), now, now, now});
  std::int64_t id = 0;
  try {
    id = c.query("INSERT INTO accounts (archive_no, name, search_key" + columns +
                     ", owner_id, department_id, owned_since, created_at, updated_at) VALUES (?, ?, ?" + marks +
                     ", ?, ?, ?, ?, ?) RETURNING id",
                 params)
             .front()
             .integer(0);
  } catch (const db::DbError& e) {
    if (is_unique_violation(e)) return duplicate_credit_code();
    throw;
  }
  post_grams(c, id, *input.name.value);
  Account created = *load(c, id);
  auth::write_audit(c, p.user_id, "account", id, "create", nullptr, to_json(created));
  tx.commit();
  return created;
}

Expected<Account> get_account(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("accounts.read")) return Error::forbidden();
  auto found = load(c, id);
  if (!found || !auth::can_see(p, found->owner_id, found->department_id)) return Error::not_found("account");
  return *found;
}

Expected<Account> update_account(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                                 const AccountInput& input) {
  if (!p.can("accounts.write")) return Error::forbidden();
  db::Transaction tx(c, true);
  auto before = load(c, id);
  if (!before || !auth::can_see(p, before->owner_id, before->department_id)) return Error::not_found("account");
  if (before->version != version) {
    return Error::conflict("the account was changed by someone else (version " + std::to_string(before->version) +
                           "); reload and try again");
  }
  if (input.province.present || input.city.present) {
    const auto province = input.province.present ? input.province.value : before->province;
    const auto city = input.city.present ? input.city.value : before->city;
    if (auto placed = check_place(province, city); !placed) return placed.error();
  }
  const std::string name = input.name.value.value_or(before->name);
  std::string assignments;
  for (const char* column : kEditableColumns) assignments += std::string(column) + " = ?, ";
  db::Params params = {name, text::normalize_for_search(name)};
  const auto editable = editable_values(input, *before);
  params.insert(params.end(), editable.begin(), editable.end());
  params.insert(params.end(), {now_text(), id, version});
  db::Result changed;
  try {
    changed = c.query("UPDATE accounts SET name = ?, search_key = ?, " + assignments +
                          "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
                      params);
  } catch (const db::DbError& e) {
    if (is_unique_violation(e)) return duplicate_credit_code();
    throw;
  }
  if (changed.affected != 1) return Error::conflict("the account was changed by someone else; reload and try again");
  if (name != before->name) {
    remove_grams(c, id, before->name);
    post_grams(c, id, name);
  }
  Account after = *load(c, id);
  auth::write_audit(c, p.user_id, "account", id, "update", to_json(*before), to_json(after));
  if (after.relationship_stage != before->relationship_stage) {
    record_relationship_change(c, p.user_id, id, before->relationship_stage, after.relationship_stage, "archive_edit");
  }
  tx.commit();
  return after;
}

Status delete_account(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("accounts.delete")) {
    // Do not reveal whether an invisible account exists.
    if (!p.can("accounts.read") || !account_visible(c, p, id)) return Error::not_found("account");
    return Error::forbidden();
  }
  db::Transaction tx(c, true);
  auto before = load(c, id);
  if (!before || !auth::can_see(p, before->owner_id, before->department_id)) return Error::not_found("account");
  const auto now = now_text();
  const auto changed = c.query(
      "UPDATE accounts SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
      {now, now, id});
  if (changed.affected != 1) return Error::not_found("account");  // deleted concurrently
  remove_grams(c, id, before->name);
  auth::write_audit(c, p.user_id, "account", id, "delete", to_json(*before), nullptr);
  tx.commit();
  return ok_status();
}

namespace {
// The FROM, WHERE and ORDER BY of an account list (checked query, p's scope).
struct ListSql {
  std::string from = "FROM accounts a ";
  std::string where = "a.deleted_at IS NULL";
  db::Params params;
  std::string order;
  bool search_path = false;                              // driven from account_search postings
  std::optional<std::string> two_char_gram;              // the query is exactly this bigram
  std::string gram;                                      // search_path: the bigram whose postings drive it
  std::set<std::string> columns = {"id", "deleted_at"};  // the account columns `where` names
};

ListSql list_sql(db::Connection& c, const auth::Principal& p, const ListQuery& query) {
  ListSql sql;
  auto& [from, where, params, order, search_path, two_char_gram, driving_gram, columns] = sql;
  order = sort_clause(query.sort);

  const std::string normalized = text::normalize_for_search(query.q);
  if (!normalized.empty()) {
    const bool archive_query = normalized.rfind("ka-", 0) == 0;
    auto grams = text::search_grams(query.q);
    if (archive_query) {
      std::string prefix = "KA-" + normalized.substr(3);
      for (auto& ch : prefix) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      where += " AND a.archive_no >= ? AND a.archive_no < ?";
      columns.insert("archive_no");
      params.emplace_back(prefix);
      params.emplace_back(prefix + "\x7f");
    } else if (text::length(normalized) >= 2) {
      // Drive from the postings of the rarest bigram (index order = id order;
      // "rarest" by a count capped at kProbeLimit, so a common bigram costs
      // little to rule out), then verify the exact substring on the account
      // row, which the join reads anyway: cheaper than probing the other
      // bigrams' postings.
      if (grams.size() > 1) {
        std::size_t best = 0;
        std::int64_t best_count = kProbeLimit + 1;
        for (std::size_t i = 0; i < grams.size(); ++i) {
          const auto n = c.query("SELECT count(*) FROM (SELECT 1 FROM account_search WHERE gram = ? LIMIT ?) AS m",
                                 {grams[i], kProbeLimit})
                             .front()
                             .integer(0);
          if (n < best_count) {
            best = i;
            best_count = n;
          }
        }
        std::swap(grams[0], grams[best]);
      }
      from = "FROM account_search s JOIN accounts a ON a.id = s.account_id ";
      search_path = true;
      where += " AND s.gram = ?";
      params.emplace_back(grams.front());
      driving_gram = grams.front();
      if (text::length(normalized) > 2) {
        where += " AND instr(a.search_key, ?) > 0";
        params.emplace_back(normalized);
      } else {
        two_char_gram = grams.front();
      }
      if (query.sort.empty() || query.sort == "-id") order = "s.account_id DESC";
    } else {
      where += " AND instr(a.search_key, ?) > 0";  // one character: scan
      params.emplace_back(normalized);
      columns.insert("search_key");
    }
  }
  // Names and values were checked against fixed lists above.
  for (const auto& [name, value] : query.filters) {
    if (name == "owner_id" || name == "department_id") {
      where += " AND a." + name + " = ?";
      params.emplace_back(*http::parse_id(value));
      columns.insert(name);
    } else if (name == "in_pool") {
      where += value == "true" ? " AND a.owner_id IS NULL" : " AND a.owner_id IS NOT NULL";
      columns.insert("owner_id");
    } else if (name.size() > 4 && (name.ends_with("_min") || name.ends_with("_max"))) {
      const std::string column = name.substr(0, name.size() - 4);
      where += " AND a." + column + (name.ends_with("_min") ? " >= ?" : " <= ?");
      params.emplace_back(static_cast<std::int64_t>(std::stoll(value)));
      columns.insert(column);
    } else if (name == "last_activity_before" || name == "last_activity_after") {
      where += name == "last_activity_before" ? " AND a.last_activity_at < ?" : " AND a.last_activity_at >= ?";
      params.emplace_back(value);
      columns.insert("last_activity_at");
    } else if (name == "credit_code") {
      where += " AND a.credit_code = ?";
      params.emplace_back(normalize_credit_code(value));
      columns.insert(name);
    } else {
      where += " AND a." + name + " = ?";
      params.emplace_back(value);
      columns.insert(name);
    }
  }
  const auto scope = auth::scope_clause(p, "a");
  if (p.scope != auth::DataScope::all) columns.insert({"owner_id", "department_id"});
  where += " AND " + scope.sql;
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  return sql;
}

// Rows of kSelect for these ids (one page or one export chunk of a list), in
// the list's order (`order` ends with the id, so it is total).
void each_in_order(db::Connection& c, const std::vector<std::int64_t>& ids, const std::string& order,
                   const std::function<void(const db::RowView&)>& row) {
  if (ids.empty()) return;
  std::string in;
  db::Params id_params;
  for (const auto id : ids) {
    in += in.empty() ? "?" : ",?";
    id_params.emplace_back(id);
  }
  c.each(std::string(kSelect) + "WHERE a.id IN (" + in + ") ORDER BY " + order, id_params, row);
}

// The ids of one page of a list without a search. A sort on a column that may
// be empty ("empty last" in both directions) is two index walks, the
// accounts with a value in (column, id) order and then those without in id
// order, each stopping after offset + limit rows: sorting on the expression
// `(column IS NULL), column` read every account instead (0.2-0.5 s at 1M).
//
// `sort_matches`: order the filter's matches rather than walk the sort
// column's index (SQLite only: `+a.column` is not an indexed term).
std::pair<std::string, db::Params> ids_query(const ListSql& sql, const ListQuery& query, bool sort_matches = false) {
  const auto limit = static_cast<std::int64_t>(query.limit);
  const auto offset = static_cast<std::int64_t>(query.offset);
  const auto [column, descending] = parse_sort(query.sort);
  const std::string key = (sort_matches ? "+a." : "a.") + column;
  const std::string dir = descending ? " DESC" : " ASC";
  if (!sorts_nulls_last(column)) {
    auto params = sql.params;
    params.emplace_back(limit);
    params.emplace_back(offset);
    const std::string order = sort_matches ? key + dir + ", a.id" + dir : sql.order;
    return {"SELECT a.id " + sql.from + "WHERE " + sql.where + " ORDER BY " + order + " LIMIT ? OFFSET ?",
            std::move(params)};
  }
  auto part = [&](int n, const std::string& test, const std::string& order) {
    return "SELECT * FROM (SELECT a.id AS id, a." + column + " AS k, " + std::to_string(n) + " AS part " + sql.from +
           "WHERE " + sql.where + " AND a." + column + test + " ORDER BY " + order + " LIMIT ?) AS n" +
           std::to_string(n);
  };
  db::Params params;
  for (int n = 0; n < 2; ++n) {
    params.insert(params.end(), sql.params.begin(), sql.params.end());
    params.emplace_back(offset + limit);
  }
  params.emplace_back(limit);
  params.emplace_back(offset);
  return {"SELECT id FROM (" + part(0, " IS NOT NULL", key + dir + ", a.id" + dir) + " UNION ALL " +
              part(1, " IS NULL", "a.id" + dir) + ") AS u ORDER BY part, k" + dir + ", id" + dir + " LIMIT ? OFFSET ?",
          std::move(params)};
}

// SQLite: the ids of one page of a filtered list, found by walking the sort
// column's index (accounts with a value, for a column that may be empty) and
// testing the filter on each account, for at most kWalkFactor × (offset +
// limit) accounts. False when the walk ran out before the page was full (the
// filter is rare, or rare early in this order): then `ids` is untouched. The
// walk is a co-routine, so its rows reach the filter in the sort order and it
// stops at the page's end.
constexpr std::int64_t kWalkFactor = 40;
constexpr std::int64_t kWalkMin = 2000, kWalkMax = 200000;
bool walk_sort_index(db::Connection& c, const ListSql& sql, const ListQuery& query, std::vector<std::int64_t>& ids) {
  const auto [column, descending] = parse_sort(query.sort);
  const std::string dir = descending ? " DESC" : " ASC";
  const auto wanted = static_cast<std::int64_t>(query.offset) + query.limit;
  const auto budget = std::clamp(kWalkFactor * wanted, kWalkMin, kWalkMax);
  auto params = sql.params;
  params.emplace_back(wanted);
  std::vector<std::int64_t> found;
  found.reserve(static_cast<std::size_t>(wanted));
  // `a` is the walk: the account columns that the filter and scope name, so
  // they read as they do on the table (a third cheaper than every column).
  std::string names;
  for (const auto& name : sql.columns) names += (names.empty() ? "a." : ", a.") + name;
  c.each("SELECT a.id FROM (SELECT " + names + " FROM accounts a WHERE a.deleted_at IS NULL" +
             (sorts_nulls_last(column) ? " AND a." + column + " IS NOT NULL" : std::string()) + " ORDER BY a." +
             column + dir + ", a.id" + dir + " LIMIT " + std::to_string(budget) + ") AS a WHERE " + sql.where +
             " LIMIT ?",
         params, [&](const db::RowView& r) { found.push_back(r.integer(0)); });
  if (static_cast<std::int64_t>(found.size()) < wanted) return false;
  ids.assign(found.begin() + query.offset, found.end());
  return true;
}

struct Total {
  std::int64_t total = 0;
  bool exact = true;
};

// The rows of one page of a list (kSelect's columns, in list order) through
// `row`, and the total.
Total list_page(db::Connection& c, const auth::Principal& p, const ListQuery& query,
                const std::function<void(const db::RowView&)>& row) {
  const auto sql = list_sql(c, p, query);
  const auto& [from, where, params, order, search_path, two_char_gram, gram, columns] = sql;
  auto list_params = params;
  list_params.emplace_back(static_cast<std::int64_t>(query.limit));
  list_params.emplace_back(static_cast<std::int64_t>(query.offset));

  // The total: a short last page gives it for free; otherwise count, but stop
  // at kTotalCap (exact = false: "at least kTotalCap"). Counting every match
  // cost ~1 us per match (19k for a city, 84k for 科技, 1M for a plain list)
  // on every request. Postings exist only for live accounts (delete_account
  // removes them), so a two-character query of a caller who sees everything
  // counts the postings alone: a covering-index range.
  const bool postings_only = two_char_gram && p.scope == auth::DataScope::all && query.filters.empty();
  auto count_capped = [&]() -> Total {
    // Is there a match past the cap? Stepping over kTotalCap rows with OFFSET
    // costs half of counting them through a subquery; only when there is not
    // is the (then small) exact count needed.
    const std::string matches = postings_only ? "FROM account_search WHERE gram = ?" : from + "WHERE " + where;
    auto match_params = postings_only ? db::Params{*two_char_gram} : params;
    match_params.emplace_back(kTotalCap);
    if (!c.query("SELECT 1 " + matches + " LIMIT 1 OFFSET ?", match_params).empty()) return {kTotalCap, false};
    match_params.pop_back();
    return {c.query("SELECT count(*) " + matches, match_params).front().integer(0), true};
  };
  auto total_of = [&](std::size_t page_rows) -> Total {
    if (static_cast<int>(page_rows) < query.limit && (page_rows > 0 || query.offset == 0)) {
      return {query.offset + static_cast<std::int64_t>(page_rows), true};
    }
    return count_capped();
  };
  // A search's bigram names over kTotalCap accounts (an index range of at most kTotalCap + 1 postings);
  // asked once per request (a given-up walk and the search path both need it).
  std::optional<bool> common;
  auto common_gram = [&] {
    if (!common) {
      common = c.query("SELECT count(*) FROM (SELECT 1 FROM account_search WHERE gram = ? LIMIT ?) AS m",
                       {gram, kTotalCap + 1})
                   .front()
                   .integer(0) > kTotalCap;
    }
    return *common;
  };

  std::size_t rows = 0;
  if (search_path && c.backend() == db::Backend::sqlite && parse_sort(query.sort).column != "id") {
    // SQLite, a search in another order: the search path reads every
    // candidate to sort them (科技 by name: 84k rows, ~100 ms). For a common
    // term, walk the sort column's index instead, testing the term on each
    // account (instr on search_key: the same test as the bigram's postings).
    if (common_gram()) {
      ListSql walk = sql;
      walk.from = "FROM accounts a ";
      walk.where.replace(walk.where.find(" AND s.gram = ?"), std::string_view(" AND s.gram = ?").size(),
                         " AND instr(a.search_key, ?) > 0");
      walk.params.front() = text::normalize_for_search(query.q);  // the gram's parameter comes first
      walk.columns.insert("search_key");
      ListQuery one_more = query;
      ++one_more.limit;
      std::vector<std::int64_t> ids;
      if (walk_sort_index(c, walk, one_more, ids)) {
        const bool more = static_cast<int>(ids.size()) > query.limit;
        if (more) ids.pop_back();
        each_in_order(c, ids, order, row);
        if (postings_only) return count_capped();
        if (more) return {query.offset + query.limit, false};
        return {query.offset + static_cast<std::int64_t>(ids.size()), true};
      }
    }
  }
  if (search_path) {
    // The search path reads every candidate account row anyway: fetch the
    // display columns in the same query instead of a second IN (...) query.
    // A search narrowed further (filters, a caller's scope, a longer term)
    // tests each candidate on its row, ~0.7 us each: stepping to the 1,001st
    // match read 12k candidates for 科技 in one province (8 ms), 24k for one
    // specialist's accounts. It reads one row past the page instead, and
    // counts only when the driving bigram has at most kTotalCap postings;
    // else the total is "more than offset + limit".
    const bool more_only = !postings_only;
    if (more_only) list_params[list_params.size() - 2] = static_cast<std::int64_t>(query.limit) + 1;
    const std::string select(kSelect);
    c.each(select.substr(0, select.find("FROM ")) + from +
               "LEFT JOIN users u ON u.id = a.owner_id "
               "LEFT JOIN departments d ON d.id = a.department_id WHERE " +
               where + " ORDER BY " + order + " LIMIT ? OFFSET ?",
           list_params, [&](const db::RowView& r) {
             if (static_cast<int>(++rows) <= query.limit) row(r);
           });
    if (more_only && static_cast<int>(rows) > query.limit) {
      if (common_gram()) return {query.offset + query.limit, false};
      return {c.query("SELECT count(*) " + from + "WHERE " + where, params).front().integer(0), true};
    }
    if (more_only && (rows > 0 || query.offset == 0)) return {query.offset + static_cast<std::int64_t>(rows), true};
    return total_of(rows);
  }

  // Page the ids first (narrow rows), then fetch the display columns.
  std::vector<std::int64_t> ids;
  auto read_ids = [&](bool sort_matches) {
    const auto [ids_sql, ids_params] = ids_query(sql, query, sort_matches);
    for (const auto& r : c.query(ids_sql, ids_params)) ids.push_back(r.integer(0));
  };
  const bool filtered = !query.filters.empty() || p.scope != auth::DataScope::all;
  if (c.backend() != db::Backend::sqlite || !filtered || parse_sort(query.sort).column == "id") {
    // PostgreSQL weighs the filter against the sort's index from its
    // statistics; a filter in id order is its own index's order.
    read_ids(false);
    each_in_order(c, ids, order, row);
    return total_of(ids.size());
  }
  // SQLite, a filter and another order: it has no statistics to tell a
  // filter that matches few accounts (sort them: cheap) from one that matches
  // many (walk the sort column's index until a page matched: cheap, sorting
  // them is not) and guesses; a wrong guess cost 0.1-1.6 s at 1M accounts.
  // The capped count tells: under kTotalCap matches, sort them; else walk at
  // most a bounded number of accounts in sort order — enough unless the filter
  // and the order are correlated (names of one city's accounts start with the
  // city) — then sort the matches after all.
  const Total total = count_capped();
  if (!total.exact && walk_sort_index(c, sql, query, ids)) {
    each_in_order(c, ids, order, row);
    return total;
  }
  ids.clear();
  read_ids(true);
  each_in_order(c, ids, order, row);
  return total;
}
}  // namespace

Expected<AccountPage> list_accounts(db::Connection& c, const auth::Principal& p, const ListQuery& query) {
  if (!p.can("accounts.read")) return Error::forbidden();
  if (auto s = check_list_query(query); !s) return s.error();
  AccountPage page;
  const auto total = list_page(c, p, query, [&](const db::RowView& r) { page.items.push_back(from_row(r)); });
  page.total = total.total;
  page.total_exact = total.exact;
  return page;
}

Expected<std::string> list_accounts_json(db::Connection& c, const auth::Principal& p, const ListQuery& query) {
  if (!p.can("accounts.read")) return Error::forbidden();
  if (auto s = check_list_query(query); !s) return s.error();
  std::string body;
  body.reserve(256 + static_cast<std::size_t>(query.limit) * 900);
  body += "{\"items\":[";
  const auto total = list_page(c, p, query, [&](const db::RowView& r) {
    if (body.back() != '[') body.push_back(',');
    append_row_json(r, body);
  });
  body += "],\"total\":" + std::to_string(total.total);
  if (!total.exact) body += ",\"total_exact\":false";
  body.push_back('}');
  return body;
}

Expected<std::vector<Account>> list_all_accounts(db::Connection& c, const auth::Principal& p, const ListQuery& query) {
  if (!p.can("accounts.read")) return Error::forbidden();
  if (auto s = check_list_query(query); !s) return s.error();
  const auto sql = list_sql(c, p, query);
  // Every matching id in list order (narrow rows), then the display columns
  // a chunk at a time: linear in the matches, unlike paging with OFFSET.
  std::vector<std::int64_t> ids;
  for (const auto& row :
       c.query("SELECT a.id " + sql.from + "WHERE " + sql.where + " ORDER BY " + sql.order, sql.params)) {
    ids.push_back(row.integer(0));
  }
  // The list's order over the accounts alone (a search's default order names
  // the postings).
  const std::string order = sort_clause(query.sort);
  std::vector<Account> all;
  all.reserve(ids.size());
  constexpr std::size_t kChunk = 500;
  for (std::size_t at = 0; at < ids.size(); at += kChunk) {
    const std::vector<std::int64_t> chunk(ids.begin() + static_cast<std::ptrdiff_t>(at),
                                          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kChunk)));
    each_in_order(c, chunk, order, [&](const db::RowView& r) { all.push_back(from_row(r)); });
  }
  return all;
}

std::vector<std::int64_t> insert_accounts_bulk(db::Connection& c, const std::vector<NewAccount>& rows) {
  std::vector<std::int64_t> ids;
  ids.reserve(rows.size());
  const std::string now = now_text();
  const int year = current_year();
  for (const auto& row : rows) {
    const std::string archive_no = archive_number(year, next_counter(c, "archive_no:" + std::to_string(year)));
    const auto id = c.query(
                         "INSERT INTO accounts (archive_no, name, search_key, industry, province, city, address, "
                         "owner_id, department_id, owned_since, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         {archive_no, row.name, text::normalize_for_search(row.name), value_of(row.industry),
                          value_of(row.province), value_of(row.city), value_of(row.address), value_of(row.owner_id),
                          value_of(row.department_id), row.owner_id ? db::Value(now) : db::Value(nullptr), now, now})
                        .front()
                        .integer(0);
    post_grams(c, id, row.name);
    ids.push_back(id);
  }
  return ids;
}

}  // namespace kam::accounts
