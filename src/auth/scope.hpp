// Data scope (数据权限) in one place. Every query over owned records adds the
// clause from scope_clause(); every single-record check uses can_see(). A
// record outside the caller's scope is treated as not existing (404).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/principal.hpp"
#include "platform/db/database.hpp"

namespace kam::auth {

struct ScopeClause {
  std::string sql;  // a boolean SQL expression, e.g. "a.owner_id = ?"
  db::Params params;
};

// `alias` is the table alias whose owner_id / department_id columns apply.
ScopeClause scope_clause(const Principal& principal, std::string_view alias);

// Pure: may this principal see a record with this owner and department?
bool can_see(const Principal& principal, std::optional<std::int64_t> owner_id,
             std::optional<std::int64_t> department_id);

}  // namespace kam::auth
