// Secondary customers as a record table, and their append-only growth records.
#include "auth/audit.hpp"
#include "platform/core/clock.hpp"
#include "secondary/secondary.hpp"

namespace kam::secondary {

using accounts::Field;
using nlohmann::json;

namespace {

constexpr const char* kGrowthSelect =
    "SELECT id, secondary_customer_id, recorded_on, revenue_fen, outlets, note, created_by, created_at "
    "FROM secondary_customer_growth ";

const std::vector<Field>& growth_fields() {
  static const std::vector<Field> fields = {
      {.name = "recorded_on", .kind = Field::Kind::date, .required = true},
      {.name = "revenue_fen", .kind = Field::Kind::integer},
      {.name = "outlets", .kind = Field::Kind::integer},
      {.name = "note", .max_length = 1000},
  };
  return fields;
}

json latest_growth(db::Connection& c, std::int64_t secondary_customer_id) {
  const auto rows =
      c.query(std::string(kGrowthSelect) + "WHERE secondary_customer_id = ? ORDER BY recorded_on DESC, id DESC LIMIT 1",
              {secondary_customer_id});
  return rows.empty() ? json(nullptr) : accounts::row_json(rows, 0);
}

accounts::RecordTable make_table() {
  accounts::RecordTable t;
  t.table = "secondary_customers";
  t.entity = "secondary_customer";
  t.fields = {
      {.name = "account_id", .kind = Field::Kind::id, .required = true, .on_create_only = true},
      {.name = "name", .max_length = 200, .required = true},
      {.name = "kind",
       .kind = Field::Kind::choice,
       .choices = {"direct_retailer", "indirect_retailer", "mixed_dealer"},
       .required = true},
      {.name = "contact_name", .max_length = 100},
      {.name = "phone", .max_length = 50},
      {.name = "province", .max_length = 50},
      {.name = "city", .max_length = 50},
      {.name = "address", .max_length = 500},
      {.name = "business_status", .max_length = 500},
      {.name = "resources", .max_length = 2000},
      {.name = "notes", .max_length = 2000},
  };
  t.decorate = [](db::Connection& c, json& record) {
    record["latest_growth"] = latest_growth(c, record["id"].get<std::int64_t>());
  };
  return t;
}

}  // namespace

const accounts::RecordTable& secondary_customer_table() {
  static const accounts::RecordTable table = make_table();
  return table;
}

Expected<accounts::Values> read_growth(const json& body) {
  return accounts::read_fields(body, growth_fields(), true);
}

Expected<json> add_growth(db::Connection& c, const auth::Principal& p, std::int64_t secondary_customer_id,
                          const accounts::Values& growth) {
  if (!p.can("accounts.write")) return Error::forbidden();
  db::Transaction tx(c, true);
  auto parent = accounts::get_record(c, p, secondary_customer_table(), secondary_customer_id);
  if (!parent) return parent.error();
  std::string columns, placeholders;
  db::Params params{secondary_customer_id};
  for (const auto& [column, value] : growth) {
    columns += ", " + column;
    placeholders += ", ?";
    params.push_back(value);
  }
  params.emplace_back(p.user_id);
  params.emplace_back(now_text());
  const auto id = c.query("INSERT INTO secondary_customer_growth (secondary_customer_id" + columns +
                              ", created_by, created_at) VALUES (?" + placeholders + ", ?, ?) RETURNING id",
                          params)
                      .front()
                      .integer(0);
  const auto created = accounts::row_json(c.query(std::string(kGrowthSelect) + "WHERE id = ?", {id}), 0);
  auth::write_audit(c, p.user_id, "secondary_customer_growth", id, "create", nullptr, created);
  tx.commit();
  return created;
}

Expected<json> list_growth(db::Connection& c, const auth::Principal& p, std::int64_t secondary_customer_id, int limit,
                           int offset) {
  auto parent = accounts::get_record(c, p, secondary_customer_table(), secondary_customer_id);
  if (!parent) return parent.error();
  const auto rows =
      c.query(std::string(kGrowthSelect) +
                  "WHERE secondary_customer_id = ? ORDER BY recorded_on DESC, id DESC LIMIT ? OFFSET ?",
              {secondary_customer_id, static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset)});
  json items = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) items.push_back(accounts::row_json(rows, i));
  const auto total = c.query("SELECT count(*) FROM secondary_customer_growth WHERE secondary_customer_id = ?",
                             {secondary_customer_id});
  return json{{"items", std::move(items)}, {"total", total.front().integer(0)}};
}

bool growth_visible(db::Connection& c, const auth::Principal& p, std::int64_t growth_id) {
  const auto rows = c.query("SELECT secondary_customer_id FROM secondary_customer_growth WHERE id = ?", {growth_id});
  return !rows.empty() && accounts::record_visible(c, p, secondary_customer_table(), rows.front().integer(0));
}

}  // namespace kam::secondary
