// Authentication: login with throttling, session tokens, logout, turning a
// token into a Principal (user + permissions + data scope), and the first
// admin on an empty database. Thread-safe; every call borrows a connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::auth {

struct LoginResult {
  std::string token;       // bearer token, also the session cookie value
  std::string csrf_token;  // echoed in X-CSRF-Token by cookie clients
  nlohmann::json user;
  std::int64_t max_age_seconds;
};

struct AuthSettings {
  int max_failures = 5;                  // failed logins per username ...
  int failure_window_seconds = 15 * 60;  // ... within this window before 429
  int session_seconds = 7 * 24 * 3600;
  // How long a token's principal is reused without reading the database
  // (0: never). Logout and every change made through the directory
  // (users, roles, departments) in this process drop the cache at once; on
  // another server of a scale-out they show within this time.
  int principal_cache_ms = 2000;
};

// Moves when users, roles, user roles or departments change in this process
// (auth/directory.cpp, after its commit) and on logout; AuthService drops
// cached principals older than the current generation.
void note_directory_change();
std::uint64_t directory_generation();

class AuthService {
 public:
  AuthService(db::Database& database, AuthSettings settings = {});

  Expected<LoginResult> login(const std::string& username, const std::string& password);
  void logout(const std::string& token);
  // unauthenticated when the token is unknown, expired or the user inactive.
  Expected<Principal> authenticate(const std::string& token);
  // The CSRF token of a session, for the cookie check.
  std::optional<std::string> csrf_of(const std::string& token);

  // Builds the principal of a user id (used by authenticate and tests).
  Expected<Principal> principal_of(db::Connection& connection, std::int64_t user_id);

  // Creates the seeded roles and, on an empty users table, the admin user.
  // Returns the generated password when one was generated (to print once).
  std::optional<std::string> bootstrap(const std::optional<std::string>& admin_password);

 private:
  struct Cached {
    Principal principal;
    Instant session_expires;
    std::chrono::steady_clock::time_point fresh_until;
    std::uint64_t generation = 0;
  };
  std::optional<Principal> cached(const std::string& token_hash);

  db::Database& database_;
  AuthSettings settings_;
  std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, Cached> cache_;  // by token hash
};

// The user as the API shows it (no password hash).
nlohmann::json user_json(db::Connection& connection, std::int64_t user_id);

}  // namespace kam::auth
