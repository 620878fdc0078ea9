#include "accounts/divisions.hpp"

#include <gtest/gtest.h>

#include <set>

#include "app/demo.hpp"

namespace kam::accounts {

TEST(Divisions, HasTheThirtyOneMainlandProvinces) {
  EXPECT_EQ(provinces().size(), 31u);
  std::set<std::string> codes;
  for (const auto& p : provinces()) {
    EXPECT_EQ(p.code.size(), 2u) << p.name;
    EXPECT_FALSE(p.cities.empty()) << p.name;
    codes.insert(p.code);
  }
  EXPECT_EQ(codes.size(), 31u);
  std::size_t cities = 0;
  for (const auto& p : provinces()) cities += p.cities.size();
  EXPECT_GT(cities, 330u);
  EXPECT_LT(cities, 400u);
}

TEST(Divisions, MunicipalitiesAreTheirOwnCity) {
  for (const char* name : {"北京市", "天津市", "上海市", "重庆市"}) {
    const auto* p = find_province(name);
    ASSERT_NE(p, nullptr) << name;
    ASSERT_EQ(p->cities.size(), 1u) << name;
    EXPECT_EQ(p->cities.front().name, name);
    EXPECT_TRUE(city_in_province(*p, name));
  }
}

TEST(Divisions, CityMustBelongToItsProvince) {
  const auto* guangdong = find_province("广东省");
  ASSERT_NE(guangdong, nullptr);
  EXPECT_TRUE(city_in_province(*guangdong, "深圳市"));
  EXPECT_TRUE(city_in_province(*guangdong, "东莞市"));
  EXPECT_FALSE(city_in_province(*guangdong, "苏州市"));
  EXPECT_FALSE(city_in_province(*guangdong, "深圳"));  // full names only
  EXPECT_FALSE(city_in_province(*guangdong, "市辖区"));
  EXPECT_EQ(find_province("广东"), nullptr);
  EXPECT_EQ(find_province("香港特别行政区"), nullptr);
  ASSERT_NE(find_province("广西壮族自治区"), nullptr);
  EXPECT_TRUE(known_city("乌鲁木齐市"));
  EXPECT_FALSE(known_city("省直辖县级行政区划"));
}

TEST(Divisions, ProvinceGovernedCountyCitiesAreListed) {
  EXPECT_TRUE(city_in_province(*find_province("湖北省"), "仙桃市"));
  EXPECT_TRUE(city_in_province(*find_province("河南省"), "济源市"));
  EXPECT_TRUE(city_in_province(*find_province("新疆维吾尔自治区"), "石河子市"));
  EXPECT_TRUE(city_in_province(*find_province("海南省"), "三亚市"));
}

TEST(Divisions, JsonForPickers) {
  const auto& doc = divisions_json();
  ASSERT_EQ(doc.at("items").size(), 31u);
  const auto& beijing = doc.at("items").at(0);
  EXPECT_EQ(beijing.at("code"), "11");
  EXPECT_EQ(beijing.at("name"), "北京市");
  EXPECT_EQ(beijing.at("cities").at(0).at("name"), "北京市");
}

// The demo company's accounts must pass the same validation as typed ones.
TEST(Divisions, DemoPlacesAreValid) {
  for (const auto& place : app::sample_places()) {
    const auto* p = find_province(place.province);
    ASSERT_NE(p, nullptr) << place.province;
    EXPECT_TRUE(city_in_province(*p, place.city)) << place.province << " " << place.city;
  }
}

}  // namespace kam::accounts
