// Saved list views (保存的视图): a user's named list queries (search, sort,
// filters) for a list page, e.g. "我的 A 类客户". Owns table saved_views.
// Views are private: another user's view is not_found. The query is checked
// against the list it is for (entity "accounts": check_list_query), so a
// saved view always opens. Thread-safe like accounts.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::accounts {

struct SavedView {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string entity;  // "accounts"
  std::string name;
  nlohmann::json query;  // {q?, sort?, <filter>: value, ...}
  std::int64_t version = 0;
  std::string created_at, updated_at;
};

nlohmann::json to_json(const SavedView& view);

// The fields of a create or update body, validated (name ≤ 100 characters;
// query an object whose keys are q, sort or filters of the entity's list,
// values strings, numbers or booleans).
struct SavedViewInput {
  std::optional<std::string> entity;  // create only
  std::optional<std::string> name;
  std::optional<nlohmann::json> query;
};
Expected<SavedViewInput> read_view_input(const nlohmann::json& body, bool creating);

// The entities that have saved views.
bool known_view_entity(const std::string& entity);

struct SavedViewPage {
  std::vector<SavedView> items;
  std::int64_t total = 0;
};

// The caller's views, by name; `entity` empty means all entities.
Expected<SavedViewPage> list_views(db::Connection& c, const auth::Principal& p, const std::string& entity, int limit,
                                   int offset);
Expected<SavedView> create_view(db::Connection& c, const auth::Principal& p, const SavedViewInput& input);
Expected<SavedView> get_view(db::Connection& c, const auth::Principal& p, std::int64_t id);
Expected<SavedView> update_view(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                                const SavedViewInput& input);
Status delete_view(db::Connection& c, const auth::Principal& p, std::int64_t id);

}  // namespace kam::accounts
