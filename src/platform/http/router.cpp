#include "platform/http/router.hpp"

#include <charconv>

namespace kam::http {

namespace {
std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) out.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path, PathParams& params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const auto& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      params[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  return true;
}
}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  auto segments = split_path(pattern);
  routes_.push_back({std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

std::optional<Response> Router::dispatch(const Request& request) const {
  const auto path = split_path(request.path);
  bool path_known = false;
  std::string allowed;
  for (const auto& route : routes_) {
    PathParams params;
    if (!match(route.segments, path, params)) continue;
    path_known = true;
    allowed += (allowed.empty() ? "" : ", ") + route.method;
    if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
      return route.handler(request, params);
    }
  }
  if (!path_known) return std::nullopt;
  Response response = problem(Error(Error::Code::bad_request, "method not allowed on this resource"));
  response.status = 405;
  Json body = Json::parse(response.body);
  body["status"] = 405;
  body["title"] = "Method Not Allowed";
  response.body = body.dump();
  response.headers.emplace_back("Allow", allowed);
  return response;
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  for (const auto& route : routes_) out.push_back({route.method, route.pattern});
  return out;
}

std::optional<std::int64_t> parse_id(const std::string& text) {
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace kam::http
