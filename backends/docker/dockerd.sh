#!/usr/bin/env bash
# A private Docker Engine for Lifeline's tests and benchmarks: Debian's dockerd with its data root
# under the project (.lifeline-docker/, ignored by git) and its own socket, so it never touches a
# system Docker.
#
#   backends/docker/dockerd.sh start   start it unless it runs; print DOCKER_HOST=unix://... when it answers
#   backends/docker/dockerd.sh stop    stop it (containers it runs stop with it)
#   backends/docker/dockerd.sh host    print DOCKER_HOST=unix://... (exit 1 when it does not answer)
#
# Exit status 2 means "no engine can run here" (no dockerd, not root); the message says why.
# It uses the docker0 bridge like any dockerd: on a machine whose system Docker already runs, point
# the tests at that one instead (LIFELINE_TEST_DOCKER_HOST=unix:///var/run/docker.sock).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${LIFELINE_DOCKERD_DIR:-$ROOT/.lifeline-docker}"
SOCK="$DIR/docker.sock"
PIDFILE="$DIR/docker.pid"
LOG="$DIR/dockerd.log"
# dockerd's exec root holds unix sockets, whose paths must stay under ~100 characters.
EXEC_ROOT="/tmp/lldx-$(printf '%s' "$DIR" | sha1sum | cut -c1-10)"

answers() {
  [ -S "$SOCK" ] && curl -sf --max-time 2 --unix-socket "$SOCK" http://docker/_ping >/dev/null 2>&1
}

running_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(cat "$PIDFILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  if answers; then
    echo "DOCKER_HOST=unix://$SOCK"
    return 0
  fi
  command -v dockerd >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin"
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "dockerd.sh: dockerd is not installed (apt-get install docker.io)" >&2
    exit 2
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "dockerd.sh: dockerd needs root to run containers; this is uid $(id -u)" >&2
    exit 2
  fi
  command -v curl >/dev/null 2>&1 || { echo "dockerd.sh: curl is needed to ask dockerd whether it is up" >&2; exit 2; }
  mkdir -p "$DIR/data" "$EXEC_ROOT"
  if ! running_pid >/dev/null; then
    rm -f "$SOCK" "$PIDFILE"
    setsid dockerd --data-root "$DIR/data" --exec-root "$EXEC_ROOT" -H "unix://$SOCK" \
      --pidfile "$PIDFILE" >>"$LOG" 2>&1 </dev/null &
  fi
  for _ in $(seq 1 120); do
    if answers; then
      echo "DOCKER_HOST=unix://$SOCK"
      return 0
    fi
    sleep 0.5
  done
  echo "dockerd.sh: dockerd did not answer within 60 s; last lines of $LOG:" >&2
  tail -n 20 "$LOG" >&2 || true
  exit 2
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    kill "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
  fi
  rm -f "$SOCK"
  echo "dockerd.sh: stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  host) answers && echo "DOCKER_HOST=unix://$SOCK" ;;
  *) echo "usage: $0 start|stop|host" >&2; exit 64 ;;
esac
