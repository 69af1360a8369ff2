#!/usr/bin/env bash
# SIGKILL → WORKSPACE_OFFLINE and → WORKSPACE_ONLINE for the echo agent (median of N, default 10),
# with a cold start (create → WORKSPACE_ONLINE) measured in the same run as the baseline.
set -euo pipefail
source "$(dirname "$0")/bench.sh"
bench_java -- RecoveryBench.java "${1:-10}"
