-- Functions that SQLite has built in and PostgreSQL lacks, so that queries
-- can be written once. instr(haystack, needle): 1-based position or 0.
-- begin postgres
CREATE OR REPLACE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT strpos(haystack, needle) $$;
-- end postgres
SELECT 1;
