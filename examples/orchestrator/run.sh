#!/usr/bin/env bash
# Builds (when needed) and runs the orchestrator example: a lighty.io controller that mounts algd devices through
# its NETCONF southbound. Usage:
#   examples/orchestrator/run.sh build            build only (mvn package, ~100 MB of jars on a cold ~/.m2)
#   examples/orchestrator/run.sh [orchestrator options]   see README.md; --help lists them
# The result goes to stdout as JSON, logs to stderr. Needs a JDK 25 (found as for algd) and Maven (installed from
# Debian if missing, as root).
set -euo pipefail
ORCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
source "$ORCH_DIR/../../netconf-server/bin/lib.sh"

ORCH_JAR="$ORCH_DIR/target/algd-orchestrator-0.1.0-SNAPSHOT.jar"
ORCH_LIB="$ORCH_DIR/target/lib"
# Akka 2.6 and netty 4.1 reach for sun.misc.Unsafe; on JDK 25 that needs the first flag (see
# shared/design/stack.md, pitfall 1), the second silences netty's native-library warning.
ORCH_JVM_FLAGS=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)

orchestrator_build_needed() {
    [[ -f "$ORCH_JAR" && -d "$ORCH_LIB" ]] || return 0
    [[ -n $(find "$ORCH_DIR/src" "$ORCH_DIR/pom.xml" -newer "$ORCH_JAR" -print -quit) ]]
}

orchestrator_build() {
    orchestrator_build_needed || return 0
    ensure_maven
    echo "orchestrator: building ($ORCH_DIR: mvn -B -q package)" >&2
    local started=$SECONDS
    # Maven 3.8's jansi prints colour resets even in batch mode; the sed drops them.
    (cd "$ORCH_DIR" && JAVA_HOME="$JAVA_HOME" mvn -B -q -ntp -Dstyle.color=never package) 2>&1 |
        sed 's/\x1b\[0m//g' >&2
    echo "orchestrator: built in $((SECONDS - started)) s" >&2
}

JAVA_HOME=$(find_jdk)
export JAVA_HOME
orchestrator_build
[[ ${1:-} == build ]] && exit 0
# The controller writes into its working directory (the datastore journal, the devices' YANG under cache/schema):
# give each run its own and remove it afterwards. java runs as a child, not exec'd, so that the EXIT trap can
# clean up; a TERM or INT is passed on to it.
work=$(mktemp -d "${TMPDIR:-/tmp}/algd-orchestrator.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'kill -TERM "$java_pid" 2>/dev/null; wait "$java_pid"; exit 143' TERM INT
cd "$work"
"$JAVA_HOME/bin/java" "${ORCH_JVM_FLAGS[@]}" -cp "$ORCH_JAR:$ORCH_LIB/*" dev.algd.orchestrator.Orchestrator "$@" &
java_pid=$!
wait "$java_pid"
