#include "accounts/credit_code.hpp"

#include <gtest/gtest.h>

namespace kam::accounts {

// Codes checked by hand against the GB 32100-2015 algorithm (and published
// on business licences).
TEST(CreditCode, AcceptsValidCodes) {
  for (const char* code :
       {"91350100M000100Y43", "91440300708461136T", "91110000802100433B", "914403001922038216", "9111000071093123XX"}) {
    EXPECT_EQ(credit_code_problem(code), std::nullopt) << code;
  }
}

TEST(CreditCode, ComputesTheCheckCharacter) {
  EXPECT_EQ(credit_code_check_char("91350100M000100Y4"), '3');
  EXPECT_EQ(credit_code_check_char("91440300708461136"), 'T');
  EXPECT_EQ(credit_code_check_char("91110000100000993"), 'F');  // 31 - sum mod 31 past 9
  EXPECT_EQ(credit_code_check_char("9135010"), std::nullopt);
  EXPECT_EQ(credit_code_check_char("91350100M000100I4"), std::nullopt);
}

TEST(CreditCode, CheckValueThirtyOneIsZero) {
  // Find a prefix whose weighted sum is a multiple of 31: its check char is '0'.
  std::string prefix = "9135010000000000";
  for (const char c : std::string("0123456789ABCDEFGHJKLMNPQRTUWXY")) {
    const auto check = credit_code_check_char(prefix + c);
    ASSERT_TRUE(check.has_value());
    if (*check == '0') {
      EXPECT_EQ(credit_code_problem(prefix + c + "0"), std::nullopt);
      return;
    }
  }
  FAIL() << "no prefix with check character 0";
}

TEST(CreditCode, RejectsWrongLength) {
  EXPECT_NE(credit_code_problem(""), std::nullopt);
  EXPECT_NE(credit_code_problem("91350100M000100Y4"), std::nullopt);
  EXPECT_NE(credit_code_problem("91350100M000100Y433"), std::nullopt);
  EXPECT_EQ(*credit_code_problem("9135"), "must be 18 characters (统一社会信用代码)");
}

TEST(CreditCode, RejectsCharactersOutsideTheSet) {
  for (const char bad : {'I', 'O', 'Z', 'S', 'V', 'a', '-', ' '}) {
    std::string code = "91350100M000100Y43";
    code[9] = bad;
    const auto problem = credit_code_problem(code);
    ASSERT_NE(problem, std::nullopt) << bad;
    EXPECT_NE(problem->find("may contain only"), std::string::npos) << bad;
  }
}

TEST(CreditCode, RejectsAWrongCheckCharacter) {
  EXPECT_NE(credit_code_problem("911100001000009938"), std::nullopt);
  EXPECT_NE(credit_code_problem("91350100M000100Y44"), std::nullopt);
  EXPECT_NE(credit_code_problem("91440300708461136X"), std::nullopt);
  EXPECT_EQ(*credit_code_problem("91350100M000100Y44"), "has a wrong check character (GB 32100-2015)");
}

TEST(CreditCode, NormalizesToUpperCase) {
  EXPECT_EQ(normalize_credit_code("91350100m000100y43"), "91350100M000100Y43");
  EXPECT_EQ(credit_code_problem(normalize_credit_code("91440300708461136t")), std::nullopt);
}

}  // namespace kam::accounts
