// Demo activities for `kam demo`: for each specialist's first accounts, visits
// in the last two weeks with their follow-ups (done on time, done late, open,
// overdue), contact logs, and visit plans for the coming days - so the
// calendar, tasks, weekly report and timeline pages have something to show.
#include "activities/demo.hpp"

#include <string>
#include <vector>

#include "activities/activities.hpp"

namespace kam::activities {

void load_demo(db::Connection& c) {
  const auto base = now();
  auto at = [&](double days) {
    return format_instant(base + std::chrono::minutes(static_cast<std::int64_t>(days * 24 * 60)));
  };
  const auto reps = c.query(
      "SELECT u.id, u.department_id FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = "
      "ur.role_id WHERE r.code = 'specialist' AND u.department_id IS NOT NULL ORDER BY u.id");
  const std::vector<std::string> points = {"了解年度采购计划，确认预算与决策流程", "介绍新产品线，客户对交期关注",
                                           "技术交流，客户提出定制需求", "商务洽谈，讨论价格与付款方式"};
  const std::vector<std::string> views = {"价格偏高，希望看到成功案例", "认可质量，要求缩短交期", "希望提供样品试用",
                                          "需要总经理最终拍板"};
  db::Transaction tx(c, true);
  const auto created = now_text();
  int n = 0;
  for (const auto& rep : reps) {
    const auto owner = rep.integer(0);
    // Demo specialists always have a department.
    const std::int64_t dept = rep.integer(1);
    const auto accounts =
        c.query("SELECT id, name FROM accounts WHERE owner_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 4", {owner});
    for (const auto& account : accounts) {
      const auto id = account.integer(0);
      const double ago = 1 + (n % 12);  // days since the visit
      const auto visited = at(-ago);
      const auto visit = c.query(
                              "INSERT INTO visits (account_id, owner_id, department_id, occurred_at, place, method, "
                              "key_points, customer_views, next_steps, created_at, updated_at) VALUES (?, ?, ?, ?, ?, "
                              "'in_person', ?, ?, '一周内电话回访，发送案例资料', ?, ?) RETURNING id",
                              {id, owner, dept, visited, std::string("客户办公室"), points[n % points.size()],
                               views[n % views.size()], created, created})
                             .front()
                             .integer(0);
      // Follow-ups of visits older than a week are mostly done; one in three was late or is overdue.
      const bool due_passed = ago > kDefaultFollowUpDays;
      const bool done = due_passed ? n % 3 != 0 : n % 4 == 0;
      const auto due = at(-ago + kDefaultFollowUpDays);
      c.query(
          "INSERT INTO tasks (title, kind, owner_id, department_id, due_at, urgent, important, status, entity, "
          "entity_id, account_id, completed_at, follow_up_method, customer_opinion, created_by, created_at, "
          "updated_at) VALUES (?, 'follow_up', ?, ?, ?, 0, 1, ?, 'visit', ?, ?, ?, ?, ?, ?, ?, ?)",
          {"回访：" + account.text(1), owner, dept, due, std::string(done ? "done" : "open"), visit, id,
           done ? db::Value(at(-ago + 3)) : db::Value(nullptr),
           done ? db::Value(std::string("phone")) : db::Value(nullptr),
           done ? db::Value(std::string("资料已收到，下周安排样品测试")) : db::Value(nullptr), owner, created,
           created});
      c.query(
          "INSERT INTO contact_logs (account_id, owner_id, department_id, kind, occurred_at, content, result, "
          "next_step, created_at, updated_at) VALUES (?, ?, ?, 'call', ?, '电话确认拜访安排', '客户同意见面', "
          "'准备产品资料', ?, ?)",
          {id, owner, dept, at(-ago - 2), created, created});
      c.query(
          "INSERT INTO visit_plans (account_id, owner_id, department_id, planned_at, contacts_to_meet, purpose, "
          "materials, our_participants, expected_outcome, status, created_at, updated_at) VALUES (?, ?, ?, ?, "
          "'采购经理', '送样并讲解测试方案', '样品、检测报告、成功案例', '销售、技术支持', '确定试用', 'planned', ?, "
          "?)",
          {id, owner, dept, at(1 + (n % 6) + 0.4), created, created});
      c.query("UPDATE accounts SET last_activity_at = ? WHERE id = ?", {visited, id});
      ++n;
    }
  }
  tx.commit();
}

}  // namespace kam::activities
