// Storage of accounts: SQL for both back ends, the bigram search postings,
// scope-limited reads and audited writes.
#include <algorithm>
#include <set>

#include "accounts/accounts.hpp"
#include "accounts/credit_code.hpp"
#include "accounts/relationship.hpp"
#include "auth/audit.hpp"
#include "auth/scope.hpp"
#include "platform/core/clock.hpp"
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

// Moves the row's strings into the account (a list page is 50 rows of ~30 columns).
Account from_row(db::Row& r) {
  Account a;
  a.id = r.integer("id");
  a.archive_no = r.take_optional_text("archive_no").value_or("");
  a.name = r.take_text("name");
  a.industry = r.take_optional_text("industry");
  a.province = r.take_optional_text("province");
  a.city = r.take_optional_text("city");
  a.address = r.take_optional_text("address");
  a.owner_id = r.optional_integer("owner_id");
  a.department_id = r.optional_integer("department_id");
  a.owner_name = r.take_optional_text("owner_name");
  a.department_name = r.take_optional_text("department_name");
  a.credit_code = r.take_optional_text("credit_code");
  a.ownership_type = r.take_optional_text("ownership_type");
  a.employees = r.optional_integer("employees");
  a.annual_revenue_fen = r.optional_integer("annual_revenue_fen");
  a.founded_year = r.optional_integer("founded_year");
  a.website = r.take_optional_text("website");
  a.business_status = r.take_optional_text("business_status");
  a.procurement_mode = r.take_optional_text("procurement_mode");
  a.customer_kind = r.take_optional_text("customer_kind");
  a.needs = r.take_optional_text("needs");
  a.preferences = r.take_optional_text("preferences");
  a.price_sensitivity = r.take_optional_text("price_sensitivity");
  a.tier = r.take_optional_text("tier");
  a.tier_override_reason = r.take_optional_text("tier_override_reason");
  a.market_stage = r.take_optional_text("market_stage");
  a.relationship_stage = r.take_optional_text("relationship_stage").value_or("establish");
  a.last_activity_at = r.take_optional_text("last_activity_at");
  a.owned_since = r.take_optional_text("owned_since");
  a.version = r.integer("version");
  a.created_at = r.take_text("created_at");
  a.updated_at = r.take_text("updated_at");
  return a;
}

db::Value value_of(const std::optional<std::string>& v) {
  return v ? db::Value(*v) : db::Value(nullptr);
}
db::Value value_of(const std::optional<std::int64_t>& v) {
  return v ? db::Value(*v) : db::Value(nullptr);
}

std::optional<Account> load(db::Connection& c, std::int64_t id) {
  auto rows = c.query(std::string(kSelect) + "WHERE a.id = ? AND a.deleted_at IS NULL", {id});
  if (rows.empty()) return std::nullopt;
  return from_row(*rows.begin());
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

std::string sort_clause(const std::string& sort) {
  if (sort.empty() || sort == "-id") return "a.id DESC";
  const bool descending = sort.front() == '-';
  const std::string column = descending ? sort.substr(1) : sort;
  const std::string direction = descending ? " DESC" : " ASC";
  if (column == "id") return "a.id" + direction;
  // Columns that may be empty: accounts without a value come last in both
  // directions and on both back ends (SQLite and PostgreSQL order NULLs
  // differently by default).
  static const std::set<std::string> nullable = {"tier", "annual_revenue_fen", "employees", "last_activity_at"};
  const std::string nulls_last = nullable.count(column) ? "(a." + column + " IS NULL), " : "";
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
  bool search_path = false;                  // driven from account_search postings
  std::optional<std::string> two_char_gram;  // the query is exactly this bigram
};

ListSql list_sql(db::Connection& c, const auth::Principal& p, const ListQuery& query) {
  ListSql sql;
  auto& [from, where, params, order, search_path, two_char_gram] = sql;
  order = sort_clause(query.sort);

  const std::string normalized = text::normalize_for_search(query.q);
  if (!normalized.empty()) {
    const bool archive_query = normalized.rfind("ka-", 0) == 0;
    auto grams = text::search_grams(query.q);
    if (archive_query) {
      std::string prefix = "KA-" + normalized.substr(3);
      for (auto& ch : prefix) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      where += " AND a.archive_no >= ? AND a.archive_no < ?";
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
    }
  }
  // Names and values were checked against fixed lists above.
  for (const auto& [name, value] : query.filters) {
    if (name == "owner_id" || name == "department_id") {
      where += " AND a." + name + " = ?";
      params.emplace_back(*http::parse_id(value));
    } else if (name == "in_pool") {
      where += value == "true" ? " AND a.owner_id IS NULL" : " AND a.owner_id IS NOT NULL";
    } else if (name.size() > 4 && (name.ends_with("_min") || name.ends_with("_max"))) {
      const std::string column = name.substr(0, name.size() - 4);
      where += " AND a." + column + (name.ends_with("_min") ? " >= ?" : " <= ?");
      params.emplace_back(static_cast<std::int64_t>(std::stoll(value)));
    } else if (name == "last_activity_before") {
      where += " AND a.last_activity_at < ?";
      params.emplace_back(value);
    } else if (name == "last_activity_after") {
      where += " AND a.last_activity_at >= ?";
      params.emplace_back(value);
    } else if (name == "credit_code") {
      where += " AND a.credit_code = ?";
      params.emplace_back(normalize_credit_code(value));
    } else {
      where += " AND a." + name + " = ?";
      params.emplace_back(value);
    }
  }
  const auto scope = auth::scope_clause(p, "a");
  where += " AND " + scope.sql;
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  return sql;
}

// Rows of kSelect for these ids, in the order of `ids`.
std::vector<Account> accounts_in_order(db::Connection& c, const std::vector<std::int64_t>& ids) {
  std::vector<Account> out;
  if (ids.empty()) return out;
  std::string in;
  db::Params id_params;
  for (const auto id : ids) {
    in += in.empty() ? "?" : ",?";
    id_params.emplace_back(id);
  }
  std::map<std::int64_t, Account> by_id;
  for (auto& r : c.query(std::string(kSelect) + "WHERE a.id IN (" + in + ")", id_params)) {
    auto a = from_row(r);
    by_id.emplace(a.id, std::move(a));
  }
  out.reserve(ids.size());
  for (const auto id : ids) {
    auto it = by_id.find(id);
    if (it != by_id.end()) out.push_back(std::move(it->second));
  }
  return out;
}
}  // namespace

Expected<AccountPage> list_accounts(db::Connection& c, const auth::Principal& p, const ListQuery& query) {
  if (!p.can("accounts.read")) return Error::forbidden();
  if (auto s = check_list_query(query); !s) return s.error();
  const auto sql = list_sql(c, p, query);
  const auto& [from, where, params, order, search_path, two_char_gram] = sql;

  AccountPage page;
  auto list_params = params;
  list_params.emplace_back(static_cast<std::int64_t>(query.limit));
  list_params.emplace_back(static_cast<std::int64_t>(query.offset));

  // The total: a short last page gives it for free; otherwise count, but stop
  // at kTotalCap (total_exact = false: "at least kTotalCap"). Counting every
  // match cost ~1 us per match (19k for a city, 84k for 科技, 1M for a plain
  // list) on every request. Postings exist only for live accounts
  // (delete_account removes them), so a two-character query of a caller who
  // sees everything counts the postings alone: a covering-index range.
  auto set_total = [&](std::size_t page_rows) {
    if (static_cast<int>(page_rows) < query.limit && (page_rows > 0 || query.offset == 0)) {
      page.total = query.offset + static_cast<std::int64_t>(page_rows);
      return;
    }
    const bool postings_only = two_char_gram && p.scope == auth::DataScope::all && query.filters.empty();
    // Is there a match past the cap? Stepping over kTotalCap rows with OFFSET
    // costs half of counting them through a subquery; only when there is not
    // is the (then small) exact count needed.
    const std::string matches = postings_only ? "FROM account_search WHERE gram = ?" : from + "WHERE " + where;
    auto match_params = postings_only ? db::Params{*two_char_gram} : params;
    match_params.emplace_back(kTotalCap);
    const auto n = !c.query("SELECT 1 " + matches + " LIMIT 1 OFFSET ?", match_params).empty()
                       ? kTotalCap + 1
                       : c.query("SELECT count(*) " + matches, db::Params(match_params.begin(), match_params.end() - 1))
                             .front()
                             .integer(0);
    page.total = std::min(n, kTotalCap);
    page.total_exact = n <= kTotalCap;
  };

  if (search_path) {
    // The search path reads every candidate account row anyway: fetch the
    // display columns in the same query instead of a second IN (...) query.
    const std::string select(kSelect);
    auto rows = c.query(select.substr(0, select.find("FROM ")) + from +
                            "LEFT JOIN users u ON u.id = a.owner_id "
                            "LEFT JOIN departments d ON d.id = a.department_id WHERE " +
                            where + " ORDER BY " + order + " LIMIT ? OFFSET ?",
                        list_params);
    set_total(rows.size());
    page.items.reserve(rows.size());
    for (auto& r : rows) page.items.push_back(from_row(r));
    return page;
  }

  // Page the ids first (narrow rows), then fetch the display columns.
  const auto ids =
      c.query("SELECT a.id " + from + "WHERE " + where + " ORDER BY " + order + " LIMIT ? OFFSET ?", list_params);
  set_total(ids.size());
  std::vector<std::int64_t> id_list;
  for (const auto& row : ids) id_list.push_back(row.integer(0));
  page.items = accounts_in_order(c, id_list);
  return page;
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
  std::vector<Account> all;
  all.reserve(ids.size());
  constexpr std::size_t kChunk = 500;
  for (std::size_t at = 0; at < ids.size(); at += kChunk) {
    const std::vector<std::int64_t> chunk(ids.begin() + static_cast<std::ptrdiff_t>(at),
                                          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kChunk)));
    for (auto& a : accounts_in_order(c, chunk)) all.push_back(std::move(a));
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
