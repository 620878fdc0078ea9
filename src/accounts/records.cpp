// One implementation of the archive's record tables (see records.hpp): field
// validation (pure), and scope-limited, audited SQL for both back ends.
#include "accounts/records.hpp"

#include <algorithm>

#include "accounts/accounts.hpp"
#include "auth/audit.hpp"
#include "auth/scope.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/fields.hpp"

namespace kam::accounts {

using nlohmann::json;

// ---- fields (pure) ----

bool is_iso_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const int year = std::stoi(text.substr(0, 4));
  const int month = std::stoi(text.substr(5, 2));
  const int day = std::stoi(text.substr(8, 2));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

Expected<Values> read_fields(const json& body, const std::vector<Field>& fields, bool creating) {
  FieldReader reader(body);
  Values values;
  for (const auto& field : fields) {
    if (field.on_create_only && !creating) continue;
    const bool present = body.contains(field.name);
    if (!present) {
      if (creating && field.required) reader.fail(field.name, "is required");
      continue;
    }
    const json& value = body.at(field.name);
    if (field.kind == Field::Kind::text) {
      auto change = reader.text(field.name, field.max_length, field.required || field.not_null);
      if (change.value)
        values.emplace_back(field.name, *change.value);
      else if (!field.required && !field.not_null)
        values.emplace_back(field.name, nullptr);
      continue;
    }
    if (value.is_null()) {
      if (field.required || field.not_null)
        reader.fail(field.name, "is required");
      else
        values.emplace_back(field.name, nullptr);
      continue;
    }
    switch (field.kind) {
      case Field::Kind::choice: {
        const bool known = value.is_string() && std::find(field.choices.begin(), field.choices.end(),
                                                          value.get<std::string>()) != field.choices.end();
        if (known) {
          values.emplace_back(field.name, value.get<std::string>());
        } else {
          std::string list;
          for (const auto& choice : field.choices) list += (list.empty() ? "" : ", ") + choice;
          reader.fail(field.name, "must be one of " + list);
        }
        break;
      }
      case Field::Kind::date:
        if (value.is_string() && is_iso_date(value.get<std::string>())) {
          values.emplace_back(field.name, value.get<std::string>());
        } else {
          reader.fail(field.name, "must be a date YYYY-MM-DD");
        }
        break;
      case Field::Kind::integer:
      case Field::Kind::id: {
        const auto min = field.kind == Field::Kind::id ? std::max<std::int64_t>(field.min, 1) : field.min;
        if (auto n = reader.integer(field.name, false, min, field.max)) values.emplace_back(field.name, *n);
        break;
      }
      case Field::Kind::text:
        break;  // handled above
    }
  }
  if (!reader.ok()) return reader.error();
  return values;
}

const db::Value* find_value(const Values& values, const std::string& name) {
  for (const auto& [column, value] : values) {
    if (column == name) return &value;
  }
  return nullptr;
}

// ---- storage ----

namespace {

json to_json(const db::Value& value) {
  return std::visit(
      [](const auto& v) -> json {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::nullptr_t>) {
          return nullptr;
        } else {
          return v;
        }
      },
      value);
}

std::string from_clause(const RecordTable& table) {
  return " FROM " + table.table + " t" + (table.account_scoped ? " JOIN accounts a ON a.id = t.account_id" : "") +
         table.extra_joins;
}

std::string select_clause(const RecordTable& table) {
  std::string sql = "SELECT t.id";
  if (table.account_scoped) sql += ", t.account_id, a.name AS account_name";
  for (const auto& field : table.fields) {
    if (field.name != "account_id") sql += ", t." + field.name;
  }
  return sql + ", t.version, t.created_at, t.updated_at" + table.extra_columns + from_clause(table);
}

std::optional<json> load(db::Connection& c, const RecordTable& table, std::int64_t id) {
  const auto rows = c.query(select_clause(table) + " WHERE t.id = ? AND t.deleted_at IS NULL", {id});
  if (rows.empty()) return std::nullopt;
  return row_json(rows, 0);
}

// The record if it exists and p may see it (its account is visible).
std::optional<json> load_visible(db::Connection& c, const auth::Principal& p, const RecordTable& table,
                                 std::int64_t id) {
  auto record = load(c, table, id);
  if (!record) return std::nullopt;
  if (table.account_scoped && !account_visible(c, p, (*record)["account_id"].get<std::int64_t>())) {
    return std::nullopt;
  }
  return record;
}

// A write without accounts.write: 403 when p can see the record, else 404
// (do not reveal whether an invisible record exists).
Error refuse_write(db::Connection& c, const auth::Principal& p, const RecordTable& table, std::int64_t id) {
  if (p.can("accounts.read") && load_visible(c, p, table, id)) return Error::forbidden();
  return Error::not_found(table.entity);
}

Error stale(const RecordTable& table) {
  return Error::conflict("the " + table.entity + " was changed by someone else; reload and try again");
}

// Runs `write`, turning a unique violation into 409 with the table's message.
template <typename F>
auto unique_or_conflict(const RecordTable& table, F&& write) -> Expected<decltype(write())> {
  try {
    return write();
  } catch (const db::DbError& e) {
    if (e.kind() != db::DbError::Kind::unique_violation) throw;
    return Error::conflict(table.duplicate_message.empty() ? "duplicate " + table.entity : table.duplicate_message);
  }
}

json decorated(db::Connection& c, const RecordTable& table, json record) {
  if (table.decorate) table.decorate(c, record);
  return record;
}

Status after_change(db::Connection& c, const auth::Principal& p, const RecordTable& table, const json& before,
                    const json& after) {
  if (!table.after_change) return ok_status();
  return table.after_change(c, p, before, after);
}

}  // namespace

json row_json(const db::Result& result, std::size_t i) {
  json record = json::object();
  const auto& row = result[i];
  for (std::size_t column = 0; column < result.columns().size(); ++column) {
    record[result.columns()[column]] = to_json(row.at(column));
  }
  return record;
}

Status require_visible_account(db::Connection& c, const auth::Principal& p, std::int64_t account_id) {
  if (!p.can("accounts.read")) return Error::forbidden();
  if (!account_visible(c, p, account_id)) return Error::not_found("account");
  return ok_status();
}

bool record_visible(db::Connection& c, const auth::Principal& p, const RecordTable& table, std::int64_t id) {
  if (!p.can("accounts.read")) return false;
  const auto rows = c.query(
      std::string("SELECT ") + (table.account_scoped ? "account_id" : "id") + " FROM " + table.table + " WHERE id = ?",
      {id});
  if (rows.empty()) return false;
  return !table.account_scoped || account_visible(c, p, rows.front().integer(0), /*include_deleted=*/true);
}

Expected<json> get_record(db::Connection& c, const auth::Principal& p, const RecordTable& table, std::int64_t id) {
  if (!p.can("accounts.read")) return Error::forbidden();
  auto record = load_visible(c, p, table, id);
  if (!record) return Error::not_found(table.entity);
  return decorated(c, table, std::move(*record));
}

Expected<json> create_record(db::Connection& c, const auth::Principal& p, const RecordTable& table,
                             const Values& values) {
  if (!p.can("accounts.write")) return Error::forbidden();
  if (table.account_scoped) {
    const auto* account = find_value(values, "account_id");
    if (account == nullptr || !std::holds_alternative<std::int64_t>(*account) ||
        !account_visible(c, p, std::get<std::int64_t>(*account))) {
      return Error::invalid({{"account_id", "no such account"}});
    }
  }
  db::Transaction tx(c, true);
  if (table.check) {
    if (auto s = table.check(c, values); !s) return s.error();
  }
  const auto now = now_text();
  std::string columns, placeholders;
  db::Params params;
  for (const auto& [column, value] : values) {
    columns += column + ", ";
    placeholders += "?, ";
    params.push_back(value);
  }
  params.emplace_back(now);
  params.emplace_back(now);
  auto id = unique_or_conflict(table, [&] {
    return c
        .query("INSERT INTO " + table.table + " (" + columns + "created_at, updated_at) VALUES (" + placeholders +
                   "?, ?) RETURNING id",
               params)
        .front()
        .integer(0);
  });
  if (!id) return id.error();
  json created = *load(c, table, *id);
  if (auto s = after_change(c, p, table, nullptr, created); !s) return s.error();
  auth::write_audit(c, p.user_id, table.entity, *id, "create", nullptr, created);
  tx.commit();
  return decorated(c, table, std::move(created));
}

Expected<json> update_record(db::Connection& c, const auth::Principal& p, const RecordTable& table, std::int64_t id,
                             std::int64_t version, const Values& values) {
  if (!p.can("accounts.write")) return refuse_write(c, p, table, id);
  db::Transaction tx(c, true);
  auto before = load_visible(c, p, table, id);
  if (!before) return Error::not_found(table.entity);
  if ((*before)["version"].get<std::int64_t>() != version) return stale(table);
  if (table.check) {
    if (auto s = table.check(c, values); !s) return s.error();
  }
  std::string assignments;
  db::Params params;
  for (const auto& [column, value] : values) {
    assignments += column + " = ?, ";
    params.push_back(value);
  }
  params.emplace_back(now_text());
  params.emplace_back(id);
  params.emplace_back(version);
  auto changed = unique_or_conflict(table, [&] {
    return c
        .query("UPDATE " + table.table + " SET " + assignments +
                   "version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL",
               params)
        .affected;
  });
  if (!changed) return changed.error();
  if (*changed != 1) return stale(table);
  json after = *load(c, table, id);
  if (auto s = after_change(c, p, table, *before, after); !s) return s.error();
  auth::write_audit(c, p.user_id, table.entity, id, "update", *before, after);
  tx.commit();
  return decorated(c, table, std::move(after));
}

Status delete_record(db::Connection& c, const auth::Principal& p, const RecordTable& table, std::int64_t id) {
  if (!p.can("accounts.write")) return refuse_write(c, p, table, id);
  db::Transaction tx(c, true);
  auto before = load_visible(c, p, table, id);
  if (!before) return Error::not_found(table.entity);
  const auto now = now_text();
  const auto changed = c.query("UPDATE " + table.table +
                                   " SET deleted_at = ?, version = version + 1, updated_at = ? "
                                   "WHERE id = ? AND deleted_at IS NULL",
                               {now, now, id});
  if (changed.affected != 1) return Error::not_found(table.entity);  // deleted concurrently
  auth::write_audit(c, p.user_id, table.entity, id, "delete", *before, nullptr);
  tx.commit();
  return ok_status();
}

Expected<json> list_records(db::Connection& c, const auth::Principal& p, const RecordTable& table,
                            const RecordQuery& query) {
  if (!p.can("accounts.read")) return Error::forbidden();
  std::string where = " WHERE t.deleted_at IS NULL";
  db::Params params;
  if (table.account_scoped) {
    const auto scope = auth::scope_clause(p, "a");
    where += " AND a.deleted_at IS NULL AND " + scope.sql;
    params.insert(params.end(), scope.params.begin(), scope.params.end());
  }
  for (const auto& [column, value] : query.equals) {
    where += " AND t." + column + " = ?";  // column names come from code, never from a request
    params.push_back(value);
  }
  std::string needle = query.q;
  for (auto& ch : needle) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (!needle.empty() && !query.search_columns.empty()) {
    std::string any;
    for (const auto& column : query.search_columns) {
      any += (any.empty() ? "" : " OR ") + std::string("instr(lower(") + column + "), ?) > 0";
      params.emplace_back(needle);
    }
    where += " AND (" + any + ")";
  }
  const auto total = c.query("SELECT count(*)" + from_clause(table) + where, params).front().integer(0);
  json items = json::array();
  if (total > query.offset) {
    std::string page = " ORDER BY " + query.order;
    if (query.limit > 0) {
      page += " LIMIT ? OFFSET ?";
      params.emplace_back(static_cast<std::int64_t>(query.limit));
      params.emplace_back(static_cast<std::int64_t>(query.offset));
    }
    const auto rows = c.query(select_clause(table) + where + page, params);
    for (std::size_t i = 0; i < rows.size(); ++i) items.push_back(decorated(c, table, row_json(rows, i)));
  }
  return json{{"items", std::move(items)}, {"total", total}};
}

}  // namespace kam::accounts
