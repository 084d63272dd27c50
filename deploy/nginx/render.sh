#!/usr/bin/env bash
# Renders Sentinel's nginx configuration for a machine without Docker: the same template and
# shared directives the compose file mounts, with loopback addresses instead of the compose
# network's, under a private prefix with its own nginx.conf, logs and temp folders.
#
#   deploy/nginx/render.sh PREFIX [--listen ADDR:PORT] [--upstream ADDR:PORT]...
#                          [--max-body-mb N] [--tls CERT KEY]
#
# Without --upstream the compose address stays in place (enough for nginx -t). --tls also
# enables the commented TLS server with the given certificate and key. Then:
#
#   nginx -t -p PREFIX/ -e PREFIX/logs/error.log -c PREFIX/conf/nginx.conf
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
template="$here/sentinel.conf.template"
shared="$here/sentinel-proxy.conf"

fail() { echo "render.sh: $*" >&2; exit 2; }

[ $# -ge 1 ] || fail "usage: render.sh PREFIX [--listen ADDR:PORT] [--upstream ADDR:PORT]..." \
    "[--max-body-mb N] [--tls CERT KEY]"
prefix="$1"
shift
listen=""
max_body_mb=100
upstreams=()
tls_cert=""
tls_key=""
while [ $# -gt 0 ]; do
    case "$1" in
        --listen) listen="$2"; shift 2 ;;
        --upstream) upstreams+=("$2"); shift 2 ;;
        --max-body-mb) max_body_mb="$2"; shift 2 ;;
        --tls) tls_cert="$2"; tls_key="$3"; shift 3 ;;
        *) fail "unknown argument '$1'" ;;
    esac
done
[[ "$max_body_mb" =~ ^[1-9][0-9]*$ ]] || fail "--max-body-mb '$max_body_mb' is not a number of MB"

mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/tmp"
prefix="$(cd "$prefix" && pwd)"
# nginx started as root runs its workers as nobody; they must reach the temp folders.
chmod 755 "$prefix" "$prefix/conf" "$prefix/logs" "$prefix/tmp"

# Fill in what the nginx image's template step would, then swap compose addresses for the
# given ones. Each replacement is checked, so a changed template fails here, not silently.
rendered="$(sed "s/\${MAX_REQUEST_BODY_MB}/$max_body_mb/g" "$template")"
compose_upstream='server 172.28.16.20:8016 max_fails=3 fail_timeout=10s;'
grep -qF "$compose_upstream" <<<"$rendered" || fail "template has no '$compose_upstream' line"
grep -qE '^    listen 8016;$' <<<"$rendered" || fail "template has no 'listen 8016;' line"
if [ ${#upstreams[@]} -gt 0 ]; then
    servers=""
    for upstream in "${upstreams[@]}"; do
        servers+="    server $upstream max_fails=3 fail_timeout=10s;"$'\n'
    done
    rendered="$(awk -v line="$compose_upstream" -v servers="$servers" \
        'index($0, line) { printf "%s", servers; next } { print }' <<<"$rendered")"
fi
if [ -n "$listen" ]; then
    rendered="$(sed "s/^    listen 8016;$/    listen $listen;/" <<<"$rendered")"
fi
if [ -n "$tls_cert" ]; then
    grep -q '^#tls ' <<<"$rendered" || fail "template has no '#tls ' lines"
    rendered="$(sed -e 's/^#tls \{0,1\}//' \
        -e "s#/etc/nginx/certs/fullchain.pem#$tls_cert#" \
        -e "s#/etc/nginx/certs/privkey.pem#$tls_key#" <<<"$rendered")"
fi
printf '%s\n' "$rendered" >"$prefix/conf/sentinel.conf"
cp "$shared" "$prefix/conf/sentinel-proxy.conf"

# The http {} block the nginx image provides, reduced to what a private prefix needs, plus
# an access log that names the replica each request went to.
cat >"$prefix/conf/nginx.conf" <<CONF
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log info;

events {
    worker_connections 512;
}

http {
    default_type application/octet-stream;
    client_body_temp_path $prefix/tmp/client_body;
    proxy_temp_path $prefix/tmp/proxy;
    fastcgi_temp_path $prefix/tmp/fastcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi;
    scgi_temp_path $prefix/tmp/scgi;
    log_format upstreams '\$remote_addr "\$request" \$status upstream=\$upstream_addr '
                         'time=\$request_time';
    access_log $prefix/logs/access.log upstreams;

    include sentinel.conf;
}
CONF
