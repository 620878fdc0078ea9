-- Account lists at 1M accounts without sorting every match (docs/performance.md).
--
-- 1. Filtered by province alone, newest first (the default order): the
-- province's rows of accounts_province_city (province, city, id) had to be
-- read and sorted, ~90 ms for a province of 77k accounts; in (province, id)
-- order the page is the first 50 rows.
CREATE INDEX accounts_province ON accounts (province, id);

-- 2. Sorted by a column that may be empty (empty last in both directions):
-- the list walks (column, id) for the accounts with a value, then the rows
-- with column IS NULL in id order (src/accounts/store.cpp, ids_query).
-- accounts_tier (tier, id) exists; last_activity_at gets the id too.
CREATE INDEX accounts_revenue ON accounts (annual_revenue_fen, id);
CREATE INDEX accounts_employees ON accounts (employees, id);
DROP INDEX accounts_last_activity;
CREATE INDEX accounts_last_activity ON accounts (last_activity_at, id);
