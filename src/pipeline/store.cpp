// Opportunities: scoped, audited SQL for both back ends; the evidence loader,
// advancing through the gates, go/no-go, closing, the stage history and the
// configuration tables (gate items, lost reasons, stalled thresholds).
#include <algorithm>
#include <set>

#include "accounts/accounts.hpp"
#include "accounts/records.hpp"
#include "activities/activities.hpp"
#include "auth/audit.hpp"
#include "auth/scope.hpp"
#include "contacts/contacts.hpp"
#include "pipeline/internal.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/fields.hpp"
#include "platform/http/router.hpp"

namespace kam::pipeline {

using accounts::Field;
using nlohmann::json;

namespace {

const std::vector<Field>& opportunity_fields() {
  static const std::vector<Field> fields = {
      {.name = "account_id", .kind = Field::Kind::id, .required = true, .on_create_only = true},
      {.name = "name", .max_length = 200, .required = true},
      {.name = "expected_value_fen", .kind = Field::Kind::integer, .min = 0, .not_null = true},
      {.name = "expected_close_date", .kind = Field::Kind::date},
      {.name = "win_probability", .kind = Field::Kind::integer, .min = 0, .max = 100},
      {.name = "customer_business_age", .max_length = 500},
      {.name = "customer_scale", .max_length = 500},
      {.name = "customer_status", .max_length = 2000},
      {.name = "potential_need", .max_length = 2000},
      {.name = "need_urgency", .kind = Field::Kind::choice, .choices = {"high", "medium", "low"}},
      {.name = "supplier_structure", .max_length = 2000},
      {.name = "supplier_problems", .max_length = 2000},
      {.name = "requirements", .max_length = 4000},
      {.name = "expected_cost_fen", .kind = Field::Kind::integer, .min = 0},
  };
  return fields;
}

// Lists of short texts (product_lines, obstacles): at most 50 items of 1..200
// characters each, trimmed, blank items dropped.
std::optional<std::vector<std::string>> read_text_list(const json& body, const std::string& name, FieldReader& reader,
                                                       bool forbid_comma) {
  if (!body.contains(name)) return std::nullopt;
  const json& value = body.at(name);
  std::vector<std::string> out;
  if (value.is_null()) return out;
  if (!value.is_array() || value.size() > 50) {
    reader.fail(name, "must be a list of at most 50 texts");
    return std::nullopt;
  }
  for (const auto& item : value) {
    if (!item.is_string()) {
      reader.fail(name, "must be a list of texts");
      return std::nullopt;
    }
    auto text = item.get<std::string>();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) continue;
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    if (text.size() > 600 || (forbid_comma && text.find(',') != std::string::npos)) {
      reader.fail(name, forbid_comma ? "items must be short and contain no comma" : "items must be short");
      return std::nullopt;
    }
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
  }
  return out;
}

// Validated body → the columns to write.
Expected<accounts::Values> read_opportunity(const json& body, bool creating) {
  FieldReader reader(body);
  auto values = accounts::read_fields(body, opportunity_fields(), creating);
  if (auto lines = read_text_list(body, "product_lines", reader, true)) {
    std::string joined = ",";
    for (const auto& line : *lines) joined += line + ",";
    if (values) values->emplace_back("product_lines", lines->empty() ? std::string() : joined);
  }
  if (auto obstacles = read_text_list(body, "obstacles", reader, false)) {
    if (values) values->emplace_back("obstacles", json(*obstacles).dump());
  }
  if (!values || !reader.ok()) {
    std::vector<FieldError> errors = values ? std::vector<FieldError>{} : values.error().fields();
    if (!reader.ok()) {
      const auto more = reader.error().fields();
      errors.insert(errors.end(), more.begin(), more.end());
    }
    return Error::invalid(errors);
  }
  return *values;
}

}  // namespace

const char* const kOpportunitySelect =
    "SELECT o.id, o.account_id, a.name AS account_name, o.name, o.product_lines, o.expected_value_fen, "
    "o.expected_close_date, o.stage, o.status, o.stage_entered_at, o.win_probability, o.owner_id, "
    "u.display_name AS owner_name, o.department_id, o.customer_business_age, o.customer_scale, o.customer_status, "
    "o.potential_need, o.need_urgency, o.supplier_structure, o.supplier_problems, o.go_decision, o.go_reason, "
    "o.requirements, o.obstacles, o.expected_cost_fen, o.won_value_fen, o.won_date, o.lost_reason_code, "
    "o.close_note, o.closed_at, o.version, o.created_at, o.updated_at "
    "FROM opportunities o JOIN accounts a ON a.id = o.account_id LEFT JOIN users u ON u.id = o.owner_id ";

namespace {
const char* const kSelect = kOpportunitySelect;
// What a board card shows (list view=card).
const char* const kCardSelect =
    "SELECT o.id, o.account_id, a.name AS account_name, o.name, o.product_lines, o.expected_value_fen, "
    "o.expected_close_date, o.stage, o.status, o.stage_entered_at, o.win_probability, o.owner_id, "
    "u.display_name AS owner_name, o.department_id, o.version, o.updated_at "
    "FROM opportunities o JOIN accounts a ON a.id = o.account_id LEFT JOIN users u ON u.id = o.owner_id ";

std::optional<json> load(db::Connection& c, std::int64_t id) {
  const auto rows = c.query(std::string(kSelect) + "WHERE o.id = ? AND o.deleted_at IS NULL", {id});
  if (rows.empty()) return std::nullopt;
  return accounts::row_json(rows, 0);
}

std::optional<json> load_visible(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  auto record = load(c, id);
  if (!record) return std::nullopt;
  const auto owner =
      (*record)["owner_id"].is_null() ? std::nullopt : std::optional((*record)["owner_id"].get<std::int64_t>());
  const auto dept = (*record)["department_id"].is_null()
                        ? std::nullopt
                        : std::optional((*record)["department_id"].get<std::int64_t>());
  if (!auth::can_see(p, owner, dept)) return std::nullopt;
  return record;
}

std::optional<std::int64_t> owner_of(const json& record) {
  const auto& owner = record["owner_id"];
  return owner.is_null() ? std::nullopt : std::optional(owner.get<std::int64_t>());
}

Error stale() {
  return Error::conflict("the opportunity was changed by someone else; reload and try again");
}

Error not_open(const json& record) {
  return Error::invalid({{"status", "the opportunity is " + record["status"].get<std::string>() + ", not open"}});
}

// Ends the open stage-history row of an opportunity.
// The stay's length in whole seconds is kept for the funnel's median.
void exit_stage(db::Connection& c, std::int64_t id, std::int64_t user_id, const std::string& now) {
  const auto left = epoch_seconds(now);
  for (const auto& row :
       c.query("SELECT id, entered_at FROM opportunity_stage_history WHERE opportunity_id = ? AND exited_at IS NULL",
               {id})) {
    const auto entered = epoch_seconds(row.text(1));
    c.query("UPDATE opportunity_stage_history SET exited_at = ?, exited_by = ?, duration_seconds = ? WHERE id = ?",
            {now, user_id, left && entered ? db::Value(*left - *entered) : db::Value(nullptr), row.integer(0)});
  }
}

// Opens the history row of `stage`, with the opportunity's owner and department.
void enter_stage(db::Connection& c, std::int64_t id, std::int64_t stage, std::int64_t user_id, const std::string& now,
                 const std::optional<std::string>& override_reason) {
  c.query(
      "INSERT INTO opportunity_stage_history (opportunity_id, stage, entered_at, entered_by, override, "
      "override_reason, owner_id, department_id) SELECT id, ?, ?, ?, ?, ?, owner_id, department_id FROM "
      "opportunities WHERE id = ?",
      {stage, now, user_id, static_cast<std::int64_t>(override_reason.has_value()),
       override_reason ? db::Value(*override_reason) : db::Value(nullptr), id});
}

std::string reason_of(const json& body) {
  if (body.contains("override_reason") && body["override_reason"].is_string()) {
    return body["override_reason"].get<std::string>();
  }
  return {};
}

Error gate_not_met(int stage, const std::vector<Unmet>& unmet) {
  std::vector<FieldError> errors;
  for (const auto& u : unmet) errors.push_back({u.code, u.label_en + " (" + u.detail + ")"});
  return {Error::Code::invalid, "the gate of stage " + std::to_string(stage) + " is not met", errors};
}

}  // namespace

// ---- shared with the other files of the module (internal.hpp) ----

Thresholds load_thresholds(db::Connection& c) {
  Thresholds t{};
  for (auto& days : t.days) days = 30;
  for (const auto& row : c.query("SELECT stage, stalled_days FROM pipeline_stage_settings")) {
    const auto stage = row.integer(0);
    if (stage >= 1 && stage <= kStages) t.days[static_cast<std::size_t>(stage - 1)] = row.integer(1);
  }
  return t;
}

std::string stalled_cutoff(const Thresholds& t, int stage, std::int64_t as_of) {
  // Whole seconds: an entry stamped within the cutoff's second (any
  // milliseconds) sorts before the next second, so it counts as reached.
  return iso_of_epoch(as_of - t.days[static_cast<std::size_t>(stage - 1)] * 86400 + 1);
}

json present(json record, const Thresholds& t, std::int64_t now) {
  std::vector<std::string> lines;
  const auto joined = record["product_lines"].is_string() ? record["product_lines"].get<std::string>() : "";
  for (std::size_t start = 1; start < joined.size();) {
    const auto end = joined.find(',', start);
    if (end == std::string::npos) break;
    if (end > start) lines.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  record["product_lines"] = lines;
  if (record.contains("obstacles")) {  // not on a card
    const auto obstacles = record["obstacles"].is_string()
                               ? json::parse(record["obstacles"].get<std::string>(), nullptr, false)
                               : json::array();
    record["obstacles"] = obstacles.is_array() ? obstacles : json::array();
  }
  const auto stage = static_cast<int>(record["stage"].get<std::int64_t>());
  const auto entered = record["stage_entered_at"].get<std::string>();
  const auto entered_s = epoch_seconds(entered).value_or(now);
  record["days_in_stage"] = (now - entered_s) / 86400;
  record["stalled"] =
      record["status"] == "open" && stage >= 1 && stage <= kStages && entered < stalled_cutoff(t, stage, now);
  if (!record["win_probability"].is_null()) {
    record["weighted_value_fen"] =
        weighted_fen(record["expected_value_fen"].get<std::int64_t>(), record["win_probability"].get<std::int64_t>());
  } else {
    record["weighted_value_fen"] = 0;
  }
  return record;
}

std::int64_t now_seconds() {
  return epoch_seconds(now_text()).value_or(0);
}

std::optional<json> visible_opportunity(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  return load_visible(c, p, id);
}

Expected<InsightFilter> read_filter(const std::map<std::string, std::string>& query,
                                    const std::vector<std::string>& extra_keys) {
  InsightFilter f;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : query) {
    if (key == "owner_id" || key == "department_id") {
      auto id = http::parse_id(value);
      if (!id) {
        errors.push_back({key, "must be a positive integer"});
        continue;
      }
      (key == "owner_id" ? f.owner_id : f.department_id) = *id;
    } else if (key == "from" || key == "to") {
      if (!accounts::is_iso_date(value)) {
        errors.push_back({key, "must be a date YYYY-MM-DD"});
        continue;
      }
      (key == "from" ? f.from : f.to) = value;
    } else if (key == "product_line") {
      if (value.empty() || value.find(',') != std::string::npos) {
        errors.push_back({key, "must be a product line"});
        continue;
      }
      f.product_line = value;
    } else if (std::find(extra_keys.begin(), extra_keys.end(), key) == extra_keys.end()) {
      errors.push_back({key, "is not a parameter of this request"});
    }
  }
  if (!errors.empty()) return Error(Error::Code::bad_request, "invalid query parameters", errors);
  return f;
}

std::string owner_department_sql(const auth::Principal& p, const InsightFilter& f, const std::string& a,
                                 db::Params& params) {
  const auto scope = auth::scope_clause(p, a);
  std::string sql = " " + scope.sql;
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  if (f.owner_id) {
    sql += " AND " + a + ".owner_id = ?";
    params.emplace_back(*f.owner_id);
  }
  if (f.department_id) {
    sql += " AND " + a + ".department_id = ?";
    params.emplace_back(*f.department_id);
  }
  return sql;
}

std::string filter_sql(const auth::Principal& p, const InsightFilter& f, db::Params& params) {
  std::string where = " o.deleted_at IS NULL AND" + owner_department_sql(p, f, "o", params);
  if (f.from) {
    where += " AND o.created_at >= ?";
    params.emplace_back(*f.from);
  }
  if (f.to) {
    where += " AND o.created_at < ?";
    params.emplace_back(iso_of_epoch(*epoch_seconds(*f.to) + 86400));
  }
  if (f.product_line) {
    where += " AND instr(o.product_lines, ?) > 0";
    params.emplace_back("," + *f.product_line + ",");
  }
  return where;
}

// ---- gate items ----

std::vector<GateItem> load_gate_items(db::Connection& c) {
  std::vector<GateItem> items;
  for (const auto& row : c.query("SELECT id, stage, code, kind, params, label_zh, label_en, enabled, position "
                                 "FROM gate_items ORDER BY stage, position, id")) {
    GateItem item;
    item.id = row.integer(0);
    item.stage = static_cast<int>(row.integer(1));
    item.code = row.text(2);
    item.kind = row.text(3);
    item.params = json::parse(row.text(4), nullptr, false);
    if (item.params.is_discarded()) item.params = json::object();
    item.label_zh = row.text(5);
    item.label_en = row.text(6);
    item.enabled = row.integer(7) != 0;
    item.position = static_cast<int>(row.integer(8));
    items.push_back(std::move(item));
  }
  return items;
}

json gate_item_json(const GateItem& item) {
  return {{"id", item.id},
          {"stage", item.stage},
          {"code", item.code},
          {"kind", item.kind},
          {"params", item.params},
          {"label_zh", item.label_zh},
          {"label_en", item.label_en},
          {"enabled", item.enabled},
          {"position", item.position}};
}

// ---- evidence ----

Evidence load_evidence(db::Connection& c, const auth::Principal& p, const json& o) {
  Evidence e;
  for (const char* name : {"customer_business_age", "customer_scale", "customer_status", "potential_need",
                           "need_urgency", "supplier_structure", "supplier_problems", "go_decision", "go_reason",
                           "requirements", "win_probability", "expected_cost_fen", "expected_close_date"}) {
    const auto& value = o[name];
    if (value.is_string() && !value.get<std::string>().empty()) e.fields[name] = value.get<std::string>();
    if (value.is_number_integer()) e.fields[name] = std::to_string(value.get<std::int64_t>());
  }
  const auto id = o["id"].get<std::int64_t>();
  const auto obstacles =
      o["obstacles"].is_array()
          ? o["obstacles"]
          : json::parse(o["obstacles"].is_string() ? o["obstacles"].get<std::string>() : "[]", nullptr, false);
  e.counts["obstacles"] = obstacles.is_array() ? static_cast<std::int64_t>(obstacles.size()) : 0;
  const auto samples = c.query(
      "SELECT count(*), coalesce(sum(CASE WHEN result = 'passed' AND signed_off_by IS NOT NULL THEN 1 ELSE 0 END), 0) "
      "FROM opportunity_samples WHERE opportunity_id = ? AND deleted_at IS NULL",
      {id});
  e.counts["samples"] = samples.front().integer(0);
  e.counts["samples_passed"] = samples.front().integer(1);
  const auto steps = c.query(
      "SELECT count(*), coalesce(sum(done), 0) FROM opportunity_plan_steps WHERE opportunity_id = ? AND deleted_at "
      "IS NULL",
      {id});
  e.counts["plan_steps"] = steps.front().integer(0);
  e.counts["plan_steps_done"] = steps.front().integer(1);
  e.counts["executive_meetings"] = 0;
  e.counts["inspections"] = 0;
  e.counts["system_support"] = 0;
  for (const auto& row :
       c.query("SELECT kind, count(*) FROM opportunity_closing_records WHERE opportunity_id = ? GROUP BY kind", {id})) {
    const auto kind = row.text(0);
    if (kind == "executive_meeting") e.counts["executive_meetings"] += row.integer(1);
    if (kind == "site_inspection" || kind == "factory_audit") e.counts["inspections"] += row.integer(1);
    if (kind == "system_support") e.counts["system_support"] += row.integer(1);
  }
  std::map<std::int64_t, std::int64_t> touches;
  std::int64_t total_touches = 0;
  for (const auto& row :
       c.query("SELECT contact_id, count(*) FROM opportunity_touchpoints WHERE opportunity_id = ? GROUP BY contact_id",
               {id})) {
    touches[row.integer(0)] = row.integer(1);
    total_touches += row.integer(1);
  }
  e.counts["touchpoints"] = total_touches;
  // The buying centre comes from the contacts module; an account the caller
  // cannot see contributes no contacts (the gate then fails rather than leaks).
  std::int64_t insiders = 0;
  const auto account_id = o["account_id"].get<std::int64_t>();
  if (auto centre = contacts::buying_center(c, p, account_id)) {
    for (const auto& contact : (*centre)["contacts"]) {
      if (contact["status"] != "active") continue;
      if (contact["buying_role"] == "insider") ++insiders;
      if (contact["buying_role"] == "decision_maker") {
        DecisionMaker dm;
        dm.contact_id = contact["id"].get<std::int64_t>();
        dm.name = contact["name"].get<std::string>();
        if (contact["relationship_level"].is_number_integer()) {
          dm.relationship_level = contact["relationship_level"].get<std::int64_t>();
        }
        const auto it = touches.find(dm.contact_id);
        dm.touchpoints = it == touches.end() ? 0 : it->second;
        e.decision_makers.push_back(std::move(dm));
      }
    }
  }
  // Besides the opportunity's own touchpoint notes, what was recorded on the
  // account since the opportunity was opened counts: contact logs with the
  // decision maker and visits naming them (the activities module).
  std::map<std::int64_t, std::string> names;
  for (const auto& dm : e.decision_makers) names[dm.contact_id] = dm.name;
  const auto met = activities::contact_touches(c, account_id, o["created_at"].get<std::string>(), names);
  for (auto& dm : e.decision_makers) {
    if (auto it = met.find(dm.contact_id); it != met.end()) dm.touchpoints += it->second;
  }
  e.counts["insiders"] = insiders;
  e.counts["decision_makers"] = static_cast<std::int64_t>(e.decision_makers.size());
  return e;
}

// ---- opportunities ----

bool opportunity_visible(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("opportunities.read")) return false;
  const auto rows = c.query("SELECT owner_id, department_id FROM opportunities WHERE id = ?", {id});
  if (rows.empty()) return false;
  return auth::can_see(p, rows.front().optional_integer("owner_id"), rows.front().optional_integer("department_id"));
}

Expected<json> list_opportunities(db::Connection& c, const auth::Principal& p,
                                  const std::map<std::string, std::string>& query) {
  if (!p.can("opportunities.read")) return Error::forbidden();
  int limit = 20, offset = 0;
  std::map<std::string, std::string> rest;
  std::vector<FieldError> errors;
  db::Params params;
  std::string extra;
  bool card = false;
  for (const auto& [key, value] : query) {
    if (key == "limit" || key == "offset") {
      auto n = http::parse_id(value);
      if (key == "limit" && (!n || *n > 500)) errors.push_back({key, "must be 1 to 500"});
      if (key == "limit" && n && *n <= 500) limit = static_cast<int>(*n);
      if (key == "offset") {
        if (value == "0") continue;
        if (!n || *n > 100000000)
          errors.push_back({key, "must be a non-negative integer"});
        else
          offset = static_cast<int>(*n);
      }
    } else if (key == "account_id") {
      auto id = http::parse_id(value);
      if (!id)
        errors.push_back({key, "must be a positive integer"});
      else {
        extra += " AND o.account_id = ?";
        params.emplace_back(*id);
      }
    } else if (key == "stage") {
      if (value.size() != 1 || value[0] < '1' || value[0] > '5')
        errors.push_back({key, "must be 1 to 5"});
      else {
        extra += " AND o.stage = ?";
        params.emplace_back(static_cast<std::int64_t>(value[0] - '0'));
      }
    } else if (key == "status") {
      if (value != "open" && value != "won" && value != "lost" && value != "terminated") {
        errors.push_back({key, "must be open, won, lost or terminated"});
      } else {
        extra += " AND o.status = ?";
        params.emplace_back(value);
      }
    } else if (key == "view") {
      if (value != "full" && value != "card") errors.push_back({key, "must be full or card"});
      card = value == "card";
    } else if (key == "q") {
      std::string needle = value;
      for (auto& ch : needle) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (!needle.empty()) {
        extra += " AND instr(lower(o.name), ?) > 0";
        params.emplace_back(needle);
      }
    } else {
      rest[key] = value;
    }
  }
  if (!errors.empty()) return Error(Error::Code::bad_request, "invalid query parameters", errors);
  auto filter = read_filter(rest, {});
  if (!filter) return filter.error();
  db::Params all;
  std::string where = " WHERE" + filter_sql(p, *filter, all) + extra;
  all.insert(all.end(), params.begin(), params.end());
  const auto total = c.query("SELECT count(*) FROM opportunities o" + where, all).front().integer(0);
  json items = json::array();
  if (total > offset) {
    all.emplace_back(static_cast<std::int64_t>(limit));
    all.emplace_back(static_cast<std::int64_t>(offset));
    const auto rows =
        c.query(std::string(card ? kCardSelect : kSelect) + where + " ORDER BY o.id DESC LIMIT ? OFFSET ?", all);
    const auto thresholds = load_thresholds(c);
    const auto now = now_seconds();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      items.push_back(present(accounts::row_json(rows, i), thresholds, now));
    }
  }
  return json{{"items", std::move(items)}, {"total", total}};
}

Expected<json> get_opportunity(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("opportunities.read")) return Error::forbidden();
  auto record = load_visible(c, p, id);
  if (!record) return Error::not_found("opportunity");
  return present(std::move(*record), load_thresholds(c), now_seconds());
}

Expected<json> create_opportunity(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("opportunities.write")) return Error::forbidden();
  db::Transaction tx(c, true);
  auto created = create_opportunity_in_transaction(c, p, body);
  if (!created) return created.error();
  tx.commit();
  return created;
}

Expected<json> create_opportunity_in_transaction(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("opportunities.write")) return Error::forbidden();
  auto values = read_opportunity(body, true);
  if (!values) return values.error();
  const auto* account = accounts::find_value(*values, "account_id");
  if (account == nullptr || !std::holds_alternative<std::int64_t>(*account) ||
      !accounts::account_visible(c, p, std::get<std::int64_t>(*account))) {
    return Error::invalid({{"account_id", "no such account"}});
  }
  const auto now = now_text();
  std::string columns, placeholders;
  db::Params params;
  for (const auto& [column, value] : *values) {
    columns += column + ", ";
    placeholders += "?, ";
    params.push_back(value);
  }
  // Owner and department are the creator's, never the body's.
  params.emplace_back(p.user_id);
  params.emplace_back(p.department_id ? db::Value(*p.department_id) : db::Value(nullptr));
  params.emplace_back(now);
  params.emplace_back(now);
  params.emplace_back(now);
  const auto id = c.query("INSERT INTO opportunities (" + columns +
                              "owner_id, department_id, stage, status, stage_entered_at, created_at, updated_at) "
                              "VALUES (" +
                              placeholders + "?, ?, 1, 'open', ?, ?, ?) RETURNING id",
                          params)
                      .front()
                      .integer(0);
  enter_stage(c, id, 1, p.user_id, now, std::nullopt);
  json created = *load(c, id);
  retally_owner(c, p.user_id);
  auth::write_audit(c, p.user_id, "opportunity", id, "create", nullptr, created);
  return present(std::move(created), load_thresholds(c), now_seconds());
}

namespace {
// A write without opportunities.write: 403 when p can see it, else 404.
Error refuse_write(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (p.can("opportunities.read") && load_visible(c, p, id)) return Error::forbidden();
  return Error::not_found("opportunity");
}
}  // namespace

Expected<json> update_opportunity(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                                  const json& body) {
  if (!p.can("opportunities.write")) return refuse_write(c, p, id);
  auto values = read_opportunity(body, false);
  if (!values) return values.error();
  db::Transaction tx(c, true);
  auto before = load_visible(c, p, id);
  if (!before) return Error::not_found("opportunity");
  if ((*before)["version"].get<std::int64_t>() != version) return stale();
  if ((*before)["status"] != "open") return not_open(*before);
  std::string assignments;
  db::Params params;
  for (const auto& [column, value] : *values) {
    assignments += column + " = ?, ";
    params.push_back(value);
  }
  params.emplace_back(now_text());
  params.emplace_back(id);
  params.emplace_back(version);
  if (c.query("UPDATE opportunities SET " + assignments +
                  "version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL",
              params)
          .affected != 1) {
    return stale();
  }
  json after = *load(c, id);
  retally_owner(c, owner_of(*before));
  auth::write_audit(c, p.user_id, "opportunity", id, "update", *before, after);
  tx.commit();
  return present(std::move(after), load_thresholds(c), now_seconds());
}

Status delete_opportunity(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("opportunities.write")) return refuse_write(c, p, id);
  db::Transaction tx(c, true);
  auto before = load_visible(c, p, id);
  if (!before) return Error::not_found("opportunity");
  const auto now = now_text();
  c.query("UPDATE opportunities SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
          {now, now, id});
  c.query("UPDATE opportunity_stage_history SET deleted_at = ? WHERE opportunity_id = ?", {now, id});
  retally_owner(c, owner_of(*before));
  auth::write_audit(c, p.user_id, "opportunity", id, "delete", *before, nullptr);
  tx.commit();
  return ok_status();
}

Expected<json> gate_status(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("opportunities.read")) return Error::forbidden();
  auto o = load_visible(c, p, id);
  if (!o) return Error::not_found("opportunity");
  const auto items = load_gate_items(c);
  const auto evidence = load_evidence(c, p, *o);
  json stages = json::array();
  for (int stage = 1; stage <= kStages; ++stage) {
    const auto unmet = check_gate(stage, evidence, items);
    json list = json::array();
    for (const auto& item : items) {
      if (item.stage != stage || !item.enabled) continue;
      const auto it = std::find_if(unmet.begin(), unmet.end(), [&](const Unmet& u) { return u.code == item.code; });
      list.push_back({{"code", item.code},
                      {"label_zh", item.label_zh},
                      {"label_en", item.label_en},
                      {"met", it == unmet.end()},
                      {"detail", it == unmet.end() ? json(nullptr) : json(it->detail)},
                      {"detail_zh", it == unmet.end() ? json(nullptr) : json(it->detail_zh)}});
    }
    stages.push_back({{"stage", stage}, {"items", list}, {"met", unmet.empty()}});
  }
  return json{{"opportunity_id", id},
              {"stage", (*o)["stage"]},
              {"status", (*o)["status"]},
              {"counts", evidence.counts},
              {"stages", stages}};
}

Expected<json> advance(db::Connection& c, const auth::Principal& p, std::int64_t id, const json& body) {
  if (!p.can("opportunities.write")) return refuse_write(c, p, id);
  FieldReader reader(body);
  const auto version = reader.integer("version", false, 1);
  reader.text("override_reason", 2000);
  if (!reader.ok()) return reader.error();
  const auto reason = reason_of(body);
  db::Transaction tx(c, true);
  auto before = load_visible(c, p, id);
  if (!before) return Error::not_found("opportunity");
  if (version && (*before)["version"].get<std::int64_t>() != *version) return stale();
  if ((*before)["status"] != "open") return not_open(*before);
  const auto stage = static_cast<int>((*before)["stage"].get<std::int64_t>());
  if (stage >= kStages) {
    return Error::invalid({{"stage", "stage 5 is the last stage; close the opportunity as won or lost"}});
  }
  const auto decision =
      decide_advance(stage, load_evidence(c, p, *before), load_gate_items(c), p.can("opportunities.override"), reason);
  if (decision.forbidden) return Error::forbidden("overriding a gate needs opportunities.override");
  if (!decision.allowed) return gate_not_met(stage, decision.unmet);
  const auto now = now_text();
  if (c.query("UPDATE opportunities SET stage = stage + 1, stage_entered_at = ?, version = version + 1, updated_at = ? "
              "WHERE id = ? AND version = ?",
              {now, now, id, (*before)["version"].get<std::int64_t>()})
          .affected != 1) {
    return stale();
  }
  exit_stage(c, id, p.user_id, now);
  enter_stage(c, id, stage + 1, p.user_id, now,
              decision.overridden ? std::optional<std::string>(reason) : std::nullopt);
  json after = *load(c, id);
  json audited = after;
  if (decision.overridden) {
    audited["override_reason"] = reason;
    json unmet = json::array();
    for (const auto& u : decision.unmet) unmet.push_back(u.code);
    audited["overridden_items"] = unmet;
  }
  retally_owner(c, owner_of(*before));
  auth::write_audit(c, p.user_id, "opportunity", id, decision.overridden ? "override" : "advance", *before, audited);
  tx.commit();
  return present(std::move(after), load_thresholds(c), now_seconds());
}

Expected<json> go_no_go(db::Connection& c, const auth::Principal& p, std::int64_t id, const json& body) {
  if (!p.can("opportunities.write")) return refuse_write(c, p, id);
  FieldReader reader(body);
  const auto reason = reader.text("reason", 2000, true);
  std::string decision;
  if (body.contains("decision") && body["decision"].is_string()) decision = body["decision"].get<std::string>();
  if (decision != "go" && decision != "no_go") reader.fail("decision", "must be go or no_go");
  if (!reader.ok()) return reader.error();
  db::Transaction tx(c, true);
  auto before = load_visible(c, p, id);
  if (!before) return Error::not_found("opportunity");
  if ((*before)["status"] != "open") return not_open(*before);
  if ((*before)["stage"] != 1) return Error::invalid({{"decision", "the go/no-go decision belongs to stage 1"}});
  const auto now = now_text();
  if (decision == "go") {
    c.query(
        "UPDATE opportunities SET go_decision = 'go', go_reason = ?, version = version + 1, updated_at = ? WHERE id "
        "= ?",
        {*reason.value, now, id});
  } else {
    c.query(
        "UPDATE opportunities SET go_decision = 'no_go', go_reason = ?, status = 'terminated', closed_at = ?, "
        "version = version + 1, updated_at = ? WHERE id = ?",
        {*reason.value, now, now, id});
    exit_stage(c, id, p.user_id, now);
  }
  json after = *load(c, id);
  retally_owner(c, owner_of(*before));
  auth::write_audit(c, p.user_id, "opportunity", id, decision == "go" ? "go" : "terminate", *before, after);
  tx.commit();
  return present(std::move(after), load_thresholds(c), now_seconds());
}

Expected<json> close(db::Connection& c, const auth::Principal& p, std::int64_t id, const json& body) {
  if (!p.can("opportunities.write")) return refuse_write(c, p, id);
  FieldReader reader(body);
  std::string status;
  if (body.contains("status") && body["status"].is_string()) status = body["status"].get<std::string>();
  if (status != "won" && status != "lost") reader.fail("status", "must be won or lost");
  const auto note = reader.text("note", 2000);
  reader.text("override_reason", 2000);
  std::optional<std::int64_t> won_value;
  std::string won_date, lost_code;
  if (status == "won") {
    won_value = reader.integer("won_value_fen", true, 0);
    if (body.contains("won_date") && body["won_date"].is_string() &&
        accounts::is_iso_date(body["won_date"].get<std::string>())) {
      won_date = body["won_date"].get<std::string>();
    } else {
      reader.fail("won_date", "must be a date YYYY-MM-DD");
    }
  }
  if (status == "lost") {
    if (body.contains("lost_reason_code") && body["lost_reason_code"].is_string()) {
      lost_code = body["lost_reason_code"].get<std::string>();
    }
    if (lost_code.empty() ||
        c.query("SELECT 1 FROM lost_reasons WHERE code = ? AND enabled = 1", {lost_code}).empty()) {
      reader.fail("lost_reason_code", "must be a code of the lost-reason taxonomy");
    }
  }
  if (!reader.ok()) return reader.error();
  db::Transaction tx(c, true);
  auto before = load_visible(c, p, id);
  if (!before) return Error::not_found("opportunity");
  if ((*before)["status"] != "open") return not_open(*before);
  const auto now = now_text();
  const db::Value note_value = note.value ? db::Value(*note.value) : db::Value(nullptr);
  json audited;
  if (status == "won") {
    const auto stage = static_cast<int>((*before)["stage"].get<std::int64_t>());
    if (stage != kStages) return Error::invalid({{"status", "only an opportunity in stage 5 can be won"}});
    const auto reason = reason_of(body);
    const auto decision = decide_advance(stage, load_evidence(c, p, *before), load_gate_items(c),
                                         p.can("opportunities.override"), reason);
    if (decision.forbidden) return Error::forbidden("overriding a gate needs opportunities.override");
    if (!decision.allowed) return gate_not_met(stage, decision.unmet);
    c.query(
        "UPDATE opportunities SET status = 'won', won_value_fen = ?, won_date = ?, close_note = ?, closed_at = ?, "
        "version = version + 1, updated_at = ? WHERE id = ?",
        {*won_value, won_date, note_value, now, now, id});
    if (decision.overridden) audited["override_reason"] = reason;
  } else {
    c.query(
        "UPDATE opportunities SET status = 'lost', lost_reason_code = ?, close_note = ?, closed_at = ?, "
        "version = version + 1, updated_at = ? WHERE id = ?",
        {lost_code, note_value, now, now, id});
  }
  exit_stage(c, id, p.user_id, now);
  json after = *load(c, id);
  for (auto& [key, value] : after.items()) audited[key] = value;
  retally_owner(c, owner_of(*before));
  auth::write_audit(c, p.user_id, "opportunity", id, status, *before, audited);
  tx.commit();
  return present(std::move(after), load_thresholds(c), now_seconds());
}

Expected<json> history(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("opportunities.read")) return Error::forbidden();
  if (!load_visible(c, p, id)) return Error::not_found("opportunity");
  const auto rows = c.query(
      "SELECT h.id, h.stage, h.entered_at, h.exited_at, h.entered_by, ue.display_name AS entered_by_name, "
      "h.exited_by, ux.display_name AS exited_by_name, h.override, h.override_reason "
      "FROM opportunity_stage_history h LEFT JOIN users ue ON ue.id = h.entered_by "
      "LEFT JOIN users ux ON ux.id = h.exited_by WHERE h.opportunity_id = ? ORDER BY h.id",
      {id});
  json items = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto row = accounts::row_json(rows, i);
    row["override"] = row["override"] == 1;
    items.push_back(std::move(row));
  }
  const auto count = items.size();
  return json{{"items", std::move(items)}, {"total", count}};
}

// ---- configuration ----

Expected<json> get_gates(db::Connection& c, const auth::Principal& p) {
  if (!p.can("opportunities.read")) return Error::forbidden();
  json items = json::array();
  for (const auto& item : load_gate_items(c)) items.push_back(gate_item_json(item));
  return json{{"items", std::move(items)}};
}

Expected<json> put_gates(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("pipeline.admin")) return Error::forbidden();
  if (!body.contains("items") || !body["items"].is_array() || body["items"].size() > 200) {
    return Error::invalid({{"items", "must be a list of at most 200 gate items"}});
  }
  std::vector<GateItem> items;
  std::vector<FieldError> errors;
  std::set<std::string> codes;
  for (std::size_t i = 0; i < body["items"].size(); ++i) {
    const auto& in = body["items"][i];
    const std::string where = "items[" + std::to_string(i) + "]";
    if (!in.is_object()) {
      errors.push_back({where, "must be an object"});
      continue;
    }
    GateItem item;
    item.stage = in.contains("stage") && in["stage"].is_number_integer() ? in["stage"].get<int>() : 0;
    item.code = in.contains("code") && in["code"].is_string() ? in["code"].get<std::string>() : "";
    item.kind = in.contains("kind") && in["kind"].is_string() ? in["kind"].get<std::string>() : "";
    item.params = in.contains("params") ? in["params"] : json::object();
    item.label_zh = in.contains("label_zh") && in["label_zh"].is_string() ? in["label_zh"].get<std::string>() : "";
    item.label_en = in.contains("label_en") && in["label_en"].is_string() ? in["label_en"].get<std::string>() : "";
    item.enabled = !in.contains("enabled") || (in["enabled"].is_boolean() && in["enabled"].get<bool>());
    item.position =
        in.contains("position") && in["position"].is_number_integer() ? in["position"].get<int>() : static_cast<int>(i);
    if (auto problem = gate_item_problem(item)) {
      errors.push_back({where, *problem});
    } else if (!codes.insert(item.code).second) {
      errors.push_back({where, "duplicate code " + item.code});
    }
    items.push_back(std::move(item));
  }
  if (!errors.empty()) return Error::invalid(errors);
  db::Transaction tx(c, true);
  auto before = get_gates(c, p);
  c.query("DELETE FROM gate_items");
  for (const auto& item : items) {
    c.query(
        "INSERT INTO gate_items (stage, code, kind, params, label_zh, label_en, enabled, position) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {static_cast<std::int64_t>(item.stage), item.code, item.kind, item.params.dump(), item.label_zh, item.label_en,
         static_cast<std::int64_t>(item.enabled), static_cast<std::int64_t>(item.position)});
  }
  auto after = get_gates(c, p);
  auth::write_audit(c, p.user_id, "pipeline_gates", 1, "update", *before, *after);
  tx.commit();
  return after;
}

Expected<json> get_lost_reasons(db::Connection& c, const auth::Principal& p) {
  if (!p.can("opportunities.read")) return Error::forbidden();
  json items = json::array();
  for (const auto& row :
       c.query("SELECT code, label_zh, label_en, enabled, position FROM lost_reasons ORDER BY position, code")) {
    items.push_back({{"code", row.text(0)},
                     {"label_zh", row.text(1)},
                     {"label_en", row.text(2)},
                     {"enabled", row.integer(3) != 0},
                     {"position", row.integer(4)}});
  }
  return json{{"items", std::move(items)}};
}

Expected<json> put_lost_reasons(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("pipeline.admin")) return Error::forbidden();
  if (!body.contains("items") || !body["items"].is_array() || body["items"].empty() || body["items"].size() > 100) {
    return Error::invalid({{"items", "must be a list of 1 to 100 reasons"}});
  }
  std::vector<FieldError> errors;
  std::set<std::string> codes;
  for (std::size_t i = 0; i < body["items"].size(); ++i) {
    const auto& in = body["items"][i];
    const std::string where = "items[" + std::to_string(i) + "]";
    const bool good = in.is_object() && in.contains("code") && in["code"].is_string() &&
                      !in["code"].get<std::string>().empty() && in["code"].get<std::string>().size() <= 64 &&
                      in.contains("label_zh") && in["label_zh"].is_string() &&
                      !in["label_zh"].get<std::string>().empty() && in.contains("label_en") &&
                      in["label_en"].is_string() && !in["label_en"].get<std::string>().empty();
    if (!good)
      errors.push_back({where, "needs code, label_zh and label_en"});
    else if (!codes.insert(in["code"].get<std::string>()).second)
      errors.push_back({where, "duplicate code"});
  }
  if (!errors.empty()) return Error::invalid(errors);
  db::Transaction tx(c, true);
  auto before = get_lost_reasons(c, p);
  // Codes already used by lost opportunities must stay: a reason left out is disabled, not deleted.
  c.query("UPDATE lost_reasons SET enabled = 0");
  for (std::size_t i = 0; i < body["items"].size(); ++i) {
    const auto& in = body["items"][i];
    const bool enabled = !in.contains("enabled") || (in["enabled"].is_boolean() && in["enabled"].get<bool>());
    c.query(
        "INSERT INTO lost_reasons (code, label_zh, label_en, enabled, position) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (code) DO UPDATE SET label_zh = excluded.label_zh, label_en = excluded.label_en, "
        "enabled = excluded.enabled, position = excluded.position",
        {in["code"].get<std::string>(), in["label_zh"].get<std::string>(), in["label_en"].get<std::string>(),
         static_cast<std::int64_t>(enabled), static_cast<std::int64_t>(i + 1)});
  }
  auto after = get_lost_reasons(c, p);
  auth::write_audit(c, p.user_id, "pipeline_lost_reasons", 1, "update", *before, *after);
  tx.commit();
  return after;
}

Expected<json> get_settings(db::Connection& c, const auth::Principal& p) {
  if (!p.can("opportunities.read")) return Error::forbidden();
  const auto t = load_thresholds(c);
  json stages = json::array();
  for (int stage = 1; stage <= kStages; ++stage) {
    stages.push_back({{"stage", stage}, {"stalled_days", t.days[static_cast<std::size_t>(stage - 1)]}});
  }
  return json{{"stages", stages}};
}

Expected<json> put_settings(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("pipeline.admin")) return Error::forbidden();
  if (!body.contains("stages") || !body["stages"].is_array()) {
    return Error::invalid({{"stages", "must be a list of {stage, stalled_days}"}});
  }
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < body["stages"].size(); ++i) {
    const auto& in = body["stages"][i];
    const bool good = in.is_object() && in.contains("stage") && in["stage"].is_number_integer() &&
                      in["stage"].get<std::int64_t>() >= 1 && in["stage"].get<std::int64_t>() <= kStages &&
                      in.contains("stalled_days") && in["stalled_days"].is_number_integer() &&
                      in["stalled_days"].get<std::int64_t>() >= 0 && in["stalled_days"].get<std::int64_t>() <= 3650;
    if (!good) errors.push_back({"stages[" + std::to_string(i) + "]", "needs stage 1..5 and stalled_days 0..3650"});
  }
  if (!errors.empty()) return Error::invalid(errors);
  db::Transaction tx(c, true);
  auto before = get_settings(c, p);
  for (const auto& in : body["stages"]) {
    c.query(
        "INSERT INTO pipeline_stage_settings (stage, stalled_days) VALUES (?, ?) "
        "ON CONFLICT (stage) DO UPDATE SET stalled_days = excluded.stalled_days",
        {in["stage"].get<std::int64_t>(), in["stalled_days"].get<std::int64_t>()});
  }
  auto after = get_settings(c, p);
  auth::write_audit(c, p.user_id, "pipeline_settings", 1, "update", *before, *after);
  tx.commit();
  return after;
}

}  // namespace kam::pipeline
