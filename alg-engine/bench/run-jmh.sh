#!/usr/bin/env bash
# Runs alg-engine's JMH benchmarks (src/test/java/dev/algd/engine/bench), or with "heap" the heap-per-session
# measurement. Not part of the normal build or test phase.
#   bench/run-jmh.sh                      every benchmark, briefly: 1 fork, 2 x 1 s warm-up, 3 x 1 s measurement, -prof gc
#   bench/run-jmh.sh SnatFastPath -f 2    any JMH arguments instead (a regexp of benchmarks first)
#   bench/run-jmh.sh heap                 heap per session with 1,000,000 sessions
#   bench/run-jmh.sh expiry               longest Engine.expire call while 64 Ki / 1 Mi sessions expire
set -euo pipefail
module="$(cd "$(dirname "$0")/.." && pwd)"
cd "$module/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -B -q -pl alg-engine test-compile
mvn -B -q -pl alg-engine dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$module/target/jmh.classpath"
classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/jmh.classpath")"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
if [[ "${1:-}" == heap ]]; then
    exec "${java[@]}" -Xmx4g -cp "$classpath" dev.algd.engine.bench.SessionHeapMeasurement
fi
if [[ "${1:-}" == expiry ]]; then
    exec "${java[@]}" -Xmx4g -cp "$classpath" dev.algd.engine.bench.ExpiryStallMeasurement
fi
if [[ $# -eq 0 ]]; then
    set -- 'dev.algd.engine.bench.*' -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc
fi
exec "${java[@]}" -cp "$classpath" org.openjdk.jmh.Main -jvmArgsAppend --enable-native-access=ALL-UNNAMED "$@"
