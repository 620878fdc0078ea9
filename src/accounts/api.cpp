#include "accounts/api.hpp"

#include "accounts/accounts.hpp"

namespace kam::accounts {

using auth::Principal;
using http::PathParams;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

Response reply_account(const Expected<Account>& result, int status = 200) {
  if (!result) return http::problem(result.error());
  return http::json_response(status, to_json(*result));
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
  auto page = list_accounts(*c, p, query);
  if (!page) return http::problem(page.error());
  json items = json::array();
  for (const auto& a : page->items) items.push_back(to_json(a));
  return http::json_response(200, {{"items", items}, {"total", page->total}});
}

}  // namespace

void register_routes(http::Router& router, auth::ApiContext& ctx) {
  router.add("GET", "/api/v1/accounts",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               return list(ctx, r, p);
             }));
  router.add("POST", "/api/v1/accounts",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               if (!p.can("accounts.write")) return http::problem(Error::forbidden());
               auto body = http::parse_json_object(r);
               if (!body) return http::problem(body.error());
               auto input = read_input(*body, true);
               if (!input) return http::problem(input.error());
               auto c = ctx.database.acquire();
               return reply_account(create_account(*c, p, *input), 201);
             }));
  router.add("GET", "/api/v1/accounts/{id}",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto c = ctx.database.acquire();
               return reply_account(get_account(*c, p, *id));
             }));
  router.add("PATCH", "/api/v1/accounts/{id}",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto body = http::parse_json_object(r);
               if (!body) return http::problem(body.error());
               FieldReader fields(*body);
               const auto version = fields.integer("version", true, 1);
               if (!fields.ok()) return http::problem(fields.error());
               auto input = read_input(*body, false);
               if (!input) return http::problem(input.error());
               auto c = ctx.database.acquire();
               return reply_account(update_account(*c, p, *id, *version, *input));
             }));
  router.add("DELETE", "/api/v1/accounts/{id}",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto c = ctx.database.acquire();
               return auth::reply(delete_account(*c, p, *id));
             }));
  ctx.audit.register_entity("account", [](db::Connection& c, const Principal& p, std::int64_t id) {
    return p.can("accounts.read") && account_visible(c, p, id, /*include_deleted=*/true);
  });
}

}  // namespace kam::accounts
