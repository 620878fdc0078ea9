// The evidence records of an opportunity: samples (stage 2, with technical
// sign-off by someone other than the requester), plan steps (stage 3),
// touchpoints with contacts (stage 4) and closing records (stage 5). They
// follow the opportunity's scope; writes need opportunities.write and an open
// opportunity. Samples and plan steps are versioned, edited and soft-deleted;
// touchpoints and closing records are append-only notes.
#include "accounts/records.hpp"
#include "auth/audit.hpp"
#include "contacts/contacts.hpp"
#include "pipeline/internal.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/fields.hpp"

namespace kam::pipeline {

using accounts::Field;
using nlohmann::json;

namespace {

struct ChildKind {
  std::string table;
  std::string entity;
  std::vector<Field> fields;
  std::string columns = {};  // selected columns of t, and joins' columns
  std::string joins = {};
  bool editable = false;  // version, updated_at, deleted_at
};

const ChildKind* kind_of(const std::string& kind) {
  static const ChildKind samples{
      .table = "opportunity_samples",
      .entity = "opportunity_sample",
      .fields = {{.name = "specification", .max_length = 2000, .required = true},
                 {.name = "quantity", .kind = Field::Kind::integer, .min = 1, .required = true},
                 {.name = "requested_on", .kind = Field::Kind::date, .required = true},
                 {.name = "delivered_on", .kind = Field::Kind::date},
                 {.name = "note", .max_length = 2000}},
      .columns =
          "t.id, t.opportunity_id, t.specification, t.quantity, t.requested_on, t.delivered_on, "
          "t.requested_by, ur.display_name AS requested_by_name, t.result, t.signed_off_by, "
          "us.display_name AS signed_off_by_name, t.signed_off_at, t.note, t.version, t.created_at, "
          "t.updated_at",
      .joins = " LEFT JOIN users ur ON ur.id = t.requested_by LEFT JOIN users us ON us.id = t.signed_off_by",
      .editable = true};
  static const ChildKind plan_steps{
      .table = "opportunity_plan_steps",
      .entity = "opportunity_plan_step",
      .fields = {{.name = "title", .max_length = 500, .required = true},
                 {.name = "owner_id", .kind = Field::Kind::id},
                 {.name = "due_date", .kind = Field::Kind::date},
                 {.name = "done", .kind = Field::Kind::integer, .min = 0, .max = 1, .not_null = true}},
      .columns =
          "t.id, t.opportunity_id, t.title, t.owner_id, uo.display_name AS owner_name, t.due_date, t.done, "
          "t.version, t.created_at, t.updated_at",
      .joins = " LEFT JOIN users uo ON uo.id = t.owner_id",
      .editable = true};
  static const ChildKind touchpoints{
      .table = "opportunity_touchpoints",
      .entity = "opportunity_touchpoint",
      .fields = {{.name = "contact_id", .kind = Field::Kind::id, .required = true},
                 {.name = "touched_on", .kind = Field::Kind::date, .required = true},
                 {.name = "summary", .max_length = 2000, .required = true}},
      .columns =
          "t.id, t.opportunity_id, t.contact_id, ct.name AS contact_name, t.touched_on, t.summary, "
          "t.created_by, uc.display_name AS created_by_name, t.created_at",
      .joins = " LEFT JOIN contacts ct ON ct.id = t.contact_id LEFT JOIN users uc ON uc.id = t.created_by"};
  static const ChildKind closing_records{
      .table = "opportunity_closing_records",
      .entity = "opportunity_closing_record",
      .fields = {{.name = "kind",
                  .kind = Field::Kind::choice,
                  .choices = {"executive_meeting", "site_inspection", "factory_audit", "system_support"},
                  .required = true},
                 {.name = "held_on", .kind = Field::Kind::date, .required = true},
                 {.name = "summary", .max_length = 2000, .required = true}},
      .columns =
          "t.id, t.opportunity_id, t.kind, t.held_on, t.summary, t.created_by, uc.display_name AS "
          "created_by_name, t.created_at",
      .joins = " LEFT JOIN users uc ON uc.id = t.created_by"};
  if (kind == "samples") return &samples;
  if (kind == "plan_steps") return &plan_steps;
  if (kind == "touchpoints") return &touchpoints;
  if (kind == "closing_records") return &closing_records;
  return nullptr;
}

json shaped(json row) {
  if (row.contains("done")) row["done"] = row["done"] == 1;
  return row;
}

std::optional<json> load_child(db::Connection& c, const ChildKind& k, std::int64_t id) {
  const auto rows = c.query("SELECT " + k.columns + " FROM " + k.table + " t" + k.joins + " WHERE t.id = ?" +
                                (k.editable ? " AND t.deleted_at IS NULL" : ""),
                            {id});
  if (rows.empty()) return std::nullopt;
  return shaped(accounts::row_json(rows, 0));
}

// A body's `done` may be a boolean; the Field reads 0/1.
json normalised(json body) {
  if (body.is_object() && body.contains("done") && body["done"].is_boolean())
    body["done"] = body["done"].get<bool>() ? 1 : 0;
  return body;
}

// The checks a child's values need beyond their fields: the plan step owner
// exists, the touchpoint's contact belongs to the opportunity's account.
Status check_references(db::Connection& c, const auth::Principal& p, const json& opportunity,
                        const accounts::Values& values) {
  if (const auto* owner = accounts::find_value(values, "owner_id");
      owner && std::holds_alternative<std::int64_t>(*owner)) {
    if (c.query("SELECT 1 FROM users WHERE id = ?", {std::get<std::int64_t>(*owner)}).empty()) {
      return Error::invalid({{"owner_id", "no such user"}});
    }
  }
  if (const auto* contact = accounts::find_value(values, "contact_id");
      contact && std::holds_alternative<std::int64_t>(*contact)) {
    auto record = accounts::get_record(c, p, contacts::contact_table(), std::get<std::int64_t>(*contact));
    if (!record || (*record)["account_id"] != opportunity["account_id"]) {
      return Error::invalid({{"contact_id", "no such contact of the opportunity's account"}});
    }
  }
  return ok_status();
}

// The opportunity a child belongs to, if p may see it.
std::optional<json> parent_of(db::Connection& c, const auth::Principal& p, const ChildKind& k, std::int64_t id) {
  const auto rows = c.query("SELECT opportunity_id FROM " + k.table + " WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return visible_opportunity(c, p, rows.front().integer(0));
}

Error not_open(const json& o) {
  return Error::invalid({{"status", "the opportunity is " + o["status"].get<std::string>() + ", not open"}});
}

}  // namespace

bool child_visible(db::Connection& c, const auth::Principal& p, const std::string& kind, std::int64_t id) {
  const auto* k = kind_of(kind);
  if (k == nullptr || !p.can("opportunities.read")) return false;
  return parent_of(c, p, *k, id).has_value();
}

Expected<json> list_children(db::Connection& c, const auth::Principal& p, const std::string& kind,
                             std::int64_t opportunity_id) {
  const auto* k = kind_of(kind);
  if (k == nullptr) return Error::not_found("resource");
  if (!p.can("opportunities.read")) return Error::forbidden();
  if (!visible_opportunity(c, p, opportunity_id)) return Error::not_found("opportunity");
  const auto rows =
      c.query("SELECT " + k->columns + " FROM " + k->table + " t" + k->joins + " WHERE t.opportunity_id = ?" +
                  (k->editable ? " AND t.deleted_at IS NULL" : "") + " ORDER BY t.id",
              {opportunity_id});
  json items = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) items.push_back(shaped(accounts::row_json(rows, i)));
  const auto count = items.size();
  return json{{"items", std::move(items)}, {"total", count}};
}

Expected<json> create_child(db::Connection& c, const auth::Principal& p, const std::string& kind,
                            std::int64_t opportunity_id, const json& body) {
  const auto* k = kind_of(kind);
  if (k == nullptr) return Error::not_found("resource");
  if (!p.can("opportunities.write")) {
    if (p.can("opportunities.read") && visible_opportunity(c, p, opportunity_id)) return Error::forbidden();
    return Error::not_found("opportunity");
  }
  auto values = accounts::read_fields(normalised(body), k->fields, true);
  if (!values) return values.error();
  db::Transaction tx(c, true);
  auto o = visible_opportunity(c, p, opportunity_id);
  if (!o) return Error::not_found("opportunity");
  if ((*o)["status"] != "open") return not_open(*o);
  if (auto s = check_references(c, p, *o, *values); !s) return s.error();
  const auto now = now_text();
  std::string columns = "opportunity_id, ", placeholders = "?, ";
  db::Params params{opportunity_id};
  for (const auto& [column, value] : *values) {
    columns += column + ", ";
    placeholders += "?, ";
    params.push_back(value);
  }
  if (kind == "samples") {
    columns += "requested_by, ";
  } else if (kind == "plan_steps") {
    if (!accounts::find_value(*values, "owner_id")) {
      columns += "owner_id, ";  // the opportunity's owner unless another is named
      placeholders += "?, ";
      params.push_back((*o)["owner_id"].is_null() ? db::Value(nullptr)
                                                  : db::Value((*o)["owner_id"].get<std::int64_t>()));
    }
  } else {
    columns += "created_by, ";
  }
  if (kind == "samples" || kind == "touchpoints" || kind == "closing_records") {
    placeholders += "?, ";
    params.emplace_back(p.user_id);
  }
  std::string time_columns = k->editable ? "created_at, updated_at" : "created_at";
  std::string time_values = k->editable ? "?, ?" : "?";
  params.emplace_back(now);
  if (k->editable) params.emplace_back(now);
  const auto id = c.query("INSERT INTO " + k->table + " (" + columns + time_columns + ") VALUES (" + placeholders +
                              time_values + ") RETURNING id",
                          params)
                      .front()
                      .integer(0);
  json created = *load_child(c, *k, id);
  auth::write_audit(c, p.user_id, k->entity, id, "create", nullptr, created);
  tx.commit();
  return created;
}

Expected<json> update_child(db::Connection& c, const auth::Principal& p, const std::string& kind, std::int64_t id,
                            std::int64_t version, const json& body) {
  const auto* k = kind_of(kind);
  if (k == nullptr || !k->editable) return Error::not_found("resource");
  if (!p.can("opportunities.write")) {
    if (p.can("opportunities.read") && parent_of(c, p, *k, id)) return Error::forbidden();
    return Error::not_found(k->entity);
  }
  auto values = accounts::read_fields(normalised(body), k->fields, false);
  if (!values) return values.error();
  db::Transaction tx(c, true);
  auto o = parent_of(c, p, *k, id);
  auto before = o ? load_child(c, *k, id) : std::nullopt;
  if (!before) return Error::not_found(k->entity);
  if ((*o)["status"] != "open") return not_open(*o);
  if ((*before)["version"].get<std::int64_t>() != version) {
    return Error::conflict("the record was changed by someone else; reload and try again");
  }
  if (auto s = check_references(c, p, *o, *values); !s) return s.error();
  std::string assignments;
  db::Params params;
  for (const auto& [column, value] : *values) {
    assignments += column + " = ?, ";
    params.push_back(value);
  }
  // A sample whose specification or quantity changes needs a new sign-off.
  if (kind == "samples" &&
      (accounts::find_value(*values, "specification") || accounts::find_value(*values, "quantity"))) {
    assignments += "result = 'pending', signed_off_by = NULL, signed_off_at = NULL, ";
  }
  params.emplace_back(now_text());
  params.emplace_back(id);
  params.emplace_back(version);
  if (c.query("UPDATE " + k->table + " SET " + assignments +
                  "version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL",
              params)
          .affected != 1) {
    return Error::conflict("the record was changed by someone else; reload and try again");
  }
  json after = *load_child(c, *k, id);
  auth::write_audit(c, p.user_id, k->entity, id, "update", *before, after);
  tx.commit();
  return after;
}

Status delete_child(db::Connection& c, const auth::Principal& p, const std::string& kind, std::int64_t id) {
  const auto* k = kind_of(kind);
  if (k == nullptr || !k->editable) return Error::not_found("resource");
  if (!p.can("opportunities.write")) {
    if (p.can("opportunities.read") && parent_of(c, p, *k, id)) return Error::forbidden();
    return Error::not_found(k->entity);
  }
  db::Transaction tx(c, true);
  auto o = parent_of(c, p, *k, id);
  auto before = o ? load_child(c, *k, id) : std::nullopt;
  if (!before) return Error::not_found(k->entity);
  if ((*o)["status"] != "open") return not_open(*o);
  const auto now = now_text();
  c.query("UPDATE " + k->table + " SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
          {now, now, id});
  auth::write_audit(c, p.user_id, k->entity, id, "delete", *before, nullptr);
  tx.commit();
  return ok_status();
}

Expected<json> sign_off_sample(db::Connection& c, const auth::Principal& p, std::int64_t id, const json& body) {
  const auto* k = kind_of("samples");
  if (!p.can("opportunities.write")) {
    if (p.can("opportunities.read") && parent_of(c, p, *k, id)) return Error::forbidden();
    return Error::not_found(k->entity);
  }
  std::string result;
  if (body.contains("result") && body["result"].is_string()) result = body["result"].get<std::string>();
  if (result != "passed" && result != "failed") return Error::invalid({{"result", "must be passed or failed"}});
  db::Transaction tx(c, true);
  auto o = parent_of(c, p, *k, id);
  auto before = o ? load_child(c, *k, id) : std::nullopt;
  if (!before) return Error::not_found(k->entity);
  if ((*o)["status"] != "open") return not_open(*o);
  // Technical sign-off is a second pair of eyes: never the requester's own.
  if ((*before)["requested_by"] == p.user_id) {
    return Error::invalid({{"signed_off_by", "the requester of a sample cannot sign it off"}});
  }
  const auto now = now_text();
  c.query(
      "UPDATE opportunity_samples SET result = ?, signed_off_by = ?, signed_off_at = ?, version = version + 1, "
      "updated_at = ? WHERE id = ?",
      {result, p.user_id, now, now, id});
  json after = *load_child(c, *k, id);
  auth::write_audit(c, p.user_id, k->entity, id, "sign_off", *before, after);
  tx.commit();
  return after;
}

}  // namespace kam::pipeline
