// Approvals against both back ends: chain resolution (chain × amount × role),
// the actions and who may take them, return and resubmit, withdraw, budgets
// and over-budget escalation, immutability after a decision, chain edits,
// the cost of development, and a parallel-approve race.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "accounts/accounts.hpp"
#include "approvals/approvals.hpp"
#include "testing/test_database.hpp"

namespace kam::approvals {
namespace {

using nlohmann::json;
using Code = Error::Code;

class ApprovalsStoreTest : public testdb::BootstrappedTest {
 protected:
  int pool_size() const override { return 12; }

  void SetUp() override {
    BootstrappedTest::SetUp();
    if (!ready()) return;
    root_ = org().root_department();
    east_ = org().department("华东大客户部", root_);
    team_ = org().department("苏州组", east_);
    spec_ = org().member("spec", team_, {"specialist"});
    peer_ = org().member("peer", team_, {"specialist"});
    manager_ = org().member("manager_east", east_, {"manager"});
    manager2_ = org().member("manager_east2", east_, {"manager"});
    director_ = org().member("director", root_, {"director"});
    finance_ = org().member("finance", root_, {"finance"});
    admin_ = org().admin();
    account_ = account_of(spec_, "苏州精密机械有限公司");
  }

  std::int64_t account_of(const auth::Principal& p, const std::string& name) {
    auto c = database().acquire();
    auto created = accounts::create_account(*c, p, *accounts::read_input({{"name", name}}, true));
    if (!created) throw std::runtime_error(created.error().detail());
    return created->id;
  }

  json gift_body(std::int64_t unit_price_fen, std::int64_t quantity = 1) {
    return {{"account_id", account_},    {"recipient_name", "王建国"}, {"recipient_title", "总经理"},
            {"gift_name", "茶叶礼盒"},   {"quantity", quantity},       {"unit_price_fen", unit_price_fen},
            {"gift_date", "2026-11-20"}, {"occasion", "年终拜访"}};
  }

  json create_gift(const auth::Principal& p, const json& body) {
    auto c = database().acquire();
    auto created = create_request(*c, p, kGift, body);
    if (!created) throw std::runtime_error("create_request: " + created.error().detail());
    return *created;
  }

  Expected<json> do_act(const auth::Principal& p, const json& request, Action action, json body = json::object()) {
    auto c = database().acquire();
    return act(*c, p, request["kind"].get<std::string>(), request["id"].get<std::int64_t>(), action, body);
  }

  json must(Expected<json> result, const std::string& what) {
    if (!result) throw std::runtime_error(what + ": " + result.error().detail());
    return *result;
  }

  json submitted_gift(const auth::Principal& p, std::int64_t total_fen) {
    auto g = create_gift(p, gift_body(total_fen));
    return must(do_act(p, g, Action::submit), "submit");
  }

  // The approver user ids of each step.
  static std::vector<std::vector<std::int64_t>> approvers(const json& request) {
    std::vector<std::vector<std::int64_t>> out;
    for (const auto& step : request["steps"]) {
      std::vector<std::int64_t> ids;
      for (const auto& a : step["approvers"]) ids.push_back(a["id"].get<std::int64_t>());
      out.push_back(ids);
    }
    return out;
  }

  std::int64_t audit_count(std::int64_t id, const std::string& action) {
    auto c = database().acquire();
    return c
        ->query("SELECT count(*) FROM audit_log WHERE entity = 'approval_request' AND entity_id = ? AND action = ?",
                {id, action})
        .front()
        .integer(0);
  }

  std::int64_t root_ = 0, east_ = 0, team_ = 0, account_ = 0;
  auth::Principal spec_, peer_, manager_, manager2_, director_, finance_, admin_;
};

TEST_P(ApprovalsStoreTest, ChainByAmountAndSubmitterRole) {
  if (!ready()) return;
  const auto m = manager_.user_id, m2 = manager2_.user_id, d = director_.user_id, f = finance_.user_id,
             a = admin_.user_id;
  const auto manager_account = account_of(manager_, "经理的客户");
  const auto director_account = account_of(director_, "总监的客户");
  struct Case {
    const char* who;
    const auth::Principal* submitter;
    std::int64_t account;
    std::int64_t total;
    std::vector<std::vector<std::int64_t>> expected;
  };
  const std::vector<Case> cases = {
      // A specialist: the managers of the nearest department that has one (east, above the team).
      {"specialist small", &spec_, account_, 10000, {{m, m2}, {f}}},
      {"specialist at threshold", &spec_, account_, 500000, {{m, m2}, {f}}},
      {"specialist above threshold", &spec_, account_, 500001, {{m, m2}, {d}, {f}}},
      // A manager never approves their own: the other manager of east does.
      {"manager small", &manager_, manager_account, 10000, {{m2}, {f}}},
      {"manager large", &manager_, manager_account, 900000, {{m2}, {d}, {f}}},
      // The director: no manager up the tree, no other director → the admin.
      {"director small", &director_, director_account, 10000, {{a}, {f}}},
      {"director large", &director_, director_account, 900000, {{a}, {a}, {f}}},
  };
  for (const auto& c : cases) {
    auto body = gift_body(c.total);
    body["account_id"] = c.account;
    auto g = create_gift(*c.submitter, body);
    EXPECT_EQ(approvers(g), c.expected) << c.who << " (preview)";
    for (const auto& step : g["steps"]) EXPECT_EQ(step["status"], "preview") << c.who;
    auto submitted = must(do_act(*c.submitter, g, Action::submit), c.who);
    EXPECT_EQ(submitted["status"], "pending") << c.who;
    EXPECT_EQ(submitted["current_step"], 1) << c.who;
    EXPECT_EQ(approvers(submitted), c.expected) << c.who;
    EXPECT_EQ(submitted["steps"][0]["status"], "pending") << c.who;
    if (submitted["steps"].size() > 1) {
      EXPECT_EQ(submitted["steps"][1]["status"], "waiting") << c.who;
    }
  }
}

TEST_P(ApprovalsStoreTest, FullChainApprovesWithTrailAndAudit) {
  if (!ready()) return;
  auto g = submitted_gift(spec_, 600000);
  ASSERT_EQ(g["steps"].size(), 3u);
  EXPECT_EQ(g["actions"], json::array({"withdraw"}));
  // The approver sees it and may decide; the director may not yet (step 2 waits).
  {
    auto c = database().acquire();
    auto seen = get_request(*c, manager_, kGift, g["id"]);
    ASSERT_TRUE(seen);
    EXPECT_EQ((*seen)["actions"], json::array({"approve", "reject", "return"}));
  }
  auto early = do_act(director_, g, Action::approve);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code(), Code::forbidden);
  auto step1 = must(do_act(manager_, g, Action::approve, {{"comment", "同意"}}), "manager approves");
  EXPECT_EQ(step1["status"], "pending");
  EXPECT_EQ(step1["current_step"], 2);
  EXPECT_EQ(step1["steps"][0]["status"], "approved");
  EXPECT_EQ(step1["steps"][0]["decided_by"], manager_.user_id);
  EXPECT_EQ(step1["steps"][0]["comment"], "同意");
  EXPECT_EQ(step1["steps"][1]["status"], "pending");
  auto step2 = must(do_act(director_, g, Action::approve), "director approves");
  EXPECT_EQ(step2["current_step"], 3);
  auto done = must(do_act(finance_, g, Action::approve, {{"comment", "已核"}}), "finance approves");
  EXPECT_EQ(done["status"], "approved");
  EXPECT_FALSE(done["decided_at"].is_null());
  ASSERT_EQ(done["trail"].size(), 4u);
  EXPECT_EQ(done["trail"][0]["action"], "submit");
  EXPECT_EQ(done["trail"][3]["action"], "approve");
  EXPECT_EQ(done["trail"][3]["user_id"], finance_.user_id);
  const auto id = g["id"].get<std::int64_t>();
  EXPECT_EQ(audit_count(id, "create"), 1);
  EXPECT_EQ(audit_count(id, "submit"), 1);
  EXPECT_EQ(audit_count(id, "approve"), 3);
}

TEST_P(ApprovalsStoreTest, SelfApprovalWrongApproverAndScope) {
  if (!ready()) return;
  // A manager's own request waits for the other manager; they cannot act on it.
  auto body = gift_body(10000);
  body["account_id"] = account_of(manager_, "经理客户");
  auto own = create_gift(manager_, body);
  own = must(do_act(manager_, own, Action::submit), "submit");
  auto self = do_act(manager_, own, Action::approve);
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code(), Code::forbidden);
  must(do_act(manager2_, own, Action::approve), "other manager approves");

  auto g = submitted_gift(spec_, 10000);
  // Finance sees everything but is not the approver of step 1.
  auto wrong = do_act(finance_, g, Action::approve);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code(), Code::forbidden);
  // A peer specialist cannot even see it.
  auto peer = do_act(peer_, g, Action::approve);
  ASSERT_FALSE(peer);
  EXPECT_EQ(peer.error().code(), Code::not_found);
  auto c = database().acquire();
  auto read = get_request(*c, peer_, kGift, g["id"]);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), Code::not_found);
  auto list = list_requests(*c, peer_, kGift, {});
  ASSERT_TRUE(list);
  EXPECT_EQ((*list)["total"], 0);
  // The submitter cannot approve their own, nor can a non-submitter submit or withdraw.
  auto own_approve = do_act(spec_, g, Action::approve);
  ASSERT_FALSE(own_approve);
  EXPECT_EQ(own_approve.error().code(), Code::forbidden);
  auto foreign_withdraw = do_act(manager_, g, Action::withdraw);
  ASSERT_FALSE(foreign_withdraw);
  EXPECT_EQ(foreign_withdraw.error().code(), Code::forbidden);
  // A gift request is not a reception request.
  auto other_kind = get_request(*c, spec_, kReception, g["id"]);
  ASSERT_FALSE(other_kind);
  EXPECT_EQ(other_kind.error().code(), Code::not_found);
}

TEST_P(ApprovalsStoreTest, ReturnEditAndResubmitStartsANewRound) {
  if (!ready()) return;
  auto g = submitted_gift(spec_, 10000);
  auto no_comment = do_act(manager_, g, Action::return_to_submitter);
  ASSERT_FALSE(no_comment);
  EXPECT_EQ(no_comment.error().code(), Code::invalid);
  auto returned = must(do_act(manager_, g, Action::return_to_submitter, {{"comment", "请补充受礼人职务"}}), "return");
  EXPECT_EQ(returned["status"], "returned");
  EXPECT_EQ(returned["actions"].size(), 0u);  // the manager has nothing more to do
  auto c = database().acquire();
  // Pending requests cannot be edited, returned ones can (by the submitter only).
  auto by_manager = update_request(*c, manager_, kGift, g["id"], returned["version"], {{"quantity", 2}});
  ASSERT_FALSE(by_manager);
  EXPECT_EQ(by_manager.error().code(), Code::forbidden);
  auto edited = update_request(*c, spec_, kGift, g["id"], returned["version"], {{"quantity", 3}});
  ASSERT_TRUE(edited) << edited.error().detail();
  EXPECT_EQ((*edited)["total_fen"], 30000);
  auto stale = update_request(*c, spec_, kGift, g["id"], returned["version"], {{"quantity", 4}});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code(), Code::conflict);
  auto again = must(do_act(spec_, *edited, Action::submit), "resubmit");
  EXPECT_EQ(again["status"], "pending");
  EXPECT_EQ(again["round"], 2);
  EXPECT_EQ(again["current_step"], 1);
  EXPECT_EQ(again["steps"][0]["status"], "pending");
  auto pending_edit = update_request(*c, spec_, kGift, g["id"], again["version"], {{"quantity", 5}});
  ASSERT_FALSE(pending_edit);
  EXPECT_EQ(pending_edit.error().code(), Code::conflict);
  ASSERT_EQ(again["trail"].size(), 3u);
  EXPECT_EQ(again["trail"][1]["action"], "return");
  EXPECT_EQ(again["trail"][1]["comment"], "请补充受礼人职务");
}

TEST_P(ApprovalsStoreTest, WithdrawWhilePendingThenImmutable) {
  if (!ready()) return;
  auto g = submitted_gift(spec_, 10000);
  must(do_act(manager_, g, Action::approve), "approve step 1");
  auto withdrawn = must(do_act(spec_, g, Action::withdraw, {{"comment", "客户取消"}}), "withdraw");
  EXPECT_EQ(withdrawn["status"], "withdrawn");
  EXPECT_EQ(withdrawn["steps"][1]["status"], "withdrawn");
  for (auto action : {Action::submit, Action::withdraw}) {
    auto r = do_act(spec_, g, action);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), Code::conflict) << to_string(action);
  }
  auto late = do_act(finance_, g, Action::approve);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), Code::conflict);
  auto c = database().acquire();
  auto edit = update_request(*c, spec_, kGift, g["id"], withdrawn["version"], {{"quantity", 2}});
  ASSERT_FALSE(edit);
  EXPECT_EQ(edit.error().code(), Code::conflict);
}

TEST_P(ApprovalsStoreTest, DecidedRequestsAreImmutable) {
  if (!ready()) return;
  auto rejected = submitted_gift(spec_, 10000);
  rejected = must(do_act(manager_, rejected, Action::reject, {{"comment", "不符合规定"}}), "reject");
  EXPECT_EQ(rejected["status"], "rejected");
  auto approved = submitted_gift(spec_, 10000);
  must(do_act(manager_, approved, Action::approve), "approve 1");
  approved = must(do_act(finance_, approved, Action::approve), "approve 2");
  EXPECT_EQ(approved["status"], "approved");
  auto c = database().acquire();
  for (const auto& r : {rejected, approved}) {
    for (auto action : {Action::submit, Action::withdraw}) {
      auto x = do_act(spec_, r, action);
      ASSERT_FALSE(x);
      EXPECT_EQ(x.error().code(), Code::conflict);
    }
    for (auto action : {Action::approve, Action::reject, Action::return_to_submitter}) {
      auto x = do_act(finance_, r, action, {{"comment", "x"}});
      ASSERT_FALSE(x);
      EXPECT_EQ(x.error().code(), Code::conflict);
    }
    auto edit = update_request(*c, spec_, kGift, r["id"], r["version"], {{"occasion", "改"}});
    ASSERT_FALSE(edit);
    EXPECT_EQ(edit.error().code(), Code::conflict);
  }
}

TEST_P(ApprovalsStoreTest, OverBudgetAddsTheDirectorBelowTheThreshold) {
  if (!ready()) return;
  auto c = database().acquire();
  auto budget = create_budget(
      *c, finance_, {{"account_id", account_}, {"kind", "gift"}, {"period", "2026-Q4"}, {"amount_fen", 100000}});
  ASSERT_TRUE(budget) << budget.error().detail();
  EXPECT_EQ((*budget)["remaining_fen"], 100000);
  auto duplicate = create_budget(
      *c, finance_, {{"account_id", account_}, {"kind", "gift"}, {"period", "2026-Q4"}, {"amount_fen", 1}});
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code(), Code::conflict);
  auto bad_period = create_budget(
      *c, finance_, {{"account_id", account_}, {"kind", "gift"}, {"period", "2026-Q5"}, {"amount_fen", 1}});
  ASSERT_FALSE(bad_period);
  EXPECT_EQ(bad_period.error().fields().at(0).field, "period");
  auto by_spec =
      create_budget(*c, spec_, {{"account_id", account_}, {"kind", "gift"}, {"period", "2026"}, {"amount_fen", 1}});
  ASSERT_FALSE(by_spec);
  EXPECT_EQ(by_spec.error().code(), Code::forbidden);

  // Within budget: no director. ¥800 of ¥1,000.
  auto within = submitted_gift(spec_, 80000);
  EXPECT_FALSE(within["over_budget"].get<bool>());
  EXPECT_EQ(within["steps"].size(), 2u);
  must(do_act(manager_, within, Action::approve), "approve 1");
  must(do_act(finance_, within, Action::approve), "approve 2");
  auto after = get_budget(*c, finance_, (*budget)["id"]);
  EXPECT_EQ((*after)["committed_fen"], 80000);
  EXPECT_EQ((*after)["remaining_fen"], 20000);
  // ¥300 now exceeds the ¥200 left: the director joins, far below ¥5,000.
  auto over = submitted_gift(spec_, 30000);
  EXPECT_TRUE(over["over_budget"].get<bool>());
  ASSERT_EQ(over["steps"].size(), 3u);
  EXPECT_EQ(over["steps"][1]["resolver"], "role:director");
  EXPECT_EQ(approvers(over)[1], std::vector<std::int64_t>{director_.user_id});
  // Another account's budget does not apply.
  auto body = gift_body(30000);
  body["account_id"] = account_of(spec_, "另一个客户");
  auto other = must(do_act(spec_, create_gift(spec_, body), Action::submit), "submit other");
  EXPECT_FALSE(other["over_budget"].get<bool>());
  EXPECT_EQ(other["steps"].size(), 2u);
}

TEST_P(ApprovalsStoreTest, ChainsAreDataAnAdminEdits) {
  if (!ready()) return;
  auto c = database().acquire();
  auto chain = get_chain(*c, spec_, kGift);
  ASSERT_TRUE(chain);
  ASSERT_EQ((*chain)["steps"].size(), 3u);
  EXPECT_EQ((*chain)["steps"][1]["min_amount_fen"], 500000);
  auto pending = submitted_gift(spec_, 10000);
  const json steps = json::array({{{"name", "财务审核"}, {"resolver", "role:finance"}}});
  auto refused = put_chain(*c, director_, kGift, {{"version", (*chain)["version"]}, {"steps", steps}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), Code::forbidden);
  auto bad = put_chain(
      *c, admin_, kGift,
      {{"version", (*chain)["version"]}, {"steps", json::array({{{"name", "x"}, {"resolver", "role:nobody"}}})}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields().at(0).field, "steps[0].resolver");
  auto conditional_only =
      put_chain(*c, admin_, kGift,
                {{"version", (*chain)["version"]},
                 {"steps", json::array({{{"name", "x"}, {"resolver", "role:finance"}, {"min_amount_fen", 5}}})}});
  ASSERT_FALSE(conditional_only);
  EXPECT_EQ(conditional_only.error().code(), Code::invalid);
  auto changed = put_chain(*c, admin_, kGift, {{"version", (*chain)["version"]}, {"steps", steps}});
  ASSERT_TRUE(changed) << changed.error().detail();
  EXPECT_EQ((*changed)["steps"].size(), 1u);
  auto stale = put_chain(*c, admin_, kGift, {{"version", (*chain)["version"]}, {"steps", steps}});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code(), Code::conflict);
  // New submissions follow the new chain; the one on its way keeps its snapshot.
  auto fresh = submitted_gift(spec_, 900000);
  EXPECT_EQ(approvers(fresh), (std::vector<std::vector<std::int64_t>>{{finance_.user_id}}));
  auto old = get_request(*c, spec_, kGift, pending["id"]);
  EXPECT_EQ((*old)["steps"].size(), 2u);
  // The reception chain is unchanged.
  EXPECT_EQ((*get_chain(*c, spec_, kReception))["steps"].size(), 3u);
}

TEST_P(ApprovalsStoreTest, ReceptionTotalsValidationAndDevelopmentCost) {
  if (!ready()) return;
  auto c = database().acquire();
  const json reception = {{"account_id", account_},
                          {"visitor_company", "苏州精密机械有限公司"},
                          {"visitors", json::array({{{"name", "李总"}, {"title", "副总经理"}}, {{"name", "张工"}}})},
                          {"purpose", "参观工厂"},
                          {"start_date", "2026-12-01"},
                          {"end_date", "2026-12-02"},
                          {"budget_lines", json::array({{{"item", "住宿"}, {"amount_fen", 120000}},
                                                        {{"item", "餐饮"}, {"amount_fen", 80000}}})},
                          {"opportunity_id", 77}};
  auto created = create_request(*c, spec_, kReception, reception);
  ASSERT_TRUE(created) << created.error().detail();
  EXPECT_EQ((*created)["total_fen"], 200000);
  EXPECT_EQ((*created)["visitors"].size(), 2u);
  EXPECT_EQ((*created)["status"], "draft");
  auto bad = reception;
  bad["end_date"] = "2026-11-30";
  bad["visitor_count"] = 1;
  bad["budget_lines"][1]["amount_fen"] = -1;
  auto invalid = create_request(*c, spec_, kReception, bad);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().fields().at(0).field, "budget_lines[1].amount_fen");
  bad["budget_lines"][1]["amount_fen"] = 1;
  invalid = create_request(*c, spec_, kReception, bad);
  ASSERT_FALSE(invalid);
  ASSERT_EQ(invalid.error().fields().size(), 2u);
  EXPECT_EQ(invalid.error().fields()[0].field, "end_date");
  EXPECT_EQ(invalid.error().fields()[1].field, "visitor_count");
  auto foreign = reception;
  foreign["account_id"] = account_of(peer_, "别人的客户");
  auto outside = create_request(*c, spec_, kReception, foreign);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().fields().at(0).field, "account_id");
  auto by_finance = create_request(*c, finance_, kReception, reception);
  ASSERT_FALSE(by_finance);
  EXPECT_EQ(by_finance.error().code(), Code::forbidden);

  // Approve the reception and a gift: both count as cost of development.
  auto r = must(do_act(spec_, *created, Action::submit), "submit reception");
  must(do_act(manager_, r, Action::approve), "approve 1");
  must(do_act(finance_, r, Action::approve), "approve 2");
  auto g = submitted_gift(spec_, 5000);
  must(do_act(manager_, g, Action::approve), "gift 1");
  must(do_act(finance_, g, Action::approve), "gift 2");
  submitted_gift(spec_, 7000);  // pending: not counted
  auto cost = development_cost(*c, spec_, account_);
  ASSERT_TRUE(cost) << cost.error().detail();
  EXPECT_EQ((*cost)["gift_fen"], 5000);
  EXPECT_EQ((*cost)["reception_fen"], 200000);
  EXPECT_EQ((*cost)["total_fen"], 205000);
  ASSERT_EQ((*cost)["by_opportunity"].size(), 1u);
  EXPECT_EQ((*cost)["by_opportunity"][0]["opportunity_id"], 77);
  EXPECT_EQ((*cost)["by_opportunity"][0]["reception_fen"], 200000);
  auto hidden = development_cost(*c, peer_, account_);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code(), Code::not_found);
}

TEST_P(ApprovalsStoreTest, InboxAndMine) {
  if (!ready()) return;
  auto c = database().acquire();
  const auto before = (*inbox(*c, manager_, 20, 0))["count"].get<std::int64_t>();
  auto g1 = submitted_gift(spec_, 10000);
  auto g2 = submitted_gift(spec_, 20000);
  create_gift(spec_, gift_body(100));  // a draft waits for nobody
  auto box = inbox(*c, manager_, 20, 0);
  ASSERT_TRUE(box);
  EXPECT_EQ((*box)["count"], before + 2);
  EXPECT_EQ((*inbox(*c, finance_, 20, 0))["count"], 0);
  must(do_act(manager2_, g1, Action::approve), "approve by the other manager");
  EXPECT_EQ((*inbox(*c, manager_, 20, 0))["count"], before + 1);
  EXPECT_EQ((*inbox(*c, finance_, 20, 0))["count"], 1);
  auto my = mine(*c, spec_, std::nullopt, 20, 0);
  ASSERT_TRUE(my);
  EXPECT_EQ((*my)["total"], 3);
  EXPECT_EQ((*my)["items"][1]["id"], g2["id"]);
  EXPECT_EQ((*my)["items"][1]["steps"].size(), 2u);
  EXPECT_EQ((*mine(*c, spec_, std::string("draft"), 20, 0))["total"], 1);
  EXPECT_EQ((*mine(*c, manager_, std::nullopt, 20, 0))["total"], 0);
  // Returned, withdrawn and decided requests leave the inboxes.
  must(do_act(manager_, g2, Action::return_to_submitter, {{"comment", "补充"}}), "return");
  EXPECT_EQ((*inbox(*c, manager_, 20, 0))["count"], before);
  must(do_act(spec_, g1, Action::withdraw), "withdraw");
  EXPECT_EQ((*inbox(*c, finance_, 20, 0))["count"], 0);
  auto g3 = submitted_gift(spec_, 100);
  must(do_act(manager_, g3, Action::reject, {{"comment", "不批"}}), "reject");
  EXPECT_EQ((*inbox(*c, manager_, 20, 0))["count"], before);
  EXPECT_EQ((*inbox(*c, manager2_, 20, 0))["count"], before);
}

// Many approvers of one step at once: exactly one transition, one audit row;
// every other call is a conflict.
TEST_P(ApprovalsStoreTest, ParallelApprovesYieldOneTransition) {
  if (!ready()) return;
  for (int round = 0; round < 3; ++round) {
    auto g = submitted_gift(spec_, 10000);
    const auto version = g["version"].get<std::int64_t>();
    constexpr int kThreads = 10;
    std::atomic<int> ok{0}, conflict{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        try {
          auto c = database().acquire();
          // Half send the version they read, half do not.
          json body = i % 2 ? json{{"version", version}} : json::object();
          auto r = act(*c, i % 3 ? manager_ : manager2_, kGift, g["id"], Action::approve, body);
          if (r) {
            ++ok;
          } else if (r.error().code() == Code::conflict) {
            ++conflict;
          } else {
            ++other;
          }
        } catch (const std::exception& e) {
          ++other;
          ADD_FAILURE() << e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(conflict.load(), kThreads - 1);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(audit_count(g["id"], "approve"), 1);
    auto c = database().acquire();
    auto now = get_request(*c, spec_, kGift, g["id"]);
    EXPECT_EQ((*now)["current_step"], 2);
    EXPECT_EQ((*now)["version"], version + 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ApprovalsStoreTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::approvals
