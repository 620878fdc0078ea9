// kam_bench_generate: builds a large, realistic KAM database for benchmarks.
//
//   kam_bench_generate --db sqlite:bench/data/kam.db --accounts 1000000 [--seed N]
//   kam_bench_generate --db postgresql://user@host:port/db --accounts 1000000
//
// Runs the built-in migrations and the admin bootstrap (password from
// KAM_ADMIN_PASSWORD), creates a sales organisation (departments, a director,
// one manager and six specialists per region) through the directory module,
// then inserts N accounts with realistic Chinese company names
// (kam::app::NameGenerator) spread over the specialists, their departments
// and the last few years, in batches (one transaction per batch).
//
// Two insert paths:
//   --mode fast     (default) writes the same rows as accounts::insert_accounts_bulk
//                   - accounts with archive_no KA-YYYY-NNNNNN, search_key =
//                   text::normalize_for_search(name), account_search postings
//                   from text::search_grams(name), counters 'archive_no:YYYY' set
//                   to the last number used - but with explicit ids, multi-row
//                   INSERTs (SQLite) or COPY (PostgreSQL), postings sorted by
//                   (gram, id) within a batch.
//   --mode library  calls accounts::insert_accounts_bulk per batch (one INSERT per
//                   account, one per posting, one counter upsert per account);
//                   kept to measure that path.
//
// Refuses to run on a database that already has accounts.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "accounts/accounts.hpp"
#include "app/demo.hpp"
#include "auth/crypto.hpp"
#include "auth/directory.hpp"
#include "auth/service.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/text.hpp"
#include "platform/db/migrations.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using kam::db::Connection;
using kam::db::Params;
using kam::db::Value;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

struct Owner {
  std::int64_t user_id;
  std::int64_t department_id;
};

// ------------------------------------------------------------- organisation

struct Organisation {
  std::int64_t admin_id = 0;
  std::vector<Owner> specialists;
  int departments_created = 0;
  int users_created = 0;
};

kam::auth::Principal system_principal(std::int64_t admin_id) {
  kam::auth::Principal p;
  p.user_id = admin_id;
  p.username = "admin";
  p.permissions = {"users.admin", "users.read"};
  p.scope = kam::auth::DataScope::all;
  return p;
}

std::int64_t ensure_department(Connection& c, const kam::auth::Principal& p, const std::string& name,
                               std::int64_t parent, Organisation& org) {
  const auto found =
      c.query("SELECT id FROM departments WHERE name = ? AND parent_id = ? AND deleted_at IS NULL", {name, parent});
  if (!found.empty()) return found.front().integer(0);
  auto created = kam::auth::create_department(c, p, {{"name", name}, {"parent_id", parent}});
  if (!created) throw std::runtime_error("cannot create department " + name + ": " + created.error().detail());
  ++org.departments_created;
  return (*created)["id"].get<std::int64_t>();
}

std::int64_t ensure_user(Connection& c, const kam::auth::Principal& p, const std::string& username,
                         const std::string& display_name, std::int64_t department, const std::string& role,
                         const std::string& password, Organisation& org) {
  const auto found = c.query("SELECT id FROM users WHERE username = ?", {username});
  if (!found.empty()) return found.front().integer(0);
  const auto role_id = c.query("SELECT id FROM roles WHERE code = ?", {role}).front().integer(0);
  nlohmann::json body = {{"username", username},
                         {"password", password},
                         {"display_name", display_name},
                         {"department_id", department},
                         {"role_ids", {role_id}}};
  auto created = kam::auth::create_user(c, p, body);
  if (!created) throw std::runtime_error("cannot create user " + username + ": " + created.error().detail());
  ++org.users_created;
  return (*created)["id"].get<std::int64_t>();
}

Organisation build_organisation(Connection& c, const std::string& password) {
  Organisation org;
  org.admin_id = c.query("SELECT id FROM users WHERE username = 'admin'").front().integer(0);
  const auto p = system_principal(org.admin_id);
  const auto root =
      c.query("SELECT id FROM departments WHERE parent_id IS NULL AND deleted_at IS NULL ORDER BY id LIMIT 1")
          .front()
          .integer(0);
  const auto sales = ensure_department(c, p, "大客户部", root, org);
  ensure_department(c, p, "渠道部", root, org);
  ensure_department(c, p, "财务部", root, org);
  ensure_user(c, p, "zhao.zongjian", "赵总监", sales, "director", password, org);

  struct Region {
    const char* name;
    const char* code;
    const char* manager;
  };
  const Region regions[] = {{"华东大区", "east", "孙经理"},
                            {"华南大区", "south", "李经理"},
                            {"华北大区", "north", "周经理"},
                            {"西部大区", "west", "吴经理"}};
  const char* const surnames[] = {"郑", "王", "冯", "陈", "褚", "卫", "蒋", "沈", "韩", "杨", "朱", "秦"};
  const char* const given[] = {"伟", "芳", "磊", "静", "阳", "敏", "军", "丽", "强", "娟", "洋", "艳"};
  int n = 0;
  for (const auto& region : regions) {
    const auto dept = ensure_department(c, p, region.name, sales, org);
    ensure_user(c, p, std::string("manager.") + region.code, region.manager, dept, "manager", password, org);
    ensure_user(c, p, std::string("assistant.") + region.code, std::string(region.name).substr(0, 6) + "内勤", dept,
                "assistant", password, org);
    for (int i = 1; i <= 6; ++i, ++n) {
      const std::string username = fmt::format("rep.{}{}", region.code, i);
      const std::string display = std::string(surnames[n % 12]) + given[(n * 5 + i) % 12];
      org.specialists.push_back({ensure_user(c, p, username, display, dept, "specialist", password, org), dept});
    }
  }
  return org;
}

// ------------------------------------------------------------------ accounts

struct Row {
  std::int64_t id;
  std::string archive_no;
  kam::app::NameGenerator::Company company;
  std::string address;
  Owner owner;
  std::string created_at, updated_at;
};

// Spreads creation times over the last `years` years, ascending with the id,
// and numbers archives per year like the server does.
class RowMaker {
 public:
  RowMaker(std::uint64_t seed, std::int64_t total, int years, std::vector<Owner> owners)
      : names_(seed), random_(seed ^ 0x9e3779b97f4a7c15ULL), total_(total), owners_(std::move(owners)) {
    end_ = std::chrono::system_clock::now();
    start_ = end_ - std::chrono::hours(24 * 365 * years);
  }

  Row make(std::int64_t id, std::int64_t index) {
    Row row;
    row.id = id;
    row.company = names_.next();
    row.owner = owners_[std::uniform_int_distribution<std::size_t>(0, owners_.size() - 1)(random_)];
    const auto span = std::chrono::duration_cast<std::chrono::milliseconds>(end_ - start_).count();
    const auto created = start_ + std::chrono::milliseconds(span * index / std::max<std::int64_t>(1, total_));
    auto updated = created + std::chrono::minutes(std::uniform_int_distribution<int>(0, 180 * 24 * 60)(random_));
    if (updated > end_) updated = end_;
    row.created_at = kam::format_instant(created);
    row.updated_at = kam::format_instant(updated);
    const int year = std::stoi(row.created_at.substr(0, 4));
    row.archive_no = kam::accounts::archive_number(year, ++last_number_[year]);
    static const char* const districts[] = {"高新区", "经济开发区", "工业园区", "新区", "滨江区", "开发区"};
    static const char* const roads[] = {"创业路", "科技大道", "人民路",   "建设路",
                                        "解放路", "中山路",   "工业大道", "发展大道"};
    std::string city = row.company.place.city;
    row.address = city + districts[std::uniform_int_distribution<int>(0, 5)(random_)] +
                  roads[std::uniform_int_distribution<int>(0, 7)(random_)] +
                  std::to_string(std::uniform_int_distribution<int>(1, 999)(random_)) + "号";
    return row;
  }

  const std::map<int, std::int64_t>& last_numbers() const { return last_number_; }

 private:
  kam::app::NameGenerator names_;
  std::mt19937_64 random_;
  std::int64_t total_;
  std::vector<Owner> owners_;
  std::chrono::system_clock::time_point start_, end_;
  std::map<int, std::int64_t> last_number_;
};

const std::vector<std::string> kAccountColumns = {"id",       "archive_no",    "name",       "search_key",
                                                  "industry", "province",      "city",       "address",
                                                  "owner_id", "department_id", "created_at", "updated_at"};

std::vector<Value> account_values(const Row& r) {
  return {r.id,
          r.archive_no,
          r.company.name,
          kam::text::normalize_for_search(r.company.name),
          r.company.industry,
          r.company.place.province,
          r.company.place.city,
          r.address,
          r.owner.user_id,
          r.owner.department_id,
          r.created_at,
          r.updated_at};
}

// SQLite: multi-row INSERT of up to `per_statement` rows (prepared statements
// are cached by the driver per distinct SQL text, so only two texts occur).
void sqlite_insert_rows(Connection& c, const std::string& table, const std::vector<std::string>& columns,
                        const std::vector<std::vector<Value>>& rows, std::size_t per_statement) {
  std::string head = "INSERT INTO " + table + " (";
  std::string tuple = "(";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    head += (i ? "," : "") + columns[i];
    tuple += i ? ",?" : "?";
  }
  head += ") VALUES ";
  tuple += ")";
  Params params;
  for (std::size_t start = 0; start < rows.size(); start += per_statement) {
    const std::size_t count = std::min(per_statement, rows.size() - start);
    std::string sql = head;
    for (std::size_t i = 0; i < count; ++i) sql += (i ? "," : "") + tuple;
    params.clear();
    params.reserve(count * columns.size());
    for (std::size_t i = 0; i < count; ++i) {
      for (const auto& v : rows[start + i]) params.push_back(v);
    }
    c.query(sql, params);
  }
}

struct LoadStats {
  std::int64_t accounts = 0;
  std::int64_t postings = 0;
  double seconds = 0;
};

void insert_batch_fast(Connection& c, const std::vector<Row>& batch, LoadStats& stats) {
  std::vector<std::vector<Value>> accounts;
  accounts.reserve(batch.size());
  std::vector<std::pair<std::string, std::int64_t>> postings;
  postings.reserve(batch.size() * 16);
  for (const auto& r : batch) {
    accounts.push_back(account_values(r));
    for (auto& gram : kam::text::search_grams(r.company.name)) postings.emplace_back(std::move(gram), r.id);
  }
  std::sort(postings.begin(), postings.end());
  std::vector<std::vector<Value>> posting_rows;
  posting_rows.reserve(postings.size());
  for (auto& [gram, id] : postings) posting_rows.push_back({std::move(gram), id});

  kam::db::Transaction tx(c, true);
  if (c.backend() == kam::db::Backend::sqlite) {
    sqlite_insert_rows(c, "accounts", kAccountColumns, accounts, 200);                    // 2400 parameters
    sqlite_insert_rows(c, "account_search", {"gram", "account_id"}, posting_rows, 1000);  // 2000 parameters
  } else {
    c.bulk_insert("accounts", kAccountColumns, accounts);  // COPY
    c.bulk_insert("account_search", {"gram", "account_id"}, posting_rows);
  }
  tx.commit();
  stats.accounts += static_cast<std::int64_t>(batch.size());
  stats.postings += static_cast<std::int64_t>(posting_rows.size());
}

void insert_batch_library(Connection& c, const std::vector<Row>& batch, LoadStats& stats) {
  std::vector<kam::accounts::NewAccount> rows;
  rows.reserve(batch.size());
  for (const auto& r : batch) {
    rows.push_back({r.company.name, r.company.industry, r.company.place.province, r.company.place.city, r.address,
                    r.owner.user_id, r.owner.department_id});
    stats.postings += static_cast<std::int64_t>(kam::text::search_grams(r.company.name).size());
  }
  kam::db::Transaction tx(c, true);
  kam::accounts::insert_accounts_bulk(c, rows);
  tx.commit();
  stats.accounts += static_cast<std::int64_t>(batch.size());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Fill a KAM database with N realistic accounts for benchmarks"};
  std::string url;
  std::int64_t accounts = 1000000;
  std::uint64_t seed = 20261129;
  int batch_size = 50000;
  int years = 5;
  std::string mode = "fast";
  bool analyze = false;
  cli.add_option("--db", url, "sqlite:PATH or postgresql://...")->required();
  cli.add_option("--accounts", accounts, "number of accounts")->capture_default_str()->check(CLI::Range(1, 100000000));
  cli.add_option("--seed", seed, "random seed (same seed, same data)")->capture_default_str();
  cli.add_option("--batch", batch_size, "accounts per transaction")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--years", years, "spread creation dates over this many years up to now")
      ->capture_default_str()
      ->check(CLI::Range(1, 30));
  cli.add_option("--mode", mode, "fast (multi-row INSERT / COPY) or library (accounts::insert_accounts_bulk)")
      ->capture_default_str()
      ->check(CLI::IsMember({"fast", "library"}));
  cli.add_flag("--analyze", analyze, "run ANALYZE at the end (PostgreSQL always does)");
  CLI11_PARSE(cli, argc, argv);

  try {
    kam::auth::crypto_init();
    const auto started = Clock::now();
    auto database = kam::db::open_database(url, 1);
    std::cout << "database " << database->describe() << "\n";
    const int applied = kam::db::migrate(*database, kam::db::builtin_migrations());
    std::cout << "migrations applied: " << applied << "\n";
    const std::string admin_password = env_or("KAM_ADMIN_PASSWORD", "");
    kam::auth::AuthService auth(*database);
    if (auto generated = auth.bootstrap(admin_password.empty() ? std::nullopt : std::optional(admin_password))) {
      std::cout << "created user admin, password (shown once): " << *generated << "\n";
    }
    auto c = database->acquire();
    const bool sqlite = c->backend() == kam::db::Backend::sqlite;
    if (c->query("SELECT count(*) FROM accounts").front().integer(0) > 0) {
      std::cerr << "kam_bench_generate: the database already has accounts; use an empty database\n";
      return 1;
    }
    // Users get the admin password (or KAM_BENCH_USER_PASSWORD); it must pass the 12-character rule.
    std::string user_password = env_or("KAM_BENCH_USER_PASSWORD", admin_password);
    if (user_password.size() < 12) user_password = "kam-bench-user-2026";
    const auto org_started = Clock::now();
    const auto org = build_organisation(*c, user_password);
    std::cout << fmt::format(
        "organisation: {} departments and {} users created ({} specialists own the accounts), "
        "{:.1f} s (argon2id per user)\n",
        org.departments_created, org.users_created, org.specialists.size(), seconds_since(org_started));

    if (sqlite) {
      // A large page cache for this connection only: the postings B-tree is
      // a few hundred MB and each batch touches most of its leaves.
      c->execute_script("PRAGMA cache_size=-1048576;");
    }
    const std::int64_t first_id = c->query("SELECT coalesce(max(id), 0) FROM accounts").front().integer(0) + 1;
    RowMaker maker(seed, accounts, years, org.specialists);
    LoadStats stats;
    const auto load_started = Clock::now();
    std::vector<Row> batch;
    batch.reserve(static_cast<std::size_t>(batch_size));
    for (std::int64_t i = 0; i < accounts;) {
      batch.clear();
      for (int k = 0; k < batch_size && i < accounts; ++k, ++i) batch.push_back(maker.make(first_id + i, i));
      if (mode == "fast") {
        insert_batch_fast(*c, batch, stats);
      } else {
        insert_batch_library(*c, batch, stats);
      }
      const double s = seconds_since(load_started);
      std::cout << fmt::format("  {:>9}/{} accounts  {:>10} postings  {:6.1f} s  {:8.0f} accounts/s  {:9.0f} rows/s\n",
                               stats.accounts, accounts, stats.postings, s, stats.accounts / s,
                               (stats.accounts + stats.postings) / s)
                << std::flush;
    }
    stats.seconds = seconds_since(load_started);

    if (mode == "fast") {
      // The server numbers the next account of a year from these counters.
      kam::db::Transaction tx(*c, true);
      for (const auto& [year, last] : maker.last_numbers()) {
        c->query(
            "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            {"archive_no:" + std::to_string(year), last});
      }
      tx.commit();
      if (!sqlite) {
        // Explicit ids bypassed the identity sequence: move it past them.
        c->query("SELECT setval(pg_get_serial_sequence('accounts', 'id'), (SELECT max(id) FROM accounts))");
      }
    }
    const auto finish_started = Clock::now();
    if (!sqlite || analyze) c->execute_script("ANALYZE;");
    if (sqlite) c->execute_script("PRAGMA wal_checkpoint(TRUNCATE);");
    const double finish_seconds = seconds_since(finish_started);

    std::cout << fmt::format(
        "loaded {} accounts and {} search postings in {:.1f} s ({} mode, batches of {}): {:.0f} accounts/s, "
        "{:.0f} rows/s (accounts + postings)\n",
        stats.accounts, stats.postings, stats.seconds, mode, batch_size, stats.accounts / stats.seconds,
        (stats.accounts + stats.postings) / stats.seconds);
    std::cout << fmt::format("{}checkpoint: {:.1f} s\n", (!sqlite || analyze) ? "ANALYZE + " : "", finish_seconds);
    if (sqlite) {
      const std::string path = url.substr(7);
      std::error_code ec;
      const auto bytes = std::filesystem::file_size(path, ec);
      if (!ec) std::cout << fmt::format("database file: {} ({:.0f} MiB)\n", path, bytes / 1048576.0);
    }
    std::cout << fmt::format("total time: {:.1f} s\n", seconds_since(started));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "kam_bench_generate: " << e.what() << "\n";
    return 1;
  }
}
