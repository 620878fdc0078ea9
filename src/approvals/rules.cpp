// The pure rules of approvals: chain conditions, resolvers, the state table
// of a request and budget periods.
#include <array>

#include "accounts/records.hpp"
#include "approvals/approvals.hpp"

namespace kam::approvals {

bool is_kind(const std::string& kind) {
  return kind == kGift || kind == kReception;
}

bool step_applies(const ChainStep& step, std::int64_t total_fen, bool over_budget) {
  if (!step.min_amount_fen) return true;
  if (total_fen > *step.min_amount_fen) return true;
  return step.when_over_budget && over_budget;
}

bool is_resolver(const std::string& resolver) {
  if (resolver == kDepartmentManager) return true;
  if (resolver.rfind("role:", 0) != 0 || resolver.size() == 5 || resolver.size() > 64) return false;
  for (char ch : resolver.substr(5)) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> escalation(const std::string& resolver) {
  if (resolver == kDepartmentManager) return {resolver, "role:director", "role:admin"};
  if (resolver == "role:admin") return {resolver};
  return {resolver, "role:admin"};
}

std::optional<Action> parse_action(const std::string& text) {
  if (text == "submit") return Action::submit;
  if (text == "approve") return Action::approve;
  if (text == "reject") return Action::reject;
  if (text == "return") return Action::return_to_submitter;
  if (text == "withdraw") return Action::withdraw;
  return std::nullopt;
}

const char* to_string(Action action) {
  switch (action) {
    case Action::submit:
      return "submit";
    case Action::approve:
      return "approve";
    case Action::reject:
      return "reject";
    case Action::return_to_submitter:
      return "return";
    case Action::withdraw:
      return "withdraw";
  }
  return "submit";
}

// The state table: status × action → status. Anything not listed is refused.
std::optional<std::string> next_status(const std::string& status, Action action, bool last_step) {
  switch (action) {
    case Action::submit:
      if (status == "draft" || status == "returned") return "pending";
      break;
    case Action::approve:
      if (status == "pending") return last_step ? "approved" : "pending";
      break;
    case Action::reject:
      if (status == "pending") return "rejected";
      break;
    case Action::return_to_submitter:
      if (status == "pending") return "returned";
      break;
    case Action::withdraw:
      // Before the final step is decided: a decided request is approved or
      // rejected already, so pending (and not yet submitted) ones only.
      if (status == "draft" || status == "returned" || status == "pending") return "withdrawn";
      break;
  }
  return std::nullopt;
}

bool is_editable(const std::string& status) {
  return status == "draft" || status == "returned";
}

bool is_decided(const std::string& status) {
  return status == "approved" || status == "rejected" || status == "withdrawn";
}

namespace {

std::string two(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}

std::string year_text(int year) {
  std::string y = std::to_string(year);
  while (y.size() < 4) y = "0" + y;
  return y;
}

}  // namespace

std::optional<Period> parse_period(const std::string& code) {
  auto digits = [](const std::string& s) {
    if (s.empty()) return false;
    for (char ch : s) {
      if (ch < '0' || ch > '9') return false;
    }
    return true;
  };
  if (code.size() == 4 && digits(code)) {
    const int year = std::stoi(code);
    if (year < 2000 || year > 2999) return std::nullopt;
    return Period{code, code + "-01-01", code + "-12-31"};
  }
  if (code.size() == 7 && digits(code.substr(0, 4)) && code[4] == '-' && code[5] == 'Q' && code[6] >= '1' &&
      code[6] <= '4') {
    const int year = std::stoi(code.substr(0, 4));
    if (year < 2000 || year > 2999) return std::nullopt;
    const int quarter = code[6] - '0';
    static constexpr std::array<const char*, 4> kLastDay = {"-03-31", "-06-30", "-09-30", "-12-31"};
    const int first_month = 3 * (quarter - 1) + 1;
    return Period{code, year_text(year) + "-" + two(first_month) + "-01",
                  year_text(year) + kLastDay[static_cast<std::size_t>(quarter - 1)]};
  }
  return std::nullopt;
}

std::vector<Period> periods_of(const std::string& iso_date) {
  if (!accounts::is_iso_date(iso_date)) return {};
  const std::string year = iso_date.substr(0, 4);
  const int month = std::stoi(iso_date.substr(5, 2));
  std::vector<Period> out;
  if (auto quarter = parse_period(year + "-Q" + std::to_string((month - 1) / 3 + 1))) out.push_back(*quarter);
  if (auto whole = parse_period(year)) out.push_back(*whole);
  return out;
}

}  // namespace kam::approvals
