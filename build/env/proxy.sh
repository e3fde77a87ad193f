#!/usr/bin/env bash
# proxy.sh start|stop: a forward proxy with basic auth (Debian's squid) on 127.0.0.1:3128. Its access log shows each
# request it forwarded (and each CONNECT tunnel), so tests can prove the traffic went through it. User gitops,
# password in $ENV_DIR/proxy-password. squid refuses to run as root: its files live in $PROXY_DIR, owned by 'proxy'.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

config="$PROXY_DIR/squid.conf"

case "${1:-}" in
  start)
    ensure_dirs
    pid_alive "$PROXY_PID_FILE" squid && proxy_ready && exit 0
    stop_pid TERM "$PROXY_PID_FILE" squid
    [[ -s "$ENV_DIR/proxy-password" ]] || (umask 077 && openssl rand -hex 12 >"$ENV_DIR/proxy-password")
    mkdir -p "$PROXY_DIR"
    printf '%s:%s\n' "$PROXY_USER" "$(openssl passwd -apr1 -stdin <"$ENV_DIR/proxy-password")" >"$PROXY_DIR/htpasswd"
    cat >"$config" <<CONF
http_port $PROXY_ADDR
pid_filename $PROXY_DIR/squid.pid
access_log stdio:$PROXY_LOG
cache_log $PROXY_DIR/cache.log
cache deny all
strip_query_terms off
cache_mem 8 MB
shutdown_lifetime 0 seconds
auth_param basic program /usr/lib/squid/basic_ncsa_auth $PROXY_DIR/htpasswd
auth_param basic realm gitops-test-proxy
acl authenticated proxy_auth REQUIRED
http_access deny !authenticated
http_access allow authenticated
http_access deny all
CONF
    chown -R proxy:proxy "$PROXY_DIR"
    chmod 700 "$PROXY_DIR"
    # -N: no daemon and no worker processes, so the recorded PID is squid itself.
    setsid squid -N -f "$config" >>"$LOG_DIR/squid.out" 2>&1 </dev/null &
    echo $! >"$PROXY_PID_FILE"
    wait_until 20 "proxy on $PROXY_ADDR" proxy_ready
    ;;
  stop) stop_pid TERM "$PROXY_PID_FILE" squid ;;
  *) die "usage: $0 start|stop" ;;
esac
