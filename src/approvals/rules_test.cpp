// The pure rules of approvals as tables: chain conditions × amount × budget,
// the request state table, resolvers and budget periods.
#include <gtest/gtest.h>

#include "approvals/approvals.hpp"

namespace kam::approvals {
namespace {

TEST(ApprovalsChainCondition, DirectorStepAppliesAboveThresholdOrOverBudget) {
  const ChainStep director{"营销总监审批", "role:director", 500000, true};
  const ChainStep manager{"经理审批", kDepartmentManager, std::nullopt, false};
  const ChainStep strict{"严格", "role:director", 500000, false};
  struct Case {
    std::int64_t total;
    bool over_budget;
    bool director, manager, strict;
  };
  const Case cases[] = {
      {0, false, false, true, false},      {499999, false, false, true, false},
      {500000, false, false, true, false},  // ¥5,000 exactly is not above it
      {500001, false, true, true, true},   {100, true, true, true, false},
      {9000000, true, true, true, true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(step_applies(director, c.total, c.over_budget), c.director) << c.total << " " << c.over_budget;
    EXPECT_EQ(step_applies(manager, c.total, c.over_budget), c.manager) << c.total;
    EXPECT_EQ(step_applies(strict, c.total, c.over_budget), c.strict) << c.total;
  }
}

TEST(ApprovalsRequestStates, StateTableOfActions) {
  struct Case {
    const char* status;
    Action action;
    bool last;
    std::optional<std::string> expected;
  };
  const Case cases[] = {
      {"draft", Action::submit, false, "pending"},
      {"returned", Action::submit, false, "pending"},
      {"pending", Action::submit, false, std::nullopt},
      {"approved", Action::submit, false, std::nullopt},
      {"pending", Action::approve, false, "pending"},
      {"pending", Action::approve, true, "approved"},
      {"draft", Action::approve, true, std::nullopt},
      {"returned", Action::approve, true, std::nullopt},
      {"pending", Action::reject, false, "rejected"},
      {"approved", Action::reject, true, std::nullopt},
      {"pending", Action::return_to_submitter, false, "returned"},
      {"rejected", Action::return_to_submitter, false, std::nullopt},
      {"draft", Action::withdraw, false, "withdrawn"},
      {"pending", Action::withdraw, false, "withdrawn"},
      {"returned", Action::withdraw, false, "withdrawn"},
      {"approved", Action::withdraw, false, std::nullopt},
      {"rejected", Action::withdraw, false, std::nullopt},
      {"withdrawn", Action::withdraw, false, std::nullopt},
      {"withdrawn", Action::submit, false, std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(next_status(c.status, c.action, c.last), c.expected) << c.status << " " << to_string(c.action);
  }
}

TEST(ApprovalsRequestStates, OnlyDraftAndReturnedAreEditableAndDecidedAreFinal) {
  EXPECT_TRUE(is_editable("draft"));
  EXPECT_TRUE(is_editable("returned"));
  for (const char* s : {"pending", "approved", "rejected", "withdrawn"}) EXPECT_FALSE(is_editable(s)) << s;
  for (const char* s : {"approved", "rejected", "withdrawn"}) EXPECT_TRUE(is_decided(s)) << s;
  for (const char* s : {"draft", "pending", "returned"}) EXPECT_FALSE(is_decided(s)) << s;
}

TEST(ApprovalsActions, ParseAndNameRoundTrip) {
  for (const char* name : {"submit", "approve", "reject", "return", "withdraw"}) {
    auto action = parse_action(name);
    ASSERT_TRUE(action) << name;
    EXPECT_STREQ(to_string(*action), name);
  }
  EXPECT_FALSE(parse_action("delete"));
  EXPECT_FALSE(parse_action(""));
}

TEST(ApprovalsResolvers, WellFormedResolversAndEscalation) {
  EXPECT_TRUE(is_resolver("department_manager"));
  EXPECT_TRUE(is_resolver("role:finance"));
  EXPECT_TRUE(is_resolver("role:channel_lead-2"));
  EXPECT_FALSE(is_resolver("role:"));
  EXPECT_FALSE(is_resolver("role:Finance"));
  EXPECT_FALSE(is_resolver("role:a b"));
  EXPECT_FALSE(is_resolver("manager"));
  EXPECT_FALSE(is_resolver(""));
  EXPECT_EQ(escalation("department_manager"),
            (std::vector<std::string>{"department_manager", "role:director", "role:admin"}));
  EXPECT_EQ(escalation("role:finance"), (std::vector<std::string>{"role:finance", "role:admin"}));
  EXPECT_EQ(escalation("role:admin"), (std::vector<std::string>{"role:admin"}));
}

TEST(ApprovalsPeriods, QuartersAndYears) {
  auto q4 = parse_period("2026-Q4");
  ASSERT_TRUE(q4);
  EXPECT_EQ(q4->first_day, "2026-10-01");
  EXPECT_EQ(q4->last_day, "2026-12-31");
  auto q1 = parse_period("2027-Q1");
  ASSERT_TRUE(q1);
  EXPECT_EQ(q1->first_day, "2027-01-01");
  EXPECT_EQ(q1->last_day, "2027-03-31");
  EXPECT_EQ(parse_period("2026-Q2")->last_day, "2026-06-30");
  EXPECT_EQ(parse_period("2026-Q3")->first_day, "2026-07-01");
  auto year = parse_period("2026");
  ASSERT_TRUE(year);
  EXPECT_EQ(year->first_day, "2026-01-01");
  EXPECT_EQ(year->last_day, "2026-12-31");
  for (const char* bad : {"", "2026-Q5", "2026-Q0", "26", "2026Q4", "2026-q4", "1999", "abcd", "2026-04"}) {
    EXPECT_FALSE(parse_period(bad)) << bad;
  }
}

TEST(ApprovalsPeriods, ADateFallsInItsQuarterAndYear) {
  auto periods = periods_of("2026-11-29");
  ASSERT_EQ(periods.size(), 2u);
  EXPECT_EQ(periods[0].code, "2026-Q4");
  EXPECT_EQ(periods[1].code, "2026");
  EXPECT_EQ(periods_of("2026-01-01")[0].code, "2026-Q1");
  EXPECT_EQ(periods_of("2026-03-31")[0].code, "2026-Q1");
  EXPECT_EQ(periods_of("2026-04-01")[0].code, "2026-Q2");
  EXPECT_TRUE(periods_of("2026-02-30").empty());
}

}  // namespace
}  // namespace kam::approvals
