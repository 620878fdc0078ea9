#include "platform/core/text.hpp"

#include <algorithm>

namespace kam::text {

namespace {
// Length of the UTF-8 sequence that starts with `lead`, 0 if invalid.
int sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}
}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const int n = sequence_length(lead);
    if (n == 0 || i + static_cast<std::size_t>(n) > s.size()) return false;
    for (int k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0xC0) != 0x80) return false;
    }
    if (n >= 3) {
      const auto second = static_cast<unsigned char>(s[i + 1]);
      if (lead == 0xE0 && second < 0xA0) return false;  // overlong
      if (lead == 0xED && second > 0x9F) return false;  // surrogates
      if (lead == 0xF0 && second < 0x90) return false;  // overlong
      if (lead == 0xF4 && second > 0x8F) return false;  // > U+10FFFF
    }
    i += static_cast<std::size_t>(n);
  }
  return true;
}

std::vector<std::string> code_points(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    int n = sequence_length(static_cast<unsigned char>(s[i]));
    if (n == 0) n = 1;
    const std::size_t take = std::min<std::size_t>(static_cast<std::size_t>(n), s.size() - i);
    out.emplace_back(s.substr(i, take));
    i += take;
  }
  return out;
}

std::size_t length(std::string_view s) {
  std::size_t count = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string normalize_for_search(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    // U+3000 ideographic space
    if (static_cast<unsigned char>(c) == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x80) {
      i += 2;
      continue;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::vector<std::string> search_grams(std::string_view s) {
  const auto points = code_points(normalize_for_search(s));
  std::vector<std::string> grams;
  if (points.size() == 1) grams.push_back(points[0]);
  for (std::size_t i = 0; i + 1 < points.size(); ++i) grams.push_back(points[i] + points[i + 1]);
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
  return grams;
}

std::string trim(std::string_view s) {
  auto is_space_at = [&](std::size_t i, std::size_t& width) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      width = 1;
      return true;
    }
    if (i + 2 < s.size() + 0 && static_cast<unsigned char>(c) == 0xE3 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x80) {
      width = 3;
      return true;
    }
    return false;
  };
  std::size_t begin = 0;
  std::size_t width = 0;
  while (begin < s.size() && is_space_at(begin, width)) begin += width;
  std::size_t end = s.size();
  while (end > begin) {
    if (end >= begin + 3 && static_cast<unsigned char>(s[end - 3]) == 0xE3 &&
        static_cast<unsigned char>(s[end - 2]) == 0x80 && static_cast<unsigned char>(s[end - 1]) == 0x80) {
      end -= 3;
      continue;
    }
    const char c = s[end - 1];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      --end;
      continue;
    }
    break;
  }
  return std::string(s.substr(begin, end - begin));
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

}  // namespace kam::text
