// Routes a Request to a handler by method and path pattern. Patterns are
// literal segments and `{name}` parameters: "/api/v1/accounts/{id}".
// Unknown paths answer 404, a known path with another method 405.
// Thread-safe for dispatch once all routes are added.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "platform/http/message.hpp"

namespace kam::http {

using PathParams = std::map<std::string, std::string>;
using Handler = std::function<Response(const Request&, const PathParams&)>;

struct RouteInfo {
  std::string method;
  std::string pattern;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  // Dispatches; returns nullopt when no route's path matches (caller decides:
  // static files or 404).
  std::optional<Response> dispatch(const Request& request) const;
  std::vector<RouteInfo> routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

// Parses a path parameter as a positive 64-bit id.
std::optional<std::int64_t> parse_id(const std::string& text);

}  // namespace kam::http
