// The `kam` command: serve, migrate, user add, demo, version.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "accounts/pool.hpp"
#include "activities/rule_tasks.hpp"
#include "app/api.hpp"
#include "app/demo.hpp"
#include "app/import_command.hpp"
#include "auth/crypto.hpp"
#include "auth/directory.hpp"
#include "auth/service.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/migrations.hpp"
#include "platform/http/server.hpp"
#include "platform/jobs/jobs.hpp"

#ifndef KAM_VERSION
#define KAM_VERSION "0.1.0"
#endif

namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

std::string default_db() {
  return env("KAM_DB").value_or("sqlite:data/kam.db");
}

// Worker threads (each with its own database connection). On SQLite a request
// hardly ever waits (reads come from the page cache, writers queue for one
// lock), so more threads than cores only time-slice requests against each
// other: at 64 connections 4 workers on 2 cores gave a p99 several ms longer
// than 3 for the same throughput (docs/performance.md). On PostgreSQL a
// worker waits for the server on every statement, so more of them pay.
int default_workers(const std::string& db_url) {
  const auto cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (db_url.rfind("sqlite:", 0) == 0) return cores + 1;
  return std::max(4, 2 * cores);
}

std::string default_web_root(const char* argv0) {
  namespace fs = std::filesystem;
  if (fs::exists("web/dist/index.html")) return "web/dist";
  std::error_code ec;
  const auto exe = fs::canonical("/proc/self/exe", ec);
  const fs::path from_exe = ec ? fs::path(argv0).parent_path() : exe.parent_path();
  const auto candidate = from_exe / ".." / "web" / "dist";
  if (fs::exists(candidate / "index.html")) return candidate.lexically_normal().string();
  return "web/dist";
}

std::unique_ptr<kam::db::Database> open_and_migrate(const std::string& url, int pool) {
  auto database = kam::db::open_database(url, pool);
  const int applied = kam::db::migrate(*database, kam::db::builtin_migrations());
  if (applied > 0) spdlog::info("applied {} migration(s) to {}", applied, database->describe());
  return database;
}

void bootstrap(kam::db::Database& database) {
  kam::auth::AuthService auth(database);
  if (auto generated = auth.bootstrap(env("KAM_ADMIN_PASSWORD"))) {
    std::cout << "\n  Created the first user: admin\n  Password (shown once, change it after logging in): "
              << *generated << "\n\n"
              << std::flush;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"KAM - key-account and channel management"};
  cli.require_subcommand(1);
  std::string db_url = default_db();

  auto* serve = cli.add_subcommand("serve", "serve the web app and the API");
  std::string listen = env("KAM_LISTEN").value_or("127.0.0.1:8080");
  std::string web_root = default_web_root(argv[0]);
  int workers = 0;  // 0: by back end, see default_workers
  int io_threads = 1;
  bool quiet = false;
  serve->add_option("--db", db_url, "sqlite:PATH or postgresql://user@host:port/db")->capture_default_str();
  serve->add_option("--listen", listen, "HOST:PORT")->capture_default_str();
  serve->add_option("--web-root", web_root, "folder of the built web app")->capture_default_str();
  serve->add_option("--workers", workers,
                    "worker threads (and database connections); default: cores + 1 on SQLite, "
                    "2 x cores (at least 4) on PostgreSQL");
  serve->add_option("--io-threads", io_threads, "network threads")->capture_default_str();
  serve->add_flag("--quiet", quiet, "no access log");
  bool test_clock = false;  // tests only: PUT /api/v1/test/clock moves "now" (admin)
  serve->add_flag("--test-clock", test_clock, "let an admin move the clock (tests only)");
  bool no_jobs = false;  // benchmarks: the hourly jobs would rewrite a generated database under load
  serve->add_flag("--no-jobs", no_jobs,
                  "do not run the background jobs (pool recovery, rule tasks), e.g. for benchmarks");

  auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations");
  migrate->add_option("--db", db_url, "database URL")->capture_default_str();

  auto* user = cli.add_subcommand("user", "manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add a user");
  std::string username, password, display_name, role = "specialist";
  std::int64_t department_id = 0;
  user_add->add_option("--db", db_url, "database URL")->capture_default_str();
  user_add->add_option("--username", username, "login name")->required();
  user_add->add_option("--password", password, "password (at least 12 characters; default: KAM_USER_PASSWORD)");
  user_add->add_option("--display-name", display_name, "name shown in the app");
  user_add->add_option("--role", role, "role code: admin, director, manager, specialist, assistant, finance")
      ->capture_default_str();
  user_add->add_option("--department-id", department_id, "department id (default: the root department)");

  auto* demo = cli.add_subcommand("demo", "fill an empty database with a realistic demo company");
  int demo_accounts = 300;
  std::string demo_password = env("KAM_DEMO_PASSWORD").value_or("kam-demo-2026");
  demo->add_option("--db", db_url, "database URL")->capture_default_str();
  demo->add_option("--accounts", demo_accounts, "number of accounts")->capture_default_str();
  demo->add_option("--password", demo_password, "password of every demo user")->capture_default_str();

  auto* import_cmd = cli.add_subcommand("import", "import accounts or contacts from a CSV or XLSX file");
  kam::app::ImportCommand import_command;
  import_command.options.dry_run = false;
  import_cmd->add_option("--db", db_url, "database URL")->capture_default_str();
  import_cmd->add_option("--kind", import_command.options.kind, "accounts or contacts")->capture_default_str();
  import_cmd->add_flag("--dry-run", import_command.options.dry_run, "validate and count, write nothing");
  import_cmd->add_option("--on-duplicate", import_command.options.on_duplicate, "skip, update or fail")
      ->capture_default_str();
  import_cmd->add_option("--owner", import_command.username, "import as this user (owner of new accounts)")
      ->capture_default_str();
  import_cmd->add_option("file", import_command.file, "CSV (UTF-8 or GB18030) or XLSX file")->required();

  auto* version = cli.add_subcommand("version", "print the version");

  CLI11_PARSE(cli, argc, argv);

  try {
    kam::auth::crypto_init();
    if (version->parsed()) {
      std::cout << "kam " << KAM_VERSION << "\n";
      return 0;
    }
    if (migrate->parsed()) {
      auto database = open_and_migrate(db_url, 1);
      bootstrap(*database);
      std::cout << "database is up to date: " << database->describe() << "\n";
      return 0;
    }
    if (user_add->parsed()) {
      auto database = open_and_migrate(db_url, 1);
      bootstrap(*database);
      if (password.empty()) password = env("KAM_USER_PASSWORD").value_or("");
      auto c = database->acquire();
      kam::auth::Principal system;
      system.permissions = {"users.admin"};
      if (department_id == 0) {
        department_id =
            c->query("SELECT id FROM departments WHERE parent_id IS NULL ORDER BY id LIMIT 1").front().integer(0);
      }
      const auto roles = c->query("SELECT id FROM roles WHERE code = ?", {role});
      if (roles.empty()) {
        std::cerr << "unknown role: " << role << "\n";
        return 2;
      }
      nlohmann::json body = {{"username", username},
                             {"password", password},
                             {"display_name", display_name.empty() ? username : display_name},
                             {"department_id", department_id},
                             {"role_ids", {roles.front().integer(0)}}};
      auto created = kam::auth::create_user(*c, system, body);
      if (!created) {
        std::cerr << "cannot add the user: " << created.error().detail() << "\n";
        for (const auto& f : created.error().fields()) std::cerr << "  " << f.field << ": " << f.message << "\n";
        return 1;
      }
      std::cout << "added user " << username << " (id " << (*created)["id"] << ")\n";
      return 0;
    }
    if (import_cmd->parsed()) {
      auto database = open_and_migrate(db_url, 1);
      bootstrap(*database);
      return kam::app::run_import(*database, import_command);
    }
    if (demo->parsed()) {
      auto database = open_and_migrate(db_url, 1);
      bootstrap(*database);
      const auto summary = kam::app::load_demo(*database, demo_accounts, demo_password);
      std::cout << "demo company loaded: " << summary.departments << " departments, " << summary.users
                << " users (password " << summary.password << "), " << summary.accounts << " accounts\n"
                << "users: zhao.zongjian (director), qian.jingli / sun.east / li.south (managers), zhou.neiqin "
                   "(assistant), wu.caiwu (finance), zheng.wei / wang.fang / feng.lei / chen.jing / chu.yang / "
                   "wei.min (specialists)\n";
      return 0;
    }
    if (serve->parsed()) {
      const auto colon = listen.rfind(':');
      if (colon == std::string::npos) {
        std::cerr << "--listen must be HOST:PORT\n";
        return 2;
      }
      kam::http::ServerOptions options;
      options.host = listen.substr(0, colon);
      options.port = static_cast<unsigned short>(std::stoi(listen.substr(colon + 1)));
      if (workers <= 0) workers = default_workers(db_url);
      options.workers = workers;
      options.io_threads = io_threads;
      options.access_log = !quiet;
      kam::enable_test_clock(test_clock);
      auto database = open_and_migrate(db_url, workers);
      bootstrap(*database);
      kam::app::Api api(*database, web_root);
      kam::http::Server server(options, [&api](kam::http::Request& request) { return api.handle(request); });
      server.listen();
      spdlog::info("kam {} serving http://{}:{} (database {}, web app {})", KAM_VERSION, options.host, server.port(),
                   database->describe(), web_root);
      kam::jobs::JobRunner jobs(*database, kam::jobs::default_holder_id());
      kam::accounts::pool::register_jobs(jobs);
      kam::activities::register_jobs(jobs);  // tasks raised by rules (pool warning, decision maker left)
      if (!no_jobs) jobs.start();
      server.run();  // returns after SIGTERM/SIGINT
      jobs.stop();
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "kam: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
