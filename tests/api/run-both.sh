#!/usr/bin/env bash
# Runs the black-box API tests against fresh SQLite and PostgreSQL servers.
#
#   tests/api/run-both.sh [sqlite|postgres|both]     (default both)
#
# Environment: KAM (the binary, default build/kam), PORT_SQLITE (18090), PORT_PG (18091).
# Each back end gets a brand-new database in a temporary directory; the servers
# started here (and only those) are stopped at the end. Exit status is non-zero
# if any run failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KAM=${KAM:-$ROOT/build/kam}
PORT_SQLITE=${PORT_SQLITE:-18090}
PORT_PG=${PORT_PG:-18091}
PASSWORD='Admin-Pass-2026!'
# Extra `kam serve` flags: --test-clock lets the activities tests move "now" (PUT /api/v1/test/clock).
read -r -a SERVE_ARGS <<<"${KAM_SERVE_ARGS---test-clock}"
# The test files to run (default: all of tests/api/).
TESTS=${KAM_API_TESTS:-$ROOT/tests/api/}
WHICH=${1:-both}
WORK=$(mktemp -d /tmp/kam-apitest.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=
STATUS=0

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=
  fi
}
cleanup() {
  stop_server
  [[ -d "$WORK/pg" ]] && "$ROOT/scripts/pg-test-server" stop "$WORK/pg" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

port_free() {
  if curl -s -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null; then
    echo "port $1 is already in use: stop that server or set PORT_SQLITE/PORT_PG" >&2
    return 1
  fi
}

wait_healthy() { # port log — the server we started must be the one answering
  for _ in $(seq 1 100); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "the server exited; log:" >&2
      cat "$2" >&2
      return 1
    fi
    curl -sf "http://127.0.0.1:$1/api/v1/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server on port $1 did not become healthy; log:" >&2
  cat "$2" >&2
  return 1
}

run_suite() { # name port database-url
  echo "=== API tests on $1 (port $2)"
  # KAM_BIN and KAM_DB_URL let servers.test.mjs start a second server on the same database.
  KAM_URL="http://127.0.0.1:$2" KAM_ADMIN_PASSWORD="$PASSWORD" KAM_BIN="$KAM" KAM_DB_URL="$3" \
    node --test --test-concurrency=1 $TESTS || STATUS=1
}

if [[ "$WHICH" == sqlite || "$WHICH" == both ]]; then
  port_free "$PORT_SQLITE" || exit 1
  KAM_ADMIN_PASSWORD="$PASSWORD" "$KAM" serve --db "sqlite:$WORK/kam.db" --listen "127.0.0.1:$PORT_SQLITE" --quiet "${SERVE_ARGS[@]}" \
    >"$WORK/sqlite.log" 2>&1 &
  SERVER_PID=$!
  if wait_healthy "$PORT_SQLITE" "$WORK/sqlite.log"; then run_suite SQLite "$PORT_SQLITE" "sqlite:$WORK/kam.db"; else STATUS=1; fi
  stop_server
fi

if [[ "$WHICH" == postgres || "$WHICH" == both ]]; then
  port_free "$PORT_PG" || exit 1
  if URL=$("$ROOT/scripts/pg-test-server" start "$WORK/pg"); then
    KAM_ADMIN_PASSWORD="$PASSWORD" "$KAM" serve --db "$URL" --listen "127.0.0.1:$PORT_PG" --quiet "${SERVE_ARGS[@]}" \
      >"$WORK/postgres.log" 2>&1 &
    SERVER_PID=$!
    if wait_healthy "$PORT_PG" "$WORK/postgres.log"; then run_suite PostgreSQL "$PORT_PG" "$URL"; else STATUS=1; fi
    stop_server
  else
    echo "could not start a PostgreSQL test server" >&2
    STATUS=1
  fi
fi

exit $STATUS
