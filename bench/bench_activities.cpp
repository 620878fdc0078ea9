// Activities benchmark (issue 5): N activity rows (default 10M: visits,
// contact logs and follow-up tasks in equal thirds) on SQLite over 2 years,
// 1000 users in 20 departments of 50, one account per 40 rows. Times, over R
// runs each: an account timeline page (20 items, newest first, and a second
// page through the cursor), a person's weekly report generated from the
// week's rows, and the overdue follow-ups of a 50-person department.
//
//   build/kam_bench_activities [--rows 10000000] [--runs 200] [--db /tmp/kam-bench-activities.db] [--reuse 1]
//
// Targets of the issue: timeline page p99 < 20 ms; weekly report < 100 ms;
// overdue follow-ups of a 50-person department < 50 ms.
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
#include "activities/activities.hpp"
#include "auth/principal.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

using namespace kam;

namespace {

struct Args {
  long rows = 10000000;
  int runs = 200;
  std::string db = "/tmp/kam-bench-activities.db";
  bool reuse = false;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--rows") a.rows = std::atol(argv[i + 1]);
    if (key == "--runs") a.runs = std::atoi(argv[i + 1]);
    if (key == "--db") a.db = argv[i + 1];
    if (key == "--reuse") a.reuse = std::atoi(argv[i + 1]) != 0;
  }
  return a;
}

constexpr int kUsers = 1000;
constexpr int kDepartments = 20;
const std::int64_t kStart = 1735689600LL;  // 2025-01-01
constexpr std::int64_t kSpan = 2LL * 365 * 86400;

std::string at(std::int64_t epoch) {
  return format_instant(Instant(std::chrono::seconds(epoch)));
}

void load(db::Database& database, long n) {
  auto c = database.acquire();
  const auto now = now_text();
  db::Transaction tx(*c, true);
  std::vector<std::int64_t> departments, users;
  for (int d = 0; d < kDepartments; ++d) {
    departments.push_back(
        c->query("INSERT INTO departments (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
                 {"部门" + std::to_string(d), now, now})
            .front()
            .integer(0));
  }
  for (int u = 0; u < kUsers; ++u) {
    users.push_back(c->query("INSERT INTO users (username, password_hash, display_name, department_id, created_at, "
                             "updated_at) VALUES (?, 'x', ?, ?, ?, ?) RETURNING id",
                             {"act" + std::to_string(u), "专员" + std::to_string(u),
                              departments[static_cast<std::size_t>(u % kDepartments)], now, now})
                        .front()
                        .integer(0));
  }
  const long account_count = std::max(1L, n / 40);
  std::vector<accounts::NewAccount> new_accounts;
  for (long i = 0; i < account_count; ++i) {
    const auto u = static_cast<std::size_t>(i % kUsers);
    new_accounts.push_back({.name = "拜访基准客户" + std::to_string(i),
                            .industry = std::nullopt,
                            .province = std::nullopt,
                            .city = std::nullopt,
                            .address = std::nullopt,
                            .owner_id = users[u],
                            .department_id = departments[u % kDepartments]});
  }
  const auto account_ids = accounts::insert_accounts_bulk(*c, new_accounts);
  tx.commit();

  std::mt19937_64 rng(20261129);
  const long per_kind = n / 3;
  const long batch = 500000;
  // Rows of account i belong to its owner (user i % kUsers).
  auto pick = [&](std::size_t& account, std::int64_t& owner, std::int64_t& dept) {
    account = static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(account_count));
    owner = users[account % kUsers];
    dept = departments[account % kUsers % kDepartments];
  };
  for (long done = 0; done < per_kind; done += batch) {
    db::Transaction t(*c, true);
    std::vector<std::vector<db::Value>> visits, logs, tasks;
    const long m = std::min(batch, per_kind - done);
    for (long i = 0; i < m; ++i) {
      std::size_t account;
      std::int64_t owner, dept;
      pick(account, owner, dept);
      const auto when = kStart + static_cast<std::int64_t>(rng() % kSpan);
      visits.push_back({account_ids[account], owner, dept, at(when), std::string("in_person"),
                        std::string("拜访要点：确认采购计划与预算"), std::string("客户认为价格偏高"), at(when),
                        at(when)});
      pick(account, owner, dept);
      const auto when2 = kStart + static_cast<std::int64_t>(rng() % kSpan);
      logs.push_back({account_ids[account], owner, dept, std::string("call"), at(when2), std::string("电话沟通交货期"),
                      at(when2), at(when2)});
      pick(account, owner, dept);
      const auto visit_time = kStart + static_cast<std::int64_t>(rng() % kSpan);
      const auto due = visit_time + 7 * 86400;
      // Most follow-ups done (80% of them on time), some open.
      const int roll = static_cast<int>(rng() % 100);
      const bool open = roll < 10;
      const auto completed = due - 86400 + (roll < 82 ? 0 : 3 * 86400);
      tasks.push_back({std::string("回访"), std::string("follow_up"), owner, dept, at(due),
                       open ? std::string("open") : std::string("done"), std::string("visit"),
                       static_cast<std::int64_t>(done + i + 1), account_ids[account],
                       open ? db::Value(nullptr) : db::Value(at(completed)), at(visit_time), at(visit_time)});
    }
    c->bulk_insert("visits",
                   {"account_id", "owner_id", "department_id", "occurred_at", "method", "key_points", "customer_views",
                    "created_at", "updated_at"},
                   visits);
    c->bulk_insert(
        "contact_logs",
        {"account_id", "owner_id", "department_id", "kind", "occurred_at", "content", "created_at", "updated_at"},
        logs);
    c->bulk_insert("tasks",
                   {"title", "kind", "owner_id", "department_id", "due_at", "status", "entity", "entity_id",
                    "account_id", "completed_at", "created_at", "updated_at"},
                   tasks);
    t.commit();
    std::printf("  %ld / %ld rows\n", (done + m) * 3, per_kind * 3);
    std::fflush(stdout);
  }
  c->execute_script("ANALYZE");
}

void measure(const char* name, int runs, const std::function<void(int)>& body) {
  body(0);  // warm the cache and the prepared statements
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    body(i + 1);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  const auto q = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * ms.size()))]; };
  std::printf("%-44s p50 %8.2f ms   p99 %8.2f ms   max %8.2f ms   (%d runs)\n", name, q(0.5), q(0.99), ms.back(), runs);
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = parse(argc, argv);
  const bool fresh = !args.reuse || !std::filesystem::exists(args.db);
  if (fresh) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(args.db + suffix);
  }
  auto database = db::open_database("sqlite:" + args.db, 2);
  db::migrate(*database, db::builtin_migrations());
  if (fresh) {
    const auto t0 = std::chrono::steady_clock::now();
    load(*database, args.rows);
    std::printf("loaded %ld activity rows in %.1f s\n", args.rows,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  // "Now" is late in the data's two years, so open follow-ups before it are overdue.
  set_test_now(Instant(std::chrono::seconds(kStart + kSpan - 30 * 86400)));

  auto c = database->acquire();
  const auto accounts_max = c->query("SELECT max(id) FROM accounts").front().integer(0);
  const auto first_user = c->query("SELECT min(id) FROM users WHERE username LIKE 'act%'").front().integer(0);
  const auto first_dept =
      c->query("SELECT min(department_id) FROM users WHERE username LIKE 'act%'").front().integer(0);
  std::mt19937_64 rng(7);
  auth::Principal director;
  director.user_id = 1;
  director.scope = auth::DataScope::all;
  director.permissions = {"accounts.read", "activities.read"};
  auto ok = [](const Expected<nlohmann::json>& r) {
    if (!r) {
      std::fprintf(stderr, "failed: %s\n", r.error().detail().c_str());
      std::exit(1);
    }
    return *r;
  };
  std::size_t items = 0;
  measure("account timeline, page 1 (20 items)", args.runs, [&](int) {
    const auto account = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(accounts_max));
    items += ok(activities::account_timeline(*c, director, account, std::nullopt, 20))["items"].size();
  });
  measure("account timeline, page 2 (cursor)", args.runs, [&](int) {
    const auto account = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(accounts_max));
    const auto first = ok(activities::account_timeline(*c, director, account, std::nullopt, 20));
    if (first["next"].is_string()) {
      ok(activities::account_timeline(*c, director, account, first["next"].get<std::string>(), 20));
    }
  });
  std::size_t week_rows = 0;
  measure("weekly report of a person (generate)", args.runs, [&](int) {
    const auto user = first_user + static_cast<std::int64_t>(rng() % kUsers);
    const auto week = activities::iso_week_of(Instant(std::chrono::seconds(kStart + 86400LL * (rng() % 700))));
    const auto content = activities::generate_week(*c, user, week);
    week_rows += content["visits"].size() + content["contact_logs"].size();
  });
  auth::Principal manager;
  manager.user_id = first_user;
  manager.department_id = first_dept;
  manager.scope = auth::DataScope::department;
  manager.permissions = {"accounts.read", "activities.read"};
  std::int64_t overdue = 0;
  measure("overdue follow-ups, 50-person department", args.runs, [&](int) {
    overdue = ok(activities::overdue_follow_ups(*c, manager, first_dept))["total"].get<std::int64_t>();
  });
  measure("follow-up compliance, department, one month", args.runs / 4 + 1,
          [&](int) { ok(activities::follow_up_compliance(*c, manager, "2026-06", first_dept)); });
  std::printf("(timeline items read %zu; week rows read %zu; overdue in the department %lld)\n", items, week_rows,
              static_cast<long long>(overdue));
  return 0;
}
