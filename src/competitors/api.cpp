#include "competitors/api.hpp"

#include "accounts/records_api.hpp"
#include "competitors/competitors.hpp"

namespace kam::competitors {

void register_routes(http::Router& router, auth::ApiContext& ctx) {
  accounts::add_collection_routes(
      router, ctx, competitor_table(),
      {.path = "/api/v1/competitors", .search_columns = {"t.name", "t.main_products"}, .order = "t.name, t.id"});
  accounts::add_item_routes(router, ctx, competitor_table(), "/api/v1/competitors/{id}");
  accounts::add_collection_routes(router, ctx, account_competitor_table(),
                                  {.path = "/api/v1/accounts/{id}/competitors",
                                   .account_in_path = true,
                                   .filters = {"competitor_id", "price_level"}});
  accounts::add_item_routes(router, ctx, account_competitor_table(), "/api/v1/account-competitors/{id}");
  accounts::register_audit_entity(ctx, competitor_table());
  accounts::register_audit_entity(ctx, account_competitor_table());
}

}  // namespace kam::competitors
