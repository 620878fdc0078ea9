// Text helpers for Chinese and mixed text: UTF-8 validation, code-point
// splitting, and the bigram keys that make substring search fast.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kam::text {

bool is_valid_utf8(std::string_view s);

// Splits valid UTF-8 into code points (each as its UTF-8 bytes).
std::vector<std::string> code_points(std::string_view s);

// Number of code points (for length limits users understand).
std::size_t length(std::string_view s);

// Lower-cases ASCII letters and drops whitespace; the normal form that search
// keys and queries share.
std::string normalize_for_search(std::string_view s);

// Distinct overlapping bigrams of the normalized text: "华为精密" → 华为, 为精, 精密.
// A one-code-point text gives that single code point.
std::vector<std::string> search_grams(std::string_view s);

// Trims ASCII and ideographic (U+3000) whitespace at both ends.
std::string trim(std::string_view s);

// Escapes & < > " ' for HTML text and attribute values (the printable forms).
std::string html_escape(std::string_view s);

}  // namespace kam::text
