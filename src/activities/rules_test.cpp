// Pure rules of the activities module: follow-up due dates, overdue,
// compliance, ISO weeks, and the iCalendar / vCard text details.
#include <gtest/gtest.h>

#include "activities/activities.hpp"

namespace kam::activities {
namespace {

Instant at(const std::string& text) {
  return *parse_instant(text);
}

TEST(ActivitiesRules, FollowUpIsDueDaysAfterTheVisitItself) {
  EXPECT_EQ(format_instant(follow_up_due(at("2026-11-23T10:00:00Z"), 7)), "2026-11-30T10:00:00.000Z");
  EXPECT_EQ(format_instant(follow_up_due(at("2026-12-28T09:30:00Z"), 7)), "2027-01-04T09:30:00.000Z");
}

TEST(ActivitiesRules, OverdueOnlyWhenOpenAndPastDue) {
  const std::string due = "2026-11-30T10:00:00.000Z";
  EXPECT_FALSE(is_overdue("open", due, "2026-11-30T09:59:59.999Z"));
  EXPECT_FALSE(is_overdue("open", due, due));
  EXPECT_TRUE(is_overdue("open", due, "2026-12-01T00:00:00.000Z"));
  EXPECT_FALSE(is_overdue("done", due, "2026-12-01T00:00:00.000Z"));
  EXPECT_FALSE(is_overdue("cancelled", due, "2026-12-01T00:00:00.000Z"));
}

TEST(ActivitiesRules, ComplianceInBasisPoints) {
  EXPECT_TRUE(done_on_time(std::string("2026-11-30T10:00:00.000Z"), "2026-11-30T10:00:00.000Z"));
  EXPECT_FALSE(done_on_time(std::string("2026-11-30T10:00:00.001Z"), "2026-11-30T10:00:00.000Z"));
  EXPECT_FALSE(done_on_time(std::nullopt, "2026-11-30T10:00:00.000Z"));
  EXPECT_EQ(compliance_bp(3, 2), 6666);
  EXPECT_EQ(compliance_bp(4, 4), 10000);
  EXPECT_EQ(compliance_bp(0, 0), std::nullopt);
}

TEST(ActivitiesRules, IsoWeeks) {
  EXPECT_EQ(iso_week_of(at("2026-11-29T23:59:59Z")).text(), "2026-W48");  // a Sunday
  EXPECT_EQ(iso_week_of(at("2026-11-30T00:00:00Z")).text(), "2026-W49");  // the next Monday
  EXPECT_EQ(iso_week_of(at("2027-01-01T12:00:00Z")).text(), "2026-W53");  // 2026 has 53 weeks
  EXPECT_EQ(iso_week_of(at("2024-12-30T12:00:00Z")).text(), "2025-W01");
  EXPECT_EQ(format_instant(week_start(*parse_iso_week("2026-W48"))), "2026-11-23T00:00:00.000Z");
  EXPECT_EQ(format_instant(week_start(*parse_iso_week("2025-W01"))), "2024-12-30T00:00:00.000Z");
  EXPECT_EQ(next_week(*parse_iso_week("2026-W53")).text(), "2027-W01");
  EXPECT_TRUE(parse_iso_week("2026-W53"));
  EXPECT_FALSE(parse_iso_week("2025-W53"));
  EXPECT_FALSE(parse_iso_week("2026-W00"));
  EXPECT_FALSE(parse_iso_week("2026W48"));
  EXPECT_FALSE(parse_iso_week("2026-w48"));
}

TEST(ActivitiesRules, MonthRange) {
  EXPECT_EQ(month_range("2026-12")->second, "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(month_range("2026-02")->first, "2026-02-01T00:00:00.000Z");
  EXPECT_FALSE(month_range("2026-13"));
  EXPECT_FALSE(month_range("2026-1"));
}

TEST(ActivitiesRules, InstantsParseStrictly) {
  EXPECT_EQ(format_instant(at("2026-11-29T09:07:09.5Z")), "2026-11-29T09:07:09.500Z");
  EXPECT_EQ(format_instant(at("2026-11-29T09:07:09+00:00")), "2026-11-29T09:07:09.000Z");
  EXPECT_FALSE(parse_instant("2026-11-29T09:07:09"));  // no zone: ambiguous
  EXPECT_FALSE(parse_instant("2026-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_instant("tomorrow"));
  EXPECT_EQ(ical_instant("2026-11-29T09:07:09.123Z"), "20261129T090709Z");
}

TEST(ActivitiesRules, TextEscapingAndFolding) {
  EXPECT_EQ(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
  const std::string line = "SUMMARY:" + std::string(30, 'x') + "拜访客户拜访客户拜访客户拜访客户拜访客户";
  const std::string folded = fold_line(line);
  std::size_t start = 0;
  std::string unfolded;
  while (start < folded.size()) {
    const auto end = folded.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    ASSERT_LE(end - start, 75u);
    unfolded += folded.substr(start == 0 ? start : start + 1, end - (start == 0 ? start : start + 1));
    start = end + 2;
  }
  EXPECT_EQ(unfolded, line);
}

TEST(ActivitiesRules, VcardAndCalendarShape) {
  const auto card =
      vcard({.uid = "urn:kam:contact:1", .name = "李明", .organization = "苏州精密", .phone = "13800001111"});
  EXPECT_EQ(card.rfind("BEGIN:VCARD\r\nVERSION:4.0\r\n", 0), 0u);
  EXPECT_NE(card.find("FN:李明\r\n"), std::string::npos);
  EXPECT_NE(card.find("ORG:苏州精密\r\n"), std::string::npos);
  EXPECT_NE(card.find("TEL;TYPE=work;VALUE=uri:tel:13800001111\r\n"), std::string::npos);
  const auto cal =
      icalendar("KAM", {{.uid = "task-1@kam", .start = "2026-11-30T10:00:00.000Z", .minutes = 30, .summary = "待办"}},
                "2026-11-29T00:00:00.000Z");
  EXPECT_NE(cal.find("DTSTART:20261130T100000Z\r\nDTEND:20261130T103000Z\r\n"), std::string::npos);
  EXPECT_NE(cal.find("END:VCALENDAR\r\n"), std::string::npos);
}

}  // namespace
}  // namespace kam::activities
