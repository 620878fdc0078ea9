// Storage of accounts: SQL for both back ends, the bigram search postings,
// scope-limited reads and audited writes.
#include <algorithm>

#include "accounts/accounts.hpp"
#include "auth/audit.hpp"
#include "auth/scope.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/text.hpp"
#include "platform/http/router.hpp"

namespace kam::accounts {

namespace {

constexpr const char* kSelect =
    "SELECT a.id, a.archive_no, a.name, a.industry, a.province, a.city, a.address, a.owner_id, a.department_id, "
    "a.version, a.created_at, a.updated_at, u.display_name AS owner_name, d.name AS department_name "
    "FROM accounts a LEFT JOIN users u ON u.id = a.owner_id LEFT JOIN departments d ON d.id = a.department_id ";

Account from_row(const db::Row& r) {
  Account a;
  a.id = r.integer("id");
  a.archive_no = r.optional_text("archive_no").value_or("");
  a.name = r.text("name");
  a.industry = r.optional_text("industry");
  a.province = r.optional_text("province");
  a.city = r.optional_text("city");
  a.address = r.optional_text("address");
  a.owner_id = r.optional_integer("owner_id");
  a.department_id = r.optional_integer("department_id");
  a.owner_name = r.optional_text("owner_name");
  a.department_name = r.optional_text("department_name");
  a.version = r.integer("version");
  a.created_at = r.text("created_at");
  a.updated_at = r.text("updated_at");
  return a;
}

db::Value value_of(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value(nullptr); }
db::Value value_of(const std::optional<std::int64_t>& v) { return v ? db::Value(*v) : db::Value(nullptr); }

std::optional<Account> load(db::Connection& c, std::int64_t id) {
  const auto rows = c.query(std::string(kSelect) + "WHERE a.id = ? AND a.deleted_at IS NULL", {id});
  if (rows.empty()) return std::nullopt;
  return from_row(rows.front());
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
          "INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 "
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
  return "a." + column + direction + ", a.id" + direction;
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
  const auto id = c.query(
                       "INSERT INTO accounts (archive_no, name, search_key, industry, province, city, address, "
                       "owner_id, department_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id",
                       {archive_no, *input.name.value, text::normalize_for_search(*input.name.value),
                        value_of(input.industry.value), value_of(input.province.value), value_of(input.city.value),
                        value_of(input.address.value), p.user_id, value_of(p.department_id), now, now})
                      .front()
                      .integer(0);
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
  auto pick = [](const TextChange& change, const std::optional<std::string>& old) {
    return change.present ? change.value : old;
  };
  const std::string name = input.name.value.value_or(before->name);
  const auto changed = c.query(
      "UPDATE accounts SET name = ?, search_key = ?, industry = ?, province = ?, city = ?, address = ?, "
      "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
      {name, text::normalize_for_search(name), value_of(pick(input.industry, before->industry)),
       value_of(pick(input.province, before->province)), value_of(pick(input.city, before->city)),
       value_of(pick(input.address, before->address)), now_text(), id, version});
  if (changed.affected != 1) return Error::conflict("the account was changed by someone else; reload and try again");
  if (name != before->name) {
    remove_grams(c, id, before->name);
    post_grams(c, id, name);
  }
  Account after = *load(c, id);
  auth::write_audit(c, p.user_id, "account", id, "update", to_json(*before), to_json(after));
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

Expected<AccountPage> list_accounts(db::Connection& c, const auth::Principal& p, const ListQuery& query) {
  if (!p.can("accounts.read")) return Error::forbidden();
  if (auto s = check_list_query(query); !s) return s.error();

  std::string from = "FROM accounts a ";
  std::string where = "a.deleted_at IS NULL";
  db::Params params;
  std::string order = sort_clause(query.sort);

  const std::string normalized = text::normalize_for_search(query.q);
  if (!normalized.empty()) {
    const bool archive_query = normalized.rfind("ka-", 0) == 0;
    const auto grams = text::search_grams(query.q);
    if (archive_query) {
      std::string prefix = "KA-" + normalized.substr(3);
      for (auto& ch : prefix) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      where += " AND a.archive_no >= ? AND a.archive_no < ?";
      params.emplace_back(prefix);
      params.emplace_back(prefix + "\x7f");
    } else if (text::length(normalized) >= 2) {
      // Drive from the postings of the first bigram (index order = id order),
      // require the others, then verify the exact substring.
      from = "FROM account_search s JOIN accounts a ON a.id = s.account_id ";
      where += " AND s.gram = ?";
      params.emplace_back(grams.front());
      for (std::size_t i = 1; i < grams.size(); ++i) {
        where += " AND EXISTS (SELECT 1 FROM account_search t WHERE t.gram = ? AND t.account_id = a.id)";
        params.emplace_back(grams[i]);
      }
      if (text::length(normalized) > 2) {
        where += " AND instr(a.search_key, ?) > 0";
        params.emplace_back(normalized);
      }
      if (query.sort.empty() || query.sort == "-id") order = "s.account_id DESC";
    } else {
      where += " AND instr(a.search_key, ?) > 0";  // one character: scan
      params.emplace_back(normalized);
    }
  }
  for (const auto& [name, value] : query.filters) {
    where += " AND a." + name + " = ?";  // names checked against a fixed list above
    if (name == "owner_id" || name == "department_id") {
      params.emplace_back(*http::parse_id(value));  // checked above
    } else {
      params.emplace_back(value);
    }
  }
  const auto scope = auth::scope_clause(p, "a");
  where += " AND " + scope.sql;
  params.insert(params.end(), scope.params.begin(), scope.params.end());

  AccountPage page;
  page.total = c.query("SELECT count(*) " + from + "WHERE " + where, params).front().integer(0);
  if (page.total == 0 || query.offset >= page.total) return page;

  // Page the ids first (narrow rows), then fetch the display columns.
  auto list_params = params;
  list_params.emplace_back(static_cast<std::int64_t>(query.limit));
  list_params.emplace_back(static_cast<std::int64_t>(query.offset));
  const auto ids =
      c.query("SELECT a.id " + from + "WHERE " + where + " ORDER BY " + order + " LIMIT ? OFFSET ?", list_params);
  if (ids.empty()) return page;
  std::string in;
  db::Params id_params;
  for (const auto& row : ids) {
    in += in.empty() ? "?" : ",?";
    id_params.emplace_back(row.integer(0));
  }
  const auto rows = c.query(std::string(kSelect) + "WHERE a.id IN (" + in + ")", id_params);
  std::map<std::int64_t, Account> by_id;
  for (const auto& r : rows) {
    auto a = from_row(r);
    by_id.emplace(a.id, std::move(a));
  }
  for (const auto& row : ids) {
    auto it = by_id.find(row.integer(0));
    if (it != by_id.end()) page.items.push_back(std::move(it->second));
  }
  return page;
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
                         "owner_id, department_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "RETURNING id",
                         {archive_no, row.name, text::normalize_for_search(row.name), value_of(row.industry),
                          value_of(row.province), value_of(row.city), value_of(row.address), value_of(row.owner_id),
                          value_of(row.department_id), now, now})
                        .front()
                        .integer(0);
    post_grams(c, id, row.name);
    ids.push_back(id);
  }
  return ids;
}

}  // namespace kam::accounts
