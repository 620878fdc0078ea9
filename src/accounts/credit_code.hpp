// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18
// characters from 0-9 and the capitals without I, O, Z, S and V; the last one
// is a check character computed from the first 17 (weights 3^i mod 31).
// Pure functions, tested in credit_code_test.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kam::accounts {

// The check character for the first 17 characters of a code, or nullopt if
// one of them is outside the code's character set.
std::optional<char> credit_code_check_char(std::string_view first17);

// Nullopt when `code` (already upper-cased) is a valid code; otherwise why not,
// as a message for a 422 ("must be 18 characters", ...).
std::optional<std::string> credit_code_problem(std::string_view code);

// Upper-cases ASCII letters (codes are stored and compared upper-case).
std::string normalize_credit_code(std::string_view code);

}  // namespace kam::accounts
