#include "accounts/relationship.hpp"

#include "auth/audit.hpp"
#include "platform/core/clock.hpp"

namespace kam::accounts {

std::optional<std::string> relationship_stage(db::Connection& c, std::int64_t account_id) {
  const auto rows =
      c.query("SELECT relationship_stage FROM accounts WHERE id = ? AND deleted_at IS NULL", {account_id});
  if (rows.empty()) return std::nullopt;
  return rows.front().text(0);
}

bool fall_back_relationship(db::Connection& c, std::int64_t user_id, std::int64_t account_id,
                            const std::string& reason) {
  const auto before =
      c.query("SELECT relationship_stage, version FROM accounts WHERE id = ? AND deleted_at IS NULL", {account_id});
  if (before.empty() || before.front().text(0) == kEstablish) return false;
  const auto changed = c.query(
      "UPDATE accounts SET relationship_stage = ?, version = version + 1, updated_at = ? "
      "WHERE id = ? AND relationship_stage <> ? AND deleted_at IS NULL RETURNING version",
      {std::string(kEstablish), now_text(), account_id, std::string(kEstablish)});
  if (changed.empty()) return false;
  auth::write_audit(c, user_id, "account", account_id, "update",
                    {{"relationship_stage", before.front().text(0)}, {"version", before.front().integer(1)}},
                    {{"relationship_stage", kEstablish}, {"version", changed.front().integer(0)}, {"reason", reason}});
  record_relationship_change(c, user_id, account_id, before.front().text(0), kEstablish, reason);
  return true;
}

void record_relationship_change(db::Connection& c, std::int64_t user_id, std::int64_t account_id,
                                const std::string& from, const std::string& to, const std::string& reason) {
  c.query(
      "INSERT INTO relationship_stage_changes (account_id, from_stage, to_stage, reason, changed_by, occurred_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {account_id, from, to, reason, user_id, now_text()});
}

}  // namespace kam::accounts
