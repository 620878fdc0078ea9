// Contacts against both back ends: scope through the account, audited
// changes, optimistic versions, the decision-maker-left rule in the same
// transaction, and the buying centre.
#include <gtest/gtest.h>

#include "accounts/accounts.hpp"
#include "accounts/relationship.hpp"
#include "contacts/contacts.hpp"
#include "testing/test_database.hpp"

namespace kam::contacts {
namespace {

using nlohmann::json;
using Code = Error::Code;

class ContactStoreTest : public testdb::BootstrappedTest {
 protected:
  void SetUp() override {
    BootstrappedTest::SetUp();
    if (!ready()) return;
    const auto east = org().department("华东", org().root_department());
    a_ = org().member("spec_a", east, {"specialist"});
    b_ = org().member("spec_b", east, {"specialist"});
    account_ = account_of(a_, "苏州精密机械");
  }

  std::int64_t account_of(const auth::Principal& p, const std::string& name) {
    auto c = database().acquire();
    auto created = accounts::create_account(*c, p, *accounts::read_input({{"name", name}}, true));
    if (!created) throw std::runtime_error(created.error().detail());
    return created->id;
  }

  json create(const auth::Principal& p, json body) {
    auto c = database().acquire();
    auto created = create_contact(*c, p, body);
    if (!created) throw std::runtime_error("create_contact: " + created.error().detail());
    return *created;
  }

  Expected<json> update(const auth::Principal& p, const json& contact, const json& body) {
    auto c = database().acquire();
    return update_contact(*c, p, contact["id"].get<std::int64_t>(), contact["version"].get<std::int64_t>(), body);
  }

  std::string stage() {
    auto c = database().acquire();
    return *accounts::relationship_stage(*c, account_);
  }

  void set_stage(const std::string& s) {
    auto c = database().acquire();
    c->query("UPDATE accounts SET relationship_stage = ? WHERE id = ?", {s, account_});
  }

  std::vector<json> account_audit_afters() {
    auto c = database().acquire();
    std::vector<json> out;
    for (const auto& r : c->query(
             "SELECT after_json FROM audit_log WHERE entity = 'account' AND entity_id = ? ORDER BY id", {account_})) {
      out.push_back(json::parse(r.text(0)));
    }
    return out;
  }

  auth::Principal a_, b_;
  std::int64_t account_ = 0;
};

TEST_P(ContactStoreTest, CreateReturnsTheWholeContactWithDefaultsAndAudits) {
  auto contact = create(a_, {{"account_id", account_}, {"name", "王建国"}, {"buying_role", "decision_maker"}});
  EXPECT_EQ(contact["account_name"], "苏州精密机械");
  EXPECT_EQ(contact["status"], "active");
  EXPECT_EQ(contact["version"], 1);
  EXPECT_TRUE(contact["title"].is_null());
  auto c = database().acquire();
  const auto rows = c->query("SELECT action FROM audit_log WHERE entity = 'contact' AND entity_id = ?",
                             {contact["id"].get<std::int64_t>()});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.front().text(0), "create");
}

TEST_P(ContactStoreTest, FollowsTheAccountsScope) {
  auto contact = create(a_, {{"account_id", account_}, {"name", "王建国"}});
  const auto id = contact["id"].get<std::int64_t>();
  auto c = database().acquire();
  EXPECT_EQ(accounts::get_record(*c, b_, contact_table(), id).error().code(), Code::not_found);
  EXPECT_EQ(accounts::delete_record(*c, b_, contact_table(), id).error().code(), Code::not_found);
  auto created = create_contact(*c, b_, {{"account_id", account_}, {"name", "x"}});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code(), Code::invalid);
  EXPECT_EQ(created.error().fields().at(0).field, "account_id");
  accounts::RecordQuery everything;
  EXPECT_EQ((*accounts::list_records(*c, b_, contact_table(), everything))["total"], 0);
  EXPECT_EQ((*accounts::list_records(*c, a_, contact_table(), everything))["total"], 1);
  c.reset();
  auto stolen = update(b_, contact, {{"name", "改名"}});
  EXPECT_EQ(stolen.error().code(), Code::not_found);
  // A finance user (all scope, read only) sees it but may not change it.
  const auto fin = org().member("fin", org().root_department(), {"finance"});
  c = database().acquire();
  EXPECT_TRUE(accounts::get_record(*c, fin, contact_table(), id).ok());
  EXPECT_EQ(accounts::delete_record(*c, fin, contact_table(), id).error().code(), Code::forbidden);
}

TEST_P(ContactStoreTest, StaleVersionIsAConflict) {
  auto contact = create(a_, {{"account_id", account_}, {"name", "王建国"}});
  ASSERT_TRUE(update(a_, contact, {{"title", "总经理"}}).ok());
  EXPECT_EQ(update(a_, contact, {{"title", "董事长"}}).error().code(), Code::conflict);
}

TEST_P(ContactStoreTest, DecisionMakerLeavingFallsBackTheAccountInTheSameChange) {
  set_stage("strengthen");
  auto dm = create(a_, {{"account_id", account_}, {"name", "王建国"}, {"buying_role", "decision_maker"}});
  EXPECT_EQ(stage(), "strengthen");  // creating never falls back
  auto left = update(a_, dm, {{"status", "left"}});
  ASSERT_TRUE(left.ok()) << left.error().detail();
  EXPECT_EQ(stage(), "establish");
  const auto audits = account_audit_afters();
  ASSERT_FALSE(audits.empty());
  EXPECT_EQ(audits.back()["reason"], "decision_maker_left");
  EXPECT_EQ(audits.back()["relationship_stage"], "establish");
  // Already establish: no second audit row.
  auto other = create(a_, {{"account_id", account_}, {"name", "李四"}, {"status", "left"}});
  ASSERT_TRUE(update(a_, other, {{"buying_role", "decision_maker"}}).ok());
  EXPECT_EQ(account_audit_afters().size(), audits.size());
}

TEST_P(ContactStoreTest, LeftContactMadeDecisionMakerFallsBackToo) {
  set_stage("stabilize");
  auto gone = create(a_, {{"account_id", account_}, {"name", "李四"}, {"status", "left"}, {"buying_role", "user"}});
  auto changed = update(a_, gone, {{"buying_role", "decision_maker"}});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(stage(), "establish");
}

TEST_P(ContactStoreTest, OtherChangesKeepTheStage) {
  set_stage("strengthen");
  auto influencer = create(a_, {{"account_id", account_}, {"name", "赵六"}, {"buying_role", "influencer"}});
  ASSERT_TRUE(update(a_, influencer, {{"status", "left"}}).ok());
  EXPECT_EQ(stage(), "strengthen");
}

TEST_P(ContactStoreTest, BuyingCenterListsEveryContactAndCountsTheActiveOnes) {
  create(a_, {{"account_id", account_}, {"name", "甲"}, {"buying_role", "decision_maker"}, {"attitude", "supporter"}});
  create(a_, {{"account_id", account_}, {"name", "乙"}, {"buying_role", "insider"}, {"attitude", "supporter"}});
  create(a_, {{"account_id", account_}, {"name", "丙"}, {"buying_role", "gatekeeper"}, {"attitude", "opponent"}});
  create(a_, {{"account_id", account_}, {"name", "丁"}, {"buying_role", "decision_maker"}, {"status", "left"}});
  auto c = database().acquire();
  auto center = buying_center(*c, a_, account_);
  ASSERT_TRUE(center.ok());
  EXPECT_EQ((*center)["contacts"].size(), 4u);
  EXPECT_EQ((*center)["relationship_stage"], "establish");
  EXPECT_EQ((*center)["summary"], (json{{"decision_makers", 1}, {"supporters", 2}, {"opponents", 1}, {"insiders", 1}}));
  EXPECT_EQ(buying_center(*c, b_, account_).error().code(), Code::not_found);
}

TEST_P(ContactStoreTest, ListFiltersAndSearches) {
  create(a_,
         {{"account_id", account_}, {"name", "王建国"}, {"buying_role", "decision_maker"}, {"phone", "13800001111"}});
  create(a_, {{"account_id", account_}, {"name", "王小明"}, {"status", "left"}});
  create(a_, {{"account_id", account_}, {"name", "Li Lei"}});
  auto c = database().acquire();
  auto total = [&](accounts::RecordQuery q) {
    return (*accounts::list_records(*c, a_, contact_table(), q))["total"].get<std::int64_t>();
  };
  EXPECT_EQ(total({.q = "王", .search_columns = {"t.name"}}), 2);
  EXPECT_EQ(total({.q = "li lei", .search_columns = {"t.name"}}), 1);
  EXPECT_EQ(total({.q = "0001111", .search_columns = {"t.name", "t.phone"}}), 1);
  EXPECT_EQ(total({.equals = {{"status", std::string("left")}}}), 1);
  EXPECT_EQ(total({.equals = {{"buying_role", std::string("decision_maker")}}}), 1);
  // A deleted account takes its contacts out of sight.
  ASSERT_TRUE(accounts::delete_account(*c, org().admin(), account_).ok());
  EXPECT_EQ(total({}), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ContactStoreTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::contacts
