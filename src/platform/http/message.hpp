// HTTP messages as plain values, independent of Boost.Beast, so that the
// router, the handlers and their tests never compile Beast (slow) and never
// need a socket. The Beast server (server.cpp) converts to and from these.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/core/error.hpp"

namespace kam::http {

using Json = nlohmann::json;

struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as received
  std::string path;    // decoded path without the query
  std::map<std::string, std::string> query;  // decoded; a repeated key keeps the last value
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::string body;
  std::string remote_address;

  std::optional<std::string> header(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  std::optional<std::string> query_value(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set to a file path to stream a file instead of `body` (static assets).
  std::string file_path;
};

Response json_response(int status, const Json& body);
Response no_content();
// application/problem+json for an Error; the one place Error codes become statuses.
Response problem(const Error& error);
int status_of(Error::Code code);

// Splits and percent-decodes a target into path and query.
void parse_target(Request& request);
std::string percent_decode(std::string_view text, bool plus_is_space);

// Parses a JSON object body: 415 unless the content type is JSON, 400 on
// malformed JSON or invalid UTF-8, 400 when the top level is not an object.
Expected<Json> parse_json_object(const Request& request);

}  // namespace kam::http
