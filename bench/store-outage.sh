#!/usr/bin/env bash
# Benchmark, not a test: p99 latency of requests whose key is cached, with every store up,
# with Redis dead, with every store up again, and with PostgreSQL dead. The target
# (SPEC §4) is a rise of less than 5 ms with one store dead; each dead phase is compared
# with the all-up phase right before it, so JIT warm-up does not flatter either.
#
# Everything runs on loopback and is stopped at exit: a redis-server of its own on a free
# port (killed mid-way, then started again), Sentinel in the embedded default (its own
# PostgreSQL under a temporary DATA_DIR, whose postmaster is killed for the last phase),
# and a trivial downstream. Needs wrk (Debian package "wrk") and redis-server.
#
#   bench/store-outage.sh                  # 20 s per phase
#   DURATION=30s CONNECTIONS=8 bench/store-outage.sh
#   KEEP_LOGS=1 SENTINEL_JAVA_OPTS=-Xlog:gc bench/store-outage.sh   # keep logs to read
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/lib/java-home.sh

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${THREADS:-1}
# Each connection pauses this long between requests: latency is measured at a steady rate,
# not at saturation, where queueing and GC on a shared machine would drown a 5 ms signal.
PACE_MS=${PACE_MS:-2}
TARGET_MS=5

for tool in wrk redis-server curl python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 2; }
done

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

work=$(mktemp -d /tmp/sentinel-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ -n "${KEEP_LOGS:-}" ]; then
        echo "bench: logs kept in $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# Poll a command once every 200 ms, at most $1 times.
poll() {
    local tries=$1
    shift
    for _ in $(seq 1 "$tries"); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    return 1
}

jar=sentinel-app/target/sentinel.jar
if [ ! -f "$jar" ]; then
    echo "bench: building $jar ..." >&2
    mvn -B -q -pl sentinel-app -am package -DskipTests >&2
fi

redis_port=$(free_port)
start_redis() {
    redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
        --daemonize no >"$work/redis.log" 2>&1 &
    redis_pid=$!
    pids+=("$redis_pid")
    poll 50 redis-cli -p "$redis_port" ping || { echo "bench: redis did not start" >&2; exit 1; }
}
start_redis

downstream_port=$(free_port)
"$JAVA_HOME/bin/java" "bench/Downstream.java" "$downstream_port" >"$work/downstream.log" 2>&1 &
pids+=($!)

port=$(free_port)
management=$(free_port)
DATA_DIR="$work/data" DOWNSTREAM_URL="http://127.0.0.1:$downstream_port" \
    SENTINEL_HOST=127.0.0.1 SENTINEL_PORT="$port" SENTINEL_MANAGEMENT_PORT="$management" \
    REDIS_URL="redis://127.0.0.1:$redis_port" BIND_RATE_PER_IP=0 \
    "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx512m ${SENTINEL_JAVA_OPTS:-} -jar "$jar" >"$work/sentinel.log" 2>&1 &
pids+=($!)
ready() { curl -sf "http://127.0.0.1:$management/health/ready"; }
store_is() { curl -s "http://127.0.0.1:$management/health/ready" | grep -q "\"$1\":\"$2\""; }
poll 300 ready || { echo "bench: sentinel did not start"; tail -20 "$work/sentinel.log"; exit 1; }
poll 50 curl -sf "http://127.0.0.1:$downstream_port/" || { echo "bench: no downstream"; exit 1; }

key="sk-bench$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
url="http://127.0.0.1:$port/v1/models"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$url")
[ "$status" = 200 ] || { echo "bench: binding the key answered $status"; exit 1; }

cat >"$work/pace.lua" <<LUA
function delay()
    return $PACE_MS
end
LUA

# Prints "p50 p99" in milliseconds and the request count of one wrk run.
measure() {
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency -s "$work/pace.lua" \
        -H "Authorization: Bearer $key" "$url")
    echo "$out" >>"$work/wrk.log"
    if echo "$out" | grep -q "Non-2xx"; then
        echo "bench: some requests failed:" >&2
        echo "$out" >&2
        exit 1
    fi
    echo "$out" | awk '
        function ms(v) {
            if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
            if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
            if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000 }
            return v
        }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /requests in/ { n = $1 }
        END { printf "%.3f %.3f %s\n", p50, p99, n }'
}

echo "bench: warming up" >&2
measure "${WARMUP:-20s}" >/dev/null

echo "bench: all stores up" >&2
read -r up50 up99 upn < <(measure "$DURATION")

echo "bench: killing redis" >&2
kill -9 "$redis_pid"
wait "$redis_pid" 2>/dev/null || true
poll 100 bash -c "curl -s -H 'Authorization: Bearer $key' '$url' >/dev/null; \
    curl -s 'http://127.0.0.1:$management/health/ready' | grep -q '\"redis\":\"down\"'" \
    || { echo "bench: sentinel did not see redis go down"; exit 1; }
measure 3s >/dev/null
read -r r50 r99 rn < <(measure "$DURATION")

echo "bench: redis back" >&2
start_redis
poll 100 store_is redis up || { echo "bench: sentinel did not see redis return"; exit 1; }
# The returning Redis is empty: one request per key fills it again.
curl -s -o /dev/null -H "Authorization: Bearer $key" "$url"
measure 3s >/dev/null
read -r b50 b99 bn < <(measure "$DURATION")

echo "bench: killing postgresql" >&2
postmaster=$(find "$work/data" -name postmaster.pid -print -quit)
[ -n "$postmaster" ] || { echo "bench: no postmaster.pid under $work/data"; exit 1; }
kill -9 "$(head -1 "$postmaster")"
poll 100 bash -c "curl -s -H 'Authorization: Bearer sk-probe$RANDOM$RANDOM' '$url' \
    >/dev/null; curl -s 'http://127.0.0.1:$management/health/ready' \
    | grep -q '\"postgresql\":\"down\"'" \
    || { echo "bench: sentinel did not see postgresql go down"; exit 1; }
measure 3s >/dev/null
read -r p50 p99 pn < <(measure "$DURATION")

verdict() {
    awk -v base="$1" -v now="$2" -v target="$TARGET_MS" 'BEGIN {
        rise = now - base
        printf "%+.3f ms %s", rise, (rise < target ? "(within the 5 ms target)" : "(OVER the 5 ms target)")
    }'
}

mkdir -p bench/results
report="bench/results/store-outage-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "store outage benchmark: cached key, wrk -t$THREADS -c$CONNECTIONS -d$DURATION," \
        "${PACE_MS} ms pause per connection, $(nproc) cores, load average" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf '%-22s %10s %10s %10s\n' "phase" "p50 ms" "p99 ms" "requests"
    printf '%-22s %10s %10s %10s\n' "all stores up" "$up50" "$up99" "$upn"
    printf '%-22s %10s %10s %10s\n' "redis dead" "$r50" "$r99" "$rn"
    printf '%-22s %10s %10s %10s\n' "all stores up again" "$b50" "$b99" "$bn"
    printf '%-22s %10s %10s %10s\n' "postgresql dead" "$p50" "$p99" "$pn"
    echo "p99 rise with redis dead (against the phase before):      $(verdict "$up99" "$r99")"
    echo "p99 rise with postgresql dead (against the phase before): $(verdict "$b99" "$p99")"
} | tee "$report"
