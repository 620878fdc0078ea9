// The customer pool (公海) and account ownership: claim, release, transfer,
// bulk transfer, the pool's limits (settings row 'pool'), the recovery job
// that returns neglected accounts to the pool, and the ownership log.
// Part of the accounts module (it writes accounts.owner_id / department_id /
// owned_since and owns tables account_ownership_log and settings['pool']).
//
// Who may do what:
//   pool list      any user with accounts.read (the whole pool, not scope-limited)
//   claim          accounts.write; only an unowned live account (409 if owned);
//                  limits max_owned_per_user and max_claims_per_day (422)
//   release        the owner (accounts.write), or accounts.transfer within scope
//   transfer       accounts.transfer; account in scope and the new owner's
//                  department within the caller's scope; new owner's
//                  max_owned_per_user applies (422)
//   settings       read: accounts.read; change: users.admin
//   recovery run   users.admin (the background job runs it hourly)
// Every ownership change writes account_ownership_log and an audit row on the
// account in the same transaction and sets owned_since (null in the pool).
//
// "Claims per day" counts claims since 00:00 UTC of the current day (UTC, not
// Asia/Shanghai, to keep the rule independent of server time zones).
//
// Thread-safe: each call uses the connection given; concurrent claims of one
// account are decided by a conditional UPDATE (exactly one wins on both back
// ends), and limit checks are serialised per user by locking the user's row.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.hpp"
#include "auth/guard.hpp"
#include "platform/core/clock.hpp"
#include "platform/jobs/jobs.hpp"

namespace kam::accounts::pool {

// ---- settings --------------------------------------------------------------

struct RecoveryDays {
  std::int64_t a = 90, b = 60, c = 30, none = 30;
};

struct PoolSettings {
  std::int64_t max_owned_per_user = 200;
  std::int64_t max_claims_per_day = 20;
  RecoveryDays recovery_days;
  std::int64_t version = 1;  // of the settings row (1 while it is the defaults)
};

nlohmann::json to_json(const PoolSettings& settings);

// Pure: applies a PATCH body (version checked by the caller) onto `current`;
// 422 naming each bad field. Integer ranges: max_owned_per_user 1..1000000,
// max_claims_per_day 0..100000, recovery_days.* 1..3650.
Expected<PoolSettings> apply_settings_patch(const PoolSettings& current, const nlohmann::json& body);

PoolSettings load_settings(db::Connection& c);
Expected<PoolSettings> get_settings(db::Connection& c, const auth::Principal& p);
Expected<PoolSettings> update_settings(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);

// ---- pure limit rules --------------------------------------------------------

enum class OwnershipAction { claim, transfer };

// What the new owner has now (live accounts owned, claims today).
struct OwnerLoad {
  std::int64_t owned = 0;
  std::int64_t claims_today = 0;
};

// Pure: may `load`'s user take `adding` more accounts by `action`? An error
// is 422 with a field named after the limit (max_owned_per_user or
// max_claims_per_day; a transfer only checks max_owned_per_user) and a
// detail that says which limit and the numbers.
Status check_limits(const PoolSettings& settings, OwnershipAction action, const OwnerLoad& load, std::int64_t adding);

// Pure: the recovery period of a tier ("A", "B", "C"; anything else = none).
std::int64_t recovery_days_for(const PoolSettings& settings, const std::optional<std::string>& tier);

// ---- ownership operations --------------------------------------------------

struct PoolQuery {
  std::string q;
  std::optional<std::string> province, city, industry, tier;
  int limit = 20;
  int offset = 0;
};

// The pool (owner_id null, live), newest first.
Expected<AccountPage> list_pool(db::Connection& c, const auth::Principal& p, const PoolQuery& query);

Expected<Account> claim(db::Connection& c, const auth::Principal& p, std::int64_t account_id);
Expected<Account> release(db::Connection& c, const auth::Principal& p, std::int64_t account_id);
Expected<Account> transfer(db::Connection& c, const auth::Principal& p, std::int64_t account_id,
                           std::int64_t new_owner_id);
// All or nothing: any invalid account or limit → error and nothing changes.
Expected<std::int64_t> bulk_transfer(db::Connection& c, const auth::Principal& p,
                                     const std::vector<std::int64_t>& account_ids, std::int64_t new_owner_id);

// {items:[{id, action, from_user_id, from_user_name, to_user_id, to_user_name,
// by_user_id, by_user_name, at}], total}, newest first; 404 if the account
// is neither visible to p nor in the pool.
Expected<nlohmann::json> ownership_log(db::Connection& c, const auth::Principal& p, std::int64_t account_id, int limit,
                                       int offset);

// For modules that assign an owner themselves (the importer): records the
// change in the caller's transaction - an account_ownership_log row and
// owned_since (now when to_user_id is set, null otherwise). Does not change
// owner_id/department_id and writes no audit row (the caller audits).
void record_ownership(db::Connection& c, std::int64_t account_id, const std::string& action,
                      std::optional<std::int64_t> from_user_id, std::optional<std::int64_t> to_user_id,
                      std::optional<std::int64_t> by_user_id);

// ---- recovery --------------------------------------------------------------

inline constexpr const char* kRecoveryJob = "pool-recovery";

// Returns to the pool every owned live account whose
// coalesce(last_activity_at, owned_since, created_at) is older than its
// tier's recovery days as of `now`. Audited with user null and a reason.
// Safe to run concurrently (each account is returned by a conditional
// UPDATE). Returns the number recovered.
std::int64_t recover(db::Connection& c, Instant now);
// The admin's manual run (users.admin).
Expected<std::int64_t> run_recovery(db::Connection& c, const auth::Principal& p);

// Registers the hourly recovery job.
void register_jobs(jobs::JobRunner& runner);

// HTTP routes: /accounts/pool, /accounts/{id}/claim|release|transfer|ownership-log,
// /accounts/bulk-transfer, /settings/pool, /jobs/pool-recovery/run.
void register_pool_routes(http::Router& router, auth::ApiContext& context);

}  // namespace kam::accounts::pool
