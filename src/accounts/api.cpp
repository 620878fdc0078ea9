#include "accounts/api.hpp"

#include "accounts/accounts.hpp"
#include "accounts/divisions.hpp"
#include "accounts/views.hpp"

namespace kam::accounts {

using auth::Principal;
using http::PathParams;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

Response reply_account(const Expected<Account>& result, int status = 200) {
  if (!result) return http::problem(result.error());
  Response response;
  response.status = status;
  append_detail_json(*result, response.body);  // without the tree: see list()
  return response;
}

Response reply_view(const Expected<SavedView>& result, int status = 200) {
  if (!result) return http::problem(result.error());
  return http::json_response(status, to_json(*result));
}

void register_view_routes(http::Router& router, auth::ApiContext& ctx) {
  router.add("GET", "/api/v1/saved-views",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               auto paging = auth::parse_paging(r, 50, 200);
               if (!paging) return http::problem(paging.error());
               std::string entity;
               for (const auto& [key, value] : r.query) {
                 if (key == "entity") {
                   entity = value;
                 } else if (key != "limit" && key != "offset") {
                   return http::problem(Error(Error::Code::bad_request, "invalid query parameters",
                                              {{key, "is not a parameter of saved views"}}));
                 }
               }
               auto c = ctx.database.acquire();
               auto page = list_views(*c, p, entity, paging->limit, paging->offset);
               if (!page) return http::problem(page.error());
               json items = json::array();
               for (const auto& v : page->items) items.push_back(to_json(v));
               return http::json_response(200, {{"items", items}, {"total", page->total}});
             }));
  router.add("POST", "/api/v1/saved-views", auth::guarded_body(ctx, [&ctx](const json& body, const Principal& p) {
               auto input = read_view_input(body, true);
               if (!input) return http::problem(input.error());
               auto c = ctx.database.acquire();
               return reply_view(create_view(*c, p, *input), 201);
             }));
  router.add("GET", "/api/v1/saved-views/{id}",
             auth::guarded_id(ctx, [&ctx](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return reply_view(get_view(*c, p, id));
             }));
  router.add(
      "PATCH", "/api/v1/saved-views/{id}",
      auth::guarded_patch(ctx, [&ctx](std::int64_t id, std::int64_t version, const json& body, const Principal& p) {
        auto input = read_view_input(body, false);
        if (!input) return http::problem(input.error());
        auto c = ctx.database.acquire();
        return reply_view(update_view(*c, p, id, version, *input));
      }));
  router.add("DELETE", "/api/v1/saved-views/{id}",
             auth::guarded_id(ctx, [&ctx](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(delete_view(*c, p, id));
             }));
}

Response list(auth::ApiContext& ctx, const Request& r, const Principal& p) {
  auto paging = auth::parse_paging(r, 20, 200);
  if (!paging) return http::problem(paging.error());
  ListQuery query;
  query.limit = paging->limit;
  query.offset = paging->offset;
  for (const auto& [key, value] : r.query) {
    if (key == "q") {
      query.q = value;
    } else if (key == "sort") {
      query.sort = value;
    } else if (key != "limit" && key != "offset") {
      query.filters[key] = value;
    }
  }
  auto c = ctx.database.acquire();
  // Written straight from the rows: building an nlohmann object (or even an
  // Account) per row cost more CPU than the query (docs/performance.md).
  auto body = list_accounts_json(*c, p, query);
  if (!body) return http::problem(body.error());
  Response response;
  response.body = std::move(*body);
  return response;
}

}  // namespace

void register_routes(http::Router& router, auth::ApiContext& ctx) {
  router.add(
      "GET", "/api/v1/accounts",
      auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) { return list(ctx, r, p); }));
  router.add("POST", "/api/v1/accounts", auth::guarded_body(ctx, [&ctx](const json& body, const Principal& p) {
               if (!p.can("accounts.write")) return http::problem(Error::forbidden());
               auto input = read_input(body, true);
               if (!input) return http::problem(input.error());
               auto c = ctx.database.acquire();
               return reply_account(create_account(*c, p, *input), 201);
             }));
  router.add("GET", "/api/v1/accounts/{id}",
             auth::guarded_id(ctx, [&ctx](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return reply_account(get_account(*c, p, id));
             }));
  router.add(
      "PATCH", "/api/v1/accounts/{id}",
      auth::guarded_patch(ctx, [&ctx](std::int64_t id, std::int64_t version, const json& body, const Principal& p) {
        auto input = read_input(body, false);
        if (!input) return http::problem(input.error());
        auto c = ctx.database.acquire();
        return reply_account(update_account(*c, p, id, version, *input));
      }));
  router.add("DELETE", "/api/v1/accounts/{id}",
             auth::guarded_id(ctx, [&ctx](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(delete_account(*c, p, id));
             }));
  router.add("GET", "/api/v1/divisions", auth::guarded(ctx, [](const Request&, const PathParams&, const Principal&) {
               return http::json_response(200, divisions_json());
             }));
  register_view_routes(router, ctx);
  ctx.audit.register_entity("account", [](db::Connection& c, const Principal& p, std::int64_t id) {
    return p.can("accounts.read") && account_visible(c, p, id, /*include_deleted=*/true);
  });
}

}  // namespace kam::accounts
