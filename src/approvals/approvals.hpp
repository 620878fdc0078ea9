// Approvals (审批): gift requests (礼品馈赠申请表) and reception requests
// (客户接待申请表) travelling through a configurable approval chain, budgets
// per account and period, and the cost of development they add up to. This
// is the module's contract; routes are in approvals/api.cpp. Owns tables
// approval_chains, approval_chain_steps, approval_requests,
// approval_request_steps, approval_step_approvers, approval_events, budgets.
//
// Requests. Both kinds live in approval_requests (kind gift | reception). A
// request is owned by its submitter (owner_id, department_id) and read under
// the submitter's data scope like an account (auth::scope_clause); the
// approvers of a step that has been reached see it as well. Reading needs
// requests.read, creating and editing requests.write; the account must be
// visible to the submitter (422 on account_id). opportunity_id is a plain
// nullable integer for now (the pipeline module owns opportunities).
//
// States: draft → pending → approved | rejected | returned | withdrawn;
// returned → (edit) → pending again. Only draft and returned requests may be
// edited (by the submitter); approved, rejected and withdrawn requests are
// immutable (409).
//
// Chains are data: ordered steps, each with a resolver (department_manager or
// role:<code>) and a condition (min_amount_fen: only above that total;
// when_over_budget: also when over the remaining budget). On submit the chain
// is resolved into the request's steps with a snapshot of their approvers:
//   - steps whose condition is false are skipped; the rest are numbered 1..n;
//   - department_manager: the active users with role manager in the
//     submitter's department, else in the nearest ancestor department that
//     has one; role:<code>: the active users with that role;
//   - the submitter is never an approver of their own request: they are left
//     out, and a step left with nobody falls to the next resolver up
//     (department_manager → role:director → role:admin; role:<code> →
//     role:admin). When even that yields nobody the submit is 422.
//
// Race safety: every transition is one conditional UPDATE ... WHERE id = ?
// AND version = ? (PostgreSQL re-checks it after a concurrent commit; SQLite
// serialises writers), so of N concurrent actions on one step exactly one
// succeeds and writes one audit row; the others are 409.
//
// Budgets: per account, kind and period (a quarter "2026-Q4" or a year
// "2026"). Committed = the totals of approved requests whose spend_date falls
// in the period; remaining = amount − committed. A request whose total is
// above the remaining amount of any budget covering its spend date is over
// budget, which brings in the steps marked when_over_budget (the director)
// even below their amount threshold. No budget defined means no limit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/export.hpp"
#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::approvals {

// ---- pure rules (rules.cpp) ----

inline constexpr const char* kGift = "gift";
inline constexpr const char* kReception = "reception";
inline constexpr const char* kDepartmentManager = "department_manager";

bool is_kind(const std::string& kind);

// One step of a chain definition.
struct ChainStep {
  std::string name;
  std::string resolver;                        // department_manager | role:<code>
  std::optional<std::int64_t> min_amount_fen;  // applies only when total > this
  bool when_over_budget = false;               // applies as well when over budget
};

// Pure: does the step apply to a request of this total?
bool step_applies(const ChainStep& step, std::int64_t total_fen, bool over_budget);

// Pure: is `resolver` well formed (department_manager or role:<code>)?
bool is_resolver(const std::string& resolver);

// Pure: the resolvers to try in turn when a step's approvers are all left out
// (the first is the resolver itself).
std::vector<std::string> escalation(const std::string& resolver);

enum class Action { submit, approve, reject, return_to_submitter, withdraw };
std::optional<Action> parse_action(const std::string& text);
const char* to_string(Action action);

// Pure: the request status after `action` from `status` (nullopt: not
// allowed in that state). `last_step` says whether the pending step is the
// final one (an approval then approves the request).
std::optional<std::string> next_status(const std::string& status, Action action, bool last_step);

// Pure: may a request in this status be edited by its submitter?
bool is_editable(const std::string& status);
// Pure: approved, rejected and withdrawn requests never change again.
bool is_decided(const std::string& status);

// A budget period: "2026-Q4" (a quarter) or "2026" (a year), with its first
// and last day as ISO dates.
struct Period {
  std::string code;
  std::string first_day;
  std::string last_day;
};
std::optional<Period> parse_period(const std::string& code);
// Pure: the quarter and the year an ISO date falls in ("2026-11-29" → 2026-Q4, 2026).
std::vector<Period> periods_of(const std::string& iso_date);

// A line of a reception's budget.
struct BudgetLine {
  std::string item;
  std::int64_t amount_fen = 0;
};

// ---- storage and operations (store.cpp) ----

// Paging and filters of the request lists.
struct RequestQuery {
  std::optional<std::string> status;
  std::optional<std::int64_t> account_id;
  std::optional<std::int64_t> opportunity_id;
  std::string q;  // substring of the account name, recipient, gift, visitors' company
  int limit = 20;
  int offset = 0;
};

Expected<nlohmann::json> list_requests(db::Connection& c, const auth::Principal& p, const std::string& kind,
                                       const RequestQuery& query);
// The request with its steps (the current round), its trail and the actions
// the caller may take now; a draft shows the steps a submission would
// resolve to (status "preview"), a returned one the round that returned it.
Expected<nlohmann::json> get_request(db::Connection& c, const auth::Principal& p, const std::string& kind,
                                     std::int64_t id);
Expected<nlohmann::json> create_request(db::Connection& c, const auth::Principal& p, const std::string& kind,
                                        const nlohmann::json& body);
Expected<nlohmann::json> update_request(db::Connection& c, const auth::Principal& p, const std::string& kind,
                                        std::int64_t id, std::int64_t version, const nlohmann::json& body);
// body: {comment?, version?}; reject and return need a comment.
Expected<nlohmann::json> act(db::Connection& c, const auth::Principal& p, const std::string& kind, std::int64_t id,
                             Action action, const nlohmann::json& body);

// What waits for the caller's decision: {items, total, count} (count = total, for the badge).
Expected<nlohmann::json> inbox(db::Connection& c, const auth::Principal& p, int limit, int offset);
// What the caller submitted, with steps: {items, total}.
Expected<nlohmann::json> mine(db::Connection& c, const auth::Principal& p, const std::optional<std::string>& status,
                              int limit, int offset);

// For the audit log: may p see this request?
bool request_visible(db::Connection& c, const auth::Principal& p, std::int64_t id);

// Chains: read with requests.read, replaced with approvals.admin.
Expected<nlohmann::json> list_chains(db::Connection& c, const auth::Principal& p);
Expected<nlohmann::json> get_chain(db::Connection& c, const auth::Principal& p, const std::string& kind);
// body: {version, steps: [{name, resolver, min_amount_fen?, when_over_budget?}]}
Expected<nlohmann::json> put_chain(db::Connection& c, const auth::Principal& p, const std::string& kind,
                                   const nlohmann::json& body);

// Budgets: budgets.admin reads and writes, within the accounts it can see.
struct BudgetQuery {
  std::optional<std::int64_t> account_id;
  std::optional<std::string> kind;
  std::optional<std::string> period;
  int limit = 50;
  int offset = 0;
};
Expected<nlohmann::json> list_budgets(db::Connection& c, const auth::Principal& p, const BudgetQuery& query);
Expected<nlohmann::json> get_budget(db::Connection& c, const auth::Principal& p, std::int64_t id);
Expected<nlohmann::json> create_budget(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
Expected<nlohmann::json> update_budget(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                       std::int64_t version, const nlohmann::json& body);
Status delete_budget(db::Connection& c, const auth::Principal& p, std::int64_t id);
bool budget_visible(db::Connection& c, const auth::Principal& p, std::int64_t id);

// The account's cost of development: approved gift and reception totals,
// per opportunity, and its budgets. requests.read and the account visible.
Expected<nlohmann::json> development_cost(db::Connection& c, const auth::Principal& p, std::int64_t account_id);

// ---- forms (forms.cpp) ----

// The paper form of a request with its approval trail, as "xlsx" or "html".
Expected<accounts::FileReply> request_form(db::Connection& c, const auth::Principal& p, const std::string& kind,
                                           std::int64_t id, const std::string& format);

// ---- demo (demo.cpp) ----

// For `kam demo`, after the demo company is loaded (users zheng.wei,
// sun.east, zhao.zongjian, wu.caiwu): a gift budget and requests in every
// state. Does nothing on another organisation. Uses `c` (the caller's
// connection: kam demo runs with a pool of one).
void load_demo(db::Database& database, db::Connection& c);

}  // namespace kam::approvals
