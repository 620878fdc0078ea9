// Reads fields of a JSON request body with validation, collecting every
// problem as a FieldError so a 422 lists them all at once. A field that is
// absent is left alone; `null` clears an optional text field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/core/error.hpp"

namespace kam {

// A text field in a PATCH: absent (not touched), null (cleared) or a value.
struct TextChange {
  bool present = false;
  std::optional<std::string> value;
};

class FieldReader {
 public:
  explicit FieldReader(const nlohmann::json& body) : body_(body) {}

  bool has(const std::string& name) const { return body_.contains(name); }

  // Trimmed text of at most max_length characters; required fields reject
  // absent, null and blank values.
  TextChange text(const std::string& name, std::size_t max_length, bool required = false);
  std::optional<std::int64_t> integer(const std::string& name, bool required = false,
                                      std::optional<std::int64_t> min = std::nullopt,
                                      std::optional<std::int64_t> max = std::nullopt);
  // `null` reads as present-and-empty: returns {true, nullopt}.
  std::pair<bool, std::optional<std::int64_t>> nullable_integer(const std::string& name);
  std::optional<bool> boolean(const std::string& name);
  std::optional<std::vector<std::int64_t>> integer_list(const std::string& name);

  void fail(const std::string& field, const std::string& message) { errors_.push_back({field, message}); }
  bool ok() const { return errors_.empty(); }
  Error error() const { return Error::invalid(errors_); }

 private:
  const nlohmann::json& body_;
  std::vector<FieldError> errors_;
};

}  // namespace kam
