// Storage and operations of approvals (see approvals.hpp): requests and their
// transitions, chain resolution, inbox and mine, chains, budgets and the cost
// of development. SQL is portable between SQLite and PostgreSQL.
#include <algorithm>
#include <map>
#include <set>

#include "accounts/accounts.hpp"
#include "accounts/records.hpp"
#include "approvals/approvals.hpp"
#include "auth/audit.hpp"
#include "auth/scope.hpp"
#include "contacts/contacts.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/fields.hpp"

namespace kam::approvals {

using accounts::Field;
using accounts::Values;
using nlohmann::json;

namespace {

constexpr const char* kEntity = "approval_request";
constexpr std::int64_t kMaxMoney = 100'000'000'000;  // ¥1,000,000,000 in fen: far above any real request

// ---- fields of the two kinds ----

const std::vector<Field>& gift_fields() {
  static const std::vector<Field> fields = {
      {.name = "account_id", .kind = Field::Kind::id, .required = true, .on_create_only = true},
      {.name = "opportunity_id", .kind = Field::Kind::id},
      {.name = "contact_id", .kind = Field::Kind::id},
      {.name = "recipient_name", .max_length = 100, .required = true},
      {.name = "recipient_title", .max_length = 100},
      {.name = "gift_name", .max_length = 200, .required = true},
      {.name = "quantity", .kind = Field::Kind::integer, .min = 1, .max = 1'000'000, .required = true},
      {.name = "unit_price_fen", .kind = Field::Kind::integer, .min = 0, .max = kMaxMoney, .required = true},
      {.name = "gift_date", .kind = Field::Kind::date, .required = true},
      {.name = "occasion", .max_length = 2000, .required = true},
  };
  return fields;
}

const std::vector<Field>& reception_fields() {
  static const std::vector<Field> fields = {
      {.name = "account_id", .kind = Field::Kind::id, .required = true, .on_create_only = true},
      {.name = "opportunity_id", .kind = Field::Kind::id},
      {.name = "visitor_company", .max_length = 200},
      {.name = "visitor_count", .kind = Field::Kind::integer, .min = 1, .max = 1000},
      {.name = "purpose", .max_length = 2000, .required = true},
      {.name = "start_date", .kind = Field::Kind::date, .required = true},
      {.name = "end_date", .kind = Field::Kind::date, .required = true},
      {.name = "itinerary", .max_length = 4000},
      {.name = "lodging", .max_length = 2000},
      {.name = "meals", .max_length = 2000},
      {.name = "transport", .max_length = 2000},
      {.name = "hosts", .max_length = 500},
  };
  return fields;
}

const std::vector<std::string>& kind_columns(const std::string& kind) {
  static const std::vector<std::string> gift = {"contact_id", "recipient_name", "recipient_title", "gift_name",
                                                "quantity",   "unit_price_fen", "gift_date",       "occasion"};
  static const std::vector<std::string> reception = {"visitor_company", "visitors",  "visitor_count", "purpose",
                                                     "start_date",      "end_date",  "itinerary",     "lodging",
                                                     "meals",           "transport", "budget_lines",  "hosts"};
  return kind == kGift ? gift : reception;
}

// Prefixes the field errors of a nested object: visitors[2].name.
void collect(std::vector<FieldError>& errors, const std::string& prefix, const FieldReader& reader) {
  if (reader.ok()) return;
  const Error error = reader.error();  // a value: keep it alive while iterating
  for (const auto& e : error.fields()) errors.push_back({prefix + "." + e.field, e.message});
}

// The JSON-array fields of a reception: visitors and budget_lines, stored as
// JSON text after validation.
void read_arrays(const json& body, bool creating, Values& values, std::vector<FieldError>& errors) {
  if (body.contains("visitors")) {
    const auto& list = body["visitors"];
    if (list.is_null()) {
      values.emplace_back("visitors", std::string("[]"));
    } else if (!list.is_array() || list.size() > 100) {
      errors.push_back({"visitors", "must be a list of at most 100 people"});
    } else {
      json clean = json::array();
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string prefix = "visitors[" + std::to_string(i) + "]";
        if (!list[i].is_object()) {
          errors.push_back({prefix, "must be an object {name, title}"});
          continue;
        }
        FieldReader r(list[i]);
        auto name = r.text("name", 100, true);
        auto title = r.text("title", 100);
        collect(errors, prefix, r);
        if (r.ok()) clean.push_back({{"name", *name.value}, {"title", title.value ? json(*title.value) : json()}});
      }
      values.emplace_back("visitors", clean.dump());
    }
  }
  if (body.contains("budget_lines")) {
    const auto& list = body["budget_lines"];
    if (!list.is_array() || list.empty() || list.size() > 50) {
      errors.push_back({"budget_lines", "must be a list of 1 to 50 lines {item, amount_fen}"});
    } else {
      json clean = json::array();
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string prefix = "budget_lines[" + std::to_string(i) + "]";
        if (!list[i].is_object()) {
          errors.push_back({prefix, "must be an object {item, amount_fen}"});
          continue;
        }
        FieldReader r(list[i]);
        auto item = r.text("item", 200, true);
        auto amount = r.integer("amount_fen", true, 0, kMaxMoney);
        collect(errors, prefix, r);
        if (r.ok()) clean.push_back({{"item", *item.value}, {"amount_fen", *amount}});
      }
      values.emplace_back("budget_lines", clean.dump());
    }
  } else if (creating) {
    errors.push_back({"budget_lines", "is required"});
  }
}

// Validated body → the columns it sets.
Expected<Values> read_request(const std::string& kind, const json& body, bool creating) {
  std::vector<FieldError> errors;
  auto values = accounts::read_fields(body, kind == kGift ? gift_fields() : reception_fields(), creating);
  if (!values) {
    errors = values.error().fields();
    values = Values{};
  }
  if (kind == kReception) read_arrays(body, creating, *values, errors);
  if (!errors.empty()) return Error::invalid(errors);
  return std::move(*values);
}

json value_json(const db::Value& value) {
  return std::visit(
      [](const auto& v) -> json {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::nullptr_t>) {
          return nullptr;
        } else {
          return v;
        }
      },
      value);
}

std::int64_t int_or(const json& record, const char* key, std::int64_t fallback = 0) {
  return record.contains(key) && record[key].is_number_integer() ? record[key].get<std::int64_t>() : fallback;
}
std::string text_or(const json& record, const char* key) {
  return record.contains(key) && record[key].is_string() ? record[key].get<std::string>() : "";
}

// The derived columns of a request row (after applying a change): total and
// spend date, plus the checks across fields.
Status derive(const std::string& kind, json& row) {
  std::vector<FieldError> errors;
  if (kind == kGift) {
    // quantity ≤ 1e6 and unit price ≤ 1e11: the product fits in 64 bits.
    row["total_fen"] = int_or(row, "quantity") * int_or(row, "unit_price_fen");
    row["spend_date"] = text_or(row, "gift_date");
  } else {
    std::int64_t total = 0;
    const auto lines = json::parse(text_or(row, "budget_lines").empty() ? "[]" : text_or(row, "budget_lines"));
    for (const auto& line : lines) total += line["amount_fen"].get<std::int64_t>();
    row["total_fen"] = total;
    row["spend_date"] = text_or(row, "start_date");
    if (text_or(row, "end_date") < text_or(row, "start_date")) {
      errors.push_back({"end_date", "must not be before start_date"});
    }
    const auto visitors = json::parse(text_or(row, "visitors").empty() ? "[]" : text_or(row, "visitors"));
    if (row["visitor_count"].is_number_integer() &&
        row["visitor_count"].get<std::int64_t>() < static_cast<std::int64_t>(visitors.size())) {
      errors.push_back({"visitor_count", "must be at least the number of visitors listed"});
    }
  }
  if (!errors.empty()) return Error::invalid(errors);
  return ok_status();
}

// ---- loading and presenting ----

const char* kSelect =
    "SELECT r.*, a.name AS account_name, u.display_name AS owner_name FROM approval_requests r "
    "JOIN accounts a ON a.id = r.account_id JOIN users u ON u.id = r.owner_id";

std::optional<json> load_row(db::Connection& c, const std::string& kind, std::int64_t id) {
  const auto rows = c.query(std::string(kSelect) + " WHERE r.id = ? AND r.kind = ?", {id, kind});
  if (rows.empty()) return std::nullopt;
  return accounts::row_json(rows, 0);
}

// The approvers of a reached step (pending or decided) see the request too.
std::string reached_approver_sql(const std::string& alias) {
  // IN over an uncorrelated subquery (driven by approval_step_approvers_user)
  // rather than EXISTS, so "owner_id = ? OR id IN (...)" can use an index for
  // each side instead of scanning every request.
  return alias +
         ".id IN (SELECT xs.request_id FROM approval_step_approvers xa JOIN approval_request_steps xs ON "
         "xs.id = xa.step_id WHERE xa.user_id = ? AND xs.status <> 'waiting')";
}

bool visible(db::Connection& c, const auth::Principal& p, const json& row) {
  if (!p.can("requests.read")) return false;
  std::optional<std::int64_t> department;
  if (row["department_id"].is_number_integer()) department = row["department_id"].get<std::int64_t>();
  if (auth::can_see(p, row["owner_id"].get<std::int64_t>(), department)) return true;
  const auto id = row["id"].get<std::int64_t>();
  return !c.query("SELECT 1 FROM approval_requests r WHERE r.id = ? AND " + reached_approver_sql("r"), {id, p.user_id})
              .empty();
}

// The API representation of a request row (without steps).
json present(const json& row) {
  static const std::vector<std::string> common = {
      "id",         "kind",          "account_id", "account_name", "opportunity_id", "owner_id",
      "owner_name", "department_id", "status",     "round",        "current_step",   "total_fen",
      "spend_date", "submitted_at",  "decided_at", "version",      "created_at",     "updated_at"};
  json out = json::object();
  for (const auto& key : common) out[key] = row.contains(key) ? row[key] : json();
  out["over_budget"] = int_or(row, "over_budget") != 0;
  const std::string kind = row["kind"];
  for (const auto& key : kind_columns(kind)) {
    if (key == "visitors" || key == "budget_lines") {
      out[key] = row[key].is_string() ? json::parse(row[key].get<std::string>()) : json::array();
    } else {
      out[key] = row.contains(key) ? row[key] : json();
    }
  }
  return out;
}

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

// Adds `steps` (the current round, with approvers) to every presented request.
void attach_steps(db::Connection& c, std::vector<json*> requests) {
  std::map<std::int64_t, json*> by_id;
  db::Params ids;
  for (auto* r : requests) {
    (*r)["steps"] = json::array();
    if ((*r)["round"].get<std::int64_t>() > 0) {
      by_id[(*r)["id"].get<std::int64_t>()] = r;
      ids.emplace_back((*r)["id"].get<std::int64_t>());
    }
  }
  if (ids.empty()) return;
  const auto steps = c.query(
      "SELECT s.id, s.request_id, s.position, s.name, s.resolver, s.status, s.decided_by, "
      "d.display_name AS decided_by_name, s.comment, s.decided_at FROM approval_request_steps s "
      "JOIN approval_requests r ON r.id = s.request_id AND r.round = s.round "
      "LEFT JOIN users d ON d.id = s.decided_by WHERE s.request_id IN (" +
          placeholders(ids.size()) + ") ORDER BY s.request_id, s.position",
      ids);
  std::map<std::int64_t, std::pair<json*, std::size_t>> step_slot;  // step id → request, index
  db::Params step_ids;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    json step = accounts::row_json(steps, i);
    const auto step_id = step["id"].get<std::int64_t>();
    json* request = by_id.at(step["request_id"].get<std::int64_t>());
    step.erase("request_id");
    step.erase("id");
    step["approvers"] = json::array();
    (*request)["steps"].push_back(std::move(step));
    step_slot[step_id] = {request, (*request)["steps"].size() - 1};
    step_ids.emplace_back(step_id);
  }
  if (step_ids.empty()) return;
  const auto approvers = c.query(
      "SELECT sa.step_id, u.id, u.display_name FROM approval_step_approvers sa JOIN users u ON u.id = sa.user_id "
      "WHERE sa.step_id IN (" +
          placeholders(step_ids.size()) + ") ORDER BY sa.step_id, u.id",
      step_ids);
  for (const auto& row : approvers) {
    const auto& [request, index] = step_slot.at(row.integer(0));
    (*request)["steps"][index]["approvers"].push_back({{"id", row.integer(1)}, {"display_name", row.text(2)}});
  }
}

// ---- chains ----

std::vector<ChainStep> chain_steps(db::Connection& c, const std::string& kind) {
  std::vector<ChainStep> out;
  for (const auto& row :
       c.query("SELECT s.name, s.resolver, s.min_amount_fen, s.when_over_budget FROM approval_chain_steps s "
               "JOIN approval_chains ch ON ch.id = s.chain_id WHERE ch.kind = ? ORDER BY s.position",
               {kind})) {
    out.push_back({row.text(0), row.text(1), row.optional_integer("min_amount_fen"), row.integer(3) != 0});
  }
  return out;
}

std::vector<std::int64_t> users_with_role(db::Connection& c, const std::string& role, std::int64_t excluded,
                                          std::optional<std::int64_t> department) {
  std::string sql =
      "SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles ro ON ro.id = ur.role_id "
      "WHERE ro.code = ? AND u.active = 1 AND u.id <> ?";
  db::Params params{role, excluded};
  if (department) {
    sql += " AND u.department_id = ?";
    params.emplace_back(*department);
  }
  std::vector<std::int64_t> out;
  for (const auto& row : c.query(sql + " ORDER BY u.id", params)) out.push_back(row.integer(0));
  return out;
}

// The managers of the submitter's department, else of the nearest ancestor
// department that has one (the materialised path lists the ancestors).
std::vector<std::int64_t> department_managers(db::Connection& c, std::int64_t submitter,
                                              std::optional<std::int64_t> department) {
  if (!department) return {};
  const auto rows = c.query("SELECT path FROM departments WHERE id = ?", {*department});
  if (rows.empty()) return {};
  std::vector<std::int64_t> chain;  // root first
  const std::string path = rows.front().text(0);
  std::size_t start = 1;
  while (start < path.size()) {
    const auto end = path.find('/', start);
    if (end == std::string::npos) break;
    if (end > start) chain.push_back(std::stoll(path.substr(start, end - start)));
    start = end + 1;
  }
  if (chain.empty() || chain.back() != *department) chain.push_back(*department);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    auto managers = users_with_role(c, "manager", submitter, *it);
    if (!managers.empty()) return managers;
  }
  return {};
}

std::vector<std::int64_t> resolve(db::Connection& c, const std::string& resolver, std::int64_t submitter,
                                  std::optional<std::int64_t> department) {
  for (const auto& candidate : escalation(resolver)) {
    auto users = candidate == kDepartmentManager ? department_managers(c, submitter, department)
                                                 : users_with_role(c, candidate.substr(5), submitter, std::nullopt);
    if (!users.empty()) return users;
  }
  return {};
}

struct ResolvedStep {
  ChainStep step;
  std::vector<std::int64_t> approvers;
};

std::vector<ResolvedStep> resolve_chain(db::Connection& c, const std::string& kind, std::int64_t submitter,
                                        std::optional<std::int64_t> department, std::int64_t total, bool over) {
  std::vector<ResolvedStep> out;
  for (auto& step : chain_steps(c, kind)) {
    if (!step_applies(step, total, over)) continue;
    auto approvers = resolve(c, step.resolver, submitter, department);
    out.push_back({std::move(step), std::move(approvers)});
  }
  return out;
}

// Committed spend of approved requests of an account and kind in a period.
std::int64_t committed(db::Connection& c, std::int64_t account_id, const std::string& kind, const Period& period) {
  return c
      .query(
          "SELECT CAST(COALESCE(SUM(total_fen), 0) AS BIGINT) FROM approval_requests WHERE account_id = ? AND "
          "kind = ? AND "
          "status = 'approved' AND spend_date >= ? AND spend_date <= ?",
          {account_id, kind, period.first_day, period.last_day})
      .front()
      .integer(0);
}

bool over_budget(db::Connection& c, std::int64_t account_id, const std::string& kind, const std::string& spend_date,
                 std::int64_t total) {
  for (const auto& period : periods_of(spend_date)) {
    const auto rows = c.query("SELECT amount_fen FROM budgets WHERE account_id = ? AND kind = ? AND period = ?",
                              {account_id, kind, period.code});
    if (rows.empty()) continue;
    if (total > rows.front().integer(0) - committed(c, account_id, kind, period)) return true;
  }
  return false;
}

std::optional<std::int64_t> optional_id(const json& row, const char* key) {
  if (row.contains(key) && row[key].is_number_integer()) return row[key].get<std::int64_t>();
  return std::nullopt;
}

// What the caller may do with the request now.
json actions_for(db::Connection& c, const auth::Principal& p, const json& row) {
  json out = json::array();
  const std::string status = row["status"];
  const bool owner = row["owner_id"].get<std::int64_t>() == p.user_id && p.can("requests.write");
  if (owner && is_editable(status)) {
    out.push_back("edit");
    out.push_back("submit");
  }
  if (owner && next_status(status, Action::withdraw, false)) out.push_back("withdraw");
  if (status == "pending") {
    const bool approver = !c.query(
                                "SELECT 1 FROM approval_request_steps s JOIN approval_step_approvers sa ON "
                                "sa.step_id = s.id WHERE s.request_id = ? AND s.round = ? AND s.position = ? AND "
                                "sa.user_id = ?",
                                {row["id"].get<std::int64_t>(), row["round"].get<std::int64_t>(),
                                 row["current_step"].get<std::int64_t>(), p.user_id})
                               .empty();
    if (approver) {
      out.push_back("approve");
      out.push_back("reject");
      out.push_back("return");
    }
  }
  return out;
}

json trail_of(db::Connection& c, std::int64_t id) {
  json out = json::array();
  const auto rows = c.query(
      "SELECT e.round, e.position, e.action, e.user_id, u.display_name AS user_name, e.comment, e.at "
      "FROM approval_events e JOIN users u ON u.id = e.user_id WHERE e.request_id = ? ORDER BY e.id",
      {id});
  for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(accounts::row_json(rows, i));
  return out;
}

// The full representation of one request for the caller.
json full(db::Connection& c, const auth::Principal& p, const json& row) {
  json out = present(row);
  attach_steps(c, {&out});
  const std::string status = row["status"];
  if (status == "draft") {
    // Not submitted yet: show what a submission would resolve to. (A
    // returned request keeps showing the round that returned it.)
    const auto total = row["total_fen"].get<std::int64_t>();
    const auto account = row["account_id"].get<std::int64_t>();
    const std::string kind = row["kind"].get<std::string>();
    const bool over = over_budget(c, account, kind, text_or(row, "spend_date"), total);
    out["over_budget"] = over;
    out["steps"] = json::array();
    const auto resolved =
        resolve_chain(c, kind, row["owner_id"].get<std::int64_t>(), optional_id(row, "department_id"), total, over);
    std::map<std::int64_t, std::string> names;
    std::int64_t position = 0;
    for (const auto& r : resolved) {
      json approvers = json::array();
      for (auto id : r.approvers) {
        const auto u = c.query("SELECT display_name FROM users WHERE id = ?", {id});
        approvers.push_back({{"id", id}, {"display_name", u.empty() ? "" : u.front().text(0)}});
      }
      out["steps"].push_back({{"position", ++position},
                              {"name", r.step.name},
                              {"resolver", r.step.resolver},
                              {"status", "preview"},
                              {"decided_by", nullptr},
                              {"decided_by_name", nullptr},
                              {"comment", nullptr},
                              {"decided_at", nullptr},
                              {"approvers", approvers}});
    }
  }
  out["trail"] = trail_of(c, row["id"].get<std::int64_t>());
  out["actions"] = actions_for(c, p, row);
  return out;
}

Error stale() {
  return Error::conflict("the request was changed by someone else; reload and try again");
}

Error immutable(const std::string& status) {
  return Error::conflict("the request is " + status + " and can no longer change");
}

// Account visible and, when given, the contact belongs to it (both 422).
Status check_references(db::Connection& c, const auth::Principal& p, const json& row) {
  if (!accounts::account_visible(c, p, row["account_id"].get<std::int64_t>())) {
    return Error::invalid({{"account_id", "no such account"}});
  }
  if (auto contact = optional_id(row, "contact_id")) {
    auto record = accounts::get_record(c, p, contacts::contact_table(), *contact);
    if (!record || (*record)["account_id"] != row["account_id"]) {
      return Error::invalid({{"contact_id", "no such contact of this account"}});
    }
  }
  return ok_status();
}

void record_event(db::Connection& c, std::int64_t id, std::int64_t round, std::int64_t position, Action action,
                  std::int64_t user, const std::optional<std::string>& comment, const std::string& at) {
  c.query(
      "INSERT INTO approval_events (request_id, round, position, action, user_id, comment, at) VALUES (?, ?, ?, ?, ?, "
      "?, ?)",
      {id, round, position, std::string(to_string(action)), user, comment ? db::Value(*comment) : db::Value(nullptr),
       at});
}

db::Value db_value(const json& v) {
  if (v.is_null()) return nullptr;
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_boolean()) return static_cast<std::int64_t>(v.get<bool>());
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

}  // namespace

// ---- requests ----

bool request_visible(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  const auto rows = c.query(std::string(kSelect) + " WHERE r.id = ?", {id});
  return !rows.empty() && visible(c, p, accounts::row_json(rows, 0));
}

Expected<json> get_request(db::Connection& c, const auth::Principal& p, const std::string& kind, std::int64_t id) {
  if (!p.can("requests.read")) return Error::forbidden();
  auto row = load_row(c, kind, id);
  if (!row || !visible(c, p, *row)) return Error::not_found(kind + " request");
  return full(c, p, *row);
}

Expected<json> list_requests(db::Connection& c, const auth::Principal& p, const std::string& kind,
                             const RequestQuery& query) {
  if (!p.can("requests.read")) return Error::forbidden();
  const auto scope = auth::scope_clause(p, "r");
  db::Params params{kind};
  params.insert(params.end(), scope.params.begin(), scope.params.end());
  std::string where = " WHERE r.kind = ?";
  if (p.scope == auth::DataScope::all) {
    where += " AND " + scope.sql;  // sees every request: no need for the approver set
  } else {
    where += " AND (" + scope.sql + " OR " + reached_approver_sql("r") + ")";
    params.emplace_back(p.user_id);
  }
  if (query.status) {
    where += " AND r.status = ?";
    params.emplace_back(*query.status);
  }
  if (query.account_id) {
    where += " AND r.account_id = ?";
    params.emplace_back(*query.account_id);
  }
  if (query.opportunity_id) {
    where += " AND r.opportunity_id = ?";
    params.emplace_back(*query.opportunity_id);
  }
  if (!query.q.empty()) {
    std::string needle = query.q;
    for (auto& ch : needle) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    where +=
        " AND (instr(lower(a.name), ?) > 0 OR instr(lower(COALESCE(r.recipient_name, '')), ?) > 0 OR "
        "instr(lower(COALESCE(r.gift_name, '')), ?) > 0 OR instr(lower(COALESCE(r.visitor_company, '')), ?) > 0)";
    for (int i = 0; i < 4; ++i) params.emplace_back(needle);
  }
  // The count joins the account only when q searches its name (the joins of
  // the page never drop a row: both are foreign keys).
  const std::string from =
      std::string(" FROM approval_requests r") + (query.q.empty() ? "" : " JOIN accounts a ON a.id = r.account_id");
  const auto total = c.query("SELECT count(*)" + from + where, params).front().integer(0);
  json items = json::array();
  if (total > query.offset) {
    params.emplace_back(static_cast<std::int64_t>(query.limit));
    params.emplace_back(static_cast<std::int64_t>(query.offset));
    const auto rows = c.query(std::string(kSelect) + where + " ORDER BY r.id DESC LIMIT ? OFFSET ?", params);
    for (std::size_t i = 0; i < rows.size(); ++i) items.push_back(present(accounts::row_json(rows, i)));
    std::vector<json*> refs;
    for (auto& item : items) refs.push_back(&item);
    attach_steps(c, refs);
  }
  return json{{"items", std::move(items)}, {"total", total}};
}

Expected<json> create_request(db::Connection& c, const auth::Principal& p, const std::string& kind, const json& body) {
  if (!p.can("requests.write")) return Error::forbidden();
  auto values = read_request(kind, body, true);
  if (!values) return values.error();
  json row = json::object();
  for (const auto& [column, value] : *values) row[column] = value_json(value);
  if (!row.contains("visitor_count")) row["visitor_count"] = nullptr;
  if (auto s = derive(kind, row); !s) return s.error();
  if (auto s = check_references(c, p, row); !s) return s.error();
  db::Transaction tx(c, true);
  const auto now = now_text();
  row["kind"] = kind;
  row["owner_id"] = p.user_id;
  row["department_id"] = p.department_id ? json(*p.department_id) : json();
  row["created_at"] = now;
  row["updated_at"] = now;
  if (kind == kReception && !row.contains("visitors")) row["visitors"] = "[]";
  std::string columns, marks;
  db::Params params;
  for (const auto& [column, value] : row.items()) {
    columns += (columns.empty() ? "" : ", ") + column;
    marks += marks.empty() ? "?" : ", ?";
    params.push_back(db_value(value));
  }
  const auto id = c.query("INSERT INTO approval_requests (" + columns + ") VALUES (" + marks + ") RETURNING id", params)
                      .front()
                      .integer(0);
  const json created = present(*load_row(c, kind, id));
  auth::write_audit(c, p.user_id, kEntity, id, "create", nullptr, created);
  tx.commit();
  return full(c, p, *load_row(c, kind, id));
}

Expected<json> update_request(db::Connection& c, const auth::Principal& p, const std::string& kind, std::int64_t id,
                              std::int64_t version, const json& body) {
  auto values = read_request(kind, body, false);
  if (!values) return values.error();
  if (!p.can("requests.write")) {
    if (p.can("requests.read") && request_visible(c, p, id)) return Error::forbidden();
    return Error::not_found(kind + " request");
  }
  db::Transaction tx(c, true);
  auto before = load_row(c, kind, id);
  if (!before || !visible(c, p, *before)) return Error::not_found(kind + " request");
  if ((*before)["owner_id"].get<std::int64_t>() != p.user_id) {
    return Error::forbidden("only the submitter may edit a request");
  }
  const std::string status = (*before)["status"];
  if (!is_editable(status)) {
    return is_decided(status) ? immutable(status)
                              : Error::conflict("a pending request cannot be edited; withdraw it or wait");
  }
  if ((*before)["version"].get<std::int64_t>() != version) return stale();
  json row = *before;
  for (const auto& [column, value] : *values) row[column] = value_json(value);
  if (auto s = derive(kind, row); !s) return s.error();
  if (auto s = check_references(c, p, row); !s) return s.error();
  std::string assignments;
  db::Params params;
  for (const auto& [column, value] : *values) {
    assignments += column + " = ?, ";
    params.push_back(value);
  }
  params.insert(params.end(),
                {row["total_fen"].get<std::int64_t>(), row["spend_date"].get<std::string>(), now_text(), id, version});
  const auto changed = c.query("UPDATE approval_requests SET " + assignments +
                                   "total_fen = ?, spend_date = ?, version = version + 1, updated_at = ? "
                                   "WHERE id = ? AND version = ? AND status IN ('draft', 'returned')",
                               params);
  if (changed.affected != 1) return stale();
  const auto after = *load_row(c, kind, id);
  auth::write_audit(c, p.user_id, kEntity, id, "update", present(*before), present(after));
  tx.commit();
  return full(c, p, after);
}

Expected<json> act(db::Connection& c, const auth::Principal& p, const std::string& kind, std::int64_t id, Action action,
                   const json& body) {
  FieldReader reader(body);
  const auto comment = reader.text("comment", 1000);
  std::optional<std::int64_t> expected_version;
  if (body.contains("version")) expected_version = reader.integer("version", true, 1);
  if ((action == Action::reject || action == Action::return_to_submitter) && !comment.value && reader.ok()) {
    reader.fail("comment", "say why (a comment is required to reject or return)");
  }
  if (!reader.ok()) return reader.error();
  if (!p.can("requests.read")) return Error::forbidden();

  db::Transaction tx(c, true);
  auto before = load_row(c, kind, id);
  if (!before || !visible(c, p, *before)) return Error::not_found(kind + " request");
  const json& row = *before;
  const std::string status = row["status"];
  const auto version = row["version"].get<std::int64_t>();
  const auto round = row["round"].get<std::int64_t>();
  const auto current = row["current_step"].get<std::int64_t>();
  const bool owner = row["owner_id"].get<std::int64_t>() == p.user_id;
  const auto now = now_text();

  if (action == Action::submit || action == Action::withdraw) {
    if (!owner || !p.can("requests.write"))
      return Error::forbidden("only the submitter may " + std::string(to_string(action)));
  }
  if (is_decided(status)) return immutable(status);
  if (expected_version && *expected_version != version) return stale();

  std::optional<std::int64_t> step_id;
  bool last = false;
  if (action == Action::approve || action == Action::reject || action == Action::return_to_submitter) {
    if (status != "pending") return Error::conflict("the request is not waiting for a decision (" + status + ")");
    const auto step =
        c.query("SELECT id FROM approval_request_steps WHERE request_id = ? AND round = ? AND position = ?",
                {id, round, current});
    if (step.empty()) return stale();
    step_id = step.front().integer(0);
    const bool approver =
        !c.query("SELECT 1 FROM approval_step_approvers WHERE step_id = ? AND user_id = ?", {*step_id, p.user_id})
             .empty();
    if (!approver) {
      // An approver of a step already decided in this round acts on a stale
      // view (e.g. a double click racing itself): that is a conflict.
      const bool earlier = !c.query(
                                 "SELECT 1 FROM approval_request_steps s JOIN approval_step_approvers sa ON "
                                 "sa.step_id = s.id WHERE s.request_id = ? AND s.round = ? AND s.position < ? AND "
                                 "sa.user_id = ?",
                                 {id, round, current, p.user_id})
                                .empty();
      if (earlier) return Error::conflict("this step was already decided; reload the request");
      return Error::forbidden("only the approvers of the current step may decide it");
    }
    last = c.query("SELECT max(position) FROM approval_request_steps WHERE request_id = ? AND round = ?", {id, round})
               .front()
               .integer(0) == current;
  }
  const auto next = next_status(status, action, last);
  if (!next) return Error::conflict("cannot " + std::string(to_string(action)) + " a request that is " + status);

  std::int64_t new_round = round;
  std::int64_t new_step = 0;
  bool over = int_or(row, "over_budget") != 0;
  std::vector<ResolvedStep> resolved;
  if (action == Action::submit) {
    if (auto s = check_references(c, p, row); !s) return s.error();
    const auto total = row["total_fen"].get<std::int64_t>();
    over = over_budget(c, row["account_id"].get<std::int64_t>(), kind, text_or(row, "spend_date"), total);
    resolved = resolve_chain(c, kind, p.user_id, optional_id(row, "department_id"), total, over);
    if (resolved.empty()) return Error::invalid({{"chain", "the approval chain has no step for this request"}});
    for (const auto& r : resolved) {
      if (r.approvers.empty()) return Error::invalid({{"chain", "nobody can approve the step " + r.step.name}});
    }
    new_round = round + 1;
    new_step = 1;
  } else if (action == Action::approve && !last) {
    new_step = current + 1;
  }
  const bool decided = is_decided(*next);
  const auto changed = c.query(
      "UPDATE approval_requests SET status = ?, round = ?, current_step = ?, over_budget = ?, "
      "submitted_at = CASE WHEN ? = 1 THEN ? ELSE submitted_at END, decided_at = ?, version = version + 1, "
      "updated_at = ? WHERE id = ? AND version = ?",
      {*next, new_round, new_step, static_cast<std::int64_t>(over), static_cast<std::int64_t>(action == Action::submit),
       now, decided ? db::Value(now) : db::Value(nullptr), now, id, version});
  if (changed.affected != 1) return stale();  // someone else moved it first

  std::int64_t event_position = 0;
  switch (action) {
    case Action::submit: {
      std::int64_t position = 0;
      for (const auto& r : resolved) {
        ++position;
        const auto sid = c.query(
                              "INSERT INTO approval_request_steps (request_id, round, position, name, resolver, "
                              "status) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                              {id, new_round, position, r.step.name, r.step.resolver,
                               std::string(position == 1 ? "pending" : "waiting")})
                             .front()
                             .integer(0);
        for (auto user : r.approvers) {
          c.query("INSERT INTO approval_step_approvers (step_id, user_id, pending) VALUES (?, ?, ?)",
                  {sid, user, static_cast<std::int64_t>(position == 1)});
        }
      }
      break;
    }
    case Action::approve:
    case Action::reject:
    case Action::return_to_submitter: {
      const std::string step_status = action == Action::approve  ? "approved"
                                      : action == Action::reject ? "rejected"
                                                                 : "returned";
      const auto step = c.query(
          "UPDATE approval_request_steps SET status = ?, decided_by = ?, comment = ?, decided_at = ? "
          "WHERE id = ? AND status = 'pending'",
          {step_status, p.user_id, comment.value ? db::Value(*comment.value) : db::Value(nullptr), now, *step_id});
      if (step.affected != 1) return stale();
      c.query("UPDATE approval_step_approvers SET pending = 0 WHERE step_id = ?", {*step_id});
      if (new_step > 0) {
        c.query(
            "UPDATE approval_request_steps SET status = 'pending' WHERE request_id = ? AND round = ? AND position = ?",
            {id, round, new_step});
        c.query(
            "UPDATE approval_step_approvers SET pending = 1 WHERE step_id IN (SELECT id FROM approval_request_steps "
            "WHERE request_id = ? AND round = ? AND position = ?)",
            {id, round, new_step});
      }
      event_position = current;
      break;
    }
    case Action::withdraw:
      if (status == "pending") {
        c.query(
            "UPDATE approval_request_steps SET status = 'withdrawn', decided_by = ?, comment = ?, decided_at = ? "
            "WHERE request_id = ? AND round = ? AND position = ?",
            {p.user_id, comment.value ? db::Value(*comment.value) : db::Value(nullptr), now, id, round, current});
        c.query(
            "UPDATE approval_step_approvers SET pending = 0 WHERE step_id IN (SELECT id FROM approval_request_steps "
            "WHERE request_id = ? AND round = ? AND position = ?)",
            {id, round, current});
      }
      break;
  }
  record_event(c, id, new_round, event_position, action, p.user_id, comment.value, now);
  const auto after = *load_row(c, kind, id);
  auth::write_audit(c, p.user_id, kEntity, id, to_string(action), present(row), present(after));
  tx.commit();
  return full(c, p, after);
}

Expected<json> inbox(db::Connection& c, const auth::Principal& p, int limit, int offset) {
  if (!p.can("requests.read")) return Error::forbidden();
  // The pending flag mirrors the step's status (every transition keeps them
  // in step), so the count is a range of the partial index
  // approval_step_approvers_inbox and the page walks it in step order
  // (oldest step first) - no sort, even for finance with thousands waiting.
  const auto total =
      c.query("SELECT count(*) FROM approval_step_approvers WHERE user_id = ? AND pending = 1", {p.user_id})
          .front()
          .integer(0);
  json items = json::array();
  if (total > offset) {
    const auto rows = c.query(
        "SELECT r.*, a.name AS account_name, u.display_name AS owner_name FROM approval_step_approvers sa "
        "JOIN approval_request_steps s ON s.id = sa.step_id JOIN approval_requests r ON r.id = s.request_id "
        "JOIN accounts a ON a.id = r.account_id JOIN users u ON u.id = r.owner_id "
        "WHERE sa.user_id = ? AND sa.pending = 1 ORDER BY sa.step_id LIMIT ? OFFSET ?",
        {p.user_id, static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset)});
    for (std::size_t i = 0; i < rows.size(); ++i) items.push_back(present(accounts::row_json(rows, i)));
    std::vector<json*> refs;
    for (auto& item : items) refs.push_back(&item);
    attach_steps(c, refs);
  }
  return json{{"items", std::move(items)}, {"total", total}, {"count", total}};
}

Expected<json> mine(db::Connection& c, const auth::Principal& p, const std::optional<std::string>& status, int limit,
                    int offset) {
  if (!p.can("requests.read")) return Error::forbidden();
  std::string where = " WHERE r.owner_id = ?";
  db::Params params{p.user_id};
  if (status) {
    where += " AND r.status = ?";
    params.emplace_back(*status);
  }
  const auto total = c.query("SELECT count(*) FROM approval_requests r" + where, params).front().integer(0);
  json items = json::array();
  if (total > offset) {
    params.emplace_back(static_cast<std::int64_t>(limit));
    params.emplace_back(static_cast<std::int64_t>(offset));
    const auto rows = c.query(std::string(kSelect) + where + " ORDER BY r.id DESC LIMIT ? OFFSET ?", params);
    for (std::size_t i = 0; i < rows.size(); ++i) items.push_back(present(accounts::row_json(rows, i)));
    std::vector<json*> refs;
    for (auto& item : items) refs.push_back(&item);
    attach_steps(c, refs);
  }
  return json{{"items", std::move(items)}, {"total", total}};
}

// ---- chains ----

namespace {

Expected<json> chain_json(db::Connection& c, const std::string& kind) {
  const auto rows = c.query("SELECT id, kind, version, updated_at FROM approval_chains WHERE kind = ?", {kind});
  if (rows.empty()) return Error::not_found("approval chain");
  json chain = accounts::row_json(rows, 0);
  chain["steps"] = json::array();
  std::int64_t position = 0;
  for (const auto& step : chain_steps(c, kind)) {
    chain["steps"].push_back({{"position", ++position},
                              {"name", step.name},
                              {"resolver", step.resolver},
                              {"min_amount_fen", step.min_amount_fen ? json(*step.min_amount_fen) : json()},
                              {"when_over_budget", step.when_over_budget}});
  }
  return chain;
}

}  // namespace

Expected<json> list_chains(db::Connection& c, const auth::Principal& p) {
  if (!p.can("requests.read") && !p.can("approvals.admin")) return Error::forbidden();
  json items = json::array();
  for (const char* kind : {kGift, kReception}) {
    auto chain = chain_json(c, kind);
    if (chain) items.push_back(*chain);
  }
  const auto count = items.size();
  return json{{"items", std::move(items)}, {"total", count}};
}

Expected<json> get_chain(db::Connection& c, const auth::Principal& p, const std::string& kind) {
  if (!is_kind(kind)) return Error::not_found("approval chain");
  if (!p.can("requests.read") && !p.can("approvals.admin")) return Error::forbidden();
  return chain_json(c, kind);
}

Expected<json> put_chain(db::Connection& c, const auth::Principal& p, const std::string& kind, const json& body) {
  if (!is_kind(kind)) return Error::not_found("approval chain");
  if (!p.can("approvals.admin")) return Error::forbidden();
  FieldReader reader(body);
  const auto version = reader.integer("version", true, 1);
  std::vector<FieldError> errors;
  if (!reader.ok()) errors = reader.error().fields();
  std::vector<ChainStep> steps;
  const json* list = body.contains("steps") ? &body["steps"] : nullptr;
  if (list == nullptr || !list->is_array() || list->empty() || list->size() > 10) {
    errors.push_back({"steps", "must be a list of 1 to 10 steps"});
  } else {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string prefix = "steps[" + std::to_string(i) + "]";
      const json& item = (*list)[i];
      if (!item.is_object()) {
        errors.push_back({prefix, "must be an object {name, resolver, min_amount_fen, when_over_budget}"});
        continue;
      }
      FieldReader r(item);
      auto name = r.text("name", 100, true);
      auto resolver = r.text("resolver", 64, true);
      auto min_amount = r.nullable_integer("min_amount_fen");
      if (min_amount.second && *min_amount.second < 0) r.fail("min_amount_fen", "must be at least 0");
      auto over = r.boolean("when_over_budget");
      if (resolver.value) {
        if (!is_resolver(*resolver.value)) {
          r.fail("resolver", "must be department_manager or role:<code>");
        } else if (resolver.value->rfind("role:", 0) == 0 &&
                   c.query("SELECT 1 FROM roles WHERE code = ?", {resolver.value->substr(5)}).empty()) {
          r.fail("resolver", "no such role");
        }
      }
      collect(errors, prefix, r);
      if (r.ok()) steps.push_back({*name.value, *resolver.value, min_amount.second, over.value_or(false)});
    }
    if (errors.empty() &&
        std::none_of(steps.begin(), steps.end(), [](const ChainStep& s) { return !s.min_amount_fen; })) {
      errors.push_back({"steps", "at least one step must apply to every request (no min_amount_fen)"});
    }
  }
  if (!errors.empty()) return Error::invalid(errors);
  db::Transaction tx(c, true);
  auto before = chain_json(c, kind);
  if (!before) return before.error();
  const auto changed =
      c.query("UPDATE approval_chains SET version = version + 1, updated_at = ? WHERE kind = ? AND version = ?",
              {now_text(), kind, *version});
  if (changed.affected != 1) return Error::conflict("the chain was changed by someone else; reload and try again");
  const auto chain_id = (*before)["id"].get<std::int64_t>();
  c.query("DELETE FROM approval_chain_steps WHERE chain_id = ?", {chain_id});
  std::int64_t position = 0;
  for (const auto& step : steps) {
    c.query(
        "INSERT INTO approval_chain_steps (chain_id, position, name, resolver, min_amount_fen, when_over_budget) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {chain_id, ++position, step.name, step.resolver,
         step.min_amount_fen ? db::Value(*step.min_amount_fen) : db::Value(nullptr),
         static_cast<std::int64_t>(step.when_over_budget)});
  }
  auto after = chain_json(c, kind);
  auth::write_audit(c, p.user_id, "approval_chain", chain_id, "update", *before, *after);
  tx.commit();
  return after;
}

// ---- budgets ----

namespace {

const std::vector<Field>& budget_fields() {
  static const std::vector<Field> fields = {
      {.name = "account_id", .kind = Field::Kind::id, .required = true, .on_create_only = true},
      {.name = "kind",
       .kind = Field::Kind::choice,
       .choices = {kGift, kReception},
       .required = true,
       .on_create_only = true},
      {.name = "period", .max_length = 7, .required = true, .on_create_only = true},
      {.name = "amount_fen", .kind = Field::Kind::integer, .min = 0, .max = kMaxMoney, .required = true},
      {.name = "notes", .max_length = 500},
  };
  return fields;
}

const char* kBudgetSelect =
    "SELECT b.id, b.account_id, a.name AS account_name, b.kind, b.period, b.period_start, b.period_end, "
    "b.amount_fen, (SELECT CAST(COALESCE(SUM(x.total_fen), 0) AS BIGINT) FROM approval_requests x WHERE x.account_id = "
    "b.account_id "
    "AND x.kind = b.kind AND x.status = 'approved' AND x.spend_date >= b.period_start AND x.spend_date <= "
    "b.period_end) AS committed_fen, b.notes, b.version, b.created_at, b.updated_at "
    "FROM budgets b JOIN accounts a ON a.id = b.account_id";

json budget_json(const db::Result& rows, std::size_t i) {
  json b = accounts::row_json(rows, i);
  b["remaining_fen"] = b["amount_fen"].get<std::int64_t>() - b["committed_fen"].get<std::int64_t>();
  return b;
}

std::optional<json> load_budget(db::Connection& c, std::int64_t id) {
  const auto rows = c.query(std::string(kBudgetSelect) + " WHERE b.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return budget_json(rows, 0);
}

}  // namespace

bool budget_visible(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("budgets.admin")) return false;
  const auto rows = c.query("SELECT account_id FROM budgets WHERE id = ?", {id});
  return !rows.empty() && accounts::account_visible(c, p, rows.front().integer(0), true);
}

Expected<json> list_budgets(db::Connection& c, const auth::Principal& p, const BudgetQuery& query) {
  if (!p.can("budgets.admin")) return Error::forbidden();
  const auto scope = auth::scope_clause(p, "a");
  std::string where = " WHERE a.deleted_at IS NULL AND " + scope.sql;
  db::Params params = scope.params;
  if (query.account_id) {
    where += " AND b.account_id = ?";
    params.emplace_back(*query.account_id);
  }
  if (query.kind) {
    where += " AND b.kind = ?";
    params.emplace_back(*query.kind);
  }
  if (query.period) {
    where += " AND b.period = ?";
    params.emplace_back(*query.period);
  }
  const auto total = c.query("SELECT count(*) FROM budgets b JOIN accounts a ON a.id = b.account_id" + where, params)
                         .front()
                         .integer(0);
  json items = json::array();
  if (total > query.offset) {
    params.emplace_back(static_cast<std::int64_t>(query.limit));
    params.emplace_back(static_cast<std::int64_t>(query.offset));
    const auto rows = c.query(std::string(kBudgetSelect) + where +
                                  " ORDER BY b.period_start DESC, b.account_id, b.kind, b.id LIMIT ? OFFSET ?",
                              params);
    for (std::size_t i = 0; i < rows.size(); ++i) items.push_back(budget_json(rows, i));
  }
  return json{{"items", std::move(items)}, {"total", total}};
}

Expected<json> get_budget(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("budgets.admin")) return Error::forbidden();
  if (!budget_visible(c, p, id)) return Error::not_found("budget");
  return *load_budget(c, id);
}

Expected<json> create_budget(db::Connection& c, const auth::Principal& p, const json& body) {
  if (!p.can("budgets.admin")) return Error::forbidden();
  auto values = accounts::read_fields(body, budget_fields(), true);
  if (!values) return values.error();
  const auto account = std::get<std::int64_t>(*accounts::find_value(*values, "account_id"));
  const auto period = parse_period(std::get<std::string>(*accounts::find_value(*values, "period")));
  std::vector<FieldError> errors;
  if (!accounts::account_visible(c, p, account)) errors.push_back({"account_id", "no such account"});
  if (!period) errors.push_back({"period", "must be a quarter like 2026-Q4 or a year like 2026"});
  if (!errors.empty()) return Error::invalid(errors);
  const auto* notes = accounts::find_value(*values, "notes");
  db::Transaction tx(c, true);
  const auto now = now_text();
  std::int64_t id = 0;
  try {
    id = c.query(
              "INSERT INTO budgets (account_id, kind, period, period_start, period_end, amount_fen, notes, "
              "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
              {account, *accounts::find_value(*values, "kind"), period->code, period->first_day, period->last_day,
               *accounts::find_value(*values, "amount_fen"), notes ? *notes : db::Value(nullptr), now, now})
             .front()
             .integer(0);
  } catch (const db::DbError& e) {
    if (e.kind() != db::DbError::Kind::unique_violation) throw;
    return Error::conflict("this account already has a budget of that kind for " + period->code);
  }
  auto created = *load_budget(c, id);
  auth::write_audit(c, p.user_id, "budget", id, "create", nullptr, created);
  tx.commit();
  return created;
}

Expected<json> update_budget(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                             const json& body) {
  auto values = accounts::read_fields(body, budget_fields(), false);
  if (!values) return values.error();
  if (!p.can("budgets.admin")) return Error::forbidden();
  db::Transaction tx(c, true);
  if (!budget_visible(c, p, id)) return Error::not_found("budget");
  auto before = *load_budget(c, id);
  if (before["version"].get<std::int64_t>() != version) {
    return Error::conflict("the budget was changed by someone else; reload and try again");
  }
  std::string assignments;
  db::Params params;
  for (const auto& [column, value] : *values) {
    assignments += column + " = ?, ";
    params.push_back(value);
  }
  params.insert(params.end(), {now_text(), id, version});
  const auto changed = c.query(
      "UPDATE budgets SET " + assignments + "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
      params);
  if (changed.affected != 1) return Error::conflict("the budget was changed by someone else; reload and try again");
  auto after = *load_budget(c, id);
  auth::write_audit(c, p.user_id, "budget", id, "update", before, after);
  tx.commit();
  return after;
}

Status delete_budget(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  if (!p.can("budgets.admin")) return Error::forbidden();
  db::Transaction tx(c, true);
  if (!budget_visible(c, p, id)) return Error::not_found("budget");
  auto before = *load_budget(c, id);
  c.query("DELETE FROM budgets WHERE id = ?", {id});
  auth::write_audit(c, p.user_id, "budget", id, "delete", before, nullptr);
  tx.commit();
  return ok_status();
}

// ---- cost of development ----

Expected<json> development_cost(db::Connection& c, const auth::Principal& p, std::int64_t account_id) {
  if (!p.can("requests.read")) return Error::forbidden();
  if (!accounts::account_visible(c, p, account_id)) return Error::not_found("account");
  std::int64_t gift = 0, reception = 0, count = 0;
  std::map<std::int64_t, json> by_opportunity;
  for (const auto& row : c.query(
           "SELECT kind, opportunity_id, CAST(COALESCE(SUM(total_fen), 0) AS BIGINT), count(*) FROM approval_requests "
           "WHERE account_id = ? AND status = 'approved' GROUP BY kind, opportunity_id",
           {account_id})) {
    const std::string kind = row.text(0);
    const auto sum = row.integer(2);
    (kind == kGift ? gift : reception) += sum;
    count += row.integer(3);
    if (auto opportunity = row.optional_integer("opportunity_id")) {
      auto& entry = by_opportunity[*opportunity];
      if (entry.is_null()) {
        entry = {{"opportunity_id", *opportunity}, {"gift_fen", 0}, {"reception_fen", 0}, {"total_fen", 0}};
      }
      entry[kind == kGift ? "gift_fen" : "reception_fen"] =
          entry[kind == kGift ? "gift_fen" : "reception_fen"].get<std::int64_t>() + sum;
      entry["total_fen"] = entry["total_fen"].get<std::int64_t>() + sum;
    }
  }
  json opportunities = json::array();
  for (auto& [id, entry] : by_opportunity) opportunities.push_back(entry);
  json budgets = json::array();
  const auto rows = c.query(std::string(kBudgetSelect) + " WHERE b.account_id = ? ORDER BY b.period_start DESC, b.kind",
                            {account_id});
  for (std::size_t i = 0; i < rows.size(); ++i) budgets.push_back(budget_json(rows, i));
  return json{{"account_id", account_id},   {"gift_fen", gift},
              {"reception_fen", reception}, {"total_fen", gift + reception},
              {"approved_count", count},    {"by_opportunity", opportunities},
              {"budgets", budgets}};
}

}  // namespace kam::approvals
