// Writes JSON straight into a string, for the hot list endpoints where
// building an nlohmann tree per row (a std::map and an allocation per field)
// costs more than the query. The output is byte for byte what
// nlohmann::json::dump() writes for the same values when keys are written in
// sorted order (nlohmann's object order), so callers can test one against the
// other. Strings must be valid UTF-8 (everything stored passed validation).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kam::json_writer {

// Appends `text` as a JSON string literal, escaped as nlohmann::json::dump
// escapes it: \" \\ \b \f \n \r \t, other control characters as \u00xx,
// everything else (UTF-8 included) as is.
void append_string(std::string& out, std::string_view text);

// One object being written: the caller writes keys in sorted order. Keys
// are written without escaping (they are source identifiers).
class Object {
 public:
  explicit Object(std::string& out) : out_(out) { out_.push_back('{'); }
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;
  ~Object() { out_.push_back('}'); }

  Object& field(std::string_view key, std::string_view value) {
    key_(key);
    append_string(out_, value);
    return *this;
  }
  Object& field(std::string_view key, std::int64_t value) {
    key_(key);
    out_ += std::to_string(value);
    return *this;
  }
  Object& field(std::string_view key, bool value) {
    key_(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  Object& field(std::string_view key, const std::optional<std::string>& value) {
    if (!value) return null(key);
    return field(key, std::string_view(*value));
  }
  Object& field(std::string_view key, const std::optional<std::int64_t>& value) {
    if (!value) return null(key);
    return field(key, *value);
  }
  Object& null(std::string_view key) {
    key_(key);
    out_ += "null";
    return *this;
  }
  // A member whose value the caller appends to out() itself.
  std::string& raw(std::string_view key) {
    key_(key);
    return out_;
  }

 private:
  // Keys are identifiers written in the source (letters, digits, '_'):
  // nothing to escape, so they are copied as they are.
  void key_(std::string_view key) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(key);
    out_.append("\":", 2);
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace kam::json_writer
