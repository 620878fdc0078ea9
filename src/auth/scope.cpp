#include "auth/scope.hpp"

#include <algorithm>

namespace kam::auth {

const char* to_string(DataScope scope) {
  switch (scope) {
    case DataScope::self:
      return "self";
    case DataScope::department:
      return "department";
    case DataScope::department_tree:
      return "department_tree";
    case DataScope::all:
      return "all";
  }
  return "self";
}

std::optional<DataScope> parse_scope(const std::string& text) {
  if (text == "self") return DataScope::self;
  if (text == "department") return DataScope::department;
  if (text == "department_tree") return DataScope::department_tree;
  if (text == "all") return DataScope::all;
  return std::nullopt;
}

const std::vector<std::string>& known_permissions() {
  static const std::vector<std::string> permissions = {
      "accounts.read",
      "accounts.write",
      "accounts.delete",
      "accounts.transfer",
      "accounts.import",
      "accounts.export",
      "users.read",
      "users.admin",
      "audit.read",
      // pipeline (issue 4)
      "opportunities.read",
      "opportunities.write",
      "opportunities.override",
      "pipeline.admin",
      // visits, contact logs, tasks, weekly reports, events (issue 5)
      "activities.read",
      "activities.write",
      "reports.review",
      // gift and reception requests, approval chains, budgets (issue 6)
      "requests.read",
      "requests.write",
      "approvals.admin",
      "budgets.admin",
  };
  return permissions;
}

ScopeClause scope_clause(const Principal& principal, std::string_view alias) {
  const std::string a(alias);
  const std::int64_t dept = principal.department_id.value_or(-1);
  switch (principal.scope) {
    case DataScope::all:
      return {"1 = 1", {}};
    case DataScope::department:
      return {"(" + a + ".owner_id = ? OR " + a + ".department_id = ?)", {principal.user_id, dept}};
    case DataScope::department_tree: {
      std::string sql = "(" + a + ".owner_id = ? OR " + a + ".department_id IN (";
      db::Params params{principal.user_id};
      if (principal.department_tree.empty()) {
        sql += "?";
        params.emplace_back(dept);
      }
      for (std::size_t i = 0; i < principal.department_tree.size(); ++i) {
        sql += i ? ",?" : "?";
        params.emplace_back(principal.department_tree[i]);
      }
      return {sql + "))", std::move(params)};
    }
    case DataScope::self:
      break;
  }
  return {a + ".owner_id = ?", {principal.user_id}};
}

bool can_see(const Principal& principal, std::optional<std::int64_t> owner_id,
             std::optional<std::int64_t> department_id) {
  if (principal.scope == DataScope::all) return true;
  if (owner_id && *owner_id == principal.user_id) return true;
  if (!department_id) return false;
  switch (principal.scope) {
    case DataScope::department:
      return principal.department_id && *principal.department_id == *department_id;
    case DataScope::department_tree:
      return std::find(principal.department_tree.begin(), principal.department_tree.end(), *department_id) !=
             principal.department_tree.end();
    default:
      return false;
  }
}

}  // namespace kam::auth
