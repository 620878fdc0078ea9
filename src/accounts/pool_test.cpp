// Pure rules of the customer pool: the ownership limits as a table, recovery
// periods by tier, and the settings PATCH validation.
#include <gtest/gtest.h>

#include "accounts/pool.hpp"

namespace kam::accounts::pool {
namespace {

using nlohmann::json;

struct LimitCase {
  const char* name;
  OwnershipAction action;
  std::int64_t owned, claims_today, adding;
  const char* violated;  // "" = allowed, else the limit's field name
};

TEST(PoolLimits, TableOfClaimsAndTransfers) {
  PoolSettings s;
  s.max_owned_per_user = 10;
  s.max_claims_per_day = 3;
  const LimitCase cases[] = {
      {"claim with room", OwnershipAction::claim, 0, 0, 1, ""},
      {"claim reaching the owned limit", OwnershipAction::claim, 9, 0, 1, ""},
      {"claim over the owned limit", OwnershipAction::claim, 10, 0, 1, "max_owned_per_user"},
      {"claim reaching the daily limit", OwnershipAction::claim, 0, 2, 1, ""},
      {"claim over the daily limit", OwnershipAction::claim, 0, 3, 1, "max_claims_per_day"},
      {"both over: owned is reported first", OwnershipAction::claim, 10, 3, 1, "max_owned_per_user"},
      {"transfer ignores the daily claim limit", OwnershipAction::transfer, 0, 99, 1, ""},
      {"transfer reaching the owned limit", OwnershipAction::transfer, 5, 0, 5, ""},
      {"bulk transfer over the owned limit", OwnershipAction::transfer, 5, 0, 6, "max_owned_per_user"},
      {"transfer to a user already over (limit lowered)", OwnershipAction::transfer, 12, 0, 1, "max_owned_per_user"},
  };
  for (const auto& c : cases) {
    const auto result = check_limits(s, c.action, OwnerLoad{c.owned, c.claims_today}, c.adding);
    if (std::string(c.violated).empty()) {
      EXPECT_TRUE(result.ok()) << c.name << ": " << (result.ok() ? "" : result.error().detail());
      continue;
    }
    ASSERT_FALSE(result.ok()) << c.name;
    EXPECT_EQ(result.error().code(), Error::Code::invalid) << c.name;
    ASSERT_EQ(result.error().fields().size(), 1u) << c.name;
    EXPECT_EQ(result.error().fields()[0].field, c.violated) << c.name;
    EXPECT_NE(result.error().detail().find(c.violated), std::string::npos) << c.name << ": " << result.error().detail();
  }
}

TEST(PoolLimits, ZeroClaimsPerDayForbidsClaimingButNotTransfers) {
  PoolSettings s;
  s.max_claims_per_day = 0;
  EXPECT_FALSE(check_limits(s, OwnershipAction::claim, {}, 1).ok());
  EXPECT_TRUE(check_limits(s, OwnershipAction::transfer, {}, 1).ok());
}

TEST(PoolRecovery, DaysByTier) {
  PoolSettings s;  // defaults A 90, B 60, C 30, none 30
  s.recovery_days.none = 45;
  EXPECT_EQ(recovery_days_for(s, std::string("A")), 90);
  EXPECT_EQ(recovery_days_for(s, std::string("B")), 60);
  EXPECT_EQ(recovery_days_for(s, std::string("C")), 30);
  EXPECT_EQ(recovery_days_for(s, std::nullopt), 45);
  EXPECT_EQ(recovery_days_for(s, std::string("X")), 45);
}

TEST(PoolSettingsPatch, DefaultsMatchTheContract) {
  EXPECT_EQ(to_json(PoolSettings{}), json::parse(R"({"max_owned_per_user":200,"max_claims_per_day":20,
                            "recovery_days":{"A":90,"B":60,"C":30,"none":30},"version":1})"));
}

TEST(PoolSettingsPatch, AppliesOnlyTheSentFields) {
  auto next =
      apply_settings_patch(PoolSettings{}, {{"version", 1}, {"max_claims_per_day", 5}, {"recovery_days", {{"B", 7}}}});
  ASSERT_TRUE(next.ok()) << next.error().detail();
  EXPECT_EQ(next->max_claims_per_day, 5);
  EXPECT_EQ(next->max_owned_per_user, 200);
  EXPECT_EQ(next->recovery_days.b, 7);
  EXPECT_EQ(next->recovery_days.a, 90);
}

TEST(PoolSettingsPatch, RejectsBadValuesNamingEachField) {
  struct Case {
    json body;
    const char* field;
  };
  const Case cases[] = {
      {{{"max_owned_per_user", 0}}, "max_owned_per_user"},
      {{{"max_owned_per_user", "10"}}, "max_owned_per_user"},
      {{{"max_claims_per_day", -1}}, "max_claims_per_day"},
      {{{"recovery_days", 30}}, "recovery_days"},
      {{{"recovery_days", {{"A", 0}}}}, "recovery_days.A"},
      {{{"recovery_days", {{"none", 4000}}}}, "recovery_days.none"},
      {{{"recovery_days", {{"D", 10}}}}, "recovery_days.D"},
  };
  for (const auto& c : cases) {
    auto next = apply_settings_patch(PoolSettings{}, c.body);
    ASSERT_FALSE(next.ok()) << c.body.dump();
    EXPECT_EQ(next.error().code(), Error::Code::invalid);
    ASSERT_FALSE(next.error().fields().empty());
    EXPECT_EQ(next.error().fields()[0].field, c.field) << c.body.dump();
  }
}

}  // namespace
}  // namespace kam::accounts::pool
