// Shared fixture for storage tests that run against both back ends.
//
// Tests derive from BackendTest (a value-parameterised gtest fixture whose
// parameter is "sqlite" or "postgres") and instantiate it with
//
//   INSTANTIATE_TEST_SUITE_P(Backends, MyTest, kam::testdb::kBackends, kam::testdb::backend_name);
//
// Every test gets a fresh, empty database of its own:
//   sqlite    a new file under /tmp, removed (with its -wal/-shm) afterwards;
//   postgres  a new database `kam_t_<pid>_<n>` created on the server named by
//             env KAM_TEST_PG_URL and dropped (WITH (FORCE)) afterwards.
// Without KAM_TEST_PG_URL the PostgreSQL instantiation is skipped, or fails
// when env CI is set (CI must not silently skip a back end).
//
// Header-only on purpose (no CMake entry needed).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/crypto.hpp"
#include "auth/directory.hpp"
#include "auth/principal.hpp"
#include "auth/service.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace kam::testdb {

inline const auto kBackends = ::testing::Values(std::string("sqlite"), std::string("postgres"));

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// A process-wide unique name: kam_t_<pid>_<n>.
inline std::string unique_name() {
  static std::atomic<int> counter{0};
  return "kam_t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

// The URL with its database name (the path after host[:port]) replaced.
inline std::string with_database(const std::string& url, const std::string& name) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const std::size_t query = url.find_first_of("?#", scheme + 3);
  const std::size_t host_end = std::min(url.find('/', scheme + 3), query);
  const std::string head = url.substr(0, host_end == std::string::npos ? url.size() : host_end);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  return head + "/" + name + tail;
}

inline std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// A fresh database that lives as long as this object.
class ScratchDatabase {
 public:
  // `server_url` is only used for PostgreSQL (the server to create it on).
  ScratchDatabase(db::Backend backend, const std::string& server_url, int pool_size)
      : backend_(backend), server_url_(server_url), name_(unique_name()) {
    if (backend_ == db::Backend::sqlite) {
      path_ = (std::filesystem::temp_directory_path() / (name_ + ".sqlite")).string();
      remove_files();
      url_ = "sqlite:" + path_;
    } else {
      admin([&](db::Connection& c) {
        c.execute_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        c.execute_script("CREATE DATABASE " + name_ + " TEMPLATE template0 ENCODING 'UTF8'");
      });
      url_ = with_database(server_url_, name_);
    }
    database_ = db::open_database(url_, pool_size);
  }

  ~ScratchDatabase() {
    database_.reset();  // close every pooled connection first
    if (backend_ == db::Backend::sqlite) {
      remove_files();
      return;
    }
    try {
      admin([&](db::Connection& c) { c.execute_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"); });
    } catch (const std::exception& e) {
      std::cerr << "warning: could not drop test database " << name_ << ": " << e.what() << "\n";
    }
  }

  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  db::Database& database() { return *database_; }
  const std::string& url() const { return url_; }
  // Another, independent Database (pool) on the same database.
  std::unique_ptr<db::Database> open_again(int pool_size) const { return db::open_database(url_, pool_size); }

 private:
  template <typename F>
  void admin(F&& f) {
    auto server = db::open_database(server_url_, 1);
    auto c = server->acquire();
    f(*c);
  }

  void remove_files() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix, ignored);
  }

  db::Backend backend_;
  std::string server_url_;
  std::string name_;
  std::string path_;
  std::string url_;
  std::unique_ptr<db::Database> database_;
};

// Base fixture: a fresh empty database of the parameter's back end per test.
// Derived fixtures that override SetUp() call BackendTest::SetUp() first and
// return at once when `!ready()`.
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  virtual int pool_size() const { return 4; }

  void SetUp() override {
    std::string server_url;
    if (GetParam() == "postgres") {
      const auto url = env("KAM_TEST_PG_URL");
      if (!url) {
        if (env("CI")) {
          GTEST_FAIL() << "KAM_TEST_PG_URL is not set but CI is: the PostgreSQL tests must run in CI. Start a "
                          "server with `scripts/pg-test-server start DIR` and export KAM_TEST_PG_URL=<the URL it "
                          "prints>.";
        }
        GTEST_SKIP() << "KAM_TEST_PG_URL is not set; PostgreSQL tests skipped (start a server with "
                        "`scripts/pg-test-server start DIR` and export KAM_TEST_PG_URL=<its URL>)";
      }
      server_url = *url;
    } else {
      ASSERT_EQ(GetParam(), "sqlite") << "unknown back end";
    }
    scratch_ = std::make_unique<ScratchDatabase>(backend(), server_url, pool_size());
  }

  void TearDown() override { scratch_.reset(); }

  bool ready() const { return scratch_ != nullptr && !HasFatalFailure() && !IsSkipped(); }
  db::Backend backend() const { return GetParam() == "postgres" ? db::Backend::postgres : db::Backend::sqlite; }
  db::Database& database() { return scratch_->database(); }
  ScratchDatabase& scratch() { return *scratch_; }

  std::unique_ptr<ScratchDatabase> scratch_;
};

// A BackendTest whose database has every builtin migration applied.
class MigratedTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!ready()) return;
    db::migrate(database(), db::builtin_migrations());
  }
};

// The organisation of a bootstrapped database, built through the real
// directory functions: departments, users with roles, and their principals.
// Failures throw (gtest reports an exception escaping a test as a failure).
class Org {
 public:
  static constexpr const char* kAdminPassword = "admin-password-for-tests";
  static constexpr const char* kUserPassword = "user-password-for-tests";

  explicit Org(db::Database& database) : database_(database), auth_(database) {}

  // Seeds the roles and the admin (password kAdminPassword).
  void bootstrap() {
    auth::crypto_init();
    auth_.bootstrap(std::string(kAdminPassword));
  }

  auth::AuthService& auth() { return auth_; }

  std::int64_t admin_id() {
    auto c = database_.acquire();
    return c->query("SELECT id FROM users WHERE username = ?", {std::string("admin")}).front().integer(0);
  }

  auth::Principal admin() { return principal(admin_id()); }

  // The root department bootstrap created.
  std::int64_t root_department() {
    auto c = database_.acquire();
    return c->query("SELECT id FROM departments WHERE parent_id IS NULL ORDER BY id LIMIT 1").front().integer(0);
  }

  std::int64_t department(const std::string& name, std::optional<std::int64_t> parent) {
    auto c = database_.acquire();
    nlohmann::json body = {{"name", name}, {"parent_id", parent ? nlohmann::json(*parent) : nlohmann::json()}};
    auto created = auth::create_department(*c, admin(), body);
    if (!created) throw std::runtime_error("create_department " + name + ": " + created.error().detail());
    return (*created)["id"].get<std::int64_t>();
  }

  std::int64_t role(const std::string& code) {
    auto c = database_.acquire();
    const auto rows = c->query("SELECT id FROM roles WHERE code = ?", {code});
    if (rows.empty()) throw std::runtime_error("no role " + code);
    return rows.front().integer(0);
  }

  // A user created with create_user (password kUserPassword); returns the id.
  std::int64_t user(const std::string& username, std::int64_t department_id, const std::vector<std::string>& roles,
                    const std::string& display_name = "") {
    nlohmann::json role_ids = nlohmann::json::array();
    for (const auto& code : roles) role_ids.push_back(role(code));
    const nlohmann::json body = {{"username", username},
                                 {"display_name", display_name.empty() ? username : display_name},
                                 {"password", kUserPassword},
                                 {"department_id", department_id},
                                 {"role_ids", role_ids}};
    auto c = database_.acquire();
    auto created = auth::create_user(*c, admin(), body);
    if (!created) {
      std::string detail = created.error().detail();
      for (const auto& f : created.error().fields()) detail += "; " + f.field + ": " + f.message;
      throw std::runtime_error("create_user " + username + ": " + detail);
    }
    return (*created)["id"].get<std::int64_t>();
  }

  auth::Principal principal(std::int64_t user_id) {
    auto c = database_.acquire();
    auto p = auth_.principal_of(*c, user_id);
    if (!p) throw std::runtime_error("principal_of " + std::to_string(user_id) + ": " + p.error().detail());
    return *p;
  }

  // create_user + principal_of in one step.
  auth::Principal member(const std::string& username, std::int64_t department_id,
                         const std::vector<std::string>& roles) {
    return principal(user(username, department_id, roles));
  }

 private:
  db::Database& database_;
  auth::AuthService auth_;
};

// A MigratedTest whose database is also bootstrapped (roles and admin).
class BootstrappedTest : public MigratedTest {
 protected:
  void SetUp() override {
    MigratedTest::SetUp();
    if (!ready()) return;
    org_ = std::make_unique<Org>(database());
    org_->bootstrap();
  }
  void TearDown() override {
    org_.reset();
    MigratedTest::TearDown();
  }
  Org& org() { return *org_; }

  std::unique_ptr<Org> org_;
};

}  // namespace kam::testdb
