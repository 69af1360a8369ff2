#!/usr/bin/env bash
# Proxy overhead: a small fixed A2A SendMessage at concurrency 16 and 64 against one reference agent,
# seven ways in the same run: straight to the agent (the baseline), through Lifeline (its Netty edge,
# the default), through a second Lifeline on the Jetty edge (LIFELINE_EDGE=jetty, the blocking core
# it had before), through nginx (proxy_pass with upstream keep-alive, no access log: the target's
# baseline), through the same nginx writing an access log line per call (buffered, flushed every
# 100 ms, as Lifeline writes its audit rows: the like-for-like comparison), through bench/BareProxy.java
# (a Jetty 12 server and client forwarding and nothing else) and through bench/BareNettyProxy.java
# (Netty forwarding over kept connections on its event loops and nothing else: the floor of the A2A
# lane), all on 127.0.0.1, driven by wrk.
# Reports throughput ratios, the latency each proxy adds (wrk --latency) and the CPU time each
# serving process spends per call, medians over rounds; the targets checked are Lifeline >= 0.9 x
# nginx throughput and <= 1 ms added p99 at concurrency 16. Then profiles Lifeline with JFR during
# one more (uncounted) concurrency-16 run.
#   bench/proxy.sh [seconds per measurement] [rounds] [warm-up seconds per target]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${1:-15}"
ROUNDS="${2:-3}"
WARMUP="${3:-60}"
if ! command -v wrk >/dev/null || ! { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq nginx wrk >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
"$ROOT/lifeline" --version >/dev/null   # builds the jar when sources changed
# shellcheck source=bench/workspace.sh
. "$ROOT/bench/workspace.sh"
JDK="$("$ROOT/lifeline" jdk)"
JAVA="$JDK/bin/java"
TMP="$(mktemp -d)"
cp "$ROOT/server/target/lifeline.jar" "$TMP/lifeline.jar"   # a rebuild during the run must not touch it
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
calc() { awk "BEGIN{printf \"$1\", $2}"; }

PORT="$(free_port)"; NGINX_PORT="$(free_port)"; NGINX_LOG_PORT="$(free_port)"; JETTY_PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
SRV=""; NGX=""; BARE=""; BNETTY=""; AGENT=""; WS=""; OLD=""
cleanup() {
  if [ -n "$OLD" ]; then kill "$OLD" 2>/dev/null || true; wait "$OLD" 2>/dev/null || true; fi
  if [ -n "$NGX" ]; then kill "$NGX" 2>/dev/null || true; wait "$NGX" 2>/dev/null || true; fi
  if [ -n "$BARE" ]; then kill "$BARE" 2>/dev/null || true; wait "$BARE" 2>/dev/null || true; fi
  if [ -n "$BNETTY" ]; then kill "$BNETTY" 2>/dev/null || true; wait "$BNETTY" 2>/dev/null || true; fi
  if [ -n "$WS" ]; then curl -s -m 10 -o /dev/null -X DELETE -H 'Authorization: Bearer bench' "$BASE/workspaces/$WS" || true; fi
  if [ -n "$SRV" ]; then kill "$SRV" 2>/dev/null || true; wait "$SRV" 2>/dev/null || true; fi
  if [ -n "$AGENT" ] && grep -qs ReferenceAgent "/proc/$AGENT/cmdline"; then kill "$AGENT" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# Lifeline as `./lifeline serve` runs it (G1; plus deeper JFR stacks for the profile at the end), and
# one workspace on the built-in "echo" runtime
LIFELINE_PORT="$PORT" LIFELINE_DATA_DIR="$TMP/data" LIFELINE_ADMIN_TOKEN=bench LIFELINE_LOG_LEVEL=WARN \
  "$JAVA" -XX:+UseG1GC -XX:FlightRecorderOptions:stackdepth=256 -jar "$TMP/lifeline.jar" serve >"$TMP/server.log" 2>&1 &
SRV=$!
await_lifeline "$BASE" "$TMP/server.log"
online_workspace "$BASE" echo

# A second Lifeline on the Jetty edge, in front of the same agent as an external workspace (which sends
# no heartbeats, so their expiry is set beyond the run)
LIFELINE_PORT="$JETTY_PORT" LIFELINE_DATA_DIR="$TMP/data-jetty" LIFELINE_ADMIN_TOKEN=bench LIFELINE_LOG_LEVEL=WARN \
  LIFELINE_EDGE=jetty LIFELINE_AGENT_URLS_ALLOW_LOOPBACK=true LIFELINE_HEARTBEAT_TTL_SECONDS=86400 \
  "$JAVA" -XX:+UseG1GC -jar "$TMP/lifeline.jar" serve >"$TMP/server-jetty.log" 2>&1 &
OLD=$!
for _ in $(seq 240); do curl -sf -o /dev/null "http://127.0.0.1:$JETTY_PORT/health" && break; sleep 0.25; done
OLD_WS="$(curl -sf -H 'Authorization: Bearer bench' -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"external\":true,\"url\":\"$AGENT_URL\"}" "http://127.0.0.1:$JETTY_PORT/workspaces" | field id)"
[ -n "$OLD_WS" ] || { echo "the Jetty-edge Lifeline did not take the workspace:" >&2; cat "$TMP/server-jetty.log" >&2; exit 1; }

# nginx in front of the same agent, as a child process with its own config and files
mkdir -p "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  upstream agent {
    server ${AGENT_URL#http://};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://agent;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
  server {
    listen 127.0.0.1:$NGINX_LOG_PORT;
    access_log $TMP/nginx/logs/access.log combined buffer=64k flush=100ms;
    location / {
      proxy_pass http://agent;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
"$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/logs/error.log" -c "$TMP/nginx/nginx.conf" &
NGX=$!

# The ceiling of Lifeline's HTTP stack: the same Jetty server and client, forwarding and nothing else
BARE_PORT="$(free_port)"
"$JAVA" -XX:+UseG1GC -cp "$TMP/lifeline.jar" "$ROOT/bench/BareProxy.java" "$BARE_PORT" "$AGENT_URL/" >"$TMP/bare.log" 2>&1 &
BARE=$!
# The floor of the A2A lane: the same Netty, forwarding over kept connections on its event loops and nothing else
BNETTY_PORT="$(free_port)"
"$JAVA" -XX:+UseG1GC -Dio.netty.leakDetection.level=disabled -cp "$TMP/lifeline.jar" "$ROOT/bench/BareNettyProxy.java" \
  "$BNETTY_PORT" "$AGENT_URL/" >"$TMP/bare-netty.log" 2>&1 &
BNETTY=$!

post_script "$TMP/post.lua"
TARGETS=(direct lifeline jetty nginx nginxlog bare netty)
declare -A URL=([direct]="$AGENT_URL/" [lifeline]="$BASE/workspaces/$WS/a2a"
  [jetty]="http://127.0.0.1:$JETTY_PORT/workspaces/$OLD_WS/a2a" [nginx]="http://127.0.0.1:$NGINX_PORT/"
  [nginxlog]="http://127.0.0.1:$NGINX_LOG_PORT/"
  [bare]="http://127.0.0.1:$BARE_PORT/" [netty]="http://127.0.0.1:$BNETTY_PORT/")
declare -A NAME=([direct]="baseline: straight to the agent" [lifeline]="through Lifeline (Netty edge)"
  [jetty]="through Lifeline on the Jetty edge" [nginx]="through nginx (keepalive 64)"
  [nginxlog]="through nginx, access log on" [bare]="through a bare Jetty proxy"
  [netty]="through a bare Netty proxy")
for t in "${TARGETS[@]}"; do
  for _ in $(seq 40); do curl -sf -o /dev/null -H 'Content-Type: application/json' -H 'Authorization: Bearer bench' -d "$BODY" "${URL[$t]}" && break; sleep 0.25; done
  answer="$(curl -s -H 'Content-Type: application/json' -H 'Authorization: Bearer bench' -d "$BODY" "${URL[$t]}")"
  grep -q '"echo: hi"' <<<"$answer" || { echo "no echo from $t (${URL[$t]}): $answer" >&2; exit 1; }
done

# CPU time (user + system, in clock ticks) of the process serving one way: the agent for the baseline
# (it serves every way, so it is left out of the proxies' figures), Lifeline's JVM alone (the agent is
# its child but a separate process), nginx's master and workers
ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_ticks() {
  case "$1" in
    direct) ticks_of "$AGENT" ;;
    lifeline) ticks_of "$SRV" ;;
    jetty) ticks_of "$OLD" ;;
    nginx | nginxlog) local s=0 p; for p in "$NGX" $(pgrep -P "$NGX"); do s=$(( s + $(ticks_of "$p") )); done; echo "$s" ;;
    bare) ticks_of "$BARE" ;;
    netty) ticks_of "$BNETTY" ;;
  esac
}
HZ="$(getconf CLK_TCK)"

wrk_run() { # target concurrency seconds → wrk's output
  wrk -t2 -c"$2" -d"$3"s --timeout 10s --latency -s "$TMP/post.lua" "${URL[$1]}"
}
to_ms() { awk '{ v = $1 + 0; if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /[0-9]s$/) v *= 1000; else if ($1 ~ /m$/) v *= 60000; printf "%.3f", v }'; }

echo "build: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- '*.java' 2>/dev/null || echo ' with uncommitted changes')"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start (other processes may share the CPU)"
echo "warm-up: ${WARMUP} s per target at concurrency 64"
for t in "${TARGETS[@]}"; do wrk_run "$t" 64 "$WARMUP" >/dev/null; done

declare -A RPS P50 P99 CPU
ERRORS=0
for r in $(seq "$ROUNDS"); do
  for c in 16 64; do
    for i in "${!TARGETS[@]}"; do   # the order of the ways rotates from round to round
      t="${TARGETS[$(( (i + r) % ${#TARGETS[@]} ))]}"
      before="$(cpu_ticks "$t")"
      out="$(wrk_run "$t" "$c" "$DURATION")"
      used=$(( $(cpu_ticks "$t") - before ))
      rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
      p50="$(awk '$1 == "50%" {print $2}' <<<"$out" | to_ms)"
      p99="$(awk '$1 == "99%" {print $2}' <<<"$out" | to_ms)"
      bad="$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")"
      ERRORS=$(( ERRORS + bad ))
      calls="$(awk '/requests in/ {print $1}' <<<"$out")"
      cpu="$(calc %.0f "$used * 1000000 / $HZ / $calls")"
      RPS[$t,$c]+=" $rps"; P50[$t,$c]+=" $p50"; P99[$t,$c]+=" $p99"; CPU[$t,$c]+=" $cpu"
      printf '  round %d, concurrency %2d, %-32s %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  cpu %4d us/call  errors %d\n' \
        "$r" "$c" "${NAME[$t]}" "$rps" "$p50" "$p99" "$cpu" "$bad"
      [ "$bad" = 0 ] || grep -E 'Non-2xx|Socket errors' <<<"$out" | sed 's/^ */    wrk: /'
    done
  done
done

echo
echo "medians of $ROUNDS rounds of $DURATION s; wrk -t2, one connection per concurrent caller; errors (non-2xx or socket): $ERRORS"
for c in 16 64; do
  for t in "${TARGETS[@]}"; do
    declare "m_rps_$t=$(median <<<"${RPS[$t,$c]}")" "m_p50_$t=$(median <<<"${P50[$t,$c]}")" \
      "m_p99_$t=$(median <<<"${P99[$t,$c]}")" "m_cpu_$t=$(median <<<"${CPU[$t,$c]}")"
  done
  echo "concurrency $c"
  printf '  %-32s %9s %9s %9s %12s\n' "" "req/s" "p50" "p99" "CPU/call"
  for t in "${TARGETS[@]}"; do
    rps="m_rps_$t"; p50="m_p50_$t"; p99="m_p99_$t"; cpu="m_cpu_$t"
    printf '  %-32s %9.0f %6.2f ms %6.2f ms %9d us\n' "${NAME[$t]}" "${!rps}" "${!p50}" "${!p99}" "${!cpu}"
  done
  echo "  (CPU/call: user + system time of the serving process per answered call; for the baseline that is"
  echo "   the agent, which serves the proxied calls too; Lifeline's figure is its JVM alone, nginx's its workers)"
  echo "  Lifeline: $(calc %.2f "$m_rps_lifeline / $m_rps_direct") x direct, $(calc %.2f "$m_rps_lifeline / $m_rps_nginx") x nginx throughput;" \
    "adds p50 $(calc %+.2f "$m_p50_lifeline - $m_p50_direct") ms, p99 $(calc %+.2f "$m_p99_lifeline - $m_p99_direct") ms"
  echo "  Lifeline on the Jetty edge: $(calc %.2f "$m_rps_jetty / $m_rps_nginx") x nginx throughput;" \
    "adds p50 $(calc %+.2f "$m_p50_jetty - $m_p50_direct") ms, p99 $(calc %+.2f "$m_p99_jetty - $m_p99_direct") ms"
  echo "  nginx:    $(calc %.2f "$m_rps_nginx / $m_rps_direct") x direct throughput;" \
    "adds p50 $(calc %+.2f "$m_p50_nginx - $m_p50_direct") ms, p99 $(calc %+.2f "$m_p99_nginx - $m_p99_direct") ms"
  echo "  nginx with its access log: $(calc %.2f "$m_rps_nginxlog / $m_rps_nginx") x nginx throughput;" \
    "adds p50 $(calc %+.2f "$m_p50_nginxlog - $m_p50_direct") ms, p99 $(calc %+.2f "$m_p99_nginxlog - $m_p99_direct") ms;" \
    "Lifeline reaches $(calc %.2f "$m_rps_lifeline / $m_rps_nginxlog") x its throughput"
  echo "  bare Jetty proxy: $(calc %.2f "$m_rps_bare / $m_rps_nginx") x nginx throughput;" \
    "adds p50 $(calc %+.2f "$m_p50_bare - $m_p50_direct") ms, p99 $(calc %+.2f "$m_p99_bare - $m_p99_direct") ms;" \
    "Lifeline reaches $(calc %.2f "$m_rps_lifeline / $m_rps_bare") x its throughput"
  echo "  bare Netty proxy: $(calc %.2f "$m_rps_netty / $m_rps_nginx") x nginx throughput;" \
    "adds p50 $(calc %+.2f "$m_p50_netty - $m_p50_direct") ms, p99 $(calc %+.2f "$m_p99_netty - $m_p99_direct") ms;" \
    "Lifeline reaches $(calc %.2f "$m_rps_lifeline / $m_rps_netty") x its throughput"
  if [ "$c" = 16 ]; then
    # added p99 paired round by round (the ways of one round run back to back), then the median
    diffs="$(paste -d' ' <(tr ' ' '\n' <<<"${P99[lifeline,16]}" | grep .) <(tr ' ' '\n' <<<"${P99[direct,16]}" | grep .) \
      | awk '{printf "%.2f ", $1 - $2}')"
    ratio="$(calc %.3f "$m_rps_lifeline / $m_rps_nginx")"; added="$(median <<<"$diffs")"
    t1=missed; awk "BEGIN{exit !($ratio >= 0.9)}" && t1=met
    t2=missed; awk "BEGIN{exit !($added <= 1)}" && t2=met
    # on a busy machine the baseline's own p99 jumps from round to round; then no verdict is honest
    tr ' ' '\n' <<<"$diffs" | grep . | awk '$1 <= 1 {lo++} $1 > 1 {hi++} END {exit !(lo && hi)}' \
      && t2="inconclusive, the rounds disagree"
    echo "  target >= 0.9 x nginx throughput: $t1 ($ratio)"
    echo "  target <= 1 ms added p99: $t2 (median $added ms; per round: ${diffs% })"
    nd="$(paste -d' ' <(tr ' ' '\n' <<<"${P99[netty,16]}" | grep .) <(tr ' ' '\n' <<<"${P99[direct,16]}" | grep .) \
      | awk '{printf "%.2f ", $1 - $2}')"
    echo "  the bare Netty proxy against the same targets: $(calc %.3f "$m_rps_netty / $m_rps_nginx") x nginx," \
      "added p99 median $(median <<<"$nd") ms (per round: ${nd% })"
  fi
done

# Where Lifeline spends its CPU: each thread's CPU time (from /proc, JIT and GC threads included) and
# JFR execution samples (Java threads only; they over-represent threads that run Java without pause,
# such as the activity writer, against event loops that wait in epoll between bursts) during one more run
thread_ticks "$SRV" >"$TMP/threads.before"
"$JDK/bin/jcmd" "$SRV" JFR.start name=proxybench settings=profile filename="$TMP/proxy.jfr" >/dev/null
wrk_run lifeline 16 "$DURATION" >"$TMP/profile.wrk"
"$JDK/bin/jcmd" "$SRV" JFR.stop name=proxybench >/dev/null
thread_ticks "$SRV" >"$TMP/threads.after"
CALLS="$(awk '/requests in/ { print $1 }' "$TMP/profile.wrk")"
cpu_per_thread "$TMP/threads.before" "$TMP/threads.after" "$CALLS"
"$JDK/bin/jfr" print --events jdk.ExecutionSample --stack-depth 256 "$TMP/proxy.jfr" | awk 'BEGIN { RS = "jdk.ExecutionSample" }
  NR > 1 { n++; if (/JdbiWorkspaceStore\.find\(/) find++; if (/ActivityRecorder/) audit++; if (/org\.h2\.|com\.zaxxer|org\.jdbi/) db++
           if (/org\.eclipse\.jetty/) jetty++; if (/io\.netty/) netty++; if (/Payloads\.|CallScan/) payload++; if (/Watchdog/) watch++ }
  END { printf "profile (JFR execution samples of Lifeline, Java threads only, uncounted run at concurrency 16, %d samples):\n", n
        printf "  workspace lookup per call (store.find) %.0f %%, activity-log row per call (ActivityRecorder) %.0f %%, database code in all (Jdbi, Hikari, H2) %.0f %%\n",
          100 * find / n, 100 * audit / n, 100 * db / n
        printf "  Netty (edge and upstream) %.0f %%, Jetty (anything relayed to Javalin) %.0f %%, payload reading %.0f %%, call watchdog %.0f %%\n",
          100 * netty / n, 100 * jetty / n, 100 * payload / n, 100 * watch / n }'
"$JDK/bin/jfr" print --events jdk.GarbageCollection "$TMP/proxy.jfr" | awk '/sumOfPauses/ { n++; v = $3; if ($4 == "s") v *= 1000; if ($4 == "us") v /= 1000; if (v > m) m = v }
  END { printf "GC during that run: %d collections, longest pause %.1f ms\n", n, m }'
# What each Lifeline answered over the whole run, by its own count of outcomes (wrk counts non-2xx
# answers but does not say which status they had)
outcomes() {
  curl -s -m 10 -H 'Authorization: Bearer bench' "http://127.0.0.1:$1/metrics" | awk '/^lifeline_a2a_requests_seconds_count/ {
    match($0, /outcome="[^"]*"/); printf " %s %d", substr($0, RSTART + 9, RLENGTH - 10), $NF }'
}
echo "A2A answers by outcome, whole run: Lifeline (Netty edge)$(outcomes "$PORT"); Lifeline on the Jetty edge$(outcomes "$JETTY_PORT")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
