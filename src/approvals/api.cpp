#include "approvals/api.hpp"

#include <set>

#include "approvals/approvals.hpp"
#include "platform/http/message.hpp"

namespace kam::approvals {

using auth::Principal;
using http::PathParams;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

// RFC 6266 / 5987: an ASCII fallback name and the UTF-8 name percent-encoded.
std::string content_disposition(const std::string& disposition, const std::string& filename) {
  std::string encoded;
  for (unsigned char ch : filename) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      encoded += static_cast<char>(ch);
    } else {
      static const char* hex = "0123456789ABCDEF";
      encoded += '%';
      encoded += hex[ch >> 4];
      encoded += hex[ch & 15];
    }
  }
  const auto dot = filename.rfind('.');
  const std::string fallback = "kam" + (dot == std::string::npos ? std::string() : filename.substr(dot));
  return disposition + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

Response file_response(const Expected<accounts::FileReply>& file, bool inline_display) {
  if (!file) return http::problem(file.error());
  Response response;
  response.content_type = file->content_type;
  response.body = file->bytes;
  response.headers.emplace_back("Content-Disposition",
                                content_disposition(inline_display ? "inline" : "attachment", file->filename));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

// Only the named query parameters; anything else, or a bad value, is 400.
Status check_params(const Request& r, const std::set<std::string>& allowed) {
  for (const auto& [key, value] : r.query) {
    if (!allowed.count(key)) return Error(Error::Code::bad_request, "unknown query parameter", {{key, "is not known"}});
  }
  return ok_status();
}

Expected<std::optional<std::int64_t>> id_param(const Request& r, const char* name) {
  auto v = r.query_value(name);
  if (!v || v->empty()) return std::optional<std::int64_t>();
  auto id = http::parse_id(*v);
  if (!id) return Error(Error::Code::bad_request, "invalid query parameter", {{name, "must be a positive integer"}});
  return std::optional<std::int64_t>(*id);
}

Expected<std::optional<std::string>> choice_param(const Request& r, const char* name,
                                                  const std::set<std::string>& choices) {
  auto v = r.query_value(name);
  if (!v || v->empty()) return std::optional<std::string>();
  if (!choices.count(*v)) return Error(Error::Code::bad_request, "invalid query parameter", {{name, "is not known"}});
  return std::optional<std::string>(*v);
}

const std::set<std::string> kStatuses = {"draft", "pending", "approved", "rejected", "returned", "withdrawn"};

void request_routes(http::Router& router, auth::ApiContext& ctx, const std::string& kind, const std::string& base) {
  router.add("GET", base, auth::guarded(ctx, [&ctx, kind](const Request& r, const PathParams&, const Principal& p) {
               if (auto s = check_params(r, {"limit", "offset", "q", "status", "account_id", "opportunity_id"}); !s) {
                 return http::problem(s.error());
               }
               auto paging = auth::parse_paging(r);
               if (!paging) return http::problem(paging.error());
               auto status = choice_param(r, "status", kStatuses);
               if (!status) return http::problem(status.error());
               auto account = id_param(r, "account_id");
               if (!account) return http::problem(account.error());
               auto opportunity = id_param(r, "opportunity_id");
               if (!opportunity) return http::problem(opportunity.error());
               RequestQuery query{*status,       *account,      *opportunity, r.query_value("q").value_or(""),
                                  paging->limit, paging->offset};
               auto c = ctx.database.acquire();
               return auth::reply(list_requests(*c, p, kind, query));
             }));
  router.add("POST", base, auth::guarded_body(ctx, [&ctx, kind](const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(create_request(*c, p, kind, body), 201);
             }));
  router.add("GET", base + "/{id}",
             auth::guarded_id(ctx, [&ctx, kind](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(get_request(*c, p, kind, id));
             }));
  router.add("PATCH", base + "/{id}",
             auth::guarded_patch(
                 ctx, [&ctx, kind](std::int64_t id, std::int64_t version, const json& body, const Principal& p) {
                   auto c = ctx.database.acquire();
                   return auth::reply(update_request(*c, p, kind, id, version, body));
                 }));
  for (const char* name : {"submit", "approve", "reject", "return", "withdraw"}) {
    const Action action = *parse_action(name);
    router.add("POST", base + "/{id}/" + name,
               auth::guarded_id_optional_body(
                   ctx, [&ctx, kind, action](std::int64_t id, const json& body, const Principal& p) {
                     auto c = ctx.database.acquire();
                     return auth::reply(act(*c, p, kind, id, action, body));
                   }));
  }
  for (const char* format : {"xlsx", "html"}) {
    const std::string f = format;
    router.add("GET", base + "/{id}/form." + f,
               auth::guarded_id(ctx, [&ctx, kind, f](const Request&, std::int64_t id, const Principal& p) {
                 auto c = ctx.database.acquire();
                 return file_response(request_form(*c, p, kind, id, f), f == "html");
               }));
  }
}

}  // namespace

void register_routes(http::Router& router, auth::ApiContext& ctx) {
  request_routes(router, ctx, kGift, "/api/v1/gift-requests");
  request_routes(router, ctx, kReception, "/api/v1/reception-requests");

  router.add("GET", "/api/v1/approvals/inbox",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               if (auto s = check_params(r, {"limit", "offset"}); !s) return http::problem(s.error());
               auto paging = auth::parse_paging(r);
               if (!paging) return http::problem(paging.error());
               auto c = ctx.database.acquire();
               return auth::reply(inbox(*c, p, paging->limit, paging->offset));
             }));
  router.add("GET", "/api/v1/approvals/mine",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               if (auto s = check_params(r, {"limit", "offset", "status"}); !s) return http::problem(s.error());
               auto paging = auth::parse_paging(r);
               if (!paging) return http::problem(paging.error());
               auto status = choice_param(r, "status", kStatuses);
               if (!status) return http::problem(status.error());
               auto c = ctx.database.acquire();
               return auth::reply(mine(*c, p, *status, paging->limit, paging->offset));
             }));

  router.add("GET", "/api/v1/approval-chains",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams&, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(list_chains(*c, p));
             }));
  router.add("GET", "/api/v1/approval-chains/{kind}",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams& params, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(get_chain(*c, p, params.at("kind")));
             }));
  router.add("PUT", "/api/v1/approval-chains/{kind}",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams& params, const Principal& p) {
               auto body = http::parse_json_object(r);
               if (!body) return http::problem(body.error());
               auto c = ctx.database.acquire();
               return auth::reply(put_chain(*c, p, params.at("kind"), *body));
             }));

  router.add("GET", "/api/v1/budgets",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               if (auto s = check_params(r, {"limit", "offset", "account_id", "kind", "period"}); !s) {
                 return http::problem(s.error());
               }
               auto paging = auth::parse_paging(r, 50, 200);
               if (!paging) return http::problem(paging.error());
               auto account = id_param(r, "account_id");
               if (!account) return http::problem(account.error());
               auto kind = choice_param(r, "kind", {kGift, kReception});
               if (!kind) return http::problem(kind.error());
               BudgetQuery query{*account, *kind, std::nullopt, paging->limit, paging->offset};
               if (auto period = r.query_value("period"); period && !period->empty()) query.period = *period;
               auto c = ctx.database.acquire();
               return auth::reply(list_budgets(*c, p, query));
             }));
  auth::add_resource_routes(router, ctx, "/api/v1/budgets", {create_budget, get_budget, update_budget, delete_budget});

  router.add("GET", "/api/v1/accounts/{id}/development-cost",
             auth::guarded_id(ctx, [&ctx](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(development_cost(*c, p, id));
             }));

  ctx.audit.register_entity("approval_request", [](db::Connection& c, const Principal& p, std::int64_t id) {
    return request_visible(c, p, id);
  });
  ctx.audit.register_entity(
      "budget", [](db::Connection& c, const Principal& p, std::int64_t id) { return budget_visible(c, p, id); });
  ctx.audit.register_entity("approval_chain", [](db::Connection&, const Principal& p, std::int64_t) {
    return p.can("requests.read") || p.can("approvals.admin");
  });
}

}  // namespace kam::approvals
