#!/usr/bin/env bash
# Microbenchmarks of the domain's hot path (extract, canonicalise, hash, decide) with the
# bytes allocated per operation. JMH is compiled by the build but never run by it.
#
#   bench/jmh.sh                       # every benchmark, with -prof gc
#   bench/jmh.sh decideCachedKey -f 2  # a subset and any JMH options
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/lib/java-home.sh

mvn -B -q -pl sentinel-domain test-compile >&2
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -pl sentinel-domain dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >&2
classpath="sentinel-domain/target/test-classes:sentinel-domain/target/classes:$(cat "$cp_file")"

filter=${1:-HotPathBenchmark}
[ $# -gt 0 ] && shift
mkdir -p bench/results
"$JAVA_HOME/bin/java" -cp "$classpath" org.openjdk.jmh.Main "$filter" -prof gc "$@" \
    | tee "bench/results/jmh-$(date -u +%Y%m%dT%H%M%SZ).txt"
