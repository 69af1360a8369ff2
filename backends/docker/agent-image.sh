#!/usr/bin/env bash
# Builds a Docker image that runs Lifeline's reference agent, from local files only (no registry):
# a jlink'ed Java runtime, the shared libraries it links to, and the agent's class path, imported
# as one layer with `docker import`. Rebuilds only when an input changed (a label holds their hash).
#
#   backends/docker/agent-image.sh <image:tag> <class path>
#
# The class path lists jars and class directories, separated by ':'. DOCKER_HOST names the engine.
# Needs JAVA_HOME (or LIFELINE_JAVA_HOME) pointing at a JDK 25 with jlink.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGE="${1:?usage: agent-image.sh <image:tag> <class path>}"
CLASSPATH_IN="${2:?usage: agent-image.sh <image:tag> <class path>}"
JDK="${LIFELINE_JAVA_HOME:-${JAVA_HOME:?set JAVA_HOME to a JDK 25}}"
CACHE="${LIFELINE_DOCKERD_DIR:-$ROOT/.lifeline-docker}/images"
# What the agent and Jackson use; jdk.httpserver serves A2A, java.net.http talks to the platform.
MODULES="java.base,java.net.http,jdk.httpserver,java.logging,java.sql,jdk.unsupported"

IFS=':' read -r -a ENTRIES <<<"$CLASSPATH_IN"

inputs_hash() {
  {
    sha256sum "${BASH_SOURCE[0]}"
    cat "$JDK/release"
    echo "$MODULES"
    for entry in "${ENTRIES[@]}"; do
      [ -n "$entry" ] || continue
      if [ -d "$entry" ]; then
        (cd "$entry" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
      else
        sha256sum "$entry"
      fi
    done
  } | sha256sum | cut -c1-16
}

HASH="$(inputs_hash)"
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.lifeline.inputs"}}' "$IMAGE" 2>/dev/null || true)" = "$HASH" ]; then
  echo "$IMAGE is up to date ($HASH)"
  exit 0
fi

mkdir -p "$CACHE"
JRE="$CACHE/jre-$(sha256sum "$JDK/release" | cut -c1-12)-$(echo "$MODULES" | sha256sum | cut -c1-8)"
if [ ! -x "$JRE/bin/java" ]; then
  rm -rf "$JRE.tmp"
  "$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
    --compress=zip-6 --output "$JRE.tmp"
  mv "$JRE.tmp" "$JRE"
fi

ROOTFS="$(mktemp -d "$CACHE/rootfs.XXXXXX")"
trap 'rm -rf "$ROOTFS"' EXIT
mkdir -p "$ROOTFS"/{opt,app/lib,tmp,etc,configs,workspace}
chmod 1777 "$ROOTFS/tmp"
cp -a "$JRE" "$ROOTFS/opt/java"
# The C libraries the runtime links to, at the paths the loader looks for them.
{ ldd "$JRE/bin/java"; find "$JRE/lib" -name '*.so' -exec ldd {} \; ; } 2>/dev/null \
  | grep -oE '(/[^ ]+)' | sort -u | while read -r lib; do
    [ -e "$lib" ] || continue
    mkdir -p "$ROOTFS$(dirname "$lib")"
    cp -L "$lib" "$ROOTFS$lib"
  done
echo 'root:x:0:0:root:/root:/bin/false' >"$ROOTFS/etc/passwd"
echo 'root:x:0:' >"$ROOTFS/etc/group"
echo 'hosts: files dns' >"$ROOTFS/etc/nsswitch.conf"

CP=()
n=0
for entry in "${ENTRIES[@]}"; do
  [ -n "$entry" ] || continue
  n=$((n + 1))
  if [ -d "$entry" ]; then
    mkdir -p "$ROOTFS/app/lib/classes-$n"
    cp -a "$entry/." "$ROOTFS/app/lib/classes-$n/"
    CP+=("/app/lib/classes-$n")
  else
    cp "$entry" "$ROOTFS/app/lib/$n-$(basename "$entry")"
    CP+=("/app/lib/$n-$(basename "$entry")")
  fi
done
JOINED="$(IFS=':'; echo "${CP[*]}")"

tar -C "$ROOTFS" -c . | docker import \
  --change "LABEL dev.lifeline.inputs=$HASH" \
  --change 'EXPOSE 8000/tcp' \
  --change 'ENV PORT=8000 AGENT_BIND_ADDRESS=0.0.0.0' \
  --change 'WORKDIR /app' \
  --change "CMD [\"/opt/java/bin/java\", \"-XX:+UseSerialGC\", \"-Xmx64m\", \"-XX:TieredStopAtLevel=1\", \"-Xss512k\", \"-cp\", \"$JOINED\", \"dev.lifeline.agent.ReferenceAgent\"]" \
  - "$IMAGE" >/dev/null
echo "$IMAGE built ($HASH)"
