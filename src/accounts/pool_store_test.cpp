// The customer pool against both back ends: claim (and its race), limits,
// release, transfer and bulk transfer in scope, the ownership log and audit
// rows, and recovery by tier.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <sstream>
#include <thread>

#include "accounts/pool.hpp"
#include "platform/db/migrations.hpp"
#include "testing/test_database.hpp"

namespace kam::accounts::pool {
namespace {

using nlohmann::json;

class PoolStoreTest : public testdb::BootstrappedTest {
 protected:
  int pool_size() const override { return 12; }

  void SetUp() override {
    BootstrappedTest::SetUp();
    if (!ready()) return;
    admin_ = org().admin();
    sales_ = org().department("sales", org().root_department());
    east_ = org().department("east", sales_);
    south_ = org().department("south", sales_);
    other_ = org().department("other", org().root_department());
    manager_ = org().member("manager", sales_, {"manager"});
    east_mgr_ = org().member("east_mgr", east_, {"manager"});
    alice_ = org().member("alice", east_, {"specialist"});
    bob_ = org().member("bob", south_, {"specialist"});
    carol_ = org().member("carol", other_, {"specialist"});
  }

  // An account created by `p`, then put in the pool when `pooled`.
  std::int64_t account(const auth::Principal& p, const std::string& name, bool pooled = false) {
    auto c = database().acquire();
    auto created = create_account(*c, p, *read_input({{"name", name}}, true));
    if (!created) throw std::runtime_error(created.error().detail());
    if (pooled) c->query("UPDATE accounts SET owner_id = NULL WHERE id = ?", {created->id});
    return created->id;
  }

  std::optional<std::int64_t> owner_of(std::int64_t id) {
    auto c = database().acquire();
    return c->query("SELECT owner_id FROM accounts WHERE id = ?", {id}).front().optional_integer("owner_id");
  }

  std::int64_t count(const std::string& sql, const db::Params& params = {}) {
    auto c = database().acquire();
    return c->query(sql, params).front().integer(0);
  }

  void set_settings(const json& patch) {
    auto c = database().acquire();
    auto current = load_settings(*c);
    json body = patch;
    body["version"] = current.version;
    auto updated = update_settings(*c, admin_, body);
    if (!updated) throw std::runtime_error(updated.error().detail());
  }

  auth::Principal admin_, manager_, east_mgr_, alice_, bob_, carol_;
  std::int64_t sales_ = 0, east_ = 0, south_ = 0, other_ = 0;
};

TEST_P(PoolStoreTest, ClaimMakesTheCallerOwnerAndLogsIt) {
  if (!ready()) return;
  const auto id = account(bob_, "公海客户", true);
  auto c = database().acquire();
  auto claimed = claim(*c, alice_, id);
  ASSERT_TRUE(claimed.ok()) << claimed.error().detail();
  EXPECT_EQ(claimed->owner_id, alice_.user_id);
  EXPECT_EQ(claimed->department_id, east_);
  EXPECT_FALSE(c->query("SELECT owned_since FROM accounts WHERE id = ?", {id}).front().is_null(0));
  const auto log = c->query(
      "SELECT action, from_user_id, to_user_id, by_user_id FROM account_ownership_log "
      "WHERE account_id = ?",
      {id});
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.front().text("action"), "claim");
  EXPECT_TRUE(log.front().is_null("from_user_id"));
  EXPECT_EQ(log.front().integer("to_user_id"), alice_.user_id);
  EXPECT_EQ(log.front().integer("by_user_id"), alice_.user_id);
  EXPECT_EQ(
      count("SELECT count(*) FROM audit_log WHERE entity = 'account' AND entity_id = ? AND action = 'claim'", {id}), 1);
  // Owned now: nobody else may claim it, the owner neither.
  auto again = claim(*c, bob_, id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Error::Code::conflict);
  EXPECT_EQ(claim(*c, alice_, id).error().code(), Error::Code::conflict);
  // The log lists it with names.
  auto listed = ownership_log(*c, alice_, id, 50, 0);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)["total"], 1);
  EXPECT_EQ((*listed)["items"][0]["to_user_name"], "alice");
}

TEST_P(PoolStoreTest, ClaimOfAnOwnedOrDeletedAccountFails) {
  if (!ready()) return;
  const auto owned = account(bob_, "有主客户");
  auto c = database().acquire();
  EXPECT_EQ(claim(*c, alice_, owned).error().code(), Error::Code::conflict);
  EXPECT_EQ(owner_of(owned), bob_.user_id);
  EXPECT_EQ(claim(*c, alice_, 987654).error().code(), Error::Code::not_found);
  const auto gone = account(bob_, "已删除", true);
  c->query("UPDATE accounts SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE id = ?", {gone});
  EXPECT_EQ(claim(*c, alice_, gone).error().code(), Error::Code::not_found);
  auto finance = org().member("fin", sales_, {"finance"});
  const auto pooled = account(bob_, "财务不能认领", true);
  EXPECT_EQ(claim(*c, finance, pooled).error().code(), Error::Code::forbidden);
}

TEST_P(PoolStoreTest, TenThreadsClaimingOneAccountExactlyOneWins) {
  if (!ready()) return;
  const auto id = account(admin_, "抢手客户", true);
  std::vector<auth::Principal> claimers;
  for (int i = 0; i < 10; ++i) claimers.push_back(org().member("racer" + std::to_string(i), east_, {"specialist"}));
  std::atomic<int> wins{0}, conflicts{0}, others{0};
  std::vector<std::thread> threads;
  for (const auto& p : claimers) {
    threads.emplace_back([&, p] {
      auto c = database().acquire();
      auto result = claim(*c, p, id);
      if (result.ok()) {
        ++wins;
      } else if (result.error().code() == Error::Code::conflict) {
        ++conflicts;
      } else {
        ++others;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), 9);
  EXPECT_EQ(others.load(), 0);
  EXPECT_EQ(count("SELECT count(*) FROM account_ownership_log WHERE account_id = ?", {id}), 1);
}

TEST_P(PoolStoreTest, ClaimLimitsOwnedAndPerDay) {
  if (!ready()) return;
  set_settings({{"max_claims_per_day", 2}});
  auto c = database().acquire();
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(claim(*c, alice_, account(admin_, "日" + std::to_string(i), true)).ok());
  auto third = claim(*c, alice_, account(admin_, "日3", true));
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code(), Error::Code::invalid);
  EXPECT_EQ(third.error().fields().at(0).field, "max_claims_per_day");
  // Yesterday's claims do not count.
  c->query("UPDATE account_ownership_log SET at = '2000-01-01T00:00:00.000Z' WHERE by_user_id = ?", {alice_.user_id});
  EXPECT_TRUE(claim(*c, alice_, account(admin_, "日4", true)).ok());

  set_settings({{"max_claims_per_day", 100}, {"max_owned_per_user", 4}});
  account(alice_, "自建1");  // alice owns 4 now (3 claimed + 1 created)
  auto over = claim(*c, alice_, account(admin_, "满了", true));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().fields().at(0).field, "max_owned_per_user");
}

TEST_P(PoolStoreTest, ReleaseByOwnerOrByAManagerInScope) {
  if (!ready()) return;
  auto c = database().acquire();
  const auto mine = account(alice_, "我的客户");
  // A peer specialist cannot see it: 404; a manager outside the tree: 404.
  auto other_mgr = org().member("other_mgr", other_, {"manager"});
  EXPECT_EQ(release(*c, bob_, mine).error().code(), Error::Code::not_found);
  EXPECT_EQ(release(*c, other_mgr, mine).error().code(), Error::Code::not_found);
  // An assistant of the department sees it but may not release it: 403.
  auto assistant = org().member("assistant", east_, {"assistant"});
  EXPECT_EQ(release(*c, assistant, mine).error().code(), Error::Code::forbidden);
  auto released = release(*c, alice_, mine);
  ASSERT_TRUE(released.ok()) << released.error().detail();
  EXPECT_FALSE(released->owner_id.has_value());
  EXPECT_EQ(released->department_id, east_);  // kept for reporting
  EXPECT_TRUE(c->query("SELECT owned_since FROM accounts WHERE id = ?", {mine}).front().is_null(0));
  EXPECT_EQ(release(*c, alice_, mine).error().code(), Error::Code::not_found);   // pooled: alice no longer sees it
  EXPECT_EQ(release(*c, manager_, mine).error().code(), Error::Code::conflict);  // already in the pool

  const auto theirs = account(bob_, "经理收回");
  auto by_manager = release(*c, manager_, theirs);
  ASSERT_TRUE(by_manager.ok()) << by_manager.error().detail();
  const auto log =
      c->query("SELECT action, from_user_id, by_user_id FROM account_ownership_log WHERE account_id = ?", {theirs});
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.front().text("action"), "release");
  EXPECT_EQ(log.front().integer("from_user_id"), bob_.user_id);
  EXPECT_EQ(log.front().integer("by_user_id"), manager_.user_id);
}

TEST_P(PoolStoreTest, TransferWithinTheManagersTree) {
  if (!ready()) return;
  auto c = database().acquire();
  const auto id = account(alice_, "转移客户");
  // A specialist lacks accounts.transfer.
  EXPECT_EQ(transfer(*c, alice_, id, bob_.user_id).error().code(), Error::Code::forbidden);
  // Target outside the manager's tree → 422 on owner_id; account unchanged.
  auto outside = transfer(*c, manager_, id, carol_.user_id);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code(), Error::Code::invalid);
  EXPECT_EQ(outside.error().fields().at(0).field, "owner_id");
  // The east manager cannot see south's users nor hand accounts to them.
  EXPECT_EQ(transfer(*c, east_mgr_, id, bob_.user_id).error().code(), Error::Code::invalid);
  auto moved = transfer(*c, manager_, id, bob_.user_id);
  ASSERT_TRUE(moved.ok()) << moved.error().detail();
  EXPECT_EQ(moved->owner_id, bob_.user_id);
  EXPECT_EQ(moved->department_id, south_);
  // Now in south: the east manager no longer sees it.
  EXPECT_EQ(transfer(*c, east_mgr_, id, alice_.user_id).error().code(), Error::Code::not_found);
  // The admin (scope all) may hand it anywhere.
  ASSERT_TRUE(transfer(*c, admin_, id, carol_.user_id).ok());
  EXPECT_EQ(count("SELECT count(*) FROM account_ownership_log WHERE account_id = ? AND action = 'transfer'", {id}), 2);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity_id = ? AND action = 'transfer'", {id}), 2);
  // The new owner's limit applies.
  set_settings({{"max_owned_per_user", 1}});
  auto full = transfer(*c, admin_, account(admin_, "超限"), carol_.user_id);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().fields().at(0).field, "max_owned_per_user");
}

TEST_P(PoolStoreTest, BulkTransferIsAllOrNothing) {
  if (!ready()) return;
  auto c = database().acquire();
  const auto a1 = account(alice_, "批量1");
  const auto a2 = account(bob_, "批量2");
  const auto a3 = account(carol_, "批量3");  // outside the manager's tree
  auto failed = bulk_transfer(*c, manager_, {a1, a2, a3}, bob_.user_id);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), Error::Code::invalid);
  EXPECT_EQ(owner_of(a1), alice_.user_id);
  EXPECT_EQ(count("SELECT count(*) FROM account_ownership_log"), 0);

  const auto a4 = account(alice_, "批量4");
  auto ok = bulk_transfer(*c, manager_, {a1, a4}, bob_.user_id);
  ASSERT_TRUE(ok.ok()) << ok.error().detail();
  EXPECT_EQ(*ok, 2);
  EXPECT_EQ(owner_of(a1), bob_.user_id);
  EXPECT_EQ(owner_of(a4), bob_.user_id);

  set_settings({{"max_owned_per_user", 4}});  // bob owns a1, a2, a4: 3 + 2 > 4
  const auto a5 = account(alice_, "批量5");
  const auto a6 = account(alice_, "批量6");
  auto over = bulk_transfer(*c, manager_, {a5, a6}, bob_.user_id);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().fields().at(0).field, "max_owned_per_user");
  EXPECT_EQ(owner_of(a5), alice_.user_id);
  EXPECT_EQ(bulk_transfer(*c, manager_, {a5, a5}, bob_.user_id).error().code(), Error::Code::invalid);
  EXPECT_EQ(bulk_transfer(*c, alice_, {a5}, bob_.user_id).error().code(), Error::Code::forbidden);
}

TEST_P(PoolStoreTest, RecoveryReturnsIdleAccountsByTier) {
  if (!ready()) return;
  const auto now = std::chrono::system_clock::now();
  auto days_ago = [&](int days) { return format_instant(now - std::chrono::hours(24) * days); };
  struct Row {
    const char* name;
    std::optional<std::string> tier;
    int idle_days;       // last activity (or owned_since / created_at) this long ago
    const char* column;  // which timestamp drives it
    bool recovered;
  };
  const Row rows[] = {
      {"A89", "A", 89, "last_activity_at", false},
      {"A91", "A", 91, "last_activity_at", true},
      {"B59", "B", 59, "owned_since", false},
      {"B61", "B", 61, "owned_since", true},
      {"C29", "C", 29, "created_at", false},
      {"C31", "C", 31, "created_at", true},
      {"none31", std::nullopt, 31, "last_activity_at", true},
      {"none29", std::nullopt, 29, "last_activity_at", false},
  };
  std::vector<std::int64_t> ids;
  {
    auto c = database().acquire();
    for (const auto& r : rows) {
      const auto id = account(alice_, r.name);
      // Everything else recent; only the driving column is old.
      c->query("UPDATE accounts SET tier = ?, created_at = ?, owned_since = ?, last_activity_at = NULL WHERE id = ?",
               {r.tier ? db::Value(*r.tier) : db::Value(nullptr),
                std::string(r.column) == "created_at" ? days_ago(r.idle_days) : days_ago(400),
                std::string(r.column) == "created_at"    ? db::Value(nullptr)
                : std::string(r.column) == "owned_since" ? db::Value(days_ago(r.idle_days))
                                                         : db::Value(days_ago(1000)),
                id});
      if (std::string(r.column) == "last_activity_at") {
        c->query("UPDATE accounts SET last_activity_at = ? WHERE id = ?", {days_ago(r.idle_days), id});
      }
      ids.push_back(id);
    }
  }
  const auto pooled_before = account(bob_, "已在公海", true);
  auto c = database().acquire();
  EXPECT_EQ(recover(*c, now), 4);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(!owner_of(ids[i]).has_value(), rows[i].recovered) << rows[i].name;
  }
  EXPECT_FALSE(owner_of(pooled_before).has_value());
  const auto audit = c->query("SELECT user_id, after_json FROM audit_log WHERE action = 'recover' ORDER BY id");
  ASSERT_EQ(audit.size(), 4u);
  for (const auto& row : audit) {
    EXPECT_TRUE(row.is_null("user_id"));
    EXPECT_NE(json::parse(row.text("after_json")).value("reason", "").find("no activity"), std::string::npos);
  }
  EXPECT_EQ(count("SELECT count(*) FROM account_ownership_log WHERE action = 'recover' AND by_user_id IS NULL "
                  "AND to_user_id IS NULL"),
            4);
  EXPECT_EQ(recover(*c, now), 0);  // idempotent

  // Settings change the periods: A at 30 days recovers A89.
  set_settings({{"recovery_days", {{"A", 30}}}});
  EXPECT_EQ(recover(*c, now), 1);
  EXPECT_FALSE(owner_of(ids[0]).has_value());
}

TEST_P(PoolStoreTest, PoolListShowsEveryPoolAccountToAnyReader) {
  if (!ready()) return;
  const auto a = account(carol_, "公海甲", true);
  const auto b = account(bob_, "公海乙", true);
  account(bob_, "有主丙");
  auto c = database().acquire();
  auto page = list_pool(*c, alice_, PoolQuery{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, b);
  EXPECT_EQ(page->items[1].id, a);
  PoolQuery q;
  q.q = "公海甲";
  EXPECT_EQ(list_pool(*c, alice_, q)->total, 1);
  // The ownership log of a pool account is readable by any reader.
  EXPECT_TRUE(ownership_log(*c, alice_, a, 10, 0).ok());
}

TEST_P(PoolStoreTest, RecordOwnershipForImports) {
  if (!ready()) return;
  const auto id = account(admin_, "导入客户");
  auto c = database().acquire();
  record_ownership(*c, id, "import", std::nullopt, alice_.user_id, admin_.user_id);
  EXPECT_FALSE(c->query("SELECT owned_since FROM accounts WHERE id = ?", {id}).front().is_null(0));
  EXPECT_EQ(count("SELECT count(*) FROM account_ownership_log WHERE account_id = ? AND action = 'import'", {id}), 1);
}

TEST_P(PoolStoreTest, SettingsNeedAdminAndTheVersion) {
  if (!ready()) return;
  auto c = database().acquire();
  auto got = get_settings(*c, alice_);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(update_settings(*c, manager_, {{"version", 1}, {"max_claims_per_day", 1}}).error().code(),
            Error::Code::forbidden);
  auto updated = update_settings(*c, admin_, {{"version", 1}, {"max_claims_per_day", 1}});
  ASSERT_TRUE(updated.ok()) << updated.error().detail();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(update_settings(*c, admin_, {{"version", 1}, {"max_claims_per_day", 2}}).error().code(),
            Error::Code::conflict);
  EXPECT_EQ(load_settings(*c).max_claims_per_day, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, PoolStoreTest, testdb::kBackends, testdb::backend_name);

// Migration 004 gives the roles seeded before it their new permissions.
class PermissionsMigrationTest : public testdb::BackendTest {};

TEST_P(PermissionsMigrationTest, AddsTransferImportAndExportToTheOldSeededRoles) {
  if (!ready()) return;
  std::vector<db::Migration> before_004;
  for (const auto& m : db::builtin_migrations()) {
    if (m.version < 4) before_004.push_back(m);
  }
  db::migrate(database(), before_004);
  {
    auto c = database().acquire();
    const std::pair<const char*, const char*> old_roles[] = {
        {"admin", "accounts.read accounts.write accounts.delete users.read users.admin audit.read"},
        {"director", "accounts.read accounts.write accounts.delete users.read audit.read"},
        {"manager", "accounts.read accounts.write accounts.delete users.read audit.read"},
        {"specialist", "accounts.read accounts.write audit.read"},
        {"assistant", "accounts.read accounts.write users.read audit.read"},
        {"finance", "accounts.read users.read audit.read"},
        {"custom_reader", "accounts.read"},
        {"custom_none", ""},
    };
    for (const auto& [code, permissions] : old_roles) {
      c->query(
          "INSERT INTO roles (code, name, name_en, permissions, data_scope, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, 'self', 'x', 'x')",
          {std::string(code), std::string(code), std::string(code), std::string(permissions)});
    }
  }
  db::migrate(database(), db::builtin_migrations());
  auto c = database().acquire();
  auto permissions_of = [&](const std::string& code) {
    std::set<std::string> out;
    std::istringstream in(c->query("SELECT permissions FROM roles WHERE code = ?", {code}).front().text(0));
    for (std::string word; in >> word;) out.insert(word);
    return out;
  };
  const std::set<std::string> transfer = {"admin", "director", "manager"};
  const std::set<std::string> import = {"admin", "director", "manager", "assistant"};
  for (const auto* code : {"admin", "director", "manager", "specialist", "assistant", "finance", "custom_reader"}) {
    const auto p = permissions_of(code);
    EXPECT_EQ(p.count("accounts.transfer"), transfer.count(code)) << code;
    EXPECT_EQ(p.count("accounts.import"), import.count(code)) << code;
    EXPECT_EQ(p.count("accounts.export"), 1u) << code;
    EXPECT_EQ(p.count("accounts.read"), 1u) << code;
  }
  EXPECT_TRUE(permissions_of("custom_none").empty());
  // Migration 005 adds the module permissions by seeded role code only.
  EXPECT_EQ(c->query("SELECT permissions FROM roles WHERE code = 'specialist'").front().text(0),
            "accounts.read accounts.write audit.read accounts.export opportunities.read opportunities.write "
            "activities.read activities.write requests.read requests.write");
  EXPECT_EQ(permissions_of("custom_reader"), (std::set<std::string>{"accounts.read", "accounts.export"}));
  EXPECT_EQ(permissions_of("finance").count("budgets.admin"), 1u);
  EXPECT_EQ(permissions_of("finance").count("requests.write"), 0u);
  EXPECT_EQ(permissions_of("manager").count("opportunities.override"), 1u);
  EXPECT_EQ(permissions_of("admin").count("approvals.admin"), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, PermissionsMigrationTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::accounts::pool
