#!/usr/bin/env bash
# Many A2A calls held open at once (default 8 000; the reference agent answers each after 10 s) through
# one Lifeline process running with -Xmx512m: counts the answers by status and reports Lifeline's peak
# resident memory and heap. The baseline, measured in the same run: the same calls straight to the
# same agent. Every call is one connection to 127.0.0.1; the load generator is bench/HeldCalls.java.
#   bench/concurrency.sh [calls] [hang seconds] [ramp ms]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CALLS="${1:-8000}"
HANG="${2:-10}"
RAMP_MS="${3:-2000}"
# client, Lifeline (inbound + upstream) and agent each hold one descriptor per call
ulimit -n 20000 || { echo "concurrency.sh: cannot raise the open-files limit to 20000" >&2; exit 1; }
"$ROOT/lifeline" --version >/dev/null   # builds the jar when sources changed
# shellcheck source=bench/workspace.sh
. "$ROOT/bench/workspace.sh"
JDK="$("$ROOT/lifeline" jdk)"
JAVA="$JDK/bin/java"
TMP="$(mktemp -d)"
cp "$ROOT/server/target/lifeline.jar" "$TMP/lifeline.jar"   # a rebuild during the run must not touch it
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
kib() { awk -v k="$2" '$1==k":"{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mib() { echo $(( $1 / 1024 )); }
# SYNs dropped because a listening socket's accept queue was full (whole machine, this network namespace)
overflows() { awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 }
  else for (i = 1; i <= NF; i++) if (n[i] == "ListenOverflows") print $i }' /proc/net/netstat; }

PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
SRV=""; AGENT=""; WS=""; POLLERS=()
cleanup() {
  rm -f "$TMP/polling"
  for p in "${POLLERS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$WS" ]; then curl -s -m 10 -o /dev/null -X DELETE -H 'Authorization: Bearer bench' "$BASE/workspaces/$WS" || true; fi
  if [ -n "$SRV" ]; then kill "$SRV" 2>/dev/null || true; wait "$SRV" 2>/dev/null || true; fi
  if [ -n "$AGENT" ] && grep -qs ReferenceAgent "/proc/$AGENT/cmdline"; then kill "$AGENT" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# The agent is the reference agent with the flags of the built-in "echo" runtime except the heap:
# with echo's -Xmx64m it runs out of heap at about 2 500 held calls, before Lifeline is tested at all.
export LIFELINE_RUNTIME_ECHO_BENCH="$JAVA -XX:+UseSerialGC -Xmx512m -XX:TieredStopAtLevel=1 -Xss512k -cp $TMP/lifeline.jar dev.lifeline.agent.ReferenceAgent"
LIFELINE_PORT="$PORT" LIFELINE_DATA_DIR="$TMP/data" LIFELINE_ADMIN_TOKEN=bench LIFELINE_LOG_LEVEL=WARN \
  "$JAVA" -XX:+UseSerialGC -Xmx512m -Xlog:gc:file="$TMP/gc.log" -jar "$TMP/lifeline.jar" serve >"$TMP/server.log" 2>&1 &
SRV=$!
await_lifeline "$BASE" "$TMP/server.log"
online_workspace "$BASE" echo-bench
held() { "$JAVA" -XX:+UseSerialGC "$ROOT/bench/HeldCalls.java" "$@"; }

# warm-up, both ways: short calls, so class loading and the first compilations are out of the way
for url in "$AGENT_URL/" "$BASE/workspaces/$WS/a2a"; do
  out="$(held warm-up "$url" 1000 '!hang 0' 1000)"
  grep -q '^RESULT ok=1000 ' <<<"$out" || { echo "warm-up against $url failed: $out" >&2; exit 1; }
done
sleep 2
IDLE_RSS="$(kib "$SRV" VmRSS)"

echo "build: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- '*.java' 2>/dev/null || echo ' with uncommitted changes')"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs (other processes may share the CPU)"
echo "calls: $CALLS, one connection each, opened over $RAMP_MS ms; the agent answers each after $HANG s"
O0="$(overflows)"
held "baseline, straight to the agent" "$AGENT_URL/" "$CALLS" "!hang $HANG" "$RAMP_MS" | tee "$TMP/direct.out" | grep -v '^RESULT'
OVERFLOW_DIRECT=$(( $(overflows) - O0 ))
sleep 3

# during the run through Lifeline: its RSS every 0.2 s, its heap (jcmd GC.heap_info) about every second
touch "$TMP/polling"
GC_LINES="$(wc -l <"$TMP/gc.log")"
( for _ in $(seq 600); do [ -e "$TMP/polling" ] || break; kib "$SRV" VmRSS; sleep 0.2; done ) >"$TMP/rss" &
POLLERS+=($!)
( for _ in $(seq 120); do
    [ -e "$TMP/polling" ] || break
    "$JDK/bin/jcmd" "$SRV" GC.heap_info 2>/dev/null | awk '/total .*used/ && !/Metaspace|class space/ {
        for (i = 1; i < NF; i++) { if ($i == "total") t += $(i+1); if ($i == "used") u += $(i+1) } }
        END { if (t) print u, t }'
    sleep 1
  done ) >"$TMP/heap" &
POLLERS+=($!)
O0="$(overflows)"
held "through Lifeline" "$BASE/workspaces/$WS/a2a" "$CALLS" "!hang $HANG" "$RAMP_MS" | tee "$TMP/lifeline.out" | grep -v '^RESULT'
OVERFLOW_LIFELINE=$(( $(overflows) - O0 ))
rm -f "$TMP/polling"; wait "${POLLERS[@]}" 2>/dev/null || true; POLLERS=()

PEAK_RSS="$(kib "$SRV" VmHWM)"
MAX_RSS="$(sort -n "$TMP/rss" | tail -1)"
read -r HEAP_USED HEAP_TOTAL < <(sort -n "$TMP/heap" | tail -1) || true
HEAP_SAMPLES="$(wc -l <"$TMP/heap")"
# -Xlog:gc lines: "... Pause Young (Allocation Failure) 180M->41M(245M) 12.345ms"
read -r GCS AFTER_GC MAX_PAUSE < <(tail -n +"$((GC_LINES + 1))" "$TMP/gc.log" | awk '/Pause/ {
    n++; split($(NF-1), a, "->"); sub(/M.*/, "", a[2]); if (a[2] + 0 > after) after = a[2] + 0
    p = $NF; sub(/ms/, "", p); if (p + 0 > pause) pause = p + 0 }
    END { printf "%d %d %.1f\n", n, after, pause }') || true
ALIVE=no; curl -sf -o /dev/null "$BASE/health" && kill -0 "$SRV" 2>/dev/null && ALIVE=yes
OOM="$(grep -c OutOfMemoryError "$TMP/server.log" || true)"
AGENT_PEAK="$(kib "$AGENT" VmHWM)"

result() { sed -n "s/.*RESULT.* $2=\([-0-9]*\).*/\1/p" "$TMP/$1.out"; }
echo
echo "summary"
printf '  %-32s %9s %10s %9s %9s %9s %10s\n' "" "answered" "in flight" "p50" "p99" "max" "SYN drops"
for run in direct lifeline; do
  name="baseline: straight to the agent"; drops=$OVERFLOW_DIRECT
  [ "$run" = lifeline ] && name="through Lifeline" && drops=$OVERFLOW_LIFELINE
  printf '  %-32s %9s %10s %6s ms %6s ms %6s ms %10s\n' "$name" "$(result "$run" ok)/$CALLS" "$(result "$run" peak)" \
    "$(result "$run" p50)" "$(result "$run" p99)" "$(result "$run" max)" "$drops"
done
echo "  (SYN drops: TcpExt ListenOverflows during the run, i.e. connection attempts dropped at a full accept queue)"
echo "  added latency through Lifeline: p50 +$(( $(result lifeline p50) - $(result direct p50) )) ms, p99 +$(( $(result lifeline p99) - $(result direct p99) )) ms"
echo "  Lifeline RSS: $(mib "$IDLE_RSS") MiB after warm-up, peak $(mib "$PEAK_RSS") MiB (VmHWM; highest 0.2 s sample $(mib "${MAX_RSS:-0}") MiB)," \
  "$(( (PEAK_RSS - IDLE_RSS) / CALLS )) KiB per held call"
echo "  Lifeline heap (-Xmx512m, SerialGC): highest sampled use $(mib "${HEAP_USED:-0}") MiB of $(mib "${HEAP_TOTAL:-0}") MiB committed" \
  "(jcmd GC.heap_info, $HEAP_SAMPLES samples); largest heap after a GC ${AFTER_GC} MiB; $GCS GCs, longest pause ${MAX_PAUSE} ms"
echo "  Lifeline afterwards: answering /health: $ALIVE; OutOfMemoryError in its log: $OOM"
echo "  agent (reference agent, -Xmx512m) peak RSS over both runs: $(mib "$AGENT_PEAK") MiB"
[ "$(result direct ok)" = "$CALLS" ] && [ "$(result lifeline ok)" = "$CALLS" ] && [ "$ALIVE" = yes ] && [ "$OOM" = 0 ] \
  && echo "  all $CALLS calls answered both ways" || echo "  NOT all calls answered; see the outcomes above"
