#!/usr/bin/env bash
# The store's side of a fleet's heartbeats alone (bench/HeartbeatStoreBench.java): one second of
# heartbeats of N workspaces (default 10 000) written one UPDATE each or in one batch, and the
# heartbeat-expiry query without and with an index; on H2, or with FLEET_DB=postgres on a
# throw-away local PostgreSQL.
#   [FLEET_DB=postgres] bench/heartbeat-store.sh [N] [rounds]
set -euo pipefail
source "$(dirname "$0")/bench.sh"
source "$(dirname "$0")/postgres.sh"
if [ "${FLEET_DB:-h2}" = postgres ]; then
  start_postgres
fi
"$JAVA" -Xmx512m -cp "$JAR" "$ROOT/bench/HeartbeatStoreBench.java" "${1:-10000}" "${2:-20}"
