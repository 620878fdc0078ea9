// Contacts as a record table (accounts/records.hpp) plus the rule hook and
// the buying-centre view.
#include "accounts/relationship.hpp"
#include "contacts/contacts.hpp"

namespace kam::contacts {

using accounts::Field;
using nlohmann::json;

namespace {

ContactState state_of(const json& record) {
  ContactState s;
  if (record["buying_role"].is_string()) s.buying_role = record["buying_role"].get<std::string>();
  s.status = record["status"].get<std::string>();
  return s;
}

accounts::RecordTable make_table() {
  accounts::RecordTable t;
  t.table = "contacts";
  t.entity = "contact";
  t.fields = {
      {.name = "account_id", .kind = Field::Kind::id, .required = true, .on_create_only = true},
      {.name = "name", .max_length = 100, .required = true},
      {.name = "title", .max_length = 100},
      {.name = "department", .max_length = 100},
      {.name = "phone", .max_length = 50},
      {.name = "email", .max_length = 200},
      {.name = "buying_role",
       .kind = Field::Kind::choice,
       .choices = {kDecisionMaker, "influencer", "user", "gatekeeper", "insider"}},
      {.name = "attitude", .kind = Field::Kind::choice, .choices = {"supporter", "neutral", "opponent"}},
      {.name = "relationship_level", .kind = Field::Kind::integer, .min = 1, .max = 5},
      {.name = "status", .kind = Field::Kind::choice, .choices = {"active", kLeft}, .not_null = true},
      {.name = "notes", .max_length = 2000},
  };
  t.after_change = [](db::Connection& c, const auth::Principal& p, const json& before, const json& after) -> Status {
    const auto old_state = before.is_null() ? std::nullopt : std::optional<ContactState>(state_of(before));
    if (decision_maker_left(old_state, state_of(after))) {
      accounts::fall_back_relationship(c, p.user_id, after["account_id"].get<std::int64_t>(), kFallbackReason);
    }
    return ok_status();
  };
  return t;
}

}  // namespace

const accounts::RecordTable& contact_table() {
  static const accounts::RecordTable table = make_table();
  return table;
}

Expected<json> create_contact(db::Connection& c, const auth::Principal& p, const json& body) {
  auto values = accounts::read_fields(body, contact_table().fields, true);
  if (!values) return values.error();
  return accounts::create_record(c, p, contact_table(), *values);
}

Expected<json> update_contact(db::Connection& c, const auth::Principal& p, std::int64_t id, std::int64_t version,
                              const json& body) {
  auto values = accounts::read_fields(body, contact_table().fields, false);
  if (!values) return values.error();
  return accounts::update_record(c, p, contact_table(), id, version, *values);
}

Expected<json> buying_center(db::Connection& c, const auth::Principal& p, std::int64_t account_id) {
  if (auto s = accounts::require_visible_account(c, p, account_id); !s) return s.error();
  accounts::RecordQuery query;
  query.equals = {{"account_id", account_id}};
  query.order = "t.id";
  query.limit = 0;  // every contact of the account
  auto contacts = accounts::list_records(c, p, contact_table(), query);
  if (!contacts) return contacts.error();
  int decision_makers = 0, supporters = 0, opponents = 0, insiders = 0;
  for (const auto& contact : (*contacts)["items"]) {
    if (contact["status"] != "active") continue;
    decision_makers += contact["buying_role"] == kDecisionMaker;
    insiders += contact["buying_role"] == "insider";
    supporters += contact["attitude"] == "supporter";
    opponents += contact["attitude"] == "opponent";
  }
  return json{{"account_id", account_id},
              {"relationship_stage", accounts::relationship_stage(c, account_id).value_or(accounts::kEstablish)},
              {"contacts", (*contacts)["items"]},
              {"summary",
               {{"decision_makers", decision_makers},
                {"supporters", supporters},
                {"opponents", opponents},
                {"insiders", insiders}}}};
}

}  // namespace kam::contacts
