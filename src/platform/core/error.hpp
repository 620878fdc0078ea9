// Expected failures as values: every request-level outcome that is not a bug
// (not found, conflict, invalid input, forbidden, gate not met...) is an
// Error carried in an Expected<T>. The HTTP layer maps Error::Code to a status
// code in exactly one place (http/problem.cpp).
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kam {

struct FieldError {
  std::string field;
  std::string message;
};

class Error {
 public:
  enum class Code {
    bad_request,        // 400 malformed input
    unauthenticated,    // 401
    forbidden,          // 403 the role lacks the action
    not_found,          // 404 missing or outside the caller's data scope
    conflict,           // 409 stale version or duplicate
    payload_too_large,  // 413
    unsupported_media,  // 415
    invalid,            // 422 validation failed (see fields)
    too_many_requests,  // 429
    internal,           // 500
  };

  Error(Code code, std::string detail, std::vector<FieldError> fields = {})
      : code_(code), detail_(std::move(detail)), fields_(std::move(fields)) {}

  Code code() const { return code_; }
  const std::string& detail() const { return detail_; }
  const std::vector<FieldError>& fields() const { return fields_; }

  static Error not_found(std::string what) { return {Code::not_found, std::move(what) + " not found"}; }
  static Error forbidden(std::string detail = "your role does not allow this action") {
    return {Code::forbidden, std::move(detail)};
  }
  static Error conflict(std::string detail) { return {Code::conflict, std::move(detail)}; }
  static Error bad_request(std::string detail) { return {Code::bad_request, std::move(detail)}; }
  static Error invalid(std::vector<FieldError> fields) {
    return {Code::invalid, "validation failed", std::move(fields)};
  }

 private:
  Code code_;
  std::string detail_;
  std::vector<FieldError> fields_;
};

// A value or an Error. Small on purpose (std::expected is C++23).
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}           // NOLINT(google-explicit-constructor)
  Expected(Error error) : state_(std::move(error)) {}       // NOLINT(google-explicit-constructor)
  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

struct Unit {};
using Status = Expected<Unit>;
inline Status ok_status() { return Unit{}; }

}  // namespace kam
