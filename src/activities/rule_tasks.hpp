// Tasks raised by rules rather than by people (the follow-up rule lives with
// visits): an account about to fall back into the customer pool gives its
// owner an urgent task a week before (pool_recovery), and a decision maker
// who left gives the account's owner a task to rebuild the relationship
// (decision_maker_left). An hourly leased job raises them; each is raised
// once (a task already linked to the account / contact is not repeated).
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/jobs/jobs.hpp"

namespace kam::activities {

inline constexpr const char* kRuleTasksJob = "activity-rule-tasks";
inline constexpr int kPoolWarningDays = 7;

// {pool_recovery: n, decision_maker_left: m} tasks raised as of `at`.
nlohmann::json raise_rule_tasks(db::Connection& c, Instant at);
// The admin's manual run (users.admin).
Expected<nlohmann::json> run_rule_tasks(db::Connection& c, const auth::Principal& p);
void register_jobs(jobs::JobRunner& runner);

}  // namespace kam::activities
