#!/usr/bin/env bash
# The import benchmark (part of `make bench`): `kam import` of ROWS accounts
# from one CSV file against the plainest load of the same file into the same
# database engine, measured in the same run.
#
#   bench/import.sh                       # ROWS=1000000, SQLite and PostgreSQL
#   ROWS=100000 PG=0 bench/import.sh      # quick, SQLite only
#
# SQLite:     kam import into a fresh, migrated database
#     versus  sqlite3's .import of the file into a table with the file's
#             columns (prepared INSERTs in one transaction, no indexes).
# PostgreSQL: kam import (COPY inside) into a fresh, migrated database on a
#             throw-away server (scripts/pg-test-server)
#     versus  psql's \copy of the file into a table with the file's columns.
# Target (issue 3): kam's rows/s at least half of the plain load's. kam writes
# more than the file holds: per account the row itself, its search postings
# (one per distinct bigram of the name) and an audit row; the report gives
# those counts so the ratio can be read per row written, too.
#
# Environment (defaults): ROWS (1000000), SEED (20261129), PG (1: also
# PostgreSQL), BUILD_DIR (build), KAM_BIN ($BUILD_DIR/kam), DATA_DIR
# (bench/data), KAM_ADMIN_PASSWORD (kam-bench-admin-2026). Results are also
# written to DATA_DIR/import-results-<time>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROWS=${ROWS:-1000000}
SEED=${SEED:-20261129}
PG=${PG:-1}
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
KAM_BIN=${KAM_BIN:-$BUILD_DIR/kam}
DATA_DIR=${DATA_DIR:-$ROOT/bench/data}
export KAM_ADMIN_PASSWORD=${KAM_ADMIN_PASSWORD:-kam-bench-admin-2026}

mkdir -p "$DATA_DIR"
[[ -x "$KAM_BIN" ]] || cmake --build "$BUILD_DIR" --target kam
CSV="$DATA_DIR/import-$ROWS-$SEED.csv"
WORK=$(mktemp -d /tmp/kam-import-bench.XXXXXX)
chmod 755 "$WORK"
RESULTS="$DATA_DIR/import-results-$(date -u +%Y%m%dT%H%M%SZ).txt"
cleanup() {
  [[ -d "$WORK/pg" ]] && "$ROOT/scripts/pg-test-server" stop "$WORK/pg" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$RESULTS"; }
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%d", n / s }'; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The file: Chinese company names (city + brand + industry + 有限公司 + a
# number, so every name is distinct), real province/city pairs, an address,
# staff numbers and revenue in 万元. Made once per ROWS and SEED.
if [[ ! -s "$CSV" ]]; then
  echo "writing $CSV ($ROWS rows)"
  python3 - "$CSV" "$ROWS" "$SEED" <<'PY'
import csv, random, sys
path, rows, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
places = [("江苏省", "苏州市", "苏州"), ("浙江省", "杭州市", "杭州"), ("广东省", "深圳市", "深圳"),
          ("四川省", "成都市", "成都"), ("湖北省", "武汉市", "武汉"), ("江苏省", "南京市", "南京"),
          ("陕西省", "西安市", "西安"), ("山东省", "青岛市", "青岛"), ("上海市", "上海市", "上海"),
          ("北京市", "北京市", "北京")]
brands = ["华鼎", "瑞通", "恒达", "鼎盛", "金诚", "宏远", "天成", "联创", "博雅", "永泰", "嘉禾", "正源"]
industries = ["机械", "医药", "物流", "科技", "电子", "化工", "食品", "纺织", "建材", "汽车零部件"]
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["客户名称", "行业", "省份", "城市", "地址", "员工人数", "年营业额（万元）"])
    for i in range(rows):
        province, city, short = rng.choice(places)
        industry = rng.choice(industries)
        w.writerow([f"{short}{rng.choice(brands)}{industry}有限公司{i + 1}", industry, province, city,
                    f"{short}市工业园区{rng.randint(1, 999)}号", rng.randint(10, 20000), rng.randint(100, 500000)])
PY
fi
say "import benchmark: $ROWS rows, $(du -h "$CSV" | cut -f1) CSV, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%FT%TZ)"
say "kam: $KAM_BIN ($("$KAM_BIN" version 2>/dev/null || echo unknown))"
PLAIN_COLUMNS='name TEXT, industry TEXT, province TEXT, city TEXT, address TEXT, employees INTEGER, revenue_wan INTEGER'

report() {  # name kam_seconds plain_seconds schema_seconds accounts postings audit kam_log
  local kam_rate plain_rate schema_rate
  kam_rate=$(rate "$ROWS" "$2")
  plain_rate=$(rate "$ROWS" "$3")
  schema_rate=$(rate "$ROWS" "$4")
  say ""
  say "$1: kam import $2 s = $kam_rate rows/s; plain load $3 s = $plain_rate rows/s; ratio $(ratio "$kam_rate" "$plain_rate") (target >= 0.50)"
  say "$1: the same rows written by the database itself into KAM's schema (SQL, no kam) $4 s = $schema_rate rows/s; kam's ratio to it $(ratio "$kam_rate" "$schema_rate")"
  say "$1: kam wrote $5 accounts, $6 search postings, $7 audit rows: $(rate "$(($5 + $6 + $7))" "$2") database rows/s"
  say "$1: kam import's $(grep -o 'peak memory [0-9]* MB' "$8" || echo 'peak memory unknown')"
}

# The database's own floor for what kam writes: the file loaded plainly into a
# temporary table, then in one transaction and by SQL alone the same accounts
# (archive number, search key, owner, times, the file's fields), their search
# postings (every distinct bigram of the name, in index order) and one audit
# row each (the same JSON members kam writes), into a migrated database with
# all of KAM's indexes. No validation, no duplicate checks: what no importer can
# beat on the same schema.
NOW=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
AUDIT_MEMBERS="('address', address, 'annual_revenue_fen', annual_revenue_fen, 'archive_no', archive_no,
  'business_status', NULL, 'city', city, 'created_at', created_at, 'credit_code', NULL, 'customer_kind', NULL,
  'department_id', department_id, 'employees', employees, 'founded_year', NULL, 'id', id, 'industry', industry,
  'market_stage', NULL, 'name', name, 'needs', NULL, 'owner_id', owner_id, 'ownership_type', NULL, 'preferences', NULL,
  'price_sensitivity', NULL, 'procurement_mode', NULL, 'province', province, 'relationship_stage', relationship_stage,
  'source', 'import', 'tier', NULL, 'tier_override_reason', NULL, 'updated_at', updated_at, 'version', version,
  'website', NULL)"
# The INSERTs from table plain. $1: the postings INSERT, $2: the archive number
# of row n, $3: the JSON object function.
schema_load_sql() {
  cat <<SQL
INSERT INTO accounts (archive_no, name, search_key, industry, province, city, address, employees, annual_revenue_fen,
                      owner_id, department_id, owned_since, version, created_at, updated_at)
  SELECT $2, name, lower(name), industry, province, city, address, employees,
         CAST(revenue_wan AS BIGINT) * 1000000, (SELECT id FROM users WHERE username = 'admin'),
         (SELECT department_id FROM users WHERE username = 'admin'), '$NOW', 1, '$NOW', '$NOW'
  FROM (SELECT row_number() OVER () AS n, * FROM plain) AS p;
$1
INSERT INTO audit_log (at, user_id, entity, entity_id, action, before_json, after_json)
  SELECT '$NOW', owner_id, 'account', id, 'create', NULL, $3$AUDIT_MEMBERS FROM accounts ORDER BY id;
SQL
}

# SQLite.
"$KAM_BIN" migrate --db "sqlite:$WORK/kam.db" >/dev/null 2>&1
sync
start=$(now)
"$KAM_BIN" import --db "sqlite:$WORK/kam.db" --kind accounts --owner admin "$CSV" >"$WORK/sqlite-report.json" 2>"$WORK/sqlite-import.log"
kam_s=$(seconds "$start" "$(now)")
start=$(now)
sqlite3 "$WORK/plain.db" "CREATE TABLE plain($PLAIN_COLUMNS);" ".import --csv --skip 1 $CSV plain"
plain_s=$(seconds "$start" "$(now)")
"$KAM_BIN" migrate --db "sqlite:$WORK/schema.db" >/dev/null 2>&1
sync
start=$(now)
sqlite3 "$WORK/schema.db" <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-1048576;
CREATE TEMP TABLE plain($PLAIN_COLUMNS);
.import --csv --skip 1 --schema temp $CSV plain
BEGIN IMMEDIATE;
$(schema_load_sql "CREATE TEMP TABLE i(k INTEGER PRIMARY KEY);
WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < 200) INSERT INTO i SELECT k FROM c;
INSERT OR IGNORE INTO account_search (gram, account_id)
  SELECT substr(a.search_key, i.k, 2) AS gram, a.id FROM accounts a JOIN i ON i.k < length(a.search_key)
  ORDER BY gram, a.id;" "printf('KA-2026-%06d', n)" json_object)
COMMIT;
SQL
schema_s=$(seconds "$start" "$(now)")
[[ "$(sqlite3 "$WORK/schema.db" "SELECT count(*) FROM accounts")" == "$ROWS" ]] || { echo "the schema load wrote a different number of accounts" >&2; exit 1; }
counts=$(sqlite3 "$WORK/kam.db" "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM account_search), (SELECT count(*) FROM audit_log WHERE entity = 'account')")
plain_rows=$(sqlite3 "$WORK/plain.db" "SELECT count(*) FROM plain")
IFS='|' read -r accounts postings audits <<<"$counts"
[[ "$accounts" == "$ROWS" && "$plain_rows" == "$ROWS" ]] || { echo "row counts differ: kam $accounts, plain $plain_rows, file $ROWS" >&2; exit 1; }
report "SQLite" "$kam_s" "$plain_s" "$schema_s" "$accounts" "$postings" "$audits" "$WORK/sqlite-import.log"

# PostgreSQL.
if [[ "$PG" == 1 ]]; then
  "$ROOT/scripts/pg-test-server" start "$WORK/pg" >/dev/null
  KAM_URL=$("$ROOT/scripts/pg-test-server" createdb "$WORK/pg" kam_import)
  PLAIN_URL=$("$ROOT/scripts/pg-test-server" createdb "$WORK/pg" plain_import)
  "$KAM_BIN" migrate --db "$KAM_URL" >/dev/null 2>&1
  start=$(now)
  "$KAM_BIN" import --db "$KAM_URL" --kind accounts --owner admin "$CSV" >"$WORK/pg-report.json" 2>"$WORK/pg-import.log"
  kam_s=$(seconds "$start" "$(now)")
  psql -q "$PLAIN_URL" -c "CREATE TABLE plain($PLAIN_COLUMNS)"
  start=$(now)
  psql -q "$PLAIN_URL" -c "\\copy plain FROM '$CSV' WITH (FORMAT csv, HEADER true)"
  plain_s=$(seconds "$start" "$(now)")
  SCHEMA_URL=$("$ROOT/scripts/pg-test-server" createdb "$WORK/pg" schema_import)
  "$KAM_BIN" migrate --db "$SCHEMA_URL" >/dev/null 2>&1
  start=$(now)
  psql -q -v ON_ERROR_STOP=1 "$SCHEMA_URL" <<SQL
BEGIN;
CREATE TEMP TABLE plain($PLAIN_COLUMNS);
\\copy plain FROM '$CSV' WITH (FORMAT csv, HEADER true)
$(schema_load_sql "INSERT INTO account_search (gram, account_id)
  SELECT DISTINCT substr(a.search_key, k, 2) AS gram, a.id
  FROM accounts a CROSS JOIN LATERAL generate_series(1, length(a.search_key) - 1) AS k
  ORDER BY gram, a.id;" "'KA-2026-' || lpad(n::text, greatest(6, length(n::text)), '0')" json_build_object)
COMMIT;
SQL
  schema_s=$(seconds "$start" "$(now)")
  counts=$(psql -At "$KAM_URL" -c "SELECT (SELECT count(*) FROM accounts) || '|' || (SELECT count(*) FROM account_search) || '|' || (SELECT count(*) FROM audit_log WHERE entity = 'account')")
  IFS='|' read -r accounts postings audits <<<"$counts"
  [[ "$accounts" == "$ROWS" ]] || { echo "PostgreSQL: kam wrote $accounts accounts, the file has $ROWS" >&2; exit 1; }
  report "PostgreSQL 15" "$kam_s" "$plain_s" "$schema_s" "$accounts" "$postings" "$audits" "$WORK/pg-import.log"
fi
say ""
say "results: $RESULTS"
