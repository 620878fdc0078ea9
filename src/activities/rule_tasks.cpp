// Rule-raised tasks (see rule_tasks.hpp).
#include "activities/rule_tasks.hpp"

#include "accounts/pool.hpp"
#include "auth/audit.hpp"

namespace kam::activities {

nlohmann::json raise_rule_tasks(db::Connection& c, Instant at) {
  const auto days = accounts::pool::load_settings(c).recovery_days;
  const auto now = format_instant(at);
  auto before = [&](std::int64_t d) { return format_instant(at - std::chrono::hours(24 * d)); };
  db::Transaction tx(c, true);
  // Idle since longer than (tier days - warning days), not yet recovered: the
  // task is due when the recovery would take the account.
  const std::string idle = "coalesce(a.last_activity_at, a.owned_since, a.created_at)";
  const std::string tier_cut = "CASE a.tier WHEN 'A' THEN ? WHEN 'B' THEN ? WHEN 'C' THEN ? ELSE ? END";
  const auto pool = c.query(
      "INSERT INTO tasks (title, kind, owner_id, department_id, due_at, urgent, important, status, entity, entity_id, "
      "account_id, created_at, updated_at) "
      "SELECT '即将退回公海：' || a.name, 'pool_recovery', a.owner_id, a.department_id, ?, 1, 1, 'open', 'account', "
      "a.id, a.id, ?, ? FROM accounts a WHERE a.owner_id IS NOT NULL AND a.deleted_at IS NULL AND " +
          idle + " < " + tier_cut +
          " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.entity = 'account' AND t.entity_id = a.id "
          "AND t.kind = 'pool_recovery' AND t.status = 'open' AND t.deleted_at IS NULL) RETURNING id",
      {format_instant(at + std::chrono::hours(24 * kPoolWarningDays)), now, now, before(days.a - kPoolWarningDays),
       before(days.b - kPoolWarningDays), before(days.c - kPoolWarningDays), before(days.none - kPoolWarningDays)});
  // Contacts changed in the last 30 days keep the hourly scan short.
  const auto left = c.query(
      "INSERT INTO tasks (title, kind, owner_id, department_id, due_at, urgent, important, status, entity, entity_id, "
      "account_id, created_at, updated_at) "
      "SELECT '决策人离职：' || ct.name || '（' || a.name || '）', 'decision_maker_left', a.owner_id, a.department_id, "
      "?, 1, 1, 'open', 'contact', ct.id, a.id, ?, ? FROM contacts ct JOIN accounts a ON a.id = ct.account_id "
      "WHERE ct.buying_role = 'decision_maker' AND ct.status = 'left' AND ct.deleted_at IS NULL "
      "AND ct.updated_at >= ? AND a.owner_id IS NOT NULL AND a.deleted_at IS NULL "
      "AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.entity = 'contact' AND t.entity_id = ct.id "
      "AND t.kind = 'decision_maker_left' AND t.deleted_at IS NULL) RETURNING id",
      {format_instant(at + std::chrono::hours(24 * kPoolWarningDays)), now, now, before(30)});
  for (const auto& r : pool)
    auth::write_audit(c, std::nullopt, "task", r.integer(0), "create", nullptr, {{"rule", "pool_recovery"}});
  for (const auto& r : left)
    auth::write_audit(c, std::nullopt, "task", r.integer(0), "create", nullptr, {{"rule", "decision_maker_left"}});
  tx.commit();
  return {{"pool_recovery", pool.size()}, {"decision_maker_left", left.size()}};
}

Expected<nlohmann::json> run_rule_tasks(db::Connection& c, const auth::Principal& p) {
  if (!p.can("users.admin")) return Error::forbidden();
  return raise_rule_tasks(c, now());
}

void register_jobs(jobs::JobRunner& runner) {
  runner.add(
      kRuleTasksJob, std::chrono::hours(1),
      [](db::Database& database) {
        auto c = database.acquire();
        raise_rule_tasks(*c, now());
      },
      std::chrono::minutes(2));
}

}  // namespace kam::activities
