// Pure rules of contacts: the decision-maker-left rule. Tested alone in
// rules_test.cpp.
#include "contacts/contacts.hpp"

namespace kam::contacts {

namespace {
bool is_left_decision_maker(const ContactState& s) {
  return s.status == kLeft && s.buying_role == kDecisionMaker;
}
}  // namespace

bool decision_maker_left(const std::optional<ContactState>& before, const ContactState& after) {
  if (!before || after.status != kLeft || is_left_decision_maker(*before)) return false;
  return after.buying_role == kDecisionMaker || before->buying_role == kDecisionMaker;
}

}  // namespace kam::contacts
