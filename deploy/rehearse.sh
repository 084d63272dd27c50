#!/usr/bin/env bash
# Rehearses the compose deployment on one machine, without Docker: the project's nginx
# configuration (rendered for loopback) on a free port -> two Sentinel replicas sharing one
# PostgreSQL schema and one Redis key prefix -> a streaming stand-in for New API. Clients
# come from 127.0.0.2 and 127.0.0.3, nginx and the replicas talk over 127.0.0.1.
#
# It checks, and exits non-zero when one fails:
#   1. the address Sentinel binds behind nginx is the client's, not nginx's nor one the
#      client wrote into a header;
#   2. a client at another address is intercepted through nginx;
#   3. server-sent events pass nginx and Sentinel one by one;
#   4. a binding made on one replica holds on the other, also when both race for it;
#   5. when the admin API exists: an unbind through one replica frees the key on the other.
#
# Needs nginx, curl, psql, redis-cli, python3 and openssl, PostgreSQL and Redis on loopback
# (REHEARSE_PG_* and REHEARSE_REDIS_* override where). Builds sentinel.jar when missing.
# Everything it starts is stopped on exit; its schema and Redis keys are deleted.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/lib/java-home.sh

PG_HOST=${REHEARSE_PG_HOST:-127.0.0.1}
PG_PORT=${REHEARSE_PG_PORT:-5432}
PG_USER=${REHEARSE_PG_USER:-postgres}
PG_DB=${REHEARSE_PG_DB:-test}
REDIS_HOST=${REHEARSE_REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REHEARSE_REDIS_PORT:-6379}
JVM_OPTS=${REHEARSE_JAVA_OPTS:--XX:+UseG1GC -Xmx256m -XX:+ExitOnOutOfMemoryError}
# Where the admin API unbinds a pasted key; the check is skipped when nothing answers there.
UNBIND_PATH=/admin/api/keys/unbind
CLIENT=127.0.0.2
OTHER_CLIENT=127.0.0.3

jar=sentinel-app/target/sentinel.jar
run_id="rehearse_$$_$(date +%s)"
schema="$run_id"
redis_prefix="${run_id//_/-}:"
work="$(mktemp -d "${TMPDIR:-/tmp}/sentinel-rehearse.XXXXXX")"
pids=()
failed=0

say() { echo "rehearse: $*"; }
pass() { echo "rehearse: PASS $*"; }
fail() {
    echo "rehearse: FAIL $*" >&2
    failed=1
    exit 1
}

psql_run() {
    psql -X -q -At -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
        -c "$1"
}

redis_run() {
    redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"
}

stop_process() {
    local pid="$1" i
    kill "$pid" 2>/dev/null || return 0
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$? i log keys
    set +e
    if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then
        for log in "$work"/*.log "$work"/nginx/logs/error.log; do
            [ -s "$log" ] || continue
            echo "----- last lines of ${log#"$work"/} -----" >&2
            tail -n 25 "$log" >&2
        done
    fi
    # Newest first: nginx, then the replicas (their stores flush and close), then New API.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        stop_process "${pids[i]}"
    done
    psql_run "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 \
        || echo "rehearse: could not drop schema $schema" >&2
    for i in $(seq 1 20); do
        keys="$(redis_run --scan --pattern "${redis_prefix}*" 2>/dev/null \
            | head -n 1000)"
        [ -n "$keys" ] || break
        printf '%s\n' "$keys" | xargs redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" del \
            >/dev/null
    done
    [ -z "$(redis_run --scan --pattern "${redis_prefix}*" 2>/dev/null | head -n 1)" ] \
        || echo "rehearse: Redis keys under $redis_prefix are left" >&2
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Polls "$@" every 0.2 s until it succeeds or $1 seconds pass.
wait_until() {
    local seconds="$1" tries
    shift
    for tries in $(seq 1 $((seconds * 5))); do
        "$@" && return 0
        sleep 0.2
    done
    return 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); \
print(s.getsockname()[1])'
}

new_key() { printf 'sk-rh%s' "$(openssl rand -hex 20)"; }
hint() { printf 'sk-rh…%s' "${1: -4}"; }

# request NAME SOURCE BASE_URL KEY PATH [curl args...]: status into $work/NAME.status,
# body into $work/NAME.body, headers into $work/NAME.headers; prints the status.
request() {
    local name="$1" source="$2" base="$3" key="$4" path="$5"
    shift 5
    curl -sS --interface "$source" --max-time 30 -o "$work/$name.body" \
        -D "$work/$name.headers" -w '%{http_code}' \
        -H "Authorization: Bearer $key" "$@" "$base$path" >"$work/$name.status" \
        || echo 000 >"$work/$name.status"
    cat "$work/$name.status"
}

expect_status() {
    local name="$1" expected="$2" what="$3" got
    got="$(cat "$work/$name.status")"
    [ "$got" = "$expected" ] || fail "$what: expected HTTP $expected, got $got: \
$(head -c 300 "$work/$name.body" 2>/dev/null)"
}

for tool in nginx curl psql redis-cli python3 openssl; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done
psql_run 'SELECT 1' >/dev/null || fail "PostgreSQL does not answer at $PG_HOST:$PG_PORT"
[ "$(redis_run ping)" = PONG ] || fail "Redis does not answer at $REDIS_HOST:$REDIS_PORT"
if [ ! -f "$jar" ]; then
    say "building $jar"
    mvn -B -q package -DskipTests
fi

# --- the stand-in for New API ------------------------------------------------------------
mkdir -p "$work/acks"
python3 deploy/rehearse/downstream.py "$work/downstream.port" "$work/acks" \
    2>"$work/downstream.log" &
pids+=($!)
wait_until 10 test -s "$work/downstream.port" || fail "the downstream stand-in did not start"
downstream="http://127.0.0.1:$(cat "$work/downstream.port")"
say "downstream stand-in at $downstream"

# --- two replicas: the compose settings from .env.example, loopback where compose differs --
settings=()
while IFS= read -r line; do
    [[ "$line" =~ ^[A-Z][A-Z0-9_]*= ]] && settings+=("$line")
done <deploy/.env.example
hmac_secret="$(openssl rand -hex 32)"
admin_password="$(openssl rand -hex 16)"
admin_jwt_secret="$(openssl rand -hex 32)"

start_replica() {
    local n="$1"
    mkdir -p "$work/data$n"
    env "${settings[@]}" \
        DOWNSTREAM_URL="$downstream" \
        DATABASE_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$PG_DB?currentSchema=$schema" \
        REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT/0" \
        REDIS_KEY_PREFIX="$redis_prefix" \
        TRUSTED_PROXY_IPS=127.0.0.1/32 \
        SENTINEL_HOST=127.0.0.1 SENTINEL_PORT=0 SENTINEL_MANAGEMENT_PORT=0 \
        DATA_DIR="$work/data$n" \
        SENTINEL_HMAC_SECRET="$hmac_secret" \
        ADMIN_PASSWORD="$admin_password" \
        ADMIN_JWT_SECRET="$admin_jwt_secret" \
        java $JVM_OPTS -jar "$jar" >"$work/replica$n.log" 2>&1 &
    pids+=($!)
    local pid=$!
    started() {
        grep -q 'sentinel started port=' "$work/replica$n.log" && return 0
        kill -0 "$pid" 2>/dev/null || fail "replica $n exited: see replica$n.log"
        return 1
    }
    wait_until 120 started || fail "replica $n did not start within 120 s"
    sed -n 's/.*sentinel started port=\([0-9]*\) managementPort=\([0-9]*\).*/\1 \2/p' \
        "$work/replica$n.log" | head -n 1 >"$work/replica$n.ports"
}

# One after the other: the first start creates the schema and migrates it.
start_replica 1
start_replica 2
read -r r1_port r1_mgmt <"$work/replica1.ports"
read -r r2_port r2_mgmt <"$work/replica2.ports"
r1="http://127.0.0.1:$r1_port"
r2="http://127.0.0.1:$r2_port"
say "replica 1 at $r1 (management $r1_mgmt), replica 2 at $r2 (management $r2_mgmt)"
say "shared stores: PostgreSQL $PG_HOST:$PG_PORT/$PG_DB schema $schema," \
    "Redis $REDIS_HOST:$REDIS_PORT prefix $redis_prefix"

# --- nginx with the project's configuration ----------------------------------------------
max_body_mb="$(sed -n 's/^MAX_REQUEST_BODY_MB=//p' deploy/.env.example)"
nginx_port="$(free_port)"
deploy/nginx/render.sh "$work/nginx" --listen "127.0.0.1:$nginx_port" \
    --upstream "127.0.0.1:$r1_port" --upstream "127.0.0.1:$r2_port" \
    --max-body-mb "${max_body_mb:-100}"
nginx_args=(-p "$work/nginx/" -e "$work/nginx/logs/error.log" -c "$work/nginx/conf/nginx.conf")
nginx -t -q "${nginx_args[@]}" || fail "nginx -t rejected the rendered configuration"
nginx "${nginx_args[@]}" -g 'daemon off;' &
pids+=($!)
nginx_pid=$!
front="http://127.0.0.1:$nginx_port"
nginx_up() {
    kill -0 "$nginx_pid" 2>/dev/null || fail "nginx exited: see nginx/logs/error.log"
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$front/health")" = 200 ]
}
wait_until 20 nginx_up || fail "nginx does not answer /health at $front"
say "nginx at $front -> replicas 1 and 2"

# --- 1. the client's address is bound, not nginx's and not a header's --------------------
key1="$(new_key)"
request bind "$CLIENT" "$front" "$key1" /v1/models \
    -H 'X-Real-IP: 203.0.113.7' -H 'X-Real-IP: 203.0.113.8' \
    -H 'X-Forwarded-For: 203.0.113.7, 198.51.100.1' -H 'X_Real_IP: 203.0.113.7' \
    -H 'Forwarded: for=203.0.113.7' -H 'CF-Connecting-IP: 203.0.113.7' >/dev/null
expect_status bind 200 "first use of $(hint "$key1") from $CLIENT through nginx"
seen="$(python3 -c 'import json, sys; b = json.load(open(sys.argv[1])); \
print(",".join(b["x_real_ip"]) + " " + ",".join(b["x_forwarded_for"]) + " " \
+ str(len(b["forwarded"])))' "$work/bind.body")"
[ "$seen" = "$CLIENT $CLIENT 0" ] \
    || fail "New API saw X-Real-IP, X-Forwarded-For, Forwarded count '$seen'," \
        "expected '$CLIENT $CLIENT 0'"
rules="$(psql_run "SELECT array_to_string(rules, ',') || ' last_ip ' || host(last_ip)
    FROM $schema.binding WHERE hint LIKE '%${key1: -4}'")"
[ "$rules" = "$CLIENT/32 last_ip $CLIENT" ] \
    || fail "binding of $(hint "$key1") is '$rules', expected '$CLIENT/32 last_ip $CLIENT'"
pass "client address: $(hint "$key1") from $CLIENT via nginx is bound to $rules" \
    "(spoofed X-Real-IP/X-Forwarded-For/X_Real_IP/Forwarded/CF-Connecting-IP ignored;" \
    "New API saw X-Real-IP $CLIENT)"

# --- 2. another address is intercepted through nginx -------------------------------------
request other "$OTHER_CLIENT" "$front" "$key1" /v1/models >/dev/null
expect_status other 403 "$(hint "$key1") from $OTHER_CLIENT through nginx"
grep -q '"access_denied"' "$work/other.body" \
    || fail "the 403 body names no access_denied: $(head -c 300 "$work/other.body")"
grep -qi '^X-Rehearsal-Downstream' "$work/other.headers" \
    && fail "the intercepted request reached New API"
intercepted() {
    [ -n "$(psql_run "SELECT 1 FROM $schema.intercept_log
        WHERE hint LIKE '%${key1: -4}' AND client_ip = '$OTHER_CLIENT'")" ]
}
wait_until 20 intercepted || fail "no intercept row for $OTHER_CLIENT within 20 s"
request again "$CLIENT" "$front" "$key1" /v1/models >/dev/null
expect_status again 200 "$(hint "$key1") again from $CLIENT through nginx"
pass "interception: $(hint "$key1") from $OTHER_CLIENT via nginx -> 403 access_denied," \
    "logged with client_ip $OTHER_CLIENT, never forwarded; $CLIENT still passes"

# --- 3. server-sent events pass one by one -----------------------------------------------
events=5
stream_id="s$RANDOM$RANDOM"
: >"$work/events.txt"
curl -sS -N --interface "$CLIENT" --max-time 90 -D "$work/sse.headers" \
    -H "Authorization: Bearer $key1" -H 'Content-Type: application/json' \
    -d '{"model":"rehearsal","stream":true}' \
    "$front/v1/chat/completions?events=$events&stream=$stream_id&gap_ms=300" \
    | while IFS= read -r line; do
        case "$line" in
            data:*'"event"'*)
                n="$(sed -n 's/.*"event": \([0-9]*\).*/\1/p' <<<"$line")"
                echo "$(date +%s%3N) event $n" >>"$work/events.txt"
                # The downstream sends the next event only after this acknowledgement.
                touch "$work/acks/$stream_id.$n"
                ;;
            data:*'"done"'*)
                echo "$(date +%s%3N) done $(sed -n 's/.*"acked": \([0-9]*\).*/\1/p' \
                    <<<"$line")" >>"$work/events.txt"
                ;;
        esac
    done
grep -qi '^content-type: text/event-stream' "$work/sse.headers" \
    || fail "the stream's Content-Type is not text/event-stream"
received="$(grep -c ' event ' "$work/events.txt" || true)"
acked="$(sed -n 's/.* done \([0-9]*\)$/\1/p' "$work/events.txt")"
[ "$received" = "$events" ] || fail "received $received of $events events"
[ "$acked" = "$events" ] \
    || fail "only ${acked:-0} of $events events reached the client before the next was sent"
first="$(head -n 1 "$work/events.txt" | cut -d' ' -f1)"
timeline="$(awk -v t0="$first" '/ event / { printf "#%s +%d ms  ", $3, $1 - t0 }' \
    "$work/events.txt")"
pass "streaming: $events SSE events through nginx, each received before the next was" \
    "sent (the downstream waited for every acknowledgement): $timeline"

# --- 4. a binding made on one replica holds on the other ---------------------------------
key2="$(new_key)"
request r1bind "$CLIENT" "$r1" "$key2" /v1/models >/dev/null
expect_status r1bind 200 "first use of $(hint "$key2") from $CLIENT on replica 1"
request r2other "$OTHER_CLIENT" "$r2" "$key2" /v1/models >/dev/null
expect_status r2other 403 "$(hint "$key2") from $OTHER_CLIENT on replica 2"
request r2same "$CLIENT" "$r2" "$key2" /v1/models >/dev/null
expect_status r2same 200 "$(hint "$key2") from $CLIENT on replica 2"
pass "replicas: $(hint "$key2") bound via replica 1 from $CLIENT -> replica 2 refuses" \
    "$OTHER_CLIENT (403), allows $CLIENT (200)"

key3="$(new_key)"
request race1 "$CLIENT" "$r1" "$key3" /v1/models >/dev/null &
race1_pid=$!
request race2 "$OTHER_CLIENT" "$r2" "$key3" /v1/models >/dev/null &
race2_pid=$!
wait "$race1_pid" "$race2_pid"
outcome="$(printf '%s\n%s\n' "$(cat "$work/race1.status")" "$(cat "$work/race2.status")" \
    | sort | paste -sd ' ')"
[ "$outcome" = "200 403" ] \
    || fail "simultaneous first uses of $(hint "$key3") on both replicas gave '$outcome'," \
        "expected exactly one 200 and one 403"
winner="$(psql_run "SELECT host(last_ip) FROM $schema.binding WHERE hint LIKE '%${key3: -4}'")"
pass "race: simultaneous first uses of $(hint "$key3") ($CLIENT on replica 1," \
    "$OTHER_CLIENT on replica 2) -> one binding to $winner, the other refused"

# --- 5. an admin unbind through one replica frees the key on the other --------------------
login_status="$(curl -sS --interface "$CLIENT" --max-time 10 -o "$work/login.body" \
    -D "$work/login.headers" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"password\":\"$admin_password\"}" "$r1/admin/api/login" || echo 000)"
[ "$login_status" = 200 ] || fail "admin login on replica 1 answered $login_status"
token="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' \
    "$work/login.body")"
unbind_status="$(curl -sS --interface "$CLIENT" --max-time 10 -o "$work/unbind.body" \
    -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"key\":\"$key2\"}" "$r1$UNBIND_PATH" \
    || echo 000)"
case "$unbind_status" in
    200 | 204) ;;
    *) fail "admin unbind via replica 1 answered $unbind_status: $(cat "$work/unbind.body")" ;;
esac
freed() {
    [ "$(request freed "$OTHER_CLIENT" "$r2" "$key2" /v1/models)" = 200 ]
}
wait_until 5 freed \
    || fail "after the unbind via replica 1, replica 2 still refuses" \
        "$(hint "$key2") from $OTHER_CLIENT"
pass "admin: unbind of $(hint "$key2") via replica 1 -> replica 2 lets" \
    "$OTHER_CLIENT bind it"

served="$(sed -n 's/.* upstream=\([0-9.:]*\) .*/\1/p' "$work/nginx/logs/access.log" \
    | sort | uniq -c | awk '{ printf "%s x%s  ", $2, $1 }')"
say "nginx spread its requests over: $served"
say "all checks passed"
