// HTTP routes for the record tables of records.hpp: the same list / create /
// get / update / delete adapters for contacts, secondary customers and
// competitors. Thin: parse, call records.hpp, serialise.
#pragma once

#include <string>
#include <vector>

#include "accounts/records.hpp"
#include "auth/guard.hpp"

namespace kam::accounts {

struct CollectionRoutes {
  std::string path;                       // "/api/v1/contacts" or "/api/v1/accounts/{id}/competitors"
  bool account_in_path = false;           // {id} is the account: lists keep to it (404 if invisible), creates use it
  std::vector<std::string> filters = {};  // query parameters that filter by a field of that name
  std::vector<std::string> search_columns = {};  // what `q` searches (empty: no q)
  std::string order = "t.id DESC";
};

// Paging, `q` and the named filters of a list request; any other query
// parameter, or a filter value that its field would reject, is 400.
Expected<RecordQuery> read_record_query(const http::Request& request, const RecordTable& table,
                                        const CollectionRoutes& routes);

// GET (list) and POST (create) on routes.path. `table` must outlive the router.
void add_collection_routes(http::Router& router, auth::ApiContext& context, const RecordTable& table,
                           const CollectionRoutes& routes);

// GET, PATCH (body carries `version`) and DELETE on `item_path` (".../{id}").
void add_item_routes(http::Router& router, auth::ApiContext& context, const RecordTable& table,
                     const std::string& item_path);

// The audit history of the table's records, visible as the record is.
void register_audit_entity(auth::ApiContext& context, const RecordTable& table);

}  // namespace kam::accounts
