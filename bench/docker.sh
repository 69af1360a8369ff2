#!/usr/bin/env bash
# The Docker backend: create → WORKSPACE_ONLINE, and `docker kill` → WORKSPACE_OFFLINE / → ONLINE
# (median of N, default 10), against a plain `docker run` of the same image measured in the same run.
# Uses the project's private dockerd (backends/docker/dockerd.sh) and builds the agent image from
# the fat jar (backends/docker/agent-image.sh). Needs root and Debian's docker.io.
set -euo pipefail
source "$(dirname "$0")/bench.sh"
export DOCKER_HOST="$("$ROOT/backends/docker/dockerd.sh" start | sed -n 's/^DOCKER_HOST=//p')"
JAVA_HOME="$JDK" "$ROOT/backends/docker/agent-image.sh" lifeline/reference-agent:bench "$JAR"
bench_java -- DockerBench.java "${1:-10}"
