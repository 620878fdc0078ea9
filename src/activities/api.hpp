// HTTP routes of the activities module: visit plans, visits, contact logs,
// relationship actions, tasks and follow-ups, weekly reports, the account
// timeline and stage moves, the calendar feed, vCards, settings and the test
// clock. Thin adapters over activities.hpp.
#pragma once

#include "auth/guard.hpp"

namespace kam::activities {

// Register before contacts: /contacts/export is not /contacts/{id}.
void register_routes(http::Router& router, auth::ApiContext& context);

}  // namespace kam::activities
