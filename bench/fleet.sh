#!/usr/bin/env bash
# One Lifeline watching N simulated workspaces (default 100) for S seconds (default 180), on the
# embedded H2, or on PostgreSQL when LIFELINE_DATABASE_URL (and _USER/_PASSWORD) are set. Prints CPU,
# heap after GC, RSS, database growth, /ws fan-out and detection times for killed and silenced agents.
#   bench/fleet.sh [N] [seconds]
set -euo pipefail
source "$(dirname "$0")/bench.sh"
bench_java -Xmx1g -- FleetBench.java "${1:-100}" "${2:-180}"
