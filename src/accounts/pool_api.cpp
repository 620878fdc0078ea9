// HTTP routes of the customer pool and ownership changes. Thin adapters over
// pool.hpp. Registered before the accounts routes so that /accounts/pool is
// not taken for /accounts/{id}.
#include "accounts/pool.hpp"

namespace kam::accounts::pool {

using auth::Principal;
using http::PathParams;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

Response reply_account(const Expected<Account>& result) {
  if (!result) return http::problem(result.error());
  return http::json_response(200, accounts::to_json(*result));
}

Response reply_settings(const Expected<PoolSettings>& result) {
  if (!result) return http::problem(result.error());
  return http::json_response(200, to_json(*result));
}

Response list(auth::ApiContext& ctx, const Request& r, const Principal& p) {
  auto paging = auth::parse_paging(r, 20, 200);
  if (!paging) return http::problem(paging.error());
  PoolQuery query;
  query.limit = paging->limit;
  query.offset = paging->offset;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : r.query) {
    if (key == "q") {
      query.q = value;
    } else if (key == "province") {
      query.province = value;
    } else if (key == "city") {
      query.city = value;
    } else if (key == "industry") {
      query.industry = value;
    } else if (key == "tier") {
      query.tier = value;
    } else if (key != "limit" && key != "offset") {
      errors.push_back({key, "is not a filter of the pool (q, province, city, industry, tier)"});
    }
  }
  if (!errors.empty()) return http::problem(Error(Error::Code::bad_request, "invalid query parameters", errors));
  auto c = ctx.database.acquire();
  auto page = list_pool(*c, p, query);
  if (!page) return http::problem(page.error());
  json items = json::array();
  for (const auto& a : page->items) items.push_back(accounts::to_json(a));
  return http::json_response(200, {{"items", items}, {"total", page->total}});
}

}  // namespace

void register_pool_routes(http::Router& router, auth::ApiContext& ctx) {
  router.add(
      "GET", "/api/v1/accounts/pool",
      auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) { return list(ctx, r, p); }));
  router.add("POST", "/api/v1/accounts/bulk-transfer",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               if (!p.can("accounts.transfer")) return http::problem(Error::forbidden());
               auto body = http::parse_json_object(r);
               if (!body) return http::problem(body.error());
               FieldReader fields(*body);
               const auto ids = fields.integer_list("account_ids");
               const auto owner = fields.integer("owner_id", true, 1);
               if (!ids && fields.ok()) fields.fail("account_ids", "is required");
               if (!fields.ok()) return http::problem(fields.error());
               auto c = ctx.database.acquire();
               auto moved = bulk_transfer(*c, p, *ids, *owner);
               if (!moved) return http::problem(moved.error());
               return http::json_response(200, {{"transferred", *moved}});
             }));
  router.add("POST", "/api/v1/accounts/{id}/claim",
             auth::guarded_id_optional_body(ctx, [&ctx](std::int64_t id, const json&, const Principal& p) {
               auto c = ctx.database.acquire();
               return reply_account(claim(*c, p, id));
             }));
  router.add("POST", "/api/v1/accounts/{id}/release",
             auth::guarded_id_optional_body(ctx, [&ctx](std::int64_t id, const json&, const Principal& p) {
               auto c = ctx.database.acquire();
               return reply_account(release(*c, p, id));
             }));
  router.add("POST", "/api/v1/accounts/{id}/transfer",
             auth::guarded_id_body(ctx, [&ctx](std::int64_t id, const json& body, const Principal& p) {
               FieldReader fields(body);
               const auto owner = fields.integer("owner_id", true, 1);
               if (!fields.ok()) return http::problem(fields.error());
               auto c = ctx.database.acquire();
               return reply_account(transfer(*c, p, id, *owner));
             }));
  router.add("GET", "/api/v1/accounts/{id}/ownership-log",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto paging = auth::parse_paging(r, 50, 200);
               if (!paging) return http::problem(paging.error());
               auto c = ctx.database.acquire();
               return auth::reply(ownership_log(*c, p, *id, paging->limit, paging->offset));
             }));
  router.add("GET", "/api/v1/settings/pool",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams&, const Principal& p) {
               auto c = ctx.database.acquire();
               return reply_settings(get_settings(*c, p));
             }));
  router.add("PATCH", "/api/v1/settings/pool",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               if (!p.can("users.admin")) return http::problem(Error::forbidden());
               auto body = http::parse_json_object(r);
               if (!body) return http::problem(body.error());
               auto c = ctx.database.acquire();
               return reply_settings(update_settings(*c, p, *body));
             }));
  router.add("POST", "/api/v1/jobs/pool-recovery/run",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams&, const Principal& p) {
               if (!p.can("users.admin")) return http::problem(Error::forbidden());
               auto c = ctx.database.acquire();
               auto recovered = run_recovery(*c, p);
               if (!recovered) return http::problem(recovered.error());
               return http::json_response(200, {{"recovered", *recovered}});
             }));
}

}  // namespace kam::accounts::pool
