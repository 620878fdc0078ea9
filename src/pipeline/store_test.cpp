// The pipeline against both back ends: an opportunity walked from target to
// won through every gate, scope, the override, no-go, lost reasons, stage
// history, and the funnel / forecast / stalled aggregates.
#include <gtest/gtest.h>

#include "accounts/accounts.hpp"
#include "contacts/contacts.hpp"
#include "pipeline/pipeline.hpp"
#include "platform/core/clock.hpp"
#include "testing/test_database.hpp"

namespace kam::pipeline {
namespace {

using nlohmann::json;
using Code = Error::Code;

class PipelineStoreTest : public testdb::BootstrappedTest {
 protected:
  void SetUp() override {
    BootstrappedTest::SetUp();
    if (!ready()) return;
    const auto east = org().department("华东", org().root_department());
    a_ = org().member("spec_a", east, {"specialist"});
    b_ = org().member("spec_b", east, {"specialist"});
    boss_ = org().member("mgr", east, {"manager"});
    account_ = account_of(a_, "苏州精密机械");
  }
  void TearDown() override {
    set_test_now(std::nullopt);
    BootstrappedTest::TearDown();
  }

  std::int64_t account_of(const auth::Principal& p, const std::string& name) {
    auto c = database().acquire();
    auto created = accounts::create_account(*c, p, *accounts::read_input({{"name", name}}, true));
    if (!created) throw std::runtime_error(created.error().detail());
    return created->id;
  }

  template <typename T>
  static T must(Expected<T> e, const char* what) {
    if (!e) {
      std::string detail = e.error().detail();
      for (const auto& f : e.error().fields()) detail += "; " + f.field + ": " + f.message;
      throw std::runtime_error(std::string(what) + ": " + detail);
    }
    return std::move(*e);
  }

  json opportunity(const auth::Principal& p, json body = json::object()) {
    auto c = database().acquire();
    body["account_id"] = account_;
    if (!body.contains("name")) body["name"] = "包装材料替换";
    return must(create_opportunity(*c, p, body), "create_opportunity");
  }

  Expected<json> advance_as(const auth::Principal& p, std::int64_t id, json body = json::object()) {
    auto c = database().acquire();
    return advance(*c, p, id, body);
  }

  std::vector<std::string> unmet_codes(const Expected<json>& result) {
    std::vector<std::string> out;
    if (result) return out;
    for (const auto& f : result.error().fields()) out.push_back(f.field);
    return out;
  }

  json patch(const auth::Principal& p, std::int64_t id, const json& body) {
    auto c = database().acquire();
    const auto current = must(get_opportunity(*c, p, id), "get");
    return must(update_opportunity(*c, p, id, current["version"].get<std::int64_t>(), body), "update");
  }

  json child(const auth::Principal& p, const char* kind, std::int64_t id, const json& body) {
    auto c = database().acquire();
    return must(create_child(*c, p, kind, id, body), kind);
  }

  json contact(const json& body) {
    auto c = database().acquire();
    json full = body;
    full["account_id"] = account_;
    return must(contacts::create_contact(*c, a_, full), "create_contact");
  }

  auth::Principal a_, b_, boss_;
  std::int64_t account_ = 0;
};

TEST_P(PipelineStoreTest, WalksFromTargetToWonThroughEveryGate) {
  if (!ready()) return;
  auto o = opportunity(a_, {{"expected_value_fen", 500000}, {"product_lines", {"包装", "标签"}}});
  const auto id = o["id"].get<std::int64_t>();
  EXPECT_EQ(o["stage"], 1);
  EXPECT_EQ(o["status"], "open");
  EXPECT_EQ(o["owner_id"], a_.user_id);
  EXPECT_EQ(o["product_lines"], json({"包装", "标签"}));
  EXPECT_EQ(o["stalled"], false);

  // Stage 1: every missing item is listed at once.
  auto blocked = advance_as(a_, id);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code(), Code::invalid);
  EXPECT_EQ(unmet_codes(blocked).size(), 8u);
  patch(a_, id,
        {{"customer_business_age", "15年"},
         {"customer_scale", "员工800人"},
         {"customer_status", "扩产中"},
         {"potential_need", "新产线包材"},
         {"need_urgency", "high"},
         {"supplier_structure", "两家本地供应商"},
         {"supplier_problems", "交期不稳"}});
  EXPECT_EQ(unmet_codes(advance_as(a_, id)), std::vector<std::string>{"s1_go"});
  {
    auto c = database().acquire();
    must(go_no_go(*c, a_, id, {{"decision", "go"}, {"reason", "需求明确"}}), "go");
  }
  o = must(advance_as(a_, id), "advance 1→2");
  EXPECT_EQ(o["stage"], 2);

  // Stage 2: a sample signed off by someone else, an insider, requirements.
  EXPECT_EQ(unmet_codes(advance_as(a_, id)), (std::vector<std::string>{"s2_sample", "s2_insider", "s2_requirements"}));
  const auto sample =
      child(a_, "samples", id, {{"specification", "A4 80g"}, {"quantity", 10}, {"requested_on", "2026-11-01"}});
  {
    auto c = database().acquire();
    auto own = sign_off_sample(*c, a_, sample["id"].get<std::int64_t>(), {{"result", "passed"}});
    ASSERT_FALSE(own);
    EXPECT_EQ(own.error().fields().at(0).field, "signed_off_by");
    must(sign_off_sample(*c, boss_, sample["id"].get<std::int64_t>(), {{"result", "passed"}}), "sign off");
  }
  contact({{"name", "内线小张"}, {"buying_role", "insider"}});
  patch(a_, id, {{"requirements", "月需求2万件"}});
  o = must(advance_as(a_, id), "advance 2→3");
  EXPECT_EQ(o["stage"], 3);

  // Stage 3: probability, obstacles, cost, plan.
  EXPECT_EQ(unmet_codes(advance_as(a_, id)),
            (std::vector<std::string>{"s3_probability", "s3_obstacles", "s3_cost", "s3_plan"}));
  patch(a_, id, {{"win_probability", 60}, {"obstacles", {"老供应商关系深"}}, {"expected_cost_fen", 20000}});
  child(a_, "plan_steps", id, {{"title", "技术交流"}, {"due_date", "2026-12-10"}});
  o = must(advance_as(a_, id), "advance 3→4");
  EXPECT_EQ(o["weighted_value_fen"], 300000);

  // Stage 4: every decision maker at the level, each touched.
  EXPECT_EQ(unmet_codes(advance_as(a_, id)),
            (std::vector<std::string>{"s4_decision_makers", "s4_relationship", "s4_touchpoints"}));
  const auto dm1 = contact({{"name", "王总"}, {"buying_role", "decision_maker"}, {"relationship_level", 2}});
  const auto dm2 = contact({{"name", "李总"}, {"buying_role", "decision_maker"}, {"relationship_level", 4}});
  child(a_, "touchpoints", id, {{"contact_id", dm1["id"]}, {"touched_on", "2026-11-20"}, {"summary", "拜访"}});
  EXPECT_EQ(unmet_codes(advance_as(a_, id)), (std::vector<std::string>{"s4_relationship", "s4_touchpoints"}));
  {
    auto c = database().acquire();
    must(contacts::update_contact(*c, a_, dm1["id"].get<std::int64_t>(), 1, {{"relationship_level", 3}}), "level");
  }
  child(a_, "touchpoints", id, {{"contact_id", dm2["id"]}, {"touched_on", "2026-11-21"}, {"summary", "电话"}});
  o = must(advance_as(a_, id), "advance 4→5");
  EXPECT_EQ(o["stage"], 5);
  EXPECT_EQ(unmet_codes(advance_as(a_, id)), std::vector<std::string>{"stage"});  // no stage 6

  // Stage 5: won only with the closing records.
  auto c = database().acquire();
  auto early = close(*c, a_, id, {{"status", "won"}, {"won_value_fen", 480000}, {"won_date", "2026-12-01"}});
  EXPECT_EQ(unmet_codes(early),
            (std::vector<std::string>{"s5_executive_meeting", "s5_inspection", "s5_system_support"}));
  for (const char* kind : {"executive_meeting", "factory_audit", "system_support"}) {
    child(a_, "closing_records", id, {{"kind", kind}, {"held_on", "2026-11-25"}, {"summary", kind}});
  }
  o = must(close(*c, a_, id, {{"status", "won"}, {"won_value_fen", 480000}, {"won_date", "2026-12-01"}}), "won");
  EXPECT_EQ(o["status"], "won");
  EXPECT_EQ(o["won_value_fen"], 480000);

  const auto h = must(history(*c, a_, id), "history");
  ASSERT_EQ(h["items"].size(), 5u);
  for (const auto& row : h["items"]) {
    EXPECT_FALSE(row["exited_at"].is_null());
    EXPECT_EQ(row["override"], false);
  }
  EXPECT_EQ(c->query("SELECT count(*) FROM audit_log WHERE entity = 'opportunity' AND entity_id = ? AND action = "
                     "'advance'",
                     {id})
                .front()
                .integer(0),
            4);
}

TEST_P(PipelineStoreTest, OverrideNeedsThePermissionAndIsRecorded) {
  if (!ready()) return;
  const auto id = opportunity(a_)["id"].get<std::int64_t>();
  auto refused = advance_as(a_, id, {{"override_reason", "我觉得可以"}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), Code::forbidden);
  auto o = must(advance_as(boss_, id, {{"override_reason", "总经理引荐，直接进入样品阶段"}}), "override");
  EXPECT_EQ(o["stage"], 2);
  auto c = database().acquire();
  const auto h = must(history(*c, a_, id), "history");
  ASSERT_EQ(h["items"].size(), 2u);
  EXPECT_EQ(h["items"][1]["override"], true);
  EXPECT_EQ(h["items"][1]["override_reason"], "总经理引荐，直接进入样品阶段");
  EXPECT_EQ(h["items"][1]["entered_by"], boss_.user_id);
  EXPECT_EQ(c->query("SELECT count(*) FROM audit_log WHERE entity = 'opportunity' AND entity_id = ? AND action = "
                     "'override'",
                     {id})
                .front()
                .integer(0),
            1);
}

TEST_P(PipelineStoreTest, ScopeHidesAPeersOpportunities) {
  if (!ready()) return;
  const auto id = opportunity(a_)["id"].get<std::int64_t>();
  auto c = database().acquire();
  EXPECT_EQ(get_opportunity(*c, b_, id).error().code(), Code::not_found);
  EXPECT_EQ(advance(*c, b_, id, json::object()).error().code(), Code::not_found);
  EXPECT_EQ(must(list_opportunities(*c, b_, {}), "list")["total"], 0);
  EXPECT_EQ(must(list_opportunities(*c, boss_, {}), "list")["total"], 1);
  // Creating one for an account b cannot see is 422 on account_id.
  auto foreign = create_opportunity(*c, b_, {{"account_id", account_}, {"name", "x"}});
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().fields().at(0).field, "account_id");
  const auto funnel_b = must(funnel(*c, b_, {}), "funnel");
  EXPECT_EQ(funnel_b["stages"][0]["count"], 0);
  const auto funnel_boss = must(funnel(*c, boss_, {}), "funnel");
  EXPECT_EQ(funnel_boss["stages"][0]["count"], 1);
}

TEST_P(PipelineStoreTest, NoGoTerminatesAndLostNeedsAKnownReason) {
  if (!ready()) return;
  auto c = database().acquire();
  const auto t = opportunity(a_)["id"].get<std::int64_t>();
  auto o = must(go_no_go(*c, a_, t, {{"decision", "no_go"}, {"reason", "需求太小"}}), "no-go");
  EXPECT_EQ(o["status"], "terminated");
  EXPECT_EQ(advance(*c, a_, t, json::object()).error().fields().at(0).field, "status");
  const auto l = opportunity(a_)["id"].get<std::int64_t>();
  EXPECT_EQ(close(*c, a_, l, {{"status", "lost"}, {"lost_reason_code", "weather"}}).error().fields().at(0).field,
            "lost_reason_code");
  o = must(close(*c, a_, l, {{"status", "lost"}, {"lost_reason_code", "price"}, {"note", "低价竞争"}}), "lost");
  EXPECT_EQ(o["status"], "lost");
  EXPECT_EQ(o["lost_reason_code"], "price");
  const auto f = must(funnel(*c, a_, {}), "funnel");
  EXPECT_EQ(f["terminated"]["count"], 1);
  EXPECT_EQ(f["lost"]["count"], 1);
}

TEST_P(PipelineStoreTest, ForecastArithmeticOnAKnownSet) {
  if (!ready()) return;
  opportunity(a_, {{"expected_value_fen", 100000}, {"win_probability", 35}, {"expected_close_date", "2027-01-15"}});
  opportunity(a_, {{"expected_value_fen", 333}, {"win_probability", 33}, {"expected_close_date", "2027-01-31"}});
  opportunity(a_, {{"expected_value_fen", 90000}, {"expected_close_date", "2027-02-01"}});  // no probability
  opportunity(a_, {{"expected_value_fen", 777}, {"win_probability", 50}, {"expected_close_date", "2027-12-01"}});
  auto c = database().acquire();
  const auto f = must(forecast(*c, a_, {{"as_of", "2026-12-05"}}), "forecast");
  ASSERT_EQ(f["months"].size(), 12u);
  EXPECT_EQ(f["months"][0]["month"], "2026-12");
  EXPECT_EQ(f["months"][1]["month"], "2027-01");
  EXPECT_EQ(f["months"][1]["count"], 2);
  EXPECT_EQ(f["months"][1]["expected_value_fen"], 100333);
  EXPECT_EQ(f["months"][1]["weighted_value_fen"], 35000 + 109);
  EXPECT_EQ(f["months"][2]["weighted_value_fen"], 0);
  EXPECT_EQ(f["months"][2]["expected_value_fen"], 90000);
  EXPECT_EQ(f["totals"]["weighted_value_fen"], 35109);  // 2027-12 is outside the window
  EXPECT_EQ(must(forecast(*c, b_, {{"as_of", "2026-12-05"}}), "forecast")["totals"]["weighted_value_fen"], 0);
}

TEST_P(PipelineStoreTest, StalledByStageThreshold) {
  if (!ready()) return;
  const auto id = opportunity(a_)["id"].get<std::int64_t>();
  auto c = database().acquire();
  EXPECT_EQ(must(stalled(*c, a_, {}), "stalled")["total"], 0);
  const auto later = must(stalled(*c, a_, {{"as_of", "2099-01-01"}}), "stalled");
  ASSERT_EQ(later["total"], 1);
  EXPECT_EQ(later["items"][0]["id"], id);
  EXPECT_EQ(later["items"][0]["stalled"], true);
  must(put_settings(*c, org().admin(), {{"stages", {{{"stage", 1}, {"stalled_days", 0}}}}}), "settings");
  EXPECT_EQ(must(get_opportunity(*c, a_, id), "get")["stalled"], true);
  EXPECT_EQ(put_settings(*c, a_, {{"stages", json::array()}}).error().code(), Code::forbidden);
}

TEST_P(PipelineStoreTest, GatesAreEditableData) {
  if (!ready()) return;
  auto c = database().acquire();
  auto gates = must(get_gates(*c, a_), "gates");
  EXPECT_EQ(gates["items"].size(), 21u);
  EXPECT_EQ(put_gates(*c, a_, gates).error().code(), Code::forbidden);
  // Keep only the go decision at stage 1.
  json kept = json::array();
  for (const auto& item : gates["items"]) {
    if (item["stage"] != 1 || item["code"] == "s1_go") kept.push_back(item);
  }
  must(put_gates(*c, org().admin(), {{"items", kept}}), "put gates");
  const auto id = opportunity(a_)["id"].get<std::int64_t>();
  EXPECT_EQ(unmet_codes(advance_as(a_, id)), std::vector<std::string>{"s1_go"});
  auto bad = put_gates(*c, org().admin(), {{"items", {{{"stage", 9}, {"code", "x"}, {"kind", "field"}}}}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields().at(0).field, "items[0]");
}

// The funnel reads counts from pipeline_tally and medians from the stage
// history's own scope columns; both must agree with the opportunities.
TEST_P(PipelineStoreTest, MedianTimeInStageAndTheTallyFollowTheOpportunities) {
  if (!ready()) return;
  const auto day = [](int d) { return parse_instant("2026-03-01T08:00:00Z").value() + std::chrono::days(d); };
  set_test_now(day(0));
  const auto o1 = opportunity(a_, {{"product_lines", {"包装"}}, {"expected_value_fen", 1000}})["id"];
  const auto o2 = opportunity(a_, {{"expected_value_fen", 2000}, {"win_probability", 50}})["id"];
  const auto o3 = opportunity(a_, {{"product_lines", {"包装"}}, {"expected_close_date", "2026-05-10"}})["id"];
  const auto o5 = opportunity(a_, {{"expected_value_fen", 99999}})["id"];
  const auto mine = account_;
  account_ = account_of(b_, "无锡电子");
  const auto o4 = opportunity(b_, {{"expected_value_fen", 4000}})["id"];
  account_ = mine;
  const json reason = {{"override_reason", "总经理引荐"}};
  set_test_now(day(1));
  must(advance_as(boss_, o1.get<std::int64_t>(), reason), "advance o1");
  set_test_now(day(2));
  must(advance_as(boss_, o4.get<std::int64_t>(), reason), "advance o4");
  set_test_now(day(3) + std::chrono::hours(5));
  must(advance_as(boss_, o2.get<std::int64_t>(), reason), "advance o2");
  auto c = database().acquire();
  set_test_now(day(10));
  must(close(*c, a_, o3.get<std::int64_t>(), {{"status", "lost"}, {"lost_reason_code", "price"}}), "lost o3");
  set_test_now(day(20));
  must(advance_as(boss_, o5.get<std::int64_t>(), reason), "advance o5");
  ASSERT_TRUE(delete_opportunity(*c, a_, o5.get<std::int64_t>()));  // its 20 days no longer count

  const auto stage1 = [&](const auth::Principal& p, const std::map<std::string, std::string>& q) {
    return must(funnel(*c, p, q), "funnel")["stages"][0];
  };
  constexpr std::int64_t kDay = 86400;
  // a: stays of 1 day, 3 days 5 hours and 10 days → the middle one.
  EXPECT_EQ(stage1(a_, {})["median_seconds_in_stage"], 3 * kDay + 5 * 3600);
  // The manager also sees b's 2 days: 1, 2, 3⅕, 10 → the lower middle.
  EXPECT_EQ(stage1(boss_, {})["median_seconds_in_stage"], 2 * kDay);
  EXPECT_EQ(stage1(boss_, {{"owner_id", std::to_string(b_.user_id)}})["median_seconds_in_stage"], 2 * kDay);
  // A product line needs the opportunities (o1 and o3: 1 and 10 days).
  EXPECT_EQ(stage1(boss_, {{"product_line", "包装"}})["median_seconds_in_stage"], kDay);
  EXPECT_EQ(must(funnel(*c, boss_, {}), "funnel")["stages"][1]["median_seconds_in_stage"], 0);  // none left stage 2
  // The same against the brute-force median of the history rows in scope.
  std::vector<std::int64_t> all;
  for (const auto& row :
       c->query("SELECT h.entered_at, h.exited_at FROM opportunity_stage_history h JOIN opportunities o ON o.id = "
                "h.opportunity_id WHERE h.stage = 1 AND h.exited_at IS NOT NULL AND o.deleted_at IS NULL")) {
    all.push_back(*epoch_seconds(row.text(1)) - *epoch_seconds(row.text(0)));
  }
  EXPECT_EQ(stage1(boss_, {})["median_seconds_in_stage"], median_seconds(all));

  // Counts and sums from the tally equal those over the opportunities (a date
  // filter that includes everything takes the opportunities' path).
  for (const auto* p : {&a_, &b_, &boss_}) {
    auto tallied = must(funnel(*c, *p, {}), "funnel");
    auto counted = must(funnel(*c, *p, {{"from", "2000-01-01"}}), "funnel");
    EXPECT_EQ(tallied, counted) << p->user_id;
    EXPECT_EQ(must(forecast(*c, *p, {{"as_of", "2026-03-01"}}), "forecast"),
              must(forecast(*c, *p, {{"as_of", "2026-03-01"}, {"from", "2000-01-01"}}), "forecast"));
  }
  const auto f = must(funnel(*c, boss_, {}), "funnel");
  EXPECT_EQ(f["stages"][1]["count"], 3);  // o1, o2, o4 (o5 deleted)
  EXPECT_EQ(f["stages"][1]["value_fen"], 7000);
  EXPECT_EQ(f["stages"][1]["weighted_value_fen"], 1000);
  EXPECT_EQ(f["lost"]["count"], 1);
  EXPECT_EQ(f["stages"][0]["reached"], 4);
}

INSTANTIATE_TEST_SUITE_P(Backends, PipelineStoreTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::pipeline
