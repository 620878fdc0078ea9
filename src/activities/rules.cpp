// Pure rules of the activities module: the follow-up due date and overdue
// test, compliance, ISO weeks, and the iCalendar / vCard text formats.
#include <fmt/format.h>
#include <ctime>

#include "activities/activities.hpp"

namespace kam::activities {

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

std::int64_t to_ms(Instant t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
Instant from_ms(std::int64_t ms) {
  return Instant(std::chrono::duration_cast<Instant::duration>(std::chrono::milliseconds(ms)));
}
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Days since the epoch of January 1st of `year`.
std::int64_t jan1(int year) {
  return floor_div(to_ms(*parse_instant(fmt::format("{:04}-01-01", year))), kDayMs);
}

// Monday of ISO week 1 of `year`, in days since the epoch (1970-01-01 was a Thursday).
std::int64_t week1_monday(int year) {
  const std::int64_t d = jan1(year) + 3;               // January 4th is always in week 1
  const std::int64_t weekday = ((d + 3) % 7 + 7) % 7;  // 0 = Monday
  return d - weekday;
}

}  // namespace

Instant follow_up_due(Instant visit_at, int days) {
  return visit_at + std::chrono::hours(24) * days;
}

bool is_overdue(const std::string& status, const std::string& due_at, const std::string& now) {
  return status == "open" && due_at < now;  // ISO instants sort as text
}

bool done_on_time(const std::optional<std::string>& completed_at, const std::string& due_at) {
  return completed_at.has_value() && *completed_at <= due_at;
}

std::optional<std::int64_t> compliance_bp(std::int64_t due, std::int64_t on_time) {
  if (due <= 0) return std::nullopt;
  return on_time * 10000 / due;
}

std::string IsoWeek::text() const {
  return fmt::format("{:04}-W{:02}", year, week);
}

std::optional<IsoWeek> parse_iso_week(const std::string& text) {
  if (text.size() != 8 || text[4] != '-' || text[5] != 'W') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 6, 7}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  IsoWeek w{std::stoi(text.substr(0, 4)), std::stoi(text.substr(6, 2))};
  if (w.year < 1971 || w.week < 1) return std::nullopt;
  // A year has 53 ISO weeks when week 1 of the next year starts 53 weeks later.
  const std::int64_t weeks = (week1_monday(w.year + 1) - week1_monday(w.year)) / 7;
  if (w.week > weeks) return std::nullopt;
  return w;
}

IsoWeek iso_week_of(Instant t) {
  const std::int64_t day = floor_div(to_ms(t), kDayMs);
  const std::time_t seconds = static_cast<std::time_t>(day * 86400);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  int year = tm.tm_year + 1900;
  if (day >= week1_monday(year + 1))
    ++year;
  else if (day < week1_monday(year))
    --year;
  return {year, static_cast<int>((day - week1_monday(year)) / 7 + 1)};
}

Instant week_start(const IsoWeek& w) {
  return from_ms((week1_monday(w.year) + (w.week - 1) * 7LL) * kDayMs);
}

IsoWeek next_week(const IsoWeek& w) {
  return iso_week_of(week_start(w) + std::chrono::hours(24 * 7));
}

std::optional<std::pair<std::string, std::string>> month_range(const std::string& month) {
  if (month.size() != 7 || month[4] != '-') return std::nullopt;
  const auto start = parse_instant(month + "-01");
  if (!start) return std::nullopt;
  int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2)) + 1;
  if (m == 13) {
    m = 1;
    ++y;
  }
  const auto end = parse_instant(fmt::format("{:04}-{:02}-01", y, m));
  if (!end) return std::nullopt;
  return std::make_pair(format_instant(*start), format_instant(*end));
}

std::string escape_text(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char ch = value[i];
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < value.size() && value[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(ch) >= 0x20 || ch == '\t') out += ch;  // other controls are not allowed
    }
  }
  return out;
}

std::string fold_line(const std::string& line) {
  std::string out;
  std::size_t width = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    // Length of the UTF-8 sequence starting here: never split one.
    const auto lead = static_cast<unsigned char>(line[i]);
    std::size_t n = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    n = std::min(n, line.size() - i);
    if (width + n > 75) {
      out += "\r\n ";
      width = 1;  // the leading space counts
    }
    out.append(line, i, n);
    width += n;
    i += n;
  }
  return out + "\r\n";
}

std::string ical_instant(const std::string& iso) {
  const auto t = parse_instant(iso);
  if (!t) return "";
  const std::string s = format_instant(*t);  // 2026-11-29T09:07:09.123Z
  return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2) + "T" + s.substr(11, 2) + s.substr(14, 2) + s.substr(17, 2) +
         "Z";
}

std::string icalendar(const std::string& name, const std::vector<CalendarEntry>& entries, const std::string& stamp) {
  std::string out;
  out += fold_line("BEGIN:VCALENDAR");
  out += fold_line("VERSION:2.0");
  out += fold_line("PRODID:-//KAM//Key account management//ZH");
  out += fold_line("CALSCALE:GREGORIAN");
  out += fold_line("METHOD:PUBLISH");
  out += fold_line("X-WR-CALNAME:" + escape_text(name));
  for (const auto& e : entries) {
    const auto start = parse_instant(e.start);
    if (!start) continue;
    out += fold_line("BEGIN:VEVENT");
    out += fold_line("UID:" + e.uid);
    out += fold_line("DTSTAMP:" + ical_instant(stamp));
    out += fold_line("DTSTART:" + ical_instant(e.start));
    out += fold_line("DTEND:" + ical_instant(format_instant(*start + std::chrono::minutes(e.minutes))));
    out += fold_line("SUMMARY:" + escape_text(e.summary));
    if (!e.location.empty()) out += fold_line("LOCATION:" + escape_text(e.location));
    if (!e.description.empty()) out += fold_line("DESCRIPTION:" + escape_text(e.description));
    out += fold_line("END:VEVENT");
  }
  out += fold_line("END:VCALENDAR");
  return out;
}

std::string vcard(const Card& card) {
  std::string out;
  out += fold_line("BEGIN:VCARD");
  out += fold_line("VERSION:4.0");
  out += fold_line("UID:" + card.uid);
  out += fold_line("FN:" + escape_text(card.name));
  // Chinese names are not split into given and family names here: the whole
  // name is the family component, which is how phones show it.
  out += fold_line("N:" + escape_text(card.name) + ";;;;");
  if (!card.organization.empty() || !card.department.empty()) {
    out += fold_line("ORG:" + escape_text(card.organization) +
                     (card.department.empty() ? "" : ";" + escape_text(card.department)));
  }
  if (!card.title.empty()) out += fold_line("TITLE:" + escape_text(card.title));
  if (!card.phone.empty()) out += fold_line("TEL;TYPE=work;VALUE=uri:tel:" + card.phone);
  if (!card.mobile.empty()) out += fold_line("TEL;TYPE=cell;VALUE=uri:tel:" + card.mobile);
  if (!card.email.empty()) out += fold_line("EMAIL;TYPE=work:" + escape_text(card.email));
  if (!card.note.empty()) out += fold_line("NOTE:" + escape_text(card.note));
  out += fold_line("END:VCARD");
  return out;
}

}  // namespace kam::activities
