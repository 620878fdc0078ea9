// The OpenAPI document (api/openapi.json, compiled in) against the router:
// every registered route is documented, nothing documented is missing from
// the router, and the document's security matches what the server enforces.
// Path keys of the document are relative to its server URL (/api/v1); router
// patterns are absolute, so the tests map between the two.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/api.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace kam::app {
namespace {

using nlohmann::json;

constexpr const char* kServerUrl = "/api/v1";
const std::vector<std::string> kHttpMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

// Operations that need no login: "METHOD /absolute/pattern".
const std::set<std::string> kPublicRoutes = {"GET /api/v1/health", "GET /api/v1/openapi.json",
                                             "POST /api/v1/auth/login"};

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

const json& document() {
  static const json parsed = json::parse(openapi_document(), nullptr, false);
  return parsed;
}

// A document path key ("/accounts/{id}") as the router's absolute pattern.
std::string absolute(const std::string& key) {
  return std::string(kServerUrl) + key;
}

// A JSON pointer "#/components/..." inside the document.
const json* resolve(const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  const json::json_pointer pointer(ref.substr(1));
  if (!document().contains(pointer)) return nullptr;
  return &document().at(pointer);
}

// An object that may be a $ref, followed.
const json& deref(const json& node) {
  if (node.is_object() && node.contains("$ref")) {
    const json* target = resolve(node["$ref"].get<std::string>());
    if (target) return *target;
  }
  return node;
}

struct Operation {
  std::string method;   // upper case
  std::string pattern;  // absolute, as the router spells it
  const json* body;
};

std::vector<Operation> documented_operations() {
  std::vector<Operation> out;
  for (const auto& [key, item] : document()["paths"].items()) {
    for (const auto& method : kHttpMethods) {
      if (item.contains(method)) out.push_back({upper(method), absolute(key), &item[method]});
    }
  }
  return out;
}

std::string route_name(const std::string& method, const std::string& pattern) {
  return method + " " + pattern;
}

void collect_refs(const json& node, std::vector<std::string>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref" && value.is_string()) {
        out.push_back(value.get<std::string>());
      } else {
        collect_refs(value, out);
      }
    }
  } else if (node.is_array()) {
    for (const auto& value : node) collect_refs(value, out);
  }
}

class OpenApiDocument : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    db_path_ = "/tmp/kam_openapi_test_" + std::to_string(::getpid()) + "_" + std::to_string(stamp) + "_" +
               std::to_string(counter++) + ".db";
    database_ = db::open_database("sqlite:" + db_path_, 2);
    db::migrate(*database_, db::builtin_migrations());
    api_ = std::make_unique<Api>(*database_, "");
  }

  void TearDown() override {
    api_.reset();
    database_.reset();
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db_path_ + suffix, ignored);
  }

  std::set<std::string> registered_routes() const {
    std::set<std::string> out;
    for (const auto& route : api_->router().routes()) out.insert(route_name(route.method, route.pattern));
    return out;
  }

  // Sends a request without any credentials or body.
  http::Response send_anonymous(const std::string& method, const std::string& pattern) {
    http::Request request;
    request.method = method;
    request.target = std::regex_replace(pattern, std::regex("\\{[^}]+\\}"), "1");
    http::parse_target(request);
    return api_->handle(request);
  }

  std::string db_path_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<Api> api_;
};

TEST_F(OpenApiDocument, IsJsonOfOpenApi30WithTheApiBaseAsServer) {
  ASSERT_FALSE(document().is_discarded()) << "api/openapi.json is not well-formed JSON";
  ASSERT_TRUE(document().is_object());
  ASSERT_TRUE(document().contains("openapi") && document()["openapi"].is_string());
  EXPECT_EQ(document()["openapi"].get<std::string>().rfind("3.0.", 0), 0u) << document()["openapi"];
  ASSERT_TRUE(document().contains("info"));
  EXPECT_TRUE(document()["info"].contains("title"));
  EXPECT_TRUE(document()["info"].contains("version"));
  ASSERT_TRUE(document().contains("servers") && !document()["servers"].empty());
  EXPECT_EQ(document()["servers"][0]["url"], kServerUrl);
  ASSERT_TRUE(document().contains("paths") && document()["paths"].is_object());
  for (const auto& [key, item] : document()["paths"].items()) {
    EXPECT_EQ(key.front(), '/') << key;
    EXPECT_NE(key.rfind(kServerUrl, 0), 0u) << key << ": path keys are relative to the server URL " << kServerUrl;
  }
}

TEST_F(OpenApiDocument, DocumentsEveryRegisteredRoute) {
  std::set<std::string> documented;
  for (const auto& operation : documented_operations())
    documented.insert(route_name(operation.method, operation.pattern));
  const auto routes = registered_routes();
  ASSERT_FALSE(routes.empty());
  for (const auto& route : routes) EXPECT_TRUE(documented.count(route)) << route << " is not in api/openapi.json";
}

TEST_F(OpenApiDocument, DocumentsNoOperationTheRouterLacks) {
  const auto routes = registered_routes();
  for (const auto& operation : documented_operations()) {
    EXPECT_TRUE(routes.count(route_name(operation.method, operation.pattern)))
        << route_name(operation.method, operation.pattern) << " is documented but not registered";
  }
}

TEST_F(OpenApiDocument, GivesEveryOperationASuccessResponse) {
  for (const auto& operation : documented_operations()) {
    const auto name = route_name(operation.method, operation.pattern);
    ASSERT_TRUE(operation.body->contains("responses")) << name;
    bool success = false;
    for (const auto& entry : (*operation.body)["responses"].items()) {
      const auto& status = entry.key();
      if (status.size() == 3 && status.front() == '2') success = true;
    }
    EXPECT_TRUE(success) << name << " has no 2xx response";
  }
}

TEST_F(OpenApiDocument, DeclaresSecurityOnEveryNonPublicOperation) {
  const auto& schemes = document()["components"]["securitySchemes"];
  ASSERT_TRUE(schemes.contains("bearerAuth"));
  ASSERT_TRUE(schemes.contains("cookieAuth"));
  EXPECT_EQ(schemes["cookieAuth"]["in"], "cookie");
  EXPECT_EQ(schemes["cookieAuth"]["name"], "kam_session");
  for (const auto& operation : documented_operations()) {
    const auto name = route_name(operation.method, operation.pattern);
    ASSERT_TRUE(operation.body->contains("security")) << name << " declares no security of its own";
    const auto& security = (*operation.body)["security"];
    if (kPublicRoutes.count(name)) {
      EXPECT_TRUE(security.empty()) << name << " is public and should declare security: []";
      continue;
    }
    ASSERT_FALSE(security.empty()) << name << " needs a login but declares none";
    for (const auto& requirement : security) {
      for (const auto& entry : requirement.items()) {
        EXPECT_TRUE(schemes.contains(entry.key())) << name << " uses undeclared scheme " << entry.key();
      }
    }
    const auto& responses = (*operation.body)["responses"];
    EXPECT_TRUE(responses.contains("401")) << name << " needs a login but documents no 401";
  }
}

TEST_F(OpenApiDocument, MatchesTheServerOnWhichRoutesNeedALogin) {
  for (const auto& route : api_->router().routes()) {
    const auto name = route_name(route.method, route.pattern);
    const auto response = send_anonymous(route.method, route.pattern);
    if (kPublicRoutes.count(name)) {
      EXPECT_NE(response.status, 401) << name << " is documented as public but asks for a login";
    } else {
      EXPECT_EQ(response.status, 401) << name << " is documented as needing a login but answered without one";
    }
  }
}

TEST_F(OpenApiDocument, IsServedAtOpenApiJson) {
  const auto response = send_anonymous("GET", "/api/v1/openapi.json");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, openapi_document());
}

TEST_F(OpenApiDocument, ResolvesEveryReference) {
  std::vector<std::string> refs;
  collect_refs(document(), refs);
  ASSERT_FALSE(refs.empty());
  for (const auto& ref : refs) EXPECT_NE(resolve(ref), nullptr) << ref << " does not resolve";
}

TEST_F(OpenApiDocument, DeclaresEveryPathParameter) {
  const std::regex parameter("\\{([^}]+)\\}");
  for (const auto& [key, item] : document()["paths"].items()) {
    std::set<std::string> in_path;
    for (auto it = std::sregex_iterator(key.begin(), key.end(), parameter); it != std::sregex_iterator(); ++it) {
      in_path.insert((*it)[1].str());
    }
    for (const auto& method : kHttpMethods) {
      if (!item.contains(method)) continue;
      std::set<std::string> declared;
      for (const auto* list : {&item, &item[method]}) {
        if (!list->contains("parameters")) continue;
        for (const auto& p : (*list)["parameters"]) {
          const auto& resolved = deref(p);
          if (resolved.value("in", "") == "path") {
            EXPECT_TRUE(resolved.value("required", false)) << key << ": path parameters are required";
            declared.insert(resolved.value("name", ""));
          }
        }
      }
      EXPECT_EQ(declared, in_path) << upper(method) << " " << key;
    }
  }
}

TEST_F(OpenApiDocument, DescribesErrorsAsProblemJson) {
  for (const auto& operation : documented_operations()) {
    const auto name = route_name(operation.method, operation.pattern);
    for (const auto& [status, response] : (*operation.body)["responses"].items()) {
      if (status.front() != '4') continue;
      const auto& resolved = deref(response);
      ASSERT_TRUE(resolved.contains("content")) << name << " " << status;
      EXPECT_TRUE(resolved["content"].contains("application/problem+json")) << name << " " << status;
    }
  }
  const auto& problem = document()["components"]["schemas"]["Problem"];
  for (const char* field : {"type", "title", "status", "detail", "errors"}) {
    EXPECT_TRUE(problem["properties"].contains(field)) << field;
  }
}

TEST_F(OpenApiDocument, GivesEveryOperationATagSummaryAndUniqueOperationId) {
  const std::set<std::string> tags = {"auth",     "departments", "users",      "roles",     "audit",
                                      "accounts", "system",      "activities", "approvals", "pipeline"};
  std::set<std::string> ids;
  for (const auto& operation : documented_operations()) {
    const auto name = route_name(operation.method, operation.pattern);
    const auto& body = *operation.body;
    EXPECT_FALSE(body.value("summary", "").empty()) << name;
    EXPECT_FALSE(body.value("description", "").empty()) << name;
    ASSERT_TRUE(body.contains("tags") && !body["tags"].empty()) << name;
    for (const auto& tag : body["tags"]) EXPECT_TRUE(tags.count(tag.get<std::string>())) << name << ": " << tag;
    const auto id = body.value("operationId", "");
    EXPECT_FALSE(id.empty()) << name;
    EXPECT_TRUE(ids.insert(id).second) << name << ": duplicate operationId " << id;
  }
}

}  // namespace
}  // namespace kam::app
