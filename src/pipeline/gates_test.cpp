// The gate checker and the advance decision as tables: stage × evidence ×
// role → result; plus the arithmetic of the insight queries.
#include <gtest/gtest.h>

#include "pipeline/pipeline.hpp"

namespace kam::pipeline {
namespace {

using nlohmann::json;

// The default checklist of migrations/006_pipeline.sql (codes and kinds).
std::vector<GateItem> defaults() {
  auto item = [](int stage, const char* code, const char* kind, json params, int position) {
    GateItem g;
    g.stage = stage;
    g.code = code;
    g.kind = kind;
    g.params = std::move(params);
    g.label_zh = code;
    g.label_en = code;
    g.position = position;
    return g;
  };
  return {
      item(1, "s1_business_age", "field", {{"field", "customer_business_age"}}, 1),
      item(1, "s1_need", "field", {{"field", "potential_need"}}, 2),
      item(1, "s1_go", "equals", {{"field", "go_decision"}, {"value", "go"}}, 3),
      item(2, "s2_sample", "count", {{"count", "samples_passed"}, {"min", 1}}, 1),
      item(2, "s2_insider", "count", {{"count", "insiders"}}, 2),
      item(2, "s2_requirements", "field", {{"field", "requirements"}}, 3),
      item(3, "s3_probability", "field", {{"field", "win_probability"}}, 1),
      item(3, "s3_plan", "count", {{"count", "plan_steps"}, {"min", 2}}, 2),
      item(4, "s4_relationship", "decision_makers_level", {{"min_level", 3}}, 1),
      item(4, "s4_touchpoints", "decision_makers_touched", {{"min", 1}}, 2),
      item(5, "s5_inspection", "count", {{"count", "inspections"}}, 1),
  };
}

Evidence stage1_complete() {
  Evidence e;
  e.fields = {{"customer_business_age", "12 years"}, {"potential_need", "packaging"}, {"go_decision", "go"}};
  return e;
}

std::vector<std::string> codes(const std::vector<Unmet>& unmet) {
  std::vector<std::string> out;
  for (const auto& u : unmet) out.push_back(u.code);
  return out;
}

struct GateCase {
  const char* name;
  int stage;
  Evidence evidence;
  std::vector<std::string> unmet;
};

TEST(PipelineGates, CheckGateTable) {
  Evidence empty;
  Evidence no_go = stage1_complete();
  no_go.fields["go_decision"] = "no_go";
  Evidence blank_need = stage1_complete();
  blank_need.fields["potential_need"] = "";
  Evidence s2;
  s2.counts = {{"samples_passed", 1}, {"insiders", 2}};
  s2.fields = {{"requirements", "A4, 80g"}};
  Evidence s2_failed_sample = s2;
  s2_failed_sample.counts["samples_passed"] = 0;
  Evidence s3_one_step;
  s3_one_step.fields = {{"win_probability", "0"}};  // 0 % is recorded, not missing
  s3_one_step.counts = {{"plan_steps", 1}};
  Evidence s4_ok;
  s4_ok.decision_makers = {{1, "王总", 3, 1}, {2, "李总", 5, 2}};
  Evidence s4_low;
  s4_low.decision_makers = {{1, "王总", 2, 1}, {2, "李总", std::nullopt, 1}};
  Evidence s4_untouched;
  s4_untouched.decision_makers = {{1, "王总", 4, 0}, {2, "李总", 4, 1}};
  Evidence s5;
  s5.counts = {{"inspections", 1}};

  const std::vector<GateCase> cases = {
      {"stage 1 with nothing", 1, empty, {"s1_business_age", "s1_need", "s1_go"}},
      {"stage 1 complete", 1, stage1_complete(), {}},
      {"stage 1 no-go is not go", 1, no_go, {"s1_go"}},
      {"stage 1 blank text is missing", 1, blank_need, {"s1_need"}},
      {"stage 2 with nothing", 2, empty, {"s2_sample", "s2_insider", "s2_requirements"}},
      {"stage 2 complete", 2, s2, {}},
      {"stage 2 without a passed sample", 2, s2_failed_sample, {"s2_sample"}},
      {"stage 3 min 2 plan steps", 3, s3_one_step, {"s3_plan"}},
      {"stage 4 no decision maker fails both", 4, empty, {"s4_relationship", "s4_touchpoints"}},
      {"stage 4 complete", 4, s4_ok, {}},
      {"stage 4 level too low or unknown", 4, s4_low, {"s4_relationship"}},
      {"stage 4 one untouched", 4, s4_untouched, {"s4_touchpoints"}},
      {"stage 5 complete", 5, s5, {}},
      {"stage 5 nothing", 5, empty, {"s5_inspection"}},
      {"a stage without items holds", 6, empty, {}},
  };
  const auto items = defaults();
  for (const auto& c : cases) {
    EXPECT_EQ(codes(check_gate(c.stage, c.evidence, items)), c.unmet) << c.name;
  }
}

TEST(PipelineGates, DisabledItemsAndOrderAndUnknownKinds) {
  auto items = defaults();
  items[0].enabled = false;  // s1_business_age
  std::swap(items[1].position, items[2].position);
  EXPECT_EQ(codes(check_gate(1, Evidence{}, items)), (std::vector<std::string>{"s1_go", "s1_need"}));
  GateItem odd;
  odd.stage = 1;
  odd.code = "odd";
  odd.kind = "telepathy";
  items.push_back(odd);
  const auto unmet = check_gate(1, stage1_complete(), items);
  ASSERT_EQ(codes(unmet), (std::vector<std::string>{"odd"}));
  EXPECT_NE(unmet[0].detail.find("unknown"), std::string::npos);
}

TEST(PipelineGates, UnmetNamesTheDecisionMakers) {
  Evidence e;
  e.decision_makers = {{1, "王总", 1, 0}};
  const auto unmet = check_gate(4, e, defaults());
  ASSERT_EQ(unmet.size(), 2u);
  EXPECT_NE(unmet[0].detail.find("王总"), std::string::npos);
  EXPECT_NE(unmet[1].detail.find("王总"), std::string::npos);
  EXPECT_NE(unmet[0].detail_zh.find("关系等级低于"), std::string::npos);
  EXPECT_NE(unmet[0].detail_zh.find("王总"), std::string::npos);
  EXPECT_NE(unmet[1].detail_zh.find("尚无接触记录"), std::string::npos);
}

struct DecisionCase {
  const char* name;
  Evidence evidence;
  bool can_override;
  std::string reason;
  bool allowed, overridden, forbidden;
};

TEST(PipelineGates, AdvanceDecisionTableByRole) {
  const auto items = defaults();
  const std::vector<DecisionCase> cases = {
      {"specialist, gate holds", stage1_complete(), false, "", true, false, false},
      {"specialist, gate fails", Evidence{}, false, "", false, false, false},
      {"specialist asks to override", Evidence{}, false, "boss said so", false, false, true},
      {"specialist, gate holds, reason given is still refused", stage1_complete(), false, "x", false, false, true},
      {"manager, gate fails, no reason", Evidence{}, true, "", false, false, false},
      {"manager, gate fails, blank reason", Evidence{}, true, "   ", false, false, false},
      {"manager overrides with a reason", Evidence{}, true, "客户老板亲自推荐", true, true, false},
      {"manager, gate holds, reason is no override", stage1_complete(), true, "x", true, false, false},
  };
  for (const auto& c : cases) {
    const auto d = decide_advance(1, c.evidence, items, c.can_override, c.reason);
    EXPECT_EQ(d.allowed, c.allowed) << c.name;
    EXPECT_EQ(d.overridden, c.overridden) << c.name;
    EXPECT_EQ(d.forbidden, c.forbidden) << c.name;
  }
  EXPECT_EQ(decide_advance(1, Evidence{}, items, true, "why").unmet.size(), 3u);
}

TEST(PipelineGates, GateItemValidation) {
  for (const auto& item : defaults()) EXPECT_FALSE(gate_item_problem(item)) << item.code;
  auto bad = defaults()[0];
  bad.stage = 6;
  EXPECT_TRUE(gate_item_problem(bad));
  bad = defaults()[0];
  bad.params = json::object();
  EXPECT_TRUE(gate_item_problem(bad));
  bad = defaults()[3];
  bad.params = {{"count", "horses"}};
  EXPECT_TRUE(gate_item_problem(bad));
  bad = defaults()[8];
  bad.params = {{"min_level", 9}};
  EXPECT_TRUE(gate_item_problem(bad));
  bad.kind = "magic";
  EXPECT_TRUE(gate_item_problem(bad));
}

TEST(PipelineArithmetic, WeightedValueRoundsDown) {
  EXPECT_EQ(weighted_fen(100000, 35), 35000);
  EXPECT_EQ(weighted_fen(333, 33), 109);  // 109.89 → 109
  EXPECT_EQ(weighted_fen(1, 99), 0);
  EXPECT_EQ(weighted_fen(123456789, 100), 123456789);
  EXPECT_EQ(weighted_fen(5000, 0), 0);
}

TEST(PipelineArithmetic, Median) {
  EXPECT_EQ(median_seconds({}), 0);
  EXPECT_EQ(median_seconds({5}), 5);
  EXPECT_EQ(median_seconds({9, 1, 5}), 5);
  EXPECT_EQ(median_seconds({10, 1, 4, 7}), 4);  // lower middle
}

TEST(PipelineArithmetic, DatesAndMonths) {
  EXPECT_EQ(epoch_seconds("1970-01-01"), 0);
  EXPECT_EQ(epoch_seconds("1970-01-02T00:00:01.500Z"), 86401);
  EXPECT_EQ(epoch_seconds("2026-11-29T09:07:09.123Z"), 1795943229);
  EXPECT_FALSE(epoch_seconds("2026-13-01"));
  EXPECT_FALSE(epoch_seconds("nope"));
  EXPECT_FALSE(epoch_seconds("2026-01-01Tzz"));
  EXPECT_EQ(iso_of_epoch(1795943229), "2026-11-29T09:07:09.000Z");
  EXPECT_EQ(iso_of_epoch(*epoch_seconds("2024-02-29T23:59:59Z")), "2024-02-29T23:59:59.000Z");
  EXPECT_EQ(month_after("2026-11-29", 0), "2026-11");
  EXPECT_EQ(month_after("2026-11-29", 2), "2027-01");
  EXPECT_EQ(month_after("2026-11-29", 12), "2027-11");
  EXPECT_EQ(month_after("2026-01-15", -1), "2025-12");
  EXPECT_EQ(month_after("2026-01-15", -12), "2025-01");
}

}  // namespace
}  // namespace kam::pipeline
