// Pipeline benchmark (issue 4): funnel and forecast over N opportunities
// (default 200k) on SQLite, and the board of one owner. Builds a throw-away
// database, loads it with bulk inserts (accounts, opportunities across 200
// owners in 10 departments, one stage-history row per stage reached), then
// times each query R times and prints p50 / p99 / max in milliseconds.
//
//   build/kam_bench_pipeline [--opportunities 200000] [--runs 50] [--db /tmp/kam-bench-pipeline.db]
//                            [--only NAME-PART] [--reuse 1 (keep a database loaded by an earlier run)]
//
// Targets of the issue: funnel and forecast p99 < 100 ms; board p99 < 20 ms.
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
#include "auth/principal.hpp"
#include "pipeline/pipeline.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

using namespace kam;

namespace {

struct Args {
  int opportunities = 200000;
  int runs = 50;
  std::string db = "/tmp/kam-bench-pipeline.db";
  std::string only;    // run the measures whose name contains this
  bool reuse = false;  // keep an existing --db (loaded by an earlier run)
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--opportunities") a.opportunities = std::atoi(argv[i + 1]);
    if (key == "--runs") a.runs = std::atoi(argv[i + 1]);
    if (key == "--db") a.db = argv[i + 1];
    if (key == "--only") a.only = argv[i + 1];
    if (key == "--reuse") a.reuse = std::string(argv[i + 1]) == "1";
  }
  return a;
}

std::string date_of(int day_offset) {  // days after 2025-01-01
  return pipeline::iso_of_epoch(1735689600LL + day_offset * 86400LL).substr(0, 10);
}

void load(db::Database& database, int n) {
  auto c = database.acquire();
  const auto now = pipeline::iso_of_epoch(1795943229);
  db::Transaction tx(*c, true);
  std::vector<std::int64_t> departments;
  for (int d = 0; d < 10; ++d) {
    departments.push_back(
        c->query("INSERT INTO departments (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
                 {"部门" + std::to_string(d), now, now})
            .front()
            .integer(0));
  }
  std::vector<std::int64_t> owners;
  for (int u = 0; u < 200; ++u) {
    owners.push_back(c->query("INSERT INTO users (username, password_hash, display_name, department_id, created_at, "
                              "updated_at) VALUES (?, 'x', ?, ?, ?, ?) RETURNING id",
                              {"bench" + std::to_string(u), "专员" + std::to_string(u),
                               departments[static_cast<std::size_t>(u % 10)], now, now})
                         .front()
                         .integer(0));
  }
  std::vector<accounts::NewAccount> new_accounts;
  const int account_count = std::max(1, n / 4);
  for (int i = 0; i < account_count; ++i) {
    const auto owner = owners[static_cast<std::size_t>(i % 200)];
    new_accounts.push_back({.name = "基准客户" + std::to_string(i),
                            .industry = std::nullopt,
                            .province = std::nullopt,
                            .city = std::nullopt,
                            .address = std::nullopt,
                            .owner_id = owner,
                            .department_id = departments[static_cast<std::size_t>(i % 200 % 10)]});
  }
  const auto account_ids = accounts::insert_accounts_bulk(*c, new_accounts);
  std::mt19937 rng(20261129);
  std::vector<std::vector<db::Value>> rows;
  rows.reserve(static_cast<std::size_t>(n));
  const char* lines[] = {",包装,", ",标签,", ",包装,标签,", ",纸箱,", ""};
  for (int i = 0; i < n; ++i) {
    const auto account_index = static_cast<std::size_t>(i % account_count);
    const auto owner = owners[account_index % 200];
    const auto dept = departments[account_index % 200 % 10];
    const int stage = 1 + static_cast<int>(rng() % 5);
    const int roll = static_cast<int>(rng() % 100);
    const char* status = roll < 70 ? "open" : roll < 80 ? "won" : roll < 92 ? "lost" : "terminated";
    const int created_day = static_cast<int>(rng() % 700);
    const auto created = date_of(created_day) + "T08:00:00.000Z";
    const auto entered = date_of(created_day + stage * 10) + "T08:00:00.000Z";
    rows.push_back(
        {account_ids[account_index], "项目" + std::to_string(i), std::string(lines[rng() % 5]),
         static_cast<std::int64_t>(100000 + rng() % 100000000), date_of(500 + static_cast<int>(rng() % 500)),
         static_cast<std::int64_t>(stage), std::string(status), entered, static_cast<std::int64_t>(rng() % 101), owner,
         dept, std::string("[]"), created, created,
         std::string(status) == "won" ? db::Value(static_cast<std::int64_t>(rng() % 100000000)) : db::Value(nullptr),
         std::string(status) == "won" ? db::Value(date_of(600 + static_cast<int>(rng() % 400))) : db::Value(nullptr)});
  }
  c->bulk_insert("opportunities",
                 {"account_id", "name", "product_lines", "expected_value_fen", "expected_close_date", "stage", "status",
                  "stage_entered_at", "win_probability", "owner_id", "department_id", "obstacles", "created_at",
                  "updated_at", "won_value_fen", "won_date"},
                 rows);
  // One history row per stage reached; a finished stay lasts 30 minutes plus
  // 0 to 89 days (varied, so the medians are not a constant).
  c->execute_script(
      "INSERT INTO opportunity_stage_history (opportunity_id, stage, entered_at, exited_at, entered_by, owner_id, "
      "department_id, duration_seconds) "
      "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 5) "
      "SELECT o.id, s.n, substr(o.created_at, 1, 10) || 'T0' || s.n || ':00:00.000Z', "
      "CASE WHEN s.n < o.stage OR o.status <> 'open' THEN strftime('%Y-%m-%dT%H:%M:%S.000Z', "
      "substr(o.created_at, 1, 10) || 'T0' || s.n || ':30:00Z', '+' || ((o.id * 31 + s.n * 7) % 90) || ' days') "
      "END, o.owner_id, o.owner_id, o.department_id, CASE WHEN s.n < o.stage OR o.status <> 'open' THEN "
      "1800 + ((o.id * 31 + s.n * 7) % 90) * 86400 END FROM opportunities o JOIN s ON s.n <= o.stage");
  pipeline::rebuild_tally(*c);
  tx.commit();
  c->execute_script("ANALYZE");
}

std::string only;

void measure(const char* name, int runs, const std::function<void()>& body) {
  if (!only.empty() && std::string(name).find(only) == std::string::npos) return;
  body();  // warm the cache and the prepared statements
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    body();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))]; };
  std::printf("%-32s p50 %8.2f ms   p99 %8.2f ms   max %8.2f ms   (%d runs)\n", name, at(0.5), at(0.99), ms.back(),
              runs);
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = parse(argc, argv);
  only = args.only;
  const bool reuse = args.reuse && std::filesystem::exists(args.db);
  if (!reuse) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(args.db + suffix);
  }
  auto database = db::open_database("sqlite:" + args.db, 2);
  db::migrate(*database, db::builtin_migrations());
  if (!reuse) {
    const auto t0 = std::chrono::steady_clock::now();
    load(*database, args.opportunities);
    std::printf("loaded %d opportunities in %.1f s\n", args.opportunities,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }

  auth::Principal director;
  director.user_id = 1;
  director.scope = auth::DataScope::all;
  director.permissions = {"opportunities.read"};
  auto c = database->acquire();
  const auto owner = c->query("SELECT owner_id FROM opportunities ORDER BY id LIMIT 1").front().integer(0);
  auth::Principal specialist;
  specialist.user_id = owner;
  specialist.scope = auth::DataScope::self;
  specialist.permissions = {"opportunities.read"};
  auto ok = [](const Expected<nlohmann::json>& r) {
    if (!r) {
      std::fprintf(stderr, "failed: %s\n", r.error().detail().c_str());
      std::exit(1);
    }
  };
  measure("funnel (all, director)", args.runs, [&] { ok(pipeline::funnel(*c, director, {})); });
  measure("funnel (one specialist)", args.runs, [&] { ok(pipeline::funnel(*c, specialist, {})); });
  measure("forecast (all, director)", args.runs, [&] {
    ok(pipeline::forecast(*c, director, {{"as_of", "2026-06-01"}}));
  });
  measure("forecast (one specialist)", args.runs, [&] {
    ok(pipeline::forecast(*c, specialist, {{"as_of", "2026-06-01"}}));
  });
  measure("funnel (all, product line)", args.runs, [&] {
    ok(pipeline::funnel(*c, director, {{"product_line", "包装"}}));
  });
  // The board includes writing the response body, as the server does.
  std::size_t body_bytes = 0;
  measure("board (one owner, open, 500)", args.runs, [&] {
    const auto board =
        pipeline::list_opportunities(*c, specialist, {{"status", "open"}, {"limit", "500"}, {"view", "card"}});
    ok(board);
    body_bytes = board->dump().size();
  });
  if (body_bytes) std::printf("  (board response: %zu bytes)\n", body_bytes);
  // A write: every change to an opportunity recomputes its owner's tally rows
  // (here ~1,000 opportunities) in the same transaction.
  auth::Principal writer = specialist;
  writer.permissions = {"opportunities.read", "opportunities.write"};
  const auto mine =
      c->query("SELECT id FROM opportunities WHERE owner_id = ? AND status = 'open' ORDER BY id LIMIT 1", {owner})
          .front()
          .integer(0);
  std::int64_t probability = 0;
  measure("update one (owner's tally)", args.runs, [&] {
    const auto current = pipeline::get_opportunity(*c, writer, mine);
    ok(current);
    ok(pipeline::update_opportunity(*c, writer, mine, (*current)["version"].get<std::int64_t>(),
                                    {{"win_probability", ++probability % 100}}));
  });
  return 0;
}
