#include "platform/core/text.hpp"

#include <gtest/gtest.h>

namespace kam::text {

TEST(Utf8, AcceptsChineseAndAscii) { EXPECT_TRUE(is_valid_utf8("华为精密 ABC 😀")); }

TEST(Utf8, RejectsBrokenSequences) {
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xe5\x8d"));           // truncated 华
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));           // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));       // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));   // above U+10FFFF
}

TEST(Text, LengthCountsCodePoints) {
  EXPECT_EQ(length("华为"), 2u);
  EXPECT_EQ(length("ab华"), 3u);
}

TEST(SearchGrams, OverlappingBigramsOfNormalizedText) {
  EXPECT_EQ(search_grams("华为精密"), (std::vector<std::string>{"为精", "华为", "精密"}));
  EXPECT_EQ(search_grams("A b"), (std::vector<std::string>{"ab"}));
  EXPECT_EQ(search_grams("华"), (std::vector<std::string>{"华"}));
  EXPECT_TRUE(search_grams("").empty());
}

TEST(SearchGrams, DuplicatesCollapse) { EXPECT_EQ(search_grams("华华华").size(), 1u); }

TEST(Normalize, LowercasesAsciiAndDropsSpacesIncludingIdeographic) {
  EXPECT_EQ(normalize_for_search(" Hua\xe3\x80\x80Wei "), "huawei");
}

TEST(Trim, RemovesAsciiAndIdeographicSpace) {
  EXPECT_EQ(trim("\xe3\x80\x80 华为 \t"), "华为");
  EXPECT_EQ(trim("   "), "");
}

}  // namespace kam::text
