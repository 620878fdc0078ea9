// The customer pool and ownership changes: settings, the pure limit rules,
// claim / release / transfer with their log and audit rows, and recovery.
//
// Races: a claim is one conditional UPDATE (WHERE owner_id IS NULL) whose
// affected count decides the winner on both back ends; other changes update
// WHERE owner_id still is what was read. Limit checks (count, then change)
// are serialised per new owner by a no-op UPDATE of the user's row first
// (a row lock on PostgreSQL; SQLite write transactions are serial anyway).
#include "accounts/pool.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <set>

#include "auth/audit.hpp"
#include "auth/scope.hpp"
#include "platform/core/text.hpp"

namespace kam::accounts::pool {

using nlohmann::json;

namespace {

constexpr const char* kSettingsKey = "pool";

db::Value value_of(const std::optional<std::int64_t>& v) {
  return v ? db::Value(*v) : db::Value(nullptr);
}

// Reads an account whatever the caller's scope: pool accounts and accounts
// just handed to someone else are still returned to the caller who moved them.
Account read_account(db::Connection& c, std::int64_t id) {
  auth::Principal reader;
  reader.scope = auth::DataScope::all;
  reader.permissions = {"accounts.read"};
  auto found = get_account(c, reader, id);
  if (!found) throw std::runtime_error("pool: account " + std::to_string(id) + " vanished in its transaction");
  return *found;
}

struct Ownership {
  std::optional<std::int64_t> owner_id, department_id;
  std::optional<std::string> tier;
};

std::optional<Ownership> load_ownership(db::Connection& c, std::int64_t id) {
  const auto rows =
      c.query("SELECT owner_id, department_id, tier FROM accounts WHERE id = ? AND deleted_at IS NULL", {id});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.front();
  return Ownership{r.optional_integer("owner_id"), r.optional_integer("department_id"), r.optional_text("tier")};
}

// Takes the user's row lock for the rest of the transaction; false if no such user.
bool lock_user(db::Connection& c, std::int64_t user_id) {
  return c.query("UPDATE users SET version = version WHERE id = ?", {user_id}).affected == 1;
}

std::string utc_day_start(Instant t) {
  return format_instant(t).substr(0, 10) + "T00:00:00.000Z";
}

OwnerLoad owner_load(db::Connection& c, std::int64_t user_id, Instant now) {
  OwnerLoad load;
  load.owned =
      c.query("SELECT count(*) FROM accounts WHERE owner_id = ? AND deleted_at IS NULL", {user_id}).front().integer(0);
  load.claims_today = c.query(
                           "SELECT count(*) FROM account_ownership_log WHERE by_user_id = ? AND action = 'claim' "
                           "AND at >= ?",
                           {user_id, utc_day_start(now)})
                          .front()
                          .integer(0);
  return load;
}

void write_log(db::Connection& c, std::int64_t account_id, const std::string& action, std::optional<std::int64_t> from,
               std::optional<std::int64_t> to, std::optional<std::int64_t> by, const std::string& at) {
  c.query(
      "INSERT INTO account_ownership_log (account_id, action, from_user_id, to_user_id, by_user_id, at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {account_id, action, value_of(from), value_of(to), value_of(by), at});
}

// Sets owner, department and owned_since if the owner is still `expected_owner`.
bool move_owner(db::Connection& c, std::int64_t id, std::optional<std::int64_t> expected_owner,
                std::optional<std::int64_t> new_owner, std::optional<std::int64_t> new_department,
                const std::string& now) {
  std::string sql =
      "UPDATE accounts SET owner_id = ?, department_id = ?, owned_since = ?, version = version + 1, updated_at = ? "
      "WHERE id = ? AND deleted_at IS NULL AND ";
  db::Params params{value_of(new_owner), value_of(new_department), new_owner ? db::Value(now) : db::Value(nullptr), now,
                    id};
  if (expected_owner) {
    sql += "owner_id = ?";
    params.emplace_back(*expected_owner);
  } else {
    sql += "owner_id IS NULL";
  }
  return c.query(sql, params).affected == 1;
}

bool target_in_scope(const auth::Principal& p, std::int64_t user_id, std::optional<std::int64_t> department_id) {
  if (p.scope == auth::DataScope::all) return true;
  if (user_id == p.user_id) return true;
  // A department-scoped caller may hand accounts to users of the departments it sees.
  if (p.scope == auth::DataScope::self || !department_id) return false;
  return auth::can_see(p, std::nullopt, department_id);
}

Error limit_error(const std::string& field, const std::string& detail) {
  return Error(Error::Code::invalid, detail, {{field, detail}});
}

}  // namespace

// ---- settings --------------------------------------------------------------

json to_json(const PoolSettings& s) {
  return {
      {"max_owned_per_user", s.max_owned_per_user},
      {"max_claims_per_day", s.max_claims_per_day},
      {"recovery_days",
       {{"A", s.recovery_days.a}, {"B", s.recovery_days.b}, {"C", s.recovery_days.c}, {"none", s.recovery_days.none}}},
      {"version", s.version}};
}

namespace {
// Reads the stored JSON value leniently (unknown or bad keys keep defaults).
PoolSettings from_stored(const std::string& text, std::int64_t version) {
  PoolSettings s;
  s.version = version;
  const auto value = json::parse(text, nullptr, false);
  if (!value.is_object()) return s;
  auto read = [&](const json& object, const char* key, std::int64_t& out) {
    if (object.contains(key) && object[key].is_number_integer()) out = object[key].get<std::int64_t>();
  };
  read(value, "max_owned_per_user", s.max_owned_per_user);
  read(value, "max_claims_per_day", s.max_claims_per_day);
  if (value.contains("recovery_days") && value["recovery_days"].is_object()) {
    const auto& days = value["recovery_days"];
    read(days, "A", s.recovery_days.a);
    read(days, "B", s.recovery_days.b);
    read(days, "C", s.recovery_days.c);
    read(days, "none", s.recovery_days.none);
  }
  return s;
}

std::string stored_value(const PoolSettings& s) {
  auto value = to_json(s);
  value.erase("version");
  return value.dump();
}
}  // namespace

Expected<PoolSettings> apply_settings_patch(const PoolSettings& current, const json& body) {
  PoolSettings next = current;
  FieldReader fields(body);
  if (auto v = fields.integer("max_owned_per_user", false, 1, 1000000)) next.max_owned_per_user = *v;
  if (auto v = fields.integer("max_claims_per_day", false, 0, 100000)) next.max_claims_per_day = *v;
  std::vector<FieldError> errors;
  if (!fields.ok()) errors = fields.error().fields();
  if (body.contains("recovery_days")) {
    const auto& days = body["recovery_days"];
    if (!days.is_object()) {
      errors.push_back({"recovery_days", "must be an object {A, B, C, none} of days"});
    } else {
      FieldReader nested(days);
      const std::pair<const char*, std::int64_t*> keys[] = {{"A", &next.recovery_days.a},
                                                            {"B", &next.recovery_days.b},
                                                            {"C", &next.recovery_days.c},
                                                            {"none", &next.recovery_days.none}};
      for (const auto& [key, target] : keys) {
        if (auto v = nested.integer(key, false, 1, 3650)) *target = *v;
      }
      if (!nested.ok()) {
        const Error nested_error = nested.error();  // fields() refers into it: keep it alive for the loop
        for (const auto& e : nested_error.fields()) errors.push_back({"recovery_days." + e.field, e.message});
      }
      for (const auto& [key, value] : days.items()) {
        if (key != "A" && key != "B" && key != "C" && key != "none") {
          errors.push_back({"recovery_days." + key, "is not a tier (A, B, C or none)"});
        }
      }
    }
  }
  if (!errors.empty()) return Error::invalid(errors);
  return next;
}

PoolSettings load_settings(db::Connection& c) {
  const auto rows = c.query("SELECT value, version FROM settings WHERE key = ?", {std::string(kSettingsKey)});
  if (rows.empty()) return PoolSettings{};
  return from_stored(rows.front().text("value"), rows.front().integer("version"));
}

Expected<PoolSettings> get_settings(db::Connection& c, const auth::Principal& p) {
  if (!p.can("accounts.read") && !p.can("users.admin")) return Error::forbidden();
  return load_settings(c);
}

Expected<PoolSettings> update_settings(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("users.admin")) return Error::forbidden();
  FieldReader fields(body);
  const auto version = fields.integer("version", true, 1);
  if (!fields.ok()) return fields.error();
  db::Transaction tx(c, true);
  const std::string now = now_text();
  c.query("INSERT INTO settings (key, value, version, updated_at) VALUES (?, ?, 1, ?) ON CONFLICT (key) DO NOTHING",
          {std::string(kSettingsKey), stored_value(PoolSettings{}), now});
  const PoolSettings before = load_settings(c);
  if (before.version != *version) {
    return Error::conflict("the pool settings were changed by someone else (version " + std::to_string(before.version) +
                           "); reload and try again");
  }
  auto next = apply_settings_patch(before, body);
  if (!next) return next.error();
  const auto changed = c.query(
      "UPDATE settings SET value = ?, version = version + 1, updated_at = ? "
      "WHERE key = ? AND version = ?",
      {stored_value(*next), now, std::string(kSettingsKey), *version});
  if (changed.affected != 1) return Error::conflict("the pool settings were changed by someone else; reload");
  const PoolSettings after = load_settings(c);
  auth::write_audit(c, p.user_id, "pool_settings", 1, "update", to_json(before), to_json(after));
  tx.commit();
  return after;
}

// ---- pure rules ----------------------------------------------------------------

Status check_limits(const PoolSettings& settings, OwnershipAction action, const OwnerLoad& load, std::int64_t adding) {
  if (load.owned + adding > settings.max_owned_per_user) {
    return limit_error("max_owned_per_user",
                       fmt::format("limit exceeded: max_owned_per_user is {}; the user owns {} and would own {}",
                                   settings.max_owned_per_user, load.owned, load.owned + adding));
  }
  if (action == OwnershipAction::claim && load.claims_today + adding > settings.max_claims_per_day) {
    return limit_error("max_claims_per_day",
                       fmt::format("limit exceeded: max_claims_per_day is {}; {} claimed today (UTC day)",
                                   settings.max_claims_per_day, load.claims_today));
  }
  return ok_status();
}

std::int64_t recovery_days_for(const PoolSettings& settings, const std::optional<std::string>& tier) {
  if (tier == "A") return settings.recovery_days.a;
  if (tier == "B") return settings.recovery_days.b;
  if (tier == "C") return settings.recovery_days.c;
  return settings.recovery_days.none;
}

// ---- operations ----------------------------------------------------------------

Expected<AccountPage> list_pool(db::Connection& c, const auth::Principal& p, const PoolQuery& query) {
  if (!p.can("accounts.read")) return Error::forbidden();
  std::string where = "a.owner_id IS NULL AND a.deleted_at IS NULL";
  db::Params params;
  const std::pair<const char*, const std::optional<std::string>*> filters[] = {
      {"province", &query.province}, {"city", &query.city}, {"industry", &query.industry}, {"tier", &query.tier}};
  for (const auto& [column, value] : filters) {
    if (!*value) continue;
    where += std::string(" AND a.") + column + " = ?";
    params.emplace_back(**value);
  }
  const std::string normalized = text::normalize_for_search(query.q);
  if (!normalized.empty()) {
    where += " AND (instr(a.search_key, ?) > 0 OR a.archive_no = ?)";
    params.emplace_back(normalized);
    params.emplace_back(query.q);
  }
  AccountPage page;
  page.total = c.query("SELECT count(*) FROM accounts a WHERE " + where, params).front().integer(0);
  if (page.total == 0 || query.offset >= page.total) return page;
  auto list_params = params;
  list_params.emplace_back(static_cast<std::int64_t>(query.limit));
  list_params.emplace_back(static_cast<std::int64_t>(query.offset));
  const auto ids =
      c.query("SELECT a.id FROM accounts a WHERE " + where + " ORDER BY a.id DESC LIMIT ? OFFSET ?", list_params);
  auth::Principal reader;
  reader.scope = auth::DataScope::all;
  reader.permissions = {"accounts.read"};
  for (const auto& row : ids) {
    if (auto a = get_account(c, reader, row.integer(0))) page.items.push_back(std::move(*a));
  }
  return page;
}

Expected<Account> claim(db::Connection& c, const auth::Principal& p, std::int64_t account_id) {
  if (!p.can("accounts.write")) return Error::forbidden();
  db::Transaction tx(c, true);
  lock_user(c, p.user_id);
  const auto current = load_ownership(c, account_id);
  if (!current) return Error::not_found("account");
  if (current->owner_id) {
    return Error::conflict(*current->owner_id == p.user_id ? "you already own this account"
                                                           : "the account is owned by someone else (not in the pool)");
  }
  const auto now_instant = std::chrono::system_clock::now();
  if (auto s = check_limits(load_settings(c), OwnershipAction::claim, owner_load(c, p.user_id, now_instant), 1); !s) {
    return s.error();
  }
  const Account before = read_account(c, account_id);
  const std::string now = format_instant(now_instant);
  const auto department = p.department_id ? p.department_id : current->department_id;
  if (!move_owner(c, account_id, std::nullopt, p.user_id, department, now)) {
    return Error::conflict("the account was claimed by someone else a moment ago");
  }
  write_log(c, account_id, "claim", std::nullopt, p.user_id, p.user_id, now);
  Account after = read_account(c, account_id);
  auth::write_audit(c, p.user_id, "account", account_id, "claim", accounts::to_json(before), accounts::to_json(after));
  tx.commit();
  return after;
}

Expected<Account> release(db::Connection& c, const auth::Principal& p, std::int64_t account_id) {
  if (!p.can("accounts.read")) return Error::not_found("account");
  db::Transaction tx(c, true);
  const auto current = load_ownership(c, account_id);
  if (!current) return Error::not_found("account");
  const bool visible = auth::can_see(p, current->owner_id, current->department_id);
  if (!current->owner_id) {
    if (!visible) return Error::not_found("account");
    return Error::conflict("the account is already in the pool");
  }
  if (*current->owner_id == p.user_id) {
    if (!p.can("accounts.write")) return Error::forbidden();
  } else {
    if (!visible) return Error::not_found("account");
    if (!p.can("accounts.transfer")) return Error::forbidden("only the owner or a manager may release this account");
  }
  const Account before = read_account(c, account_id);
  const std::string now = now_text();
  if (!move_owner(c, account_id, current->owner_id, std::nullopt, current->department_id, now)) {
    return Error::conflict("the account's owner changed meanwhile; reload and try again");
  }
  write_log(c, account_id, "release", current->owner_id, std::nullopt, p.user_id, now);
  Account after = read_account(c, account_id);
  auth::write_audit(c, p.user_id, "account", account_id, "release", accounts::to_json(before),
                    accounts::to_json(after));
  tx.commit();
  return after;
}

namespace {

// The shared body of transfer and bulk_transfer, in the caller's transaction.
// `single`: errors about the account are 404 (it is the path resource)
// instead of 422 on account_ids.
Expected<std::int64_t> transfer_all(db::Connection& c, const auth::Principal& p,
                                    const std::vector<std::int64_t>& account_ids, std::int64_t new_owner_id,
                                    bool single) {
  const auto users = c.query("SELECT department_id, active FROM users WHERE id = ?", {new_owner_id});
  if (users.empty() || users.front().integer("active") == 0) {
    return Error::invalid({{"owner_id", "no active user with this id"}});
  }
  const auto target_department = users.front().optional_integer("department_id");
  if (!target_in_scope(p, new_owner_id, target_department)) {
    return Error::invalid({{"owner_id", "the user is outside your data scope"}});
  }
  lock_user(c, new_owner_id);
  std::vector<std::pair<std::int64_t, Ownership>> moves;
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < account_ids.size(); ++i) {
    const auto id = account_ids[i];
    const std::string field = single ? "owner_id" : "account_ids[" + std::to_string(i) + "]";
    const auto current = load_ownership(c, id);
    if (!current || !auth::can_see(p, current->owner_id, current->department_id)) {
      if (single) return Error::not_found("account");
      errors.push_back({field, "account " + std::to_string(id) + " not found"});
      continue;
    }
    if (current->owner_id == new_owner_id) {
      errors.push_back({field, "account " + std::to_string(id) + " is already owned by this user"});
      continue;
    }
    moves.emplace_back(id, *current);
  }
  if (!errors.empty()) return Error::invalid(errors);
  const auto now_instant = std::chrono::system_clock::now();
  if (auto s = check_limits(load_settings(c), OwnershipAction::transfer, owner_load(c, new_owner_id, now_instant),
                            static_cast<std::int64_t>(moves.size()));
      !s) {
    return s.error();
  }
  const std::string now = format_instant(now_instant);
  // Rows are updated in id order so that two concurrent bulk transfers of
  // overlapping accounts wait for each other instead of deadlocking.
  std::sort(moves.begin(), moves.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [id, current] : moves) {
    const Account before = read_account(c, id);
    if (!move_owner(c, id, current.owner_id, new_owner_id,
                    target_department ? target_department : current.department_id, now)) {
      return Error::conflict("the owner of account " + std::to_string(id) +
                             " changed meanwhile; nothing was transferred");
    }
    write_log(c, id, "transfer", current.owner_id, new_owner_id, p.user_id, now);
    auth::write_audit(c, p.user_id, "account", id, "transfer", accounts::to_json(before),
                      accounts::to_json(read_account(c, id)));
  }
  return static_cast<std::int64_t>(moves.size());
}

}  // namespace

Expected<Account> transfer(db::Connection& c, const auth::Principal& p, std::int64_t account_id,
                           std::int64_t new_owner_id) {
  if (!p.can("accounts.transfer")) {
    if (!p.can("accounts.read") || !account_visible(c, p, account_id)) return Error::not_found("account");
    return Error::forbidden();
  }
  db::Transaction tx(c, true);
  auto moved = transfer_all(c, p, {account_id}, new_owner_id, true);
  if (!moved) return moved.error();
  Account after = read_account(c, account_id);
  tx.commit();
  return after;
}

Expected<std::int64_t> bulk_transfer(db::Connection& c, const auth::Principal& p,
                                     const std::vector<std::int64_t>& account_ids, std::int64_t new_owner_id) {
  if (!p.can("accounts.transfer")) return Error::forbidden();
  if (account_ids.empty()) return Error::invalid({{"account_ids", "must list at least one account"}});
  if (account_ids.size() > 1000) return Error::invalid({{"account_ids", "at most 1000 accounts at a time"}});
  if (std::set<std::int64_t>(account_ids.begin(), account_ids.end()).size() != account_ids.size()) {
    return Error::invalid({{"account_ids", "lists an account twice"}});
  }
  db::Transaction tx(c, true);
  auto moved = transfer_all(c, p, account_ids, new_owner_id, false);
  if (!moved) return moved.error();
  tx.commit();
  return *moved;
}

Expected<json> ownership_log(db::Connection& c, const auth::Principal& p, std::int64_t account_id, int limit,
                             int offset) {
  if (!p.can("accounts.read")) return Error::not_found("account");
  const auto rows = c.query("SELECT owner_id, department_id, deleted_at FROM accounts WHERE id = ?", {account_id});
  if (rows.empty()) return Error::not_found("account");
  const auto owner = rows.front().optional_integer("owner_id");
  const bool in_pool = !owner && rows.front().is_null("deleted_at");
  if (!in_pool && !auth::can_see(p, owner, rows.front().optional_integer("department_id"))) {
    return Error::not_found("account");
  }
  const auto total =
      c.query("SELECT count(*) FROM account_ownership_log WHERE account_id = ?", {account_id}).front().integer(0);
  const auto items = c.query(
      "SELECT l.id, l.action, l.from_user_id, f.display_name AS from_user_name, l.to_user_id, "
      "t.display_name AS to_user_name, l.by_user_id, b.display_name AS by_user_name, l.at "
      "FROM account_ownership_log l LEFT JOIN users f ON f.id = l.from_user_id "
      "LEFT JOIN users t ON t.id = l.to_user_id LEFT JOIN users b ON b.id = l.by_user_id "
      "WHERE l.account_id = ? ORDER BY l.id DESC LIMIT ? OFFSET ?",
      {account_id, static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset)});
  json out = json::array();
  for (const auto& r : items) {
    auto opt_int = [&](const char* name) {
      return r.optional_integer(name) ? json(*r.optional_integer(name)) : json();
    };
    auto opt_text = [&](const char* name) { return r.optional_text(name) ? json(*r.optional_text(name)) : json(); };
    out.push_back({{"id", r.integer("id")},
                   {"action", r.text("action")},
                   {"from_user_id", opt_int("from_user_id")},
                   {"from_user_name", opt_text("from_user_name")},
                   {"to_user_id", opt_int("to_user_id")},
                   {"to_user_name", opt_text("to_user_name")},
                   {"by_user_id", opt_int("by_user_id")},
                   {"by_user_name", opt_text("by_user_name")},
                   {"at", r.text("at")}});
  }
  return json{{"items", std::move(out)}, {"total", total}};
}

void record_ownership(db::Connection& c, std::int64_t account_id, const std::string& action,
                      std::optional<std::int64_t> from_user_id, std::optional<std::int64_t> to_user_id,
                      std::optional<std::int64_t> by_user_id) {
  const std::string now = now_text();
  write_log(c, account_id, action, from_user_id, to_user_id, by_user_id, now);
  c.query("UPDATE accounts SET owned_since = ? WHERE id = ?",
          {to_user_id ? db::Value(now) : db::Value(nullptr), account_id});
}

// ---- recovery --------------------------------------------------------------

std::int64_t recover(db::Connection& c, Instant now) {
  const PoolSettings settings = load_settings(c);
  const std::string now_string = format_instant(now);
  struct TierRule {
    const char* label;
    const char* condition;
    std::int64_t days;
  };
  const TierRule rules[] = {
      {"A", "a.tier = 'A'", settings.recovery_days.a},
      {"B", "a.tier = 'B'", settings.recovery_days.b},
      {"C", "a.tier = 'C'", settings.recovery_days.c},
      {"none", "(a.tier IS NULL OR a.tier NOT IN ('A', 'B', 'C'))", settings.recovery_days.none},
  };
  constexpr const char* kIdle = "coalesce(a.last_activity_at, a.owned_since, a.created_at) < ?";
  std::int64_t recovered = 0;
  for (const auto& rule : rules) {
    const std::string cutoff = format_instant(now - std::chrono::hours(24) * rule.days);
    const std::string reason =
        fmt::format("no activity for {} days (tier {}): returned to the pool", rule.days, rule.label);
    for (;;) {
      const auto due = c.query(std::string("SELECT a.id, a.owner_id FROM accounts a WHERE a.owner_id IS NOT NULL "
                                           "AND a.deleted_at IS NULL AND ") +
                                   rule.condition + " AND " + kIdle + " ORDER BY a.id LIMIT 500",
                               {cutoff});
      if (due.empty()) break;
      std::int64_t batch = 0;
      db::Transaction tx(c, true);
      for (const auto& row : due) {
        const auto id = row.integer("id");
        const auto owner = row.integer("owner_id");
        const Account before = read_account(c, id);
        // Re-check the rule in the UPDATE: activity or an owner change since the SELECT wins.
        const auto changed =
            c.query(std::string("UPDATE accounts SET owner_id = NULL, owned_since = NULL, version = version + 1, "
                                "updated_at = ? WHERE id = ? AND owner_id = ? AND deleted_at IS NULL AND id IN ("
                                "SELECT a.id FROM accounts a WHERE a.id = ? AND ") +
                        rule.condition + " AND " + kIdle + ")",
                    {now_string, id, owner, id, cutoff});
        if (changed.affected != 1) continue;
        write_log(c, id, "recover", owner, std::nullopt, std::nullopt, now_string);
        json after = accounts::to_json(read_account(c, id));
        after["reason"] = reason;
        auth::write_audit(c, std::nullopt, "account", id, "recover", accounts::to_json(before), after);
        ++batch;
      }
      tx.commit();
      recovered += batch;
      if (due.size() < 500 || batch == 0) break;
    }
  }
  return recovered;
}

Expected<std::int64_t> run_recovery(db::Connection& c, const auth::Principal& p) {
  if (!p.can("users.admin")) return Error::forbidden();
  return recover(c, now());
}

void register_jobs(jobs::JobRunner& runner) {
  runner.add(
      kRecoveryJob, std::chrono::hours(1),
      [](db::Database& database) {
        auto c = database.acquire();
        recover(*c, now());
      },
      std::chrono::minutes(1));
}

}  // namespace kam::accounts::pool
