#include "auth/scope.hpp"

#include <gtest/gtest.h>

namespace kam::auth {

namespace {
Principal make(DataScope scope, std::int64_t user, std::int64_t department, std::vector<std::int64_t> tree = {}) {
  Principal p;
  p.user_id = user;
  p.department_id = department;
  p.scope = scope;
  p.department_tree = std::move(tree);
  return p;
}
}  // namespace

// Table: scope x record (owner, department) -> visible. The caller is user 7
// in department 2, whose subtree is {2, 5, 6}.
TEST(DataScopeTable, DecidesVisibility) {
  struct Case {
    DataScope scope;
    std::optional<std::int64_t> owner;
    std::optional<std::int64_t> department;
    bool visible;
  };
  const Case cases[] = {
      {DataScope::self, 7, 9, true},              // own record in another department
      {DataScope::self, 8, 2, false},             // peer's record in my department
      {DataScope::department, 8, 2, true},        // same department
      {DataScope::department, 8, 5, false},       // sub-department is not "department"
      {DataScope::department_tree, 8, 5, true},   // below me
      {DataScope::department_tree, 8, 3, false},  // sibling department
      {DataScope::department_tree, 7, 3, true},   // own record anywhere
      {DataScope::all, 8, 3, true},
      {DataScope::all, std::nullopt, std::nullopt, true},
      {DataScope::department, std::nullopt, std::nullopt, false},  // unowned, no department
  };
  for (const auto& c : cases) {
    const auto p = make(c.scope, 7, 2, {2, 5, 6});
    EXPECT_EQ(can_see(p, c.owner, c.department), c.visible)
        << to_string(c.scope) << " owner=" << c.owner.value_or(-1) << " dept=" << c.department.value_or(-1);
  }
}

TEST(ScopeClause, AllScopeAddsNoCondition) {
  const auto clause = scope_clause(make(DataScope::all, 1, 1), "a");
  EXPECT_EQ(clause.sql, "1 = 1");
  EXPECT_TRUE(clause.params.empty());
}

TEST(ScopeClause, TreeScopeListsEverySubDepartment) {
  const auto clause = scope_clause(make(DataScope::department_tree, 7, 2, {2, 5, 6}), "x");
  EXPECT_EQ(clause.sql, "(x.owner_id = ? OR x.department_id IN (?,?,?))");
  EXPECT_EQ(clause.params.size(), 4u);
}

TEST(ScopeClause, SelfScopeFiltersOnOwner) {
  const auto clause = scope_clause(make(DataScope::self, 7, 2), "a");
  EXPECT_EQ(clause.sql, "a.owner_id = ?");
  EXPECT_EQ(std::get<std::int64_t>(clause.params.at(0)), 7);
}

TEST(ParseScope, RejectsUnknownNames) {
  EXPECT_EQ(parse_scope("department_tree"), DataScope::department_tree);
  EXPECT_FALSE(parse_scope("everyone").has_value());
}

}  // namespace kam::auth
