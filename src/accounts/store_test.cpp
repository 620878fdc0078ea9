// The accounts store against both back ends: archive numbers, ownership,
// data scope, optimistic versions, Chinese-aware search, sorting, paging and
// the audit trail.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "accounts/accounts.hpp"
#include "accounts/export.hpp"
#include "accounts/views.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/text.hpp"
#include "testing/test_database.hpp"

namespace kam::accounts {
namespace {

using nlohmann::json;

AccountInput input(const json& body, bool creating = true) {
  auto parsed = read_input(body, creating);
  if (!parsed) throw std::runtime_error("read_input: " + parsed.error().detail());
  return *parsed;
}
AccountInput named(const std::string& name) {
  return input({{"name", name}});
}

std::string year_prefix() {
  return "KA-" + std::to_string(current_year()) + "-";
}

class AccountStoreTest : public testdb::BootstrappedTest {
 protected:
  void SetUp() override {
    BootstrappedTest::SetUp();
    if (!ready()) return;
    admin_ = org().admin();
  }

  Account create(const auth::Principal& p, const std::string& name) {
    auto c = database().acquire();
    auto created = create_account(*c, p, named(name));
    if (!created) throw std::runtime_error("create_account " + name + ": " + created.error().detail());
    return *created;
  }

  AccountPage list(const auth::Principal& p, const ListQuery& q) {
    auto c = database().acquire();
    auto page = list_accounts(*c, p, q);
    if (!page) throw std::runtime_error("list_accounts: " + page.error().detail());
    return *page;
  }

  std::int64_t total(const auth::Principal& p) { return list(p, ListQuery{}).total; }

  // Names found by a search, sorted; also checks the total agrees.
  // A failing query is reported (with the database's message) and yields
  // {"<error>"}, so that one broken query form does not hide the others.
  std::vector<std::string> search(const std::string& q) {
    ListQuery query;
    query.q = q;
    query.limit = 100;
    AccountPage page;
    try {
      page = list(admin_, query);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "search q=\"" << q << "\" threw: " << e.what();
      return {"<error>"};
    }
    std::vector<std::string> names;
    for (const auto& a : page.items) names.push_back(a.name);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(page.total, static_cast<std::int64_t>(names.size())) << "q=" << q;
    return names;
  }

  struct AuditRow {
    std::string action;
    std::optional<std::int64_t> user_id;
    json before, after;
  };
  std::vector<AuditRow> audit_of(std::int64_t id) {
    auto c = database().acquire();
    const auto rows = c->query(
        "SELECT action, user_id, before_json, after_json FROM audit_log WHERE entity = ? AND entity_id = ? "
        "ORDER BY id",
        {std::string("account"), id});
    std::vector<AuditRow> out;
    for (const auto& r : rows) {
      auto parse = [](const std::optional<std::string>& t) { return t ? json::parse(*t) : json(nullptr); };
      out.push_back({r.text("action"), r.optional_integer("user_id"), parse(r.optional_text("before_json")),
                     parse(r.optional_text("after_json"))});
    }
    return out;
  }

  auth::Principal admin_;
};

using Code = Error::Code;

TEST_P(AccountStoreTest, CreateAssignsSequentialArchiveNumbers) {
  const auto first = create(admin_, "华为技术有限公司");
  const auto second = create(admin_, "中兴通讯");
  EXPECT_EQ(first.archive_no, year_prefix() + "000001");
  EXPECT_EQ(second.archive_no, year_prefix() + "000002");
  EXPECT_EQ(first.version, 1);
  EXPECT_FALSE(first.created_at.empty());
  EXPECT_EQ(first.created_at, first.updated_at);
  // A deleted account's number is not reused.
  auto c = database().acquire();
  ASSERT_TRUE(delete_account(*c, admin_, second.id).ok());
  c.reset();
  EXPECT_EQ(create(admin_, "第三家").archive_no, year_prefix() + "000003");
}

TEST_P(AccountStoreTest, OwnerAndDepartmentComeFromThePrincipal) {
  const auto sales = org().department("销售一部", org().root_department());
  const auto p = org().member("zhangsan", sales, {"specialist"});
  ASSERT_EQ(p.department_id, sales);
  auto c = database().acquire();
  // Owner fields in the body are not part of the input and are ignored.
  auto created = create_account(*c, p, input({{"name", "  华为  "}, {"owner_id", 1}, {"province", "广东省"}}));
  ASSERT_TRUE(created.ok()) << created.error().detail();
  EXPECT_EQ(created->name, "华为");  // trimmed
  EXPECT_EQ(created->owner_id, p.user_id);
  EXPECT_EQ(created->department_id, sales);
  EXPECT_EQ(created->owner_name, "zhangsan");
  EXPECT_EQ(created->department_name, "销售一部");
  EXPECT_EQ(created->province, "广东省");
  EXPECT_FALSE(created->city.has_value());
  auto fetched = get_account(*c, p, created->id);
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(to_json(*fetched), to_json(*created));
}

TEST_P(AccountStoreTest, PermissionsAreChecked) {
  const auto dept = org().root_department();
  const auto finance = org().member("finance1", dept, {"finance"});
  const auto specialist = org().member("spec1", dept, {"specialist"});
  auto c = database().acquire();
  auto denied = create_account(*c, finance, named("只读用户的客户"));
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code(), Code::forbidden);
  auto own = create_account(*c, specialist, named("专员的客户"));
  ASSERT_TRUE(own.ok());
  // A specialist may not delete (no accounts.delete), even their own account.
  auto removed = delete_account(*c, specialist, own->id);
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error().code(), Code::forbidden);
  EXPECT_TRUE(get_account(*c, specialist, own->id).ok());
}

TEST_P(AccountStoreTest, PeerWithSelfScopeCannotSeeOrChangeTheAccount) {
  const auto sales = org().department("销售一部", org().root_department());
  const auto owner = org().member("owner1", sales, {"specialist"});
  const auto peer = org().member("peer1", sales, {"specialist"});
  const auto mine = create(owner, "华为精密");
  auto c = database().acquire();
  auto got = get_account(*c, peer, mine.id);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), Code::not_found);
  auto updated = update_account(*c, peer, mine.id, mine.version, input({{"name", "改名"}}, false));
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code(), Code::not_found);
  auto removed = delete_account(*c, peer, mine.id);
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error().code(), Code::not_found);  // not forbidden: existence is not revealed
  EXPECT_FALSE(account_visible(*c, peer, mine.id));
  EXPECT_TRUE(account_visible(*c, owner, mine.id));
  c.reset();
  EXPECT_EQ(total(peer), 0);
  EXPECT_EQ(total(owner), 1);
  ListQuery q;
  q.q = "华为";
  EXPECT_EQ(list(peer, q).total, 0);
}

// root ── A ── A1          specialists in A, A1 and B; an assistant (department)
//     └─ B                 and a manager (department_tree) in A; a director (all).
TEST_P(AccountStoreTest, ListTotalsFollowTheDataScope) {
  const auto root = org().root_department();
  const auto a = org().department("A", root);
  const auto a1 = org().department("A1", a);
  const auto b = org().department("B", root);
  const auto spec_a = org().member("spec_a", a, {"specialist"});
  const auto spec_a1 = org().member("spec_a1", a1, {"specialist"});
  const auto spec_b = org().member("spec_b", b, {"specialist"});
  const auto assistant = org().member("assistant_a", a, {"assistant"});
  const auto manager = org().member("manager_a", a, {"manager"});
  const auto director = org().member("director", b, {"director"});
  ASSERT_EQ(manager.scope, auth::DataScope::department_tree);
  ASSERT_EQ(assistant.scope, auth::DataScope::department);

  create(spec_a, "A的客户");
  const auto in_a1 = create(spec_a1, "A1的客户一");
  create(spec_a1, "A1的客户二");
  const auto in_b = create(spec_b, "B的客户一");
  create(spec_b, "B的客户二");
  create(spec_b, "B的客户三");
  create(assistant, "内勤的客户");
  create(admin_, "总部的客户");

  EXPECT_EQ(total(spec_a), 1);
  EXPECT_EQ(total(spec_a1), 2);
  EXPECT_EQ(total(spec_b), 3);
  EXPECT_EQ(total(assistant), 2);  // department A only, not A1
  EXPECT_EQ(total(manager), 4);    // A and A1
  EXPECT_EQ(total(director), 8);
  EXPECT_EQ(total(admin_), 8);

  auto c = database().acquire();
  EXPECT_TRUE(get_account(*c, manager, in_a1.id).ok());
  EXPECT_EQ(get_account(*c, manager, in_b.id).error().code(), Code::not_found);
  EXPECT_EQ(get_account(*c, assistant, in_a1.id).error().code(), Code::not_found);
  EXPECT_TRUE(get_account(*c, director, in_a1.id).ok());

  // A search is limited by the scope too.
  ListQuery q;
  q.q = "客户";
  EXPECT_EQ(list(manager, q).total, 4);
  EXPECT_EQ(list(spec_b, q).total, 3);
}

// The list endpoint's body, written straight from the rows, is the JSON of
// list_accounts' page byte for byte: every column set (text that needs
// escaping included) or null, on the search path and the plain list, in
// list order.
TEST_P(AccountStoreTest, ListJsonIsThePageJson) {
  const auto owner = org().member("list_owner", org().root_department(), {"specialist"});
  const auto full = create(owner, "字段齐全客户");
  create(admin_, "字段为空客户");
  create(owner, "字段齐全客户二号");
  {
    auto c = database().acquire();
    c->query(
        "UPDATE accounts SET industry = ?, province = ?, city = ?, address = ?, credit_code = ?, ownership_type = ?, "
        "employees = ?, annual_revenue_fen = ?, founded_year = ?, website = ?, business_status = ?, "
        "procurement_mode = ?, customer_kind = ?, needs = ?, preferences = ?, price_sensitivity = ?, tier = ?, "
        "tier_override_reason = ?, market_stage = ?, relationship_stage = ?, last_activity_at = ? WHERE id = ?",
        {"制造业",
         "广东省",
         "深圳市",
         "南山区\"科技园\" 1 号",
         "91350100M000100Y43",
         "private",
         std::int64_t{1200},
         std::int64_t{-5},
         std::int64_t{1998},
         "https://example.com/a?b=c&d",
         "在营\\正常",
         "centralized",
         "end_user",
         "需要\n两行\t和\x01控制符",
         "偏好 </script>",
         "high",
         "A",
         "战略客户",
         "development",
         "strengthen",
         "2026-11-01T08:00:00Z",
         full.id});
  }
  {
    // Every column lands in its own member (the row writer and from_row
    // share the column positions, so check them against the values set).
    auto c = database().acquire();
    const auto a = to_json(*get_account(*c, admin_, full.id));
    const json set = {{"industry", "制造业"},
                      {"province", "广东省"},
                      {"city", "深圳市"},
                      {"address", "南山区\"科技园\" 1 号"},
                      {"credit_code", "91350100M000100Y43"},
                      {"ownership_type", "private"},
                      {"employees", 1200},
                      {"annual_revenue_fen", -5},
                      {"founded_year", 1998},
                      {"website", "https://example.com/a?b=c&d"},
                      {"business_status", "在营\\正常"},
                      {"procurement_mode", "centralized"},
                      {"customer_kind", "end_user"},
                      {"needs", "需要\n两行\t和\x01控制符"},
                      {"preferences", "偏好 </script>"},
                      {"price_sensitivity", "high"},
                      {"tier", "A"},
                      {"tier_override_reason", "战略客户"},
                      {"market_stage", "development"},
                      {"relationship_stage", "strengthen"},
                      {"last_activity_at", "2026-11-01T08:00:00Z"},
                      {"name", "字段齐全客户"},
                      {"owner_id", owner.user_id},
                      {"owner_name", owner.display_name},
                      {"in_pool", false},
                      {"archive_no", full.archive_no},
                      {"version", full.version}};
    for (const auto& [key, value] : set.items()) EXPECT_EQ(a.at(key), value) << key;
    for (const auto* key : {"department_id", "department_name", "owned_since", "created_at", "updated_at"}) {
      EXPECT_FALSE(a.at(key).is_null()) << key;
    }
  }
  for (const std::string q : {"", "字段", "齐全客户"}) {
    for (const std::string sort : {"", "name", "-tier"}) {
      ListQuery query;
      query.q = q;
      query.sort = sort;
      auto c = database().acquire();
      const auto page = list_accounts(*c, admin_, query);
      ASSERT_TRUE(page.ok());
      ASSERT_FALSE(page->items.empty());
      json expected = {{"items", json::array()}, {"total", page->total}};
      for (const auto& a : page->items) expected["items"].push_back(to_json(a));
      const auto body = list_accounts_json(*c, admin_, query);
      ASSERT_TRUE(body.ok());
      EXPECT_EQ(*body, expected.dump()) << "q=" << q << " sort=" << sort;
    }
  }
}

// A filter with another order gives the same pages however it is answered:
// walking the sort column's index (SQLite, a filter matching over 1,000
// accounts), giving up on the walk when the matches come late in that order
// (the first 2,100 accounts by descending name are not in the province), or
// sorting the matches (fewer than 1,000, and always on PostgreSQL). Checked
// page by page against the order computed here.
TEST_P(AccountStoreTest, FilteredSortedPagesAreTheSameWhicheverWayTheyAreFound) {
  struct Expected {
    std::int64_t id;
    std::string name;
    std::optional<std::int64_t> employees;
  };
  std::vector<Expected> zhejiang, jiangsu;
  {
    auto c = database().acquire();
    std::vector<NewAccount> rows;
    auto add = [&rows](const std::string& name, const std::string& province) {
      NewAccount row;
      row.name = name;
      row.province = province;
      rows.push_back(row);
    };
    for (int i = 0; i < 2100; ++i) add("甲客户" + std::to_string(5000 + i), "江苏省");
    for (int i = 0; i < 1100; ++i) add("庚客户" + std::to_string(7000 - i), "浙江省");
    const auto ids = insert_accounts_bulk(*c, rows);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      std::optional<std::int64_t> employees;
      if (i % 3 != 0) employees = static_cast<std::int64_t>(i % 97);  // ties, broken by id
      if (employees) c->query("UPDATE accounts SET employees = ? WHERE id = ?", {*employees, ids[i]});
      (rows[i].province == "浙江省" ? zhejiang : jiangsu).push_back({ids[i], rows[i].name, employees});
    }
  }
  auto by_name = [](bool descending) {
    return [descending](const Expected& a, const Expected& b) {
      return descending ? std::tie(b.name, b.id) < std::tie(a.name, a.id)
                        : std::tie(a.name, a.id) < std::tie(b.name, b.id);
    };
  };
  auto by_employees = [](bool descending) {
    return [descending](const Expected& a, const Expected& b) {
      if (a.employees.has_value() != b.employees.has_value()) return a.employees.has_value();  // empty last
      if (!a.employees) return descending ? a.id > b.id : a.id < b.id;
      return descending ? std::tie(*b.employees, b.id) < std::tie(*a.employees, a.id)
                        : std::tie(*a.employees, a.id) < std::tie(*b.employees, b.id);
    };
  };
  auto check = [&](std::vector<Expected> expected, const std::string& province, const std::string& sort,
                   const auto& less, const std::map<std::string, std::string>& more = {}) {
    std::sort(expected.begin(), expected.end(), less);
    for (const int offset : {0, 10, 990, 1085, static_cast<int>(expected.size()) - 3}) {
      if (offset >= static_cast<int>(expected.size())) continue;
      ListQuery query;
      query.filters = more;
      query.filters["province"] = province;
      query.sort = sort;
      query.limit = 10;
      query.offset = offset;
      auto c = database().acquire();
      const auto page = list_accounts(*c, admin_, query);
      ASSERT_TRUE(page.ok());
      const auto want = std::min<std::size_t>(10, expected.size() - static_cast<std::size_t>(offset));
      ASSERT_EQ(page->items.size(), want) << province << " " << sort << " " << offset;
      for (std::size_t i = 0; i < want; ++i) {
        EXPECT_EQ(page->items[i].id, expected[static_cast<std::size_t>(offset) + i].id)
            << province << " " << sort << " offset " << offset << " row " << i;
      }
    }
  };
  for (const bool descending : {false, true}) {
    check(zhejiang, "浙江省", descending ? "-name" : "name", by_name(descending));
    check(jiangsu, "江苏省", descending ? "-name" : "name", by_name(descending));
    check(zhejiang, "浙江省", descending ? "-employees" : "employees", by_employees(descending));
  }
  // More filters, each a column the walk reads (1,2xx matches: walked).
  std::vector<Expected> staffed;
  for (const auto& e : jiangsu) {
    if (e.employees && *e.employees >= 10) staffed.push_back(e);
  }
  ASSERT_GT(staffed.size(), 1000u);
  check(staffed, "江苏省", "name", by_name(false), {{"employees_min", "10"}, {"in_pool", "true"}});
  // A specialist's own accounts (scope self, no filter) in both name orders:
  // walked (庚 first) and given up (2,100 甲 of others first), never another's.
  {
    const auto dept = org().department("浙江组", org().root_department());
    const auto spec = org().member("zj_spec", dept, {"specialist"});
    auto c = database().acquire();
    c->query("UPDATE accounts SET owner_id = ?, department_id = ? WHERE province = '浙江省'", {spec.user_id, dept});
    for (const bool descending : {false, true}) {
      auto expected = zhejiang;
      std::sort(expected.begin(), expected.end(), by_name(descending));
      for (const int offset : {0, 1095}) {
        ListQuery query;
        query.sort = descending ? "-name" : "name";
        query.limit = 10;
        query.offset = offset;
        const auto page = list_accounts(*c, spec, query);
        ASSERT_TRUE(page.ok());
        const auto want = std::min<std::size_t>(10, expected.size() - static_cast<std::size_t>(offset));
        ASSERT_EQ(page->items.size(), want) << descending << " " << offset;
        for (std::size_t i = 0; i < want; ++i) {
          EXPECT_EQ(page->items[i].id, expected[static_cast<std::size_t>(offset) + i].id)
              << descending << " offset " << offset << " row " << i;
        }
      }
    }
  }
  // A one-character search and an archive-number prefix with a filter and
  // another order: walked too, testing the term on each account.
  for (const std::string q : {"甲", "ka-"}) {
    ListQuery query;
    query.q = q;
    query.filters["province"] = "江苏省";
    query.sort = "name";
    query.limit = 10;
    auto c = database().acquire();
    const auto page = list_accounts(*c, admin_, query);
    ASSERT_TRUE(page.ok()) << q;
    ASSERT_EQ(page->items.size(), 10u) << q;
    std::vector<Expected> sorted = jiangsu;
    std::sort(sorted.begin(), sorted.end(), by_name(false));
    for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(page->items[i].id, sorted[i].id) << q << " row " << i;
  }
  // A common search term in another order (SQLite walks the name index testing
  // the term; 庚客 by descending name gives the walk up: 2,100 甲 come first).
  struct Search {
    std::string q, sort;
    std::vector<Expected> expected;
    bool descending;
  };
  std::vector<Expected> everyone = jiangsu;
  everyone.insert(everyone.end(), zhejiang.begin(), zhejiang.end());
  for (const auto& [q, sort, expected_in, descending] :
       {Search{"客户", "name", everyone, false}, Search{"甲客", "-name", jiangsu, true},
        Search{"庚客", "-name", zhejiang, true}, Search{"甲客户", "name", jiangsu, false}}) {
    auto expected = expected_in;
    std::sort(expected.begin(), expected.end(), by_name(descending));
    for (const int offset : {0, 10, 990}) {
      ListQuery query;
      query.q = q;
      query.sort = sort;
      query.limit = 10;
      query.offset = offset;
      auto c = database().acquire();
      const auto page = list_accounts(*c, admin_, query);
      ASSERT_TRUE(page.ok()) << q;
      ASSERT_EQ(page->items.size(), 10u) << q << " " << offset;
      for (std::size_t i = 0; i < 10; ++i) {
        EXPECT_EQ(page->items[i].id, expected[static_cast<std::size_t>(offset) + i].id)
            << q << " " << sort << " offset " << offset << " row " << i;
      }
      if (q.size() == 6) {  // two characters, no filter, admin: counted from the postings
        EXPECT_EQ(page->total, std::min<std::int64_t>(1000, static_cast<std::int64_t>(expected.size()))) << q;
      } else {
        EXPECT_EQ(page->total, offset + 10) << q;  // more than the page: the term is checked on each row
        EXPECT_FALSE(page->total_exact) << q;
      }
    }
  }
  // 1,000 matches, not more (the count is exact): sorted, whatever the order.
  {
    auto c = database().acquire();
    c->query("UPDATE accounts SET province = '上海市' WHERE name LIKE '庚客户6%'");
  }
  std::vector<Expected> shanghai;
  for (const auto& e : zhejiang) {
    if (e.name.starts_with("庚客户6")) shanghai.push_back(e);
  }
  ASSERT_EQ(shanghai.size(), 1000u);
  check(shanghai, "上海市", "-name", by_name(true));
}

// Totals are exact up to the cap and "more than the cap" past it, whether
// they come from the postings alone (an unfiltered two-character search by a
// caller who sees everything) or from the filtered accounts, and whether the
// page is full or not. A search narrowed further (a filter, or a longer term
// checked on each row) counts only when its bigram has at most 1,000
// postings; past that it says "more than offset + limit" while another match
// exists, and is exact once the page holds the last one.
TEST_P(AccountStoreTest, ListTotalsAreExactUpToTheCapOrSayThereIsMore) {
  auto add = [&](const std::string& prefix, int from, int count) {
    auto c = database().acquire();
    std::vector<NewAccount> rows;
    for (int i = from; i < from + count; ++i) {
      NewAccount row;
      row.name = prefix + std::to_string(10000 + i);
      rows.push_back(row);
    }
    insert_accounts_bulk(*c, rows);
  };
  auto page = [&](const std::string& q, bool filtered, int limit, int offset = 0) {
    ListQuery query;
    query.q = q;
    query.limit = limit;
    query.offset = offset;
    if (filtered) query.filters["in_pool"] = "true";
    auto c = database().acquire();
    auto result = list_accounts(*c, admin_, query);
    if (!result) throw std::runtime_error(result.error().detail());
    if (static_cast<std::int64_t>(result->items.size()) > limit) throw std::runtime_error("page longer than limit");
    return std::pair{result->total, result->total_exact};
  };
  using Total = std::pair<std::int64_t, bool>;
  add("少量客户", 0, 37);
  EXPECT_EQ(page("少量", false, 10), Total(37, true));
  EXPECT_EQ(page("少量", false, 50), Total(37, true));
  EXPECT_EQ(page("少量", true, 10), Total(37, true));
  EXPECT_EQ(page("少量", true, 50), Total(37, true));
  EXPECT_EQ(page("少量客户", false, 10), Total(37, true));
  EXPECT_EQ(page("少量", true, 10, 40), Total(37, true));  // past the end: counted
  add("界限客户", 0, 1000);
  EXPECT_EQ(page("界限", false, 10), Total(1000, true));
  EXPECT_EQ(page("界限", true, 10), Total(1000, true));
  EXPECT_EQ(page("", true, 10), Total(1000, false));  // 1,037 in the pool, no search: counted to the cap
  add("界限客户", 1000, 1);
  EXPECT_EQ(page("界限", false, 10), Total(1000, false));
  EXPECT_EQ(page("界限", true, 10), Total(10, false));
  EXPECT_EQ(page("界限", true, 10, 20), Total(30, false));
  EXPECT_EQ(page("界限客户", false, 10), Total(10, false));
  EXPECT_EQ(page("界限客户", true, 10, 990), Total(1000, false));
  EXPECT_EQ(page("界限客户", true, 10, 991), Total(1001, true));  // a full page holding the last match
  ListQuery query;
  query.q = "界限";
  auto c = database().acquire();
  const auto body = list_accounts_json(*c, admin_, query);
  ASSERT_TRUE(body.ok());
  EXPECT_TRUE(body->ends_with("],\"total\":1000,\"total_exact\":false}")) << body->substr(body->size() - 80);
}

// An export holds every match, not the first page or the capped total.
TEST_P(AccountStoreTest, ExportHoldsEveryMatchInListOrder) {
  const auto spec = org().member("exporter", org().root_department(), {"specialist"});
  {
    auto c = database().acquire();
    std::vector<NewAccount> rows;
    for (int i = 0; i < 1234; ++i) {
      NewAccount row;
      row.name = "导出客户" + std::to_string(10000 + i);
      rows.push_back(row);
    }
    NewAccount theirs;
    theirs.name = "别人的客户";
    theirs.owner_id = spec.user_id;
    rows.push_back(theirs);
    insert_accounts_bulk(*c, rows);
  }
  auto c = database().acquire();
  ListQuery q;
  q.q = "导出";
  q.sort = "-name";
  EXPECT_FALSE(list_accounts(*c, admin_, q)->total_exact);  // "1000+"
  const auto file = export_accounts(*c, admin_, q, "csv");
  ASSERT_TRUE(file.ok()) << file.error().detail();
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < file->bytes.size()) {
    const auto end = file->bytes.find('\n', at);
    lines.push_back(file->bytes.substr(at, end == std::string::npos ? std::string::npos : end - at));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  ASSERT_EQ(lines.size(), 1u + 1234u);                           // header + every match
  EXPECT_NE(lines[1].find("导出客户11233"), std::string::npos);  // sorted by name, descending
  EXPECT_NE(lines.back().find("导出客户10000"), std::string::npos);
  // Without a query the whole list in scope: the specialist's own account only.
  auto mine = export_accounts(*c, spec, ListQuery{}, "csv");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(std::count(mine->bytes.begin(), mine->bytes.end(), '\n'), 2);
  // The search's default order (newest first, driven by the postings).
  q.sort.clear();
  const auto newest_first = export_accounts(*c, admin_, q, "csv");
  ASSERT_TRUE(newest_first.ok()) << newest_first.error().detail();
  EXPECT_EQ(std::count(newest_first->bytes.begin(), newest_first->bytes.end(), '\n'), 1 + 1234);
  EXPECT_LT(newest_first->bytes.find("导出客户11233"), newest_first->bytes.find("导出客户11232"));
}

TEST_P(AccountStoreTest, LongSearchesAreLimitedByTheDataScope) {
  const auto root = org().root_department();
  const auto a = org().department("A", root);
  const auto b = org().department("B", root);
  const auto spec_a = org().member("spec_a", a, {"specialist"});
  const auto spec_b = org().member("spec_b", b, {"specialist"});
  create(spec_a, "A的客户一");
  create(spec_b, "B的客户一");
  ListQuery q;
  q.q = "的客户一";  // 4 characters: bigrams plus the substring check
  EXPECT_EQ(list(spec_a, q).total, 1);
  EXPECT_EQ(list(admin_, q).total, 2);
  q.q = "客";  // 1 character: a scan
  EXPECT_EQ(list(spec_b, q).total, 1);
}

TEST_P(AccountStoreTest, StaleVersionIsAConflictAndChangesNothing) {
  const auto created = create(admin_, "华为精密");
  auto c = database().acquire();
  auto first = update_account(*c, admin_, created.id, created.version, input({{"city", "深圳市"}}, false));
  ASSERT_TRUE(first.ok()) << first.error().detail();
  EXPECT_EQ(first->version, created.version + 1);
  EXPECT_EQ(first->name, "华为精密");  // absent fields are kept
  EXPECT_EQ(first->city, "深圳市");

  auto stale =
      update_account(*c, admin_, created.id, created.version, input({{"name", "覆盖"}, {"city", nullptr}}, false));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code(), Code::conflict);
  auto now = get_account(*c, admin_, created.id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->name, "华为精密");
  EXPECT_EQ(now->city, "深圳市");
  EXPECT_EQ(now->version, first->version);
  EXPECT_EQ(audit_of(created.id).size(), 2u);  // create + the one successful update

  auto missing = update_account(*c, admin_, created.id + 1000, 1, input({{"name", "x"}}, false));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), Code::not_found);
}

TEST_P(AccountStoreTest, NullClearsAnOptionalField) {
  auto c = database().acquire();
  auto created = create_account(*c, admin_, input({{"name", "客户"}, {"city", "杭州市"}}));
  ASSERT_TRUE(created.ok());
  auto updated = update_account(*c, admin_, created->id, created->version, input({{"city", nullptr}}, false));
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(updated->city.has_value());
}

TEST_P(AccountStoreTest, RenameMovesTheSearchPostings) {
  const auto created = create(admin_, "华为精密");
  create(admin_, "其他公司");
  auto c = database().acquire();
  auto renamed = update_account(*c, admin_, created.id, created.version, input({{"name", "中兴通讯"}}, false));
  ASSERT_TRUE(renamed.ok());
  c.reset();
  EXPECT_EQ(search("中兴"), std::vector<std::string>{"中兴通讯"});
  EXPECT_EQ(search("通讯"), std::vector<std::string>{"中兴通讯"});
  EXPECT_TRUE(search("华为").empty());
  EXPECT_TRUE(search("精密").empty());
  EXPECT_TRUE(search("为精").empty());
  // The postings table holds exactly the new name's bigrams.
  auto check = database().acquire();
  const auto grams = check->query("SELECT gram FROM account_search WHERE account_id = ? ORDER BY gram", {created.id});
  std::set<std::string> got;
  for (const auto& r : grams) got.insert(r.text(0));
  EXPECT_EQ(got, (std::set<std::string>{"中兴", "兴通", "通讯"}));
  check.reset();
  EXPECT_EQ(search("中兴通"), std::vector<std::string>{"中兴通讯"});
  EXPECT_TRUE(search("华为精").empty());
}

TEST_P(AccountStoreTest, DeleteHidesTheAccountEverywhere) {
  const auto doomed = create(admin_, "华为精密");
  const auto kept = create(admin_, "华为终端");
  auto c = database().acquire();
  ASSERT_TRUE(delete_account(*c, admin_, doomed.id).ok());
  auto got = get_account(*c, admin_, doomed.id);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), Code::not_found);
  auto again = delete_account(*c, admin_, doomed.id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Code::not_found);
  auto update = update_account(*c, admin_, doomed.id, doomed.version + 1, input({{"name", "复活"}}, false));
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.error().code(), Code::not_found);
  EXPECT_EQ(c->query("SELECT count(*) FROM account_search WHERE account_id = ?", {doomed.id}).front().integer(0), 0);
  c.reset();
  EXPECT_EQ(search("华为"), std::vector<std::string>{"华为终端"});
  EXPECT_TRUE(search("精密").empty());
  ListQuery q;
  q.q = doomed.archive_no;
  EXPECT_EQ(list(admin_, q).total, 0);
  EXPECT_EQ(total(admin_), 1);
  EXPECT_EQ(list(admin_, ListQuery{}).items.at(0).id, kept.id);
  EXPECT_TRUE(search("华为精").empty());
  EXPECT_EQ(search("华为终"), std::vector<std::string>{"华为终端"});
}

class AccountSearchTest : public AccountStoreTest {
 protected:
  void SetUp() override {
    AccountStoreTest::SetUp();
    if (!ready()) return;
    for (const char* name : {"华为精密", "精密华为", "为精华为", "Huawei Cloud", "中兴通讯", "华"})
      create(admin_, name);
  }
};

TEST_P(AccountSearchTest, TwoChineseCharactersUseTheBigram) {
  EXPECT_EQ(search("华为"), (std::vector<std::string>{"为精华为", "华为精密", "精密华为"}));
  EXPECT_EQ(search("精密"), (std::vector<std::string>{"华为精密", "精密华为"}));
  EXPECT_EQ(search(" 中兴 "), std::vector<std::string>{"中兴通讯"});
  EXPECT_TRUE(search("华兴").empty());
}

TEST_P(AccountSearchTest, ThreeOrMoreCharactersRequireTheExactSubstring) {
  // 为精华为 has both bigrams of 华为精 (华为, 为精) but not the substring.
  EXPECT_EQ(search("华为精"), std::vector<std::string>{"华为精密"});
  EXPECT_EQ(search("华为精密"), std::vector<std::string>{"华为精密"});
  EXPECT_EQ(search("精华为"), std::vector<std::string>{"为精华为"});
  EXPECT_TRUE(search("华为精密华").empty());
}

TEST_P(AccountSearchTest, AsciiIsCaseInsensitive) {
  EXPECT_EQ(search("HUAWEI"), std::vector<std::string>{"Huawei Cloud"});
  EXPECT_EQ(search("cloud"), std::vector<std::string>{"Huawei Cloud"});
  EXPECT_EQ(search("hU"), std::vector<std::string>{"Huawei Cloud"});
  EXPECT_EQ(search("wei cl"), std::vector<std::string>{"Huawei Cloud"});  // whitespace is ignored
}

TEST_P(AccountSearchTest, OneCharacterQueriesWork) {
  EXPECT_EQ(search("华"), (std::vector<std::string>{"为精华为", "华", "华为精密", "精密华为"}));
  EXPECT_EQ(search("兴"), std::vector<std::string>{"中兴通讯"});
  EXPECT_EQ(search("C"), std::vector<std::string>{"Huawei Cloud"});
  EXPECT_TRUE(search("z").empty());
}

TEST_P(AccountSearchTest, ArchiveNumberPrefix) {
  EXPECT_EQ(search(year_prefix()).size(), 6u);
  EXPECT_EQ(search(year_prefix() + "00000").size(), 6u);
  EXPECT_EQ(search(year_prefix() + "000002"), std::vector<std::string>{"精密华为"});
  // Lower case is accepted.
  std::string lower = year_prefix() + "000005";
  lower[0] = 'k';
  lower[1] = 'a';
  EXPECT_EQ(search(lower), std::vector<std::string>{"中兴通讯"});
  EXPECT_TRUE(search("KA-1999-").empty());
  EXPECT_TRUE(search(year_prefix() + "000007").empty());
}

TEST_P(AccountSearchTest, SearchCombinesWithSortAndPaging) {
  ListQuery q;
  q.q = "华";
  q.sort = "name";
  q.limit = 2;
  q.q = "华为";
  auto two = list(admin_, q);  // the bigram path
  EXPECT_EQ(two.total, 3);
  ASSERT_EQ(two.items.size(), 2u);
  EXPECT_EQ(two.items[0].name, "为精华为");
  EXPECT_EQ(two.items[1].name, "华为精密");
  q.q = "华";  // the one-character path
  auto first = list(admin_, q);
  EXPECT_EQ(first.total, 4);
  ASSERT_EQ(first.items.size(), 2u);
  q.offset = 2;
  auto second = list(admin_, q);
  EXPECT_EQ(second.total, 4);
  ASSERT_EQ(second.items.size(), 2u);
  std::vector<std::string> names;
  for (const auto& a : first.items) names.push_back(a.name);
  for (const auto& a : second.items) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"为精华为", "华", "华为精密", "精密华为"}));  // UTF-8 byte order
}

TEST_P(AccountStoreTest, ListSortsByName) {
  for (const char* name : {"delta", "alpha", "echo", "charlie", "bravo"}) create(admin_, name);
  ListQuery q;
  q.sort = "name";
  std::vector<std::string> names;
  for (const auto& a : list(admin_, q).items) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "bravo", "charlie", "delta", "echo"}));
  q.sort = "-name";
  names.clear();
  for (const auto& a : list(admin_, q).items) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"echo", "delta", "charlie", "bravo", "alpha"}));
  q.sort = "archive_no";
  names.clear();
  for (const auto& a : list(admin_, q).items) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"delta", "alpha", "echo", "charlie", "bravo"}));
  q.sort = "";  // default: newest first
  names.clear();
  for (const auto& a : list(admin_, q).items) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"bravo", "charlie", "echo", "alpha", "delta"}));
}

TEST_P(AccountStoreTest, BadSortOrFilterIsABadRequest) {
  auto c = database().acquire();
  ListQuery q;
  q.sort = "name; DROP TABLE accounts";
  auto bad = list_accounts(*c, admin_, q);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Code::bad_request);
  q.sort = "";
  q.filters = {{"password_hash", "x"}};
  bad = list_accounts(*c, admin_, q);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Code::bad_request);
}

TEST_P(AccountStoreTest, FiltersNarrowTheList) {
  auto c = database().acquire();
  ASSERT_TRUE(
      create_account(*c, admin_, input({{"name", "广州客户"}, {"province", "广东省"}, {"city", "广州市"}})).ok());
  ASSERT_TRUE(
      create_account(*c, admin_, input({{"name", "深圳客户"}, {"province", "广东省"}, {"city", "深圳市"}})).ok());
  ASSERT_TRUE(create_account(*c, admin_, input({{"name", "杭州客户"}, {"province", "浙江省"}})).ok());
  c.reset();
  ListQuery q;
  q.filters = {{"province", "广东省"}};
  EXPECT_EQ(list(admin_, q).total, 2);
  q.filters = {{"province", "广东省"}, {"city", "深圳市"}};
  EXPECT_EQ(list(admin_, q).total, 1);
  q.filters = {{"owner_id", std::to_string(admin_.user_id)}};
  EXPECT_EQ(list(admin_, q).total, 3);
  q.filters = {{"department_id", std::to_string(*admin_.department_id)}};
  q.q = "客户";
  EXPECT_EQ(list(admin_, q).total, 3);
}

TEST_P(AccountStoreTest, PagingTotalsAreConsistent) {
  for (int i = 0; i < 25; ++i) create(admin_, "客户" + std::string(i < 10 ? "0" : "") + std::to_string(i));
  ListQuery q;
  q.sort = "name";
  q.limit = 10;
  std::vector<std::string> seen;
  for (int offset = 0; offset < 30; offset += 10) {
    q.offset = offset;
    const auto page = list(admin_, q);
    EXPECT_EQ(page.total, 25) << offset;
    EXPECT_EQ(page.items.size(), static_cast<std::size_t>(std::min(10, 25 - offset))) << offset;
    for (const auto& a : page.items) seen.push_back(a.name);
  }
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u);
  q.offset = 25;
  const auto past = list(admin_, q);
  EXPECT_EQ(past.total, 25);
  EXPECT_TRUE(past.items.empty());
}

TEST_P(AccountStoreTest, EveryChangeWritesOneAuditRow) {
  const auto created = create(admin_, "华为精密");
  auto rows = audit_of(created.id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].action, "create");
  EXPECT_EQ(rows[0].user_id, admin_.user_id);
  EXPECT_TRUE(rows[0].before.is_null());
  EXPECT_EQ(rows[0].after, to_json(created));

  auto c = database().acquire();
  auto updated = update_account(*c, admin_, created.id, created.version, input({{"name", "华为终端"}}, false));
  ASSERT_TRUE(updated.ok());
  rows = audit_of(created.id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].action, "update");
  EXPECT_EQ(rows[1].before, to_json(created));
  EXPECT_EQ(rows[1].after, to_json(*updated));
  EXPECT_EQ(rows[1].before["name"], "华为精密");
  EXPECT_EQ(rows[1].after["name"], "华为终端");

  ASSERT_TRUE(delete_account(*c, admin_, created.id).ok());
  rows = audit_of(created.id);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].action, "delete");
  EXPECT_EQ(rows[2].before, to_json(*updated));
  EXPECT_TRUE(rows[2].after.is_null());

  // Refused operations write nothing.
  (void)update_account(*c, admin_, created.id, updated->version, input({{"name", "x"}}, false));
  (void)delete_account(*c, admin_, created.id);
  EXPECT_EQ(audit_of(created.id).size(), 3u);
  EXPECT_EQ(c->query("SELECT count(*) FROM audit_log WHERE entity = ?", {std::string("account")}).front().integer(0),
            3);
}

TEST_P(AccountStoreTest, BulkInsertPostsSearchGramsWithoutAudit) {
  std::vector<NewAccount> rows;
  for (int i = 0; i < 20; ++i) {
    NewAccount row;
    row.name = "批量客户" + std::to_string(i);
    row.owner_id = admin_.user_id;
    row.department_id = admin_.department_id;
    rows.push_back(row);
  }
  auto c = database().acquire();
  {
    db::Transaction tx(*c);
    const auto ids = insert_accounts_bulk(*c, rows);
    EXPECT_EQ(ids.size(), 20u);
    tx.commit();
  }
  c.reset();
  EXPECT_EQ(search("批量").size(), 20u);
  auto check = database().acquire();
  EXPECT_EQ(
      check->query("SELECT count(*) FROM audit_log WHERE entity = ?", {std::string("account")}).front().integer(0), 0);
  check.reset();
  EXPECT_EQ(create(admin_, "之后").archive_no, year_prefix() + "000021");
  EXPECT_EQ(search("客户1").size(), 11u);  // 1, 10..19
}

TEST_P(AccountStoreTest, ConcurrentCreatesGetDistinctArchiveNumbers) {
  constexpr int threads = 4;
  constexpr int per_thread = 10;
  std::vector<std::vector<std::string>> numbers(threads);
  std::vector<std::string> errors(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const auto at = static_cast<std::size_t>(t);
      try {
        for (int i = 0; i < per_thread; ++i) {
          numbers[at].push_back(create(admin_, "并发客户" + std::to_string(t) + "-" + std::to_string(i)).archive_no);
        }
      } catch (const std::exception& e) {
        errors[at] = e.what();
      }
    });
  }
  for (auto& w : workers) w.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  std::set<std::string> all;
  for (const auto& n : numbers) all.insert(n.begin(), n.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(threads * per_thread));
  if (!all.empty()) {
    EXPECT_EQ(*all.begin(), year_prefix() + "000001");
    EXPECT_EQ(*all.rbegin(), year_prefix() + "000040");
  }
  EXPECT_EQ(total(admin_), threads * per_thread);
}

TEST_P(AccountStoreTest, ConcurrentUpdatesOfOneVersionLetExactlyOneWin) {
  const auto created = create(admin_, "争抢的客户");
  constexpr int threads = 4;
  std::vector<std::optional<Code>> outcome(threads);
  std::vector<std::string> errors(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const auto at = static_cast<std::size_t>(t);
      try {
        auto c = database().acquire();
        auto r = update_account(*c, admin_, created.id, created.version,
                                input({{"name", "赢家" + std::to_string(t)}}, false));
        if (!r.ok()) outcome[at] = r.error().code();
      } catch (const std::exception& e) {
        errors[at] = e.what();
      }
    });
  }
  for (auto& w : workers) w.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  int wins = 0;
  for (const auto& o : outcome) {
    if (!o) {
      ++wins;
    } else {
      EXPECT_EQ(*o, Code::conflict);
    }
  }
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(audit_of(created.id).size(), 2u);
  auto c = database().acquire();
  const auto now = get_account(*c, admin_, created.id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->version, created.version + 1);
  EXPECT_EQ(c->query("SELECT count(*) FROM account_search WHERE account_id = ?", {created.id}).front().integer(0),
            static_cast<std::int64_t>(text::search_grams(now->name).size()));
}

// --- The archive fields (issue 3) -------------------------------------------

TEST_P(AccountStoreTest, ArchiveFieldsRoundTrip) {
  const json body = {{"name", "华为技术有限公司"},
                     {"credit_code", "914403001922038216"},
                     {"ownership_type", "private"},
                     {"employees", 207000},
                     {"annual_revenue_fen", 70420000000000},
                     {"founded_year", 1987},
                     {"website", "https://www.huawei.com"},
                     {"business_status", "正常经营"},
                     {"procurement_mode", "centralized"},
                     {"customer_kind", "end_user"},
                     {"needs", "服务器与存储"},
                     {"preferences", "国产化"},
                     {"price_sensitivity", "low"},
                     {"tier", "A"},
                     {"tier_override_reason", "战略客户"},
                     {"market_stage", "mature"},
                     {"relationship_stage", "stabilize"},
                     {"province", "广东省"},
                     {"city", "深圳市"}};
  auto c = database().acquire();
  auto created = create_account(*c, admin_, input(body));
  ASSERT_TRUE(created.ok()) << created.error().detail();
  auto got = get_account(*c, admin_, created->id);
  ASSERT_TRUE(got.ok());
  const auto j = to_json(*got);
  for (const auto& [key, value] : body.items()) EXPECT_EQ(j.at(key), value) << key;
  EXPECT_EQ(j.at("in_pool"), false);
  EXPECT_TRUE(got->owned_since.has_value());
  EXPECT_FALSE(got->last_activity_at.has_value());

  // PATCH: absent fields stay, null clears, integers change.
  auto updated = update_account(
      *c, admin_, got->id, got->version,
      input({{"employees", 1}, {"website", nullptr}, {"tier", nullptr}, {"relationship_stage", "strengthen"}}, false));
  ASSERT_TRUE(updated.ok()) << updated.error().detail();
  EXPECT_EQ(updated->employees, 1);
  EXPECT_FALSE(updated->website.has_value());
  EXPECT_FALSE(updated->tier.has_value());
  EXPECT_EQ(updated->relationship_stage, "strengthen");
  EXPECT_EQ(updated->credit_code, "914403001922038216");
  EXPECT_EQ(updated->annual_revenue_fen, 70420000000000);
  EXPECT_EQ(audit_of(got->id).back().after.at("employees"), 1);

  auto plain = create_account(*c, admin_, input({{"name", "只有名称"}}));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->relationship_stage, "establish");
  EXPECT_FALSE(plain->credit_code.has_value());
}

TEST_P(AccountStoreTest, CreditCodeIsUniqueAmongLiveAccounts) {
  auto c = database().acquire();
  auto first = create_account(*c, admin_, input({{"name", "甲"}, {"credit_code", "91350100M000100Y43"}}));
  ASSERT_TRUE(first.ok());
  auto twin = create_account(*c, admin_, input({{"name", "乙"}, {"credit_code", "91350100m000100y43"}}));
  ASSERT_FALSE(twin.ok());
  EXPECT_EQ(twin.error().code(), Code::conflict);
  EXPECT_EQ(twin.error().fields().at(0).field, "credit_code");
  EXPECT_EQ(total(admin_), 1);  // nothing half-written

  auto other = create_account(*c, admin_, input({{"name", "丙"}, {"credit_code", "91440300708461136T"}}));
  ASSERT_TRUE(other.ok());
  auto clash =
      update_account(*c, admin_, other->id, other->version, input({{"credit_code", "91350100M000100Y43"}}, false));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code(), Code::conflict);
  // Accounts without a code never clash.
  ASSERT_TRUE(create_account(*c, admin_, input({{"name", "丁"}})).ok());
  ASSERT_TRUE(create_account(*c, admin_, input({{"name", "戊"}})).ok());

  // A deleted account frees its code.
  ASSERT_TRUE(delete_account(*c, admin_, first->id).ok());
  auto reused = create_account(*c, admin_, input({{"name", "乙"}, {"credit_code", "91350100M000100Y43"}}));
  ASSERT_TRUE(reused.ok()) << reused.error().detail();
  EXPECT_EQ(reused->credit_code, "91350100M000100Y43");
}

TEST_P(AccountStoreTest, UpdateChecksTheResultingProvinceAndCity) {
  auto c = database().acquire();
  auto created = create_account(*c, admin_, input({{"name", "客户"}, {"province", "江苏省"}, {"city", "苏州市"}}));
  ASSERT_TRUE(created.ok());
  auto moved = update_account(*c, admin_, created->id, created->version, input({{"province", "浙江省"}}, false));
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code(), Code::invalid);
  EXPECT_EQ(moved.error().fields().at(0).field, "city");
  auto both = update_account(*c, admin_, created->id, created->version,
                             input({{"province", "浙江省"}, {"city", "杭州市"}}, false));
  ASSERT_TRUE(both.ok()) << both.error().detail();
  auto municipality = update_account(*c, admin_, created->id, both->version,
                                     input({{"province", "上海市"}, {"city", "上海市"}}, false));
  ASSERT_TRUE(municipality.ok());

  // Old rows with places outside the list stay editable in other fields.
  NewAccount legacy;
  legacy.name = "旧数据";
  legacy.province = "江苏";
  legacy.city = "苏州";
  const auto id = insert_accounts_bulk(*c, {legacy}).front();
  auto old = get_account(*c, admin_, id);
  ASSERT_TRUE(old.ok());
  auto renamed = update_account(*c, admin_, id, old->version, input({{"needs", "更多"}}, false));
  ASSERT_TRUE(renamed.ok()) << renamed.error().detail();
}

TEST_P(AccountStoreTest, ArchiveFiltersAndSorts) {
  auto c = database().acquire();
  auto make = [&](const json& body) {
    auto created = create_account(*c, admin_, input(body));
    if (!created) throw std::runtime_error("create: " + created.error().detail());
    return *created;
  };
  const auto a = make({{"name", "甲"},
                       {"tier", "A"},
                       {"tier_override_reason", "r"},
                       {"employees", 500},
                       {"annual_revenue_fen", 1000},
                       {"founded_year", 1990},
                       {"customer_kind", "channel"},
                       {"credit_code", "91350100M000100Y43"},
                       {"market_stage", "mature"}});
  const auto b = make({{"name", "乙"},
                       {"tier", "B"},
                       {"tier_override_reason", "r"},
                       {"employees", 50},
                       {"annual_revenue_fen", 5000},
                       {"founded_year", 2010},
                       {"customer_kind", "end_user"},
                       {"ownership_type", "state_owned"},
                       {"relationship_stage", "strengthen"}});
  const auto none = make({{"name", "丙"}});
  NewAccount pooled;
  pooled.name = "公海客户";
  const auto pool_id = insert_accounts_bulk(*c, {pooled}).front();
  c->query("UPDATE accounts SET last_activity_at = ? WHERE id = ?", {std::string("2026-03-01T10:00:00.000Z"), a.id});
  c->query("UPDATE accounts SET last_activity_at = ? WHERE id = ?", {std::string("2026-05-01T10:00:00.000Z"), b.id});
  c.reset();

  auto ids = [&](const std::map<std::string, std::string>& filters, const std::string& sort = "id") {
    ListQuery q;
    q.filters = filters;
    q.sort = sort;
    q.limit = 100;
    const auto page = list(admin_, q);
    std::vector<std::int64_t> out;
    for (const auto& item : page.items) out.push_back(item.id);
    EXPECT_EQ(page.total, static_cast<std::int64_t>(out.size()));
    return out;
  };
  using Ids = std::vector<std::int64_t>;
  EXPECT_EQ(ids({{"tier", "A"}}), Ids{a.id});
  EXPECT_EQ(ids({{"customer_kind", "end_user"}}), Ids{b.id});
  EXPECT_EQ(ids({{"ownership_type", "state_owned"}}), Ids{b.id});
  EXPECT_EQ(ids({{"market_stage", "mature"}}), Ids{a.id});
  EXPECT_EQ(ids({{"relationship_stage", "establish"}}), (Ids{a.id, none.id, pool_id}));
  EXPECT_EQ(ids({{"credit_code", "91350100m000100y43"}}), Ids{a.id});
  EXPECT_EQ(ids({{"in_pool", "true"}}), Ids{pool_id});
  EXPECT_EQ(ids({{"in_pool", "false"}}), (Ids{a.id, b.id, none.id}));
  EXPECT_EQ(ids({{"employees_min", "100"}}), Ids{a.id});
  EXPECT_EQ(ids({{"employees_min", "50"}, {"employees_max", "50"}}), Ids{b.id});
  EXPECT_EQ(ids({{"annual_revenue_fen_max", "4999"}}), Ids{a.id});
  EXPECT_EQ(ids({{"annual_revenue_fen_min", "1000"}}), (Ids{a.id, b.id}));
  EXPECT_EQ(ids({{"founded_year_min", "2000"}}), Ids{b.id});
  EXPECT_EQ(ids({{"founded_year_max", "2000"}}), Ids{a.id});
  EXPECT_EQ(ids({{"last_activity_before", "2026-04-01"}}), Ids{a.id});
  EXPECT_EQ(ids({{"last_activity_after", "2026-03-01T10:00:01Z"}}), Ids{b.id});
  EXPECT_EQ(ids({{"last_activity_after", "2026-01-01"}, {"tier", "B"}}), Ids{b.id});

  // Sorts: accounts without a value come last in both directions.
  EXPECT_EQ(ids({}, "employees"), (Ids{b.id, a.id, none.id, pool_id}));
  EXPECT_EQ(ids({}, "-employees"), (Ids{a.id, b.id, pool_id, none.id}));
  EXPECT_EQ(ids({}, "annual_revenue_fen"), (Ids{a.id, b.id, none.id, pool_id}));
  EXPECT_EQ(ids({}, "-last_activity_at"), (Ids{b.id, a.id, pool_id, none.id}));
  EXPECT_EQ(ids({}, "tier"), (Ids{a.id, b.id, none.id, pool_id}));
  EXPECT_EQ(ids({{"in_pool", "false"}}, "-tier"), (Ids{b.id, a.id, none.id}));
  // Paged one at a time, across the boundary between the accounts with a
  // value and those without.
  for (const std::string sort : {"employees", "-employees", "tier", "-last_activity_at"}) {
    const auto all = ids({}, sort);
    for (int offset = 0; offset <= static_cast<int>(all.size()); ++offset) {
      ListQuery q;
      q.sort = sort;
      q.limit = 1;
      q.offset = offset;
      const auto page = list(admin_, q);
      const Ids expected = offset < static_cast<int>(all.size()) ? Ids{all[offset]} : Ids{};
      Ids got;
      for (const auto& item : page.items) got.push_back(item.id);
      EXPECT_EQ(got, expected) << sort << " offset " << offset;
      EXPECT_EQ(page.total, static_cast<std::int64_t>(all.size())) << sort << " offset " << offset;
    }
  }
}

class SavedViewTest : public AccountStoreTest {};

TEST_P(SavedViewTest, ViewsArePerUserAndValidated) {
  const auto dept = org().department("销售一部", org().root_department());
  const auto alice = org().member("alice", dept, {"specialist"});
  const auto bob = org().member("bob", dept, {"specialist"});
  auto c = database().acquire();
  auto read = [](const json& body, bool creating) {
    auto parsed = read_view_input(body, creating);
    if (!parsed) throw std::runtime_error("read_view_input: " + parsed.error().detail());
    return *parsed;
  };
  const json query = {{"q", "华为"}, {"sort", "-employees"}, {"tier", "A"}, {"in_pool", false}, {"employees_min", 10}};
  auto created = create_view(*c, alice, read({{"entity", "accounts"}, {"name", "我的 A 类"}, {"query", query}}, true));
  ASSERT_TRUE(created.ok()) << created.error().detail();
  EXPECT_EQ(created->query, query);
  EXPECT_EQ(created->version, 1);

  auto mine = list_views(*c, alice, "accounts", 50, 0);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->total, 1);
  auto theirs = list_views(*c, bob, "accounts", 50, 0);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(theirs->total, 0);
  EXPECT_EQ(get_view(*c, bob, created->id).error().code(), Code::not_found);
  EXPECT_EQ(update_view(*c, bob, created->id, 1, read({{"name", "偷看"}}, false)).error().code(), Code::not_found);
  EXPECT_EQ(delete_view(*c, bob, created->id).error().code(), Code::not_found);

  auto renamed = update_view(*c, alice, created->id, 1, read({{"name", "重点客户"}}, false));
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->name, "重点客户");
  EXPECT_EQ(renamed->query, query);
  EXPECT_EQ(renamed->version, 2);
  EXPECT_EQ(update_view(*c, alice, created->id, 1, read({{"name", "旧"}}, false)).error().code(), Code::conflict);

  for (const json& bad : {json{{"entity", "accounts"}, {"name", "x"}, {"query", {{"tier", "D"}}}},
                          json{{"entity", "accounts"}, {"name", "x"}, {"query", {{"password", "1"}}}},
                          json{{"entity", "accounts"}, {"name", "x"}, {"query", {{"sort", "secret"}}}},
                          json{{"entity", "accounts"}, {"name", "x"}, {"query", {{"tier", json::array()}}}},
                          json{{"entity", "accounts"}, {"name", "x"}, {"query", "tier=A"}},
                          json{{"entity", "contacts"}, {"name", "x"}, {"query", json::object()}},
                          json{{"entity", "accounts"}, {"query", json::object()}}}) {
    auto result = read_view_input(bad, true);
    ASSERT_FALSE(result.ok()) << bad.dump();
    EXPECT_EQ(result.error().code(), Code::invalid) << bad.dump();
  }
  EXPECT_EQ(read_view_input({{"entity", "accounts"}, {"name", "x"}, {"query", {{"tier", "D"}}}}, true)
                .error()
                .fields()
                .at(0)
                .field,
            "query.tier");

  ASSERT_TRUE(delete_view(*c, alice, created->id).ok());
  EXPECT_EQ(get_view(*c, alice, created->id).error().code(), Code::not_found);
  EXPECT_EQ(list_views(*c, alice, "bogus", 50, 0).error().code(), Code::bad_request);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountStoreTest, testdb::kBackends, testdb::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, AccountSearchTest, testdb::kBackends, testdb::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, SavedViewTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::accounts
