#include "contacts/api.hpp"

#include "accounts/records_api.hpp"
#include "contacts/contacts.hpp"

namespace kam::contacts {

using auth::Principal;
using http::PathParams;
using http::Request;

void register_routes(http::Router& router, auth::ApiContext& ctx) {
  const auto& table = contact_table();
  accounts::add_collection_routes(router, ctx, table,
                                  {.path = "/api/v1/contacts",
                                   .filters = {"account_id", "buying_role", "status", "attitude"},
                                   .search_columns = {"t.name", "t.phone", "t.title"}});
  accounts::add_item_routes(router, ctx, table, "/api/v1/contacts/{id}");
  router.add("GET", "/api/v1/accounts/{id}/buying-center",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto c = ctx.database.acquire();
               return auth::reply(buying_center(*c, p, *id));
             }));
  accounts::register_audit_entity(ctx, table);
}

}  // namespace kam::contacts
