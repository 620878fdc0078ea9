#!/usr/bin/env bash
# The load benchmark (`make bench`): a 1M-account SQLite database, the real
# server, and wrk on this machine.
#
#   bench/run.sh                      # ACCOUNTS=1000000, 15 s per run
#   ACCOUNTS=100000 DURATION=5s bench/run.sh
#
# Steps: build kam and kam_bench_generate if missing; generate
# bench/data/kam-$ACCOUNTS.db (or reuse it when a previous generation
# finished: bench/data/kam-$ACCOUNTS.db.complete); start
# `kam serve --quiet` on 127.0.0.1 (a free port unless PORT is set); log in
# as admin; run wrk (CONNECTIONS connections, THREADS threads, DURATION each,
# --latency) on
#   health   GET /api/v1/health
#   get      GET /api/v1/accounts/{random id in 1..ACCOUNTS}
#   search2  GET /api/v1/accounts?q=<2 chars>&limit=50, cycling over SEARCH2_TERMS
#   search4  the same with 3-4 character terms (SEARCH4_TERMS)
#   filtered GET /api/v1/accounts?<filters>&limit=50 over FILTERED_QUERIES (;-separated)
# and, with DETAIL=1 (default): search2 once per frequency tier (rare brand,
# city, industry) so a miss can be traced to a tier, search2 and search4 at
# LOW_CONNECTIONS (service time without queueing), and list: GET
# /api/v1/accounts?limit=50 without q (the app's first page). Prints a summary
# table (with the server's CPU time per request) and whether the targets hold:
#   search p99 < 20 ms;  get requests/s >= 1/2 of health requests/s (same run).
# Exit status: 0 when the runs completed (targets met or not; STRICT=1 makes a
# missed target exit 1), non-zero when something broke (build, server, errors).
#
# Environment (defaults): ACCOUNTS (1000000), SEED (20261129), DURATION (15s),
# WARMUP (3s), CONNECTIONS (64), THREADS (2), PORT (0 = free port), WORKERS
# (server default), BUILD_DIR (build), DATA_DIR (bench/data), KAM_ADMIN_PASSWORD
# (kam-bench-admin-2026: the generated database is throw-away), DETAIL (1),
# STRICT (0), SEARCH2_TERMS, SEARCH4_TERMS, LOW_CONNECTIONS (4: the DETAIL runs
# of search at low concurrency, service time without queueing), KAM_BIN
# ($BUILD_DIR/kam: another server binary, e.g. a prototype build, to compare),
# DB_URL (unset: the SQLite file above; set, e.g. postgresql://…: serve that
# database instead, generated beforehand with kam_bench_generate --db DB_URL
# --accounts ACCOUNTS --seed SEED and the same KAM_ADMIN_PASSWORD).
# Results are also written to DATA_DIR/results-<time>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ACCOUNTS=${ACCOUNTS:-1000000}
SEED=${SEED:-20261129}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-0}
WORKERS=${WORKERS:-}
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
DATA_DIR=${DATA_DIR:-$ROOT/bench/data}
DETAIL=${DETAIL:-1}
LOW_CONNECTIONS=${LOW_CONNECTIONS:-4}
KAM_BIN=${KAM_BIN:-$BUILD_DIR/kam}
STRICT=${STRICT:-0}
DB_URL=${DB_URL:-}
export KAM_ADMIN_PASSWORD=${KAM_ADMIN_PASSWORD:-kam-bench-admin-2026}
# Two-character terms of three frequency tiers at 1M accounts (counts are
# printed by the run): brand bigrams (~200-400 matches), cities (~19k),
# industry words (~42k-83k).
RARE_TERMS=${RARE_TERMS:-华为,鼎盛,瑞通,恒达}
CITY_TERMS=${CITY_TERMS:-苏州,杭州,深圳,成都}
INDUSTRY_TERMS=${INDUSTRY_TERMS:-医药,机械,物流,科技}
SEARCH2_TERMS=${SEARCH2_TERMS:-$RARE_TERMS,$CITY_TERMS,$INDUSTRY_TERMS}
# 3-4 characters: city+brand (rare), brand+industry (rare), industry words (~42k).
# Filtered lists (issue 3): filters on indexed columns, alone, combined and
# with a two-character search.
FILTERED_QUERIES=${FILTERED_QUERIES:-province=广东省;province=江苏省&city=苏州市;industry=医药健康;department_id=6;q=科技&province=浙江省;industry=零售&sort=name}
SEARCH4_TERMS=${SEARCH4_TERMS:-苏州华鼎,深圳瑞通,华为电子,鼎盛医药,精密机械,电子科技,医疗器械,新能源}

WRK_LUA="$ROOT/bench/wrk/kam.lua"
DB_FILE="$DATA_DIR/kam-$ACCOUNTS.db"
MARKER="$DB_FILE.complete"
mkdir -p "$DATA_DIR"
RESULTS="$DATA_DIR/results-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$RESULTS") 2>&1

say() { printf '\n== %s\n' "$*"; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 2; }

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v curl >/dev/null || die "curl is not installed (apt-get install curl)"

# ---------------------------------------------------------------- build
if [[ ! -x "$BUILD_DIR/kam" || ! -x "$BUILD_DIR/bench/kam_bench_generate" ]]; then
  say "building kam and kam_bench_generate in $BUILD_DIR"
  [[ -f "$BUILD_DIR/build.ninja" || -f "$BUILD_DIR/Makefile" ]] ||
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build "$BUILD_DIR" --target kam kam_bench_generate
fi

say "machine"
echo "cores: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kam: $KAM_BIN ($("$KAM_BIN" version)); build type: $(grep -m1 '^CMAKE_BUILD_TYPE' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null | cut -d= -f2)"

# ---------------------------------------------------------------- data
want_marker="accounts=$ACCOUNTS seed=$SEED"
if [[ -n "$DB_URL" ]]; then
  say "using $DB_URL (generated beforehand with kam_bench_generate --accounts $ACCOUNTS)"
elif [[ -f "$DB_FILE" && -f "$MARKER" && "$(cat "$MARKER")" == "$want_marker" ]]; then
  say "reusing $DB_FILE ($want_marker)"
else
  say "generating $DB_FILE ($want_marker)"
  rm -f "$DB_FILE" "$DB_FILE-wal" "$DB_FILE-shm" "$MARKER"
  "$BUILD_DIR/bench/kam_bench_generate" --db "sqlite:$DB_FILE" --accounts "$ACCOUNTS" --seed "$SEED"
  echo "$want_marker" >"$MARKER"
fi
if [[ -z "$DB_URL" ]]; then
  echo "database size: $(du -m "$DB_FILE" | cut -f1) MiB ($DB_FILE)"
  cat "$DB_FILE" >/dev/null  # warm the OS page cache, as on a server that has been up a while
fi

# ---------------------------------------------------------------- server
SERVER_LOG="$DATA_DIR/server.log"
# --no-jobs: the hourly pool recovery would return the generated accounts (no
# activity yet) to the pool, 1M ownership changes, while the runs measure.
server_args=(serve --db "${DB_URL:-sqlite:$DB_FILE}" --listen "127.0.0.1:$PORT" --quiet --no-jobs)
[[ -n "$WORKERS" ]] && server_args+=(--workers "$WORKERS")
say "starting: kam ${server_args[*]}"
"$KAM_BIN" "${server_args[@]}" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
cleanup() {
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# The first start on a database made by an older build applies the newer
# migrations (on 1M accounts an index build can take a while): wait up to 10 min.
port=""
for _ in $(seq 1 6000); do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG"; die "the server exited"; }
  port=$(grep -o 'serving http://127.0.0.1:[0-9]*' "$SERVER_LOG" | head -n1 | sed 's/.*://' || true)
  [[ -n "$port" ]] && break
  # A fixed PORT also works if the start-up log line ever changes.
  if [[ "$PORT" != 0 ]] && curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1; then
    port=$PORT
    break
  fi
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$SERVER_LOG"; die "the server did not start within 10 minutes"; }
BASE="http://127.0.0.1:$port"
curl -fsS "$BASE/api/v1/health" >/dev/null || die "health check failed"
echo "listening on $BASE (log: $SERVER_LOG)"

login=$(curl -sS -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  --data "{\"username\":\"admin\",\"password\":\"$KAM_ADMIN_PASSWORD\"}")
TOKEN=$(printf '%s' "$login" | grep -o '"token":"[^"]*"' | head -n1 | cut -d'"' -f4 || true)
[[ -n "$TOKEN" ]] || die "login as admin failed: $login
(the database was generated with another KAM_ADMIN_PASSWORD? delete $DB_FILE to regenerate)"

# Matches per term, with the time of one (warm) request, so the report says
# what the search runs measured.
say "search terms: matches (total) and the time of one request"
term_report() {
  local IFS=,
  for term in $1; do
    local enc out total t
    enc=$(printf '%s' "$term" | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g')
    curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/accounts?q=$enc&limit=50"
    out=$(curl -s -w ' %{time_total}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/accounts?q=$enc&limit=50")
    total=$(printf '%s' "$out" | grep -o '"total":[0-9]*' | cut -d: -f2)
    t=${out##* }
    printf '  %-10s %-8s %8s matches  %7.1f ms\n' "$2" "$term" "${total:-?}" "$(awk -v t="$t" 'BEGIN{print t*1000}')"
  done
}
term_report "$RARE_TERMS" rare
term_report "$CITY_TERMS" city
term_report "$INDUSTRY_TERMS" industry
term_report "$SEARCH4_TERMS" "3-4 chars"
IFS=';' read -r -a filtered_list <<<"$FILTERED_QUERIES"
for query in "${filtered_list[@]}"; do
  enc=$(printf '%s' "$query" | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g; s/%3d/=/g; s/%26/\&/g')
  total=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/accounts?$enc&limit=50" | grep -o '"total":[0-9]*' | cut -d: -f2)
  printf '  %-10s %-28s %8s matches\n' filtered "$query" "${total:-?}"
done
export KAM_QUERIES=$FILTERED_QUERIES

# ---------------------------------------------------------------- load
declare -a LABELS=()
declare -A RPS=() P50=() P90=() P99=() MAXMS=() ERRS=() LOADS=() CPU=() CONNS=() WRKCPU=() EST=()
# Server CPU time (user + system, clock ticks) from /proc: CPU per request is
# a figure that other work on the machine disturbs much less than req/s.
server_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))
wait_idle() {  # until the server used < 3 ticks of CPU in 0.3 s (at most 60 s)
  local t0 t1
  for _ in $(seq 1 200); do
    t0=$(server_ticks); sleep 0.3; t1=$(server_ticks)
    ((t1 - t0 < 3)) && return 0
  done
  echo "warning: the server is still busy after 60 s"
}
run_wrk() {  # label mode terms [connections]
  local label=$1 mode=$2 terms=${3:-} conns=${4:-$CONNECTIONS}
  say "$label: wrk -t$THREADS -c$conns -d$DURATION --latency (mode $mode${terms:+, terms $terms})"
  export KAM_WRK_MODE=$mode KAM_TOKEN=$TOKEN KAM_MAX_ID=$ACCOUNTS KAM_TERMS=$terms KAM_LABEL=$label
  wrk -t"$THREADS" -c"$conns" -d"$WARMUP" --timeout 30s -s "$WRK_LUA" "$BASE" >/dev/null
  wait_idle  # requests of the warm-up still in flight must not count in this run
  local load out line ticks wrk_cpu
  load=$(cut -d' ' -f1 /proc/loadavg)
  ticks=$(server_ticks)
  local TIMEFORMAT='%U %S'  # bash's `time`: wrk's own CPU seconds (user, system)
  { time wrk -t"$THREADS" -c"$conns" -d"$DURATION" --timeout 30s --latency -s "$WRK_LUA" "$BASE" \
      >"$DATA_DIR/wrk.out"; } 2>"$DATA_DIR/wrk.time"
  ticks=$(($(server_ticks) - ticks))
  out=$(cat "$DATA_DIR/wrk.out")
  wrk_cpu=$(awk '{print $1 + $2}' "$DATA_DIR/wrk.time")
  wait_idle
  printf '%s\n' "$out" | grep -v '^KAMRESULT'
  line=$(printf '%s\n' "$out" | grep '^KAMRESULT' | head -n1)
  [[ -n "$line" ]] || die "wrk printed no result for $label"
  # KAMRESULT label requests seconds rps p50 p75 p90 p99 max non2xx socket_errors
  local requests rps p50 p90 p99 max non2xx sockerr
  read -r _ _ requests _ rps p50 _ p90 p99 max non2xx sockerr <<<"$line"
  if ((requests == 0)); then p50=none p90=none p99=none max=none; fi  # wrk reports 0 ms then
  LABELS+=("$label")
  RPS[$label]=$rps P50[$label]=$p50 P90[$label]=$p90 P99[$label]=$p99 MAXMS[$label]=$max
  ERRS[$label]=$((non2xx + sockerr)) LOADS[$label]=$load CONNS[$label]=$conns
  CPU[$label]=$((requests > 0 ? ticks * TICK_US / requests : 0))
  WRKCPU[$label]=$(awk -v c="$wrk_cpu" -v n="$requests" 'BEGIN{printf "%d", (n > 0) ? c * 1e6 / n : 0}')
  # What 2 otherwise idle cores would sustain: 2 s of CPU per second / (server + wrk) CPU per request.
  EST[$label]=$(awk -v s="${CPU[$label]}" -v w="${WRKCPU[$label]}" -v n="$(nproc)" \
    'BEGIN{printf "%d", (s + w > 0) ? n * 1e6 / (s + w) : 0}')
}

run_wrk health health
run_wrk get get
run_wrk search2 search "$SEARCH2_TERMS"
run_wrk search4 search "$SEARCH4_TERMS"
run_wrk filtered filtered
if [[ "$DETAIL" == 1 ]]; then
  run_wrk search2-rare search "$RARE_TERMS"
  run_wrk search2-city search "$CITY_TERMS"
  run_wrk search2-industry search "$INDUSTRY_TERMS"
  run_wrk search2-c$LOW_CONNECTIONS search "$SEARCH2_TERMS" "$LOW_CONNECTIONS"
  run_wrk search4-c$LOW_CONNECTIONS search "$SEARCH4_TERMS" "$LOW_CONNECTIONS"
  run_wrk list list  # GET /api/v1/accounts?limit=50: the app's default page (no q)
fi

# ---------------------------------------------------------------- summary
say "summary: $ACCOUNTS accounts, $([[ -n "$DB_URL" ]] && echo "${DB_URL%%:*}" || echo SQLite), $THREADS wrk threads, $DURATION per run"
printf '%-18s %5s %9s %8s %8s %8s %8s %7s %6s %9s %6s %6s\n' run conns 'req/s' 'p50 ms' 'p90 ms' 'p99 ms' \
  'max ms' 'srv us' 'wrk us' 'est req/s' errors load1
for l in "${LABELS[@]}"; do
  printf '%-18s %5s %9s %8s %8s %8s %8s %7s %6s %9s %6s %6s\n' "$l" "${CONNS[$l]}" "${RPS[$l]}" "${P50[$l]}" \
    "${P90[$l]}" "${P99[$l]}" "${MAXMS[$l]}" "${CPU[$l]}" "${WRKCPU[$l]}" "${EST[$l]}" "${ERRS[$l]}" "${LOADS[$l]}"
done
cat <<'NOTE'
srv us / wrk us: CPU time per request of the server (all threads) and of wrk; unlike req/s and
latency they hardly depend on other work on the machine. est req/s: cores / (srv + wrk), an upper
bound for an otherwise idle machine (it ignores the server's single I/O thread and scheduling).
load1: the 1-minute load average when the run started; above ~1 on this 2-core machine means other
work shared the cores and req/s and latencies are lower than the machine can do.
NOTE

missed=0
check() {  # description condition-result
  if [[ "$2" == 1 ]]; then echo "  PASS  $1"; else echo "  MISS  $1"; missed=1; fi
}
say "targets"
for l in search2 search4 filtered; do
  check "$l p99 ${P99[$l]} ms < 20 ms" "$(awk -v p="${P99[$l]}" 'BEGIN{print (p ~ /^[0-9.]+$/ && p + 0 < 20) ? 1 : 0}')"
done
ratio=$(awk -v g="${RPS[get]}" -v h="${RPS[health]}" 'BEGIN{printf "%.2f", (h > 0) ? g / h : 0}')
check "get ${RPS[get]} req/s >= 1/2 of health ${RPS[health]} req/s (ratio $ratio)" \
  "$(awk -v r="$ratio" 'BEGIN{print (r >= 0.5) ? 1 : 0}')"
est_ratio=$(awk -v g="${EST[get]}" -v h="${EST[health]}" 'BEGIN{printf "%.2f", (h > 0) ? g / h : 0}')
echo "  info  get/health from CPU per request (est req/s): $est_ratio"
errors=0
for l in "${LABELS[@]}"; do errors=$((errors + ERRS[$l])); done
check "no non-2xx responses or socket errors ($errors)" "$([[ $errors == 0 ]] && echo 1 || echo 0)"
echo "results: $RESULTS"

[[ $errors == 0 ]] || exit 1
[[ "$STRICT" == 1 && $missed == 1 ]] && exit 1
exit 0
