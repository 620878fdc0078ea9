// Pure rules of the pipeline: the gate checker, the advance decision, the
// weighted value and the date arithmetic the insight queries need. Tested
// alone, as tables, in gates_test.cpp.
#include <algorithm>
#include <cstdio>

#include "pipeline/pipeline.hpp"

namespace kam::pipeline {

using nlohmann::json;

namespace {

std::int64_t param_int(const json& params, const char* name, std::int64_t fallback) {
  if (params.is_object() && params.contains(name) && params[name].is_number_integer()) {
    return params[name].get<std::int64_t>();
  }
  return fallback;
}

std::string param_text(const json& params, const char* name) {
  if (params.is_object() && params.contains(name) && params[name].is_string()) return params[name].get<std::string>();
  return {};
}

// What is missing, in English and Chinese.
struct Why {
  std::string en;
  std::string zh;
};

std::string joined_names(const std::vector<const DecisionMaker*>& people, const char* separator) {
  std::string out;
  for (const auto* dm : people) out += (out.empty() ? "" : separator) + dm->name;
  return out;
}

// Empty when the item holds, else what is missing.
std::optional<Why> failure(const GateItem& item, const Evidence& e) {
  if (item.kind == "field") {
    const auto field = param_text(item.params, "field");
    const auto it = e.fields.find(field);
    if (it == e.fields.end() || it->second.empty()) return Why{field + " is not recorded", "尚未填写"};
    return std::nullopt;
  }
  if (item.kind == "equals") {
    const auto field = param_text(item.params, "field");
    const auto value = param_text(item.params, "value");
    const auto it = e.fields.find(field);
    if (it == e.fields.end() || it->second != value) return Why{field + " must be " + value, "尚未满足"};
    return std::nullopt;
  }
  if (item.kind == "count") {
    const auto name = param_text(item.params, "count");
    const auto min = param_int(item.params, "min", 1);
    const auto it = e.counts.find(name);
    const std::int64_t have = it == e.counts.end() ? 0 : it->second;
    if (have < min) {
      return Why{name + ": " + std::to_string(have) + " of at least " + std::to_string(min),
                 "已有 " + std::to_string(have) + " 项，至少需要 " + std::to_string(min) + " 项"};
    }
    return std::nullopt;
  }
  if (item.kind == "decision_makers_level" || item.kind == "decision_makers_touched") {
    if (e.decision_makers.empty()) return Why{"no decision maker identified", "尚未确定关键决策人"};
    const bool level = item.kind == "decision_makers_level";
    const auto min = level ? param_int(item.params, "min_level", 3) : param_int(item.params, "min", 1);
    std::vector<const DecisionMaker*> short_of;
    for (const auto& dm : e.decision_makers) {
      if (level ? (!dm.relationship_level || *dm.relationship_level < min) : dm.touchpoints < min) {
        short_of.push_back(&dm);
      }
    }
    if (short_of.empty()) return std::nullopt;
    if (level) {
      return Why{"relationship level below " + std::to_string(min) + ": " + joined_names(short_of, ", "),
                 "关系等级低于 " + std::to_string(min) + "：" + joined_names(short_of, "、")};
    }
    return Why{"no touchpoint recorded with: " + joined_names(short_of, ", "),
               "尚无接触记录：" + joined_names(short_of, "、")};
  }
  return Why{"unknown gate item kind " + item.kind, "未知的关卡类型 " + item.kind};
}

}  // namespace

std::vector<Unmet> check_gate(int stage, const Evidence& evidence, const std::vector<GateItem>& items) {
  std::vector<const GateItem*> ordered;
  for (const auto& item : items) {
    if (item.stage == stage && item.enabled) ordered.push_back(&item);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const GateItem* a, const GateItem* b) { return a->position < b->position; });
  std::vector<Unmet> unmet;
  for (const auto* item : ordered) {
    if (auto why = failure(*item, evidence)) {
      unmet.push_back({item->code, item->label_zh, item->label_en, why->en, why->zh});
    }
  }
  return unmet;
}

AdvanceDecision decide_advance(int stage, const Evidence& evidence, const std::vector<GateItem>& items,
                               bool can_override, const std::string& override_reason) {
  AdvanceDecision d;
  const bool wants_override = override_reason.find_first_not_of(" \t\r\n") != std::string::npos;
  if (wants_override && !can_override) {
    d.forbidden = true;
    return d;
  }
  d.unmet = check_gate(stage, evidence, items);
  if (d.unmet.empty()) {
    d.allowed = true;
  } else if (wants_override) {
    d.allowed = true;
    d.overridden = true;
  }
  return d;
}

std::optional<std::string> gate_item_problem(const GateItem& item) {
  if (item.stage < 1 || item.stage > kStages) return "stage must be 1 to 5";
  if (item.code.empty() || item.code.size() > 64) return "code must be 1 to 64 characters";
  if (item.label_zh.empty() || item.label_en.empty()) return "label_zh and label_en are required";
  if (!item.params.is_object()) return "params must be an object";
  if (item.kind == "field") {
    if (param_text(item.params, "field").empty()) return "a field item needs params.field";
  } else if (item.kind == "equals") {
    if (param_text(item.params, "field").empty() || param_text(item.params, "value").empty()) {
      return "an equals item needs params.field and params.value";
    }
  } else if (item.kind == "count") {
    static const std::vector<std::string> known = {
        "samples_passed", "insiders",       "obstacles", "plan_steps",  "decision_makers", "executive_meetings",
        "inspections",    "system_support", "samples",   "touchpoints", "plan_steps_done"};
    if (std::find(known.begin(), known.end(), param_text(item.params, "count")) == known.end()) {
      return "params.count is not a known count";
    }
  } else if (item.kind == "decision_makers_level") {
    const auto level = param_int(item.params, "min_level", 0);
    if (level < 1 || level > 5) return "params.min_level must be 1 to 5";
  } else if (item.kind != "decision_makers_touched") {
    return "kind must be field, equals, count, decision_makers_level or decision_makers_touched";
  }
  return std::nullopt;
}

std::int64_t weighted_fen(std::int64_t expected_value_fen, std::int64_t win_probability) {
  // Truncating division: non-negative operands, so this rounds down, the
  // same as the SQL aggregate (integer division on both back ends).
  return expected_value_fen * win_probability / 100;
}

std::int64_t median_seconds(std::vector<std::int64_t> durations) {
  if (durations.empty()) return 0;
  const auto middle = durations.begin() + static_cast<std::ptrdiff_t>((durations.size() - 1) / 2);
  std::nth_element(durations.begin(), middle, durations.end());
  return *middle;
}

namespace {
// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

bool digits(const std::string& s, std::size_t from, std::size_t count, int& out) {
  out = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<std::int64_t> epoch_seconds(const std::string& iso) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-' || !digits(iso, 0, 4, y) || !digits(iso, 5, 2, mo) ||
      !digits(iso, 8, 2, d) || mo < 1 || mo > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  if (iso.size() > 10) {
    if (iso.size() < 19 || iso[10] != 'T' || iso[13] != ':' || iso[16] != ':' || !digits(iso, 11, 2, h) ||
        !digits(iso, 14, 2, mi) || !digits(iso, 17, 2, s) || h > 23 || mi > 59 || s > 60) {
      return std::nullopt;
    }
  }
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
}

std::string iso_of_epoch(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.000Z", y, m, d, static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return buffer;
}

std::string month_after(const std::string& date, int offset) {
  int y = 0, m = 0;
  if (!digits(date, 0, 4, y) || !digits(date, 5, 2, m)) return {};
  const int index = y * 12 + (m - 1) + offset;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", index / 12, index % 12 + 1);
  return buffer;
}

}  // namespace kam::pipeline
