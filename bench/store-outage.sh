#!/usr/bin/env bash
# Benchmark, not a test: p99 latency of requests whose key is cached, with every store up
# and with one store dead. The target (SPEC §4) is a rise of less than 5 ms.
#
# Each store is taken away ROUNDS times, and every "dead" phase is measured right after an
# "all up" phase of the same length; the report compares the medians, so that JIT warm-up
# and other processes on a shared machine do not decide the outcome.
#
# Everything runs on loopback and is stopped at exit: a redis-server of its own on a free
# port (killed and started again each round), a relay in front of PostgreSQL (cut and
# restored each round; PostgreSQL itself is never touched), a trivial downstream, and
# Sentinel with its tables in a schema of its own, dropped at the end.
#
#   bench/store-outage.sh
#   ROUNDS=3 PHASE=10s CONNECTIONS=8 PACE_MS=1 bench/store-outage.sh
#   KEEP_LOGS=1 bench/store-outage.sh      # keep Sentinel's, wrk's and the relay's logs
#
# Needs wrk (Debian package "wrk"), redis-server, redis-cli, psql, curl and python3; and a
# PostgreSQL on 127.0.0.1:5432 that user postgres may use without a password (database
# "test"), as the tests do. BENCH_PG_PORT, BENCH_PG_DB override them.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/lib/java-home.sh

ROUNDS=${ROUNDS:-5}
PHASE=${PHASE:-8s}
WARMUP=${WARMUP:-20s}
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${THREADS:-1}
# Each connection pauses this long between requests: latency is measured at a steady rate,
# not at saturation, where queueing alone would drown a 5 ms signal.
PACE_MS=${PACE_MS:-2}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_DB=${BENCH_PG_DB:-test}
TARGET_MS=5

for tool in wrk redis-server redis-cli psql curl python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 2; }
done
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 20 ] || { echo "bench: ROUNDS is 1 to 20" >&2; exit 2; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

work=$(mktemp -d /tmp/sentinel-bench.XXXXXX)
schema="bench_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$PG_DB" \
        -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    if [ -n "${KEEP_LOGS:-}" ]; then
        echo "bench: logs kept in $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# Runs a command every 200 ms until it succeeds, at most $1 times.
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
redis_pid=
start_redis() {
    redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
        --daemonize no >>"$work/redis.log" 2>&1 &
    redis_pid=$!
    pids+=("$redis_pid")
    poll 50 redis-cli -p "$redis_port" ping || { echo "bench: redis did not start" >&2; exit 1; }
}
start_redis

relay_port=$(free_port)
"$JAVA_HOME/bin/java" bench/Relay.java "$relay_port" "$PG_PORT" "$work/pg-cut" \
    >"$work/relay.log" 2>&1 &
pids+=($!)
poll 100 bash -c "echo > /dev/tcp/127.0.0.1/$relay_port" \
    || { echo "bench: the relay did not start" >&2; exit 1; }

downstream_port=$(free_port)
"$JAVA_HOME/bin/java" bench/Downstream.java "$downstream_port" >"$work/downstream.log" 2>&1 &
pids+=($!)

secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
port=$(free_port)
management=$(free_port)
DATABASE_URL="jdbc:postgresql://127.0.0.1:$relay_port/$PG_DB?user=postgres&currentSchema=$schema" \
    SENTINEL_HMAC_SECRET="$(secret)" ADMIN_JWT_SECRET="$(secret)" ADMIN_PASSWORD="$(secret)" \
    REDIS_URL="redis://127.0.0.1:$redis_port" DOWNSTREAM_URL="http://127.0.0.1:$downstream_port" \
    SENTINEL_HOST=127.0.0.1 SENTINEL_PORT="$port" SENTINEL_MANAGEMENT_PORT="$management" \
    BIND_RATE_PER_IP=0 \
    "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx512m ${SENTINEL_JAVA_OPTS:-} -jar "$jar" \
    >"$work/sentinel.log" 2>&1 &
pids+=($!)
poll 300 curl -sf "http://127.0.0.1:$management/health/ready" \
    || { echo "bench: sentinel did not start" >&2; tail -20 "$work/sentinel.log" >&2; exit 1; }
poll 100 curl -sf "http://127.0.0.1:$downstream_port/" \
    || { echo "bench: the downstream did not start" >&2; exit 1; }

key="sk-bench$(secret)"
url="http://127.0.0.1:$port/v1/models"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$url")
[ "$status" = 200 ] || { echo "bench: binding the key answered $status" >&2; exit 1; }

# A key no cache holds makes Sentinel ask both stores, which is how it notices a dead one.
store_is() {
    curl -s -o /dev/null -H "Authorization: Bearer sk-probe$(secret)" "$url"
    curl -s "http://127.0.0.1:$management/health/ready" | grep -q "\"$1\":\"$2\""
}

cat >"$work/pace.lua" <<LUA
function delay()
    return $PACE_MS
end
LUA

# Prints the p99 in milliseconds of one wrk run of $1; fails if any request failed.
p99() {
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency -s "$work/pace.lua" \
        -H "Authorization: Bearer $key" "$url")
    echo "$out" >>"$work/wrk.log"
    if echo "$out" | grep -q -e "Non-2xx" -e "Socket errors"; then
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
        $1 == "99%" { printf "%.3f\n", ms($2) }'
}

median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "bench: warming up for $WARMUP" >&2
p99 "$WARMUP" >/dev/null

redis_up=()
redis_dead=()
for round in $(seq 1 "$ROUNDS"); do
    echo "bench: redis round $round/$ROUNDS" >&2
    redis_up+=("$(p99 "$PHASE")")
    kill -9 "$redis_pid"
    wait "$redis_pid" 2>/dev/null || true
    poll 100 store_is redis down || { echo "bench: redis not seen down" >&2; exit 1; }
    redis_dead+=("$(p99 "$PHASE")")
    start_redis
    poll 100 store_is redis up || { echo "bench: redis not seen back" >&2; exit 1; }
    # The returning Redis is empty: one request fills the key's entry again.
    curl -s -o /dev/null -H "Authorization: Bearer $key" "$url"
done

pg_up=()
pg_dead=()
for round in $(seq 1 "$ROUNDS"); do
    echo "bench: postgresql round $round/$ROUNDS" >&2
    pg_up+=("$(p99 "$PHASE")")
    touch "$work/pg-cut"
    poll 100 store_is postgresql down || { echo "bench: postgresql not seen down" >&2; exit 1; }
    pg_dead+=("$(p99 "$PHASE")")
    rm -f "$work/pg-cut"
    poll 100 store_is postgresql up || { echo "bench: postgresql not seen back" >&2; exit 1; }
done

line() {
    local name=$1 up=$2 dead=$3
    awk -v name="$name" -v up="$up" -v dead="$dead" -v target="$TARGET_MS" 'BEGIN {
        rise = dead - up
        printf "%-16s %12.3f %12.3f %+10.3f  %s\n", name, up, dead, rise,
            (rise < target ? "within the 5 ms target" : "OVER the 5 ms target")
    }'
}

mkdir -p bench/results
report="bench/results/store-outage-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "store outage benchmark: cached key; $ROUNDS rounds of $PHASE per phase;" \
        "wrk -t$THREADS -c$CONNECTIONS, $PACE_MS ms pause per connection;" \
        "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "p99 per round (ms): redis up ${redis_up[*]} | redis dead ${redis_dead[*]}"
    echo "p99 per round (ms): postgresql up ${pg_up[*]} | postgresql dead ${pg_dead[*]}"
    printf '%-16s %12s %12s %10s\n' "store taken" "median up" "median dead" "rise ms"
    line "redis" "$(median "${redis_up[@]}")" "$(median "${redis_dead[@]}")"
    line "postgresql" "$(median "${pg_up[@]}")" "$(median "${pg_dead[@]}")"
} | tee "$report"
