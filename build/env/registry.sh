#!/usr/bin/env bash
# registry.sh start|stop: the OCI registry (distribution 2.8) on 127.0.0.1:5000.
# Debian's /etc/docker/registry/config.yml listens on all interfaces: we use our own.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

config="$ENV_DIR/registry/config.yml"

write_config() {
  mkdir -p "$ENV_DIR/registry/data"
  cat >"$config" <<CONF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $ENV_DIR/registry/data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
CONF
}

case "${1:-}" in
  start)
    ensure_dirs
    if pid_alive "$REGISTRY_PID_FILE" docker-registry && registry_ready; then exit 0; fi
    stop_pid TERM "$REGISTRY_PID_FILE" docker-registry
    write_config
    # setsid: own session, so the registry survives the calling shell and test runners.
    setsid docker-registry serve "$config" >>"$LOG_DIR/registry.log" 2>&1 </dev/null &
    echo $! >"$REGISTRY_PID_FILE"
    wait_until 20 "registry on $REGISTRY_ADDR" registry_ready
    ;;
  stop) stop_pid TERM "$REGISTRY_PID_FILE" docker-registry ;;
  *) die "usage: $0 start|stop" ;;
esac
