// Builds the province → cities tree once from the generated rows.
#include "accounts/divisions.hpp"

#include <algorithm>

namespace kam::accounts {

const std::vector<Province>& provinces() {
  static const std::vector<Province> all = [] {
    std::vector<Province> out;
    for (std::size_t i = 0; i < divisions_data::kRowCount; ++i) {
      const auto& row = divisions_data::kRows[i];
      if (out.empty() || out.back().code != row.province_code)
        out.push_back({row.province_code, row.province_name, {}});
      out.back().cities.push_back({row.city_code, row.city_name});
    }
    return out;
  }();
  return all;
}

const Province* find_province(std::string_view name) {
  for (const auto& p : provinces()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

bool city_in_province(const Province& province, std::string_view city) {
  return std::any_of(province.cities.begin(), province.cities.end(), [&](const City& c) { return c.name == city; });
}

bool known_city(std::string_view city) {
  const auto& all = provinces();
  return std::any_of(all.begin(), all.end(), [&](const Province& p) { return city_in_province(p, city); });
}

const nlohmann::json& divisions_json() {
  static const nlohmann::json document = [] {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& p : provinces()) {
      nlohmann::json cities = nlohmann::json::array();
      for (const auto& c : p.cities) cities.push_back({{"code", c.code}, {"name", c.name}});
      items.push_back({{"code", p.code}, {"name", p.name}, {"cities", cities}});
    }
    return nlohmann::json{{"items", items}};
  }();
  return document;
}

}  // namespace kam::accounts
