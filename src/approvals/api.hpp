// HTTP routes of approvals: /api/v1/gift-requests, /api/v1/reception-requests
// (CRUD, actions, forms), /api/v1/approvals/{inbox,mine},
// /api/v1/approval-chains, /api/v1/budgets and
// /api/v1/accounts/{id}/development-cost. Thin adapters over approvals.hpp.
#pragma once

#include "auth/guard.hpp"

namespace kam::approvals {

void register_routes(http::Router& router, auth::ApiContext& context);

}  // namespace kam::approvals
