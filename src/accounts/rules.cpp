// Pure rules of the accounts module: input validation, archive numbers,
// list-query checks, market-stage priorities. No storage here; tested alone
// in rules_test.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <regex>

#include "accounts/accounts.hpp"
#include "accounts/credit_code.hpp"
#include "accounts/divisions.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/json_writer.hpp"
#include "platform/http/router.hpp"

namespace kam::accounts {

namespace {

// The enumerated fields; keep in step with docs/archive-api.md, the
// OpenAPI document (Account schema) and the web app's option lists.
const std::map<std::string, std::vector<std::string>>& enums() {
  static const std::map<std::string, std::vector<std::string>> all = {
      {"ownership_type", {"state_owned", "private", "foreign", "joint_venture", "collective", "other"}},
      {"procurement_mode", {"centralized", "decentralized"}},
      {"customer_kind", {"channel", "end_user"}},
      {"price_sensitivity", {"high", "medium", "low"}},
      {"tier", {"A", "B", "C"}},
      {"market_stage", {"mature", "development", "rectification"}},
      {"relationship_stage", {"establish", "stabilize", "strengthen"}},
  };
  return all;
}

std::string one_of(const std::vector<std::string>& values) {
  return "must be one of " + fmt::format("{}", fmt::join(values, ", "));
}

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

TextChange choice(FieldReader& fields, const std::string& name) {
  auto change = fields.text(name, 50);
  const auto& allowed = allowed_values(name);
  if (change.value && !contains(allowed, *change.value)) {
    fields.fail(name, one_of(allowed));
    change.value.reset();
  }
  return change;
}

IntegerChange whole(FieldReader& fields, const std::string& name, std::int64_t min, std::int64_t max) {
  auto [present, value] = fields.nullable_integer(name);
  if (value && (*value < min || *value > max)) {
    fields.fail(name,
                *value < min ? "must be at least " + std::to_string(min) : "must be at most " + std::to_string(max));
    return {};
  }
  return {present, value};
}

std::optional<std::int64_t> parse_integer(const std::string& text) {
  std::int64_t n = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return n;
}

bool is_date_or_instant(const std::string& text) {
  static const std::regex pattern(R"(^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z?)?$)");
  return std::regex_match(text, pattern);
}

}  // namespace

const std::vector<std::string>& allowed_values(const std::string& field) {
  static const std::vector<std::string> none;
  const auto it = enums().find(field);
  return it == enums().end() ? none : it->second;
}

Status check_place(const std::optional<std::string>& province, const std::optional<std::string>& city) {
  if (province) {
    const auto* known = find_province(*province);
    if (known == nullptr) {
      return Error::invalid(
          {{"province", "must be the full name of a province (e.g. 广东省, 北京市); see GET /divisions"}});
    }
    if (city && !city_in_province(*known, *city)) {
      return Error::invalid(
          {{"city", "must be a city of " + *province + " (e.g. " + known->cities.front().name + ")"}});
    }
  } else if (city && !known_city(*city)) {
    return Error::invalid(
        {{"city", "must be the full name of a prefecture-level city (e.g. 深圳市); see GET /divisions"}});
  }
  return ok_status();
}

Expected<AccountInput> read_input(const nlohmann::json& body, bool creating) {
  FieldReader fields(body);
  AccountInput input;
  input.name = fields.text("name", 200, creating || body.contains("name"));
  input.industry = fields.text("industry", 100);
  input.province = fields.text("province", 50);
  input.city = fields.text("city", 50);
  input.address = fields.text("address", 500);

  input.credit_code = fields.text("credit_code", 50);
  if (input.credit_code.value) {
    *input.credit_code.value = normalize_credit_code(*input.credit_code.value);
    if (auto problem = credit_code_problem(*input.credit_code.value)) {
      fields.fail("credit_code", *problem);
      input.credit_code.value.reset();
    }
  }
  input.ownership_type = choice(fields, "ownership_type");
  input.employees = whole(fields, "employees", 0, 100'000'000);
  input.annual_revenue_fen = whole(fields, "annual_revenue_fen", 0, std::numeric_limits<std::int64_t>::max());
  input.founded_year = whole(fields, "founded_year", 1800, current_year());
  input.website = fields.text("website", 200);
  input.business_status = fields.text("business_status", 500);
  input.procurement_mode = choice(fields, "procurement_mode");
  input.customer_kind = choice(fields, "customer_kind");
  input.needs = fields.text("needs", 2000);
  input.preferences = fields.text("preferences", 2000);
  input.price_sensitivity = choice(fields, "price_sensitivity");
  input.tier = choice(fields, "tier");
  input.tier_override_reason = fields.text("tier_override_reason", 500);
  input.market_stage = choice(fields, "market_stage");
  input.relationship_stage = choice(fields, "relationship_stage");
  if (input.relationship_stage.present && !input.relationship_stage.value && fields.ok()) {
    fields.fail("relationship_stage", one_of(allowed_values("relationship_stage")));
  }
  // A tier chosen by hand overrides the computed one: say why.
  if (input.tier.value && !input.tier_override_reason.value && !body.contains("tier_override_reason")) {
    fields.fail("tier_override_reason", "is required when tier is set by hand");
  } else if (input.tier.value && !input.tier_override_reason.value) {
    fields.fail("tier_override_reason", "must not be blank when tier is set by hand");
  }
  if (!fields.ok()) return fields.error();
  if (creating) {
    if (auto placed = check_place(input.province.value, input.city.value); !placed) return placed.error();
  }
  return input;
}

std::string archive_number(int year, std::int64_t n) {
  return fmt::format("KA-{:04}-{:06}", year, n);
}

const std::vector<std::string>& list_sorts() {
  static const std::vector<std::string> sorts = {"id",
                                                 "name",
                                                 "created_at",
                                                 "updated_at",
                                                 "archive_no",
                                                 "tier",
                                                 "annual_revenue_fen",
                                                 "employees",
                                                 "last_activity_at"};
  return sorts;
}

const std::vector<std::string>& list_filters() {
  static const std::vector<std::string> filters = {"owner_id",
                                                   "department_id",
                                                   "province",
                                                   "city",
                                                   "industry",
                                                   "ownership_type",
                                                   "procurement_mode",
                                                   "customer_kind",
                                                   "price_sensitivity",
                                                   "tier",
                                                   "market_stage",
                                                   "relationship_stage",
                                                   "credit_code",
                                                   "in_pool",
                                                   "employees_min",
                                                   "employees_max",
                                                   "annual_revenue_fen_min",
                                                   "annual_revenue_fen_max",
                                                   "founded_year_min",
                                                   "founded_year_max",
                                                   "last_activity_before",
                                                   "last_activity_after"};
  return filters;
}

Status check_list_query(const ListQuery& query) {
  std::vector<FieldError> errors;
  const std::string sort_field = !query.sort.empty() && query.sort.front() == '-' ? query.sort.substr(1) : query.sort;
  if (!query.sort.empty() && !contains(list_sorts(), sort_field)) {
    errors.push_back(
        {"sort", "must be one of " + fmt::format("{}", fmt::join(list_sorts(), ", ")) + " (prefix - for descending)"});
  }
  const auto ends_with = [](const std::string& s, const std::string& tail) {
    return s.size() > tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  for (const auto& [name, value] : query.filters) {
    if (!contains(list_filters(), name)) {
      errors.push_back({name, "is not a filter of accounts"});
    } else if ((name == "owner_id" || name == "department_id") && !http::parse_id(value)) {
      errors.push_back({name, "must be a positive integer"});
    } else if (name == "in_pool" && value != "true" && value != "false") {
      errors.push_back({name, "must be true or false"});
    } else if ((ends_with(name, "_min") || ends_with(name, "_max")) && !parse_integer(value)) {
      errors.push_back({name, "must be an integer"});
    } else if (name.rfind("last_activity_", 0) == 0 && !is_date_or_instant(value)) {
      errors.push_back({name, "must be a date (YYYY-MM-DD) or a UTC instant (YYYY-MM-DDTHH:MM:SSZ)"});
    } else if (!allowed_values(name).empty() && !contains(allowed_values(name), value)) {
      errors.push_back({name, one_of(allowed_values(name))});
    }
  }
  if (!errors.empty()) return Error(Error::Code::bad_request, "invalid query parameters", errors);
  return ok_status();
}

nlohmann::json market_stage_priorities(const std::optional<std::string>& market_stage) {
  // The core functions (核心职能) of the team by market stage, most important
  // first, from the key-account management course (团队建设管理(三): 不同经营
  // 阶段团队的核心职能不同).
  struct Function {
    const char* key;
    const char* zh;
    const char* en;
  };
  static const Function supervision{"store_supervision", "店铺督导", "Store supervision"};
  static const Function development{"deep_development", "深度开发", "Deep development"};
  static const Function support{"sales_support", "销售支持", "Sales support"};
  static const Function promotion{"promotion", "市场推广", "Market promotion"};
  static const std::map<std::string, std::vector<Function>> by_stage = {
      {"mature", {supervision, promotion, support, development}},
      {"development", {development, promotion, support, supervision}},
      {"rectification", {support, supervision, promotion, development}},
  };
  nlohmann::json out = nlohmann::json::array();
  if (!market_stage) return out;
  const auto it = by_stage.find(*market_stage);
  if (it == by_stage.end()) return out;
  for (const auto& f : it->second) out.push_back({{"key", f.key}, {"label_zh", f.zh}, {"label_en", f.en}});
  return out;
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
          {"credit_code", opt(a.credit_code)},
          {"ownership_type", opt(a.ownership_type)},
          {"employees", opt(a.employees)},
          {"annual_revenue_fen", opt(a.annual_revenue_fen)},
          {"founded_year", opt(a.founded_year)},
          {"website", opt(a.website)},
          {"business_status", opt(a.business_status)},
          {"procurement_mode", opt(a.procurement_mode)},
          {"customer_kind", opt(a.customer_kind)},
          {"needs", opt(a.needs)},
          {"preferences", opt(a.preferences)},
          {"price_sensitivity", opt(a.price_sensitivity)},
          {"tier", opt(a.tier)},
          {"tier_override_reason", opt(a.tier_override_reason)},
          {"market_stage", opt(a.market_stage)},
          {"relationship_stage", a.relationship_stage},
          {"last_activity_at", opt(a.last_activity_at)},
          {"owned_since", opt(a.owned_since)},
          {"in_pool", a.in_pool()},
          {"version", a.version},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at}};
}

void append_json(const Account& a, std::string& out) {
  // Keys in sorted order: the bytes of to_json(a).dump() (json_writer_test,
  // rules_test check it).
  json_writer::Object(out)
      .field("address", a.address)
      .field("annual_revenue_fen", a.annual_revenue_fen)
      .field("archive_no", std::string_view(a.archive_no))
      .field("business_status", a.business_status)
      .field("city", a.city)
      .field("created_at", std::string_view(a.created_at))
      .field("credit_code", a.credit_code)
      .field("customer_kind", a.customer_kind)
      .field("department_id", a.department_id)
      .field("department_name", a.department_name)
      .field("employees", a.employees)
      .field("founded_year", a.founded_year)
      .field("id", a.id)
      .field("in_pool", a.in_pool())
      .field("industry", a.industry)
      .field("last_activity_at", a.last_activity_at)
      .field("market_stage", a.market_stage)
      .field("name", std::string_view(a.name))
      .field("needs", a.needs)
      .field("owned_since", a.owned_since)
      .field("owner_id", a.owner_id)
      .field("owner_name", a.owner_name)
      .field("ownership_type", a.ownership_type)
      .field("preferences", a.preferences)
      .field("price_sensitivity", a.price_sensitivity)
      .field("procurement_mode", a.procurement_mode)
      .field("province", a.province)
      .field("relationship_stage", std::string_view(a.relationship_stage))
      .field("tier", a.tier)
      .field("tier_override_reason", a.tier_override_reason)
      .field("updated_at", std::string_view(a.updated_at))
      .field("version", a.version)
      .field("website", a.website);
}

void append_detail_json(const Account& a, std::string& out) {
  append_json(a, out);
  out.pop_back();  // the closing brace: one more member
  out += ",\"market_stage_priorities\":";
  out += market_stage_priorities(a.market_stage).dump();
  out.push_back('}');
}

nlohmann::json to_detail_json(const Account& a) {
  auto out = to_json(a);
  out["market_stage_priorities"] = market_stage_priorities(a.market_stage);
  return out;
}

}  // namespace kam::accounts
