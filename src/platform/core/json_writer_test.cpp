// The writer must produce exactly what nlohmann::json::dump() produces.
#include "platform/core/json_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kam::json_writer {
namespace {

std::string written(std::string_view text) {
  std::string out;
  append_string(out, text);
  return out;
}

TEST(JsonWriter, EscapesStringsLikeNlohmann) {
  std::string every_byte_below_0x80;
  for (int c = 1; c < 0x80; ++c) every_byte_below_0x80.push_back(static_cast<char>(c));
  for (const std::string& text : {std::string(), std::string("苏州精密机械有限公司"), std::string("a\"b\\c/d"),
                                 std::string("line\nnext\ttab\r\b\f"), std::string("\x01\x1f\x7f"),
                                 std::string("=1+2 'x' <b>&"), every_byte_below_0x80}) {
    EXPECT_EQ(written(text), nlohmann::json(text).dump()) << text;
  }
}

TEST(JsonWriter, ObjectMatchesADumpWithSortedKeys) {
  std::string out;
  {
    Object o(out);
    o.field("a", std::string_view("x"))
        .field("b", std::int64_t{-42})
        .field("c", true)
        .field("d", std::optional<std::string>())
        .field("e", std::optional<std::int64_t>(7))
        .null("f");
    o.raw("g") += "[1,2]";
  }
  const nlohmann::json expected = {{"a", "x"}, {"b", -42},     {"c", true},  {"d", nullptr},
                                   {"e", 7},   {"f", nullptr}, {"g", {1, 2}}};
  EXPECT_EQ(out, expected.dump());
}

}  // namespace
}  // namespace kam::json_writer
