// Instants and business dates. Instants are stored and sent as ISO-8601 UTC
// text with milliseconds ("2026-11-29T09:07:09.123Z"), which sorts correctly
// as text on both back ends.
//
// now() is the one source of "now" for business rules (due dates, overdue,
// weeks). Tests move it with set_test_now() instead of sleeping: the override
// is an offset from the real clock, so time keeps running (and created_at
// values keep their order) after a jump. `kam serve --test-clock` exposes it
// as PUT /api/v1/test/clock; without the flag nothing can move it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace kam {

using Instant = std::chrono::system_clock::time_point;

std::string format_instant(Instant t);
// Parses "YYYY-MM-DDTHH:MM:SS[.mmm]Z" (also "+00:00" and a date alone,
// read as midnight UTC); nullopt for anything else.
std::optional<Instant> parse_instant(const std::string& text);

// The real clock, shifted by the test offset when one is set.
Instant now();
inline std::string now_text() {
  return format_instant(now());
}
int current_year();

// Test clock: from now on, now() reads `target` (and runs on from there);
// nullopt goes back to the real clock. Process-wide, thread-safe.
void set_test_now(std::optional<Instant> target);
// Whether the server was started with --test-clock (set once at start-up).
void enable_test_clock(bool enabled);
bool test_clock_enabled();

}  // namespace kam
