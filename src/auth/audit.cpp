#include "auth/audit.hpp"

#include "platform/core/clock.hpp"

namespace kam::auth {

using nlohmann::json;

void write_audit(db::Connection& connection, std::optional<std::int64_t> user_id, const std::string& entity,
                 std::int64_t entity_id, const std::string& action, const json& before, const json& after) {
  auto text = [](const json& j) -> db::Value {
    if (j.is_null()) return nullptr;
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
  };
  connection.query(
      "INSERT INTO audit_log (at, user_id, entity, entity_id, action, before_json, after_json) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {now_text(), user_id ? db::Value(*user_id) : db::Value(nullptr), entity, entity_id, action, text(before),
       text(after)});
}

void AuditLog::register_entity(const std::string& entity, VisibilityCheck check) {
  checks_[entity] = std::move(check);
}

Expected<json> AuditLog::list(db::Connection& connection, const Principal& principal, const std::string& entity,
                              std::int64_t entity_id, int limit, int offset) const {
  auto it = checks_.find(entity);
  if (it == checks_.end()) {
    return Error(Error::Code::bad_request, "invalid query parameters", {{"entity", "unknown entity: " + entity}});
  }
  if (!it->second(connection, principal, entity_id)) return Error::not_found(entity);
  const auto rows = connection.query(
      "SELECT l.id, l.at, l.user_id, u.display_name AS user_name, l.action, l.entity, l.entity_id, "
      "l.before_json, l.after_json FROM audit_log l LEFT JOIN users u ON u.id = l.user_id "
      "WHERE l.entity = ? AND l.entity_id = ? ORDER BY l.id DESC LIMIT ? OFFSET ?",
      {entity, entity_id, static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset)});
  json items = json::array();
  for (const auto& row : rows) {
    auto parse = [](const std::optional<std::string>& text) {
      return text ? json::parse(*text, nullptr, false) : json(nullptr);
    };
    items.push_back({{"id", row.integer("id")},
                     {"at", row.text("at")},
                     {"user_id", row.optional_integer("user_id") ? json(*row.optional_integer("user_id")) : json()},
                     {"user_name", row.optional_text("user_name") ? json(*row.optional_text("user_name")) : json()},
                     {"action", row.text("action")},
                     {"entity", row.text("entity")},
                     {"entity_id", row.integer("entity_id")},
                     {"before", parse(row.optional_text("before_json"))},
                     {"after", parse(row.optional_text("after_json"))}});
  }
  const auto total =
      connection.query("SELECT count(*) FROM audit_log WHERE entity = ? AND entity_id = ?", {entity, entity_id});
  return json{{"items", std::move(items)}, {"total", total.front().integer(0)}};
}

}  // namespace kam::auth
