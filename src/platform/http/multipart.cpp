#include "platform/http/multipart.hpp"

#include <algorithm>
#include <cctype>

namespace kam::http {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// A parameter (`name="x"` or `name=x`) of a header value like `form-data; name="file"; filename="a.csv"`.
std::optional<std::string> parameter(std::string_view header, std::string_view key) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto semi = header.find(';', pos);
    if (semi == std::string_view::npos) break;
    pos = semi + 1;
    while (pos < header.size() && header[pos] == ' ') ++pos;
    const auto eq = header.find('=', pos);
    if (eq == std::string_view::npos) break;
    const auto name = lower(trim(header.substr(pos, eq - pos)));
    std::string value;
    std::size_t next = eq + 1;
    if (next < header.size() && header[next] == '"') {
      ++next;
      while (next < header.size() && header[next] != '"') {
        if (header[next] == '\\' && next + 1 < header.size()) ++next;
        value += header[next++];
      }
      ++next;
    } else {
      const auto end = header.find(';', next);
      value = trim(header.substr(next, end == std::string_view::npos ? std::string_view::npos : end - next));
      next = end == std::string_view::npos ? header.size() : end;
    }
    if (name == key) return value;
    pos = next;
  }
  return std::nullopt;
}

}  // namespace

Expected<FormData> parse_multipart(const std::string& content_type, std::string_view body, std::size_t part_limit) {
  const auto type = lower(trim(std::string_view(content_type).substr(0, content_type.find(';'))));
  if (type != "multipart/form-data") {
    return Error(Error::Code::unsupported_media, "send the upload as multipart/form-data");
  }
  const auto boundary = parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) {
    return Error(Error::Code::unsupported_media, "multipart/form-data needs a boundary");
  }
  const std::string delimiter = "--" + *boundary;
  FormData parts;
  auto pos = body.find(delimiter);
  if (pos == std::string_view::npos) return Error::bad_request("the multipart body has no parts");
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") break;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") return Error::bad_request("the multipart body is malformed");
    pos += 2;
    const auto header_end = body.find("\r\n\r\n", pos);
    if (header_end == std::string_view::npos) return Error::bad_request("a multipart part has no header end");
    FormPart part;
    auto headers = body.substr(pos, header_end - pos);
    std::size_t line_start = 0;
    while (line_start <= headers.size()) {
      auto line_end = headers.find("\r\n", line_start);
      const auto line = headers.substr(
          line_start, line_end == std::string_view::npos ? std::string_view::npos : line_end - line_start);
      const auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        const auto name = lower(trim(line.substr(0, colon)));
        const auto value = trim(line.substr(colon + 1));
        if (name == "content-disposition") {
          part.name = parameter(value, "name").value_or("");
          part.filename = parameter(value, "filename").value_or("");
        } else if (name == "content-type") {
          part.content_type = value;
        }
      }
      if (line_end == std::string_view::npos) break;
      line_start = line_end + 2;
    }
    const auto data_start = header_end + 4;
    const auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return Error::bad_request("the multipart body has no closing boundary");
    if (next - data_start > part_limit) {
      return Error(Error::Code::payload_too_large,
                   "the part '" + part.name + "' is larger than " + std::to_string(part_limit / (1024 * 1024)) + " MB");
    }
    part.body = std::string(body.substr(data_start, next - data_start));
    if (part.name.empty()) return Error::bad_request("a multipart part has no name");
    parts.emplace(part.name, std::move(part));
    pos = next + 2;
  }
  return parts;
}

Expected<FormData> parse_multipart(const Request& request, std::size_t part_limit) {
  return parse_multipart(request.header("Content-Type").value_or(""), request.body, part_limit);
}

}  // namespace kam::http
