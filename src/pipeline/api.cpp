// HTTP routes of the pipeline. Thin: parse, call pipeline.hpp, serialise.
#include "pipeline/api.hpp"

#include "pipeline/pipeline.hpp"

namespace kam::pipeline {

using auth::Principal;
using http::Request;
using nlohmann::json;

namespace {

// A child collection under /opportunities/{id}/<segment>.
void add_children(http::Router& router, auth::ApiContext& ctx, const std::string& segment, const std::string& kind) {
  router.add("GET", "/api/v1/opportunities/{id}/" + segment,
             auth::guarded_id(ctx, [&ctx, kind](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(list_children(*c, p, kind, id));
             }));
  router.add("POST", "/api/v1/opportunities/{id}/" + segment,
             auth::guarded_id_body(ctx, [&ctx, kind](std::int64_t id, const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(create_child(*c, p, kind, id, body), 201);
             }));
}

// PATCH and DELETE of an editable child at /<path>/{id}.
void add_child_items(http::Router& router, auth::ApiContext& ctx, const std::string& path, const std::string& kind) {
  router.add("PATCH", path,
             auth::guarded_patch(
                 ctx, [&ctx, kind](std::int64_t id, std::int64_t version, const json& body, const Principal& p) {
                   auto c = ctx.database.acquire();
                   return auth::reply(update_child(*c, p, kind, id, version, body));
                 }));
  router.add("DELETE", path, auth::guarded_id(ctx, [&ctx, kind](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(delete_child(*c, p, kind, id));
             }));
}

using Action = Expected<json> (*)(db::Connection&, const Principal&, std::int64_t, const json&);
void add_action(http::Router& router, auth::ApiContext& ctx, const std::string& path, Action action) {
  router.add("POST", path,
             auth::guarded_id_optional_body(ctx, [&ctx, action](std::int64_t id, const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(action(*c, p, id, body));
             }));
}

using Insight = Expected<json> (*)(db::Connection&, const Principal&, const std::map<std::string, std::string>&);
void add_insight(http::Router& router, auth::ApiContext& ctx, const std::string& path, Insight insight) {
  router.add("GET", path,
             auth::guarded(ctx, [&ctx, insight](const Request& r, const http::PathParams&, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(insight(*c, p, r.query));
             }));
}

using Getter = Expected<json> (*)(db::Connection&, const Principal&);
using Putter = Expected<json> (*)(db::Connection&, const Principal&, const json&);
void add_config(http::Router& router, auth::ApiContext& ctx, const std::string& path, Getter getter, Putter putter) {
  router.add("GET", path,
             auth::guarded(ctx, [&ctx, getter](const Request&, const http::PathParams&, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(getter(*c, p));
             }));
  router.add("PUT", path, auth::guarded_body(ctx, [&ctx, putter](const json& body, const Principal& p) {
               if (!p.can("pipeline.admin")) return http::problem(Error::forbidden());
               auto c = ctx.database.acquire();
               return auth::reply(putter(*c, p, body));
             }));
}

}  // namespace

void register_routes(http::Router& router, auth::ApiContext& ctx) {
  router.add("GET", "/api/v1/opportunities",
             auth::guarded(ctx, [&ctx](const Request& r, const http::PathParams&, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(list_opportunities(*c, p, r.query));
             }));
  auth::add_resource_routes(router, ctx, "/api/v1/opportunities",
                            {create_opportunity, get_opportunity, update_opportunity, delete_opportunity});
  router.add("GET", "/api/v1/opportunities/{id}/gate",
             auth::guarded_id(ctx, [&ctx](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(gate_status(*c, p, id));
             }));
  router.add("GET", "/api/v1/opportunities/{id}/history",
             auth::guarded_id(ctx, [&ctx](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(history(*c, p, id));
             }));
  add_action(router, ctx, "/api/v1/opportunities/{id}/advance", &advance);
  add_action(router, ctx, "/api/v1/opportunities/{id}/go-no-go", &go_no_go);
  add_action(router, ctx, "/api/v1/opportunities/{id}/close", &close);
  add_children(router, ctx, "samples", "samples");
  add_children(router, ctx, "plan-steps", "plan_steps");
  add_children(router, ctx, "touchpoints", "touchpoints");
  add_children(router, ctx, "closing-records", "closing_records");
  add_child_items(router, ctx, "/api/v1/opportunity-samples/{id}", "samples");
  add_child_items(router, ctx, "/api/v1/opportunity-plan-steps/{id}", "plan_steps");
  add_action(router, ctx, "/api/v1/opportunity-samples/{id}/sign-off", &sign_off_sample);
  add_config(router, ctx, "/api/v1/pipeline/gates", &get_gates, &put_gates);
  add_config(router, ctx, "/api/v1/pipeline/lost-reasons", &get_lost_reasons, &put_lost_reasons);
  add_config(router, ctx, "/api/v1/pipeline/settings", &get_settings, &put_settings);
  add_insight(router, ctx, "/api/v1/pipeline/funnel", &funnel);
  add_insight(router, ctx, "/api/v1/pipeline/forecast", &forecast);
  add_insight(router, ctx, "/api/v1/pipeline/stalled", &stalled);

  ctx.audit.register_entity("opportunity", [](db::Connection& c, const Principal& p, std::int64_t id) {
    return opportunity_visible(c, p, id);
  });
  for (const auto& [entity, kind] :
       std::vector<std::pair<std::string, std::string>>{{"opportunity_sample", "samples"},
                                                        {"opportunity_plan_step", "plan_steps"},
                                                        {"opportunity_touchpoint", "touchpoints"},
                                                        {"opportunity_closing_record", "closing_records"}}) {
    ctx.audit.register_entity(entity, [kind](db::Connection& c, const Principal& p, std::int64_t id) {
      return child_visible(c, p, kind, id);
    });
  }
}

}  // namespace kam::pipeline
