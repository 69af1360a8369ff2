#!/usr/bin/env bash
# Chaos: N echo workspaces (default 50) under ~50 A2A calls/s while a random agent is SIGKILLed every
# 2 s, for S seconds (default 600). Prints answers by status, unanswered calls, kill → offline/online
# (median, p99), restarts per kill (target 1.0), the final state and the wait added to calls that
# waited for a restart. MODE "hold" (default) lets calls wait; "nowait" sends them with Prefer: wait=0.
#   bench/chaos.sh [SECONDS] [WORKSPACES] [hold|nowait]
set -euo pipefail
source "$(dirname "$0")/bench.sh"
bench_java -- ChaosBench.java "${1:-600}" "${2:-50}" "${3:-hold}"
