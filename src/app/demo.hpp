// Realistic Chinese sample data: company names, provinces and cities, and
// `kam demo`, which fills an empty database with a demo company
// (departments, users in every role, accounts). The generators are also
// used by the benchmarks (bench/) to build 1M-account databases.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "platform/db/database.hpp"

namespace kam::app {

struct Place {
  std::string province;
  std::string city;
};

// Real provinces with a few of their prefecture-level cities.
const std::vector<Place>& sample_places();

class NameGenerator {
 public:
  explicit NameGenerator(std::uint64_t seed) : random_(seed) {}
  // e.g. "苏州华鼎精密机械有限公司", with its place and industry.
  struct Company {
    std::string name;
    std::string industry;
    Place place;
  };
  Company next();

 private:
  std::mt19937_64 random_;
};

struct DemoSummary {
  int departments = 0;
  int users = 0;
  int accounts = 0;
  std::string password;
};

// Fills the database with the demo company; refuses (returns nullopt via
// runtime_error) if accounts already exist. Users get `password`.
DemoSummary load_demo(db::Database& database, int accounts, const std::string& password);

}  // namespace kam::app
