-- Funnel and forecast at scale (issue 4).
--
-- 1. The median time in stage without a join: each stage-history
-- row keeps how long the stay lasted (whole seconds, set when the stage is
-- left) and its opportunity's owner, department and deletion, so the scoped
-- median of stage k is one ORDER BY duration_seconds LIMIT 1 OFFSET n over an
-- index. An opportunity's owner and department never change after creation;
-- deleting it marks its history rows.
ALTER TABLE opportunity_stage_history ADD COLUMN duration_seconds BIGINT;
ALTER TABLE opportunity_stage_history ADD COLUMN owner_id BIGINT;
ALTER TABLE opportunity_stage_history ADD COLUMN department_id BIGINT;
ALTER TABLE opportunity_stage_history ADD COLUMN deleted_at TEXT;

UPDATE opportunity_stage_history SET
  owner_id = (SELECT o.owner_id FROM opportunities o WHERE o.id = opportunity_stage_history.opportunity_id),
  department_id = (SELECT o.department_id FROM opportunities o WHERE o.id = opportunity_stage_history.opportunity_id),
  deleted_at = (SELECT o.deleted_at FROM opportunities o WHERE o.id = opportunity_stage_history.opportunity_id);

-- begin sqlite
UPDATE opportunity_stage_history
  SET duration_seconds = CAST(strftime('%s', exited_at) AS INTEGER) - CAST(strftime('%s', entered_at) AS INTEGER)
  WHERE exited_at IS NOT NULL;
-- end sqlite
-- begin postgres
UPDATE opportunity_stage_history
  SET duration_seconds = floor(extract(epoch FROM exited_at::timestamptz))::bigint
                         - floor(extract(epoch FROM entered_at::timestamptz))::bigint
  WHERE exited_at IS NOT NULL;
-- end postgres

-- Finished stays only: company-wide by stage, a person's and a department's.
CREATE INDEX opportunity_stage_history_duration ON opportunity_stage_history
  (stage, duration_seconds, owner_id, department_id) WHERE duration_seconds IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX opportunity_stage_history_owner_duration ON opportunity_stage_history
  (owner_id, stage, duration_seconds) WHERE duration_seconds IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX opportunity_stage_history_department_duration ON opportunity_stage_history
  (department_id, stage, duration_seconds) WHERE duration_seconds IS NOT NULL AND deleted_at IS NULL;

-- 2. Counts and sums per owner and department (pipeline_tally), so the
-- company-wide funnel and forecast read a few thousand rows instead of every
-- opportunity. pipeline_tally_source says what they are; the pipeline module
-- (src/pipeline/tally.cpp) replaces an owner's rows from it in the transaction
-- of every write to one of their opportunities (the owner filter reaches the
-- grouped SELECTs, so that reads one owner's opportunities). kind: stage (by
-- status and stage), close (open ones by expected close month), won (by won
-- month). An opportunity's owner and department never change.
CREATE VIEW pipeline_tally_source AS
SELECT owner_id, department_id, CAST('stage' AS TEXT) AS kind, status, stage, CAST('' AS TEXT) AS month,
       count(*) AS n, coalesce(sum(expected_value_fen), 0) AS value_fen,
       coalesce(sum(expected_value_fen * coalesce(win_probability, 0) / 100), 0) AS weighted_fen,
       coalesce(sum(won_value_fen), 0) AS won_value_fen
  FROM opportunities WHERE deleted_at IS NULL GROUP BY owner_id, department_id, status, stage
UNION ALL
SELECT owner_id, department_id, CAST('close' AS TEXT), CAST('open' AS TEXT), 0, substr(expected_close_date, 1, 7),
       count(*), coalesce(sum(expected_value_fen), 0),
       coalesce(sum(expected_value_fen * coalesce(win_probability, 0) / 100), 0), 0
  FROM opportunities WHERE deleted_at IS NULL AND status = 'open' AND expected_close_date IS NOT NULL
  GROUP BY owner_id, department_id, substr(expected_close_date, 1, 7)
UNION ALL
SELECT owner_id, department_id, CAST('won' AS TEXT), CAST('won' AS TEXT), 0, substr(won_date, 1, 7),
       count(*), 0, 0, coalesce(sum(won_value_fen), 0)
  FROM opportunities WHERE deleted_at IS NULL AND status = 'won' AND won_date IS NOT NULL
  GROUP BY owner_id, department_id, substr(won_date, 1, 7);

CREATE TABLE pipeline_tally (
  owner_id BIGINT,
  department_id BIGINT,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  stage BIGINT NOT NULL,
  month TEXT NOT NULL,
  n BIGINT NOT NULL,
  value_fen BIGINT NOT NULL,
  weighted_fen BIGINT NOT NULL,
  won_value_fen BIGINT NOT NULL
);
CREATE INDEX pipeline_tally_owner ON pipeline_tally (owner_id, kind);
CREATE INDEX pipeline_tally_department ON pipeline_tally (department_id, kind);
INSERT INTO pipeline_tally SELECT * FROM pipeline_tally_source;
