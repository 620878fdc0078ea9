#include "app/import_command.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "auth/service.hpp"

namespace kam::app {

int run_import(db::Database& database, const ImportCommand& command) {
  std::ifstream in(command.file, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << command.file << "\n";
    return 2;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string bytes = buffer.str();

  auto c = database.acquire();
  // A bulk load in one transaction: a page cache as large as the pages it
  // dirties (up to 1 GiB, taken as needed) keeps SQLite from spilling them to
  // the WAL mid-transaction and writing them again at commit.
  if (c->backend() == db::Backend::sqlite) c->query("PRAGMA cache_size = -1048576");
  const auto users = c->query("SELECT id FROM users WHERE username = ? AND active = 1", {command.username});
  if (users.empty()) {
    std::cerr << "no active user " << command.username << "\n";
    return 2;
  }
  auth::AuthService auth(database);
  auto principal = auth.principal_of(*c, users.front().integer(0));
  if (!principal) {
    std::cerr << "cannot act as " << command.username << ": " << principal.error().detail() << "\n";
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  auto report = accounts::import_file(*c, *principal, bytes, command.options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!report) {
    std::cerr << "import failed: " << report.error().detail() << "\n";
    for (const auto& f : report.error().fields()) std::cerr << "  " << f.field << ": " << f.message << "\n";
    return 2;
  }
  std::cout << accounts::to_json(*report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  std::cerr << report->rows << " rows in " << seconds << " s ("
            << static_cast<long long>(report->rows / std::max(seconds, 1e-9)) << " rows/s)"
            << (report->dry_run ? ", dry run" : "") << "\n";
  return report->errors.empty() ? 0 : 1;
}

}  // namespace kam::app
