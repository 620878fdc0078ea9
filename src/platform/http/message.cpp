#include "platform/http/message.hpp"

#include <algorithm>
#include <cctype>

#include "platform/core/text.hpp"

namespace kam::http {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
  });
}

std::optional<std::string> Request::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  const auto all = header("Cookie");
  if (!all) return std::nullopt;
  std::string_view rest = *all;
  while (!rest.empty()) {
    const auto end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return std::nullopt;
}

std::optional<std::string> Request::query_value(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Response json_response(int status, const Json& body) {
  Response response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

Response no_content() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

int status_of(Error::Code code) {
  switch (code) {
    case Error::Code::bad_request: return 400;
    case Error::Code::unauthenticated: return 401;
    case Error::Code::forbidden: return 403;
    case Error::Code::not_found: return 404;
    case Error::Code::conflict: return 409;
    case Error::Code::payload_too_large: return 413;
    case Error::Code::unsupported_media: return 415;
    case Error::Code::invalid: return 422;
    case Error::Code::too_many_requests: return 429;
    case Error::Code::internal: return 500;
  }
  return 500;
}

namespace {
const char* title_of(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    default: return "Internal Server Error";
  }
}
}  // namespace

Response problem(const Error& error) {
  const int status = status_of(error.code());
  Json body = {{"type", "about:blank"},
               {"title", title_of(status)},
               {"status", status},
               {"detail", error.detail()},
               {"errors", Json::array()}};
  for (const auto& field : error.fields()) {
    body["errors"].push_back({{"field", field.field}, {"message", field.message}});
  }
  Response response = json_response(status, body);
  response.content_type = "application/problem+json";
  if (status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size() + 0 && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void parse_target(Request& request) {
  const std::string_view target = request.target;
  const auto question = target.find('?');
  request.path = percent_decode(target.substr(0, question), false);
  request.query.clear();
  if (question == std::string_view::npos) return;
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1), true);
    request.query[std::move(key)] = std::move(value);
  }
}

Expected<Json> parse_json_object(const Request& request) {
  const auto type = request.header("Content-Type").value_or("");
  std::string lowered;
  for (const char c : type) lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const auto semicolon = lowered.find(';');
  std::string media = lowered.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.pop_back();
  if (media != "application/json" && media != "application/merge-patch+json") {
    return Error(Error::Code::unsupported_media, "send the body as application/json");
  }
  if (!text::is_valid_utf8(request.body)) {
    return Error::bad_request("the body is not valid UTF-8");
  }
  Json parsed = Json::parse(request.body, nullptr, false);
  if (parsed.is_discarded()) return Error::bad_request("the body is not well-formed JSON");
  if (!parsed.is_object()) return Error::bad_request("the body must be a JSON object");
  return parsed;
}

}  // namespace kam::http
