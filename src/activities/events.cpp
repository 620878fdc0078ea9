// Events and their invitations (see events.hpp).
#include "activities/events.hpp"

#include <algorithm>

#include "accounts/accounts.hpp"
#include "accounts/records.hpp"
#include "activities/activities.hpp"
#include "auth/audit.hpp"
#include "auth/scope.hpp"
#include "pipeline/pipeline.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/text.hpp"

namespace kam::activities {

using nlohmann::json;

namespace {

const std::string kEventSelect =
    "SELECT e.id, e.topic, e.kind, e.starts_at, e.place, e.description, e.owner_id, u.display_name AS owner_name, "
    "e.department_id, e.version, e.created_at, e.updated_at, "
    "(SELECT count(*) FROM event_invitations i WHERE i.event_id = e.id) AS invited, "
    "(SELECT count(*) FROM event_invitations i WHERE i.event_id = e.id AND i.status = 'attended') AS attended "
    "FROM events e LEFT JOIN users u ON u.id = e.owner_id";

const std::string kInvitationSelect =
    "SELECT i.id, i.event_id, i.contact_id, ct.name AS contact_name, ct.title AS contact_title, i.account_id, "
    "a.name AS account_name, i.status, i.lead_note, i.lead_opportunity_id, i.version, i.created_at, i.updated_at, "
    "(SELECT min(t.id) FROM tasks t WHERE t.entity = 'event_invitation' AND t.entity_id = i.id "
    "AND t.deleted_at IS NULL) AS lead_task_id "
    "FROM event_invitations i JOIN contacts ct ON ct.id = i.contact_id JOIN accounts a ON a.id = i.account_id";

const std::vector<std::string> kStatuses = {"invited", "accepted", "declined", "attended", "absent"};

std::optional<json> load_event(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  const auto rows = c.query(kEventSelect + " WHERE e.id = ? AND e.deleted_at IS NULL", {id});
  if (rows.empty() ||
      !auth::can_see(p, rows.front().integer("owner_id"), rows.front().optional_integer("department_id"))) {
    return std::nullopt;
  }
  json e = accounts::row_json(rows, 0);
  e["invited"] = rows.front().integer("invited");
  e["attended"] = rows.front().integer("attended");
  return e;
}

struct EventInput {
  TextChange topic, kind, starts_at, place, description;
};

Expected<EventInput> read_event(const json& body, bool creating) {
  FieldReader r(body);
  EventInput in;
  in.topic = r.text("topic", 200, creating || body.contains("topic"));
  in.kind = r.text("kind", 20, body.contains("kind"));
  in.starts_at = r.text("starts_at", 40, creating || body.contains("starts_at"));
  in.place = r.text("place", 200);
  in.description = r.text("description", 4000);
  if (in.kind.value && *in.kind.value != "presentation" && *in.kind.value != "seminar") {
    r.fail("kind", "must be presentation or seminar");
  }
  if (in.starts_at.value) {
    if (auto t = parse_instant(*in.starts_at.value))
      in.starts_at.value = format_instant(*t);
    else
      r.fail("starts_at", "must be an ISO instant");
  }
  if (!r.ok()) return r.error();
  return in;
}

db::Value opt(const std::optional<std::string>& v) {
  return v ? db::Value(*v) : db::Value(nullptr);
}

Error refuse(db::Connection& c, const auth::Principal& p, std::int64_t event_id) {
  if (p.can("activities.read") && load_event(c, p, event_id)) return Error::forbidden();
  return Error::not_found("event");
}

std::optional<json> load_invitation(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  const auto rows = c.query(kInvitationSelect + " WHERE i.id = ?", {id});
  if (rows.empty() || !load_event(c, p, rows.front().integer("event_id"))) return std::nullopt;
  return accounts::row_json(rows, 0);
}

}  // namespace

Expected<json> list_events(db::Connection& c, const auth::Principal& p, int limit, int offset) {
  if (!p.can("activities.read")) return Error::forbidden();
  const auto scope = auth::scope_clause(p, "e");
  db::Params params = scope.params;
  const std::string where = " WHERE e.deleted_at IS NULL AND " + scope.sql;
  const auto total = c.query("SELECT count(*) FROM events e" + where, params).front().integer(0);
  params.emplace_back(static_cast<std::int64_t>(limit));
  params.emplace_back(static_cast<std::int64_t>(offset));
  const auto rows = c.query(kEventSelect + where + " ORDER BY e.starts_at DESC, e.id DESC LIMIT ? OFFSET ?", params);
  json items = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    items.push_back(accounts::row_json(rows, i));
    items.back()["invited"] = rows[i].integer("invited");
    items.back()["attended"] = rows[i].integer("attended");
  }
  return json{{"items", std::move(items)}, {"total", total}};
}

Expected<json> get_event(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("activities.read")) return Error::forbidden();
  auto e = load_event(c, p, id);
  if (!e) return Error::not_found("event");
  return *e;
}

Expected<json> create_event(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("activities.write")) return Error::forbidden();
  auto in = read_event(body, true);
  if (!in) return in.error();
  db::Transaction tx(c, true);
  const auto now = now_text();
  const auto id = c.query(
                       "INSERT INTO events (owner_id, department_id, topic, kind, starts_at, place, description, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       {p.user_id, p.department_id ? db::Value(*p.department_id) : db::Value(nullptr), *in->topic.value,
                        in->kind.value.value_or("presentation"), *in->starts_at.value, opt(in->place.value),
                        opt(in->description.value), now, now})
                      .front()
                      .integer(0);
  auto created = load_event(c, p, id);
  auth::write_audit(c, p.user_id, "event", id, "create", nullptr, *created);
  tx.commit();
  return *created;
}

Expected<json> update_event(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                            const json& body) {
  if (!p.can("activities.write")) return refuse(c, p, id);
  auto in = read_event(body, false);
  if (!in) return in.error();
  db::Transaction tx(c, true);
  auto before = load_event(c, p, id);
  if (!before) return Error::not_found("event");
  std::string set;
  db::Params params;
  auto assign = [&](const char* column, const TextChange& change) {
    if (!change.present) return;
    set += std::string(column) + " = ?, ";
    params.push_back(opt(change.value));
  };
  assign("topic", in->topic);
  assign("kind", in->kind);
  assign("starts_at", in->starts_at);
  assign("place", in->place);
  assign("description", in->description);
  params.emplace_back(now_text());
  params.emplace_back(id);
  params.emplace_back(version);
  if (c.query("UPDATE events SET " + set + "version = version + 1, updated_at = ? WHERE id = ? AND version = ?", params)
          .affected != 1) {
    return Error::conflict("the event was changed by someone else; reload and try again");
  }
  auto after = load_event(c, p, id);
  auth::write_audit(c, p.user_id, "event", id, "update", *before, *after);
  tx.commit();
  return *after;
}

Status delete_event(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("activities.write")) return refuse(c, p, id);
  db::Transaction tx(c, true);
  auto before = load_event(c, p, id);
  if (!before) return Error::not_found("event");
  const auto now = now_text();
  c.query("UPDATE events SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?", {now, now, id});
  auth::write_audit(c, p.user_id, "event", id, "delete", *before, nullptr);
  tx.commit();
  return ok_status();
}

Expected<json> list_invitations(db::Connection& c, const auth::Principal& p, std::int64_t event_id) {
  if (!p.can("activities.read")) return Error::forbidden();
  if (!load_event(c, p, event_id)) return Error::not_found("event");
  // The organiser sees every invitation of the event: the guest list is the event's.
  const auto rows = c.query(kInvitationSelect + " WHERE i.event_id = ? ORDER BY i.id", {event_id});
  json items = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) items.push_back(accounts::row_json(rows, i));
  const auto count = items.size();
  return json{{"items", std::move(items)}, {"total", count}};
}

Expected<json> invite(db::Connection& c, const auth::Principal& p, std::int64_t event_id, const json& body) {
  if (!p.can("activities.write")) return refuse(c, p, event_id);
  if (!load_event(c, p, event_id)) return Error::not_found("event");
  FieldReader r(body);
  const auto contact = r.integer("contact_id", true, 1);
  if (!r.ok()) return r.error();
  const auto rows = c.query("SELECT account_id FROM contacts WHERE id = ? AND deleted_at IS NULL", {*contact});
  if (rows.empty() || !accounts::account_visible(c, p, rows.front().integer(0))) {
    return Error::invalid({{"contact_id", "no such contact"}});
  }
  db::Transaction tx(c, true);
  const auto now = now_text();
  std::int64_t id = 0;
  try {
    id = c.query(
              "INSERT INTO event_invitations (event_id, contact_id, account_id, status, created_at, updated_at) "
              "VALUES (?, ?, ?, 'invited', ?, ?) RETURNING id",
              {event_id, *contact, rows.front().integer(0), now, now})
             .front()
             .integer(0);
  } catch (const db::DbError& e) {
    if (e.kind() != db::DbError::Kind::unique_violation) throw;
    return Error::conflict("the contact is already invited");
  }
  auto created = load_invitation(c, p, id);
  auth::write_audit(c, p.user_id, "event_invitation", id, "create", nullptr, *created);
  tx.commit();
  return *created;
}

Expected<json> update_invitation(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                                 const json& body) {
  if (!p.can("activities.write")) {
    if (p.can("activities.read") && load_invitation(c, p, id)) return Error::forbidden();
    return Error::not_found("invitation");
  }
  FieldReader r(body);
  const auto status = r.text("status", 20, body.contains("status"));
  const auto note = r.text("lead_note", 2000);
  if (status.value && std::find(kStatuses.begin(), kStatuses.end(), *status.value) == kStatuses.end()) {
    r.fail("status", "must be one of invited, accepted, declined, attended, absent");
  }
  if (!r.ok()) return r.error();
  db::Transaction tx(c, true);
  auto before = load_invitation(c, p, id);
  if (!before) return Error::not_found("invitation");
  const auto changed = c.query(
      "UPDATE event_invitations SET status = coalesce(?, status), lead_note = CASE WHEN ? = 1 THEN ? ELSE lead_note "
      "END, "
      "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
      {opt(status.value), std::int64_t{note.present}, opt(note.value), now_text(), id, version});
  if (changed.affected != 1) return Error::conflict("the invitation was changed by someone else; reload and try again");
  auto after = load_invitation(c, p, id);
  auth::write_audit(c, p.user_id, "event_invitation", id, "update", *before, *after);
  tx.commit();
  return *after;
}

Expected<json> raise_lead(db::Connection& c, const auth::Principal& p, std::int64_t invitation_id, const json& body) {
  if (!p.can("activities.write")) {
    if (p.can("activities.read") && load_invitation(c, p, invitation_id)) return Error::forbidden();
    return Error::not_found("invitation");
  }
  FieldReader r(body);
  const auto note = r.text("note", 2000, true);
  const auto opportunity_name = r.text("opportunity_name", 200, false);
  const auto expected_value = r.integer("expected_value_fen", false, 0);
  if (!r.ok()) return r.error();
  db::Transaction tx(c, true);
  auto inv = load_invitation(c, p, invitation_id);
  if (!inv) return Error::not_found("invitation");
  if ((*inv)["status"] != "attended") return Error::invalid({{"status", "only an attendee becomes a lead"}});
  if (!(*inv)["lead_task_id"].is_null()) return Error::conflict("a lead was already raised from this attendee");
  const auto now = now_text();
  const auto due = format_instant(kam::now() + std::chrono::hours(24 * follow_up_days(c)));
  const std::string title =
      "活动线索：" + (*inv)["account_name"].get<std::string>() + " " + (*inv)["contact_name"].get<std::string>();
  const auto task = c.query(
                         "INSERT INTO tasks (title, kind, owner_id, department_id, due_at, urgent, important, status, "
                         "entity, entity_id, account_id, notes, created_by, created_at, updated_at) VALUES (?, "
                         "'event_lead', ?, ?, ?, 0, 1, 'open', 'event_invitation', ?, ?, ?, ?, ?, ?) RETURNING id",
                         {title, p.user_id, p.department_id ? db::Value(*p.department_id) : db::Value(nullptr), due,
                          invitation_id, (*inv)["account_id"].get<std::int64_t>(), *note.value, p.user_id, now, now})
                        .front()
                        .integer(0);
  // The lead as an opportunity (stage 1, owned by the caller) when the caller
  // may open one; otherwise the task alone carries it.
  db::Value opportunity_id = nullptr;
  if (p.can("opportunities.write")) {
    const auto event = load_event(c, p, (*inv)["event_id"].get<std::int64_t>());
    const std::string topic = event ? (*event)["topic"].get<std::string>() : std::string();
    std::string name = opportunity_name.value
                           ? *opportunity_name.value
                           : "活动线索：" + topic + " · " + (*inv)["contact_name"].get<std::string>();
    if (text::length(name) > 200) {  // a long topic: keep the opportunity name within its limit
      std::string cut;
      const auto points = text::code_points(name);
      for (std::size_t i = 0; i < 200; ++i) cut += points[i];
      name = cut;
    }
    json opportunity = {{"account_id", (*inv)["account_id"]}, {"name", name}};
    if (expected_value) opportunity["expected_value_fen"] = *expected_value;
    auto created = pipeline::create_opportunity_in_transaction(c, p, opportunity);
    if (!created) return created.error();
    opportunity_id = (*created)["id"].get<std::int64_t>();
  }
  c.query(
      "UPDATE event_invitations SET lead_note = ?, lead_opportunity_id = ?, version = version + 1, updated_at = ? "
      "WHERE id = ?",
      {*note.value, opportunity_id, now, invitation_id});
  auth::write_audit(c, p.user_id, "task", task, "create", nullptr,
                    {{"kind", "event_lead"}, {"entity", "event_invitation"}, {"entity_id", invitation_id}});
  auto after = load_invitation(c, p, invitation_id);
  tx.commit();
  return *after;
}

}  // namespace kam::activities
