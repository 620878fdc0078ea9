// Competitors (竞争对手): one registry of the companies we compete with, and
// their presence at each account (what they supply there, at what price
// level, with what share). This is the module's contract. Owns tables
// competitors and account_competitors, both record tables of
// accounts/records.hpp.
//
// The registry is shared: every user with accounts.read reads it, writes need
// accounts.write; names are unique among live competitors (409). A presence
// follows its account's data scope, and the pair (account, competitor) is
// unique among live rows (409). Every change is audited (entities
// "competitor" and "account_competitor").
#pragma once

#include "accounts/records.hpp"

namespace kam::competitors {

const accounts::RecordTable& competitor_table();
// Records carry competitor_name; competitor_id must name a live competitor (422).
const accounts::RecordTable& account_competitor_table();

}  // namespace kam::competitors
