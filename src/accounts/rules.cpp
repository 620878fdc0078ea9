// Pure rules of the accounts module: input validation, archive numbers,
// list-query checks. No storage here; tested alone in rules_test.cpp.
#include <fmt/format.h>

#include "accounts/accounts.hpp"
#include "platform/http/router.hpp"

namespace kam::accounts {

Expected<AccountInput> read_input(const nlohmann::json& body, bool creating) {
  FieldReader fields(body);
  AccountInput input;
  input.name = fields.text("name", 200, creating || body.contains("name"));
  input.industry = fields.text("industry", 100);
  input.province = fields.text("province", 50);
  input.city = fields.text("city", 50);
  input.address = fields.text("address", 500);
  if (!fields.ok()) return fields.error();
  return input;
}

std::string archive_number(int year, std::int64_t n) { return fmt::format("KA-{:04}-{:06}", year, n); }

Status check_list_query(const ListQuery& query) {
  static const std::vector<std::string> sorts = {"",           "id",          "-id",        "name",
                                                 "-name",      "created_at",  "-created_at", "updated_at",
                                                 "-updated_at", "archive_no", "-archive_no"};
  static const std::vector<std::string> filters = {"owner_id", "department_id", "province", "city", "industry"};
  std::vector<FieldError> errors;
  if (std::find(sorts.begin(), sorts.end(), query.sort) == sorts.end()) {
    errors.push_back({"sort", "must be one of name, created_at, updated_at, archive_no, id (prefix - for descending)"});
  }
  for (const auto& [name, value] : query.filters) {
    if (std::find(filters.begin(), filters.end(), name) == filters.end()) {
      errors.push_back({name, "is not a filter of accounts"});
    } else if ((name == "owner_id" || name == "department_id") && !http::parse_id(value)) {
      errors.push_back({name, "must be a positive integer"});
    }
  }
  if (!errors.empty()) return Error(Error::Code::bad_request, "invalid query parameters", errors);
  return ok_status();
}

nlohmann::json to_json(const Account& a) {
  using nlohmann::json;
  auto opt = [](const auto& v) { return v ? json(*v) : json(); };
  return {{"id", a.id},
          {"archive_no", a.archive_no},
          {"name", a.name},
          {"industry", opt(a.industry)},
          {"province", opt(a.province)},
          {"city", opt(a.city)},
          {"address", opt(a.address)},
          {"owner_id", opt(a.owner_id)},
          {"owner_name", opt(a.owner_name)},
          {"department_id", opt(a.department_id)},
          {"department_name", opt(a.department_name)},
          {"version", a.version},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at}};
}

}  // namespace kam::accounts
