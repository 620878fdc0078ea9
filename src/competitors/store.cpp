// The competitor registry and per-account presence as record tables.
#include "competitors/competitors.hpp"

namespace kam::competitors {

using accounts::Field;

namespace {

accounts::RecordTable make_registry() {
  accounts::RecordTable t;
  t.table = "competitors";
  t.entity = "competitor";
  t.account_scoped = false;
  t.fields = {
      {.name = "name", .max_length = 200, .required = true},
      {.name = "website", .max_length = 300},
      {.name = "main_products", .max_length = 1000},
      {.name = "strengths", .max_length = 2000},
      {.name = "weaknesses", .max_length = 2000},
      {.name = "notes", .max_length = 2000},
  };
  t.duplicate_message = "a competitor with this name already exists";
  return t;
}

accounts::RecordTable make_presence() {
  accounts::RecordTable t;
  t.table = "account_competitors";
  t.entity = "account_competitor";
  t.fields = {
      {.name = "account_id", .kind = Field::Kind::id, .required = true, .on_create_only = true},
      {.name = "competitor_id", .kind = Field::Kind::id, .required = true, .on_create_only = true},
      {.name = "products", .max_length = 1000},
      {.name = "price_level", .kind = Field::Kind::choice, .choices = {"higher", "similar", "lower"}},
      {.name = "share_percent", .kind = Field::Kind::integer, .min = 0, .max = 100},
      {.name = "strengths", .max_length = 2000},
      {.name = "weaknesses", .max_length = 2000},
      {.name = "notes", .max_length = 2000},
  };
  t.extra_columns = ", c.name AS competitor_name";
  t.extra_joins = " JOIN competitors c ON c.id = t.competitor_id";
  t.duplicate_message = "this competitor is already recorded at this account";
  t.check = [](db::Connection& c, const accounts::Values& values) -> Status {
    const auto* competitor = accounts::find_value(values, "competitor_id");
    if (competitor == nullptr) return ok_status();
    const auto rows = c.query("SELECT 1 FROM competitors WHERE id = ? AND deleted_at IS NULL", {*competitor});
    if (rows.empty()) return Error::invalid({{"competitor_id", "no such competitor"}});
    return ok_status();
  };
  return t;
}

}  // namespace

const accounts::RecordTable& competitor_table() {
  static const accounts::RecordTable table = make_registry();
  return table;
}

const accounts::RecordTable& account_competitor_table() {
  static const accounts::RecordTable table = make_presence();
  return table;
}

}  // namespace kam::competitors
