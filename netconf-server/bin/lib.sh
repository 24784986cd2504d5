# Shared by netconf-server/bin/{algd,install-deps,run-tests}; sourced, never run.
# Sets ALGD_ROOT (the repository root, found from this file's location) and defines
# the JDK lookup and the "is the daemon built and up to date" check.

ALGD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ALGD_JAR="$ALGD_ROOT/netconf-server/target/netconf-server-0.1.0-SNAPSHOT.jar"
ALGD_LIB="$ALGD_ROOT/netconf-server/target/lib"
# Touched after each build this script ran: a change in another module (alg-engine, packet-io) leaves the
# daemon's own jar untouched, so the jar's time alone would ask for a build every time.
ALGD_STAMP="$ALGD_ROOT/netconf-server/target/.algd-built"
# JDK 25 is the first LTS with the final FFM API (packet-io) and runs OpenDaylight's Java 21 classes.
ALGD_JDK_FEATURE=25
# Silences the "sun.misc.Unsafe ... terminally deprecated" warnings Maven's own libraries print on JDK 25.
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

# Prints the feature release (17, 25, ...) of the JDK at $1, or nothing if $1 is not a JDK.
jdk_feature() {
    local home=$1 version
    [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 0
    if [[ -r "$home/release" ]]; then
        version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
    fi
    if [[ -z "${version:-}" ]]; then
        version=$("$home/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
    fi
    echo "${version:-}"
}

# Finds a JDK >= 25 and prints its home: $JAVA_HOME if it qualifies, else /usr/lib/jvm/temurin-25*,
# else any /usr/lib/jvm/*25*. Fails with the list of places it looked.
find_jdk() {
    local candidate feature looked=()
    local candidates=()
    [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
    candidates+=(/usr/lib/jvm/temurin-25* /usr/lib/jvm/*25*)
    local -A seen=()
    for candidate in "${candidates[@]}"; do
        [[ -n "${seen[$candidate]:-}" ]] && continue
        seen[$candidate]=1
        [[ -e "$candidate" ]] || { looked+=("$candidate (absent)"); continue; }
        feature=$(jdk_feature "$candidate")
        if [[ -n "$feature" && "$feature" -ge "$ALGD_JDK_FEATURE" ]]; then
            echo "$candidate"
            return 0
        fi
        if [[ -n "$feature" ]]; then
            looked+=("$candidate (JDK $feature)")
        else
            looked+=("$candidate (not a JDK)")
        fi
    done
    {
        echo "algd: needs a JDK $ALGD_JDK_FEATURE or newer (java and javac), e.g. Temurin 25 in /usr/lib/jvm/temurin-25-jdk-amd64."
        echo "algd: looked at \$JAVA_HOME, /usr/lib/jvm/temurin-25*, /usr/lib/jvm/*25*:"
        printf '  %s\n' "${looked[@]}"
        echo "algd: install a JDK 25 there, or set JAVA_HOME to one."
    } >&2
    return 1
}

# True when the daemon's jar and runtime classpath are missing, or a source, model or pom is newer than the jar.
build_needed() {
    [[ -f "$ALGD_JAR" && -d "$ALGD_LIB" ]] || return 0
    local reference=$ALGD_JAR newer
    [[ -f "$ALGD_STAMP" && "$ALGD_STAMP" -nt "$ALGD_JAR" ]] && reference=$ALGD_STAMP
    newer=$(find "$ALGD_ROOT" -path "$ALGD_ROOT/.git" -prune -o -path '*/target' -prune -o \
        \( -name '*.java' -o -name '*.yang' -o -name pom.xml \) -newer "$reference" -print -quit)
    [[ -n "$newer" ]]
}

# Installs Maven from Debian if it is missing (needs root).
ensure_maven() {
    command -v mvn >/dev/null && return 0
    echo "algd: mvn not found; installing Debian's maven" >&2
    [[ $(id -u) -eq 0 ]] || { echo "algd: cannot install maven: not root" >&2; return 1; }
    DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven
}

# Builds the daemon (all modules, tests skipped) if build_needed says so.
build_if_needed() {
    build_needed || return 0
    ensure_maven
    echo "algd: building ($ALGD_ROOT: mvn -B -q install -DskipTests)" >&2
    local started=$SECONDS
    mkdir -p "${ALGD_STAMP%/*}"
    touch "$ALGD_STAMP.next" 2>/dev/null || true   # sources edited during the build stay "newer"
    # Maven 3.8's jansi prints colour resets even in batch mode; the sed drops them.
    (cd "$ALGD_ROOT" && JAVA_HOME="$JAVA_HOME" mvn -B -q -Dstyle.color=never install -DskipTests) 2>&1 |
        sed 's/\x1b\[0m//g' >&2
    mv -f "$ALGD_STAMP.next" "$ALGD_STAMP" 2>/dev/null || true
    echo "algd: built in $((SECONDS - started)) s" >&2
}
