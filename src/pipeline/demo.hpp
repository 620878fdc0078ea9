// Demo opportunities for `kam demo`: ~90 opportunities on the demo accounts
// in every stage and status, with stage history (earlier stages entered by an
// "imported" override, since the demo carries no samples or touchpoints),
// spread over the next 12 months for the forecast, some of them stalled.
#pragma once

#include "platform/db/database.hpp"

namespace kam::pipeline {

// Call after the demo users and accounts exist.
void load_demo(db::Connection& c);

}  // namespace kam::pipeline
