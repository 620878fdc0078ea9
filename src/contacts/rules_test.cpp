// The decision-maker-left rule as a table: old role/status × new role/status
// → does the account fall back to establish?
#include <gtest/gtest.h>

#include "accounts/records.hpp"
#include "contacts/contacts.hpp"

namespace kam::contacts {
namespace {

struct Case {
  std::optional<ContactState> before;
  ContactState after;
  bool falls_back;
};

ContactState state(std::optional<std::string> role, std::string status) {
  return {std::move(role), std::move(status)};
}

TEST(DecisionMakerLeftRule, FallsBackExactlyWhenTheAccountLosesItsDecisionMaker) {
  const std::string dm = "decision_maker";
  const Case cases[] = {
      {state(dm, "active"), state(dm, "left"), true},            // the decision maker leaves
      {state(dm, "active"), state("influencer", "left"), true},  // leaves and is reclassified at once
      {state("influencer", "left"), state(dm, "left"), true},    // a departed contact becomes decision maker
      {state(std::nullopt, "left"), state(dm, "left"), true},
      {state("influencer", "active"), state(dm, "left"), true},  // both in one edit
      {state(dm, "left"), state(dm, "left"), false},             // already left: notes edited
      {state(dm, "left"), state("influencer", "left"), false},
      {state(dm, "left"), state(dm, "active"), false},  // comes back
      {state(dm, "active"), state(dm, "active"), false},
      {state("influencer", "active"), state(dm, "active"), false},  // promoted while active
      {state("influencer", "active"), state("influencer", "left"), false},
      {state("insider", "active"), state("insider", "left"), false},
      {state(std::nullopt, "active"), state(std::nullopt, "left"), false},
      {std::nullopt, state(dm, "left"), false},  // created as a left decision maker
      {std::nullopt, state(dm, "active"), false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(decision_maker_left(c.before, c.after), c.falls_back)
        << (c.before ? c.before->buying_role.value_or("-") + "/" + c.before->status : "(create)") << " -> "
        << c.after.buying_role.value_or("-") << "/" << c.after.status;
  }
}

TEST(ContactFields, CreateNeedsNameAndAccountAndChecksEveryField) {
  const auto& fields = contact_table().fields;
  auto missing = accounts::read_fields(nlohmann::json::object(), fields, true);
  ASSERT_FALSE(missing.ok());
  std::set<std::string> named;
  for (const auto& f : missing.error().fields()) named.insert(f.field);
  EXPECT_EQ(named, (std::set<std::string>{"account_id", "name"}));

  auto bad = accounts::read_fields({{"account_id", 1},
                                    {"name", "王总"},
                                    {"relationship_level", 6},
                                    {"buying_role", "boss"},
                                    {"attitude", 3},
                                    {"status", nullptr}},
                                   fields, true);
  ASSERT_FALSE(bad.ok());
  named.clear();
  for (const auto& f : bad.error().fields()) named.insert(f.field);
  EXPECT_EQ(named, (std::set<std::string>{"relationship_level", "buying_role", "attitude", "status"}));
}

TEST(ContactFields, UpdateIgnoresAccountIdAndClearsWithNull) {
  auto values = accounts::read_fields({{"account_id", 99}, {"title", nullptr}, {"relationship_level", 5}},
                                      contact_table().fields, false);
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(accounts::find_value(*values, "account_id"), nullptr);
  ASSERT_NE(accounts::find_value(*values, "title"), nullptr);
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(*accounts::find_value(*values, "title")));
  EXPECT_EQ(std::get<std::int64_t>(*accounts::find_value(*values, "relationship_level")), 5);
}

TEST(IsoDate, AcceptsRealCalendarDatesOnly) {
  EXPECT_TRUE(accounts::is_iso_date("2026-11-29"));
  EXPECT_TRUE(accounts::is_iso_date("2024-02-29"));
  EXPECT_FALSE(accounts::is_iso_date("2026-02-29"));
  EXPECT_FALSE(accounts::is_iso_date("1900-02-29"));
  EXPECT_FALSE(accounts::is_iso_date("2026-13-01"));
  EXPECT_FALSE(accounts::is_iso_date("2026-1-01"));
  EXPECT_FALSE(accounts::is_iso_date("2026-11-29T00:00:00Z"));
  EXPECT_FALSE(accounts::is_iso_date("二〇二六-11-29"));
}

}  // namespace
}  // namespace kam::contacts
