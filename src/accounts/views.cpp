// Saved list views: validation and storage. A view belongs to its user only;
// reading, changing or deleting someone else's view answers not_found.
#include "accounts/views.hpp"

#include "accounts/accounts.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/fields.hpp"

namespace kam::accounts {

namespace {

constexpr const char* kSelect =
    "SELECT id, user_id, entity, name, query, version, created_at, updated_at FROM saved_views ";

SavedView from_row(const db::Row& r) {
  SavedView v;
  v.id = r.integer("id");
  v.user_id = r.integer("user_id");
  v.entity = r.text("entity");
  v.name = r.text("name");
  v.query = nlohmann::json::parse(r.text("query"), nullptr, false);
  if (v.query.is_discarded()) v.query = nlohmann::json::object();
  v.version = r.integer("version");
  v.created_at = r.text("created_at");
  v.updated_at = r.text("updated_at");
  return v;
}

std::optional<SavedView> load_own(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  const auto rows = c.query(std::string(kSelect) + "WHERE id = ? AND user_id = ?", {id, p.user_id});
  if (rows.empty()) return std::nullopt;
  return from_row(rows.front());
}

// Checks a query object against the account list's parameters.
void check_account_query(FieldReader& fields, const nlohmann::json& query) {
  ListQuery list;
  for (const auto& [key, value] : query.items()) {
    std::string text;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_boolean()) {
      text = value.get<bool>() ? "true" : "false";
    } else if (value.is_number_integer()) {
      text = std::to_string(value.get<std::int64_t>());
    } else {
      fields.fail("query." + key, "must be a string, an integer or a boolean");
      continue;
    }
    if (key == "q") {
      list.q = text;
    } else if (key == "sort") {
      list.sort = text;
    } else {
      list.filters[key] = text;
    }
  }
  if (auto checked = check_list_query(list); !checked) {
    for (const auto& e : checked.error().fields()) fields.fail("query." + e.field, e.message);
  }
}

}  // namespace

bool known_view_entity(const std::string& entity) {
  return entity == "accounts";
}

nlohmann::json to_json(const SavedView& v) {
  return {{"id", v.id},
          {"entity", v.entity},
          {"name", v.name},
          {"query", v.query},
          {"version", v.version},
          {"created_at", v.created_at},
          {"updated_at", v.updated_at}};
}

Expected<SavedViewInput> read_view_input(const nlohmann::json& body, bool creating) {
  FieldReader fields(body);
  SavedViewInput input;
  if (creating) {
    input.entity = fields.text("entity", 50, true).value;
    if (input.entity && !known_view_entity(*input.entity)) fields.fail("entity", "must be one of accounts");
  }
  input.name = fields.text("name", 100, creating || body.contains("name")).value;
  if (creating || body.contains("query")) {
    if (!body.contains("query") || !body.at("query").is_object()) {
      fields.fail("query", "must be an object of list parameters (q, sort, filters)");
    } else {
      input.query = body.at("query");
      check_account_query(fields, *input.query);  // the only entity so far
    }
  }
  if (!fields.ok()) return fields.error();
  return input;
}

Expected<SavedViewPage> list_views(db::Connection& c, const auth::Principal& p, const std::string& entity, int limit,
                                   int offset) {
  std::string where = "WHERE user_id = ?";
  db::Params params = {p.user_id};
  if (!entity.empty()) {
    if (!known_view_entity(entity)) {
      return Error(Error::Code::bad_request, "invalid query parameters", {{"entity", "must be one of accounts"}});
    }
    where += " AND entity = ?";
    params.emplace_back(entity);
  }
  SavedViewPage page;
  page.total = c.query("SELECT count(*) FROM saved_views " + where, params).front().integer(0);
  params.emplace_back(static_cast<std::int64_t>(limit));
  params.emplace_back(static_cast<std::int64_t>(offset));
  for (const auto& r : c.query(std::string(kSelect) + where + " ORDER BY name, id LIMIT ? OFFSET ?", params)) {
    page.items.push_back(from_row(r));
  }
  return page;
}

Expected<SavedView> create_view(db::Connection& c, const auth::Principal& p, const SavedViewInput& input) {
  if (!p.can("accounts.read")) return Error::forbidden();
  const auto now = now_text();
  const auto id = c.query(
                       "INSERT INTO saved_views (user_id, entity, name, query, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                       {p.user_id, *input.entity, *input.name, input.query->dump(), now, now})
                      .front()
                      .integer(0);
  return *load_own(c, p, id);
}

Expected<SavedView> get_view(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  auto found = load_own(c, p, id);
  if (!found) return Error::not_found("saved view");
  return *found;
}

Expected<SavedView> update_view(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                                const SavedViewInput& input) {
  db::Transaction tx(c, true);
  auto before = load_own(c, p, id);
  if (!before) return Error::not_found("saved view");
  if (before->version != version) {
    return Error::conflict("the view was changed meanwhile (version " + std::to_string(before->version) +
                           "); reload and try again");
  }
  const auto changed = c.query(
      "UPDATE saved_views SET name = ?, query = ?, version = version + 1, updated_at = ? "
      "WHERE id = ? AND user_id = ? AND version = ?",
      {input.name.value_or(before->name), input.query.value_or(before->query).dump(), now_text(), id, p.user_id,
       version});
  if (changed.affected != 1) return Error::conflict("the view was changed meanwhile; reload and try again");
  auto after = *load_own(c, p, id);
  tx.commit();
  return after;
}

Status delete_view(db::Connection& c, const auth::Principal& p, std::int64_t id) {
  const auto changed = c.query("DELETE FROM saved_views WHERE id = ? AND user_id = ?", {id, p.user_id});
  if (changed.affected != 1) return Error::not_found("saved view");
  return ok_status();
}

}  // namespace kam::accounts
