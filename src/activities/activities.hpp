// Visits and contact (拜访与联络): visit plans (客户拜访计划表), visit records
// (客户拜访记录表) with an optional phone check-in, the follow-up rule, tasks
// (待办), contact logs (客户联络表), weekly reports, relationship actions
// (客户关系强化表) and relationship stage moves, and the calendar feed and
// vCard output. This is the module's contract. Owns the tables of
// migrations/007_activities.sql.
//
// Scope: visits, plans, contact logs and relationship actions follow their
// account's data scope (the account must be visible; a record of an invisible
// account is not_found). Tasks and weekly reports belong to a person (owner_id
// is the assignee / author) and are scoped like accounts by that person and
// department (auth::scope_clause). Reads need activities.read, writes
// activities.write (and, for the account's records, the accounts.* checks of
// accounts/records.hpp); reviewing a weekly report needs reports.review.
//
// The follow-up rule: every visit creates, in its transaction, an open task
// of kind follow_up for the visitor, due `follow_up_days` (setting, default 7)
// after the visit's own time - a visit recorded late gets no extra days.
// Completing a follow-up needs {method, customer_opinion}. A visit (and a
// completed follow-up, and a contact log) moves the account's
// last_activity_at forward, which the pool recovery reads.
//
// Times are ISO instants (platform/core/clock.hpp), read with kam::now() so
// tests move the clock instead of sleeping.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/records.hpp"
#include "auth/principal.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::activities {

inline constexpr int kDefaultFollowUpDays = 7;
inline constexpr const char* kFollowUp = "follow_up";

// ---- pure rules (rules.cpp) ----

// The follow-up's due instant: the visit's own time plus `days` days.
Instant follow_up_due(Instant visit_at, int days);

// Is an open task past its due instant at `now`? Done and cancelled tasks
// never are.
bool is_overdue(const std::string& status, const std::string& due_at, const std::string& now);

// A completed task counts as on time when completed at or before its due.
bool done_on_time(const std::optional<std::string>& completed_at, const std::string& due_at);

// Compliance in basis points (10000 = 100%): done on time / due; nullopt
// when nothing was due.
std::optional<std::int64_t> compliance_bp(std::int64_t due, std::int64_t on_time);

// ISO week (Monday..Sunday, UTC).
struct IsoWeek {
  int year = 0;
  int week = 0;
  std::string text() const;  // "2026-W48"
};
std::optional<IsoWeek> parse_iso_week(const std::string& text);
IsoWeek iso_week_of(Instant t);
Instant week_start(const IsoWeek& w);  // Monday 00:00 UTC
IsoWeek next_week(const IsoWeek& w);

// A month "YYYY-MM" → [first instant, first instant of the next month).
std::optional<std::pair<std::string, std::string>> month_range(const std::string& month);

// iCalendar (RFC 5545) and vCard 4.0 (RFC 6350) text: escaping of , ; \ and
// newlines, and lines folded at 75 octets without splitting a UTF-8 sequence.
std::string escape_text(const std::string& value);
std::string fold_line(const std::string& line);
// "2026-11-29T09:07:09.123Z" → "20261129T090709Z".
std::string ical_instant(const std::string& iso);

struct CalendarEntry {
  std::string uid = {};
  std::string start = {};  // ISO instant
  int minutes = 60;
  std::string summary = {};
  std::string description = {};
  std::string location = {};
};
std::string icalendar(const std::string& name, const std::vector<CalendarEntry>& entries, const std::string& stamp);

struct Card {
  std::string uid = {};
  std::string name = {};
  std::string organization = {};
  std::string title = {};
  std::string department = {};
  std::string phone = {};
  std::string mobile = {};
  std::string email = {};
  std::string note = {};
};
std::string vcard(const Card& card);

// ---- record tables (store.cpp) ----

const accounts::RecordTable& visit_plan_table();
const accounts::RecordTable& visit_table();
const accounts::RecordTable& contact_log_table();
const accounts::RecordTable& relationship_action_table();

// The follow-up days setting (settings key "activities").
int follow_up_days(db::Connection& c);
Expected<nlohmann::json> get_settings(db::Connection& c, const auth::Principal& p);
Expected<nlohmann::json> update_settings(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);

// Creates: validated body → record. Server-owned: owner_id (the caller),
// department_id. create_visit also raises the follow-up task, marks the plan
// (plan_id) done and touches the account's last_activity_at.
Expected<nlohmann::json> create_visit_plan(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
Expected<nlohmann::json> create_visit(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
Expected<nlohmann::json> create_contact_log(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
Expected<nlohmann::json> create_relationship_action(db::Connection& c, const auth::Principal& p,
                                                    const nlohmann::json& body);
// Update of any of the four tables (the fields of its table only).
Expected<nlohmann::json> update_activity(db::Connection& c, const auth::Principal& p,
                                         const accounts::RecordTable& table, std::int64_t id, std::int64_t version,
                                         const nlohmann::json& body);

// ---- tasks ----

struct TaskQuery {
  std::optional<std::int64_t> assignee_id = {};
  std::optional<std::string> kind = {};
  std::optional<std::string> status = {};
  std::optional<std::int64_t> account_id = {};
  std::optional<std::string> entity = {};
  std::optional<std::int64_t> entity_id = {};
  bool overdue = false;  // open and due before now
  int limit = 50;
  int offset = 0;
};
Expected<nlohmann::json> list_tasks(db::Connection& c, const auth::Principal& p, const TaskQuery& q);
Expected<nlohmann::json> get_task(db::Connection& c, const auth::Principal& p, std::int64_t id);
Expected<nlohmann::json> create_task(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
Expected<nlohmann::json> update_task(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                                     const nlohmann::json& body);
Status delete_task(db::Connection& c, const auth::Principal& p, std::int64_t id);
// Marks the task done. A follow-up needs {method, customer_opinion} (422).
Expected<nlohmann::json> complete_task(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                       const nlohmann::json& body);

// Overdue follow-ups per person in scope: {items:[{user_id, display_name,
// department_id, overdue, oldest_due_at}], total}.
Expected<nlohmann::json> overdue_follow_ups(db::Connection& c, const auth::Principal& p,
                                            std::optional<std::int64_t> department_id);
// Follow-up compliance per person for a month "YYYY-MM": of the follow-ups due
// in that month, how many were done on time; rate_bp in basis points.
Expected<nlohmann::json> follow_up_compliance(db::Connection& c, const auth::Principal& p, const std::string& month,
                                              std::optional<std::int64_t> department_id);

// ---- weekly reports ----

// The generated content of a person's ISO week (no scope check).
nlohmann::json generate_week(db::Connection& c, std::int64_t user_id, const IsoWeek& week);
// {items, total}: with user_id and week, that one report (generated when it
// is not saved yet); otherwise the saved reports in scope.
Expected<nlohmann::json> list_weekly_reports(db::Connection& c, const auth::Principal& p,
                                             std::optional<std::int64_t> user_id, std::optional<std::string> week,
                                             std::optional<std::string> status, int limit, int offset);
Expected<nlohmann::json> get_weekly_report(db::Connection& c, const auth::Principal& p, std::int64_t id);
// The caller's report of `week` with `summary`: creates (201 semantics) or
// updates a draft.
Expected<nlohmann::json> save_weekly_report(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
Expected<nlohmann::json> submit_weekly_report(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                              const nlohmann::json& body);
Expected<nlohmann::json> review_weekly_report(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                              const nlohmann::json& body);

// ---- relationship stage and the account timeline ----

// Moves the account's relationship stage with a reason (who/when/why kept).
Expected<nlohmann::json> change_relationship_stage(db::Connection& c, const auth::Principal& p, std::int64_t account_id,
                                                   const nlohmann::json& body);
// Visits, contact logs, completed follow-ups and stage moves of an account,
// newest first, keyset-paged: `before` is the `next` cursor of a page.
Expected<nlohmann::json> account_timeline(db::Connection& c, const auth::Principal& p, std::int64_t account_id,
                                          const std::optional<std::string>& before, int limit);

// ---- for other modules' rules ----

// How often each of `contacts` (id → name) of the account was met since the
// instant `since`: contact logs with the contact, and visits whose customer
// participants name them. No scope check: the caller has checked the account.
// (The pipeline's stage-4 gate: a touchpoint with every decision maker.)
std::map<std::int64_t, std::int64_t> contact_touches(db::Connection& c, std::int64_t account_id,
                                                     const std::string& since,
                                                     const std::map<std::int64_t, std::string>& contacts);

// ---- calendar feed and vCard ----

// The caller's feed token (created on first use); revoke deletes it.
Expected<std::string> calendar_feed_token(db::Connection& c, const auth::Principal& p, bool rotate);
Status revoke_calendar_feed(db::Connection& c, const auth::Principal& p);
// The iCalendar text of the token's user; unauthenticated for an unknown
// or revoked token.
Expected<std::string> calendar_feed(db::Connection& c, const std::string& token);

Expected<std::string> contact_vcard(db::Connection& c, const auth::Principal& p, std::int64_t contact_id);
Expected<std::string> contacts_vcards(db::Connection& c, const auth::Principal& p, const accounts::RecordQuery& q);

}  // namespace kam::activities
