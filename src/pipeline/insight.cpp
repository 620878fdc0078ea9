// Funnel, forecast and stalled opportunities. Counts and sums come from
// pipeline_tally (per owner and department, kept by tally.cpp) in the caller's
// scope (auth::scope_clause on owner/department), or, when the filter names
// dates or a product line, from GROUP BY queries over the opportunities. The
// median time in stage is one ORDER BY ... LIMIT 1 OFFSET per stage (SQL
// medians are not portable between SQLite and PostgreSQL).
#include "accounts/records.hpp"
#include "pipeline/internal.hpp"
#include "platform/core/clock.hpp"
#include "platform/http/router.hpp"

namespace kam::pipeline {

using nlohmann::json;

namespace {
// Whether the filter looks only at owner and department: then the tally and
// the stage history answer alone; dates and product lines need the
// opportunities themselves.
bool by_owner_and_department(const InsightFilter& f) {
  return !f.from && !f.to && !f.product_line;
}

// The finished stays of stage ? (the first param) in p's scope and the filter:
// "SELECT h.duration_seconds FROM ... WHERE ...".
std::string median_sql(const auth::Principal& p, const InsightFilter& f, db::Params& params) {
  const bool alone = by_owner_and_department(f);
  return "SELECT h.duration_seconds FROM opportunity_stage_history h" +
         std::string(alone ? "" : " JOIN opportunities o ON o.id = h.opportunity_id") +
         " WHERE h.stage = ? AND h.duration_seconds IS NOT NULL AND h.deleted_at IS NULL AND" +
         (alone ? owner_department_sql(p, f, "h", params) : filter_sql(p, f, params));
}

// Counts and sums by status and stage: from the tally, or from the
// opportunities when the filter needs them.
db::Result stage_figures(db::Connection& c, const auth::Principal& p, const InsightFilter& f) {
  db::Params params;
  if (by_owner_and_department(f)) {
    const auto where = owner_department_sql(p, f, "t", params);
    return c.query(
        "SELECT t.status, t.stage, sum(t.n), sum(t.value_fen), sum(t.weighted_fen), sum(t.won_value_fen) FROM "
        "pipeline_tally t WHERE t.kind = 'stage' AND" +
            where + " GROUP BY t.status, t.stage",
        params);
  }
  const auto where = filter_sql(p, f, params);
  return c.query(
      "SELECT o.status, o.stage, count(*), coalesce(sum(o.expected_value_fen), 0), "
      "coalesce(sum(o.expected_value_fen * coalesce(o.win_probability, 0) / 100), 0), "
      "coalesce(sum(o.won_value_fen), 0) FROM opportunities o WHERE" +
          where + " GROUP BY o.status, o.stage",
      params);
}
}  // namespace

Expected<json> funnel(db::Connection& c, const auth::Principal& p, const std::map<std::string, std::string>& query) {
  if (!p.can("opportunities.read")) return Error::forbidden();
  auto filter = read_filter(query, {});
  if (!filter) return filter.error();
  struct StageFigures {
    std::int64_t count = 0, value = 0, weighted = 0, reached = 0;
  };
  std::array<StageFigures, kStages> stages{};
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> closed;  // status → count, value
  {
    // One pass over the scoped opportunities by status and stage. Stages never
    // go back and are never skipped, so an opportunity standing at stage s (in
    // any status) reached every stage up to s: "reached" needs no history.
    for (const auto& row : stage_figures(c, p, *filter)) {
      const auto status = row.text(0);
      const auto stage = row.integer(1);
      const auto count = row.integer(2);
      auto& total = closed[status];
      total.first += count;
      total.second += status == "won" ? row.integer(5) : row.integer(3);
      if (stage < 1 || stage > kStages) continue;
      for (std::int64_t reached = 1; reached <= stage; ++reached) {
        stages[static_cast<std::size_t>(reached - 1)].reached += count;
      }
      if (status != "open") continue;
      auto& s = stages[static_cast<std::size_t>(stage - 1)];
      s.count = count;
      s.value = row.integer(3);
      s.weighted = row.integer(4);
    }
  }
  // Median time in stage over the finished stays in scope. An opportunity
  // leaves stage k when it advances or closes there, so there are reached_k -
  // open_k of them; the lower middle one is read from the duration index of
  // the history (which carries the owner, department and deletion of its
  // opportunity). Filters on the opportunity itself (dates, product line) join it.
  std::array<std::int64_t, kStages> medians{};
  for (int stage = 1; stage <= kStages; ++stage) {
    const auto& s = stages[static_cast<std::size_t>(stage - 1)];
    auto finished = s.reached - s.count;
    if (finished <= 0) continue;
    db::Params params{static_cast<std::int64_t>(stage)};
    const auto sql = median_sql(p, *filter, params);
    auto middle = [&](std::int64_t n) {
      db::Params all = params;
      all.emplace_back((n - 1) / 2);
      const auto rows = c.query(sql + " ORDER BY h.duration_seconds LIMIT 1 OFFSET ?", all);
      return rows.empty() ? std::optional<std::int64_t>() : std::optional(rows.front().integer(0));
    };
    auto median = middle(finished);
    if (!median) {  // history rows short of the opportunities (older data): count them
      finished = c.query("SELECT count(*) FROM (" + sql + ") d", params).front().integer(0);
      if (finished > 0) median = middle(finished);
    }
    medians[static_cast<std::size_t>(stage - 1)] = median.value_or(0);
  }
  const auto won = closed.count("won") ? closed["won"] : std::pair<std::int64_t, std::int64_t>{0, 0};
  json items = json::array();
  for (int stage = 1; stage <= kStages; ++stage) {
    auto& s = stages[static_cast<std::size_t>(stage - 1)];
    // Conversion to the next stage (for stage 5: to won), in basis points,
    // rounded down.
    const std::int64_t next = stage < kStages ? stages[static_cast<std::size_t>(stage)].reached : won.first;
    items.push_back({{"stage", stage},
                     {"count", s.count},
                     {"value_fen", s.value},
                     {"weighted_value_fen", s.weighted},
                     {"reached", s.reached},
                     {"advanced", next},
                     {"conversion_bp", s.reached ? next * 10000 / s.reached : 0},
                     {"median_seconds_in_stage", medians[static_cast<std::size_t>(stage - 1)]}});
  }
  auto figure = [&](const char* status) {
    const auto it = closed.find(status);
    return it == closed.end() ? json{{"count", 0}, {"value_fen", 0}}
                              : json{{"count", it->second.first}, {"value_fen", it->second.second}};
  };
  return json{{"stages", items},
              {"open", figure("open")},
              {"won", figure("won")},
              {"lost", figure("lost")},
              {"terminated", figure("terminated")}};
}

Expected<json> forecast(db::Connection& c, const auth::Principal& p, const std::map<std::string, std::string>& query) {
  if (!p.can("opportunities.read")) return Error::forbidden();
  auto filter = read_filter(query, {"as_of"});
  if (!filter) return filter.error();
  std::string as_of = now_text().substr(0, 10);
  if (auto it = query.find("as_of"); it != query.end()) {
    if (!accounts::is_iso_date(it->second)) {
      return Error(Error::Code::bad_request, "invalid query parameters", {{"as_of", "must be a date YYYY-MM-DD"}});
    }
    as_of = it->second;
  }
  // The window: the month of as_of and the 11 after it; won value is reported
  // for the same months and for the 12 months before, for comparison.
  const auto start = month_after(as_of, 0) + "-01";
  const auto end = month_after(as_of, 12) + "-01";
  const auto won_start = month_after(as_of, -12) + "-01";
  struct Month {
    std::int64_t count = 0, value = 0, weighted = 0, won_count = 0, won_value = 0;
  };
  std::map<std::string, Month> months;
  if (by_owner_and_department(*filter)) {
    // From the tally: open ones by expected close month, won by won month.
    db::Params params{start.substr(0, 7), end.substr(0, 7), won_start.substr(0, 7), end.substr(0, 7)};
    const auto where = owner_department_sql(p, *filter, "t", params);
    for (const auto& row :
         c.query("SELECT t.kind, t.month, sum(t.n), sum(t.value_fen), sum(t.weighted_fen), sum(t.won_value_fen) FROM "
                 "pipeline_tally t WHERE ((t.kind = 'close' AND t.month >= ? AND t.month < ?) OR (t.kind = 'won' AND "
                 "t.month >= ? AND t.month < ?)) AND" +
                     where + " GROUP BY t.kind, t.month",
                 params)) {
      auto& m = months[row.text(1)];
      if (row.text(0) == "won") {
        m.won_count = row.integer(2);
        m.won_value = row.integer(5);
      } else {
        m.count = row.integer(2);
        m.value = row.integer(3);
        m.weighted = row.integer(4);
      }
    }
  } else {
    db::Params params;
    auto where = filter_sql(p, *filter, params);
    params.emplace_back(start);
    params.emplace_back(end);
    // Weighted per opportunity = expected_value_fen * win_probability / 100,
    // rounded down (integer division) before summing; no probability → 0.
    for (const auto& row :
         c.query("SELECT substr(o.expected_close_date, 1, 7), count(*), coalesce(sum(o.expected_value_fen), 0), "
                 "coalesce(sum(o.expected_value_fen * coalesce(o.win_probability, 0) / 100), 0) FROM opportunities o "
                 "WHERE" +
                     where +
                     " AND o.status = 'open' AND o.expected_close_date >= ? AND o.expected_close_date < ? "
                     "GROUP BY substr(o.expected_close_date, 1, 7)",
                 params)) {
      auto& m = months[row.text(0)];
      m.count = row.integer(1);
      m.value = row.integer(2);
      m.weighted = row.integer(3);
    }
    params.clear();
    where = filter_sql(p, *filter, params);
    params.emplace_back(won_start);
    params.emplace_back(end);
    for (const auto& row : c.query("SELECT substr(o.won_date, 1, 7), count(*), coalesce(sum(o.won_value_fen), 0) FROM "
                                   "opportunities o WHERE" +
                                       where +
                                       " AND o.status = 'won' AND o.won_date >= ? AND o.won_date < ? GROUP BY "
                                       "substr(o.won_date, 1, 7)",
                                   params)) {
      auto& m = months[row.text(0)];
      m.won_count = row.integer(1);
      m.won_value = row.integer(2);
    }
  }
  json ahead = json::array(), before = json::array();
  std::int64_t total_weighted = 0, total_value = 0, total_won = 0;
  for (int offset = -12; offset < 12; ++offset) {
    const auto key = month_after(as_of, offset);
    const auto& m = months[key];
    if (offset < 0) {
      before.push_back({{"month", key}, {"won_count", m.won_count}, {"won_value_fen", m.won_value}});
      continue;
    }
    total_weighted += m.weighted;
    total_value += m.value;
    total_won += m.won_value;
    ahead.push_back({{"month", key},
                     {"count", m.count},
                     {"expected_value_fen", m.value},
                     {"weighted_value_fen", m.weighted},
                     {"won_count", m.won_count},
                     {"won_value_fen", m.won_value}});
  }
  return json{
      {"as_of", as_of},
      {"months", ahead},
      {"previous_months", before},
      {"totals",
       {{"expected_value_fen", total_value}, {"weighted_value_fen", total_weighted}, {"won_value_fen", total_won}}}};
}

Expected<json> stalled(db::Connection& c, const auth::Principal& p, const std::map<std::string, std::string>& query) {
  if (!p.can("opportunities.read")) return Error::forbidden();
  auto filter = read_filter(query, {"as_of", "limit", "offset"});
  if (!filter) return filter.error();
  std::int64_t as_of = now_seconds();
  std::vector<FieldError> errors;
  std::int64_t limit = 50, offset = 0;
  if (auto it = query.find("as_of"); it != query.end()) {
    if (auto s = epoch_seconds(it->second); s && (it->second.size() == 10 ? accounts::is_iso_date(it->second) : true)) {
      as_of = *s;
    } else {
      errors.push_back({"as_of", "must be a date or an ISO instant"});
    }
  }
  if (auto it = query.find("limit"); it != query.end()) {
    auto n = http::parse_id(it->second);
    if (!n || *n > 200)
      errors.push_back({"limit", "must be 1 to 200"});
    else
      limit = *n;
  }
  if (auto it = query.find("offset"); it != query.end() && it->second != "0") {
    auto n = http::parse_id(it->second);
    if (!n)
      errors.push_back({"offset", "must be a non-negative integer"});
    else
      offset = *n;
  }
  if (!errors.empty()) return Error(Error::Code::bad_request, "invalid query parameters", errors);
  const auto thresholds = load_thresholds(c);
  db::Params params;
  std::string where = " WHERE" + filter_sql(p, *filter, params) + " AND o.status = 'open' AND (";
  for (int stage = 1; stage <= kStages; ++stage) {
    where += std::string(stage > 1 ? " OR " : "") + "(o.stage = ? AND o.stage_entered_at < ?)";
    params.emplace_back(static_cast<std::int64_t>(stage));
    params.emplace_back(stalled_cutoff(thresholds, stage, as_of));
  }
  where += ")";
  const auto total = c.query("SELECT count(*) FROM opportunities o" + where, params).front().integer(0);
  json items = json::array();
  if (total > offset) {
    params.emplace_back(limit);
    params.emplace_back(offset);
    const auto rows = c.query(
        std::string(kOpportunitySelect) + where + " ORDER BY o.stage_entered_at, o.id LIMIT ? OFFSET ?", params);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto record = present(accounts::row_json(rows, i), thresholds, as_of);
      record["stalled"] = true;
      items.push_back(std::move(record));
    }
  }
  return json{{"items", std::move(items)}, {"total", total}};
}

}  // namespace kam::pipeline
