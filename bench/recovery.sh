#!/usr/bin/env bash
# SIGKILL → WORKSPACE_OFFLINE and → WORKSPACE_ONLINE for the echo agent (median of N, default 10),
# with a cold start (create → WORKSPACE_ONLINE) measured in the same run as the baseline.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/lifeline" --version >/dev/null   # builds the jar when sources changed
JAVA="$("$ROOT/lifeline" jdk)/bin/java"
LIFELINE_LOG_LEVEL=WARN exec "$JAVA" -cp "$ROOT/server/target/lifeline.jar" "$ROOT/bench/RecoveryBench.java" "${1:-10}"
