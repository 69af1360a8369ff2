#!/usr/bin/env bash
# A burst of calls to an agent that takes two at a time (429 beyond): queued calls are all
# delivered, none twice; prints the drain rate and the queueing delay (p50/p99).
#   bench/queue.sh [calls=200] [work_ms=100] [heartbeat_ms=1000]
set -euo pipefail
source "$(dirname "$0")/bench.sh"
bench_java -- QueueBench.java "${1:-200}" "${2:-100}" "${3:-1000}"
