// Who is calling: the authenticated user with the permissions of all their
// roles and the widest data scope among them. Built once per request by the
// AuthService and passed to every module call; modules never look at
// sessions or cookies.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kam::auth {

// Ordered from narrowest to widest.
enum class DataScope { self = 0, department = 1, department_tree = 2, all = 3 };

const char* to_string(DataScope scope);
std::optional<DataScope> parse_scope(const std::string& text);

struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::optional<std::int64_t> department_id;
  std::set<std::string> permissions;
  std::vector<std::string> roles;  // role codes
  DataScope scope = DataScope::self;
  // Ids of the user's department and all departments below it; filled when
  // scope is department_tree.
  std::vector<std::int64_t> department_tree;
  bool via_cookie = false;  // authenticated by the session cookie (CSRF applies)

  bool can(const std::string& permission) const { return permissions.count(permission) > 0; }
};

// The permission keys the product knows. Roles are data built from these.
const std::vector<std::string>& known_permissions();

}  // namespace kam::auth
