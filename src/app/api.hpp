// The whole HTTP application: every module's routes on one router, plus
// /api/v1/health, /api/v1/openapi.json and the built web app (static files
// with SPA fallback). `handle` is what the server calls for each request.
#pragma once

#include <memory>
#include <string>

#include "auth/audit.hpp"
#include "auth/guard.hpp"
#include "auth/service.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace kam::app {

class Api {
 public:
  // `web_root`: folder of the built web app (index.html); empty = API only.
  Api(db::Database& database, std::string web_root);
  http::Response handle(http::Request& request);
  const http::Router& router() const { return router_; }

 private:
  http::Response serve_static(const http::Request& request) const;

  db::Database& database_;
  auth::AuthService auth_;
  auth::AuditLog audit_;
  auth::ApiContext context_;
  http::Router router_;
  std::string web_root_;
};

// The OpenAPI 3 document compiled into the binary (api/openapi.json).
const std::string& openapi_document();

}  // namespace kam::app
