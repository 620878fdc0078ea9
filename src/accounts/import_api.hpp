// Routes of spreadsheets in the customer archive: POST /imports,
// GET /accounts/export, GET /accounts/{id}/forms/archive.{xlsx,html}.
// Register before accounts::register_routes: /accounts/export is not /accounts/{id}.
#pragma once

#include "auth/guard.hpp"
#include "platform/http/router.hpp"

namespace kam::accounts {

void register_sheet_routes(http::Router& router, auth::ApiContext& context);

}  // namespace kam::accounts
