// The audit log: every create, update and delete of a user-edited record
// writes who, when, entity, id, action, before and after - in the same
// transaction as the change, so there is never a change without its row.
//
// Reading the log of a record requires that the caller may see the record;
// each module registers a visibility check for its entity names.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::auth {

void write_audit(db::Connection& connection, std::optional<std::int64_t> user_id, const std::string& entity,
                 std::int64_t entity_id, const std::string& action, const nlohmann::json& before,
                 const nlohmann::json& after);

// Returns true when the principal may see that record (exists and in scope).
using VisibilityCheck = std::function<bool(db::Connection&, const Principal&, std::int64_t)>;

class AuditLog {
 public:
  void register_entity(const std::string& entity, VisibilityCheck check);
  // {items:[...], total}; not_found when the record is invisible to the caller.
  Expected<nlohmann::json> list(db::Connection& connection, const Principal& principal, const std::string& entity,
                                std::int64_t entity_id, int limit, int offset) const;

 private:
  std::map<std::string, VisibilityCheck> checks_;
};

}  // namespace kam::auth
