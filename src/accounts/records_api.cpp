#include "accounts/records_api.hpp"

#include <algorithm>

#include "platform/core/fields.hpp"

namespace kam::accounts {

using auth::Principal;
using http::PathParams;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

const Field* field_of(const RecordTable& table, const std::string& name) {
  for (const auto& field : table.fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

// A filter value as its field reads it, or the problem with it.
std::optional<db::Value> filter_value(const Field& field, const std::string& text, std::vector<FieldError>& errors) {
  switch (field.kind) {
    case Field::Kind::id:
    case Field::Kind::integer:
      if (auto id = http::parse_id(text)) return db::Value(*id);
      errors.push_back({field.name, "must be a positive integer"});
      return std::nullopt;
    case Field::Kind::choice:
      if (std::find(field.choices.begin(), field.choices.end(), text) != field.choices.end()) return db::Value(text);
      errors.push_back({field.name, "is not one of the allowed values"});
      return std::nullopt;
    default:
      return db::Value(text);
  }
}

// Reads the body of a PATCH: its version and the fields it changes.
struct Patch {
  std::int64_t version = 0;
  Values values;
};
Expected<Patch> read_patch(const Request& r, const RecordTable& table) {
  auto body = http::parse_json_object(r);
  if (!body) return body.error();
  FieldReader fields(*body);
  const auto version = fields.integer("version", true, 1);
  auto values = read_fields(*body, table.fields, false);
  if (!fields.ok() || !values) {
    auto errors = fields.ok() ? std::vector<FieldError>{} : fields.error().fields();
    if (!values) errors.insert(errors.end(), values.error().fields().begin(), values.error().fields().end());
    return Error::invalid(errors);
  }
  return Patch{*version, std::move(*values)};
}

}  // namespace

Expected<RecordQuery> read_record_query(const Request& r, const RecordTable& table, const CollectionRoutes& routes) {
  auto paging = auth::parse_paging(r, 20, 200);
  if (!paging) return paging.error();
  RecordQuery query;
  query.limit = paging->limit;
  query.offset = paging->offset;
  query.order = routes.order;
  query.search_columns = routes.search_columns;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : r.query) {
    if (key == "limit" || key == "offset") continue;
    if (key == "q" && !routes.search_columns.empty()) {
      query.q = value;
      continue;
    }
    const Field* field = field_of(table, key);
    if (field == nullptr || std::find(routes.filters.begin(), routes.filters.end(), key) == routes.filters.end()) {
      errors.push_back({key, "is not a filter of this list"});
      continue;
    }
    if (auto v = filter_value(*field, value, errors)) query.equals.emplace_back(key, *v);
  }
  if (!errors.empty()) return Error(Error::Code::bad_request, "invalid query parameters", errors);
  return query;
}

void add_collection_routes(http::Router& router, auth::ApiContext& ctx, const RecordTable& table,
                           const CollectionRoutes& routes) {
  router.add("GET", routes.path,
             auth::guarded(ctx, [&ctx, &table, routes](const Request& r, const PathParams& params, const Principal& p) {
               auto query = read_record_query(r, table, routes);
               if (!query) return http::problem(query.error());
               auto c = ctx.database.acquire();
               if (routes.account_in_path) {
                 auto account = auth::path_id(params);
                 if (!account) return http::problem(account.error());
                 if (auto s = require_visible_account(*c, p, *account); !s) return http::problem(s.error());
                 query->equals.emplace_back("account_id", *account);
               }
               return auth::reply(list_records(*c, p, table, *query));
             }));
  router.add("POST", routes.path,
             auth::guarded(ctx, [&ctx, &table, routes](const Request& r, const PathParams& params, const Principal& p) {
               if (!p.can("accounts.write")) return http::problem(Error::forbidden());
               auto body = http::parse_json_object(r);
               if (!body) return http::problem(body.error());
               auto c = ctx.database.acquire();
               if (routes.account_in_path) {
                 auto account = auth::path_id(params);
                 if (!account) return http::problem(account.error());
                 if (auto s = require_visible_account(*c, p, *account); !s) return http::problem(s.error());
                 (*body)["account_id"] = *account;  // the path decides, whatever the body says
               }
               auto values = read_fields(*body, table.fields, true);
               if (!values) return http::problem(values.error());
               return auth::reply(create_record(*c, p, table, *values), 201);
             }));
}

void add_item_routes(http::Router& router, auth::ApiContext& ctx, const RecordTable& table,
                     const std::string& item_path) {
  router.add("GET", item_path,
             auth::guarded(ctx, [&ctx, &table](const Request&, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto c = ctx.database.acquire();
               return auth::reply(get_record(*c, p, table, *id));
             }));
  router.add("PATCH", item_path,
             auth::guarded(ctx, [&ctx, &table](const Request& r, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto patch = read_patch(r, table);
               if (!patch) return http::problem(patch.error());
               auto c = ctx.database.acquire();
               return auth::reply(update_record(*c, p, table, *id, patch->version, patch->values));
             }));
  router.add("DELETE", item_path,
             auth::guarded(ctx, [&ctx, &table](const Request&, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto c = ctx.database.acquire();
               return auth::reply(delete_record(*c, p, table, *id));
             }));
}

void register_audit_entity(auth::ApiContext& ctx, const RecordTable& table) {
  ctx.audit.register_entity(table.entity, [&table](db::Connection& c, const Principal& p, std::int64_t id) {
    return record_visible(c, p, table, id);
  });
}

}  // namespace kam::accounts
