// multipart/form-data bodies (RFC 7578), as browsers send file uploads: the
// body is split into named parts, each with an optional file name and type.
// Pure; used by upload routes.
#pragma once

#include <map>
#include <string>

#include "platform/core/error.hpp"
#include "platform/http/message.hpp"

namespace kam::http {

struct FormPart {
  std::string name;          // the form field name
  std::string filename;      // empty for plain fields
  std::string content_type;  // of the part, if given
  std::string body;          // raw bytes
};

using FormData = std::map<std::string, FormPart>;  // by field name; a repeated name keeps the first part

// Parses the request body: 415 (unsupported_media) unless the content type is
// multipart/form-data with a boundary, 400 when the body is malformed, 413
// when any part is over `part_limit` bytes.
Expected<FormData> parse_multipart(const Request& request, std::size_t part_limit = 10 * 1024 * 1024);

// The same from a content type header value and a body.
Expected<FormData> parse_multipart(const std::string& content_type, std::string_view body,
                                   std::size_t part_limit = 10 * 1024 * 1024);

}  // namespace kam::http
