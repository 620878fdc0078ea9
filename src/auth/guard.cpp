#include "auth/guard.hpp"

#include <charconv>

#include "platform/core/fields.hpp"

namespace kam::auth {

Expected<Principal> authenticate_request(AuthService& auth, const http::Request& request) {
  std::string token;
  bool via_cookie = false;
  if (auto header = request.header("Authorization"); header && header->rfind("Bearer ", 0) == 0) {
    token = header->substr(7);
  } else if (auto cookie = request.cookie(kSessionCookie)) {
    token = *cookie;
    via_cookie = true;
  }
  if (token.empty()) return Error(Error::Code::unauthenticated, "log in first");
  auto principal = auth.authenticate(token);
  if (!principal) return principal.error();
  principal->via_cookie = via_cookie;
  const bool unsafe = request.method != "GET" && request.method != "HEAD" && request.method != "OPTIONS";
  if (via_cookie && unsafe) {
    const auto sent = request.header(kCsrfHeader);
    const auto expected = auth.csrf_of(token);
    if (!sent || !expected || *sent != *expected) {
      return Error::forbidden("missing or wrong " + std::string(kCsrfHeader) + " header (CSRF protection)");
    }
  }
  return principal;
}

http::Handler guarded(ApiContext& context, GuardedHandler handler) {
  return [&context, handler = std::move(handler)](const http::Request& request, const http::PathParams& params) {
    auto principal = authenticate_request(context.auth, request);
    if (!principal) return http::problem(principal.error());
    return handler(request, params, *principal);
  };
}

namespace {
std::optional<int> parse_int(const std::string& text) {
  int value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}
}  // namespace

Expected<Paging> parse_paging(const http::Request& request, int default_limit, int max_limit) {
  Paging paging{default_limit, 0};
  std::vector<FieldError> errors;
  if (auto limit = request.query_value("limit")) {
    auto n = parse_int(*limit);
    if (!n || *n < 1 || *n > max_limit) {
      errors.push_back({"limit", "must be an integer from 1 to " + std::to_string(max_limit)});
    } else {
      paging.limit = *n;
    }
  }
  if (auto offset = request.query_value("offset")) {
    auto n = parse_int(*offset);
    if (!n || *n < 0) {
      errors.push_back({"offset", "must be an integer of at least 0"});
    } else {
      paging.offset = *n;
    }
  }
  if (!errors.empty()) return Error(Error::Code::bad_request, "invalid query parameters", errors);
  return paging;
}

Expected<std::int64_t> path_id(const http::PathParams& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end()) return Error::not_found("resource");
  auto id = http::parse_id(it->second);
  if (!id) return Error::not_found("resource");
  return *id;
}

http::Response reply(const Expected<nlohmann::json>& result, int status) {
  if (!result) return http::problem(result.error());
  return http::json_response(status, *result);
}

http::Response reply(const Status& result) {
  if (!result) return http::problem(result.error());
  return http::no_content();
}

http::Handler guarded_id(ApiContext& context, IdHandler handler) {
  return guarded(context, [handler = std::move(handler)](const http::Request& r, const http::PathParams& params,
                                                         const Principal& p) {
    auto id = path_id(params);
    if (!id) return http::problem(id.error());
    return handler(r, *id, p);
  });
}

http::Handler guarded_body(ApiContext& context, BodyHandler handler) {
  return guarded(context,
                 [handler = std::move(handler)](const http::Request& r, const http::PathParams&, const Principal& p) {
                   auto body = http::parse_json_object(r);
                   if (!body) return http::problem(body.error());
                   return handler(*body, p);
                 });
}

http::Handler guarded_id_body(ApiContext& context, IdBodyHandler handler) {
  return guarded_id(context,
                    [handler = std::move(handler)](const http::Request& r, std::int64_t id, const Principal& p) {
                      auto body = http::parse_json_object(r);
                      if (!body) return http::problem(body.error());
                      return handler(id, *body, p);
                    });
}

http::Handler guarded_id_optional_body(ApiContext& context, IdBodyHandler handler) {
  return guarded_id(context,
                    [handler = std::move(handler)](const http::Request& r, std::int64_t id, const Principal& p) {
                      if (r.body.empty()) return handler(id, nlohmann::json::object(), p);
                      auto body = http::parse_json_object(r);
                      if (!body) return http::problem(body.error());
                      return handler(id, *body, p);
                    });
}

http::Handler guarded_patch(ApiContext& context, PatchHandler handler) {
  return guarded_id_body(
      context, [handler = std::move(handler)](std::int64_t id, const nlohmann::json& body, const Principal& p) {
        FieldReader fields(body);
        const auto version = fields.integer("version", true, 1);
        if (!fields.ok()) return http::problem(fields.error());
        return handler(id, *version, body, p);
      });
}

void add_resource_routes(http::Router& router, ApiContext& context, const std::string& collection,
                         ResourceFunctions f) {
  auto& database = context.database;
  router.add("POST", collection,
             guarded_body(context, [&database, create = f.create](const nlohmann::json& body, const Principal& p) {
               auto c = database.acquire();
               return reply(create(*c, p, body), 201);
             }));
  const std::string item = collection + "/{id}";
  router.add("GET", item,
             guarded_id(context, [&database, get = f.get](const http::Request&, std::int64_t id, const Principal& p) {
               auto c = database.acquire();
               return reply(get(*c, p, id));
             }));
  router.add("PATCH", item,
             guarded_patch(context, [&database, update = f.update](std::int64_t id, std::int64_t version,
                                                                   const nlohmann::json& body, const Principal& p) {
               auto c = database.acquire();
               return reply(update(*c, p, id, version, body));
             }));
  router.add(
      "DELETE", item,
      guarded_id(context, [&database, remove = f.remove](const http::Request&, std::int64_t id, const Principal& p) {
        auto c = database.acquire();
        return reply(remove(*c, p, id));
      }));
}

}  // namespace kam::auth
