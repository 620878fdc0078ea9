// Secondary customers (二级客户) of an account: the retailers and dealers a
// channel account sells to, with their growth records (成长记录: revenue and
// outlets over time). This is the module's contract. Owns tables
// secondary_customers (a record table of accounts/records.hpp) and
// secondary_customer_growth (append-only).
//
// Scope follows the parent account: a secondary customer of an account the
// caller cannot see is not_found, and so are its growth records. Writes need
// accounts.write; every change is audited (entities "secondary_customer" and
// "secondary_customer_growth").
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "accounts/records.hpp"
#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::secondary {

// The secondary_customers table; records carry `latest_growth` (the newest
// growth record or null).
const accounts::RecordTable& secondary_customer_table();

// Pure: reads a growth record body {recorded_on, revenue_fen?, outlets?, note?}.
Expected<accounts::Values> read_growth(const nlohmann::json& body);

// Appends a growth record by p → {id, secondary_customer_id, recorded_on,
// revenue_fen, outlets, note, created_by, created_at}.
Expected<nlohmann::json> add_growth(db::Connection& c, const auth::Principal& p, std::int64_t secondary_customer_id,
                                    const accounts::Values& growth);
// {items (newest recorded_on first), total}.
Expected<nlohmann::json> list_growth(db::Connection& c, const auth::Principal& p, std::int64_t secondary_customer_id,
                                     int limit, int offset);

// For the audit log: may p see this growth record?
bool growth_visible(db::Connection& c, const auth::Principal& p, std::int64_t growth_id);

}  // namespace kam::secondary
