#include "platform/core/fields.hpp"

#include "platform/core/text.hpp"

namespace kam {

TextChange FieldReader::text(const std::string& name, std::size_t max_length, bool required) {
  TextChange change;
  if (!body_.contains(name)) {
    if (required) fail(name, "is required");
    return change;
  }
  const auto& value = body_.at(name);
  change.present = true;
  if (value.is_null()) {
    if (required) fail(name, "is required");
    return change;
  }
  if (!value.is_string()) {
    fail(name, "must be a string");
    return change;
  }
  std::string trimmed = text::trim(value.get<std::string>());
  if (trimmed.empty()) {
    if (required) fail(name, "must not be blank");
    return change;  // blank optional text is stored as null
  }
  if (text::length(trimmed) > max_length) {
    fail(name, "must be at most " + std::to_string(max_length) + " characters");
    return change;
  }
  for (const unsigned char c : trimmed) {
    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
      fail(name, "must not contain control characters");
      return change;
    }
  }
  change.value = std::move(trimmed);
  return change;
}

std::optional<std::int64_t> FieldReader::integer(const std::string& name, bool required,
                                                 std::optional<std::int64_t> min,
                                                 std::optional<std::int64_t> max) {
  if (!body_.contains(name) || body_.at(name).is_null()) {
    if (required) fail(name, "is required");
    return std::nullopt;
  }
  const auto& value = body_.at(name);
  if (!value.is_number_integer()) {
    fail(name, "must be an integer");
    return std::nullopt;
  }
  const auto n = value.get<std::int64_t>();
  if (min && n < *min) {
    fail(name, "must be at least " + std::to_string(*min));
    return std::nullopt;
  }
  if (max && n > *max) {
    fail(name, "must be at most " + std::to_string(*max));
    return std::nullopt;
  }
  return n;
}

std::pair<bool, std::optional<std::int64_t>> FieldReader::nullable_integer(const std::string& name) {
  if (!body_.contains(name)) return {false, std::nullopt};
  if (body_.at(name).is_null()) return {true, std::nullopt};
  auto n = integer(name);
  return {n.has_value(), n};
}

std::optional<bool> FieldReader::boolean(const std::string& name) {
  if (!body_.contains(name) || body_.at(name).is_null()) return std::nullopt;
  if (!body_.at(name).is_boolean()) {
    fail(name, "must be true or false");
    return std::nullopt;
  }
  return body_.at(name).get<bool>();
}

std::optional<std::vector<std::int64_t>> FieldReader::integer_list(const std::string& name) {
  if (!body_.contains(name) || body_.at(name).is_null()) return std::nullopt;
  const auto& value = body_.at(name);
  if (!value.is_array()) {
    fail(name, "must be a list of integers");
    return std::nullopt;
  }
  std::vector<std::int64_t> out;
  for (const auto& item : value) {
    if (!item.is_number_integer()) {
      fail(name, "must be a list of integers");
      return std::nullopt;
    }
    out.push_back(item.get<std::int64_t>());
  }
  return out;
}

}  // namespace kam
