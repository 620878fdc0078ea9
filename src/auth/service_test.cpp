// AuthService against both back ends: bootstrap, login with throttling,
// sessions, logout, and how principal_of computes permissions and scope.
#include "auth/service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "auth/directory.hpp"
#include "testing/test_database.hpp"

namespace kam::auth {
namespace {

using Code = Error::Code;
using testdb::Org;

std::int64_t count(db::Database& database, const std::string& sql, const db::Params& params = {}) {
  auto c = database.acquire();
  return c->query(sql, params).front().integer(0);
}

std::set<std::int64_t> as_set(const std::vector<std::int64_t>& ids) {
  return {ids.begin(), ids.end()};
}

// Migrated but not bootstrapped: the tests call bootstrap themselves.
class BootstrapTest : public testdb::MigratedTest {
 protected:
  void SetUp() override {
    MigratedTest::SetUp();
    if (!ready()) return;
    crypto_init();
  }
};

TEST_P(BootstrapTest, CreatesTheSeededRolesAndOneAdmin) {
  AuthService auth(database());
  EXPECT_FALSE(auth.bootstrap(std::string(Org::kAdminPassword)).has_value());  // given, so not generated

  auto c = database().acquire();
  std::set<std::string> codes;
  for (const auto& r : c->query("SELECT code FROM roles")) codes.insert(r.text(0));
  EXPECT_EQ(codes, (std::set<std::string>{"admin", "director", "manager", "specialist", "assistant", "finance"}));
  const auto users = c->query("SELECT id, username, active, department_id FROM users");
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users.front().text("username"), "admin");
  EXPECT_EQ(users.front().integer("active"), 1);
  const auto dept = users.front().integer("department_id");
  EXPECT_EQ(c->query("SELECT path FROM departments WHERE id = ?", {dept}).front().text(0),
            "/" + std::to_string(dept) + "/");
  const auto admin_roles =
      c->query("SELECT r.code FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = ?",
               {users.front().integer("id")});
  ASSERT_EQ(admin_roles.size(), 1u);
  EXPECT_EQ(admin_roles.front().text(0), "admin");
  c.reset();

  EXPECT_TRUE(auth.login("admin", Org::kAdminPassword).ok());
  EXPECT_EQ(auth.login("admin", "some-other-password").error().code(), Code::unauthenticated);
}

TEST_P(BootstrapTest, RunningAgainCreatesNothingMore) {
  AuthService auth(database());
  auth.bootstrap(std::string(Org::kAdminPassword));
  const auto roles = count(database(), "SELECT count(*) FROM roles");
  EXPECT_FALSE(auth.bootstrap(std::string("a-different-password")).has_value());
  EXPECT_FALSE(auth.bootstrap(std::nullopt).has_value());
  EXPECT_EQ(count(database(), "SELECT count(*) FROM roles"), roles);
  EXPECT_EQ(count(database(), "SELECT count(*) FROM users"), 1);
  EXPECT_EQ(count(database(), "SELECT count(*) FROM departments"), 1);
  EXPECT_EQ(count(database(), "SELECT count(*) FROM user_roles"), 1);
  // The first password still holds.
  EXPECT_TRUE(auth.login("admin", Org::kAdminPassword).ok());
  EXPECT_FALSE(auth.login("admin", "a-different-password").ok());
}

TEST_P(BootstrapTest, GeneratesAPasswordWhenNoneIsGiven) {
  AuthService auth(database());
  const auto generated = auth.bootstrap(std::nullopt);
  ASSERT_TRUE(generated.has_value());
  EXPECT_GE(generated->size(), 12u);
  EXPECT_TRUE(auth.login("admin", *generated).ok());
}

// Two servers starting at once on a migrated, empty database.
TEST_P(BootstrapTest, ConcurrentBootstrapsCreateOneAdmin) {
  constexpr int starters = 3;
  std::vector<std::string> errors(starters);
  std::vector<std::thread> threads;
  for (int i = 0; i < starters; ++i) {
    threads.emplace_back([&, i] {
      try {
        AuthService auth(database());
        auth.bootstrap(std::string(Org::kAdminPassword));
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(i)] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(count(database(), "SELECT count(*) FROM users"), 1);
  EXPECT_EQ(count(database(), "SELECT count(*) FROM roles"), 6);
  EXPECT_EQ(count(database(), "SELECT count(*) FROM departments"), 1);
}

class AuthServiceTest : public testdb::BootstrappedTest {};

TEST_P(AuthServiceTest, LoginReturnsATokenForTheAdminPrincipal) {
  auto login = org().auth().login("admin", Org::kAdminPassword);
  ASSERT_TRUE(login.ok()) << login.error().detail();
  EXPECT_FALSE(login->token.empty());
  EXPECT_FALSE(login->csrf_token.empty());
  EXPECT_NE(login->token, login->csrf_token);
  EXPECT_EQ(login->user["username"], "admin");
  EXPECT_FALSE(login->user.contains("password_hash"));
  EXPECT_EQ(login->max_age_seconds, AuthSettings{}.session_seconds);

  auto p = org().auth().authenticate(login->token);
  ASSERT_TRUE(p.ok()) << p.error().detail();
  EXPECT_EQ(p->user_id, org().admin_id());
  EXPECT_EQ(p->username, "admin");
  EXPECT_EQ(p->scope, DataScope::all);
  EXPECT_EQ(p->roles, std::vector<std::string>{"admin"});
  EXPECT_EQ(
      p->permissions,
      (std::set<std::string>{"accounts.read",   "accounts.write",     "accounts.delete",     "accounts.transfer",
                             "accounts.import", "accounts.export",    "users.read",          "users.admin",
                             "audit.read",      "opportunities.read", "opportunities.write", "opportunities.override",
                             "pipeline.admin",  "activities.read",    "activities.write",    "reports.review",
                             "requests.read",   "requests.write",     "approvals.admin",     "budgets.admin"}));
  EXPECT_EQ(org().auth().csrf_of(login->token), login->csrf_token);

  // The token itself is not stored.
  EXPECT_EQ(count(database(), "SELECT count(*) FROM sessions WHERE token_hash = ?", {login->token}), 0);
  EXPECT_EQ(count(database(), "SELECT count(*) FROM sessions"), 1);

  // Two logins are two independent sessions.
  auto second = org().auth().login("admin", Org::kAdminPassword);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->token, login->token);
  EXPECT_TRUE(org().auth().authenticate(login->token).ok());
}

TEST_P(AuthServiceTest, UnknownTokensAreUnauthenticated) {
  EXPECT_EQ(org().auth().authenticate("").error().code(), Code::unauthenticated);
  EXPECT_EQ(org().auth().authenticate("not-a-token").error().code(), Code::unauthenticated);
  EXPECT_FALSE(org().auth().csrf_of("not-a-token").has_value());
}

TEST_P(AuthServiceTest, WrongPasswordOrUnknownUserIsUnauthenticated) {
  auto wrong = org().auth().login("admin", "wrong-password-123");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), Code::unauthenticated);
  auto unknown = org().auth().login("nobody", Org::kAdminPassword);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), Code::unauthenticated);
  EXPECT_EQ(wrong.error().detail(), unknown.error().detail());  // does not reveal which usernames exist
  EXPECT_EQ(count(database(), "SELECT count(*) FROM sessions"), 0);
}

TEST_P(AuthServiceTest, FiveFailuresLockTheUsernameEvenWithTheRightPassword) {
  for (int i = 0; i < 5; ++i) {
    auto failed = org().auth().login("admin", "wrong-password-" + std::to_string(i));
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code(), Code::unauthenticated) << "attempt " << i + 1;
  }
  auto locked = org().auth().login("admin", Org::kAdminPassword);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code(), Code::too_many_requests);
  EXPECT_EQ(count(database(), "SELECT count(*) FROM sessions"), 0);
  // Other usernames are not affected.
  org().user("other", org().root_department(), {"specialist"});
  EXPECT_TRUE(org().auth().login("other", Org::kUserPassword).ok());
}

TEST_P(AuthServiceTest, FewerFailuresThenSuccessResetsTheCount) {
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(org().auth().login("admin", "wrong-password").ok());
  ASSERT_TRUE(org().auth().login("admin", Org::kAdminPassword).ok());
  EXPECT_EQ(count(database(), "SELECT count(*) FROM login_attempts WHERE username = ?", {std::string("admin")}), 0);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(org().auth().login("admin", "wrong-password").ok());
  EXPECT_TRUE(org().auth().login("admin", Org::kAdminPassword).ok());
}

TEST_P(AuthServiceTest, ThrottlingUsesTheSettings) {
  AuthSettings settings;
  settings.max_failures = 2;
  AuthService strict(database(), settings);
  EXPECT_EQ(strict.login("admin", "wrong-password").error().code(), Code::unauthenticated);
  EXPECT_EQ(strict.login("admin", "wrong-password").error().code(), Code::unauthenticated);
  EXPECT_EQ(strict.login("admin", Org::kAdminPassword).error().code(), Code::too_many_requests);
  // An expired window no longer counts: with a zero-second window the old failures are stale.
  AuthSettings forgetful;
  forgetful.failure_window_seconds = 0;
  AuthService lenient(database(), forgetful);
  EXPECT_TRUE(lenient.login("admin", Org::kAdminPassword).ok());
}

TEST_P(AuthServiceTest, LogoutRevokesTheToken) {
  auto login = org().auth().login("admin", Org::kAdminPassword);
  ASSERT_TRUE(login.ok());
  auto other = org().auth().login("admin", Org::kAdminPassword);
  ASSERT_TRUE(other.ok());
  org().auth().logout(login->token);
  auto after = org().auth().authenticate(login->token);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code(), Code::unauthenticated);
  EXPECT_FALSE(org().auth().csrf_of(login->token).has_value());
  EXPECT_TRUE(org().auth().authenticate(other->token).ok());  // only that session
  org().auth().logout(login->token);                          // twice is harmless
  org().auth().logout("never-issued");
}

TEST_P(AuthServiceTest, ExpiredSessionsAreUnauthenticated) {
  AuthSettings settings;
  settings.session_seconds = -1;  // already expired when issued
  AuthService auth(database(), settings);
  auto login = auth.login("admin", Org::kAdminPassword);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(auth.authenticate(login->token).error().code(), Code::unauthenticated);
}

// The principal of a token is reused for a short while; changes made through
// the directory and logout show at once, a change this process did not make
// (another server's) only after principal_cache_ms.
TEST_P(AuthServiceTest, CachedPrincipalsFollowDirectoryChangesAndLogout) {
  const auto id = org().user("cached", org().root_department(), {"specialist"});
  AuthService auth(database());
  auto login = auth.login("cached", Org::kUserPassword);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(auth.authenticate(login->token)->scope, DataScope::self);
  auto c = database().acquire();
  const auto manager = c->query("SELECT id FROM roles WHERE code = 'manager'").front().integer(0);
  c->query("INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)", {id, manager});  // behind the service's back
  EXPECT_EQ(auth.authenticate(login->token)->scope, DataScope::self);
  AuthSettings uncached;
  uncached.principal_cache_ms = 0;
  EXPECT_EQ(AuthService(database(), uncached).authenticate(login->token)->scope, DataScope::department_tree);
  const auto version = c->query("SELECT version FROM users WHERE id = ?", {id}).front().integer(0);
  ASSERT_TRUE(update_user(*c, org().admin(), id, {{"version", version}, {"display_name", "已缓存"}}).ok());
  const auto after = auth.authenticate(login->token);
  EXPECT_EQ(after->scope, DataScope::department_tree);
  EXPECT_EQ(after->display_name, "已缓存");
  auth.logout(login->token);
  EXPECT_EQ(auth.authenticate(login->token).error().code(), Code::unauthenticated);
}

TEST_P(AuthServiceTest, DeactivatedUsersCannotLogInOrAuthenticate) {
  const auto id = org().user("leaver", org().root_department(), {"specialist"});
  auto login = org().auth().login("leaver", Org::kUserPassword);
  ASSERT_TRUE(login.ok());
  auto c = database().acquire();
  const auto version = c->query("SELECT version FROM users WHERE id = ?", {id}).front().integer(0);
  auto updated = update_user(*c, org().admin(), id, {{"version", version}, {"active", false}});
  ASSERT_TRUE(updated.ok()) << updated.error().detail();
  c.reset();
  EXPECT_EQ(org().auth().authenticate(login->token).error().code(), Code::unauthenticated);
  EXPECT_EQ(org().auth().login("leaver", Org::kUserPassword).error().code(), Code::unauthenticated);
}

// root ── L1 ── L2 ── L3a            the manager sits in L2
//          │     └─── L3b ── L4
//          └── L2b ── L3c            (a sibling branch)
TEST_P(AuthServiceTest, ManagerTreeHoldsTheDepartmentAndThoseBelowOnly) {
  const auto root = org().root_department();
  const auto l1 = org().department("L1", root);
  const auto l2 = org().department("L2", l1);
  const auto l3a = org().department("L3a", l2);
  const auto l3b = org().department("L3b", l2);
  const auto l4 = org().department("L4", l3b);
  const auto l2b = org().department("L2b", l1);
  const auto l3c = org().department("L3c", l2b);
  const auto manager = org().member("manager", l2, {"manager"});
  EXPECT_EQ(manager.scope, DataScope::department_tree);
  EXPECT_EQ(manager.department_id, l2);
  const auto tree = as_set(manager.department_tree);
  EXPECT_EQ(tree, (std::set<std::int64_t>{l2, l3a, l3b, l4}));
  EXPECT_EQ(manager.department_tree.size(), tree.size()) << "duplicates";
  for (const auto outside : {root, l1, l2b, l3c}) EXPECT_EQ(tree.count(outside), 0u) << outside;

  // Not for other scopes.
  EXPECT_TRUE(org().member("spec", l2, {"specialist"}).department_tree.empty());
}

TEST_P(AuthServiceTest, ManagerTreeIsNotFooledBySiblingsWithAPrefixId) {
  // A sibling whose id starts with the same digits (e.g. 3 and 30) has a path
  // that starts with the same characters ("/1/3" and "/1/30/").
  const auto root = org().root_department();
  const auto mine = org().department("mine", root);
  const auto child = org().department("child", mine);
  std::optional<std::int64_t> lookalike;
  for (int i = 0; i < 200 && !lookalike; ++i) {
    const auto id = org().department("sibling" + std::to_string(i), root);
    if (std::to_string(id).rfind(std::to_string(mine), 0) == 0) lookalike = id;
  }
  ASSERT_TRUE(lookalike.has_value());
  const auto below_lookalike = org().department("below lookalike", *lookalike);
  const auto manager = org().member("manager", mine, {"manager"});
  EXPECT_EQ(as_set(manager.department_tree), (std::set<std::int64_t>{mine, child}))
      << "lookalike " << *lookalike << ", below it " << below_lookalike;
}

TEST_P(AuthServiceTest, ManagerTreeSkipsDeletedDepartments) {
  const auto root = org().root_department();
  const auto top = org().department("top", root);
  const auto kept = org().department("kept", top);
  const auto gone = org().department("gone", top);
  auto c = database().acquire();
  ASSERT_TRUE(delete_department(*c, org().admin(), gone).ok());
  c.reset();
  const auto manager = org().member("manager", top, {"manager"});
  EXPECT_EQ(as_set(manager.department_tree), (std::set<std::int64_t>{top, kept}));
}

TEST_P(AuthServiceTest, ManagerTreeFollowsAMovedDepartment) {
  const auto root = org().root_department();
  const auto top = org().department("top", root);
  const auto elsewhere = org().department("elsewhere", root);
  const auto moved = org().department("moved", elsewhere);
  const auto below_moved = org().department("below moved", moved);
  auto c = database().acquire();
  const auto version = c->query("SELECT version FROM departments WHERE id = ?", {moved}).front().integer(0);
  auto move = update_department(*c, org().admin(), moved, {{"version", version}, {"parent_id", top}});
  ASSERT_TRUE(move.ok()) << move.error().detail();
  EXPECT_EQ((*move)["path"],
            "/" + std::to_string(root) + "/" + std::to_string(top) + "/" + std::to_string(moved) + "/");
  EXPECT_EQ(c->query("SELECT path FROM departments WHERE id = ?", {below_moved}).front().text(0),
            (*move)["path"].get<std::string>() + std::to_string(below_moved) + "/");
  c.reset();
  const auto manager = org().member("manager", top, {"manager"});
  EXPECT_EQ(as_set(manager.department_tree), (std::set<std::int64_t>{top, moved, below_moved}));
  const auto old_manager = org().member("old_manager", elsewhere, {"manager"});
  EXPECT_EQ(as_set(old_manager.department_tree), (std::set<std::int64_t>{elsewhere}));
}

TEST_P(AuthServiceTest, TwoRolesGiveTheUnionOfPermissionsAndTheWidestScope) {
  const auto dept = org().department("sales", org().root_department());
  const auto both = org().member("two_roles", dept, {"specialist", "assistant"});
  EXPECT_EQ(both.permissions,
            (std::set<std::string>{"accounts.read", "accounts.write", "accounts.import", "accounts.export",
                                   "audit.read", "users.read", "opportunities.read", "opportunities.write",
                                   "activities.read", "activities.write", "requests.read", "requests.write"}));
  EXPECT_EQ(both.scope, DataScope::department);
  auto roles = both.roles;
  std::sort(roles.begin(), roles.end());
  EXPECT_EQ(roles, (std::vector<std::string>{"assistant", "specialist"}));

  // finance (read-only, all) + specialist (write, self): write and all.
  const auto mixed = org().member("finance_spec", dept, {"finance", "specialist"});
  EXPECT_TRUE(mixed.can("accounts.write"));
  EXPECT_FALSE(mixed.can("accounts.delete"));
  EXPECT_EQ(mixed.scope, DataScope::all);

  // manager + specialist: department_tree, and the tree is filled.
  const auto sub = org().department("sub", dept);
  const auto lead = org().member("lead", dept, {"specialist", "manager"});
  EXPECT_EQ(lead.scope, DataScope::department_tree);
  EXPECT_EQ(as_set(lead.department_tree), (std::set<std::int64_t>{dept, sub}));

  // No role: nothing allowed, self scope.
  const auto none = org().member("no_roles", dept, {});
  EXPECT_TRUE(none.permissions.empty());
  EXPECT_EQ(none.scope, DataScope::self);
}

TEST_P(AuthServiceTest, PrincipalOfUnknownUserIsUnauthenticated) {
  auto c = database().acquire();
  auto p = org().auth().principal_of(*c, 987654);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code(), Code::unauthenticated);
}

// Not AuthService itself, but the same users table: the directory's user
// search must work on both back ends.
TEST_P(AuthServiceTest, UserListSearchesByUsernameAndDisplayName) {
  org().user("zhang.san", org().root_department(), {"specialist"}, "张三");
  org().user("li.si", org().root_department(), {"specialist"}, "李四");
  auto c = database().acquire();
  Page page;
  page.q = "ZHANG";
  auto found = list_users(*c, org().admin(), page);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)["total"], 1);
  page.q = "李四";
  found = list_users(*c, org().admin(), page);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)["total"], 1);
  page.q = "";
  found = list_users(*c, org().admin(), page);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)["total"], 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, BootstrapTest, testdb::kBackends, testdb::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, AuthServiceTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::auth
