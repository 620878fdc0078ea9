#include <gtest/gtest.h>

#include "accounts/accounts.hpp"
#include "platform/core/clock.hpp"

namespace kam::accounts {

TEST(ArchiveNumber, IsYearAndSixDigitSequence) {
  EXPECT_EQ(archive_number(2026, 123), "KA-2026-000123");
  EXPECT_EQ(archive_number(2027, 1234567), "KA-2027-1234567");
}

TEST(AccountInput, CreateRequiresName) {
  auto missing = read_input(nlohmann::json::object(), true);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), Error::Code::invalid);
  EXPECT_EQ(missing.error().fields().at(0).field, "name");
}

TEST(AccountInput, BlankNameIsRejectedEvenWithIdeographicSpace) {
  auto blank = read_input({{"name", "\xe3\x80\x80 "}}, true);
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().fields().at(0).message, "must not be blank");
}

TEST(AccountInput, ReportsEveryBadFieldAtOnce) {
  auto bad = read_input({{"name", 5}, {"city", std::string(60, 'x')}, {"industry", true}}, true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields().size(), 3u);
}

TEST(AccountInput, UpdateLeavesAbsentFieldsAlone) {
  auto input = read_input({{"city", nullptr}}, false);
  ASSERT_TRUE(input.ok());
  EXPECT_FALSE(input->name.present);
  EXPECT_TRUE(input->city.present);
  EXPECT_FALSE(input->city.value.has_value());
}

TEST(AccountInput, KeepsQuotesAndSqlMetacharactersVerbatim) {
  const std::string name = "O'Brien \"华为\"; DROP TABLE accounts; --";
  auto input = read_input({{"name", name}}, true);
  ASSERT_TRUE(input.ok());
  EXPECT_EQ(*input->name.value, name);
}

TEST(ListQuery, RejectsUnknownSortAndFilter) {
  ListQuery query;
  query.sort = "password";
  query.filters["secret"] = "1";
  auto status = check_list_query(query);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().fields().size(), 2u);
}

}  // namespace kam::accounts

namespace kam::accounts {

// Regression: an id filter too large for 64 bits used to throw (500).
TEST(ListQuery, RejectsIdFiltersThatAreNotPositive64BitIntegers) {
  for (const std::string bad : {"99999999999999999999", "0", "-1", "1e3", ""}) {
    ListQuery query;
    query.filters["owner_id"] = bad;
    EXPECT_FALSE(check_list_query(query).ok()) << bad;
  }
  ListQuery fine;
  fine.filters["owner_id"] = "42";
  EXPECT_TRUE(check_list_query(fine).ok());
}

}  // namespace kam::accounts

namespace kam::accounts {

TEST(AccountInput, ReadsEveryArchiveField) {
  auto input = read_input({{"name", "华为"},
                           {"credit_code", "914403001922038216"},
                           {"ownership_type", "private"},
                           {"employees", 207000},
                           {"annual_revenue_fen", 70420000000000},
                           {"founded_year", 1987},
                           {"website", "https://www.huawei.com"},
                           {"business_status", "正常经营"},
                           {"procurement_mode", "centralized"},
                           {"customer_kind", "end_user"},
                           {"needs", "服务器"},
                           {"preferences", "国产"},
                           {"price_sensitivity", "low"},
                           {"tier", "A"},
                           {"tier_override_reason", "战略客户"},
                           {"market_stage", "mature"},
                           {"relationship_stage", "stabilize"},
                           {"province", "广东省"},
                           {"city", "深圳市"}},
                          true);
  ASSERT_TRUE(input.ok()) << input.error().fields().at(0).field << " " << input.error().fields().at(0).message;
  EXPECT_EQ(*input->credit_code.value, "914403001922038216");
  EXPECT_EQ(*input->employees.value, 207000);
  EXPECT_EQ(*input->annual_revenue_fen.value, 70420000000000);
  EXPECT_EQ(*input->tier.value, "A");
  EXPECT_EQ(*input->relationship_stage.value, "stabilize");
}

TEST(AccountInput, UpperCasesTheCreditCodeAndChecksIt) {
  auto lower = read_input({{"name", "x"}, {"credit_code", " 91440300708461136t "}}, true);
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(*lower->credit_code.value, "91440300708461136T");
  auto bad = read_input({{"name", "x"}, {"credit_code", "91440300708461136X"}}, true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields().at(0).field, "credit_code");
}

// Each enumerated field: every allowed value passes, anything else is a 422
// whose message lists the allowed values.
TEST(AccountInput, EnumeratedFieldsTakeOnlyTheirValues) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ownership_type", "state_owned, private, foreign, joint_venture, collective, other"},
      {"procurement_mode", "centralized, decentralized"},
      {"customer_kind", "channel, end_user"},
      {"price_sensitivity", "high, medium, low"},
      {"tier", "A, B, C"},
      {"market_stage", "mature, development, rectification"},
      {"relationship_stage", "establish, stabilize, strengthen"}};
  for (const auto& [field, listed] : cases) {
    for (const auto& value : allowed_values(field)) {
      nlohmann::json body = {{"name", "x"}, {field, value}, {"tier_override_reason", "因为"}};
      EXPECT_TRUE(read_input(body, true).ok()) << field << "=" << value;
    }
    for (const std::string bad : {"bogus", "a", "MATURE"}) {
      auto result = read_input({{"name", "x"}, {field, bad}, {"tier_override_reason", "r"}}, true);
      ASSERT_FALSE(result.ok()) << field << "=" << bad;
      EXPECT_EQ(result.error().fields().at(0).field, field);
      EXPECT_EQ(result.error().fields().at(0).message, "must be one of " + listed);
    }
  }
}

TEST(AccountInput, RelationshipStageCannotBeCleared) {
  auto cleared = read_input({{"relationship_stage", nullptr}}, false);
  ASSERT_FALSE(cleared.ok());
  EXPECT_EQ(cleared.error().fields().at(0).field, "relationship_stage");
  auto absent = read_input({{"name", "x"}}, true);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->relationship_stage.present);
}

TEST(AccountInput, TierSetByHandNeedsAReason) {
  auto without = read_input({{"name", "x"}, {"tier", "B"}}, true);
  ASSERT_FALSE(without.ok());
  EXPECT_EQ(without.error().fields().at(0).field, "tier_override_reason");
  EXPECT_FALSE(read_input({{"name", "x"}, {"tier", "B"}, {"tier_override_reason", "  "}}, true).ok());
  EXPECT_TRUE(read_input({{"name", "x"}, {"tier", "B"}, {"tier_override_reason", "利润贡献大"}}, true).ok());
  EXPECT_TRUE(read_input({{"tier", nullptr}}, false).ok());  // clearing needs no reason
}

TEST(AccountInput, IntegerFieldsAreRangeChecked) {
  const std::vector<std::pair<std::string, nlohmann::json>> bad = {
      {"employees", -1},          {"employees", 1.5},     {"employees", "10"},
      {"annual_revenue_fen", -5}, {"founded_year", 1799}, {"founded_year", current_year() + 1},
      {"founded_year", "1990"}};
  for (const auto& [field, value] : bad) {
    auto result = read_input({{"name", "x"}, {field, value}}, true);
    ASSERT_FALSE(result.ok()) << field << "=" << value;
    EXPECT_EQ(result.error().fields().at(0).field, field);
  }
  auto fine = read_input({{"name", "x"}, {"employees", 0}, {"founded_year", 1800}, {"annual_revenue_fen", 0}}, true);
  ASSERT_TRUE(fine.ok());
  auto cleared = read_input({{"employees", nullptr}}, false);
  ASSERT_TRUE(cleared.ok());
  EXPECT_TRUE(cleared->employees.present);
  EXPECT_FALSE(cleared->employees.value.has_value());
}

TEST(AccountInput, LongTextLimits) {
  EXPECT_TRUE(read_input({{"name", "x"}, {"website", std::string(200, 'w')}}, true).ok());
  EXPECT_FALSE(read_input({{"name", "x"}, {"website", std::string(201, 'w')}}, true).ok());
  EXPECT_TRUE(read_input({{"name", "x"}, {"needs", std::string(2000, 'n')}}, true).ok());
  EXPECT_FALSE(read_input({{"name", "x"}, {"needs", std::string(2001, 'n')}}, true).ok());
  EXPECT_FALSE(read_input({{"name", "x"}, {"preferences", std::string(2001, 'p')}}, true).ok());
}

TEST(Place, ProvinceAndCityFollowTheDivisionList) {
  EXPECT_TRUE(check_place(std::nullopt, std::nullopt).ok());
  EXPECT_TRUE(check_place(std::string("广东省"), std::string("深圳市")).ok());
  EXPECT_TRUE(check_place(std::string("北京市"), std::string("北京市")).ok());
  EXPECT_TRUE(check_place(std::string("广东省"), std::nullopt).ok());
  EXPECT_TRUE(check_place(std::nullopt, std::string("苏州市")).ok());
  auto wrong_city = check_place(std::string("广东省"), std::string("苏州市"));
  ASSERT_FALSE(wrong_city.ok());
  EXPECT_EQ(wrong_city.error().fields().at(0).field, "city");
  auto unknown = check_place(std::string("广东"), std::string("深圳市"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().fields().at(0).field, "province");
  EXPECT_FALSE(check_place(std::nullopt, std::string("苏州")).ok());
  // On create the pair is checked at once.
  auto created = read_input({{"name", "x"}, {"province", "江苏省"}, {"city", "深圳市"}}, true);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().fields().at(0).field, "city");
}

TEST(ListQuery, KnowsTheArchiveFiltersAndSorts) {
  ListQuery query;
  for (const auto& sort : list_sorts()) {
    query.sort = sort;
    EXPECT_TRUE(check_list_query(query).ok()) << sort;
    query.sort = "-" + sort;
    EXPECT_TRUE(check_list_query(query).ok()) << sort;
  }
  ListQuery good;
  good.filters = {{"tier", "A"},
                  {"in_pool", "true"},
                  {"employees_min", "10"},
                  {"annual_revenue_fen_max", "0"},
                  {"founded_year_min", "1990"},
                  {"last_activity_before", "2026-01-01"},
                  {"last_activity_after", "2025-06-01T08:00:00Z"},
                  {"credit_code", "914403001922038216"},
                  {"relationship_stage", "establish"}};
  EXPECT_TRUE(check_list_query(good).ok());
  const std::vector<std::pair<std::string, std::string>> bad = {{"tier", "D"},
                                                                {"in_pool", "yes"},
                                                                {"employees_min", "ten"},
                                                                {"founded_year_max", "1990.5"},
                                                                {"last_activity_before", "yesterday"},
                                                                {"market_stage", ""},
                                                                {"last_activity_after", "2026-01-01 10:00"}};
  for (const auto& [name, value] : bad) {
    ListQuery q;
    q.filters[name] = value;
    auto status = check_list_query(q);
    ASSERT_FALSE(status.ok()) << name << "=" << value;
    EXPECT_EQ(status.error().code(), Error::Code::bad_request);
    EXPECT_EQ(status.error().fields().at(0).field, name);
  }
}

TEST(MarketStage, PrioritiesFollowTheCourseTable) {
  auto keys = [](const std::string& stage) {
    std::vector<std::string> out;
    for (const auto& f : market_stage_priorities(stage)) out.push_back(f.at("key"));
    return out;
  };
  EXPECT_EQ(keys("mature"),
            (std::vector<std::string>{"store_supervision", "promotion", "sales_support", "deep_development"}));
  EXPECT_EQ(keys("development"),
            (std::vector<std::string>{"deep_development", "promotion", "sales_support", "store_supervision"}));
  EXPECT_EQ(keys("rectification"),
            (std::vector<std::string>{"sales_support", "store_supervision", "promotion", "deep_development"}));
  EXPECT_TRUE(market_stage_priorities(std::nullopt).empty());
  EXPECT_TRUE(market_stage_priorities(std::string("unknown")).empty());
  const auto first = market_stage_priorities(std::string("mature")).at(0);
  EXPECT_EQ(first.at("label_zh"), "店铺督导");
  EXPECT_EQ(first.at("label_en"), "Store supervision");
}

TEST(AccountJson, HasEveryArchiveFieldAndInPool) {
  Account a;
  a.name = "x";
  const auto j = to_json(a);
  for (const char* key :
       {"credit_code", "ownership_type", "employees", "annual_revenue_fen", "founded_year", "website",
        "business_status", "procurement_mode", "customer_kind", "needs", "preferences", "price_sensitivity", "tier",
        "tier_override_reason", "market_stage", "relationship_stage", "last_activity_at", "owned_since", "in_pool"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j.at("relationship_stage"), "establish");
  EXPECT_EQ(j.at("in_pool"), true);
  a.owner_id = 7;
  EXPECT_EQ(to_json(a).at("in_pool"), false);
  a.market_stage = "development";
  EXPECT_EQ(to_detail_json(a).at("market_stage_priorities").size(), 4u);
}

TEST(AccountJson, DirectWriterEqualsTheTreeDumpWithEveryFieldSetOrNull) {
  Account empty;
  empty.id = 1;
  empty.archive_no = "KA-2026-000001";
  empty.name = "苏州精密机械有限公司";
  empty.version = 1;
  empty.created_at = empty.updated_at = "2026-11-29T08:00:00Z";
  std::string out;
  append_json(empty, out);
  EXPECT_EQ(out, to_json(empty).dump());

  Account full = empty;
  full.name = "引号\"与\\反斜杠\n换行 =SUM(A1)";
  full.industry = "机械";
  full.province = "江苏省";
  full.city = "苏州市";
  full.address = "工业园区\t星湖街 1 号";
  full.owner_id = 7;
  full.owner_name = "张三";
  full.department_id = 3;
  full.department_name = "华东大区";
  full.credit_code = "91320500MA1XXXXX0X";
  full.ownership_type = "private";
  full.website = "https://example.cn/a?b=c";
  full.business_status = "正常经营";
  full.procurement_mode = "centralized";
  full.customer_kind = "end_user";
  full.employees = 1200;
  full.annual_revenue_fen = 123456789012;
  full.founded_year = 1998;
  full.needs = "需求";
  full.preferences = "偏好";
  full.price_sensitivity = "high";
  full.tier = "A";
  full.tier_override_reason = "战略客户";
  full.market_stage = "mature";
  full.relationship_stage = "strengthen";
  full.last_activity_at = "2026-11-28T10:00:00Z";
  full.owned_since = "2026-01-01T00:00:00Z";
  out.clear();
  append_json(full, out);
  EXPECT_EQ(out, to_json(full).dump());
  // Every member of the tree is written (a field added to one and not the
  // other shows up here).
  EXPECT_EQ(nlohmann::json::parse(out).size(), to_json(full).size());

  for (const auto* stage : {"mature", "rectification"}) {
    full.market_stage = stage;
    out.clear();
    append_detail_json(full, out);
    EXPECT_EQ(nlohmann::json::parse(out), to_detail_json(full)) << stage;
  }
  out.clear();
  append_detail_json(empty, out);
  EXPECT_EQ(nlohmann::json::parse(out), to_detail_json(empty));
}

}  // namespace kam::accounts
