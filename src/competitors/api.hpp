// HTTP routes of competitors: /api/v1/competitors, /api/v1/accounts/{id}/competitors
// and /api/v1/account-competitors/{id}.
#pragma once

#include "auth/guard.hpp"

namespace kam::competitors {

void register_routes(http::Router& router, auth::ApiContext& context);

}  // namespace kam::competitors
