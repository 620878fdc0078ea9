// Instants and business dates. Instants are stored and sent as ISO-8601 UTC
// text with milliseconds ("2026-11-29T09:07:09.123Z"), which sorts correctly
// as text on both back ends.
#pragma once

#include <chrono>
#include <string>

namespace kam {

using Instant = std::chrono::system_clock::time_point;

std::string format_instant(Instant t);
inline std::string now_text() { return format_instant(std::chrono::system_clock::now()); }
int current_year();

}  // namespace kam
