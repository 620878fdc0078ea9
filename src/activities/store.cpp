// Storage of the activities module (see activities.hpp): the four account
// record tables on the shared engine of accounts/records.hpp, and the SQL of
// tasks, the follow-up rule, weekly reports, the timeline and the calendar.
#include <fmt/format.h>
#include <algorithm>

#include "accounts/accounts.hpp"
#include "activities/activities.hpp"
#include "auth/audit.hpp"
#include "auth/crypto.hpp"
#include "auth/scope.hpp"
#include "contacts/contacts.hpp"
#include "platform/core/fields.hpp"

namespace kam::activities {

using accounts::Field;
using accounts::RecordTable;
using accounts::Values;
using nlohmann::json;
using Kind = Field::Kind;

namespace {

constexpr const char* kSettingsKey = "activities";

json to_json(const db::Value& v) {
  return std::visit(
      [](const auto& x) -> json {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::nullptr_t>) {
          return nullptr;
        } else {
          return x;
        }
      },
      v);
}

std::optional<std::int64_t> value_id(const Values& values, const std::string& name) {
  const auto* v = accounts::find_value(values, name);
  if (v == nullptr || !std::holds_alternative<std::int64_t>(*v)) return std::nullopt;
  return std::get<std::int64_t>(*v);
}

// Instant fields travel as text; stored in the one canonical form so they
// sort as text. A field that is not an ISO instant is a 422 naming it.
Status normalise_instants(Values& values, std::initializer_list<const char*> names) {
  std::vector<FieldError> errors;
  for (auto& [column, value] : values) {
    if (std::find_if(names.begin(), names.end(), [&](const char* n) { return column == n; }) == names.end()) continue;
    if (!std::holds_alternative<std::string>(value)) continue;
    const auto t = parse_instant(std::get<std::string>(value));
    if (!t) {
      errors.push_back({column, "must be an ISO instant like 2026-11-29T09:30:00Z"});
      continue;
    }
    value = format_instant(*t);
  }
  if (!errors.empty()) return Error::invalid(errors);
  return ok_status();
}

// The owner of a new record is the caller.
void add_owner(Values& values, const auth::Principal& p) {
  values.emplace_back("owner_id", p.user_id);
  values.emplace_back("department_id", p.department_id ? db::Value(*p.department_id) : db::Value(nullptr));
}

// Moves the account's last_activity_at forward to `at` (never back, never
// into the future). Server-owned, so neither its version nor its audit moves.
void touch_account(db::Connection& c, std::int64_t account_id, std::string at) {
  const auto now = now_text();
  if (at > now) at = now;
  c.query(
      "UPDATE accounts SET last_activity_at = ? WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)",
      {at, account_id, at});
}

Status check_contact_of_account(db::Connection& c, const Values& values) {
  const auto contact = value_id(values, "contact_id");
  const auto account = value_id(values, "account_id");
  if (!contact || !account) return ok_status();
  const auto rows =
      c.query("SELECT 1 FROM contacts WHERE id = ? AND account_id = ? AND deleted_at IS NULL", {*contact, *account});
  if (rows.empty()) return Error::invalid({{"contact_id", "is not a contact of this account"}});
  return ok_status();
}

Status check_relationship_action(db::Connection& c, const Values& values) {
  if (auto s = check_contact_of_account(c, values); !s) return s;
  if (const auto user = value_id(values, "responsible_id")) {
    if (c.query("SELECT 1 FROM users WHERE id = ?", {*user}).empty()) {
      return Error::invalid({{"responsible_id", "no such user"}});
    }
  }
  return ok_status();
}

const std::string kOwnerColumns = ", t.owner_id, t.department_id, u.display_name AS owner_name";
const std::string kOwnerJoin = " LEFT JOIN users u ON u.id = t.owner_id";

std::string text_or_empty(const json& v) {
  return v.is_string() ? v.get<std::string>() : std::string();
}

// ---- follow-up rule ----

std::string due_after(const std::string& visit_at, int days) {
  return format_instant(follow_up_due(*parse_instant(visit_at), days));
}

Status after_visit_change(db::Connection& c, const auth::Principal& p, const json& before, const json& after) {
  const auto id = after["id"].get<std::int64_t>();
  const auto account_id = after["account_id"].get<std::int64_t>();
  const auto occurred_at = after["occurred_at"].get<std::string>();
  const int days = follow_up_days(c);
  if (before.is_null()) {
    const auto now = now_text();
    const auto owner = after["owner_id"].get<std::int64_t>();
    const json title = fmt::format("回访：{}", text_or_empty(after["account_name"]));
    const auto rows = c.query(
        "INSERT INTO tasks (title, kind, owner_id, department_id, due_at, urgent, important, status, entity, "
        "entity_id, account_id, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 0, 1, 'open', 'visit', ?, ?, ?, ?, ?) RETURNING id",
        {title.get<std::string>(), std::string(kFollowUp), owner,
         after["department_id"].is_null() ? db::Value(nullptr) : db::Value(after["department_id"].get<std::int64_t>()),
         due_after(occurred_at, days), id, account_id, p.user_id, now, now});
    auth::write_audit(c, p.user_id, "task", rows.front().integer(0), "create", nullptr,
                      {{"kind", kFollowUp}, {"entity", "visit"}, {"entity_id", id}, {"rule", "follow_up"}});
    if (!after["plan_id"].is_null()) {
      c.query(
          "UPDATE visit_plans SET status = 'done', visit_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
          {id, now, after["plan_id"].get<std::int64_t>()});
    }
  } else if (before["occurred_at"] != after["occurred_at"]) {
    // The visit's own time decides the due date, so moving it moves an open follow-up.
    c.query(
        "UPDATE tasks SET due_at = ?, version = version + 1, updated_at = ? "
        "WHERE entity = 'visit' AND entity_id = ? AND kind = ? AND status = 'open' AND deleted_at IS NULL",
        {due_after(occurred_at, days), now_text(), id, std::string(kFollowUp)});
  }
  touch_account(c, account_id, occurred_at);
  return ok_status();
}

void decorate_visit(db::Connection& c, json& record) {
  const auto rows = c.query(
      "SELECT id, status, due_at, completed_at FROM tasks WHERE entity = 'visit' AND entity_id = ? AND kind = ? "
      "AND deleted_at IS NULL ORDER BY id LIMIT 1",
      {record["id"].get<std::int64_t>(), std::string(kFollowUp)});
  record["follow_up"] = rows.empty() ? json(nullptr) : accounts::row_json(rows, 0);
}

}  // namespace

// ---- tables ----

const RecordTable& visit_plan_table() {
  static const RecordTable table{
      .table = "visit_plans",
      .entity = "visit_plan",
      .fields =
          {{.name = "account_id", .kind = Kind::id, .required = true, .on_create_only = true},
           {.name = "planned_at", .max_length = 40, .required = true},
           {.name = "contacts_to_meet", .max_length = 500},
           {.name = "purpose", .max_length = 1000},
           {.name = "materials", .max_length = 1000},
           {.name = "our_participants", .max_length = 500},
           {.name = "expected_outcome", .max_length = 1000},
           {.name = "status", .kind = Kind::choice, .choices = {"planned", "done", "cancelled"}, .not_null = true}},
      .account_scoped = true,
      .extra_columns = kOwnerColumns + ", t.visit_id",
      .extra_joins = kOwnerJoin,
      .duplicate_message = {},
      .check = {},
      .after_change = {},
      .decorate = {},
  };
  return table;
}

const RecordTable& visit_table() {
  static const RecordTable table{
      .table = "visits",
      .entity = "visit",
      .fields = {{.name = "account_id", .kind = Kind::id, .required = true, .on_create_only = true},
                 {.name = "plan_id", .kind = Kind::id, .on_create_only = true},
                 {.name = "occurred_at", .max_length = 40, .required = true},
                 {.name = "place", .max_length = 200},
                 {.name = "method", .kind = Kind::choice, .choices = {"in_person", "phone", "video"}, .not_null = true},
                 {.name = "customer_participants", .max_length = 500},
                 {.name = "our_participants", .max_length = 500},
                 {.name = "key_points", .max_length = 4000},
                 {.name = "customer_views", .max_length = 4000},
                 {.name = "suggestions", .max_length = 2000},
                 {.name = "next_steps", .max_length = 2000}},
      .account_scoped = true,
      .extra_columns = kOwnerColumns + ", t.checkin_latitude, t.checkin_longitude, t.checkin_accuracy_m, t.checkin_at",
      .extra_joins = kOwnerJoin,
      .duplicate_message = {},
      .check = {},
      .after_change = after_visit_change,
      .decorate = decorate_visit,
  };
  return table;
}

const RecordTable& contact_log_table() {
  static const RecordTable table{
      .table = "contact_logs",
      .entity = "contact_log",
      .fields =
          {{.name = "account_id", .kind = Kind::id, .required = true, .on_create_only = true},
           {.name = "contact_id", .kind = Kind::id, .on_create_only = true},
           {.name = "kind", .kind = Kind::choice, .choices = {"call", "email", "meeting", "message"}, .required = true},
           {.name = "occurred_at", .max_length = 40, .required = true},
           {.name = "content", .max_length = 4000},
           {.name = "result", .max_length = 2000},
           {.name = "next_step", .max_length = 2000}},
      .account_scoped = true,
      .extra_columns = kOwnerColumns + ", ct.name AS contact_name",
      .extra_joins = kOwnerJoin + " LEFT JOIN contacts ct ON ct.id = t.contact_id",
      .duplicate_message = {},
      .check = check_contact_of_account,
      .after_change =
          [](db::Connection& c, const auth::Principal&, const json&, const json& after) {
            touch_account(c, after["account_id"].get<std::int64_t>(), after["occurred_at"].get<std::string>());
            return ok_status();
          },
      .decorate = {},
  };
  return table;
}

const RecordTable& relationship_action_table() {
  static const RecordTable table{
      .table = "relationship_actions",
      .entity = "relationship_action",
      .fields = {{.name = "account_id", .kind = Kind::id, .required = true, .on_create_only = true},
                 {.name = "contact_id", .kind = Kind::id, .on_create_only = true},
                 {.name = "current_level", .kind = Kind::integer, .min = 1, .max = 5},
                 {.name = "measure", .max_length = 2000, .required = true},
                 {.name = "responsible_id", .kind = Kind::id},
                 {.name = "deadline", .kind = Kind::date},
                 {.name = "result", .max_length = 2000},
                 {.name = "status", .kind = Kind::choice, .choices = {"open", "done"}, .not_null = true}},
      .account_scoped = true,
      .extra_columns = ", ct.name AS contact_name, ru.display_name AS responsible_name",
      .extra_joins = " LEFT JOIN contacts ct ON ct.id = t.contact_id LEFT JOIN users ru ON ru.id = t.responsible_id",
      .duplicate_message = {},
      .check = check_relationship_action,
      .after_change = {},
      .decorate = {},
  };
  return table;
}

// ---- settings ----

int follow_up_days(db::Connection& c) {
  const auto rows = c.query("SELECT value FROM settings WHERE key = ?", {std::string(kSettingsKey)});
  if (rows.empty()) return kDefaultFollowUpDays;
  const auto value = json::parse(rows.front().text(0), nullptr, false);
  if (!value.is_object() || !value.contains("follow_up_days") || !value["follow_up_days"].is_number_integer()) {
    return kDefaultFollowUpDays;
  }
  return value["follow_up_days"].get<int>();
}

Expected<json> get_settings(db::Connection& c, const auth::Principal& p) {
  if (!p.can("activities.read")) return Error::forbidden();
  return json{{"follow_up_days", follow_up_days(c)}};
}

Expected<json> update_settings(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("users.admin")) return Error::forbidden();
  FieldReader reader(body);
  const auto days = reader.integer("follow_up_days", true, 1, 60);
  if (!reader.ok()) return reader.error();
  db::Transaction tx(c, true);
  const json before = {{"follow_up_days", follow_up_days(c)}};
  const json after = {{"follow_up_days", *days}};
  c.query(
      "INSERT INTO settings (key, value, version, updated_at) VALUES (?, ?, 1, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = settings.version + 1, "
      "updated_at = excluded.updated_at",
      {std::string(kSettingsKey), after.dump(), now_text()});
  auth::write_audit(c, p.user_id, "activity_settings", 1, "update", before, after);
  tx.commit();
  return after;
}

// ---- creates and updates of the account records ----

namespace {

Expected<Values> read_activity(const RecordTable& table, const json& body, bool creating) {
  auto values = accounts::read_fields(body, table.fields, creating);
  if (!values) return values.error();
  if (auto s = normalise_instants(*values, {"planned_at", "occurred_at"}); !s) return s.error();
  return values;
}

// Check-in from the phone's geolocation: latitude and longitude together,
// accuracy in metres; the time defaults to now.
Status read_checkin(const json& body, Values& values) {
  const bool any = body.contains("checkin_latitude") || body.contains("checkin_longitude");
  if (!any) return ok_status();
  std::vector<FieldError> errors;
  auto number = [&](const char* name, double min, double max, bool required) -> std::optional<double> {
    if (!body.contains(name) || body[name].is_null()) {
      if (required) errors.push_back({name, "is required"});
      return std::nullopt;
    }
    if (!body[name].is_number() || body[name].get<double>() < min || body[name].get<double>() > max) {
      errors.push_back({name, fmt::format("must be a number from {} to {}", min, max)});
      return std::nullopt;
    }
    return body[name].get<double>();
  };
  const auto lat = number("checkin_latitude", -90, 90, true);
  const auto lng = number("checkin_longitude", -180, 180, true);
  const auto accuracy = number("checkin_accuracy_m", 0, 1e6, false);
  std::string at = now_text();
  if (body.contains("checkin_at") && !body["checkin_at"].is_null()) {
    const auto t = body["checkin_at"].is_string() ? parse_instant(body["checkin_at"].get<std::string>())
                                                  : std::optional<Instant>();
    if (t)
      at = format_instant(*t);
    else
      errors.push_back({"checkin_at", "must be an ISO instant"});
  }
  if (!errors.empty()) return Error::invalid(errors);
  values.emplace_back("checkin_latitude", *lat);
  values.emplace_back("checkin_longitude", *lng);
  values.emplace_back("checkin_accuracy_m", accuracy ? db::Value(*accuracy) : db::Value(nullptr));
  values.emplace_back("checkin_at", at);
  return ok_status();
}

Expected<json> create_owned(db::Connection& c, const auth::Principal& p, const RecordTable& table, Values values) {
  add_owner(values, p);
  return accounts::create_record(c, p, table, values);
}

}  // namespace

Expected<json> create_visit_plan(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("activities.write")) return Error::forbidden();
  auto values = read_activity(visit_plan_table(), body, true);
  if (!values) return values.error();
  return create_owned(c, p, visit_plan_table(), std::move(*values));
}

Expected<json> create_visit(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("activities.write")) return Error::forbidden();
  auto values = read_activity(visit_table(), body, true);
  if (!values) return values.error();
  if (auto s = read_checkin(body, *values); !s) return s.error();
  if (const auto plan = value_id(*values, "plan_id")) {
    const auto rows =
        c.query("SELECT account_id, status FROM visit_plans WHERE id = ? AND deleted_at IS NULL", {*plan});
    const auto account = value_id(*values, "account_id");
    if (rows.empty() || !account || rows.front().integer(0) != *account) {
      return Error::invalid({{"plan_id", "is not a visit plan of this account"}});
    }
    if (rows.front().text(1) != "planned") return Error::invalid({{"plan_id", "the plan is no longer open"}});
  }
  return create_owned(c, p, visit_table(), std::move(*values));
}

Expected<json> create_contact_log(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("activities.write")) return Error::forbidden();
  auto values = read_activity(contact_log_table(), body, true);
  if (!values) return values.error();
  return create_owned(c, p, contact_log_table(), std::move(*values));
}

Expected<json> create_relationship_action(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("activities.write")) return Error::forbidden();
  auto values = accounts::read_fields(body, relationship_action_table().fields, true);
  if (!values) return values.error();
  return accounts::create_record(c, p, relationship_action_table(), *values);
}

Expected<json> update_activity(db::Connection& c, const auth::Principal& p, const RecordTable& table, std::int64_t id,
                               std::int64_t version, const json& body) {
  if (!p.can("activities.write")) {
    if (p.can("activities.read") && accounts::get_record(c, p, table, id)) return Error::forbidden();
    return Error::not_found(table.entity);
  }
  auto values = read_activity(table, body, false);
  if (!values) return values.error();
  return accounts::update_record(c, p, table, id, version, *values);
}

// ---- tasks ----

namespace {

const std::string kTaskSelect =
    "SELECT t.id, t.title, t.kind, t.owner_id AS assignee_id, u.display_name AS assignee_name, t.department_id, "
    "t.due_at, t.urgent, t.important, t.status, t.entity, t.entity_id, t.account_id, a.name AS account_name, "
    "t.notes, t.completed_at, t.follow_up_method, t.customer_opinion, t.created_by, t.version, t.created_at, "
    "t.updated_at FROM tasks t LEFT JOIN users u ON u.id = t.owner_id LEFT JOIN accounts a ON a.id = t.account_id";

json task_json(const db::Result& rows, std::size_t i, const std::string& now) {
  json t = accounts::row_json(rows, i);
  t["urgent"] = rows[i].integer("urgent") != 0;
  t["important"] = rows[i].integer("important") != 0;
  t["overdue"] = is_overdue(t["status"], t["due_at"], now);
  if (t["kind"] == kFollowUp && t["status"] == "done") {
    t["on_time"] = done_on_time(rows[i].optional_text("completed_at"), t["due_at"]);
  }
  return t;
}

std::optional<json> load_task(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  const auto rows = c.query(kTaskSelect + " WHERE t.id = ? AND t.deleted_at IS NULL", {id});
  if (rows.empty()) return std::nullopt;
  if (!auth::can_see(p, rows.front().integer("assignee_id"), rows.front().optional_integer("department_id"))) {
    return std::nullopt;
  }
  return task_json(rows, 0, now_text());
}

// The assignee a caller may give a task to: an active user inside its scope.
Expected<std::optional<std::int64_t>> assignee_department(db::Connection& c, const auth::Principal& p,
                                                          std::int64_t user_id) {
  const auto rows = c.query("SELECT department_id FROM users WHERE id = ? AND active = 1", {user_id});
  if (rows.empty() || !auth::can_see(p, user_id, rows.front().optional_integer("department_id"))) {
    return Error::invalid({{"assignee_id", "no such user in your scope"}});
  }
  return rows.front().optional_integer("department_id");
}

Error stale_task() {
  return Error::conflict("the task was changed by someone else; reload and try again");
}

}  // namespace

Expected<json> list_tasks(db::Connection& c, const auth::Principal& p, const TaskQuery& q) {
  if (!p.can("activities.read")) return Error::forbidden();
  const auto scope = auth::scope_clause(p, "t");
  std::string where = " WHERE t.deleted_at IS NULL AND " + scope.sql;
  db::Params params = scope.params;
  const auto now = now_text();
  if (q.assignee_id) {
    where += " AND t.owner_id = ?";
    params.emplace_back(*q.assignee_id);
  }
  if (q.kind) {
    where += " AND t.kind = ?";
    params.emplace_back(*q.kind);
  }
  if (q.status) {
    where += " AND t.status = ?";
    params.emplace_back(*q.status);
  }
  if (q.account_id) {
    where += " AND t.account_id = ?";
    params.emplace_back(*q.account_id);
  }
  if (q.entity) {
    where += " AND t.entity = ?";
    params.emplace_back(*q.entity);
  }
  if (q.entity_id) {
    where += " AND t.entity_id = ?";
    params.emplace_back(*q.entity_id);
  }
  if (q.overdue) {
    where += " AND t.status = 'open' AND t.due_at < ?";
    params.emplace_back(now);
  }
  const auto total = c.query("SELECT count(*) FROM tasks t" + where, params).front().integer(0);
  json items = json::array();
  if (total > q.offset) {
    params.emplace_back(static_cast<std::int64_t>(q.limit));
    params.emplace_back(static_cast<std::int64_t>(q.offset));
    const auto rows = c.query(kTaskSelect + where + " ORDER BY t.due_at, t.id LIMIT ? OFFSET ?", params);
    for (std::size_t i = 0; i < rows.size(); ++i) items.push_back(task_json(rows, i, now));
  }
  return json{{"items", std::move(items)}, {"total", total}};
}

Expected<json> get_task(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("activities.read")) return Error::forbidden();
  auto task = load_task(c, p, id);
  if (!task) return Error::not_found("task");
  return *task;
}

Expected<json> create_task(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("activities.write")) return Error::forbidden();
  FieldReader reader(body);
  const auto title = reader.text("title", 200, true);
  const auto due = reader.text("due_at", 40, true);
  const auto notes = reader.text("notes", 2000);
  const auto assignee = reader.integer("assignee_id", false, 1);
  const auto account = reader.integer("account_id", false, 1);
  const auto entity_id = reader.integer("entity_id", false, 1);
  const auto entity = reader.text("entity", 40);
  const auto urgent = reader.boolean("urgent");
  const auto important = reader.boolean("important");
  const auto kind = reader.text("kind", 40);
  std::optional<Instant> due_at;
  if (due.value && !(due_at = parse_instant(*due.value))) reader.fail("due_at", "must be an ISO instant");
  static const std::vector<std::string> kinds = {"manual", "call", "visit", "email", "other"};
  if (kind.value && std::find(kinds.begin(), kinds.end(), *kind.value) == kinds.end()) {
    reader.fail("kind", "must be one of manual, call, visit, email, other (follow-ups are raised by visits)");
  }
  if (!reader.ok()) return reader.error();
  const std::int64_t owner = assignee.value_or(p.user_id);
  auto department = assignee_department(c, p, owner);
  if (!department) return department.error();
  if (account && !accounts::account_visible(c, p, *account)) {
    return Error::invalid({{"account_id", "no such account"}});
  }
  db::Transaction tx(c, true);
  const auto now = now_text();
  const auto id =
      c.query(
           "INSERT INTO tasks (title, kind, owner_id, department_id, due_at, urgent, important, status, entity, "
           "entity_id, account_id, notes, created_by, created_at, updated_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
           {*title.value, kind.value.value_or("manual"), owner,
            *department ? db::Value(**department) : db::Value(nullptr), format_instant(*due_at),
            std::int64_t{urgent.value_or(false)}, std::int64_t{important.value_or(false)},
            entity.value ? db::Value(*entity.value) : db::Value(nullptr),
            entity_id ? db::Value(*entity_id) : db::Value(nullptr), account ? db::Value(*account) : db::Value(nullptr),
            notes.value ? db::Value(*notes.value) : db::Value(nullptr), p.user_id, now, now})
          .front()
          .integer(0);
  const auto rows = c.query(kTaskSelect + " WHERE t.id = ?", {id});
  json created = task_json(rows, 0, now);
  auth::write_audit(c, p.user_id, "task", id, "create", nullptr, created);
  tx.commit();
  return created;
}

Expected<json> update_task(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                           const json& body) {
  if (!p.can("activities.write")) {
    if (p.can("activities.read") && load_task(c, p, id)) return Error::forbidden();
    return Error::not_found("task");
  }
  FieldReader reader(body);
  const auto title = reader.text("title", 200, body.contains("title"));
  const auto due = reader.text("due_at", 40, body.contains("due_at"));
  const auto notes = reader.text("notes", 2000);
  const auto assignee = reader.integer("assignee_id", false, 1);
  const auto urgent = reader.boolean("urgent");
  const auto important = reader.boolean("important");
  const auto status = reader.text("status", 20, body.contains("status"));
  std::optional<Instant> due_at;
  if (due.value && !(due_at = parse_instant(*due.value))) reader.fail("due_at", "must be an ISO instant");
  if (status.value && *status.value != "open" && *status.value != "cancelled") {
    reader.fail("status", "must be open or cancelled (complete a task with POST /tasks/{id}/complete)");
  }
  if (!reader.ok()) return reader.error();
  db::Transaction tx(c, true);
  auto before = load_task(c, p, id);
  if (!before) return Error::not_found("task");
  if ((*before)["version"].get<std::int64_t>() != version) return stale_task();
  if ((*before)["kind"] == kFollowUp && due_at && format_instant(*due_at) != (*before)["due_at"]) {
    return Error::invalid({{"due_at", "a follow-up is due a fixed number of days after its visit"}});
  }
  if ((*before)["status"] == "done") return Error::invalid({{"status", "the task is done"}});
  std::string set;
  db::Params params;
  auto assign = [&](const char* column, db::Value v) {
    set += std::string(column) + " = ?, ";
    params.push_back(std::move(v));
  };
  if (title.value) assign("title", *title.value);
  if (due_at) assign("due_at", format_instant(*due_at));
  if (notes.present) assign("notes", notes.value ? db::Value(*notes.value) : db::Value(nullptr));
  if (urgent) assign("urgent", std::int64_t{*urgent});
  if (important) assign("important", std::int64_t{*important});
  if (status.value) assign("status", *status.value);
  if (assignee) {
    auto department = assignee_department(c, p, *assignee);
    if (!department) return department.error();
    assign("owner_id", *assignee);
    assign("department_id", *department ? db::Value(**department) : db::Value(nullptr));
  }
  params.emplace_back(now_text());
  params.emplace_back(id);
  params.emplace_back(version);
  const auto changed =
      c.query("UPDATE tasks SET " + set + "version = version + 1, updated_at = ? WHERE id = ? AND version = ?", params);
  if (changed.affected != 1) return stale_task();
  const auto rows = c.query(kTaskSelect + " WHERE t.id = ?", {id});
  json after = task_json(rows, 0, now_text());
  auth::write_audit(c, p.user_id, "task", id, "update", *before, after);
  tx.commit();
  return after;
}

Status delete_task(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("activities.write")) {
    if (p.can("activities.read") && load_task(c, p, id)) return Error::forbidden();
    return Error::not_found("task");
  }
  db::Transaction tx(c, true);
  auto before = load_task(c, p, id);
  if (!before) return Error::not_found("task");
  if ((*before)["kind"] == kFollowUp) {
    return Error::invalid({{"kind", "a follow-up cannot be deleted; complete it with the customer's opinion"}});
  }
  const auto now = now_text();
  c.query("UPDATE tasks SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?", {now, now, id});
  auth::write_audit(c, p.user_id, "task", id, "delete", *before, nullptr);
  tx.commit();
  return ok_status();
}

Expected<json> complete_task(db::Connection& c, const auth::Principal& p, std::int64_t id, const json& body) {
  if (!p.can("activities.write")) {
    if (p.can("activities.read") && load_task(c, p, id)) return Error::forbidden();
    return Error::not_found("task");
  }
  db::Transaction tx(c, true);
  auto before = load_task(c, p, id);
  if (!before) return Error::not_found("task");
  const bool follow_up = (*before)["kind"] == kFollowUp;
  FieldReader reader(body);
  const auto method = reader.text("method", 20, follow_up);
  const auto opinion = reader.text("customer_opinion", 4000, follow_up);
  const auto notes = reader.text("notes", 2000);
  static const std::vector<std::string> methods = {"phone", "visit", "video", "message"};
  if (method.value && std::find(methods.begin(), methods.end(), *method.value) == methods.end()) {
    reader.fail("method", "must be one of phone, visit, video, message");
  }
  if (!reader.ok()) return reader.error();
  if ((*before)["status"] != "open") return Error::conflict("the task is not open");
  const auto now = now_text();
  c.query(
      "UPDATE tasks SET status = 'done', completed_at = ?, follow_up_method = ?, customer_opinion = ?, "
      "notes = coalesce(?, notes), version = version + 1, updated_at = ? WHERE id = ?",
      {now, method.value ? db::Value(*method.value) : db::Value(nullptr),
       opinion.value ? db::Value(*opinion.value) : db::Value(nullptr),
       notes.value ? db::Value(*notes.value) : db::Value(nullptr), now, id});
  if (follow_up && (*before)["account_id"].is_number_integer()) {
    touch_account(c, (*before)["account_id"].get<std::int64_t>(), now);
  }
  const auto rows = c.query(kTaskSelect + " WHERE t.id = ?", {id});
  json after = task_json(rows, 0, now);
  auth::write_audit(c, p.user_id, "task", id, "complete", *before, after);
  tx.commit();
  return after;
}

Expected<json> overdue_follow_ups(db::Connection& c, const auth::Principal& p,
                                  std::optional<std::int64_t> department_id) {
  if (!p.can("activities.read")) return Error::forbidden();
  const auto scope = auth::scope_clause(p, "t");
  // Literal kind and status so the partial indexes of migration 007 apply.
  db::Params params{now_text()};
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  std::string where =
      " WHERE t.kind = 'follow_up' AND t.status = 'open' AND t.due_at < ? AND t.deleted_at IS NULL AND " + scope.sql;
  if (department_id) {
    where += " AND t.department_id = ?";
    params.emplace_back(*department_id);
  }
  const auto rows = c.query(
      "SELECT t.owner_id AS user_id, u.display_name, t.department_id, count(*) AS overdue, min(t.due_at) AS "
      "oldest_due_at FROM tasks t JOIN users u ON u.id = t.owner_id" +
          where + " GROUP BY t.owner_id, u.display_name, t.department_id ORDER BY count(*) DESC, t.owner_id",
      params);
  json items = json::array();
  std::int64_t total = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    items.push_back(accounts::row_json(rows, i));
    items.back()["overdue"] = rows[i].integer("overdue");
    total += rows[i].integer("overdue");
  }
  return json{{"items", std::move(items)}, {"total", total}};
}

Expected<json> follow_up_compliance(db::Connection& c, const auth::Principal& p, const std::string& month,
                                    std::optional<std::int64_t> department_id) {
  if (!p.can("activities.read")) return Error::forbidden();
  const auto range = month_range(month);
  if (!range) return Error(Error::Code::bad_request, "invalid query parameters", {{"month", "must be YYYY-MM"}});
  const auto now = now_text();
  const auto scope = auth::scope_clause(p, "t");
  // Judged: follow-ups due in the month that are done, or open and already
  // past due - one still open before its due date is not judged yet.
  db::Params params{now, now, range->first, range->second};
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  std::string where =
      " WHERE t.kind = 'follow_up' AND t.due_at >= ? AND t.due_at < ? AND t.status <> 'cancelled' "
      "AND t.deleted_at IS NULL AND " +
      scope.sql;
  if (department_id) {
    where += " AND t.department_id = ?";
    params.emplace_back(*department_id);
  }
  const auto rows = c.query(
      "SELECT t.owner_id AS user_id, u.display_name, t.department_id, "
      "sum(CASE WHEN t.status = 'done' OR t.due_at < ? THEN 1 ELSE 0 END) AS judged, "
      "sum(CASE WHEN t.status = 'done' AND t.completed_at <= t.due_at THEN 1 ELSE 0 END) AS on_time, "
      "sum(CASE WHEN t.status = 'done' AND t.completed_at > t.due_at THEN 1 ELSE 0 END) AS late, "
      "sum(CASE WHEN t.status = 'open' AND t.due_at < ? THEN 1 ELSE 0 END) AS overdue, count(*) AS due "
      "FROM tasks t JOIN users u ON u.id = t.owner_id" +
          where + " GROUP BY t.owner_id, u.display_name, t.department_id ORDER BY t.owner_id",
      params);
  json items = json::array();
  std::int64_t judged = 0, on_time = 0;
  for (const auto& r : rows) {
    const auto rate = compliance_bp(r.integer("judged"), r.integer("on_time"));
    items.push_back({{"user_id", r.integer("user_id")},
                     {"display_name", r.text("display_name")},
                     {"department_id", to_json(r.at("department_id"))},
                     {"due", r.integer("due")},
                     {"judged", r.integer("judged")},
                     {"on_time", r.integer("on_time")},
                     {"late", r.integer("late")},
                     {"overdue", r.integer("overdue")},
                     {"rate_bp", rate ? json(*rate) : json(nullptr)}});
    judged += r.integer("judged");
    on_time += r.integer("on_time");
  }
  const auto team = compliance_bp(judged, on_time);
  return json{{"month", month},
              {"items", items},
              {"total", items.size()},
              {"team", {{"judged", judged}, {"on_time", on_time}, {"rate_bp", team ? json(*team) : json(nullptr)}}}};
}

// ---- weekly reports ----

namespace {

json rows_json(const db::Result& rows) {
  json out = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(accounts::row_json(rows, i));
  return out;
}

struct UserRow {
  std::int64_t id;
  std::string display_name;
  std::optional<std::int64_t> department_id;
};

std::optional<UserRow> user_row(db::Connection& c, std::int64_t id) {
  const auto rows = c.query("SELECT id, display_name, department_id FROM users WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return UserRow{rows.front().integer(0), rows.front().text(1), rows.front().optional_integer("department_id")};
}

const std::string kReportSelect =
    "SELECT r.id, r.owner_id AS user_id, u.display_name AS user_name, r.department_id, r.week, r.summary, r.status, "
    "r.content, r.submitted_at, r.manager_comment, r.reviewed_by, r.reviewed_at, r.version, r.created_at, "
    "r.updated_at FROM weekly_reports r JOIN users u ON u.id = r.owner_id";

// A report row for a reply: content is the frozen one once submitted, else
// generated now (with_content false leaves it out of lists).
json report_json(db::Connection& c, const db::Result& rows, std::size_t i, bool with_content) {
  json r = accounts::row_json(rows, i);
  const auto frozen = rows[i].optional_text("content");
  if (!with_content) {
    r.erase("content");
  } else if (frozen) {
    r["content"] = json::parse(*frozen);
  } else {
    r["content"] = generate_week(c, rows[i].integer("user_id"), *parse_iso_week(rows[i].text("week")));
  }
  return r;
}

std::optional<json> load_report(db::Connection& c, const auth::Principal& p, std::int64_t id, bool with_content) {
  const auto rows = c.query(kReportSelect + " WHERE r.id = ?", {id});
  if (rows.empty() ||
      !auth::can_see(p, rows.front().integer("user_id"), rows.front().optional_integer("department_id"))) {
    return std::nullopt;
  }
  return report_json(c, rows, 0, with_content);
}

Error stale_report() {
  return Error::conflict("the weekly report was changed by someone else; reload and try again");
}

}  // namespace

json generate_week(db::Connection& c, std::int64_t user_id, const IsoWeek& week) {
  const auto start = week_start(week);
  const auto from = format_instant(start);
  const auto to = format_instant(start + std::chrono::hours(24 * 7));
  const auto next_to = format_instant(start + std::chrono::hours(24 * 14));
  const auto now = now_text();
  const auto visits = c.query(
      "SELECT v.id, v.account_id, a.name AS account_name, v.occurred_at, v.method, v.place, v.key_points, "
      "v.customer_views, v.next_steps FROM visits v JOIN accounts a ON a.id = v.account_id "
      "WHERE v.owner_id = ? AND v.occurred_at >= ? AND v.occurred_at < ? AND v.deleted_at IS NULL "
      "ORDER BY v.occurred_at, v.id",
      {user_id, from, to});
  const auto logs = c.query(
      "SELECT l.id, l.account_id, a.name AS account_name, l.kind, l.occurred_at, l.content, l.result, l.next_step "
      "FROM contact_logs l JOIN accounts a ON a.id = l.account_id "
      "WHERE l.owner_id = ? AND l.occurred_at >= ? AND l.occurred_at < ? AND l.deleted_at IS NULL "
      "ORDER BY l.occurred_at, l.id",
      {user_id, from, to});
  // Follow-ups done this week, and those still open past due at the week's end.
  const auto done = c.query(
      "SELECT t.id, t.title, t.account_id, t.due_at, t.completed_at, t.follow_up_method, t.customer_opinion "
      "FROM tasks t WHERE t.owner_id = ? AND t.status = 'done' AND t.kind = ? AND t.completed_at >= ? "
      "AND t.completed_at < ? AND t.deleted_at IS NULL ORDER BY t.completed_at, t.id",
      {user_id, std::string(kFollowUp), from, to});
  const auto week_end_or_now = std::min(to, now);
  const auto overdue = c.query(
      "SELECT t.id, t.title, t.account_id, t.due_at FROM tasks t WHERE t.owner_id = ? AND t.status = 'open' "
      "AND t.kind = ? AND t.due_at < ? AND t.deleted_at IS NULL ORDER BY t.due_at, t.id",
      {user_id, std::string(kFollowUp), week_end_or_now});
  const auto plans = c.query(
      "SELECT p.id, p.account_id, a.name AS account_name, p.planned_at, p.purpose, p.contacts_to_meet "
      "FROM visit_plans p JOIN accounts a ON a.id = p.account_id WHERE p.owner_id = ? AND p.status = 'planned' "
      "AND p.planned_at >= ? AND p.planned_at < ? AND p.deleted_at IS NULL ORDER BY p.planned_at, p.id",
      {user_id, to, next_to});
  const auto open_tasks = c.query(
      "SELECT t.id, t.title, t.kind, t.account_id, t.due_at, t.urgent, t.important FROM tasks t "
      "WHERE t.owner_id = ? AND t.status = 'open' AND t.due_at < ? AND t.deleted_at IS NULL "
      "ORDER BY t.due_at, t.id LIMIT 200",
      {user_id, next_to});
  json done_items = rows_json(done);
  std::int64_t on_time = 0;
  for (std::size_t i = 0; i < done.size(); ++i) {
    const bool ok = done_on_time(done[i].optional_text("completed_at"), done[i].text("due_at"));
    done_items[i]["on_time"] = ok;
    on_time += ok;
  }
  return {
      {"week", week.text()},
      {"from", from},
      {"to", to},
      {"visits", rows_json(visits)},
      {"contact_logs", rows_json(logs)},
      {"follow_ups_done", done_items},
      {"follow_ups_overdue", rows_json(overdue)},
      {"next_week",
       {{"week", next_week(week).text()}, {"planned_visits", rows_json(plans)}, {"open_tasks", rows_json(open_tasks)}}},
      {"counts",
       {{"visits", visits.size()},
        {"contact_logs", logs.size()},
        {"follow_ups_done", done.size()},
        {"follow_ups_on_time", on_time},
        {"follow_ups_overdue", overdue.size()},
        {"planned_visits", plans.size()}}}};
}

Expected<json> list_weekly_reports(db::Connection& c, const auth::Principal& p, std::optional<std::int64_t> user_id,
                                   std::optional<std::string> week, std::optional<std::string> status, int limit,
                                   int offset) {
  if (!p.can("activities.read")) return Error::forbidden();
  std::optional<IsoWeek> parsed;
  if (week && !(parsed = parse_iso_week(*week))) {
    return Error(Error::Code::bad_request, "invalid query parameters", {{"week", "must be an ISO week like 2026-W48"}});
  }
  if (user_id && parsed) {
    const auto user = user_row(c, *user_id);
    if (!user || !auth::can_see(p, user->id, user->department_id)) return Error::not_found("user");
    const auto rows = c.query(kReportSelect + " WHERE r.owner_id = ? AND r.week = ?", {*user_id, parsed->text()});
    json item;
    if (!rows.empty()) {
      item = report_json(c, rows, 0, true);
    } else {
      item = {{"id", nullptr},
              {"user_id", user->id},
              {"user_name", user->display_name},
              {"department_id", user->department_id ? json(*user->department_id) : json(nullptr)},
              {"week", parsed->text()},
              {"summary", nullptr},
              {"status", "not_started"},
              {"content", generate_week(c, user->id, *parsed)},
              {"version", nullptr}};
    }
    return json{{"items", json::array({item})}, {"total", 1}};
  }
  const auto scope = auth::scope_clause(p, "r");
  std::string where = " WHERE " + scope.sql;
  db::Params params = scope.params;
  if (user_id) {
    where += " AND r.owner_id = ?";
    params.emplace_back(*user_id);
  }
  if (parsed) {
    where += " AND r.week = ?";
    params.emplace_back(parsed->text());
  }
  if (status) {
    where += " AND r.status = ?";
    params.emplace_back(*status);
  }
  const auto total = c.query("SELECT count(*) FROM weekly_reports r" + where, params).front().integer(0);
  params.emplace_back(static_cast<std::int64_t>(limit));
  params.emplace_back(static_cast<std::int64_t>(offset));
  const auto rows = c.query(kReportSelect + where + " ORDER BY r.week DESC, r.id DESC LIMIT ? OFFSET ?", params);
  json items = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) items.push_back(report_json(c, rows, i, false));
  return json{{"items", std::move(items)}, {"total", total}};
}

Expected<json> get_weekly_report(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("activities.read")) return Error::forbidden();
  auto report = load_report(c, p, id, true);
  if (!report) return Error::not_found("weekly report");
  return *report;
}

Expected<json> save_weekly_report(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("activities.write")) return Error::forbidden();
  FieldReader reader(body);
  const auto week = reader.text("week", 10, true);
  const auto summary = reader.text("summary", 8000);
  const auto version = reader.integer("version", false, 1);
  std::optional<IsoWeek> parsed;
  if (week.value && !(parsed = parse_iso_week(*week.value))) reader.fail("week", "must be an ISO week like 2026-W48");
  if (!reader.ok()) return reader.error();
  db::Transaction tx(c, true);
  const auto now = now_text();
  const auto existing = c.query("SELECT id, version, status FROM weekly_reports WHERE owner_id = ? AND week = ?",
                                {p.user_id, parsed->text()});
  std::int64_t id = 0;
  if (existing.empty()) {
    id = c.query(
              "INSERT INTO weekly_reports (owner_id, department_id, week, summary, status, created_at, updated_at) "
              "VALUES (?, ?, ?, ?, 'draft', ?, ?) RETURNING id",
              {p.user_id, p.department_id ? db::Value(*p.department_id) : db::Value(nullptr), parsed->text(),
               summary.value ? db::Value(*summary.value) : db::Value(nullptr), now, now})
             .front()
             .integer(0);
    auth::write_audit(c, p.user_id, "weekly_report", id, "create", nullptr, {{"week", parsed->text()}});
  } else {
    id = existing.front().integer(0);
    if (existing.front().text(2) != "draft") return Error::conflict("the weekly report was already submitted");
    if (version && *version != existing.front().integer(1)) return stale_report();
    c.query("UPDATE weekly_reports SET summary = ?, version = version + 1, updated_at = ? WHERE id = ?",
            {summary.value ? db::Value(*summary.value) : db::Value(nullptr), now, id});
    auth::write_audit(c, p.user_id, "weekly_report", id, "update", nullptr, {{"summary", summary.value.value_or("")}});
  }
  auto report = load_report(c, p, id, true);
  tx.commit();
  return *report;
}

Expected<json> submit_weekly_report(db::Connection& c, const auth::Principal& p, std::int64_t id, const json& body) {
  if (!p.can("activities.write")) return Error::forbidden();
  FieldReader reader(body);
  const auto version = reader.integer("version", false, 1);
  const auto summary = reader.text("summary", 8000);
  if (!reader.ok()) return reader.error();
  db::Transaction tx(c, true);
  auto before = load_report(c, p, id, false);
  if (!before) return Error::not_found("weekly report");
  if ((*before)["user_id"] != p.user_id) return Error::forbidden("only its author submits a weekly report");
  if ((*before)["status"] != "draft") return Error::conflict("the weekly report was already submitted");
  if (version && *version != (*before)["version"].get<std::int64_t>()) return stale_report();
  const auto week = *parse_iso_week((*before)["week"].get<std::string>());
  // Frozen with the submission: later edits of visits no longer change it.
  const json content = generate_week(c, p.user_id, week);
  const auto now = now_text();
  c.query(
      "UPDATE weekly_reports SET status = 'submitted', content = ?, submitted_at = ?, summary = coalesce(?, summary), "
      "version = version + 1, updated_at = ? WHERE id = ?",
      {content.dump(), now, summary.value ? db::Value(*summary.value) : db::Value(nullptr), now, id});
  auto after = load_report(c, p, id, true);
  auth::write_audit(c, p.user_id, "weekly_report", id, "submit", *before,
                    {{"status", "submitted"}, {"submitted_at", now}});
  tx.commit();
  return *after;
}

Expected<json> review_weekly_report(db::Connection& c, const auth::Principal& p, std::int64_t id, const json& body) {
  if (!p.can("reports.review")) {
    if (p.can("activities.read") && load_report(c, p, id, false)) return Error::forbidden();
    return Error::not_found("weekly report");
  }
  FieldReader reader(body);
  const auto comment = reader.text("comment", 4000);
  if (!reader.ok()) return reader.error();
  db::Transaction tx(c, true);
  auto before = load_report(c, p, id, false);
  if (!before) return Error::not_found("weekly report");
  if ((*before)["status"] != "submitted") return Error::conflict("only a submitted weekly report can be reviewed");
  const auto now = now_text();
  c.query(
      "UPDATE weekly_reports SET status = 'reviewed', manager_comment = ?, reviewed_by = ?, reviewed_at = ?, "
      "version = version + 1, updated_at = ? WHERE id = ?",
      {comment.value ? db::Value(*comment.value) : db::Value(nullptr), p.user_id, now, now, id});
  auto after = load_report(c, p, id, true);
  auth::write_audit(c, p.user_id, "weekly_report", id, "review", *before,
                    {{"status", "reviewed"}, {"manager_comment", comment.value.value_or("")}});
  tx.commit();
  return *after;
}

// ---- relationship stage and timeline ----

Expected<json> change_relationship_stage(db::Connection& c, const auth::Principal& p, std::int64_t account_id,
                                         const json& body) {
  if (auto s = accounts::require_visible_account(c, p, account_id); !s) return s.error();
  if (!p.can("activities.write") || !p.can("accounts.write")) return Error::forbidden();
  FieldReader reader(body);
  const auto stage = reader.text("stage", 20, true);
  const auto reason = reader.text("reason", 1000, true);
  static const std::vector<std::string> stages = {"establish", "stabilize", "strengthen"};
  if (stage.value && std::find(stages.begin(), stages.end(), *stage.value) == stages.end()) {
    reader.fail("stage", "must be one of establish, stabilize, strengthen");
  }
  if (!reader.ok()) return reader.error();
  db::Transaction tx(c, true);
  const auto before =
      c.query("SELECT relationship_stage, version FROM accounts WHERE id = ? AND deleted_at IS NULL", {account_id});
  if (before.empty()) return Error::not_found("account");
  const auto from = before.front().text(0);
  if (from == *stage.value) return Error::invalid({{"stage", "the account is already at this stage"}});
  const auto now = now_text();
  const auto changed = c.query(
      "UPDATE accounts SET relationship_stage = ?, version = version + 1, updated_at = ? WHERE id = ? RETURNING "
      "version",
      {*stage.value, now, account_id});
  auth::write_audit(
      c, p.user_id, "account", account_id, "update",
      {{"relationship_stage", from}, {"version", before.front().integer(1)}},
      {{"relationship_stage", *stage.value}, {"version", changed.front().integer(0)}, {"reason", *reason.value}});
  const auto id = c.query(
                       "INSERT INTO relationship_stage_changes (account_id, from_stage, to_stage, reason, changed_by, "
                       "occurred_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                       {account_id, from, *stage.value, *reason.value, p.user_id, now})
                      .front()
                      .integer(0);
  tx.commit();
  return json{{"id", id},
              {"account_id", account_id},
              {"from_stage", from},
              {"to_stage", *stage.value},
              {"reason", *reason.value},
              {"changed_by", p.user_id},
              {"occurred_at", now},
              {"account_version", changed.front().integer(0)}};
}

namespace {

// Timeline kinds in the order that breaks ties of equal instants (descending).
struct TimelineSource {
  const char* kind;
  std::string sql;  // id, at, by_id, by_name, label, text1, text2; params: account, [cursor], limit
  std::string at_column;
  std::string id_column;
};

const std::vector<TimelineSource>& timeline_sources() {
  static const std::vector<TimelineSource> sources = {
      {"visit",
       "SELECT v.id, v.occurred_at AS at, v.owner_id AS by_id, u.display_name AS by_name, v.method AS label, "
       "v.key_points AS text1, v.customer_views AS text2 FROM visits v LEFT JOIN users u ON u.id = v.owner_id "
       "WHERE v.account_id = ? AND v.deleted_at IS NULL",
       "v.occurred_at", "v.id"},
      {"stage_change",
       "SELECT s.id, s.occurred_at AS at, s.changed_by AS by_id, u.display_name AS by_name, s.to_stage AS label, "
       "s.from_stage AS text1, s.reason AS text2 FROM relationship_stage_changes s LEFT JOIN users u ON u.id = "
       "s.changed_by WHERE s.account_id = ?",
       "s.occurred_at", "s.id"},
      {"follow_up",
       "SELECT t.id, t.completed_at AS at, t.owner_id AS by_id, u.display_name AS by_name, t.follow_up_method AS "
       "label, t.customer_opinion AS text1, t.due_at AS text2 FROM tasks t LEFT JOIN users u ON u.id = t.owner_id "
       "WHERE t.account_id = ? AND t.completed_at IS NOT NULL AND t.kind = 'follow_up' AND t.deleted_at IS NULL",
       "t.completed_at", "t.id"},
      {"contact_log",
       "SELECT l.id, l.occurred_at AS at, l.owner_id AS by_id, u.display_name AS by_name, l.kind AS label, "
       "l.content AS text1, l.result AS text2 FROM contact_logs l LEFT JOIN users u ON u.id = l.owner_id "
       "WHERE l.account_id = ? AND l.deleted_at IS NULL",
       "l.occurred_at", "l.id"},
  };
  return sources;
}

struct Cursor {
  std::string at;
  std::string kind;
  std::int64_t id = 0;
};

std::optional<Cursor> parse_cursor(const std::string& text) {
  const auto a = text.find('|');
  const auto b = text.find('|', a == std::string::npos ? a : a + 1);
  if (a == std::string::npos || b == std::string::npos) return std::nullopt;
  Cursor c{text.substr(0, a), text.substr(a + 1, b - a - 1), 0};
  const std::string id = text.substr(b + 1);
  if (id.empty() || id.size() > 18 ||
      !std::all_of(id.begin(), id.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) || !parse_instant(c.at)) {
    return std::nullopt;
  }
  c.id = std::stoll(id);
  return c;
}

}  // namespace

Expected<json> account_timeline(db::Connection& c, const auth::Principal& p, std::int64_t account_id,
                                const std::optional<std::string>& before, int limit) {
  if (!p.can("activities.read")) return Error::forbidden();
  if (auto s = accounts::require_visible_account(c, p, account_id); !s) return s.error();
  std::optional<Cursor> cursor;
  if (before && !(cursor = parse_cursor(*before))) {
    return Error(Error::Code::bad_request, "invalid query parameters", {{"before", "is not a cursor of this list"}});
  }
  struct Item {
    std::string at;
    std::string kind;
    std::int64_t id;
    json body;
  };
  std::vector<Item> items;
  for (const auto& source : timeline_sources()) {
    std::string sql = source.sql;
    db::Params params{account_id};
    if (cursor) {
      const std::string kind = source.kind;
      // Order is (at, kind, id) descending: equal instants of a kind sorting
      // after the cursor's kind were on earlier pages.
      if (kind > cursor->kind) {
        sql += " AND " + source.at_column + " < ?";
        params.emplace_back(cursor->at);
      } else if (kind == cursor->kind) {
        sql += " AND (" + source.at_column + " < ? OR (" + source.at_column + " = ? AND " + source.id_column + " < ?))";
        params.emplace_back(cursor->at);
        params.emplace_back(cursor->at);
        params.emplace_back(cursor->id);
      } else {
        sql += " AND " + source.at_column + " <= ?";
        params.emplace_back(cursor->at);
      }
    }
    sql += " ORDER BY " + source.at_column + " DESC, " + source.id_column + " DESC LIMIT ?";
    params.emplace_back(static_cast<std::int64_t>(limit));
    const auto rows = c.query(sql, params);
    for (const auto& r : rows) {
      json body = {{"kind", source.kind},
                   {"id", r.integer("id")},
                   {"occurred_at", r.text("at")},
                   {"by_user_id", to_json(r.at("by_id"))},
                   {"by_name", to_json(r.at("by_name"))}};
      const std::string kind = source.kind;
      if (kind == "visit") {
        body["method"] = to_json(r.at("label"));
        body["key_points"] = to_json(r.at("text1"));
        body["customer_views"] = to_json(r.at("text2"));
      } else if (kind == "stage_change") {
        body["to_stage"] = to_json(r.at("label"));
        body["from_stage"] = to_json(r.at("text1"));
        body["reason"] = to_json(r.at("text2"));
      } else if (kind == "follow_up") {
        body["method"] = to_json(r.at("label"));
        body["customer_opinion"] = to_json(r.at("text1"));
        body["due_at"] = to_json(r.at("text2"));
      } else {
        body["contact_kind"] = to_json(r.at("label"));
        body["content"] = to_json(r.at("text1"));
        body["result"] = to_json(r.at("text2"));
      }
      items.push_back({r.text("at"), kind, r.integer("id"), std::move(body)});
    }
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.at != b.at) return a.at > b.at;
    if (a.kind != b.kind) return a.kind > b.kind;
    return a.id > b.id;
  });
  if (items.size() > static_cast<std::size_t>(limit)) items.resize(static_cast<std::size_t>(limit));
  json out = json::array();
  for (auto& item : items) out.push_back(std::move(item.body));
  json next = nullptr;
  if (items.size() == static_cast<std::size_t>(limit)) {
    const auto& last = items.back();
    next = last.at + "|" + last.kind + "|" + std::to_string(last.id);
  }
  return json{{"items", std::move(out)}, {"next", next}};
}

// ---- calendar feed ----

std::map<std::int64_t, std::int64_t> contact_touches(db::Connection& c, std::int64_t account_id,
                                                     const std::string& since,
                                                     const std::map<std::int64_t, std::string>& contacts) {
  std::map<std::int64_t, std::int64_t> touches;
  if (contacts.empty()) return touches;
  for (const auto& row :
       c.query("SELECT contact_id, count(*) FROM contact_logs WHERE account_id = ? AND contact_id IS NOT NULL AND "
               "deleted_at IS NULL AND occurred_at >= ? GROUP BY contact_id",
               {account_id, since})) {
    if (contacts.count(row.integer(0))) touches[row.integer(0)] += row.integer(1);
  }
  for (const auto& row : c.query(
           "SELECT customer_participants FROM visits WHERE account_id = ? AND deleted_at IS NULL AND occurred_at >= ? "
           "AND customer_participants IS NOT NULL",
           {account_id, since})) {
    const auto participants = row.text(0);
    for (const auto& [id, name] : contacts) {
      if (!name.empty() && participants.find(name) != std::string::npos) ++touches[id];
    }
  }
  return touches;
}

Expected<std::string> calendar_feed_token(db::Connection& c, const auth::Principal& p, bool rotate) {
  if (!p.can("activities.read")) return Error::forbidden();
  db::Transaction tx(c, true);
  const auto rows = c.query("SELECT token FROM calendar_feeds WHERE user_id = ?", {p.user_id});
  if (!rows.empty() && !rotate) return rows.front().text(0);
  const std::string token = auth::random_token();
  c.query("DELETE FROM calendar_feeds WHERE user_id = ?", {p.user_id});
  c.query("INSERT INTO calendar_feeds (user_id, token, created_at) VALUES (?, ?, ?)", {p.user_id, token, now_text()});
  auth::write_audit(c, p.user_id, "calendar_feed", p.user_id, rows.empty() ? "create" : "rotate", nullptr, nullptr);
  tx.commit();
  return token;
}

Status revoke_calendar_feed(db::Connection& c, const auth::Principal& p) {
  db::Transaction tx(c, true);
  const auto changed = c.query("DELETE FROM calendar_feeds WHERE user_id = ?", {p.user_id});
  if (changed.affected > 0) auth::write_audit(c, p.user_id, "calendar_feed", p.user_id, "delete", nullptr, nullptr);
  tx.commit();
  return ok_status();
}

Expected<std::string> calendar_feed(db::Connection& c, const std::string& token) {
  const auto users = c.query(
      "SELECT u.id, u.display_name FROM calendar_feeds f JOIN users u ON u.id = f.user_id "
      "WHERE f.token = ? AND u.active = 1",
      {token});
  if (users.empty()) return Error(Error::Code::unauthenticated, "the calendar feed token is unknown or revoked");
  const auto user_id = users.front().integer(0);
  // A window a calendar app needs: the last 60 days and everything ahead.
  const auto since = format_instant(now() - std::chrono::hours(24 * 60));
  std::vector<CalendarEntry> entries;
  for (const auto& r :
       c.query("SELECT p.id, p.planned_at, a.name, p.purpose, p.contacts_to_meet, p.materials FROM visit_plans p "
               "JOIN accounts a ON a.id = p.account_id WHERE p.owner_id = ? AND p.status = 'planned' "
               "AND p.planned_at >= ? AND p.deleted_at IS NULL ORDER BY p.planned_at LIMIT 2000",
               {user_id, since})) {
    std::string description;
    if (auto v = r.optional_text("purpose")) description += "目的: " + *v + "\n";
    if (auto v = r.optional_text("contacts_to_meet")) description += "拜访对象: " + *v + "\n";
    if (auto v = r.optional_text("materials")) description += "准备资料: " + *v;
    entries.push_back({.uid = "visit-plan-" + std::to_string(r.integer("id")) + "@kam",
                       .start = r.text("planned_at"),
                       .minutes = 60,
                       .summary = "拜访 " + r.text("name"),
                       .description = description});
  }
  for (const auto& r :
       c.query("SELECT t.id, t.title, t.due_at, t.notes FROM tasks t WHERE t.owner_id = ? AND t.status = 'open' "
               "AND t.deleted_at IS NULL ORDER BY t.due_at LIMIT 2000",
               {user_id})) {
    entries.push_back({.uid = "task-" + std::to_string(r.integer("id")) + "@kam",
                       .start = r.text("due_at"),
                       .minutes = 30,
                       .summary = "待办: " + r.text("title"),
                       .description = r.optional_text("notes").value_or("")});
  }
  return icalendar("KAM " + users.front().text(1), entries, now_text());
}

// ---- vCard ----

namespace {

std::string phone_uri(std::string phone) {
  std::string out;
  for (char ch : phone) {
    if ((ch >= '0' && ch <= '9') || ch == '+' || ch == '-') out += ch;
  }
  return out;
}

Card card_of(const json& contact) {
  return {.uid = "urn:kam:contact:" + std::to_string(contact["id"].get<std::int64_t>()),
          .name = text_or_empty(contact["name"]),
          .organization = text_or_empty(contact["account_name"]),
          .title = text_or_empty(contact.value("title", json())),
          .department = text_or_empty(contact.value("department", json())),
          .phone = phone_uri(text_or_empty(contact.value("phone", json()))),
          .email = text_or_empty(contact.value("email", json())),
          .note = text_or_empty(contact.value("notes", json()))};
}

}  // namespace

Expected<std::string> contact_vcard(db::Connection& c, const auth::Principal& p, std::int64_t contact_id) {
  auto contact = accounts::get_record(c, p, contacts::contact_table(), contact_id);
  if (!contact) return contact.error();
  return vcard(card_of(*contact));
}

Expected<std::string> contacts_vcards(db::Connection& c, const auth::Principal& p, const accounts::RecordQuery& q) {
  auto list = accounts::list_records(c, p, contacts::contact_table(), q);
  if (!list) return list.error();
  std::string out;
  for (const auto& contact : (*list)["items"]) out += vcard(card_of(contact));
  return out;
}

}  // namespace kam::activities
