# Sourced by every script that builds or runs Sentinel. Exports JAVA_HOME pointing at a
# JDK 21 or newer: the caller's JAVA_HOME when it is new enough, else the newest JDK under
# /usr/lib/jvm. Fails with a clear message when there is none.

sentinel_java_major() {
    # Prints the feature version of the JDK at $1 (17, 21, 25, ...), or nothing.
    local release="$1/release" version
    [ -x "$1/bin/java" ] || return 0
    if [ -f "$release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release")
    fi
    if [ -z "$version" ]; then
        version=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -1)
    fi
    [ "$version" = "1" ] && version=8
    printf '%s' "$version"
}

sentinel_find_java() {
    local candidate major best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ]; then
        major=$(sentinel_java_major "$JAVA_HOME")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            return 0
        fi
        echo "JAVA_HOME=$JAVA_HOME is Java ${major:-unknown}; looking for JDK 21+ elsewhere" >&2
    fi
    for candidate in /usr/lib/jvm/*; do
        [ -d "$candidate" ] && [ ! -L "$candidate" ] || continue
        [ -x "$candidate/bin/javac" ] || continue
        major=$(sentinel_java_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best="$candidate"
            best_major="$major"
        fi
    done
    if [ -z "$best" ]; then
        echo "No JDK 21 or newer found: set JAVA_HOME to one (Helidon 4 needs Java 21+)," \
            "or install one under /usr/lib/jvm (for example Temurin 25)." >&2
        return 1
    fi
    export JAVA_HOME="$best"
}

sentinel_find_java || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own guava warns about sun.misc.Unsafe on JDK 24+; the flag is unknown before 23.
if [ "$(sentinel_java_major "$JAVA_HOME")" -ge 23 ]; then
    case "${MAVEN_OPTS:-}" in
        *sun-misc-unsafe-memory-access*) ;;
        *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
    esac
fi
