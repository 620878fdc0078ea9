// Contacts (联系人) of an account and its buying centre (采购决策链): who
// decides, who influences, who uses, who guards the door, who is our insider,
// and how they feel about us. This is the module's contract. Owns table
// contacts; the storage itself is the shared record table of
// accounts/records.hpp.
//
// Contacts follow their account's data scope: a contact of an account the
// caller cannot see is not_found, and creating one for such an account is 422
// on account_id. Writes need accounts.write; every change is audited (entity
// "contact").
//
// The decision-maker-left rule: when a decision maker leaves (or a contact
// who has left is made the decision maker) the account loses its footing, so
// its relationship_stage falls back to establish - in the same transaction,
// audited on the account with reason "decision_maker_left".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "accounts/records.hpp"
#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::contacts {

inline constexpr const char* kDecisionMaker = "decision_maker";
inline constexpr const char* kLeft = "left";
inline constexpr const char* kFallbackReason = "decision_maker_left";

// What the rule looks at in a contact.
struct ContactState {
  std::optional<std::string> buying_role;  // decision_maker | influencer | user | gatekeeper | insider
  std::string status = "active";           // active | left
};

// Pure: does this change of a contact (before = nullopt on create) make the
// account fall back to establish? Yes when the change leaves the account with
// a departed decision maker it did not have before: a decision maker's status
// becomes left (even if the role changes in the same edit), or a contact who
// has left becomes the decision maker. Creating a contact never does.
bool decision_maker_left(const std::optional<ContactState>& before, const ContactState& after);

// The contacts table: fields, validation and the rule as hooks.
const accounts::RecordTable& contact_table();

// Validated body → record; the same operations the routes use.
Expected<nlohmann::json> create_contact(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
Expected<nlohmann::json> update_contact(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                        std::int64_t version, const nlohmann::json& body);

// {account_id, relationship_stage, contacts: [all contacts, active and left],
//  summary: {decision_makers, supporters, opponents, insiders}} - the summary
// counts active contacts only. not_found when the account is invisible.
Expected<nlohmann::json> buying_center(db::Connection& c, const auth::Principal& p, std::int64_t account_id);

}  // namespace kam::contacts
