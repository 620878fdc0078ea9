// Secondary customers and growth records against both back ends.
#include <gtest/gtest.h>

#include "accounts/accounts.hpp"
#include "secondary/secondary.hpp"
#include "testing/test_database.hpp"

namespace kam::secondary {
namespace {

using nlohmann::json;

class SecondaryStoreTest : public testdb::BootstrappedTest {};

TEST_P(SecondaryStoreTest, GrowthIsNewestFirstAndFollowsTheParentsScope) {
  const auto dept = org().department("渠道部", org().root_department());
  const auto a = org().member("spec_a", dept, {"specialist"});
  const auto b = org().member("spec_b", dept, {"specialist"});
  auto c = database().acquire();
  const auto account = accounts::create_account(*c, a, *accounts::read_input({{"name", "渠道客户"}}, true))->id;
  auto values = accounts::read_fields({{"account_id", account}, {"name", "好又多"}, {"kind", "mixed_dealer"}},
                                      secondary_customer_table().fields, true);
  auto customer = accounts::create_record(*c, a, secondary_customer_table(), *values);
  ASSERT_TRUE(customer.ok()) << customer.error().detail();
  EXPECT_TRUE((*customer)["latest_growth"].is_null());
  const auto id = (*customer)["id"].get<std::int64_t>();
  for (const auto* day : {"2026-01-31", "2026-03-31", "2026-02-28"}) {
    auto growth = read_growth({{"recorded_on", day}, {"revenue_fen", 100}, {"outlets", 3}});
    ASSERT_TRUE(growth.ok());
    ASSERT_TRUE(add_growth(*c, a, id, *growth).ok());
  }
  auto list = list_growth(*c, a, id, 10, 0);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)["total"], 3);
  EXPECT_EQ((*list)["items"][0]["recorded_on"], "2026-03-31");
  EXPECT_EQ((*accounts::get_record(*c, a, secondary_customer_table(), id))["latest_growth"]["recorded_on"],
            "2026-03-31");
  EXPECT_EQ(list_growth(*c, b, id, 10, 0).error().code(), Error::Code::not_found);
  EXPECT_EQ(add_growth(*c, b, id, *read_growth({{"recorded_on", "2026-04-30"}})).error().code(),
            Error::Code::not_found);
  EXPECT_FALSE(growth_visible(*c, b, (*list)["items"][0]["id"]));
  EXPECT_TRUE(growth_visible(*c, a, (*list)["items"][0]["id"]));
}

INSTANTIATE_TEST_SUITE_P(Backends, SecondaryStoreTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::secondary
