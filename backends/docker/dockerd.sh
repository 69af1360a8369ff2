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
# The networks of this data root take their subnets from a /16 of 10.0.0.0/8 of its own. A network's
# bridge stays on the host after its engine stops; when the data root is deleted with it (a CI clone),
# nothing removes it, and with Docker's shared default pools about thirty such leftovers used up every
# subnet of every later engine on the machine. Here a leftover can only hold this data root's range,
# and is removed before the engine starts again.
POOL_OCTET=$(( 0x$(printf '%s' "$DIR" | sha1sum | cut -c1-4) % 200 + 30 ))
POOL_PREFIX="10.$POOL_OCTET."

answers() {
  [ -S "$SOCK" ] && curl -sf --max-time 2 --unix-socket "$SOCK" http://docker/_ping >/dev/null 2>&1
}

running_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(cat "$PIDFILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Bridges in this data root's range that no engine runs (it is about to start): an earlier engine's.
remove_leftover_bridges() {
  command -v ip >/dev/null 2>&1 || return 0
  ip -o -4 addr show 2>/dev/null | awk -v p="$POOL_PREFIX" '$2 ~ /^br-/ && index($4, p) == 1 { print $2 }' \
    | sort -u | while read -r bridge; do ip link delete "$bridge" 2>/dev/null || true; done
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
    remove_leftover_bridges
    setsid dockerd --data-root "$DIR/data" --exec-root "$EXEC_ROOT" -H "unix://$SOCK" \
      --default-address-pool "base=${POOL_PREFIX}0.0/16,size=24" \
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
    # networks no container uses go now, and their bridges with them
    answers && curl -sf --max-time 30 --unix-socket "$SOCK" -X POST http://docker/networks/prune >/dev/null 2>&1 || true
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
