// HTTP routes of the auth room: /auth/login|logout|me, /departments, /users,
// /roles and /audit. Thin adapters: parse, call directory/service, reply.
#pragma once

#include "auth/guard.hpp"

namespace kam::auth {

void register_routes(http::Router& router, ApiContext& context);

}  // namespace kam::auth
