// Demo approvals for `kam demo`: a gift budget, and requests in every state
// (approved, waiting for the manager, escalated to the director over budget,
// waiting for finance, returned, a draft), filed through the real operations
// so their chains, trails and audit rows are what users would produce.
#include "approvals/approvals.hpp"
#include "auth/service.hpp"
#include "platform/core/clock.hpp"

namespace kam::approvals {

using nlohmann::json;

namespace {

std::int64_t user_id(db::Connection& c, const std::string& username) {
  const auto rows = c.query("SELECT id FROM users WHERE username = ?", {username});
  return rows.empty() ? 0 : rows.front().integer(0);
}

json ok(Expected<json> result, const char* what) {
  if (!result) throw std::runtime_error(std::string("demo approvals: ") + what + ": " + result.error().detail());
  return *result;
}

}  // namespace

void load_demo(db::Database& database, db::Connection& c) {
  const auto spec_id = user_id(c, "zheng.wei");
  const auto manager_id = user_id(c, "sun.east");
  const auto director_id = user_id(c, "zhao.zongjian");
  const auto finance_id = user_id(c, "wu.caiwu");
  if (!spec_id || !manager_id || !director_id || !finance_id) return;  // not the demo company
  auth::AuthService auth(database);
  auto principal = [&](std::int64_t id) {
    auto p = auth.principal_of(c, id);
    if (!p) throw std::runtime_error("demo approvals: no principal " + std::to_string(id));
    return *p;
  };
  const auto spec = principal(spec_id), manager = principal(manager_id), director = principal(director_id),
             finance = principal(finance_id);
  const auto accounts = c.query("SELECT id FROM accounts WHERE owner_id = ? ORDER BY id LIMIT 3", {spec_id});
  if (accounts.size() < 3) return;
  const auto a1 = accounts[0].integer(0), a2 = accounts[1].integer(0), a3 = accounts[2].integer(0);
  const std::string today = now_text().substr(0, 10);
  const auto quarter = periods_of(today).at(0).code;

  ok(create_budget(c, finance,
                   {{"account_id", a1},
                    {"kind", kGift},
                    {"period", quarter},
                    {"amount_fen", 300000},
                    {"notes", "本季度礼品预算"}}),
     "budget");
  auto gift = [&](std::int64_t account, const char* recipient, const char* title, const char* name, int quantity,
                  std::int64_t price, const char* occasion) {
    return ok(create_request(c, spec, kGift,
                             {{"account_id", account},
                              {"recipient_name", recipient},
                              {"recipient_title", title},
                              {"gift_name", name},
                              {"quantity", quantity},
                              {"unit_price_fen", price},
                              {"gift_date", today},
                              {"occasion", occasion}}),
              "gift");
  };
  auto step = [&](const auth::Principal& p, const json& r, Action action, const char* comment) {
    return ok(act(c, p, r["kind"].get<std::string>(), r["id"].get<std::int64_t>(), action,
                  comment ? json{{"comment", comment}} : json::object()),
              to_string(action));
  };
  // Approved: ¥1,360 of the ¥3,000 budget committed.
  auto approved = gift(a1, "王建国", "总经理", "碧螺春茶叶礼盒", 2, 68000, "年终客户答谢");
  step(spec, approved, Action::submit, nullptr);
  step(manager, approved, Action::approve, "同意");
  step(finance, approved, Action::approve, "费用合规");
  // Over the remaining ¥1,640: the director's step joins below ¥5,000.
  auto over = gift(a1, "李娜", "采购总监", "定制商务礼品套装", 4, 50000, "新产品发布会嘉宾礼品");
  step(spec, over, Action::submit, nullptr);
  step(manager, over, Action::approve, "超预算，请总监审批");
  // Waiting for the KA manager.
  auto waiting = gift(a2, "张伟", "技术部经理", "公司纪念品", 10, 8000, "技术交流会");
  step(spec, waiting, Action::submit, nullptr);
  // Returned for changes.
  auto returned = gift(a3, "刘强", "副总裁", "高档白酒", 2, 150000, "春节拜访");
  step(spec, returned, Action::submit, nullptr);
  step(manager, returned, Action::return_to_submitter, "请说明受礼人与本次合作的关系，并考虑降低单价");
  // A reception waiting for finance.
  auto reception = ok(create_request(c, spec, kReception,
                                     {{"account_id", a2},
                                      {"visitor_company", "客户考察团"},
                                      {"visitors", json::array({{{"name", "陈总"}, {"title", "总经理"}},
                                                                {{"name", "赵工"}, {"title", "总工程师"}}})},
                                      {"purpose", "参观生产基地并洽谈年度采购"},
                                      {"start_date", today},
                                      {"end_date", today},
                                      {"itinerary", "上午参观工厂，下午技术座谈，晚宴"},
                                      {"lodging", "园区酒店一晚"},
                                      {"meals", "工作午餐、欢迎晚宴"},
                                      {"transport", "公司专车接送"},
                                      {"hosts", "郑伟、孙经理"},
                                      {"budget_lines", json::array({{{"item", "住宿"}, {"amount_fen", 120000}},
                                                                    {{"item", "餐饮"}, {"amount_fen", 180000}},
                                                                    {{"item", "交通"}, {"amount_fen", 30000}}})}}),
                      "reception");
  step(spec, reception, Action::submit, nullptr);
  step(manager, reception, Action::approve, "同意接待");
  (void)director;
}

}  // namespace kam::approvals
