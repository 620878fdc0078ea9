// The five-stage development pipeline (大客户开发流程): opportunities (开发项目)
// move from 1 identify target, 2 information and samples, 3 value assessment
// and plan, 4 relationship building to 5 closing, each stage a gate whose
// evidence the system checks. This is the module's contract. Owns the tables
// of migrations/006_pipeline.sql.
//
// Scope: an opportunity carries owner_id and department_id like an account and
// follows auth::scope_clause on its own owner/department; one outside the
// caller's scope is not_found and never counted. Its child records (samples,
// plan steps, touchpoints, closing records, history) follow the opportunity.
// Creating one needs the account visible to the caller (422 on account_id).
// Reads need opportunities.read, writes opportunities.write, a gate override
// opportunities.override, editing gates / lost reasons / settings
// pipeline.admin. Every change is audited (entity "opportunity", children
// "opportunity_sample", "opportunity_plan_step").
//
// Gates: advance moves to the next stage only when every enabled gate item of
// the current stage holds (422 listing each unmet item as an error whose field
// is the item code); stages are never skipped. A caller with
// opportunities.override may advance anyway with a written reason; the
// history row keeps override = true and the reason. Closing as won needs stage
// 5 and its gate (or an override reason), lost needs a reason code from the
// taxonomy, a no-go at stage 1 terminates.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::pipeline {

inline constexpr int kStages = 5;

// ---- gates (pure) ----

// One checklist item, as stored in gate_items. Kinds:
//   field                    params.field is recorded (non-empty)
//   equals                   params.field equals params.value
//   count                    counts[params.count] >= params.min (default 1)
//   decision_makers_level    every decision maker has relationship level >= params.min_level
//   decision_makers_touched  every decision maker has >= params.min touchpoints (default 1): the
//                            opportunity's touchpoint notes, and since it was opened, contact logs
//                            with the contact and visits whose customer participants name them
struct GateItem {
  std::int64_t id = 0;
  int stage = 1;
  std::string code;
  std::string kind;
  nlohmann::json params = nlohmann::json::object();
  std::string label_zh;
  std::string label_en;
  bool enabled = true;
  int position = 0;
};

struct DecisionMaker {
  std::int64_t contact_id = 0;
  std::string name;
  std::optional<std::int64_t> relationship_level;
  std::int64_t touchpoints = 0;
};

// What the checker looks at: the recorded fields of the opportunity (only the
// non-empty ones), counted evidence and the account's active decision makers.
struct Evidence {
  std::map<std::string, std::string> fields;
  std::map<std::string, std::int64_t> counts;  // samples_passed, insiders, obstacles, plan_steps, decision_makers,
                                               // executive_meetings, inspections, system_support
  std::vector<DecisionMaker> decision_makers;
};

struct Unmet {
  std::string code;
  std::string label_zh;
  std::string label_en;
  std::string detail;     // what is missing, in English (e.g. the decision makers below the level)
  std::string detail_zh;  // the same in Chinese
};

// Pure: the enabled items of `stage` that the evidence does not satisfy, in
// checklist order. An unknown kind is unmet (a misconfigured gate must not
// open silently).
std::vector<Unmet> check_gate(int stage, const Evidence& evidence, const std::vector<GateItem>& items);

// Pure: may this advance (or close as won) go ahead? allowed when the gate holds;
// otherwise only with override permission and a non-blank reason (then
// overridden = true). `forbidden` when a reason was given without the permission.
struct AdvanceDecision {
  bool allowed = false;
  bool overridden = false;
  bool forbidden = false;
  std::vector<Unmet> unmet;
};
AdvanceDecision decide_advance(int stage, const Evidence& evidence, const std::vector<GateItem>& items,
                               bool can_override, const std::string& override_reason);

// Pure: validates a gate-item kind and params (for PUT /pipeline/gates).
std::optional<std::string> gate_item_problem(const GateItem& item);

// Pure: the weighted value of an opportunity in fen, rounded down
// (expected_value_fen * win_probability / 100, integer arithmetic).
std::int64_t weighted_fen(std::int64_t expected_value_fen, std::int64_t win_probability);

// Pure: the median of durations (seconds); 0 for none. An even count takes the
// lower middle (no fractions of seconds). The funnel reads the same element in
// SQL (ORDER BY ... OFFSET (n-1)/2); its tests compare against this.
std::int64_t median_seconds(std::vector<std::int64_t> durations);

// Pure: seconds since the epoch of an ISO instant "YYYY-MM-DDTHH:MM:SS(.mmm)Z"
// or a date "YYYY-MM-DD" (midnight UTC); nullopt when malformed.
std::optional<std::int64_t> epoch_seconds(const std::string& iso);
// Pure: the ISO instant (milliseconds, Z) of seconds since the epoch.
std::string iso_of_epoch(std::int64_t seconds);
// Pure: "YYYY-MM" of the month `offset` months after the month of `date` (YYYY-MM-DD).
std::string month_after(const std::string& date, int offset);

// ---- store ----

// The current gate items of every stage (disabled ones included).
std::vector<GateItem> load_gate_items(db::Connection& c);

// Everything the checker needs about an opportunity, in one place: when the
// visits module records visits to contacts they can be counted here as well.
Evidence load_evidence(db::Connection& c, const auth::Principal& p, const nlohmann::json& opportunity);

Expected<nlohmann::json> list_opportunities(db::Connection& c, const auth::Principal& p,
                                            const std::map<std::string, std::string>& query);
Expected<nlohmann::json> get_opportunity(db::Connection& c, const auth::Principal& p, std::int64_t id);
Expected<nlohmann::json> create_opportunity(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
// The same inside the caller's open write transaction (e.g. a lead raised
// from an event attendee creates its opportunity with the lead).
Expected<nlohmann::json> create_opportunity_in_transaction(db::Connection& c, const auth::Principal& p,
                                                           const nlohmann::json& body);
Expected<nlohmann::json> update_opportunity(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                            std::int64_t version, const nlohmann::json& body);
Status delete_opportunity(db::Connection& c, const auth::Principal& p, std::int64_t id);
bool opportunity_visible(db::Connection& c, const auth::Principal& p, std::int64_t id);

// {stage, status, items: [{code, label_zh, label_en, met, detail}], unmet}.
Expected<nlohmann::json> gate_status(db::Connection& c, const auth::Principal& p, std::int64_t id);
// body: {override_reason?, version?}.
Expected<nlohmann::json> advance(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                 const nlohmann::json& body);
// body: {decision: go|no_go, reason}.
Expected<nlohmann::json> go_no_go(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                  const nlohmann::json& body);
// body: {status: won, won_value_fen, won_date, note?, override_reason?} | {status: lost, lost_reason_code, note?}.
Expected<nlohmann::json> close(db::Connection& c, const auth::Principal& p, std::int64_t id,
                               const nlohmann::json& body);
Expected<nlohmann::json> history(db::Connection& c, const auth::Principal& p, std::int64_t id);

// Child records of an opportunity: kind is samples | plan_steps | touchpoints | closing_records.
Expected<nlohmann::json> list_children(db::Connection& c, const auth::Principal& p, const std::string& kind,
                                       std::int64_t opportunity_id);
Expected<nlohmann::json> create_child(db::Connection& c, const auth::Principal& p, const std::string& kind,
                                      std::int64_t opportunity_id, const nlohmann::json& body);
// samples and plan_steps only.
Expected<nlohmann::json> update_child(db::Connection& c, const auth::Principal& p, const std::string& kind,
                                      std::int64_t id, std::int64_t version, const nlohmann::json& body);
Status delete_child(db::Connection& c, const auth::Principal& p, const std::string& kind, std::int64_t id);
// Technical sign-off of a sample by a user other than its requester: body {result: passed|failed}.
Expected<nlohmann::json> sign_off_sample(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                         const nlohmann::json& body);
bool child_visible(db::Connection& c, const auth::Principal& p, const std::string& kind, std::int64_t id);

// ---- configuration ----
Expected<nlohmann::json> get_gates(db::Connection& c, const auth::Principal& p);
Expected<nlohmann::json> put_gates(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
Expected<nlohmann::json> get_lost_reasons(db::Connection& c, const auth::Principal& p);
Expected<nlohmann::json> put_lost_reasons(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
Expected<nlohmann::json> get_settings(db::Connection& c, const auth::Principal& p);
Expected<nlohmann::json> put_settings(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);

// ---- insight (all scoped) ----
// Recomputes the whole of pipeline_tally from the opportunities (after a bulk
// load that bypassed the module's writes).
void rebuild_tally(db::Connection& c);
// Filters: owner_id, department_id, from, to (created date range), product_line.
Expected<nlohmann::json> funnel(db::Connection& c, const auth::Principal& p,
                                const std::map<std::string, std::string>& query);
// as_of (YYYY-MM-DD, default today) plus the funnel's filters.
Expected<nlohmann::json> forecast(db::Connection& c, const auth::Principal& p,
                                  const std::map<std::string, std::string>& query);
// as_of (instant or date, default now), owner_id, department_id, limit, offset.
Expected<nlohmann::json> stalled(db::Connection& c, const auth::Principal& p,
                                 const std::map<std::string, std::string>& query);

}  // namespace kam::pipeline
