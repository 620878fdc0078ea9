#include "activities/api.hpp"

#include "accounts/records_api.hpp"
#include "activities/activities.hpp"
#include "activities/events.hpp"
#include "activities/forms.hpp"
#include "activities/rule_tasks.hpp"
#include "contacts/contacts.hpp"
#include "platform/core/fields.hpp"

namespace kam::activities {

using auth::Principal;
using http::PathParams;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

Error bad_query(const std::string& field, const std::string& message) {
  return Error(Error::Code::bad_request, "invalid query parameters", {{field, message}});
}

// Takes an optional positive id from the query (erasing it), or a 400.
Expected<std::optional<std::int64_t>> take_id(Request& r, const std::string& name) {
  auto it = r.query.find(name);
  if (it == r.query.end()) return std::optional<std::int64_t>();
  auto id = http::parse_id(it->second);
  r.query.erase(it);
  if (!id) return bad_query(name, "must be a positive integer");
  return std::optional<std::int64_t>(*id);
}

Response text_response(const std::string& body, const std::string& type, const std::string& filename = "") {
  Response response;
  response.content_type = type;
  response.body = body;
  if (!filename.empty())
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return response;
}

using Creator = Expected<json> (*)(db::Connection&, const Principal&, const json&);

// List, create, get, update and delete of one account record table.
void add_record_routes(http::Router& router, auth::ApiContext& ctx, const accounts::RecordTable& table,
                       const std::string& path, Creator create, accounts::CollectionRoutes routes) {
  routes.path = path;
  router.add("GET", path,
             auth::guarded(ctx, [&ctx, &table, routes](const Request& r, const PathParams&, const Principal& p) {
               if (!p.can("activities.read")) return http::problem(Error::forbidden());
               Request copy = r;
               auto owner = take_id(copy, "owner_id");
               if (!owner) return http::problem(owner.error());
               auto query = accounts::read_record_query(copy, table, routes);
               if (!query) return http::problem(query.error());
               if (*owner) query->equals.emplace_back("owner_id", **owner);
               auto c = ctx.database.acquire();
               return auth::reply(accounts::list_records(*c, p, table, *query));
             }));
  router.add("POST", path, auth::guarded_body(ctx, [&ctx, create](const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(create(*c, p, body), 201);
             }));
  const std::string item = path + "/{id}";
  router.add("GET", item, auth::guarded_id(ctx, [&ctx, &table](const Request&, std::int64_t id, const Principal& p) {
               if (!p.can("activities.read")) return http::problem(Error::forbidden());
               auto c = ctx.database.acquire();
               return auth::reply(accounts::get_record(*c, p, table, id));
             }));
  router.add("PATCH", item,
             auth::guarded_patch(
                 ctx, [&ctx, &table](std::int64_t id, std::int64_t version, const json& body, const Principal& p) {
                   auto c = ctx.database.acquire();
                   return auth::reply(update_activity(*c, p, table, id, version, body));
                 }));
  router.add("DELETE", item, auth::guarded_id(ctx, [&ctx, &table](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               if (!p.can("activities.write")) {
                 if (p.can("activities.read") && accounts::get_record(*c, p, table, id)) {
                   return http::problem(Error::forbidden());
                 }
                 return http::problem(Error::not_found(table.entity));
               }
               return auth::reply(accounts::delete_record(*c, p, table, id));
             }));
  accounts::register_audit_entity(ctx, table);
}

Expected<TaskQuery> read_task_query(const Request& r) {
  auto paging = auth::parse_paging(r, 50, 200);
  if (!paging) return paging.error();
  TaskQuery q;
  q.limit = paging->limit;
  q.offset = paging->offset;
  std::vector<FieldError> errors;
  auto id = [&](const std::string& key, std::optional<std::int64_t>& out) {
    if (auto v = http::parse_id(r.query.at(key)))
      out = *v;
    else
      errors.push_back({key, "must be a positive integer"});
  };
  for (const auto& [key, value] : r.query) {
    if (key == "limit" || key == "offset") continue;
    if (key == "assignee_id") {
      id(key, q.assignee_id);
    } else if (key == "account_id") {
      id(key, q.account_id);
    } else if (key == "entity_id") {
      id(key, q.entity_id);
    } else if (key == "kind") {
      q.kind = value;
    } else if (key == "entity") {
      q.entity = value;
    } else if (key == "status") {
      if (value != "open" && value != "done" && value != "cancelled")
        errors.push_back({key, "must be open, done or cancelled"});
      q.status = value;
    } else if (key == "overdue") {
      if (value != "true" && value != "false") errors.push_back({key, "must be true or false"});
      q.overdue = value == "true";
    } else {
      errors.push_back({key, "is not a filter of this list"});
    }
  }
  if (!errors.empty()) return Error(Error::Code::bad_request, "invalid query parameters", errors);
  return q;
}

// A form download (XLSX attachment) or printable page (HTML, inline); the
// UTF-8 name as RFC 5987 filename* with an ASCII fallback.
Response form_response(const Expected<FormFile>& file) {
  if (!file) return http::problem(file.error());
  static const char* hex = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char ch : file->filename) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      encoded += static_cast<char>(ch);
    } else {
      encoded += '%';
      encoded += hex[ch >> 4];
      encoded += hex[ch & 15];
    }
  }
  const bool html = file->content_type.rfind("text/html", 0) == 0;
  Response response;
  response.content_type = file->content_type;
  response.body = file->bytes;
  response.headers.emplace_back("Content-Disposition", std::string(html ? "inline" : "attachment") +
                                                           "; filename=\"form." + (html ? "html" : "xlsx") +
                                                           "\"; filename*=UTF-8''" + encoded);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

// user_id (default: the caller) and week (default: this week) of a person's weekly form.
Expected<std::pair<std::int64_t, std::string>> person_week(const Request& r, const Principal& p) {
  Request copy = r;
  auto user = take_id(copy, "user_id");
  if (!user) return user.error();
  std::string week = iso_week_of(now()).text();
  if (auto it = copy.query.find("week"); it != copy.query.end()) {
    week = it->second;
    copy.query.erase(it);
  }
  if (!copy.query.empty()) return bad_query(copy.query.begin()->first, "is not a parameter of this form");
  return std::make_pair(user->value_or(p.user_id), week);
}

std::string feed_url(const Request& r, const std::string& token) {
  const auto host = r.header("Host").value_or("127.0.0.1");
  const auto proto = r.header("X-Forwarded-Proto").value_or("http");
  return proto + "://" + host + "/api/v1/calendar-feed.ics?token=" + token;
}

}  // namespace

void register_routes(http::Router& router, auth::ApiContext& ctx) {
  add_record_routes(router, ctx, visit_plan_table(), "/api/v1/visit-plans", create_visit_plan,
                    {.path = "",
                     .filters = {"account_id", "status"},
                     .search_columns = {"t.purpose", "t.contacts_to_meet"},
                     .order = "t.planned_at DESC, t.id DESC"});
  add_record_routes(router, ctx, visit_table(), "/api/v1/visits", create_visit,
                    {.path = "",
                     .filters = {"account_id", "method", "plan_id"},
                     .search_columns = {"t.key_points", "t.customer_views", "t.place"},
                     .order = "t.occurred_at DESC, t.id DESC"});
  add_record_routes(router, ctx, contact_log_table(), "/api/v1/contact-logs", create_contact_log,
                    {.path = "",
                     .filters = {"account_id", "contact_id", "kind"},
                     .search_columns = {"t.content", "t.result"},
                     .order = "t.occurred_at DESC, t.id DESC"});
  add_record_routes(router, ctx, relationship_action_table(), "/api/v1/relationship-actions",
                    create_relationship_action,
                    {.path = "",
                     .filters = {"account_id", "contact_id", "status", "responsible_id"},
                     .search_columns = {"t.measure", "t.result"}});

  // ---- tasks and follow-ups ----
  router.add("GET", "/api/v1/tasks",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               auto q = read_task_query(r);
               if (!q) return http::problem(q.error());
               auto c = ctx.database.acquire();
               return auth::reply(list_tasks(*c, p, *q));
             }));
  auth::add_resource_routes(router, ctx, "/api/v1/tasks", {create_task, get_task, update_task, delete_task});
  router.add("POST", "/api/v1/tasks/{id}/complete",
             auth::guarded_id_optional_body(ctx, [&ctx](std::int64_t id, const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(complete_task(*c, p, id, body));
             }));
  ctx.audit.register_entity(
      "task", [](db::Connection& c, const Principal& p, std::int64_t id) { return get_task(c, p, id).ok(); });
  router.add("GET", "/api/v1/follow-ups/overdue",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               Request copy = r;
               auto department = take_id(copy, "department_id");
               if (!department) return http::problem(department.error());
               if (!copy.query.empty())
                 return http::problem(bad_query(copy.query.begin()->first, "is not a filter of this list"));
               auto c = ctx.database.acquire();
               return auth::reply(overdue_follow_ups(*c, p, *department));
             }));
  router.add("GET", "/api/v1/follow-ups/compliance",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               Request copy = r;
               auto department = take_id(copy, "department_id");
               if (!department) return http::problem(department.error());
               std::string month = now_text().substr(0, 7);
               if (auto it = copy.query.find("month"); it != copy.query.end()) {
                 month = it->second;
                 copy.query.erase(it);
               }
               if (!copy.query.empty())
                 return http::problem(bad_query(copy.query.begin()->first, "is not a filter of this list"));
               auto c = ctx.database.acquire();
               return auth::reply(follow_up_compliance(*c, p, month, *department));
             }));

  // ---- weekly reports ----
  router.add("GET", "/api/v1/weekly-reports",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               auto paging = auth::parse_paging(r, 50, 200);
               if (!paging) return http::problem(paging.error());
               Request copy = r;
               copy.query.erase("limit");
               copy.query.erase("offset");
               auto user = take_id(copy, "user_id");
               if (!user) return http::problem(user.error());
               std::optional<std::string> week, status;
               if (auto it = copy.query.find("week"); it != copy.query.end()) {
                 week = it->second;
                 copy.query.erase(it);
               }
               if (auto it = copy.query.find("status"); it != copy.query.end()) {
                 status = it->second;
                 copy.query.erase(it);
               }
               if (!copy.query.empty())
                 return http::problem(bad_query(copy.query.begin()->first, "is not a filter of this list"));
               auto c = ctx.database.acquire();
               return auth::reply(list_weekly_reports(*c, p, *user, week, status, paging->limit, paging->offset));
             }));
  router.add("POST", "/api/v1/weekly-reports", auth::guarded_body(ctx, [&ctx](const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(save_weekly_report(*c, p, body));
             }));
  router.add("GET", "/api/v1/weekly-reports/{id}",
             auth::guarded_id(ctx, [&ctx](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(get_weekly_report(*c, p, id));
             }));
  router.add("POST", "/api/v1/weekly-reports/{id}/submit",
             auth::guarded_id_optional_body(ctx, [&ctx](std::int64_t id, const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(submit_weekly_report(*c, p, id, body));
             }));
  router.add("POST", "/api/v1/weekly-reports/{id}/review",
             auth::guarded_id_optional_body(ctx, [&ctx](std::int64_t id, const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(review_weekly_report(*c, p, id, body));
             }));
  ctx.audit.register_entity("weekly_report", [](db::Connection& c, const Principal& p, std::int64_t id) {
    return get_weekly_report(c, p, id).ok();
  });

  // ---- account timeline and relationship stage ----
  router.add("GET", "/api/v1/accounts/{id}/timeline",
             auth::guarded_id(ctx, [&ctx](const Request& r, std::int64_t id, const Principal& p) {
               auto paging = auth::parse_paging(r, 20, 100);
               if (!paging) return http::problem(paging.error());
               for (const auto& [key, value] : r.query) {
                 if (key != "limit" && key != "before")
                   return http::problem(bad_query(key, "is not a parameter of this list"));
               }
               auto c = ctx.database.acquire();
               return auth::reply(account_timeline(*c, p, id, r.query_value("before"), paging->limit));
             }));
  router.add("POST", "/api/v1/accounts/{id}/relationship-stage",
             auth::guarded_id_body(ctx, [&ctx](std::int64_t id, const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(change_relationship_stage(*c, p, id, body), 201);
             }));

  // ---- calendar feed ----
  auto feed = [&ctx](bool rotate) {
    return auth::guarded(ctx, [&ctx, rotate](const Request& r, const PathParams&, const Principal& p) {
      auto c = ctx.database.acquire();
      auto token = calendar_feed_token(*c, p, rotate);
      if (!token) return http::problem(token.error());
      return http::json_response(200, {{"url", feed_url(r, *token)}});
    });
  };
  router.add("GET", "/api/v1/auth/me/calendar-feed", feed(false));
  router.add("POST", "/api/v1/auth/me/calendar-feed", feed(true));
  router.add("DELETE", "/api/v1/auth/me/calendar-feed",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams&, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(revoke_calendar_feed(*c, p));
             }));
  // Calendar apps cannot log in: the secret token in the URL is the
  // credential, so a missing, unknown or revoked token is 401.
  router.add("GET", "/api/v1/calendar-feed.ics", [&ctx](const Request& r, const PathParams&) {
    const auto token = r.query_value("token");
    if (!token || token->empty()) {
      return http::problem(Error(Error::Code::unauthenticated, "the calendar feed token is missing"));
    }
    auto c = ctx.database.acquire();
    auto text = calendar_feed(*c, *token);
    if (!text) return http::problem(text.error());
    return text_response(*text, "text/calendar; charset=utf-8");
  });

  // ---- vCard ----
  router.add("GET", "/api/v1/contacts/export",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               Request copy = r;
               const auto format = copy.query_value("format").value_or("vcf");
               copy.query.erase("format");
               if (format != "vcf") return http::problem(bad_query("format", "must be vcf"));
               copy.query.erase("limit");
               copy.query.erase("offset");
               const accounts::CollectionRoutes routes{.path = "/api/v1/contacts",
                                                       .filters = {"account_id", "buying_role", "status", "attitude"},
                                                       .search_columns = {"t.name", "t.phone", "t.title"}};
               auto query = accounts::read_record_query(copy, contacts::contact_table(), routes);
               if (!query) return http::problem(query.error());
               query->limit = 5000;  // one address book; larger exports go by account
               query->offset = 0;
               auto c = ctx.database.acquire();
               auto text = contacts_vcards(*c, p, *query);
               if (!text) return http::problem(text.error());
               return text_response(*text, "text/vcard; charset=utf-8", "contacts.vcf");
             }));
  router.add("GET", "/api/v1/contacts/{id}/vcard",
             auth::guarded_id(ctx, [&ctx](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               auto text = contact_vcard(*c, p, id);
               if (!text) return http::problem(text.error());
               return text_response(*text, "text/vcard; charset=utf-8", "contact-" + std::to_string(id) + ".vcf");
             }));

  // ---- events ----
  router.add("GET", "/api/v1/events",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               auto paging = auth::parse_paging(r, 20, 200);
               if (!paging) return http::problem(paging.error());
               auto c = ctx.database.acquire();
               return auth::reply(list_events(*c, p, paging->limit, paging->offset));
             }));
  auth::add_resource_routes(router, ctx, "/api/v1/events", {create_event, get_event, update_event, delete_event});
  router.add("GET", "/api/v1/events/{id}/invitations",
             auth::guarded_id(ctx, [&ctx](const Request&, std::int64_t id, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(list_invitations(*c, p, id));
             }));
  router.add("POST", "/api/v1/events/{id}/invitations",
             auth::guarded_id_body(ctx, [&ctx](std::int64_t id, const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(invite(*c, p, id, body), 201);
             }));
  router.add(
      "PATCH", "/api/v1/event-invitations/{id}",
      auth::guarded_patch(ctx, [&ctx](std::int64_t id, std::int64_t version, const json& body, const Principal& p) {
        auto c = ctx.database.acquire();
        return auth::reply(update_invitation(*c, p, id, version, body));
      }));
  router.add("POST", "/api/v1/event-invitations/{id}/lead",
             auth::guarded_id_body(ctx, [&ctx](std::int64_t id, const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(raise_lead(*c, p, id, body), 201);
             }));
  ctx.audit.register_entity(
      "event", [](db::Connection& c, const Principal& p, std::int64_t id) { return get_event(c, p, id).ok(); });

  // ---- forms ----
  for (const auto& [ext, format] :
       {std::pair{std::string("xlsx"), FormFormat::xlsx}, std::pair{std::string("html"), FormFormat::html}}) {
    router.add("GET", "/api/v1/forms/visit-plans." + ext,
               auth::guarded(ctx, [&ctx, format](const Request& r, const PathParams&, const Principal& p) {
                 auto who = person_week(r, p);
                 if (!who) return http::problem(who.error());
                 auto c = ctx.database.acquire();
                 return form_response(visit_plan_form(*c, p, who->first, who->second, format));
               }));
    router.add("GET", "/api/v1/forms/contact-logs." + ext,
               auth::guarded(ctx, [&ctx, format](const Request& r, const PathParams&, const Principal& p) {
                 auto who = person_week(r, p);
                 if (!who) return http::problem(who.error());
                 auto c = ctx.database.acquire();
                 return form_response(contact_log_form(*c, p, who->first, who->second, format));
               }));
    router.add("GET", "/api/v1/visits/{id}/form." + ext,
               auth::guarded_id(ctx, [&ctx, format](const Request&, std::int64_t id, const Principal& p) {
                 auto c = ctx.database.acquire();
                 return form_response(visit_record_form(*c, p, id, format));
               }));
    router.add("GET", "/api/v1/accounts/{id}/forms/relationship-actions." + ext,
               auth::guarded_id(ctx, [&ctx, format](const Request&, std::int64_t id, const Principal& p) {
                 auto c = ctx.database.acquire();
                 return form_response(relationship_form(*c, p, id, format));
               }));
  }
  router.add("POST", "/api/v1/jobs/activity-rule-tasks/run",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams&, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(run_rule_tasks(*c, p));
             }));

  // ---- settings and the test clock ----
  router.add("GET", "/api/v1/activity-settings",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams&, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(get_settings(*c, p));
             }));
  router.add("PUT", "/api/v1/activity-settings", auth::guarded_body(ctx, [&ctx](const json& body, const Principal& p) {
               auto c = ctx.database.acquire();
               return auth::reply(update_settings(*c, p, body));
             }));
  router.add("PUT", "/api/v1/test/clock", auth::guarded_body(ctx, [](const json& body, const Principal& p) {
               if (!test_clock_enabled()) return http::problem(Error::not_found("resource"));
               if (!p.can("users.admin")) return http::problem(Error::forbidden());
               if (!body.contains("now") || body["now"].is_null()) {
                 set_test_now(std::nullopt);
               } else {
                 const auto t = body["now"].is_string() ? parse_instant(body["now"].get<std::string>()) : std::nullopt;
                 if (!t) return http::problem(Error::invalid({{"now", "must be an ISO instant or null"}}));
                 set_test_now(*t);
               }
               return http::json_response(200, {{"now", now_text()}});
             }));
}

}  // namespace kam::activities
