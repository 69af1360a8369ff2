#!/usr/bin/env bash
# A quick probe of the A2A lane alone: one Lifeline (as `./lifeline serve` runs it) in front of one
# reference agent, a small SendMessage at concurrency 16 through wrk, straight to the agent (the
# baseline) and then through Lifeline, each after a warm-up. Prints both ways' throughput and p99,
# Lifeline's ratio to the baseline, its CPU per call (in all and by thread), its young-collection
# pauses, and optionally an async-profiler profile of that run. For comparing one change, one JVM
# option or one database setting at a time; bench/proxy.sh is the full comparison with nginx.
#   bench/lane.sh [seconds] [warm-up seconds]
#   LANE_JAVA_OPTS="-XX:+UseSerialGC" bench/lane.sh         # JVM options for Lifeline
#   LIFELINE_DATABASE_URL="jdbc:h2:file:/tmp/x;CACHE_SIZE=1024" bench/lane.sh
#   LANE_PROFILE=cpu bench/lane.sh    # or alloc: async-profiler 4.2 from Maven Central, per thread
#   LANE_JAR=/tmp/old/lifeline.jar bench/lane.sh   # another build's jar, to compare two builds in turn
#   LANE_FLOOR=1 bench/lane.sh        # then the same load through bench/BareNettyProxy.java, the lane's floor
#   LANE_DIRECT_WARMUP=20 bench/lane.sh 20 300   # a shorter warm-up of the agent alone before its baseline
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${1:-20}"
WARMUP="${2:-30}"
command -v wrk >/dev/null || { SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo; $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null; }
[ -n "${LANE_JAR:-}" ] || "$ROOT/lifeline" --version >/dev/null   # builds the jar when sources changed
# shellcheck source=bench/workspace.sh
. "$ROOT/bench/workspace.sh"
JDK="$("$ROOT/lifeline" jdk)"
TMP="$(mktemp -d)"
cp "${LANE_JAR:-$ROOT/server/target/lifeline.jar}" "$TMP/lifeline.jar"
PORT="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
SRV=""; AGENT=""; FLOOR=""
cleanup() {
  if [ -n "$FLOOR" ]; then kill "$FLOOR" 2>/dev/null || true; wait "$FLOOR" 2>/dev/null || true; fi
  if [ -n "$SRV" ]; then kill "$SRV" 2>/dev/null || true; wait "$SRV" 2>/dev/null || true; fi
  if [ -n "$AGENT" ] && grep -qs ReferenceAgent "/proc/$AGENT/cmdline"; then kill "$AGENT" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

PROFILER=""
if [ -n "${LANE_PROFILE:-}" ]; then
  (cd "$ROOT" && JAVA_HOME="$JDK" ./mvnw -B -q dependency:get -Dartifact=tools.profiler:async-profiler:4.2:jar:linux-x64 >/dev/null)
  (cd "$TMP" && unzip -q -o "$HOME/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2-linux-x64.jar" 'linux-x64/*')
  PROFILER="$TMP/linux-x64/libasyncProfiler.so"
  mkdir -p "$ROOT/bench/out"
fi

# shellcheck disable=SC2086
LIFELINE_PORT="$PORT" LIFELINE_DATA_DIR="$TMP/data" LIFELINE_ADMIN_TOKEN=bench LIFELINE_LOG_LEVEL=WARN \
  "$JDK/bin/java" ${LANE_JAVA_OPTS:-} -Xlog:gc:file="$TMP/gc.log" -jar "$TMP/lifeline.jar" serve >"$TMP/server.log" 2>&1 &
SRV=$!
await_lifeline "$BASE" "$TMP/server.log"
online_workspace "$BASE" echo

post_script "$TMP/post.lua"
cat >>"$TMP/post.lua" <<'EOF'
done = function(summary, latency, requests)
  local line = "latency percentiles (ms):"
  for _, p in ipairs({50, 90, 95, 98, 99, 99.9, 99.99}) do line = line .. string.format(" p%s %.2f", p, latency:percentile(p) / 1000) end
  io.write(line .. "\n")
end
EOF
answer="$(curl -s -H 'Content-Type: application/json' -H 'Authorization: Bearer bench' -d "$BODY" "$BASE/workspaces/$WS/a2a")"
grep -q '"echo: hi"' <<<"$answer" || { echo "no echo through Lifeline: $answer" >&2; exit 1; }
run() { wrk -t2 -c16 -d"$2"s --timeout 10s --latency -s "$TMP/post.lua" "$1"; }
to_ms() { awk '{ v = $1 + 0; if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /[0-9]s$/) v *= 1000; printf "%.2f", v }'; }
rps() { awk '/^Requests\/sec:/ {print $2}' <<<"$1"; }
p99() { awk '$1 == "99%" {print $2}' <<<"$1" | to_ms; }

echo "build: ${LANE_JAR:-$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- '*.java' 2>/dev/null || echo ' with uncommitted changes')}," \
  "Lifeline's JVM options: ${LANE_JAVA_OPTS:-none}, load average $(cut -d' ' -f1 /proc/loadavg) at the start"
run "$AGENT_URL/" "${LANE_DIRECT_WARMUP:-$WARMUP}" >/dev/null
direct="$(run "$AGENT_URL/" "$DURATION")"
run "$BASE/workspaces/$WS/a2a" "$WARMUP" >/dev/null
[ -z "$PROFILER" ] || "$JDK/bin/java" "$ROOT/bench/AttachProfiler.java" "$SRV" "$PROFILER" "start,event=$LANE_PROFILE,interval=${LANE_PROFILE_INTERVAL:-1ms},threads"
gc_from="$(wc -l <"$TMP/gc.log")"
before="$(awk '{ print $14 + $15 }' "/proc/$SRV/stat")"
thread_ticks "$SRV" >"$TMP/threads.before"
lane="$(run "$BASE/workspaces/$WS/a2a" "$DURATION")"
used=$(( $(awk '{ print $14 + $15 }' "/proc/$SRV/stat") - before ))
thread_ticks "$SRV" >"$TMP/threads.after"
[ -z "$PROFILER" ] || "$JDK/bin/java" "$ROOT/bench/AttachProfiler.java" "$SRV" "$PROFILER" "stop,file=$ROOT/bench/out/lane-$LANE_PROFILE.collapsed,collapsed"
calls="$(awk '/requests in/ {print $1}' <<<"$lane")"
bad="$(awk '/Non-2xx/ {n += $NF} END {print n + 0}' <<<"$lane")"

printf 'straight to the agent: %8.0f req/s, p99 %6.2f ms\n' "$(rps "$direct")" "$(p99 "$direct")"
printf 'through Lifeline:      %8.0f req/s, p99 %6.2f ms, %d non-2xx\n' "$(rps "$lane")" "$(p99 "$lane")" "$bad"
awk -v l="$(rps "$lane")" -v d="$(rps "$direct")" -v lp="$(p99 "$lane")" -v dp="$(p99 "$direct")" \
  'BEGIN { printf "Lifeline: %.2f x direct throughput, adds %+.2f ms at p99\n", l / d, lp - dp }'
awk -v t="$used" -v hz="$(getconf CLK_TCK)" -v c="$calls" 'BEGIN { printf "Lifeline CPU: %.0f us per call\n", 1e6 * t / hz / c }'
cpu_per_thread "$TMP/threads.before" "$TMP/threads.after" "$calls"
tail -n +"$(( gc_from + 1 ))" "$TMP/gc.log" | awk '/Pause Young/ { v = $NF; sub(/ms$/, "", v); print v }' | sort -g \
  | awk -v s="$DURATION" '{ a[NR] = $1 } END { if (NR) printf "young pauses in that run: %d (%.1f a second), median %.1f ms, max %.1f ms\n", NR, NR / s, a[int((NR + 1) / 2)], a[NR] }'
echo "  lane's $(grep 'latency percentiles' <<<"$lane")"
[ -z "$PROFILER" ] || echo "profile: $ROOT/bench/out/lane-$LANE_PROFILE.collapsed (async-profiler collapsed stacks, first frame the thread)"

# The floor: the same load through a Netty forwarder that does nothing else, in front of the same agent
[ -n "${LANE_FLOOR:-}" ] || exit 0
FLOOR_PORT="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
"$JDK/bin/java" -Dio.netty.leakDetection.level=disabled -cp "$TMP/lifeline.jar" "$ROOT/bench/BareNettyProxy.java" \
  "$FLOOR_PORT" "$AGENT_URL/" >"$TMP/floor.log" 2>&1 &
FLOOR=$!
for _ in $(seq 120); do curl -s -o /dev/null -d "$BODY" "http://127.0.0.1:$FLOOR_PORT/" && break; sleep 0.25; done
run "http://127.0.0.1:$FLOOR_PORT/" "$WARMUP" >/dev/null
thread_ticks "$FLOOR" >"$TMP/threads.before"
floor="$(run "http://127.0.0.1:$FLOOR_PORT/" "$DURATION")"
thread_ticks "$FLOOR" >"$TMP/threads.after"
printf 'through the bare Netty proxy: %8.0f req/s, p99 %6.2f ms, %d non-2xx\n' "$(rps "$floor")" "$(p99 "$floor")" \
  "$(awk '/Non-2xx/ {n += $NF} END {print n + 0}' <<<"$floor")"
cpu_per_thread "$TMP/threads.before" "$TMP/threads.after" "$(awk '/requests in/ {print $1}' <<<"$floor")" | sed 's/^Lifeline CPU/floor CPU/'
echo "  floor's $(grep 'latency percentiles' <<<"$floor")"
