#include "auth/service.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <sstream>

#include "auth/crypto.hpp"
#include "platform/core/clock.hpp"

namespace kam::auth {

using nlohmann::json;

namespace {

std::string instant_after(int seconds) {
  return format_instant(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

struct SeedRole {
  const char* code;
  const char* name;
  const char* name_en;
  const char* permissions;
  const char* scope;
};

// The default roles (SPEC: roles are data; an admin may change them later).
// Keep in step with migrations/004_permissions.sql (existing databases).
const SeedRole kSeedRoles[] = {
    {"admin", "系统管理员", "Administrator",
     "accounts.read accounts.write accounts.delete accounts.transfer accounts.import accounts.export users.read "
     "users.admin audit.read "
     "opportunities.read opportunities.write opportunities.override pipeline.admin activities.read activities.write "
     "reports.review requests.read requests.write approvals.admin budgets.admin",
     "all"},
    {"director", "营销总监", "Marketing director",
     "accounts.read accounts.write accounts.delete accounts.transfer accounts.import accounts.export users.read "
     "audit.read "
     "opportunities.read opportunities.write opportunities.override activities.read activities.write reports.review "
     "requests.read requests.write budgets.admin",
     "all"},
    {"manager", "大客户部经理", "KA manager",
     "accounts.read accounts.write accounts.delete accounts.transfer accounts.import accounts.export users.read "
     "audit.read "
     "opportunities.read opportunities.write opportunities.override activities.read activities.write reports.review "
     "requests.read requests.write",
     "department_tree"},
    {"specialist", "大客户专员", "KA specialist",
     "accounts.read accounts.write accounts.export audit.read "
     "opportunities.read opportunities.write activities.read activities.write requests.read requests.write",
     "self"},
    {"assistant", "大客户部内勤", "KA assistant",
     "accounts.read accounts.write accounts.import accounts.export users.read audit.read "
     "opportunities.read opportunities.write activities.read activities.write requests.read requests.write",
     "department"},
    {"finance", "财务", "Finance",
     "accounts.read accounts.export users.read audit.read "
     "opportunities.read activities.read requests.read budgets.admin",
     "all"},
};

std::set<std::string> split_words(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string word; in >> word;) out.insert(word);
  return out;
}

}  // namespace

AuthService::AuthService(db::Database& database, AuthSettings settings) : database_(database), settings_(settings) {}

json user_json(db::Connection& connection, std::int64_t user_id) {
  const auto rows = connection.query(
      "SELECT u.id, u.username, u.display_name, u.email, u.phone, u.department_id, d.name AS department_name, "
      "u.active, u.version, u.created_at, u.updated_at FROM users u LEFT JOIN departments d ON d.id = "
      "u.department_id WHERE u.id = ?",
      {user_id});
  if (rows.empty()) return nullptr;
  const auto& r = rows.front();
  auto opt_text = [&](const char* name) { return r.optional_text(name) ? json(*r.optional_text(name)) : json(); };
  json user = {
      {"id", r.integer("id")},
      {"username", r.text("username")},
      {"display_name", r.text("display_name")},
      {"email", opt_text("email")},
      {"phone", opt_text("phone")},
      {"department_id", r.optional_integer("department_id") ? json(*r.optional_integer("department_id")) : json()},
      {"department_name", opt_text("department_name")},
      {"active", r.integer("active") != 0},
      {"version", r.integer("version")},
      {"created_at", r.text("created_at")},
      {"updated_at", r.text("updated_at")},
      {"role_ids", json::array()},
      {"roles", json::array()}};
  const auto roles = connection.query(
      "SELECT r.id, r.code FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = ? ORDER BY r.id",
      {user_id});
  for (const auto& role : roles) {
    user["role_ids"].push_back(role.integer("id"));
    user["roles"].push_back(role.text("code"));
  }
  return user;
}

Expected<LoginResult> AuthService::login(const std::string& username, const std::string& password) {
  auto connection = database_.acquire();
  const std::string now = now_text();
  const std::string window_start = instant_after(-settings_.failure_window_seconds);
  {
    const auto attempts =
        connection->query("SELECT failures, window_started_at FROM login_attempts WHERE username = ?", {username});
    if (!attempts.empty() && attempts.front().text("window_started_at") > window_start &&
        attempts.front().integer("failures") >= settings_.max_failures) {
      return Error(Error::Code::too_many_requests, "too many failed logins for this user; try again in " +
                                                       std::to_string(settings_.failure_window_seconds / 60) +
                                                       " minutes");
    }
  }
  const auto rows = connection->query("SELECT id, password_hash, active FROM users WHERE username = ?", {username});
  bool ok = false;
  std::int64_t user_id = 0;
  if (rows.empty()) {
    // Spend the same time as a real check so the answer does not reveal which usernames exist.
    static const std::string dummy = hash_password("not-a-real-password");
    verify_password(dummy, password);
  } else {
    user_id = rows.front().integer("id");
    ok = verify_password(rows.front().text("password_hash"), password) && rows.front().integer("active") != 0;
  }
  if (!ok) {
    db::Transaction tx(*connection, true);
    connection->query(
        "INSERT INTO login_attempts (username, failures, window_started_at) VALUES (?, 1, ?) "
        "ON CONFLICT (username) DO UPDATE SET "
        "failures = CASE WHEN login_attempts.window_started_at > ? THEN login_attempts.failures + 1 ELSE 1 END, "
        "window_started_at = CASE WHEN login_attempts.window_started_at > ? THEN login_attempts.window_started_at "
        "ELSE excluded.window_started_at END",
        {username, now, window_start, window_start});
    tx.commit();
    return Error(Error::Code::unauthenticated, "wrong username or password");
  }
  LoginResult result;
  result.token = random_token();
  result.csrf_token = random_token();
  result.max_age_seconds = settings_.session_seconds;
  db::Transaction tx(*connection, true);
  connection->query("DELETE FROM login_attempts WHERE username = ?", {username});
  connection->query("DELETE FROM sessions WHERE user_id = ? AND expires_at < ?", {user_id, now});
  connection->query(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      {token_hash(result.token), user_id, result.csrf_token, now, instant_after(settings_.session_seconds)});
  tx.commit();
  result.user = user_json(*connection, user_id);
  return result;
}

void AuthService::logout(const std::string& token) {
  const auto hash = token_hash(token);
  auto connection = database_.acquire();
  connection->query("DELETE FROM sessions WHERE token_hash = ?", {hash});
  // Moving the generation (not only erasing the entry) also voids a principal
  // that a request read before the DELETE and caches after this erase.
  note_directory_change();
  std::unique_lock lock(cache_mutex_);
  cache_.erase(hash);
}

std::optional<std::string> AuthService::csrf_of(const std::string& token) {
  auto connection = database_.acquire();
  const auto rows = connection->query("SELECT csrf_token FROM sessions WHERE token_hash = ?", {token_hash(token)});
  if (rows.empty()) return std::nullopt;
  return rows.front().text(0);
}

namespace {
std::atomic<std::uint64_t> g_directory_generation{0};
}  // namespace

void note_directory_change() {
  g_directory_generation.fetch_add(1, std::memory_order_acq_rel);
}

std::uint64_t directory_generation() {
  return g_directory_generation.load(std::memory_order_acquire);
}

std::optional<Principal> AuthService::cached(const std::string& hash) {
  std::shared_lock lock(cache_mutex_);
  const auto it = cache_.find(hash);
  if (it == cache_.end()) return std::nullopt;
  const auto& entry = it->second;
  if (entry.generation != directory_generation() || std::chrono::steady_clock::now() >= entry.fresh_until ||
      now() >= entry.session_expires) {
    return std::nullopt;
  }
  return entry.principal;
}

Expected<Principal> AuthService::authenticate(const std::string& token) {
  const auto hash = token_hash(token);
  if (settings_.principal_cache_ms > 0) {
    if (auto principal = cached(hash)) return std::move(*principal);
  }
  // Read before the database: a change committed meanwhile moves it again.
  const auto generation = directory_generation();
  auto connection = database_.acquire();
  const auto rows = connection->query(
      "SELECT s.user_id, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
      {hash, now_text()});
  if (rows.empty()) return Error(Error::Code::unauthenticated, "log in first (the session is missing or expired)");
  auto principal = principal_of(*connection, rows.front().integer(0));
  const auto expires = parse_instant(rows.front().text(1));
  if (principal && expires && settings_.principal_cache_ms > 0) {
    std::unique_lock lock(cache_mutex_);
    if (cache_.size() >= 10000) cache_.clear();  // bounded; the next requests refill it
    cache_[hash] =
        Cached{*principal, *expires,
               std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.principal_cache_ms), generation};
  }
  return principal;
}

Expected<Principal> AuthService::principal_of(db::Connection& connection, std::int64_t user_id) {
  const auto users = connection.query(
      "SELECT u.id, u.username, u.display_name, u.department_id, d.path FROM users u "
      "LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = ?",
      {user_id});
  if (users.empty()) return Error(Error::Code::unauthenticated, "unknown user");
  const auto& u = users.front();
  Principal p;
  p.user_id = user_id;
  p.username = u.text("username");
  p.display_name = u.text("display_name");
  p.department_id = u.optional_integer("department_id");
  const auto roles = connection.query(
      "SELECT r.code, r.permissions, r.data_scope FROM user_roles ur JOIN roles r ON r.id = ur.role_id "
      "WHERE ur.user_id = ?",
      {user_id});
  for (const auto& role : roles) {
    p.roles.push_back(role.text("code"));
    for (auto& permission : split_words(role.text("permissions"))) p.permissions.insert(permission);
    const auto scope = parse_scope(role.text("data_scope")).value_or(DataScope::self);
    if (scope > p.scope) p.scope = scope;
  }
  if (p.scope == DataScope::department_tree && p.department_id) {
    const std::string prefix = u.text("path");
    std::string upper = prefix;
    upper.back() = '0';  // '/' + 1: every path below prefix sorts before it
    const auto tree = connection.query("SELECT id FROM departments WHERE path >= ? AND path < ? AND deleted_at IS NULL",
                                       {prefix, upper});
    for (const auto& row : tree) p.department_tree.push_back(row.integer(0));
  }
  return p;
}

std::optional<std::string> AuthService::bootstrap(const std::optional<std::string>& admin_password) {
  auto connection = database_.acquire();
  db::Transaction tx(*connection, true);
  const std::string now = now_text();
  for (const auto& role : kSeedRoles) {
    connection->query(
        "INSERT INTO roles (code, name, name_en, permissions, data_scope, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
        {role.code, role.name, role.name_en, role.permissions, role.scope, now, now});
  }
  std::optional<std::string> generated;
  const auto users = connection->query("SELECT count(*) FROM users");
  if (users.front().integer(0) == 0) {
    auto departments = connection->query("SELECT id FROM departments WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    std::int64_t root = 0;
    if (departments.empty()) {
      root = connection
                 ->query(
                     "INSERT INTO departments (name, parent_id, path, created_at, updated_at) "
                     "VALUES ('总部', NULL, '/', ?, ?) RETURNING id",
                     {now, now})
                 .front()
                 .integer(0);
      connection->query("UPDATE departments SET path = ? WHERE id = ?", {"/" + std::to_string(root) + "/", root});
    } else {
      root = departments.front().integer(0);
    }
    std::string password = admin_password.value_or("");
    if (password.empty()) {
      password = random_password();
      generated = password;
    }
    const auto admin_id = connection
                              ->query(
                                  "INSERT INTO users (username, password_hash, display_name, department_id, "
                                  "created_at, updated_at) VALUES ('admin', ?, '系统管理员', ?, ?, ?) RETURNING id",
                                  {hash_password(password), root, now, now})
                              .front()
                              .integer(0);
    connection->query("INSERT INTO user_roles (user_id, role_id) SELECT ?, id FROM roles WHERE code = 'admin'",
                      {admin_id});
  }
  tx.commit();
  return generated;
}

}  // namespace kam::auth
