#!/usr/bin/env bash
# Server start-up time (launch → GET /health answers) and idle memory (RSS after start-up), each
# against a baseline measured in the same run: a bare JVM of the same JDK running the reference agent
# (launch → its agent card answers, and its RSS).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/lifeline" --version >/dev/null
JAVA="$("$ROOT/lifeline" jdk)/bin/java"
JAR="$ROOT/server/target/lifeline.jar"
RUNS="${1:-5}"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
measure() { # name url cmd... → prints "ms rss_kib"
  local url="$1"; shift
  local t0 pid ms rss
  t0=$(now_ms)
  "$@" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$url"; do sleep 0.02; done
  ms=$(( $(now_ms) - t0 ))
  sleep 2
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms $rss"
}
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
srv_ms=(); srv_rss=(); ag_ms=(); ag_rss=()
for i in $(seq "$RUNS"); do
  data=$(mktemp -d); port=$(free_port)
  read -r ms rss < <(measure "http://127.0.0.1:$port/health" env LIFELINE_PORT="$port" LIFELINE_DATA_DIR="$data" LIFELINE_LOG_LEVEL=WARN \
      "$JAVA" -XX:+UseG1GC -jar "$JAR" serve)
  srv_ms+=("$ms"); srv_rss+=("$rss"); rm -rf "$data"
  port=$(free_port)
  read -r ms rss < <(measure "http://127.0.0.1:$port/.well-known/agent-card.json" env PORT="$port" \
      "$JAVA" -XX:+UseSerialGC -cp "$JAR" dev.lifeline.agent.ReferenceAgent)
  ag_ms+=("$ms"); ag_rss+=("$rss")
done
s_ms=$(printf '%s\n' "${srv_ms[@]}" | median); a_ms=$(printf '%s\n' "${ag_ms[@]}" | median)
s_rss=$(printf '%s\n' "${srv_rss[@]}" | median); a_rss=$(printf '%s\n' "${ag_rss[@]}" | median)
echo "runs: $RUNS"
echo "baseline (reference agent JVM): start-up ${a_ms} ms, idle RSS $((a_rss / 1024)) MiB"
echo "lifeline serve: start-up ${s_ms} ms ($(awk "BEGIN{printf \"%.2f\", $s_ms/$a_ms}") x baseline), idle RSS $((s_rss / 1024)) MiB ($(awk "BEGIN{printf \"%.2f\", $s_rss/$a_rss}") x baseline)"
