// The activities store on both back ends: the follow-up rule in the visit's
// transaction (due after the visit's own time, plan done, last_activity_at),
// completion, scope of tasks and reports, the frozen weekly report, the
// timeline cursor and the test clock.
#include <gtest/gtest.h>

#include "accounts/accounts.hpp"
#include "activities/activities.hpp"
#include "testing/test_database.hpp"

namespace kam::activities {
namespace {

using nlohmann::json;
using Code = Error::Code;

class ActivitiesStoreTest : public testdb::BootstrappedTest {
 protected:
  void SetUp() override {
    BootstrappedTest::SetUp();
    if (!ready()) return;
    const auto east = org().department("华东", org().root_department());
    const auto west = org().department("华西", org().root_department());
    a_ = org().member("spec_a", east, {"specialist"});
    b_ = org().member("spec_b", east, {"specialist"});
    m_ = org().member("mgr", east, {"manager"});
    w_ = org().member("mgr_w", west, {"manager"});
    auto c = database().acquire();
    account_ = accounts::create_account(*c, a_, *accounts::read_input({{"name", "苏州精密机械"}}, true))->id;
  }
  void TearDown() override {
    set_test_now(std::nullopt);
    BootstrappedTest::TearDown();
  }

  json visit(const std::string& at, json extra = json::object()) {
    auto c = database().acquire();
    json body = {{"account_id", account_}, {"occurred_at", at}};
    body.update(extra);
    auto created = create_visit(*c, a_, body);
    if (!created) throw std::runtime_error("create_visit: " + created.error().detail());
    return *created;
  }

  auth::Principal a_, b_, m_, w_;
  std::int64_t account_ = 0;
};

TEST_P(ActivitiesStoreTest, AVisitRaisesItsFollowUpInTheSameTransaction) {
  if (!ready()) return;
  auto c = database().acquire();
  auto plan = create_visit_plan(*c, a_, {{"account_id", account_}, {"planned_at", "2026-11-20T09:00:00Z"}});
  ASSERT_TRUE(plan) << plan.error().detail();
  const auto v = visit("2026-11-20T10:00:00+00:00", {{"plan_id", (*plan)["id"]}, {"key_points", "需求"}});
  EXPECT_EQ(v["occurred_at"], "2026-11-20T10:00:00.000Z");
  EXPECT_EQ(v["follow_up"]["due_at"], "2026-11-27T10:00:00.000Z");
  EXPECT_EQ(v["owner_id"], a_.user_id);
  EXPECT_EQ((*accounts::get_record(*c, a_, visit_plan_table(), (*plan)["id"]))["status"], "done");
  EXPECT_EQ(c->query("SELECT last_activity_at FROM accounts WHERE id = ?", {account_}).front().text(0),
            "2026-11-20T10:00:00.000Z");
  auto tasks = list_tasks(*c, a_, {.kind = std::string(kFollowUp)});
  ASSERT_TRUE(tasks);
  ASSERT_EQ((*tasks)["total"], 1);
  EXPECT_EQ((*tasks)["items"][0]["entity_id"], v["id"]);
  // A bad instant names its field and writes nothing.
  auto bad = create_visit(*c, a_, {{"account_id", account_}, {"occurred_at", "2026-11-20"}, {"method", "fax"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), Code::invalid);
  EXPECT_EQ(c->query("SELECT count(*) FROM tasks").front().integer(0), 1);
}

TEST_P(ActivitiesStoreTest, FollowUpsBecomeOverdueOnTheClockAndNeedTheirRecord) {
  if (!ready()) return;
  const auto v = visit("2026-11-20T10:00:00Z");
  const auto id = v["follow_up"]["id"].get<std::int64_t>();
  auto c = database().acquire();
  set_test_now(parse_instant("2026-11-27T09:59:00Z"));
  EXPECT_FALSE((*get_task(*c, a_, id))["overdue"].get<bool>());
  EXPECT_EQ((*list_tasks(*c, a_, {.overdue = true}))["total"], 0);
  set_test_now(parse_instant("2026-11-27T10:01:00Z"));
  EXPECT_TRUE((*get_task(*c, a_, id))["overdue"].get<bool>());
  EXPECT_EQ((*list_tasks(*c, m_, {.overdue = true}))["total"], 1);
  EXPECT_EQ((*overdue_follow_ups(*c, m_, std::nullopt))["total"], 1);
  EXPECT_EQ((*overdue_follow_ups(*c, w_, std::nullopt))["total"], 0);
  EXPECT_EQ((*overdue_follow_ups(*c, b_, std::nullopt))["total"], 0);
  auto missing = complete_task(*c, a_, id, {{"method", "phone"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().fields().at(0).field, "customer_opinion");
  EXPECT_EQ(complete_task(*c, b_, id, {{"method", "phone"}, {"customer_opinion", "x"}}).error().code(),
            Code::not_found);
  auto done = complete_task(*c, a_, id, {{"method", "phone"}, {"customer_opinion", "满意"}});
  ASSERT_TRUE(done);
  EXPECT_FALSE((*done)["on_time"].get<bool>());
  auto compliance = follow_up_compliance(*c, m_, "2026-11", std::nullopt);
  ASSERT_TRUE(compliance);
  EXPECT_EQ((*compliance)["team"]["judged"], 1);
  EXPECT_EQ((*compliance)["team"]["rate_bp"], 0);
}

TEST_P(ActivitiesStoreTest, WeeklyReportIsGeneratedThenFrozen) {
  if (!ready()) return;
  set_test_now(parse_instant("2026-11-30T08:00:00Z"));
  visit("2026-11-23T10:00:00Z");
  visit("2026-11-29T23:00:00Z");
  visit("2026-11-30T01:00:00Z");  // next week
  auto c = database().acquire();
  const auto week = *parse_iso_week("2026-W48");
  EXPECT_EQ(generate_week(*c, a_.user_id, week)["counts"]["visits"], 2);
  auto saved = save_weekly_report(*c, a_, {{"week", "2026-W48"}, {"summary", "两次拜访"}});
  ASSERT_TRUE(saved);
  const auto id = (*saved)["id"].get<std::int64_t>();
  EXPECT_EQ(get_weekly_report(*c, b_, id).error().code(), Code::not_found);
  EXPECT_EQ(get_weekly_report(*c, w_, id).error().code(), Code::not_found);
  EXPECT_EQ(submit_weekly_report(*c, m_, id, json::object()).error().code(), Code::forbidden);
  ASSERT_TRUE(submit_weekly_report(*c, a_, id, json::object()));
  visit("2026-11-25T10:00:00Z");  // recorded after the submission
  EXPECT_EQ((*get_weekly_report(*c, m_, id))["content"]["counts"]["visits"], 2);
  EXPECT_EQ(generate_week(*c, a_.user_id, week)["counts"]["visits"], 3);
  EXPECT_EQ(review_weekly_report(*c, a_, id, json::object()).error().code(), Code::forbidden);
  auto reviewed = review_weekly_report(*c, m_, id, {{"comment", "好"}});
  ASSERT_TRUE(reviewed);
  EXPECT_EQ((*reviewed)["status"], "reviewed");
}

TEST_P(ActivitiesStoreTest, TimelinePagesWithoutGapsOrRepeats) {
  if (!ready()) return;
  // Equal instants across kinds are the hard case for a keyset cursor.
  for (int i = 0; i < 3; ++i) {
    visit("2026-11-2" + std::to_string(i) + "T10:00:00Z");
    auto c = database().acquire();
    ASSERT_TRUE(create_contact_log(
        *c, a_,
        {{"account_id", account_}, {"kind", "call"}, {"occurred_at", "2026-11-2" + std::to_string(i) + "T10:00:00Z"}}));
  }
  auto c = database().acquire();
  std::set<std::string> seen;
  std::optional<std::string> before;
  int pages = 0;
  while (pages++ < 10) {
    auto page = account_timeline(*c, a_, account_, before, 4);
    ASSERT_TRUE(page);
    for (const auto& item : (*page)["items"]) {
      EXPECT_TRUE(seen.insert(item["kind"].get<std::string>() + std::to_string(item["id"].get<std::int64_t>())).second);
    }
    if ((*page)["next"].is_null()) break;
    before = (*page)["next"].get<std::string>();
  }
  EXPECT_EQ(seen.size(), 6u);
  EXPECT_EQ(account_timeline(*c, b_, account_, std::nullopt, 4).error().code(), Code::not_found);
}

INSTANTIATE_TEST_SUITE_P(Backends, ActivitiesStoreTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::activities
