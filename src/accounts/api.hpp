// HTTP routes of the accounts room: /api/v1/accounts. Thin adapters over
// accounts.hpp.
#pragma once

#include "auth/guard.hpp"

namespace kam::accounts {

void register_routes(http::Router& router, auth::ApiContext& context);

}  // namespace kam::accounts
