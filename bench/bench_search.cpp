// Microbenchmarks of the accounts store on a generated database (no HTTP):
// list_accounts with 2- and 3-4-character queries, get_account by random id,
// and the per-request principal lookup.
//
//   build/bench/kam_bench_generate --db sqlite:bench/data/kam-1000000.db --accounts 1000000
//   KAM_BENCH_DB=sqlite:bench/data/kam-1000000.db build/bench/kam_bench_search
//
// KAM_BENCH_DB defaults to sqlite:bench/data/kam-1000000.db (relative to the
// working directory); a postgresql:// URL works too. Each benchmark reports
// the number of matches ("total") of its query as a counter.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <string>

#include "accounts/accounts.hpp"
#include "auth/crypto.hpp"
#include "auth/service.hpp"

namespace {

struct Fixture {
  std::unique_ptr<kam::db::Database> database;
  kam::auth::Principal admin;
  kam::auth::Principal specialist;
  std::int64_t max_id = 0;
};

Fixture& fixture() {
  static Fixture f = [] {
    Fixture out;
    const char* env = std::getenv("KAM_BENCH_DB");
    const std::string url = env && *env ? env : "sqlite:bench/data/kam-1000000.db";
    out.database = kam::db::open_database(url, 1);
    kam::auth::AuthService auth(*out.database);
    auto c = out.database->acquire();
    out.max_id = c->query("SELECT coalesce(max(id), 0) FROM accounts").front().integer(0);
    const auto admin_id = c->query("SELECT id FROM users WHERE username = 'admin'").front().integer(0);
    out.admin = *auth.principal_of(*c, admin_id);
    const auto rep = c->query("SELECT id FROM users WHERE username = 'rep.east1'");
    out.specialist = rep.empty() ? out.admin : *auth.principal_of(*c, rep.front().integer(0));
    std::cerr << "database " << out.database->describe() << ": " << out.max_id << " accounts\n";
    return out;
  }();
  return f;
}

void BM_ListAccounts(benchmark::State& state, const std::string& q, bool as_specialist) {
  auto& f = fixture();
  auto c = f.database->acquire();
  const auto& p = as_specialist ? f.specialist : f.admin;
  kam::accounts::ListQuery query;
  query.q = q;
  query.limit = 50;
  std::int64_t total = 0;
  for (auto _ : state) {
    auto page = kam::accounts::list_accounts(*c, p, query);
    if (!page) {
      state.SkipWithError(page.error().detail().c_str());
      break;
    }
    total = page->total;
    benchmark::DoNotOptimize(page->items.data());
  }
  state.counters["total"] = static_cast<double>(total);
}

void BM_GetAccount(benchmark::State& state) {
  auto& f = fixture();
  auto c = f.database->acquire();
  std::mt19937_64 random(42);
  std::uniform_int_distribution<std::int64_t> ids(1, std::max<std::int64_t>(1, f.max_id));
  for (auto _ : state) {
    auto account = kam::accounts::get_account(*c, f.admin, ids(random));
    benchmark::DoNotOptimize(account);
  }
}
BENCHMARK(BM_GetAccount);

void BM_PrincipalOf(benchmark::State& state) {
  auto& f = fixture();
  kam::auth::AuthService auth(*f.database);
  auto c = f.database->acquire();
  for (auto _ : state) {
    auto p = auth.principal_of(*c, f.admin.user_id);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_PrincipalOf);

}  // namespace

int main(int argc, char** argv) {
  kam::auth::crypto_init();
  struct Term {
    const char* tier;
    const char* q;
  };
  const Term terms[] = {{"rare", "华为"},
                        {"city", "苏州"},
                        {"industry", "医药"},
                        {"industry", "科技"},
                        {"every-name", "有限"},
                        {"rare", "苏州华鼎"},
                        {"rare-after-common", "鼎盛医药"},
                        {"common", "精密机械"},
                        {"common", "新能源"}};
  for (const auto& t : terms) {
    const std::string name = std::string("BM_ListAccounts/admin/") + t.tier + "/" + t.q;
    benchmark::RegisterBenchmark(name.c_str(), BM_ListAccounts, std::string(t.q), false)->Unit(benchmark::kMillisecond);
  }
  for (const char* q : {"华为", "苏州", "科技"}) {
    const std::string name = std::string("BM_ListAccounts/specialist/") + q;
    benchmark::RegisterBenchmark(name.c_str(), BM_ListAccounts, std::string(q), true)->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
