// The HTTP side of authentication, used by every module's routes:
// `guarded(ctx, handler)` authenticates the request (Bearer token or the
// session cookie), enforces CSRF for cookie-authenticated unsafe methods and
// hands the handler a Principal. Permission and data-scope checks stay in
// the module functions, next to the data they protect.
#pragma once

#include <functional>

#include "auth/audit.hpp"
#include "auth/principal.hpp"
#include "auth/service.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace kam::auth {

inline constexpr const char* kSessionCookie = "kam_session";
inline constexpr const char* kCsrfCookie = "kam_csrf";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

// What route handlers need: storage, authentication and the audit log.
struct ApiContext {
  db::Database& database;
  AuthService& auth;
  AuditLog& audit;
};

using GuardedHandler = std::function<http::Response(const http::Request&, const http::PathParams&, const Principal&)>;

http::Handler guarded(ApiContext& context, GuardedHandler handler);

// The shapes most routes have, so a module's routes say only what differs.
// Each parses what it names and answers the problem itself when that fails:
// `{id}` that is not a positive integer is a 404, a body that is not a JSON
// object a 400/415, a PATCH body without a positive integer `version` a 422.
using IdHandler = std::function<http::Response(const http::Request&, std::int64_t id, const Principal&)>;
using BodyHandler = std::function<http::Response(const nlohmann::json& body, const Principal&)>;
using IdBodyHandler = std::function<http::Response(std::int64_t id, const nlohmann::json& body, const Principal&)>;
using PatchHandler =
    std::function<http::Response(std::int64_t id, std::int64_t version, const nlohmann::json& body, const Principal&)>;
http::Handler guarded_id(ApiContext& context, IdHandler handler);
http::Handler guarded_body(ApiContext& context, BodyHandler handler);
http::Handler guarded_id_body(ApiContext& context, IdBodyHandler handler);
// Like guarded_id_body, and the body's optional JSON object (an empty body is {}).
http::Handler guarded_id_optional_body(ApiContext& context, IdBodyHandler handler);
http::Handler guarded_patch(ApiContext& context, PatchHandler handler);

// A resource's usual routes over its module functions: POST `collection`
// (create, 201), GET, PATCH (with `version`) and DELETE (204) on
// `collection/{id}`. Each handler takes a connection and answers with reply().
struct ResourceFunctions {
  std::function<Expected<nlohmann::json>(db::Connection&, const Principal&, const nlohmann::json& body)> create;
  std::function<Expected<nlohmann::json>(db::Connection&, const Principal&, std::int64_t id)> get;
  std::function<Expected<nlohmann::json>(db::Connection&, const Principal&, std::int64_t id, std::int64_t version,
                                         const nlohmann::json& body)>
      update;
  std::function<Status(db::Connection&, const Principal&, std::int64_t id)> remove;
};
void add_resource_routes(http::Router& router, ApiContext& context, const std::string& collection,
                         ResourceFunctions functions);

// Authenticates a request (used by guarded and by /auth/me).
Expected<Principal> authenticate_request(AuthService& auth, const http::Request& request);

// Common parsing of list parameters: limit (1..max, default), offset >= 0.
struct Paging {
  int limit = 20;
  int offset = 0;
};
Expected<Paging> parse_paging(const http::Request& request, int default_limit = 20, int max_limit = 200);

// Parses the {id} path parameter; not_found when it is not a positive integer.
Expected<std::int64_t> path_id(const http::PathParams& params, const char* name = "id");

// Turns an Expected<json> into 200 (or `status`) JSON or a problem response.
http::Response reply(const Expected<nlohmann::json>& result, int status = 200);
http::Response reply(const Status& result);  // 204 or problem

}  // namespace kam::auth
