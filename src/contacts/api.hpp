// HTTP routes of contacts: /api/v1/contacts and /api/v1/accounts/{id}/buying-center.
#pragma once

#include "auth/guard.hpp"

namespace kam::contacts {

void register_routes(http::Router& router, auth::ApiContext& context);

}  // namespace kam::contacts
