#include "auth/api.hpp"

#include "auth/directory.hpp"

namespace kam::auth {

using http::PathParams;
using http::Request;
using http::Response;

namespace {

std::string cookie(const Request& request, const std::string& name, const std::string& value, std::int64_t max_age,
                   bool http_only) {
  std::string text = name + "=" + value + "; Path=/; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (http_only) text += "; HttpOnly";
  if (request.header("X-Forwarded-Proto").value_or("") == "https") text += "; Secure";
  return text;
}

Response login(ApiContext& ctx, const Request& request) {
  auto body = http::parse_json_object(request);
  if (!body) return http::problem(body.error());
  const auto& b = *body;
  std::vector<FieldError> errors;
  if (!b.contains("username") || !b["username"].is_string()) errors.push_back({"username", "is required"});
  if (!b.contains("password") || !b["password"].is_string()) errors.push_back({"password", "is required"});
  if (!errors.empty()) return http::problem(Error::invalid(errors));
  auto result = ctx.auth.login(b["username"].get<std::string>(), b["password"].get<std::string>());
  if (!result) {
    auto response = http::problem(result.error());
    if (response.status == 429) response.headers.emplace_back("Retry-After", "900");
    return response;
  }
  Response response = http::json_response(
      200, {{"token", result->token}, {"csrf_token", result->csrf_token}, {"user", result->user}});
  response.headers.emplace_back("Set-Cookie",
                                cookie(request, kSessionCookie, result->token, result->max_age_seconds, true));
  response.headers.emplace_back("Set-Cookie",
                                cookie(request, kCsrfCookie, result->csrf_token, result->max_age_seconds, false));
  return response;
}

Response logout(ApiContext& ctx, const Request& request) {
  auto principal = authenticate_request(ctx.auth, request);
  if (!principal) return http::problem(principal.error());
  std::string token;
  if (auto header = request.header("Authorization"); header && header->rfind("Bearer ", 0) == 0) {
    token = header->substr(7);
  } else {
    token = request.cookie(kSessionCookie).value_or("");
  }
  ctx.auth.logout(token);
  Response response = http::no_content();
  response.headers.emplace_back("Set-Cookie", cookie(request, kSessionCookie, "", 0, true));
  response.headers.emplace_back("Set-Cookie", cookie(request, kCsrfCookie, "", 0, false));
  return response;
}

nlohmann::json me(ApiContext& ctx, const Principal& p) {
  auto connection = ctx.database.acquire();
  auto user = user_json(*connection, p.user_id);
  user["permissions"] = nlohmann::json(std::vector<std::string>(p.permissions.begin(), p.permissions.end()));
  user["data_scope"] = to_string(p.scope);
  return user;
}

// Reads the body, then calls fn(connection, json).
template <typename Fn>
Response with_body(ApiContext& ctx, const Request& request, int status, Fn fn) {
  auto body = http::parse_json_object(request);
  if (!body) return http::problem(body.error());
  auto connection = ctx.database.acquire();
  return reply(fn(*connection, *body), status);
}

template <typename Fn>
Response with_id(ApiContext& ctx, const PathParams& params, Fn fn) {
  auto id = path_id(params);
  if (!id) return http::problem(id.error());
  auto connection = ctx.database.acquire();
  return fn(*connection, *id);
}

}  // namespace

void register_routes(http::Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/auth/login", [&ctx](const Request& r, const PathParams&) { return login(ctx, r); });
  router.add("POST", "/api/v1/auth/logout", [&ctx](const Request& r, const PathParams&) { return logout(ctx, r); });
  router.add("GET", "/api/v1/auth/me", guarded(ctx, [&ctx](const Request&, const PathParams&, const Principal& p) {
               return http::json_response(200, me(ctx, p));
             }));

  // Departments
  router.add("GET", "/api/v1/departments", guarded(ctx, [&ctx](const Request&, const PathParams&, const Principal& p) {
               auto c = ctx.database.acquire();
               return reply(list_departments(*c, p));
             }));
  router.add("GET", "/api/v1/departments/{id}",
             guarded(ctx, [&ctx](const Request&, const PathParams& params, const Principal& p) {
               return with_id(ctx, params, [&](db::Connection& c, std::int64_t id) {
                 return reply(get_department(c, p, id));
               });
             }));
  router.add("POST", "/api/v1/departments",
             guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               if (!p.can("users.admin")) return http::problem(Error::forbidden());
               return with_body(ctx, r, 201, [&](db::Connection& c, const json& b) { return create_department(c, p, b); });
             }));
  router.add("PATCH", "/api/v1/departments/{id}",
             guarded(ctx, [&ctx](const Request& r, const PathParams& params, const Principal& p) {
               if (!p.can("users.admin")) return http::problem(Error::forbidden());
               auto id = path_id(params);
               if (!id) return http::problem(id.error());
               return with_body(ctx, r, 200,
                                [&](db::Connection& c, const json& b) { return update_department(c, p, *id, b); });
             }));
  router.add("DELETE", "/api/v1/departments/{id}",
             guarded(ctx, [&ctx](const Request&, const PathParams& params, const Principal& p) {
               return with_id(ctx, params, [&](db::Connection& c, std::int64_t id) {
                 return reply(delete_department(c, p, id));
               });
             }));

  // Users
  router.add("GET", "/api/v1/users", guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               auto paging = parse_paging(r, 50, 500);
               if (!paging) return http::problem(paging.error());
               auto c = ctx.database.acquire();
               return reply(list_users(*c, p, {r.query_value("q").value_or(""), paging->limit, paging->offset}));
             }));
  router.add("GET", "/api/v1/users/{id}",
             guarded(ctx, [&ctx](const Request&, const PathParams& params, const Principal& p) {
               return with_id(ctx, params,
                              [&](db::Connection& c, std::int64_t id) { return reply(get_user(c, p, id)); });
             }));
  router.add("POST", "/api/v1/users", guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               if (!p.can("users.admin")) return http::problem(Error::forbidden());
               return with_body(ctx, r, 201, [&](db::Connection& c, const json& b) { return create_user(c, p, b); });
             }));
  router.add("PATCH", "/api/v1/users/{id}",
             guarded(ctx, [&ctx](const Request& r, const PathParams& params, const Principal& p) {
               if (!p.can("users.admin")) return http::problem(Error::forbidden());
               auto id = path_id(params);
               if (!id) return http::problem(id.error());
               return with_body(ctx, r, 200, [&](db::Connection& c, const json& b) { return update_user(c, p, *id, b); });
             }));

  // Roles
  router.add("GET", "/api/v1/roles", guarded(ctx, [&ctx](const Request&, const PathParams&, const Principal& p) {
               auto c = ctx.database.acquire();
               return reply(list_roles(*c, p));
             }));
  router.add("POST", "/api/v1/roles", guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               if (!p.can("users.admin")) return http::problem(Error::forbidden());
               return with_body(ctx, r, 201, [&](db::Connection& c, const json& b) { return create_role(c, p, b); });
             }));
  router.add("PATCH", "/api/v1/roles/{id}",
             guarded(ctx, [&ctx](const Request& r, const PathParams& params, const Principal& p) {
               if (!p.can("users.admin")) return http::problem(Error::forbidden());
               auto id = path_id(params);
               if (!id) return http::problem(id.error());
               return with_body(ctx, r, 200, [&](db::Connection& c, const json& b) { return update_role(c, p, *id, b); });
             }));

  // Audit
  router.add("GET", "/api/v1/audit", guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               if (!p.can("audit.read")) return http::problem(Error::forbidden());
               const auto entity = r.query_value("entity");
               const auto entity_id = http::parse_id(r.query_value("entity_id").value_or(""));
               std::vector<FieldError> errors;
               if (!entity || entity->empty()) errors.push_back({"entity", "is required"});
               if (!entity_id) errors.push_back({"entity_id", "must be a positive integer"});
               if (!errors.empty()) return http::problem(Error(Error::Code::bad_request, "invalid query", errors));
               auto paging = parse_paging(r, 50, 500);
               if (!paging) return http::problem(paging.error());
               auto c = ctx.database.acquire();
               return reply(ctx.audit.list(*c, p, *entity, *entity_id, paging->limit, paging->offset));
             }));

  auto admin_only = [](db::Connection&, const Principal& p, std::int64_t) {
    return p.can("users.admin") || p.can("users.read");
  };
  ctx.audit.register_entity("user", admin_only);
  ctx.audit.register_entity("department", admin_only);
  ctx.audit.register_entity("role", admin_only);
}

}  // namespace kam::auth
