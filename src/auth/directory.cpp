#include "auth/directory.hpp"

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

#include "auth/audit.hpp"
#include "auth/crypto.hpp"
#include "auth/service.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/text.hpp"

namespace kam::auth {

namespace {

json opt(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json();
}
db::Value value_of(const std::optional<std::string>& v) {
  return v ? db::Value(*v) : db::Value(nullptr);
}
db::Value value_of(const std::optional<std::int64_t>& v) {
  return v ? db::Value(*v) : db::Value(nullptr);
}

Status require(const Principal& p, const std::string& permission) {
  if (!p.can(permission)) return Error::forbidden();
  return ok_status();
}

json department_json(const db::Row& r) {
  return {{"id", r.integer("id")},
          {"name", r.text("name")},
          {"parent_id", opt(r.optional_integer("parent_id"))},
          {"path", r.text("path")},
          {"version", r.integer("version")},
          {"created_at", r.text("created_at")},
          {"updated_at", r.text("updated_at")}};
}

std::optional<json> find_department(db::Connection& c, std::int64_t id) {
  const auto rows = c.query(
      "SELECT id, name, parent_id, path, version, created_at, updated_at FROM departments "
      "WHERE id = ? AND deleted_at IS NULL",
      {id});
  if (rows.empty()) return std::nullopt;
  return department_json(rows.front());
}

std::optional<std::int64_t> version_of(FieldReader& fields) {
  return fields.integer("version", true, 1);
}

json role_json(const db::Row& r) {
  json permissions = json::array();
  std::istringstream in(r.text("permissions"));
  for (std::string word; in >> word;) permissions.push_back(word);
  return {{"id", r.integer("id")},
          {"code", r.text("code")},
          {"name", r.text("name")},
          {"name_en", r.text("name_en")},
          {"permissions", permissions},
          {"data_scope", r.text("data_scope")},
          {"version", r.integer("version")},
          {"created_at", r.text("created_at")},
          {"updated_at", r.text("updated_at")}};
}

Status check_roles_exist(db::Connection& c, const std::vector<std::int64_t>& ids, FieldReader& fields) {
  for (const auto id : ids) {
    if (c.query("SELECT 1 FROM roles WHERE id = ?", {id}).empty()) {
      fields.fail("role_ids", "role " + std::to_string(id) + " does not exist");
    }
  }
  return ok_status();
}

void set_roles(db::Connection& c, std::int64_t user_id, const std::vector<std::int64_t>& ids) {
  c.query("DELETE FROM user_roles WHERE user_id = ?", {user_id});
  std::set<std::int64_t> unique(ids.begin(), ids.end());
  for (const auto id : unique) c.query("INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)", {user_id, id});
}

}  // namespace

std::optional<std::string> password_problem(const std::string& password) {
  if (text::length(password) < 12) return "must be at least 12 characters";
  if (password.size() > 1024) return "must be at most 1024 bytes";
  return std::nullopt;
}

// ---------------------------------------------------------------- departments

Expected<json> list_departments(db::Connection& c, const Principal&) {
  const auto rows = c.query(
      "SELECT id, name, parent_id, path, version, created_at, updated_at FROM departments "
      "WHERE deleted_at IS NULL ORDER BY path");
  json items = json::array();
  for (const auto& r : rows) items.push_back(department_json(r));
  const auto count = items.size();
  return json{{"items", std::move(items)}, {"total", count}};
}

Expected<json> get_department(db::Connection& c, const Principal&, std::int64_t id) {
  auto found = find_department(c, id);
  if (!found) return Error::not_found("department");
  return *found;
}

Expected<json> create_department(db::Connection& c, const Principal& p, const json& body) {
  if (auto s = require(p, "users.admin"); !s) return s.error();
  FieldReader fields(body);
  const auto name = fields.text("name", 100, true);
  const auto parent = fields.nullable_integer("parent_id");
  if (!fields.ok()) return fields.error();
  db::Transaction tx(c, true);
  std::string parent_path = "/";
  if (parent.second) {
    auto found = find_department(c, *parent.second);
    if (!found) return Error::invalid({{"parent_id", "department does not exist"}});
    parent_path = (*found)["path"].get<std::string>();
  }
  const std::string now = now_text();
  const auto id =
      c.query(
           "INSERT INTO departments (name, parent_id, path, created_at, updated_at) VALUES (?, ?, '/', ?, ?) "
           "RETURNING id",
           {*name.value, value_of(parent.second), now, now})
          .front()
          .integer(0);
  c.query("UPDATE departments SET path = ? WHERE id = ?", {parent_path + std::to_string(id) + "/", id});
  auto created = *find_department(c, id);
  write_audit(c, p.user_id, "department", id, "create", nullptr, created);
  tx.commit();
  note_directory_change();
  return created;
}

Expected<json> update_department(db::Connection& c, const Principal& p, std::int64_t id, const json& body) {
  if (auto s = require(p, "users.admin"); !s) return s.error();
  FieldReader fields(body);
  const auto version = version_of(fields);
  const auto name = fields.text("name", 100, fields.has("name"));
  const auto parent = fields.nullable_integer("parent_id");
  if (!fields.ok()) return fields.error();
  db::Transaction tx(c, true);
  auto before = find_department(c, id);
  if (!before) return Error::not_found("department");
  if ((*before)["version"].get<std::int64_t>() != *version) {
    return Error::conflict("the department was changed by someone else; reload and try again");
  }
  const std::string old_path = (*before)["path"];
  std::string new_path = old_path;
  std::int64_t parent_value = (*before)["parent_id"].is_null() ? 0 : (*before)["parent_id"].get<std::int64_t>();
  if (parent.first) {
    std::string parent_path = "/";
    if (parent.second) {
      auto found = find_department(c, *parent.second);
      if (!found) return Error::invalid({{"parent_id", "department does not exist"}});
      parent_path = (*found)["path"].get<std::string>();
      if (parent_path.rfind(old_path, 0) == 0) {
        return Error::invalid({{"parent_id", "a department cannot move below itself"}});
      }
    }
    parent_value = parent.second.value_or(0);
    new_path = parent_path + std::to_string(id) + "/";
  }
  c.query("UPDATE departments SET name = ?, parent_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
          {name.value ? *name.value : (*before)["name"].get<std::string>(),
           parent_value ? db::Value(parent_value) : db::Value(nullptr), now_text(), id});
  if (new_path != old_path) {
    std::string upper = old_path;
    upper.back() = '0';
    c.query("UPDATE departments SET path = ? || substr(path, CAST(? AS INTEGER)) WHERE path >= ? AND path < ?",
            {new_path, static_cast<std::int64_t>(old_path.size() + 1), old_path, upper});
  }
  auto after = *find_department(c, id);
  write_audit(c, p.user_id, "department", id, "update", *before, after);
  tx.commit();
  note_directory_change();
  return after;
}

Status delete_department(db::Connection& c, const Principal& p, std::int64_t id) {
  if (auto s = require(p, "users.admin"); !s) return s.error();
  db::Transaction tx(c, true);
  auto before = find_department(c, id);
  if (!before) return Error::not_found("department");
  if (!c.query("SELECT 1 FROM departments WHERE parent_id = ? AND deleted_at IS NULL LIMIT 1", {id}).empty()) {
    return Error::conflict("the department has sub-departments; move or delete them first");
  }
  if (!c.query("SELECT 1 FROM users WHERE department_id = ? AND active = 1 LIMIT 1", {id}).empty()) {
    return Error::conflict("the department still has users; move them first");
  }
  c.query("UPDATE departments SET deleted_at = ?, version = version + 1 WHERE id = ?", {now_text(), id});
  write_audit(c, p.user_id, "department", id, "delete", *before, nullptr);
  tx.commit();
  note_directory_change();
  return ok_status();
}

// ---------------------------------------------------------------------- users

Expected<json> list_users(db::Connection& c, const Principal& p, const Page& page) {
  if (!p.can("users.read") && !p.can("users.admin")) return Error::forbidden();
  std::string where = "1 = 1";
  db::Params params;
  if (!page.q.empty()) {
    where = "(instr(lower(username), ?) > 0 OR instr(display_name, ?) > 0)";
    std::string lowered = text::normalize_for_search(page.q);
    params = {lowered, page.q};
  }
  const auto total = c.query("SELECT count(*) FROM users WHERE " + where, params).front().integer(0);
  auto list_params = params;
  list_params.emplace_back(static_cast<std::int64_t>(page.limit));
  list_params.emplace_back(static_cast<std::int64_t>(page.offset));
  const auto rows = c.query("SELECT id FROM users WHERE " + where + " ORDER BY id LIMIT ? OFFSET ?", list_params);
  json items = json::array();
  for (const auto& r : rows) items.push_back(user_json(c, r.integer(0)));
  return json{{"items", std::move(items)}, {"total", total}};
}

Expected<json> get_user(db::Connection& c, const Principal& p, std::int64_t id) {
  if (!p.can("users.read") && !p.can("users.admin") && p.user_id != id) return Error::not_found("user");
  auto user = user_json(c, id);
  if (user.is_null()) return Error::not_found("user");
  return user;
}

Expected<json> create_user(db::Connection& c, const Principal& p, const json& body) {
  if (auto s = require(p, "users.admin"); !s) return s.error();
  FieldReader fields(body);
  const auto username = fields.text("username", 64, true);
  const auto display_name = fields.text("display_name", 100, true);
  const auto email = fields.text("email", 200);
  const auto phone = fields.text("phone", 50);
  const auto department_id = fields.integer("department_id", true, 1);
  const auto role_ids = fields.integer_list("role_ids");
  std::string password;
  if (!body.contains("password") || !body["password"].is_string()) {
    fields.fail("password", "is required");
  } else {
    password = body["password"].get<std::string>();
    if (auto problem = password_problem(password)) fields.fail("password", *problem);
  }
  static const std::regex username_pattern("^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$");
  if (username.value && !std::regex_match(*username.value, username_pattern)) {
    fields.fail("username", "use 2-64 letters, digits, dot, underscore or hyphen");
  }
  if (department_id && !find_department(c, *department_id)) fields.fail("department_id", "department does not exist");
  if (role_ids) (void)check_roles_exist(c, *role_ids, fields);
  if (!fields.ok()) return fields.error();
  const std::string hash = hash_password(password);  // slow: outside the transaction
  db::Transaction tx(c, true);
  const std::string now = now_text();
  std::int64_t id = 0;
  try {
    id = c.query(
              "INSERT INTO users (username, password_hash, display_name, email, phone, department_id, created_at, "
              "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
              {*username.value, hash, *display_name.value, value_of(email.value), value_of(phone.value), *department_id,
               now, now})
             .front()
             .integer(0);
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique_violation) return Error::conflict("the username is already taken");
    throw;
  }
  if (role_ids) set_roles(c, id, *role_ids);
  auto created = user_json(c, id);
  write_audit(c, p.user_id, "user", id, "create", nullptr, created);
  tx.commit();
  note_directory_change();
  return created;
}

Expected<json> update_user(db::Connection& c, const Principal& p, std::int64_t id, const json& body) {
  if (auto s = require(p, "users.admin"); !s) return s.error();
  FieldReader fields(body);
  const auto version = version_of(fields);
  const auto display_name = fields.text("display_name", 100, fields.has("display_name"));
  const auto email = fields.text("email", 200);
  const auto phone = fields.text("phone", 50);
  const auto department_id = fields.integer("department_id", false, 1);
  const auto role_ids = fields.integer_list("role_ids");
  const auto active = fields.boolean("active");
  std::optional<std::string> password;
  if (body.contains("password") && !body["password"].is_null()) {
    if (!body["password"].is_string()) {
      fields.fail("password", "must be a string");
    } else {
      password = body["password"].get<std::string>();
      if (auto problem = password_problem(*password)) fields.fail("password", *problem);
    }
  }
  if (department_id && !find_department(c, *department_id)) fields.fail("department_id", "department does not exist");
  if (role_ids) (void)check_roles_exist(c, *role_ids, fields);
  if (active && !*active && id == p.user_id) fields.fail("active", "you cannot deactivate yourself");
  if (!fields.ok()) return fields.error();
  const std::optional<std::string> hash = password ? std::optional(hash_password(*password)) : std::nullopt;
  db::Transaction tx(c, true);
  auto before = user_json(c, id);
  if (before.is_null()) return Error::not_found("user");
  if (before["version"].get<std::int64_t>() != *version) {
    return Error::conflict("the user was changed by someone else; reload and try again");
  }
  auto keep_text = [&](const TextChange& change, const char* field) -> db::Value {
    if (!change.present)
      return before[field].is_null() ? db::Value(nullptr) : db::Value(before[field].get<std::string>());
    return value_of(change.value);
  };
  c.query(
      "UPDATE users SET display_name = ?, email = ?, phone = ?, department_id = ?, active = ?, version = version + 1, "
      "updated_at = ? WHERE id = ?",
      {display_name.value ? *display_name.value : before["display_name"].get<std::string>(), keep_text(email, "email"),
       keep_text(phone, "phone"),
       department_id ? db::Value(*department_id)
                     : (before["department_id"].is_null() ? db::Value(nullptr)
                                                          : db::Value(before["department_id"].get<std::int64_t>())),
       static_cast<std::int64_t>(active.value_or(before["active"].get<bool>()) ? 1 : 0), now_text(), id});
  if (hash) {
    c.query("UPDATE users SET password_hash = ? WHERE id = ?", {*hash, id});
    c.query("DELETE FROM sessions WHERE user_id = ?", {id});
  }
  if (active && !*active) c.query("DELETE FROM sessions WHERE user_id = ?", {id});
  if (role_ids) set_roles(c, id, *role_ids);
  auto after = user_json(c, id);
  json audit_after = after;
  if (hash) audit_after["password_changed"] = true;
  write_audit(c, p.user_id, "user", id, "update", before, audit_after);
  tx.commit();
  note_directory_change();
  return after;
}

// ---------------------------------------------------------------------- roles

Expected<json> list_roles(db::Connection& c, const Principal&) {
  const auto rows = c.query(
      "SELECT id, code, name, name_en, permissions, data_scope, version, created_at, updated_at FROM roles ORDER BY "
      "id");
  json items = json::array();
  for (const auto& r : rows) items.push_back(role_json(r));
  const auto count = items.size();
  return json{{"items", std::move(items)}, {"total", count}};
}

namespace {
std::optional<std::string> read_permissions(const json& body, FieldReader& fields) {
  if (!body.contains("permissions")) return std::nullopt;
  if (!body["permissions"].is_array()) {
    fields.fail("permissions", "must be a list of permission keys");
    return std::nullopt;
  }
  std::set<std::string> keys;
  const auto& known = known_permissions();
  for (const auto& item : body["permissions"]) {
    if (!item.is_string() || std::find(known.begin(), known.end(), item.get<std::string>()) == known.end()) {
      fields.fail("permissions", "unknown permission: " + item.dump());
      return std::nullopt;
    }
    keys.insert(item.get<std::string>());
  }
  std::string joined;
  for (const auto& k : keys) joined += (joined.empty() ? "" : " ") + k;
  return joined;
}

std::optional<std::string> read_scope(FieldReader& fields, bool required) {
  const auto scope = fields.text("data_scope", 20, required);
  if (scope.value && !parse_scope(*scope.value)) {
    fields.fail("data_scope", "must be one of self, department, department_tree, all");
    return std::nullopt;
  }
  return scope.value;
}

std::optional<json> find_role(db::Connection& c, std::int64_t id) {
  const auto rows = c.query(
      "SELECT id, code, name, name_en, permissions, data_scope, version, created_at, updated_at FROM roles WHERE id = "
      "?",
      {id});
  if (rows.empty()) return std::nullopt;
  return role_json(rows.front());
}
}  // namespace

Expected<json> create_role(db::Connection& c, const Principal& p, const json& body) {
  if (auto s = require(p, "users.admin"); !s) return s.error();
  FieldReader fields(body);
  const auto code = fields.text("code", 50, true);
  const auto name = fields.text("name", 100, true);
  const auto name_en = fields.text("name_en", 100);
  const auto permissions = read_permissions(body, fields);
  const auto scope = read_scope(fields, true);
  if (!fields.ok()) return fields.error();
  db::Transaction tx(c, true);
  const std::string now = now_text();
  std::int64_t id = 0;
  try {
    id = c.query(
              "INSERT INTO roles (code, name, name_en, permissions, data_scope, created_at, updated_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
              {*code.value, *name.value, name_en.value.value_or(*name.value), permissions.value_or(""), *scope, now,
               now})
             .front()
             .integer(0);
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique_violation) return Error::conflict("a role with this code exists");
    throw;
  }
  auto created = *find_role(c, id);
  write_audit(c, p.user_id, "role", id, "create", nullptr, created);
  tx.commit();
  note_directory_change();
  return created;
}

Expected<json> update_role(db::Connection& c, const Principal& p, std::int64_t id, const json& body) {
  if (auto s = require(p, "users.admin"); !s) return s.error();
  FieldReader fields(body);
  const auto version = version_of(fields);
  const auto name = fields.text("name", 100, fields.has("name"));
  const auto name_en = fields.text("name_en", 100, fields.has("name_en"));
  const auto permissions = read_permissions(body, fields);
  const auto scope = read_scope(fields, false);
  if (!fields.ok()) return fields.error();
  db::Transaction tx(c, true);
  auto before = find_role(c, id);
  if (!before) return Error::not_found("role");
  if ((*before)["version"].get<std::int64_t>() != *version) {
    return Error::conflict("the role was changed by someone else; reload and try again");
  }
  std::string old_permissions;
  for (const auto& k : (*before)["permissions"])
    old_permissions += (old_permissions.empty() ? "" : " ") + k.get<std::string>();
  c.query(
      "UPDATE roles SET name = ?, name_en = ?, permissions = ?, data_scope = ?, version = version + 1, updated_at = ? "
      "WHERE id = ?",
      {name.value.value_or((*before)["name"].get<std::string>()),
       name_en.value.value_or((*before)["name_en"].get<std::string>()), permissions.value_or(old_permissions),
       scope.value_or((*before)["data_scope"].get<std::string>()), now_text(), id});
  auto after = *find_role(c, id);
  write_audit(c, p.user_id, "role", id, "update", *before, after);
  tx.commit();
  note_directory_change();
  return after;
}

}  // namespace kam::auth
