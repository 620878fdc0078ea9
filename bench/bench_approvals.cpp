// Approvals benchmark (issue 6): the inbox, mine, request lists, one request,
// the cost of development, submit (chain resolution + budget check) and
// approve over N requests (default 500k) on SQLite. Builds a throw-away
// database: 10 departments with a KA manager each, 200 specialists, 3 finance
// users, 2 directors; N/5 accounts; requests in every state with their steps
// and approver snapshots (two steps each: the department's manager, then the
// three finance users) loaded with bulk inserts. Then times each operation R
// times and prints p50 / p99 / max in milliseconds.
//
//   build/kam_bench_approvals [--requests 500000] [--runs 50] [--db /tmp/kam-bench-approvals.db]
//
// The hard case is finance: an approver of nearly every request, whose inbox
// must still be one small index range (approval_step_approvers_inbox).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "accounts/accounts.hpp"
#include "approvals/approvals.hpp"
#include "auth/principal.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

using namespace kam;
using nlohmann::json;

namespace {

struct Args {
  int requests = 500000;
  int runs = 50;
  std::string db = "/tmp/kam-bench-approvals.db";
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--requests") a.requests = std::atoi(argv[i + 1]);
    if (key == "--runs") a.runs = std::atoi(argv[i + 1]);
    if (key == "--db") a.db = argv[i + 1];
  }
  return a;
}

struct Org {
  std::vector<std::int64_t> departments, managers, specialists, finance, directors;
};

const char* kNow = "2026-11-29T08:00:00.000Z";

std::int64_t add_user(db::Connection& c, const std::string& name, std::int64_t department, const std::string& role) {
  const auto id = c.query(
                       "INSERT INTO users (username, password_hash, display_name, department_id, created_at, "
                       "updated_at) VALUES (?, 'x', ?, ?, ?, ?) RETURNING id",
                       {name, name, department, std::string(kNow), std::string(kNow)})
                      .front()
                      .integer(0);
  c.query("INSERT INTO user_roles (user_id, role_id) SELECT ?, id FROM roles WHERE code = ?", {id, role});
  return id;
}

Org load(db::Database& database, int n) {
  auto c = database.acquire();
  const std::string now = kNow;
  db::Transaction tx(*c, true);
  for (const char* role : {"manager", "specialist", "finance", "director"}) {
    c->query(
        "INSERT INTO roles (code, name, name_en, permissions, data_scope, created_at, updated_at) VALUES (?, ?, ?, '', "
        "'self', ?, ?) ON CONFLICT (code) DO NOTHING",
        {std::string(role), std::string(role), std::string(role), now, now});
  }
  Org org;
  for (int d = 0; d < 10; ++d) {
    const auto id = c->query("INSERT INTO departments (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
                             {"部门" + std::to_string(d), now, now})
                        .front()
                        .integer(0);
    c->query("UPDATE departments SET path = ? WHERE id = ?", {"/" + std::to_string(id) + "/", id});
    org.departments.push_back(id);
    org.managers.push_back(add_user(*c, "manager" + std::to_string(d), id, "manager"));
  }
  for (int u = 0; u < 200; ++u) {
    org.specialists.push_back(
        add_user(*c, "spec" + std::to_string(u), org.departments[static_cast<std::size_t>(u % 10)], "specialist"));
  }
  for (int u = 0; u < 3; ++u)
    org.finance.push_back(add_user(*c, "finance" + std::to_string(u), org.departments[0], "finance"));
  for (int u = 0; u < 2; ++u)
    org.directors.push_back(add_user(*c, "director" + std::to_string(u), org.departments[0], "director"));

  const int account_count = std::max(1, n / 5);
  std::vector<accounts::NewAccount> new_accounts;
  for (int i = 0; i < account_count; ++i) {
    const auto owner = static_cast<std::size_t>(i % 200);
    new_accounts.push_back({.name = "审批基准客户" + std::to_string(i),
                            .industry = std::nullopt,
                            .province = std::nullopt,
                            .city = std::nullopt,
                            .address = std::nullopt,
                            .owner_id = org.specialists[owner],
                            .department_id = org.departments[owner % 10]});
  }
  const auto account_ids = accounts::insert_accounts_bulk(*c, new_accounts);

  std::mt19937 rng(20261129);
  std::vector<std::vector<db::Value>> requests, steps, approvers;
  std::int64_t step_id = 0;
  for (int i = 0; i < n; ++i) {
    const auto account_index = static_cast<std::size_t>(i % account_count);
    const auto owner_index = account_index % 200;
    const auto owner = org.specialists[owner_index];
    const auto department = org.departments[owner_index % 10];
    const auto manager = org.managers[owner_index % 10];
    const int roll = static_cast<int>(rng() % 100);
    // 60% approved, 10% waiting for the manager, 10% for finance, 5% rejected, 5% returned, 10% drafts.
    const std::string status = roll < 60   ? "approved"
                               : roll < 80 ? "pending"
                               : roll < 85 ? "rejected"
                               : roll < 90 ? "returned"
                                           : "draft";
    const std::int64_t current = status == "pending" ? (roll < 70 ? 1 : 2) : 0;
    const bool gift = rng() % 5 != 0;
    const auto total = static_cast<std::int64_t>(1000 + rng() % 400000);
    const std::string day = "2026-" + std::string(rng() % 2 ? "10" : "11") + "-" + std::to_string(10 + rng() % 18);
    const std::int64_t id = i + 1;
    requests.push_back(
        {id,
         std::string(gift ? "gift" : "reception"),
         account_ids[account_index],
         owner,
         department,
         status,
         static_cast<std::int64_t>(status == "draft" ? 0 : 1),
         current,
         total,
         day,
         gift ? db::Value(std::string("王总")) : db::Value(nullptr),
         gift ? db::Value(std::string("茶叶礼盒")) : db::Value(nullptr),
         gift ? db::Value(static_cast<std::int64_t>(1)) : db::Value(nullptr),
         gift ? db::Value(total) : db::Value(nullptr),
         gift ? db::Value(day) : db::Value(nullptr),
         gift ? db::Value(std::string("拜访")) : db::Value(nullptr),
         gift ? db::Value(nullptr) : db::Value(std::string("考察")),
         gift ? db::Value(nullptr) : db::Value(day),
         gift ? db::Value(nullptr) : db::Value(day),
         std::string("[]"),
         gift ? db::Value(nullptr) : db::Value("[{\"item\":\"餐饮\",\"amount_fen\":" + std::to_string(total) + "}]"),
         status == "draft" ? db::Value(nullptr) : db::Value(now),
         now,
         now});
    if (status == "draft") continue;
    const std::string first = status == "approved" || current == 2 ? "approved"
                              : status == "pending"                ? "pending"
                                                                   : status;
    const std::string second = status == "approved" ? "approved" : current == 2 ? "pending" : "waiting";
    const auto s1 = ++step_id, s2 = ++step_id;
    steps.push_back({s1, id, std::int64_t{1}, std::int64_t{1}, std::string("大客户部经理审批"),
                     std::string("department_manager"), first});
    steps.push_back(
        {s2, id, std::int64_t{1}, std::int64_t{2}, std::string("财务审核"), std::string("role:finance"), second});
    approvers.push_back({s1, manager, static_cast<std::int64_t>(first == "pending")});
    for (auto f : org.finance) approvers.push_back({s2, f, static_cast<std::int64_t>(second == "pending")});
  }
  c->bulk_insert("approval_requests",
                 {"id",       "kind",           "account_id",   "owner_id",     "department_id",  "status",
                  "round",    "current_step",   "total_fen",    "spend_date",   "recipient_name", "gift_name",
                  "quantity", "unit_price_fen", "gift_date",    "occasion",     "purpose",        "start_date",
                  "end_date", "visitors",       "budget_lines", "submitted_at", "created_at",     "updated_at"},
                 requests);
  c->bulk_insert("approval_request_steps", {"id", "request_id", "round", "position", "name", "resolver", "status"},
                 steps);
  c->bulk_insert("approval_step_approvers", {"step_id", "user_id", "pending"}, approvers);
  // A budget on the accounts of specialist 0, so submits check one.
  for (std::size_t i = 0; i < account_ids.size(); i += 200) {
    c->query(
        "INSERT INTO budgets (account_id, kind, period, period_start, period_end, amount_fen, created_at, updated_at) "
        "VALUES (?, 'gift', '2026-Q4', '2026-10-01', '2026-12-31', 5000000, ?, ?)",
        {account_ids[i], now, now});
  }
  tx.commit();
  c->execute_script("ANALYZE");
  return org;
}

void measure(const char* name, int runs, const std::function<void(int)>& body) {
  body(runs);  // warm the cache and the prepared statements
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    body(i);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))]; };
  std::printf("%-40s p50 %8.2f ms   p99 %8.2f ms   max %8.2f ms   (%d runs)\n", name, at(0.5), at(0.99), ms.back(),
              runs);
}

auth::Principal principal(std::int64_t user, std::int64_t department, auth::DataScope scope) {
  auth::Principal p;
  p.user_id = user;
  p.department_id = department;
  p.scope = scope;
  p.department_tree = {department};
  p.permissions = {"accounts.read", "accounts.write", "requests.read", "requests.write", "budgets.admin"};
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = parse(argc, argv);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(args.db + suffix);
  auto database = db::open_database("sqlite:" + args.db, 2);
  db::migrate(*database, db::builtin_migrations());
  const auto t0 = std::chrono::steady_clock::now();
  const auto org = load(*database, args.requests);
  std::printf("loaded %d requests in %.1f s\n", args.requests,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

  auto c = database->acquire();
  const auto spec = principal(org.specialists[0], org.departments[0], auth::DataScope::self);
  const auto manager = principal(org.managers[0], org.departments[0], auth::DataScope::department_tree);
  const auto finance = principal(org.finance[0], org.departments[0], auth::DataScope::all);
  auto ok = [](const Expected<json>& r) {
    if (!r) {
      std::fprintf(stderr, "failed: %s\n", r.error().detail().c_str());
      std::exit(1);
    }
    return *r;
  };
  std::printf("inbox counts: manager %lld, finance %lld\n",
              static_cast<long long>(ok(approvals::inbox(*c, manager, 1, 0))["count"].get<std::int64_t>()),
              static_cast<long long>(ok(approvals::inbox(*c, finance, 1, 0))["count"].get<std::int64_t>()));
  measure("inbox (manager, 20)", args.runs, [&](int) { ok(approvals::inbox(*c, manager, 20, 0)); });
  measure("inbox (finance, 20)", args.runs, [&](int) { ok(approvals::inbox(*c, finance, 20, 0)); });
  measure("mine (specialist, 20)", args.runs, [&](int) { ok(approvals::mine(*c, spec, std::nullopt, 20, 0)); });
  measure("gift list (specialist, self, 20)", args.runs,
          [&](int) { ok(approvals::list_requests(*c, spec, "gift", {})); });
  measure("gift list (manager, tree, 20)", args.runs,
          [&](int) { ok(approvals::list_requests(*c, manager, "gift", {})); });
  measure("gift list (finance, all, pending, 20)", args.runs, [&](int) {
    approvals::RequestQuery q;
    q.status = "pending";
    ok(approvals::list_requests(*c, finance, "gift", q));
  });
  const auto some = ok(approvals::inbox(*c, manager, 1, 0))["items"][0];
  measure("get request (manager)", args.runs, [&](int) {
    ok(approvals::get_request(*c, manager, some["kind"].get<std::string>(), some["id"].get<std::int64_t>()));
  });
  const auto account = c->query("SELECT account_id FROM approval_requests WHERE owner_id = ? LIMIT 1", {spec.user_id})
                           .front()
                           .integer(0);
  measure("development cost (one account)", args.runs,
          [&](int) { ok(approvals::development_cost(*c, spec, account)); });
  measure("budgets list (finance, 50)", args.runs, [&](int) { ok(approvals::list_budgets(*c, finance, {})); });

  // Writes: each run acts on a different request.
  std::vector<json> drafts, waiting;
  for (const auto& row :
       c->query("SELECT id, kind FROM approval_requests WHERE owner_id = ? AND status = 'draft' ORDER BY id LIMIT ?",
                {spec.user_id, static_cast<std::int64_t>(args.runs + 1)})) {
    drafts.push_back({{"id", row.integer(0)}, {"kind", row.text(1)}});
  }
  for (const auto& row :
       c->query("SELECT r.id, r.kind FROM approval_requests r WHERE r.department_id = ? AND r.status = 'pending' AND "
                "r.current_step = 1 ORDER BY r.id LIMIT ?",
                {org.departments[0], static_cast<std::int64_t>(args.runs + 1)})) {
    waiting.push_back({{"id", row.integer(0)}, {"kind", row.text(1)}});
  }
  const int write_runs = static_cast<int>(std::min(drafts.size(), waiting.size())) - 1;
  if (write_runs > 0) {
    measure("submit (resolve chain, budget)", write_runs, [&](int i) {
      const auto& d = drafts[static_cast<std::size_t>(i)];
      ok(approvals::act(*c, spec, d["kind"].get<std::string>(), d["id"].get<std::int64_t>(), approvals::Action::submit,
                        json::object()));
    });
    measure("approve (manager step)", write_runs, [&](int i) {
      const auto& w = waiting[static_cast<std::size_t>(i)];
      ok(approvals::act(*c, manager, w["kind"].get<std::string>(), w["id"].get<std::int64_t>(),
                        approvals::Action::approve, json::object()));
    });
  }
  return 0;
}
