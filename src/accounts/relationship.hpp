// The relationship stage (关系阶段) of an account: establish → stabilize →
// strengthen. Other modules change it only through these functions, which
// keep the account's version and audit trail in step. Call them inside the
// caller's transaction (they do not open one).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::accounts {

inline constexpr const char* kEstablish = "establish";

// The account's stage; nullopt when there is no such (live) account.
std::optional<std::string> relationship_stage(db::Connection& connection, std::int64_t account_id);

// Sets the account's relationship_stage back to `establish` unless it is
// already there: bumps version and updated_at and writes an audit row on the
// account by `user_id` whose after JSON carries `reason` (e.g.
// "decision_maker_left"). Returns whether the stage changed. No scope check:
// the caller has already checked that the account is visible.
bool fall_back_relationship(db::Connection& connection, std::int64_t user_id, std::int64_t account_id,
                            const std::string& reason);

// Appends a stage move to the account's relationship history
// (relationship_stage_changes, shown on the account timeline): every path that
// changes the stage calls it - an archive edit (reason "archive_edit"), the
// decision-maker-left rule, a deliberate move with a reason (activities).
void record_relationship_change(db::Connection& connection, std::int64_t user_id, std::int64_t account_id,
                                const std::string& from, const std::string& to, const std::string& reason);

}  // namespace kam::accounts
