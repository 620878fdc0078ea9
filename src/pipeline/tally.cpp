// pipeline_tally (migrations/010_pipeline_insight.sql): counts and sums of
// opportunities per owner and department, what the company-wide funnel and
// forecast read. Every write to an opportunity replaces its owner's rows from
// the pipeline_tally_source view in the same transaction.
#include "pipeline/internal.hpp"

namespace kam::pipeline {

void retally_owner(db::Connection& c, std::optional<std::int64_t> owner_id) {
  if (!owner_id) {
    c.query("DELETE FROM pipeline_tally WHERE owner_id IS NULL");
    c.query("INSERT INTO pipeline_tally SELECT * FROM pipeline_tally_source WHERE owner_id IS NULL");
    return;
  }
  // Two PostgreSQL transactions writing one owner's opportunities take turns
  // here, so the second recomputes with the first one's rows committed (READ
  // COMMITTED: each statement sees what is committed when it starts). SQLite
  // has one writer at a time already.
  if (c.backend() == db::Backend::postgres) {
    c.query("SELECT pg_advisory_xact_lock(7262002, CAST(? AS INTEGER))", {*owner_id % 2147483647});
  }
  c.query("DELETE FROM pipeline_tally WHERE owner_id = ?", {*owner_id});
  c.query("INSERT INTO pipeline_tally SELECT * FROM pipeline_tally_source WHERE owner_id = ?", {*owner_id});
}

void rebuild_tally(db::Connection& c) {
  c.query("DELETE FROM pipeline_tally");
  c.query("INSERT INTO pipeline_tally SELECT * FROM pipeline_tally_source");
}

}  // namespace kam::pipeline
