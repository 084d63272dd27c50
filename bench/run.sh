#!/usr/bin/env bash
# Benchmark, not a test: Sentinel side by side with a plain nginx reverse proxy and with a
# bare Helidon proxy that has Sentinel's transport settings but no key logic.
#
# One invocation starts, on loopback only:
#   upstream   nginx answering a fixed JSON body; /v1/sse passed (unbuffered) to
#              bench/SseUpstream.java, which streams server-sent events
#   nginx      a plain nginx reverse proxy in front of the upstream (the baseline)
#   bare       dev.sentinel.app.proxy.BareProxy (test classpath of sentinel-app)
#   sentinel   the built jar, on the local PostgreSQL (a schema of its own) and Redis (a
#              key prefix of its own), every request sent as a trusted proxy would send it
# and measures, each phase bounded in time:
#   warm       one bound key, wrk at $CONNECTIONS connections: req/s, p50, p99, CPU µs,
#              context switches (and, with strace, system calls) per request; the median
#              of $WARM_ROUNDS rounds per side, measured in alternating order, with the
#              other JVMs paused
#   first use  $FRESH_KEYS keys never seen before: binds per second, p99; the round of
#              median speed of $FIRSTUSE_ROUNDS, after $FIRSTUSE_WARMUP_ROUNDS discarded
#              rounds of as many other fresh keys, from one client JVM
#   intercept  a bound key from another address (X-Real-IP): rejections per second
#   streaming  $STREAMS concurrent SSE streams of $EVENTS events every $EVENT_MS ms: time to
#              first event, delay of every event from the upstream's write to the client's
#              read, both also against direct, lost events; after $STREAM_WARMUP_RUNS
#              discarded runs per side, from one client JVM
#   scale      $SCALE_STREAMS connections held idle, then all streaming: completed, lost, RSS
# then prints a table with ratios to nginx and writes it to bench/results/.
#
#   bench/run.sh
#   DURATION=30s WARMUP=60s bench/run.sh        # longer phases on a quiet machine
#   PHASES="warm stream" bench/run.sh           # a subset
#   KEEP_LOGS=1 bench/run.sh                    # keep every log and config
#   SENTINEL_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/s.jfr bench/run.sh
#
# Needs nginx and wrk (Debian packages "nginx-light" or "nginx", "wrk"; installed with
# apt-get when missing and run as root), psql, redis-cli, curl, python3, Maven; PostgreSQL
# on 127.0.0.1:5432 for user postgres without password (database "test") and Redis on
# 127.0.0.1:6379, as the tests use. Optional: strace, for system calls per request.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/lib/java-home.sh

PHASES=${PHASES:-"warm firstuse intercept stream scale"}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-20s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
FRESH_KEYS=${FRESH_KEYS:-10000}
FIRSTUSE_WARMUP_ROUNDS=${FIRSTUSE_WARMUP_ROUNDS:-5}
FIRSTUSE_ROUNDS=${FIRSTUSE_ROUNDS:-3}
WARM_ROUNDS=${WARM_ROUNDS:-3}
STREAMS=${STREAMS:-500}
EVENTS=${EVENTS:-50}
EVENT_MS=${EVENT_MS:-20}
STREAM_WARMUP_RUNS=${STREAM_WARMUP_RUNS:-3}
SCALE_STREAMS=${SCALE_STREAMS:-10000}
SCALE_IDLE_MS=${SCALE_IDLE_MS:-5000}
SCALE_EVENTS=${SCALE_EVENTS:-10}
SCALE_EVENT_MS=${SCALE_EVENT_MS:-200}
SYSCALL_SECONDS=${SYSCALL_SECONDS:-5}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_DB=${BENCH_PG_DB:-test}
REDIS_PORT=${BENCH_REDIS_PORT:-6379}
# Both JVMs as Sentinel ships: G1 and platform-thread pollers (bin/sentinel, the image).
JVM_OPTS=${JVM_OPTS:-"-XX:+UseG1GC -Xms512m -Xmx512m -Djdk.pollerMode=1"}

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

for tool in nginx wrk; do
    if ! command -v "$tool" >/dev/null; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            say "$tool is missing; installing the Debian package"
            pkg=$tool
            [ "$tool" = nginx ] && pkg=nginx-light
            apt-get install -y -q "$pkg" >&2 \
                || die "apt-get install $pkg failed: install $tool and run again"
        else
            die "$tool is missing: install the Debian package ($tool) and run again"
        fi
    fi
done
for tool in psql redis-cli curl python3 mvn; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done
NGINX=$(command -v nginx)
# 10,000 streams pass three processes each: every one needs far more than 1024 descriptors.
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((2 * SCALE_STREAMS + 1000)) ]; then
    say "open files are limited to $(ulimit -n): the scale phase needs about" \
        "$((2 * SCALE_STREAMS + 1000)) in Sentinel; it may fail"
fi

# Prints $1 distinct free ports: all bound at once, so none is handed out twice.
free_ports() {
    python3 -c '
import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))' "$1"
}
rand() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d /tmp/sbench.XXXXXX)
run_id=$(rand 4)
schema="bench_$run_id"
prefix="bench-$run_id:"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill -CONT "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$PG_DB" \
        -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    redis-cli -p "$REDIS_PORT" --scan --pattern "${prefix}*" 2>/dev/null \
        | xargs -r -n 500 redis-cli -p "$REDIS_PORT" del >/dev/null 2>&1 || true
    if [ -n "${KEEP_LOGS:-}" ]; then
        say "logs kept in $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

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
listening() { bash -c "echo > /dev/tcp/127.0.0.1/$1"; }

# ---- build -----------------------------------------------------------------------------
jar=sentinel-app/target/sentinel.jar
bare_class=sentinel-app/target/test-classes/dev/sentinel/app/proxy/BareProxy.class
if [ ! -f "$jar" ] || [ ! -f "$bare_class" ] || [ -n "${BUILD:-}" ]; then
    say "building Sentinel and its test classes ..."
    mvn -B -q install -DskipTests -DskipITs -DskipUi=true >&2
    mvn -B -q -pl sentinel-app test-compile -DskipUi=true >&2
fi
mvn -B -q -pl sentinel-app dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/classpath" >&2
# Copies: a build during the run must not change what runs.
cp "$jar" "$work/app.jar"
cp -r sentinel-app/target/test-classes "$work/test-classes"
cp -r sentinel-app/target/classes "$work/classes"
bare_cp="$work/test-classes:$work/classes:$(cat "$work/classpath")"

# ---- upstream: nginx with a fixed JSON reply, and the SSE stand-in behind it -------------
read -r sse_port upstream_port nginx_port bare_port port management < <(free_ports 6)

"$JAVA_HOME/bin/java" -Xss256k bench/SseUpstream.java "$sse_port" >"$work/sse.log" 2>&1 &
pids+=($!)

nginx_conf() {
    local name=$1 body=$2
    mkdir -p "$work/$name"
    cat >"$work/$name/nginx.conf" <<CONF
worker_processes auto;
pid $work/$name/nginx.pid;
error_log $work/$name/error.log warn;
events { worker_connections 40000; multi_accept on; }
http {
    access_log off;
    client_body_temp_path $work/$name/body;
    proxy_temp_path $work/$name/proxy;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
$body
}
CONF
}
nginx_conf upstream "
    upstream sse { server 127.0.0.1:$sse_port; keepalive 1024; }
    server {
        listen 127.0.0.1:$upstream_port backlog=8192;
        location /v1/sse {
            proxy_pass http://sse;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_buffering off;
            proxy_read_timeout 300s;
        }
        location / {
            default_type application/json;
            return 200 '{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"owned_by\":\"openai\"}]}';
        }
    }"
nginx_conf proxy "
    upstream up { server 127.0.0.1:$upstream_port; keepalive 1024; }
    server {
        listen 127.0.0.1:$nginx_port backlog=8192;
        location / {
            proxy_pass http://up;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header X-Real-IP \$remote_addr;
            proxy_buffering off;
            proxy_read_timeout 300s;
        }
    }"
for name in upstream proxy; do
    "$NGINX" -e "$work/$name/error.log" -p "$work/$name" -c "$work/$name/nginx.conf" \
        -g 'daemon off;' >"$work/$name/stdout.log" 2>&1 &
    pids+=($!)
    eval "${name}_pid=$!"
done

# ---- the bare proxy and Sentinel -------------------------------------------------------
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $JVM_OPTS -cp "$bare_cp" dev.sentinel.app.proxy.BareProxy \
    "$bare_port" "http://127.0.0.1:$upstream_port" >"$work/bare.log" 2>&1 &
pids+=($!)
bare_pid=$!

# shellcheck disable=SC2086
DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB?user=postgres&currentSchema=$schema" \
    SENTINEL_HMAC_SECRET="$(rand 32)" ADMIN_JWT_SECRET="$(rand 32)" ADMIN_PASSWORD="$(rand 32)" \
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT" REDIS_KEY_PREFIX="$prefix" \
    DOWNSTREAM_URL="http://127.0.0.1:$upstream_port" TRUSTED_PROXY_IPS=127.0.0.1/32 \
    SENTINEL_HOST=127.0.0.1 SENTINEL_PORT="$port" SENTINEL_MANAGEMENT_PORT="$management" \
    BIND_RATE_PER_IP=0 \
    "$JAVA_HOME/bin/java" $JVM_OPTS ${SENTINEL_JAVA_OPTS:-} -jar "$work/app.jar" >"$work/sentinel.log" 2>&1 &
pids+=($!)
sentinel_pid=$!

for p in "$sse_port" "$upstream_port" "$nginx_port" "$bare_port"; do
    poll 300 listening "$p" || die "nothing listens on $p; see the logs (KEEP_LOGS=1)"
done
poll 300 curl -sf "http://127.0.0.1:$management/health/ready" \
    || { tail -20 "$work/sentinel.log" >&2; die "sentinel did not start"; }

declare -A PORT=([direct]=$upstream_port [nginx]=$nginx_port [bare]=$bare_port
    [sentinel]=$port)
# The processes whose CPU counts for a side: nginx's master and workers, or one JVM.
procs() {
    case $1 in
        nginx) echo "$proxy_pid $(pgrep -P "$proxy_pid" | tr '\n' ' ')" ;;
        direct) echo "$upstream_pid $(pgrep -P "$upstream_pid" | tr '\n' ' ')" ;;
        bare) echo "$bare_pid" ;;
        sentinel) echo "$sentinel_pid" ;;
        # Every PostgreSQL process: other sessions on a shared server count too.
        postgresql) ps -C postgres -o pid= | tr '\n' ' ' ;;
    esac
}
# A process that ended meanwhile (a PostgreSQL session) counts as 0.
cpu_ticks() {
    local total=0 pid ticks
    for pid in $(procs "$1"); do
        ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || ticks=0
        total=$((total + ${ticks:-0}))
    done
    echo "$total"
}
sum_switches() {
    local pid
    for pid in $(procs "$1"); do
        cat /proc/"$pid"/task/*/status 2>/dev/null
    done | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }'
}
rss_mb() {
    local total=0 pid kb
    for pid in $(procs "$1"); do
        kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || kb=0
        total=$((total + ${kb:-0}))
    done
    echo $((total / 1024))
}
tck=$(getconf CLK_TCK)

key="sk-bench${run_id}$(rand 12)"
url() { echo "http://127.0.0.1:${PORT[$1]}$2"; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" \
    -H "X-Real-IP: 127.0.0.1" "$(url sentinel /v1/models)")
[ "$status" = 200 ] || die "binding the key answered $status"

# Runs wrk against a side; prints "rps p50_ms p99_ms requests non2xx errors".
wrk_run() {
    local side=$1 duration=$2
    shift 2
    local out
    # The URL first: what follows "--" is the script's arguments.
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency \
        "$(url "$side" /v1/models)" "$@")
    echo "== $side $duration $*" >>"$work/wrk.log"
    echo "$out" >>"$work/wrk.log"
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
        /Requests\/sec/ { rps = $2 }
        /Non-2xx/ { bad = $NF }
        /Socket errors/ { err = $0; gsub(/[^0-9 ]/, "", err); split(err, e, " ");
            errs = e[1] + e[2] + e[3] + e[4] }
        END { printf "%.0f %.3f %.3f %d %d %d\n", rps, p50, p99, n, bad + 0, errs + 0 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

results=()
row() { results+=("$(printf "$@")"); }

# Counts system calls of a side during a short wrk run with strace attached.
syscalls_per_request() {
    local side=$1 pids_to_trace=() pid
    command -v strace >/dev/null || { echo "-"; return; }
    for pid in $(procs "$side"); do
        pids_to_trace+=(-p "$pid")
    done
    strace -f -c -o "$work/strace-$side.txt" "${pids_to_trace[@]}" 2>/dev/null &
    local tracer=$!
    sleep 1
    local figures
    figures=$(wrk_run "$side" "${SYSCALL_SECONDS}s" -H "Authorization: Bearer $key" \
        -H "X-Real-IP: 127.0.0.1")
    kill -INT "$tracer" 2>/dev/null || true
    wait "$tracer" 2>/dev/null || true
    local calls
    # Columns: % time, seconds, usecs/call, calls, [errors,] syscall.
    calls=$(awk '$NF == "total" { print $4 }' "$work/strace-$side.txt" 2>/dev/null)
    awk -v c="${calls:-0}" -v n="$(echo "$figures" | cut -d' ' -f4)" \
        'BEGIN { if (n > 0 && c > 0) printf "%.1f", c / n; else print "-" }'
}

# Pauses (SIGSTOP) the JVMs other than the measured side, so that their idle pooled
# connections' watchers and their compiler threads do not share the cores with it.
pause_others() {
    local side=$1 other
    for other in bare sentinel; do
        [ "$other" = "$side" ] || kill -STOP "$(procs "$other")"
    done
}
resume_all() { kill -CONT "$bare_pid" "$sentinel_pid" 2>/dev/null || true; }
# The median of the numbers given (the lower middle one of an even count).
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

phase_warm() {
    say "warm path: wrk -t$THREADS -c$CONNECTIONS, $WARMUP warm-up, then $WARM_ROUNDS" \
        "rounds of $DURATION per side in alternating order"
    local side round order rps p50 p99 n bad errs t0 t1 c0 c1
    local -A all_rps=() all_p50=() all_p99=() all_cpu=() all_cs=()
    for side in direct nginx bare sentinel; do
        pause_others "$side"
        wrk_run "$side" "$WARMUP" -H "Authorization: Bearer $key" \
            -H "X-Real-IP: 127.0.0.1" >/dev/null
        resume_all
    done
    # Alternating orders, so that no side is always measured first or last.
    for round in $(seq 1 "$WARM_ROUNDS"); do
        order="direct nginx bare sentinel"
        [ $((round % 2)) = 0 ] && order="sentinel bare nginx direct"
        for side in $order; do
            pause_others "$side"
            t0=$(cpu_ticks "$side")
            c0=$(sum_switches "$side")
            read -r rps p50 p99 n bad errs < <(wrk_run "$side" "$DURATION" \
                -H "Authorization: Bearer $key" -H "X-Real-IP: 127.0.0.1")
            t1=$(cpu_ticks "$side")
            c1=$(sum_switches "$side")
            resume_all
            [ "$bad" = 0 ] && [ "$errs" = 0 ] \
                || say "warm $side round $round: $bad non-2xx answers, $errs socket errors"
            all_rps[$side]+=" $rps"
            all_p50[$side]+=" $p50"
            all_p99[$side]+=" $p99"
            all_cpu[$side]+=" $(per_request $((t1 - t0)) "$n")"
            all_cs[$side]+=" $(awk -v c=$((c1 - c0)) -v n="$n" 'BEGIN { printf "%.2f", c / n }')"
        done
    done

    row "%-10s %10s %9s %9s %9s %9s %9s %8s %8s  %s" "warm" "req/s" "p50 ms" "p99 ms" \
        "CPU us/r" "csw/req" "sysc/req" "x nginx" "x bare" "req/s of each round"
    local nginx_rps nginx_p99 bare_rps
    # shellcheck disable=SC2086
    nginx_rps=$(median ${all_rps[nginx]})
    # shellcheck disable=SC2086
    nginx_p99=$(median ${all_p99[nginx]})
    # shellcheck disable=SC2086
    bare_rps=$(median ${all_rps[bare]})
    for side in direct nginx bare sentinel; do
        local sys=-
        if [ "${SYSCALLS:-1}" != 0 ] && [ "$side" != direct ]; then
            pause_others "$side"
            sys=$(syscalls_per_request "$side")
            resume_all
        fi
        # shellcheck disable=SC2086
        rps=$(median ${all_rps[$side]})
        # shellcheck disable=SC2086
        p99=$(median ${all_p99[$side]})
        # shellcheck disable=SC2086
        row "%-10s %10s %9s %9s %9s %9s %9s %8s %8s  %s" "$side" "$rps" \
            "$(median ${all_p50[$side]})" "$p99" "$(median ${all_cpu[$side]})" \
            "$(median ${all_cs[$side]})" "$sys" "$(ratio "$rps" "$nginx_rps")" \
            "$(ratio "$rps" "$bare_rps")" "$(echo ${all_rps[$side]} | tr ' ' '/')"
        [ "$side" = sentinel ] && row "%-10s p99 / nginx p99 = %s" "" \
            "$(ratio "$p99" "$nginx_p99")"
    done
    warm_nginx_rps=$nginx_rps
}

# Starts one KeyLoad client for a side, keeps it for every round (rounds=true).
keyload_start() {
    coproc KEYLOAD { "$JAVA_HOME/bin/java" bench/KeyLoad.java rounds=true \
        "port=${PORT[$1]}" "connections=$CONNECTIONS" "requests=$FRESH_KEYS" \
        realIp=127.0.0.1 deadlineSec=120; }
}
# Runs one round of fresh keys named by the prefix given; sets round_figures to its line.
# Not in a subshell: the client's pipes belong to this shell.
keyload_round() {
    echo "$1" >&"${KEYLOAD[1]}"
    read -r -t 150 round_figures <&"${KEYLOAD[0]}" \
        || die "the first-use client did not answer within 150 s"
    echo "$round_figures" >>"$work/key-load.log"
}

phase_firstuse() {
    say "first use: $FIRSTUSE_WARMUP_ROUNDS discarded and $FIRSTUSE_ROUNDS measured rounds" \
        "of $FRESH_KEYS keys never seen before, $CONNECTIONS connections"
    local side round out before after nginx_rps=0 t0 t1 p0 p1 rps loader
    row "%-10s %10s %9s %9s %10s %9s %9s %9s  %s" "first use" "keys/s" "p50 ms" "p99 ms" \
        "x nginx" "bound" "CPU us/k" "PG us/k" "keys/s of each round"
    for side in nginx sentinel; do
        pause_others "$side"
        keyload_start "$side"
        loader=$KEYLOAD_PID
        # Discarded rounds first: the JIT takes about 40,000 first uses to compile the
        # binding path, while the cores are busy serving them.
        for round in $(seq 1 "$FIRSTUSE_WARMUP_ROUNDS"); do
            keyload_round "sk-fw${run_id}${side}r${round}"
        done
        local rounds=() each=()
        for round in $(seq 1 "$FIRSTUSE_ROUNDS"); do
            # Sentinel's own count of new bindings; the other side has none (and Sentinel
            # is paused meanwhile).
            before=0
            [ "$side" = sentinel ] && before=$(bound_count)
            t0=$(cpu_ticks "$side")
            p0=$(cpu_ticks postgresql)
            keyload_round "sk-fu${run_id}${side}r${round}"
            out=$round_figures
            t1=$(cpu_ticks "$side")
            p1=$(cpu_ticks postgresql)
            after=0
            [ "$side" = sentinel ] && after=$(bound_count)
            [ "$(field "$out" statuses)" = "{200:$FRESH_KEYS}" ] \
                || say "first use $side round $round: answers $(field "$out" statuses)"
            rps=$(field "$out" rps)
            local bound=-
            [ "$side" = sentinel ] && bound=$((after - before))
            rounds+=("$rps $(field "$out" p50_ms) $(field "$out" p99_ms) $bound"`
                `" $(per_request $((t1 - t0)) "$FRESH_KEYS")"`
                `" $(per_request $((p1 - p0)) "$FRESH_KEYS")")
            each+=("$rps")
        done
        echo >&"${KEYLOAD[1]}"
        wait "$loader" 2>/dev/null || true
        resume_all
        # The round of median speed, with its own latencies and costs.
        local p50 p99 cpu pg
        read -r rps p50 p99 bound cpu pg < <(printf '%s\n' "${rounds[@]}" | sort -g \
            | awk '{ r[NR] = $0 } END { print r[int((NR + 1) / 2)] }')
        [ "$side" = nginx ] && nginx_rps=$rps
        row "%-10s %10s %9s %9s %10s %9s %9s %9s  %s" "$side" "$rps" "$p50" "$p99" \
            "$(ratio "$rps" "$nginx_rps")" "$bound" "$cpu" "$pg" \
            "$(IFS=/; echo "${each[*]}")"
    done
}
# CPU ticks over a count of requests, in microseconds each.
per_request() {
    awk -v t="$1" -v n="$2" -v k="$tck" 'BEGIN { printf "%.1f", t * 1e6 / k / n }'
}
bound_count() {
    curl -s "http://127.0.0.1:$management/metrics" \
        | awk '/^sentinel_requests_total\{.*outcome="bound"/ { s += $NF } END { printf "%d", s }'
}

phase_intercept() {
    say "intercept: the bound key from 192.0.2.7, $DURATION"
    wrk_run sentinel "$WARMUP" -H "Authorization: Bearer $key" \
        -H "X-Real-IP: 192.0.2.7" >/dev/null
    local rps p50 p99 n bad errs
    read -r rps p50 p99 n bad errs < <(wrk_run sentinel "$DURATION" \
        -H "Authorization: Bearer $key" -H "X-Real-IP: 192.0.2.7")
    [ "$bad" = "$n" ] || say "intercept: only $bad of $n answers were refusals"
    row "%-10s %10s %9s %9s %10s %9s" "intercept" "refused/s" "p50 ms" "p99 ms" \
        "x nginx" "refused"
    row "%-10s %10s %9s %9s %10s %9s" "sentinel" "$rps" "$p50" "$p99" \
        "$(ratio "$rps" "${warm_nginx_rps:-0}")" "$bad/$n"
}

# Runs the SSE client against a side; prints its key=value line.
sse_run() {
    local side=$1
    shift
    "$JAVA_HOME/bin/java" -Xss256k bench/SseLoad.java "port=${PORT[$side]}" \
        "key=$key" realIp=127.0.0.1 "$@" | tee -a "$work/sse-load.log"
}
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }

# Starts one SSE client for the streaming phase, kept for every run (rounds=true).
sseload_start() {
    coproc SSELOAD { "$JAVA_HOME/bin/java" -Xss256k bench/SseLoad.java rounds=true \
        "key=$key" realIp=127.0.0.1 "streams=$STREAMS" "events=$EVENTS" "ms=$EVENT_MS" \
        deadlineSec=120; }
}
# Runs the SSE client once against a side; sets run_figures to its line.
sseload_run() {
    echo "port=${PORT[$1]}" >&"${SSELOAD[1]}"
    read -r -t 150 run_figures <&"${SSELOAD[0]}" \
        || die "the SSE client did not answer within 150 s"
    echo "$run_figures" >>"$work/sse-load.log"
}

phase_stream() {
    say "streaming: $STREAMS streams of $EVENTS events every $EVENT_MS ms"
    local side out direct_delay=0 direct_ttfe=0 loader
    row "%-10s %9s %7s %10s %10s %10s %10s %10s %10s %9s" "streaming" "complete" "lost" \
        "ttfe mean" "ttfe p99" "delay mean" "delay p99" "+ttfe" "+delay" "CPU us/e"
    sseload_start
    loader=$SSELOAD_PID
    for side in direct nginx bare sentinel; do
        pause_others "$side"
        # Discarded runs of the same size first: the JIT compiles the streaming path.
        local run
        for run in $(seq 1 "$STREAM_WARMUP_RUNS"); do
            sseload_run "$side"
        done
        local t0 t1
        t0=$(cpu_ticks "$side")
        sseload_run "$side"
        out=$run_figures
        t1=$(cpu_ticks "$side")
        resume_all
        local ttfe delay
        ttfe=$(field "$out" ttfe_mean_ms)
        delay=$(field "$out" delay_mean_ms)
        if [ "$side" = direct ]; then
            direct_ttfe=$ttfe
            direct_delay=$delay
        fi
        row "%-10s %9s %7s %10s %10s %10s %10s %10s %10s %9s" "$side" \
            "$(field "$out" completed)/$STREAMS" "$(field "$out" lost)" "$ttfe" \
            "$(field "$out" ttfe_p99_ms)" "$delay" "$(field "$out" delay_p99_ms)" \
            "$(awk -v a="$ttfe" -v b="$direct_ttfe" 'BEGIN { printf "%+.3f", a - b }')" \
            "$(awk -v a="$delay" -v b="$direct_delay" 'BEGIN { printf "%+.3f", a - b }')" \
            "$(per_request $((t1 - t0)) "$(field "$out" events)")"
    done
    echo >&"${SSELOAD[1]}"
    wait "$loader" 2>/dev/null || true
}

phase_scale() {
    say "scale: $SCALE_STREAMS connections, idle ${SCALE_IDLE_MS} ms, then" \
        "$SCALE_EVENTS events every $SCALE_EVENT_MS ms"
    local side out
    row "%-10s %13s %9s %10s %10s %8s %9s" "scale" "complete" "lost" "ttfe p99" \
        "delay p99" "wall s" "peak RSS MB"
    for side in nginx sentinel; do
        local peak=0 sampler
        pause_others "$side"
        (
            while true; do
                rss_mb "$side"
                sleep 0.5
            done
        ) >"$work/rss-$side.txt" 2>/dev/null &
        sampler=$!
        out=$(sse_run "$side" "streams=$SCALE_STREAMS" "events=$SCALE_EVENTS" \
            "ms=$SCALE_EVENT_MS" "idleMs=$SCALE_IDLE_MS" deadlineSec=180)
        kill "$sampler" 2>/dev/null || true
        wait "$sampler" 2>/dev/null || true
        resume_all
        peak=$(sort -n "$work/rss-$side.txt" | tail -1)
        row "%-10s %13s %9s %10s %10s %8s %9s" "$side" \
            "$(field "$out" completed)/$SCALE_STREAMS" "$(field "$out" lost)" \
            "$(field "$out" ttfe_p99_ms)" "$(field "$out" delay_p99_ms)" \
            "$(field "$out" wall_s)" "$peak"
    done
}

for phase in $PHASES; do
    case $phase in
        warm | firstuse | intercept | stream | scale)
            for pid in "${pids[@]}"; do
                kill -0 "$pid" 2>/dev/null || die "process $pid ended early; see the logs" \
                    "(KEEP_LOGS=1)"
            done
            "phase_$phase"
            row ""
            ;;
        *) die "unknown phase $phase (warm firstuse intercept stream scale)" ;;
    esac
done

mkdir -p bench/results
report="bench/results/run-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "Sentinel benchmark $(date -u +%FT%TZ): $(nproc) cores," \
        "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
        "load average at start $load_before;" \
        "JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2)," \
        "$("$NGINX" -v 2>&1 | cut -d' ' -f3); JVM options: $JVM_OPTS"
    echo "warm $DURATION after $WARMUP; wrk -t$THREADS -c$CONNECTIONS; times in ms;" \
        "x = ratio of req/s; delay = from the upstream's write of an event to the client's read"
    echo
    printf '%s\n' "${results[@]}"
} | tee "$report"
say "written to $report"
