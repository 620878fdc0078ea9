// Demo visits, follow-ups, contact logs and plans for `kam demo`.
#pragma once

#include "platform/db/database.hpp"

namespace kam::activities {

// Call after the demo users and accounts exist.
void load_demo(db::Connection& c);

}  // namespace kam::activities
