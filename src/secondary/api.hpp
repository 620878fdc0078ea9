// HTTP routes of secondary customers: /api/v1/accounts/{id}/secondary-customers,
// /api/v1/secondary-customers/{id} and its /growth.
#pragma once

#include "auth/guard.hpp"

namespace kam::secondary {

void register_routes(http::Router& router, auth::ApiContext& context);

}  // namespace kam::secondary
