#include "secondary/api.hpp"

#include "accounts/records_api.hpp"
#include "secondary/secondary.hpp"

namespace kam::secondary {

using auth::Principal;
using http::PathParams;
using http::Request;

void register_routes(http::Router& router, auth::ApiContext& ctx) {
  const auto& table = secondary_customer_table();
  accounts::add_collection_routes(router, ctx, table,
                                  {.path = "/api/v1/accounts/{id}/secondary-customers",
                                   .account_in_path = true,
                                   .filters = {"kind", "province", "city"},
                                   .search_columns = {"t.name", "t.contact_name"}});
  accounts::add_item_routes(router, ctx, table, "/api/v1/secondary-customers/{id}");
  router.add("GET", "/api/v1/secondary-customers/{id}/growth",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto paging = auth::parse_paging(r, 20, 200);
               if (!paging) return http::problem(paging.error());
               auto c = ctx.database.acquire();
               return auth::reply(list_growth(*c, p, *id, paging->limit, paging->offset));
             }));
  router.add("POST", "/api/v1/secondary-customers/{id}/growth",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               if (!p.can("accounts.write")) return http::problem(Error::forbidden());
               auto body = http::parse_json_object(r);
               if (!body) return http::problem(body.error());
               auto growth = read_growth(*body);
               if (!growth) return http::problem(growth.error());
               auto c = ctx.database.acquire();
               return auth::reply(add_growth(*c, p, *id, *growth), 201);
             }));
  accounts::register_audit_entity(ctx, table);
  ctx.audit.register_entity("secondary_customer_growth", [](db::Connection& c, const Principal& p, std::int64_t id) {
    return growth_visible(c, p, id);
  });
}

}  // namespace kam::secondary
