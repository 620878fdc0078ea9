// The organisation directory: departments (a tree), users and roles. Each
// function checks the caller's permission, validates input, writes the
// change and its audit row in one transaction, and returns the resource as
// the API shows it. Called by auth/api.cpp; owns tables departments, users,
// user_roles and roles.
#pragma once

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::auth {

using nlohmann::json;

struct Page {
  std::string q;
  int limit = 50;
  int offset = 0;
};

// Departments
Expected<json> list_departments(db::Connection& c, const Principal& p);
Expected<json> get_department(db::Connection& c, const Principal& p, std::int64_t id);
Expected<json> create_department(db::Connection& c, const Principal& p, const json& body);
Expected<json> update_department(db::Connection& c, const Principal& p, std::int64_t id, const json& body);
Status delete_department(db::Connection& c, const Principal& p, std::int64_t id);

// Users
Expected<json> list_users(db::Connection& c, const Principal& p, const Page& page);
Expected<json> get_user(db::Connection& c, const Principal& p, std::int64_t id);
Expected<json> create_user(db::Connection& c, const Principal& p, const json& body);
Expected<json> update_user(db::Connection& c, const Principal& p, std::int64_t id, const json& body);

// Roles
Expected<json> list_roles(db::Connection& c, const Principal& p);
Expected<json> create_role(db::Connection& c, const Principal& p, const json& body);
Expected<json> update_role(db::Connection& c, const Principal& p, std::int64_t id, const json& body);

// Password rule (pure): at least 12 characters.
std::optional<std::string> password_problem(const std::string& password);

}  // namespace kam::auth
