# Sourced by the bench/*.sh scripts: builds the jar when sources changed and runs a benchmark from
# its source (JDK 25 compiles bench/Bench.java and the other classes it uses on the way).
#   bench_java [jvm options...] -- Name.java [args...]     (BENCH_CLASSPATH, if set, is added to the jar)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/lifeline" --version >/dev/null   # builds the jar when sources changed
JDK="$("$ROOT/lifeline" jdk)"
JAVA="$JDK/bin/java"
JAR="$ROOT/server/target/lifeline.jar"
bench_java() {
  local options=()
  while [ "$1" != "--" ]; do options+=("$1"); shift; done
  shift
  local source="$1"; shift
  LIFELINE_LOG_LEVEL="${LIFELINE_LOG_LEVEL:-WARN}" exec "$JAVA" "${options[@]}" -cp "$JAR${BENCH_CLASSPATH:+:$BENCH_CLASSPATH}" "$ROOT/bench/$source" "$@"
}
