#!/usr/bin/env bash
# One Lifeline watching N simulated workspaces (default 100) for S seconds (default 180), on the
# embedded H2, on PostgreSQL when LIFELINE_DATABASE_URL (and _USER/_PASSWORD) are set, or on a
# throw-away local PostgreSQL (the zonky binaries the store tests use) with FLEET_DB=postgres.
# Prints Lifeline's CPU apart from the simulator's, heap after GC, RSS, database growth, the sweep's
# and heartbeat expiry's round durations, /ws fan-out and detection times for killed and silenced agents.
#   bench/fleet.sh [N] [seconds]
#   FLEET_DB=postgres bench/fleet.sh [N] [seconds]
# FLEET_JAVA_OPTS adds JVM options (e.g. -XX:StartFlightRecording=filename=fleet.jfr to profile).
# FLEET_SUBSCRIBERS sets how many /ws subscribers read the feed (default 10; 0 prices the fan-out).
set -euo pipefail
source "$(dirname "$0")/bench.sh"
source "$(dirname "$0")/postgres.sh"

if [ "${FLEET_DB:-h2}" = postgres ]; then
  start_postgres
  # not exec: the trap stops PostgreSQL when the benchmark ends
  LIFELINE_LOG_LEVEL="${LIFELINE_LOG_LEVEL:-WARN}" "$JAVA" -Xmx1g ${FLEET_JAVA_OPTS:-} -cp "$JAR" "$ROOT/bench/FleetBench.java" "${1:-100}" "${2:-180}"
else
  bench_java -Xmx1g ${FLEET_JAVA_OPTS:-} -- FleetBench.java "${1:-100}" "${2:-180}"
fi
