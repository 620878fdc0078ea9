#include "accounts/credit_code.hpp"

#include <array>

namespace kam::accounts {

namespace {

// The 31 characters in value order (0..30); I, O, Z, S and V are not used.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

int value_of(char c) {
  const auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

std::optional<char> credit_code_check_char(std::string_view first17) {
  if (first17.size() != kWeights.size()) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) {
    const int v = value_of(first17[i]);
    if (v < 0) return std::nullopt;
    sum += v * kWeights[i];
  }
  const int check = 31 - sum % 31;
  return kAlphabet[check == 31 ? 0 : check];
}

std::optional<std::string> credit_code_problem(std::string_view code) {
  if (code.size() != 18) return "must be 18 characters (统一社会信用代码)";
  for (const char c : code) {
    if (value_of(c) < 0) return "may contain only 0-9 and the capital letters A-Y without I, O, S, V and Z";
  }
  if (*credit_code_check_char(code.substr(0, 17)) != code[17]) {
    return "has a wrong check character (GB 32100-2015)";
  }
  return std::nullopt;
}

std::string normalize_credit_code(std::string_view code) {
  std::string out(code);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace kam::accounts
