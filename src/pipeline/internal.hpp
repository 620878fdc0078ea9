// What the files of the pipeline module share and nobody else needs.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/pipeline.hpp"

namespace kam::pipeline {

// Stalled thresholds: days without a stage change, per stage (index stage - 1).
struct Thresholds {
  std::array<std::int64_t, kStages> days;
};
Thresholds load_thresholds(db::Connection& c);
// The instant before which a stage entry counts as stalled at `as_of`: entered
// at or before as_of - days (to the second).
std::string stalled_cutoff(const Thresholds& t, int stage, std::int64_t as_of);

// A selected opportunity row as the API shows it: lists decoded, stalled,
// days_in_stage and weighted_value_fen added.
nlohmann::json present(nlohmann::json record, const Thresholds& t, std::int64_t now);
std::int64_t now_seconds();

// The opportunity if it exists (not deleted) and p's scope covers it.
std::optional<nlohmann::json> visible_opportunity(db::Connection& c, const auth::Principal& p, std::int64_t id);

// The filters every insight query and list accepts.
struct InsightFilter {
  std::optional<std::int64_t> owner_id;
  std::optional<std::int64_t> department_id;
  std::optional<std::string> from;  // created on or after (date)
  std::optional<std::string> to;    // created on or before (date)
  std::optional<std::string> product_line;
};
// 400 on an unknown key (other than `extra_keys`) or a malformed value.
Expected<InsightFilter> read_filter(const std::map<std::string, std::string>& query,
                                    const std::vector<std::string>& extra_keys);
// " <scope> AND <owner/department filters>" over alias `a` (a table with
// owner_id and department_id: opportunities, the tally, the stage history);
// appends params.
std::string owner_department_sql(const auth::Principal& p, const InsightFilter& f, const std::string& a,
                                 db::Params& params);
// " o.deleted_at IS NULL AND <scope> AND <filters>" over alias o; appends params.
std::string filter_sql(const auth::Principal& p, const InsightFilter& f, db::Params& params);

extern const char* const kOpportunitySelect;

// Replaces the owner's rows of pipeline_tally (tally.cpp); every write to an
// opportunity calls it in its transaction.
void retally_owner(db::Connection& c, std::optional<std::int64_t> owner_id);

}  // namespace kam::pipeline
