#include "platform/core/clock.hpp"

#include <fmt/format.h>
#include <atomic>
#include <cstdint>
#include <ctime>

namespace kam {

namespace {
// Milliseconds added to the real clock; 0 unless a test moved it.
std::atomic<std::int64_t> g_offset_ms{0};
std::atomic<bool> g_test_clock{false};

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
}  // namespace

std::string format_instant(Instant t) {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, millis % 1000);
}

std::optional<Instant> parse_instant(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > text.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  if (!digits(0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(5, 2, mo) || text[7] != '-' ||
      !digits(8, 2, d)) {
    return std::nullopt;
  }
  std::size_t at = 10;
  if (text.size() > 10) {
    if ((text[10] != 'T' && text[10] != ' ') || !digits(11, 2, h) || text.size() < 19 || text[13] != ':' ||
        !digits(14, 2, mi) || text[16] != ':' || !digits(17, 2, s)) {
      return std::nullopt;
    }
    at = 19;
    if (at < text.size() && text[at] == '.') {
      std::size_t end = at + 1;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
      if (end == at + 1) return std::nullopt;
      int scale = 100;
      for (std::size_t i = at + 1; i < end && i < at + 4; ++i, scale /= 10) ms += (text[i] - '0') * scale;
      at = end;
    }
    const std::string zone = text.substr(at);
    if (zone != "Z" && zone != "+00:00") return std::nullopt;
  }
  static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] || h > 23 || mi > 59 || s > 59) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) return std::nullopt;
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const std::int64_t total_ms = ((days * 24 + h) * 60 + mi) * 60000LL + s * 1000LL + ms;
  return Instant(std::chrono::duration_cast<Instant::duration>(std::chrono::milliseconds(total_ms)));
}

Instant now() {
  return std::chrono::system_clock::now() + std::chrono::milliseconds(g_offset_ms.load(std::memory_order_relaxed));
}

void set_test_now(std::optional<Instant> target) {
  if (!target) {
    g_offset_ms.store(0);
    return;
  }
  g_offset_ms.store(
      std::chrono::duration_cast<std::chrono::milliseconds>(*target - std::chrono::system_clock::now()).count());
}

void enable_test_clock(bool enabled) {
  g_test_clock.store(enabled);
}
bool test_clock_enabled() {
  return g_test_clock.load();
}

int current_year() {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm.tm_year + 1900;
}

}  // namespace kam
