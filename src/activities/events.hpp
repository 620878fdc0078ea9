// Events (产品介绍会 / 研讨会): date, place, topic; invitations of contacts,
// attendance, and leads raised from attendees (a task for the caller linked
// to the invitation, on the attendee's account). Events belong to their
// organiser (owner_id) and follow the data scope like accounts; an
// invitation needs the contact's account to be visible.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::activities {

Expected<nlohmann::json> list_events(db::Connection& c, const auth::Principal& p, int limit, int offset);
Expected<nlohmann::json> get_event(db::Connection& c, const auth::Principal& p, std::int64_t id);
Expected<nlohmann::json> create_event(db::Connection& c, const auth::Principal& p, const nlohmann::json& body);
Expected<nlohmann::json> update_event(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                      std::int64_t version, const nlohmann::json& body);
Status delete_event(db::Connection& c, const auth::Principal& p, std::int64_t id);

Expected<nlohmann::json> list_invitations(db::Connection& c, const auth::Principal& p, std::int64_t event_id);
Expected<nlohmann::json> invite(db::Connection& c, const auth::Principal& p, std::int64_t event_id,
                                const nlohmann::json& body);
// status: invited | accepted | declined | attended | absent; lead_note.
Expected<nlohmann::json> update_invitation(db::Connection& c, const auth::Principal& p, std::int64_t id,
                                           std::int64_t version, const nlohmann::json& body);
// A lead from an attendee: 422 unless attended; raises a task (kind event_lead).
Expected<nlohmann::json> raise_lead(db::Connection& c, const auth::Principal& p, std::int64_t invitation_id,
                                    const nlohmann::json& body);

}  // namespace kam::activities
