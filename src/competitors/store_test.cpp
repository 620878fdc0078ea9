// Competitors against both back ends: unique names and pairs (409), a
// presence needs a live competitor (422), scope through the account.
#include <gtest/gtest.h>

#include "accounts/accounts.hpp"
#include "competitors/competitors.hpp"
#include "testing/test_database.hpp"

namespace kam::competitors {
namespace {

using nlohmann::json;
using Code = Error::Code;

class CompetitorStoreTest : public testdb::BootstrappedTest {
 protected:
  Expected<json> create(const auth::Principal& p, const accounts::RecordTable& table, const json& body) {
    auto values = accounts::read_fields(body, table.fields, true);
    if (!values) return values.error();
    auto c = database().acquire();
    return accounts::create_record(*c, p, table, *values);
  }
};

TEST_P(CompetitorStoreTest, DuplicateNamesAndPairsAreConflicts) {
  const auto admin = org().admin();
  auto first = create(admin, competitor_table(), {{"name", "西门子"}});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(create(admin, competitor_table(), {{"name", "西门子"}}).error().code(), Code::conflict);
  auto c = database().acquire();
  const auto account = accounts::create_account(*c, admin, *accounts::read_input({{"name", "客户"}}, true))->id;
  c.reset();
  const json pair = {{"account_id", account}, {"competitor_id", (*first)["id"]}, {"share_percent", 20}};
  auto presence = create(admin, account_competitor_table(), pair);
  ASSERT_TRUE(presence.ok()) << presence.error().detail();
  EXPECT_EQ((*presence)["competitor_name"], "西门子");
  EXPECT_EQ(create(admin, account_competitor_table(), pair).error().code(), Code::conflict);
  // The failed insert left the connection usable (PostgreSQL aborts the transaction).
  c = database().acquire();
  EXPECT_TRUE(accounts::get_record(*c, admin, account_competitor_table(), (*presence)["id"]).ok());
}

TEST_P(CompetitorStoreTest, PresenceNeedsALiveCompetitorAndAVisibleAccount) {
  const auto admin = org().admin();
  const auto dept = org().department("华南", org().root_department());
  const auto a = org().member("spec_a", dept, {"specialist"});
  const auto b = org().member("spec_b", dept, {"specialist"});
  auto c = database().acquire();
  const auto account = accounts::create_account(*c, a, *accounts::read_input({{"name", "客户"}}, true))->id;
  c.reset();
  auto gone = create(admin, competitor_table(), {{"name", "ABB"}});
  c = database().acquire();
  ASSERT_TRUE(accounts::delete_record(*c, admin, competitor_table(), (*gone)["id"]).ok());
  c.reset();
  auto refused = create(a, account_competitor_table(), {{"account_id", account}, {"competitor_id", (*gone)["id"]}});
  EXPECT_EQ(refused.error().code(), Code::invalid);
  EXPECT_EQ(refused.error().fields().at(0).field, "competitor_id");
  auto live = create(admin, competitor_table(), {{"name", "施耐德"}});
  auto by_peer = create(b, account_competitor_table(), {{"account_id", account}, {"competitor_id", (*live)["id"]}});
  EXPECT_EQ(by_peer.error().fields().at(0).field, "account_id");
  auto mine = create(a, account_competitor_table(), {{"account_id", account}, {"competitor_id", (*live)["id"]}});
  ASSERT_TRUE(mine.ok());
  c = database().acquire();
  EXPECT_EQ(accounts::get_record(*c, b, account_competitor_table(), (*mine)["id"]).error().code(), Code::not_found);
  EXPECT_FALSE(accounts::record_visible(*c, b, account_competitor_table(), (*mine)["id"]));
  EXPECT_TRUE(accounts::record_visible(*c, a, account_competitor_table(), (*mine)["id"]));
  EXPECT_EQ((*accounts::list_records(*c, b, account_competitor_table(), {}))["total"], 0);
  // The registry is shared.
  EXPECT_EQ((*accounts::list_records(*c, b, competitor_table(), {}))["total"], 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, CompetitorStoreTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::competitors
