#include "app/import_command.hpp"

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "auth/service.hpp"
#include "platform/sheets/sheets.hpp"

namespace kam::app {

namespace {

// The process's peak resident memory so far (getrusage: kilobytes on Linux).
long peak_memory_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

}  // namespace

int run_import(db::Database& database, const ImportCommand& command) {
  // The file read once into one buffer (sized up front when it is a regular
  // file; a pipe such as /dev/stdin is read to its end).
  std::string bytes;
  {
    std::ifstream in(command.file, std::ios::binary);
    std::error_code size_error;
    const auto size = std::filesystem::file_size(command.file, size_error);
    if (!size_error) bytes.reserve(size);
    std::vector<char> chunk(1 << 16);
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
      bytes.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (!in.eof()) {  // not opened, or a read failed (a directory)
      std::cerr << "cannot read " << command.file << "\n";
      return 2;
    }
  }

  auto c = database.acquire();
  // A bulk load in one transaction: a page cache of 256 MiB (taken as needed)
  // holds the pages of a 100k-row import until commit instead of spilling them
  // to the WAL mid-transaction and writing them again. A 1M-row import spills
  // either way: 1 GiB was no faster there (67-73 s both) and held 0.9 GB more.
  if (c->backend() == db::Backend::sqlite) c->query("PRAGMA cache_size = -262144");
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
  // The file's bytes are let go once parsed: a bulk load holds the table
  // (whose rows the import releases as it reads them), not the file as well.
  auto table = sheets::read_table(bytes);
  std::string().swap(bytes);
  if (!table) {
    std::cerr << "import failed: " << command.file << ": " << table.error().detail() << "\n";
    return 2;
  }
  auto report = accounts::import_table(*c, *principal, std::move(*table), command.options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!report) {
    std::cerr << "import failed: " << report.error().detail() << "\n";
    for (const auto& f : report.error().fields()) std::cerr << "  " << f.field << ": " << f.message << "\n";
    return 2;
  }
  std::cout << accounts::to_json(*report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  std::cerr << report->rows << " rows in " << seconds << " s ("
            << static_cast<long long>(report->rows / std::max(seconds, 1e-9)) << " rows/s)"
            << (report->dry_run ? ", dry run" : "") << "; peak memory " << peak_memory_mb() << " MB\n";
  return report->errors.empty() ? 0 : 1;
}

}  // namespace kam::app
