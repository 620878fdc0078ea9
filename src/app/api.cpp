#include "app/api.hpp"

#include <algorithm>
#include <filesystem>

#include "accounts/api.hpp"
#include "accounts/import_api.hpp"
#include "accounts/pool.hpp"
#include "activities/api.hpp"
#include "approvals/api.hpp"
#include "auth/api.hpp"
#include "competitors/api.hpp"
#include "contacts/api.hpp"
#include "pipeline/api.hpp"
#include "platform/core/text.hpp"
#include "secondary/api.hpp"

namespace kam::app {

namespace fs = std::filesystem;

Api::Api(db::Database& database, std::string web_root)
    : database_(database), auth_(database), context_{database_, auth_, audit_}, web_root_(std::move(web_root)) {
  router_.add("GET", "/api/v1/health", [this](const http::Request&, const http::PathParams&) {
    auto connection = database_.acquire();
    connection->query("SELECT 1");
    return http::json_response(200, {{"status", "ok"}});
  });
  router_.add("GET", "/api/v1/openapi.json", [](const http::Request&, const http::PathParams&) {
    http::Response response;
    response.body = openapi_document();
    return response;
  });
  auth::register_routes(router_, context_);
  accounts::pool::register_pool_routes(router_, context_);  // before accounts: /accounts/pool is not /accounts/{id}
  accounts::register_sheet_routes(router_, context_);       // before accounts: /accounts/export is not /accounts/{id}
  accounts::register_routes(router_, context_);
  activities::register_routes(router_, context_);  // before contacts: /contacts/export is not /contacts/{id}
  contacts::register_routes(router_, context_);
  secondary::register_routes(router_, context_);
  competitors::register_routes(router_, context_);
  approvals::register_routes(router_, context_);
  pipeline::register_routes(router_, context_);
}

http::Response Api::handle(http::Request& request) {
  if (!text::is_valid_utf8(request.path)) return http::problem(Error::bad_request("the URL is not valid UTF-8"));
  auto has_control = [](const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  };
  for (const auto& [key, value] : request.query) {
    if (!text::is_valid_utf8(key) || !text::is_valid_utf8(value) || has_control(key) || has_control(value)) {
      return http::problem(Error(Error::Code::bad_request, "invalid query parameters",
                                 {{text::is_valid_utf8(key) ? key : "?", "is not valid UTF-8 text"}}));
    }
  }
  if (auto response = router_.dispatch(request)) {
    if (request.path.rfind("/api/", 0) == 0) response->headers.emplace_back("Cache-Control", "no-store");
    return *response;
  }
  if (request.path.rfind("/api/", 0) == 0 || request.path == "/api") {
    return http::problem(Error::not_found("resource"));
  }
  return serve_static(request);
}

namespace {
std::string content_type_of(const fs::path& path) {
  const auto ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}
}  // namespace

http::Response Api::serve_static(const http::Request& request) const {
  if (web_root_.empty() || (request.method != "GET" && request.method != "HEAD")) {
    return http::problem(Error::not_found("resource"));
  }
  const fs::path root = fs::weakly_canonical(web_root_);
  fs::path wanted = fs::weakly_canonical(root / fs::path(request.path).relative_path());
  // Refuse anything that resolves outside the web root (../ tricks).
  const auto relative = wanted.lexically_relative(root);
  const bool inside = !relative.empty() && relative.native().rfind("..", 0) != 0;
  std::error_code ec;
  if (!inside || !fs::is_regular_file(wanted, ec)) wanted = root / "index.html";  // SPA fallback
  if (!fs::is_regular_file(wanted, ec)) return http::problem(Error::not_found("web app (build it with make build)"));
  http::Response response;
  response.file_path = wanted.string();
  response.content_type = content_type_of(wanted);
  const bool hashed_asset = wanted.parent_path().filename() == "assets";
  response.headers.emplace_back("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

}  // namespace kam::app
