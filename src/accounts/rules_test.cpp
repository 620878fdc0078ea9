#include <gtest/gtest.h>

#include "accounts/accounts.hpp"

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
