#include "accounts/import.hpp"

#include <gtest/gtest.h>

namespace kam::accounts {
namespace {

TEST(ImportHeaders, ChineseAndEnglishNamesMapToFields) {
  EXPECT_EQ(account_field_of_header("客户名称"), "name");
  EXPECT_EQ(account_field_of_header(" Name "), "name");
  EXPECT_EQ(account_field_of_header("统一社会信用代码*"), "credit_code");
  EXPECT_EQ(account_field_of_header("年营业额（万元）"), "annual_revenue_wan");
  EXPECT_EQ(account_field_of_header("年营业额(元)"), "annual_revenue_yuan");
  EXPECT_EQ(account_field_of_header("负责人"), "owner");
  EXPECT_EQ(account_field_of_header("序号"), std::nullopt);
  EXPECT_EQ(contact_field_of_header("档案编号"), "archive_no");
  EXPECT_EQ(contact_field_of_header("姓名"), "name");
  EXPECT_EQ(contact_field_of_header("角色"), "buying_role");
}

TEST(ImportCells, LabelsNumbersAndUnitsBecomeApiValues) {
  EXPECT_EQ(*cell_value("ownership_type", "民营"), "private");
  EXPECT_EQ(*cell_value("procurement_mode", "集中采购"), "centralized");
  EXPECT_EQ(*cell_value("customer_kind", "end_user"), "end_user");
  EXPECT_EQ(*cell_value("tier", "a类"), "A");
  EXPECT_EQ(*cell_value("tier", "b"), "B");
  EXPECT_EQ(*cell_value("buying_role", "决策者"), "decision_maker");
  EXPECT_EQ(*cell_value("employees", "1,200"), 1200);
  EXPECT_EQ(*cell_value("employees", "350.0"), 350);
  EXPECT_FALSE(cell_value("employees", "many").ok());
  EXPECT_EQ(*cell_value("annual_revenue_yuan", "12,345.67"), 1234567);
  EXPECT_EQ(*cell_value("annual_revenue_yuan", "100元"), 10000);
  EXPECT_EQ(*cell_value("annual_revenue_wan", "1.5"), 1500000);
  EXPECT_FALSE(cell_value("annual_revenue_yuan", "1.234").ok());
  EXPECT_EQ(*cell_value("founded_year", "2005"), 2005);
  EXPECT_EQ(*cell_value("founded_year", "2005年"), 2005);
  EXPECT_EQ(*cell_value("founded_year", "2005-03-01"), 2005);
  EXPECT_FALSE(cell_value("founded_year", "05").ok());
  EXPECT_EQ(*cell_value("industry", " 电子 "), "电子");
}

TEST(ImportOptionsCheck, RejectsUnknownKindAndDuplicatePolicy) {
  ImportOptions options;
  EXPECT_TRUE(check_import_options(options).ok());
  options.kind = "dealers";
  options.on_duplicate = "merge";
  auto status = check_import_options(options);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().fields().size(), 2u);
}

}  // namespace
}  // namespace kam::accounts
