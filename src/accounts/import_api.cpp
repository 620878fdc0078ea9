#include "accounts/import_api.hpp"

#include "accounts/export.hpp"
#include "accounts/forms.hpp"
#include "accounts/import.hpp"
#include "platform/http/multipart.hpp"

namespace kam::accounts {

using auth::Principal;
using http::PathParams;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kUploadLimit = 10 * 1024 * 1024;

// RFC 6266 / 5987: an ASCII fallback name and the UTF-8 name percent-encoded.
std::string content_disposition(const std::string& disposition, const std::string& filename) {
  std::string encoded, fallback;
  for (unsigned char ch : filename) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      encoded += static_cast<char>(ch);
      fallback += static_cast<char>(ch);
    } else {
      static const char* hex = "0123456789ABCDEF";
      encoded += '%';
      encoded += hex[ch >> 4];
      encoded += hex[ch & 15];
      if (ch < 0x80) fallback += '_';
    }
  }
  const auto dot = filename.rfind('.');
  fallback = "kam" + (dot == std::string::npos ? std::string() : filename.substr(dot));
  return disposition + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

Response file_response(const Expected<FileReply>& file, bool inline_display = false) {
  if (!file) return http::problem(file.error());
  Response response;
  response.content_type = file->content_type;
  response.body = file->bytes;
  response.headers.emplace_back("Content-Disposition",
                                content_disposition(inline_display ? "inline" : "attachment", file->filename));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

std::optional<bool> parse_bool(const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
}

Response import_upload(auth::ApiContext& ctx, const Request& r, const Principal& p) {
  if (!p.can("accounts.write")) return http::problem(Error::forbidden());
  auto form = http::parse_multipart(r, kUploadLimit);
  if (!form) return http::problem(form.error());
  ImportOptions options;
  std::vector<FieldError> errors;
  auto field = [&](const char* name) -> std::optional<std::string> {
    auto it = form->find(name);
    if (it == form->end()) return std::nullopt;
    return it->second.body;
  };
  if (auto kind = field("kind")) options.kind = *kind;
  if (auto dup = field("on_duplicate")) options.on_duplicate = *dup;
  if (auto dry = field("dry_run")) {
    if (auto value = parse_bool(*dry)) {
      options.dry_run = *value;
    } else {
      errors.push_back({"dry_run", "must be true or false"});
    }
  }
  auto file = form->find("file");
  if (file == form->end() || file->second.body.empty()) errors.push_back({"file", "attach a CSV or XLSX file"});
  if (auto s = check_import_options(options); !s) {
    for (const auto& e : s.error().fields()) errors.push_back(e);
  }
  if (!errors.empty()) return http::problem(Error::invalid(errors));
  auto c = ctx.database.acquire();
  auto report = import_file(*c, p, file->second.body, options);
  if (!report) return http::problem(report.error());
  return http::json_response(200, to_json(*report));
}

}  // namespace

void register_sheet_routes(http::Router& router, auth::ApiContext& ctx) {
  router.add("POST", "/api/v1/imports",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               return import_upload(ctx, r, p);
             }));
  router.add("GET", "/api/v1/accounts/export",
             auth::guarded(ctx, [&ctx](const Request& r, const PathParams&, const Principal& p) {
               ListQuery query;
               std::string format = "csv";
               for (const auto& [key, value] : r.query) {
                 if (key == "q") {
                   query.q = value;
                 } else if (key == "sort") {
                   query.sort = value;
                 } else if (key == "format") {
                   format = value;
                 } else if (key != "limit" && key != "offset") {
                   query.filters[key] = value;
                 }
               }
               auto c = ctx.database.acquire();
               return file_response(export_accounts(*c, p, query, format));
             }));
  router.add("GET", "/api/v1/accounts/{id}/forms/archive.xlsx",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto c = ctx.database.acquire();
               return file_response(archive_form_file(*c, p, *id, "xlsx"));
             }));
  router.add("GET", "/api/v1/accounts/{id}/forms/archive.html",
             auth::guarded(ctx, [&ctx](const Request&, const PathParams& params, const Principal& p) {
               auto id = auth::path_id(params);
               if (!id) return http::problem(id.error());
               auto c = ctx.database.acquire();
               return file_response(archive_form_file(*c, p, *id, "html"), true);
             }));
}

}  // namespace kam::accounts
