#!/usr/bin/env bash
# ssh-server.sh start|stop: Git over SSH on 127.0.0.1:2222 (and 127.0.0.2:22 for scp-style addresses), a private
# sshd serving the same repositories as the HTTP server (GIT_PROJECT_ROOT, also the git user's home, so
# gitops@127.0.0.2:NAME.git is the HTTP server's NAME.git).
#
# Keys (in $ENV_DIR/ssh, made once and kept): deploy_key (read/write), readonly_key (fetch only: push refused with
# GitHub's message), other_key (not authorized). known_hosts lists the server's host key; wrong_known_hosts lists
# another key for the same hosts (the "host identification has changed" case).
#
# The git user is an alias of root (uid 0): SSH and HTTP (git-http-backend runs as root) then read and write the same
# repositories without permission games. It only listens on loopback, has no password, and every key is bound to a
# forced command that runs git-shell (PermitRootLogin forced-commands-only).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

config="$SSH_DIR/sshd_config"

ensure_user() {
  if ! id -u "$SSH_USER" >/dev/null 2>&1; then
    useradd -o -u 0 -g 0 -M -d "$GIT_PROJECT_ROOT" -s /bin/sh "$SSH_USER"
  fi
  # useradd leaves the account locked ('!'), and sshd refuses a locked account even for key login.
  usermod -p '*' "$SSH_USER"
}

ensure_key() {
  [[ -s "$SSH_DIR/$1" ]] || ssh-keygen -q -t ed25519 -N '' -C "gitops-test-$1" -f "$SSH_DIR/$1"
  chmod 600 "$SSH_DIR/$1"
}

write_files() {
  mkdir -p "$SSH_DIR" "$GIT_PROJECT_ROOT"
  chmod 700 "$SSH_DIR"
  ensure_key host_key
  ensure_key impostor_host_key
  ensure_key deploy_key
  ensure_key readonly_key
  ensure_key other_key

  # rw: git-shell runs whatever git command the client asked for; ro: upload-pack only, as a read-only deploy key.
  cat >"$SSH_DIR/git-serve" <<'SCRIPT'
#!/bin/sh
if [ "$1" = ro ]; then
  case "$SSH_ORIGINAL_COMMAND" in
    git-upload-pack\ *) ;;
    *) echo "ERROR: The key you are authenticating with has been marked as read only." >&2; exit 1 ;;
  esac
fi
exec git-shell -c "$SSH_ORIGINAL_COMMAND"
SCRIPT
  chmod 755 "$SSH_DIR/git-serve"

  {
    printf 'command="%s rw",restrict %s\n' "$SSH_DIR/git-serve" "$(<"$SSH_DIR/deploy_key.pub")"
    printf 'command="%s ro",restrict %s\n' "$SSH_DIR/git-serve" "$(<"$SSH_DIR/readonly_key.pub")"
  } >"$SSH_DIR/authorized_keys.new"
  mv "$SSH_DIR/authorized_keys.new" "$SSH_DIR/authorized_keys"

  local host_key impostor
  host_key="$(cut -d' ' -f1,2 "$SSH_DIR/host_key.pub")"
  impostor="$(cut -d' ' -f1,2 "$SSH_DIR/impostor_host_key.pub")"
  printf '[%s]:%s %s\n%s %s\n' "$SSH_ADDR" "$SSH_PORT" "$host_key" "$SSH_SCP_ADDR" "$host_key" >"$SSH_DIR/known_hosts"
  printf '[%s]:%s %s\n%s %s\n' "$SSH_ADDR" "$SSH_PORT" "$impostor" "$SSH_SCP_ADDR" "$impostor" >"$SSH_DIR/wrong_known_hosts"

  write_config "$config"
}

# write_config FILE: sshd's configuration. AcceptEnv GIT_PROTOCOL lets a client ask git for protocol v2 (ssh -o
# SetEnv=GIT_PROTOCOL=version=2, as git itself does), which the treeless write-back needs over SSH.
write_config() {
  cat >"$1" <<CONF
ListenAddress $SSH_ADDR:$SSH_PORT
ListenAddress $SSH_SCP_ADDR:22
HostKey $SSH_DIR/host_key
PidFile $SSHD_PID_FILE
AuthorizedKeysFile $SSH_DIR/authorized_keys
AllowUsers $SSH_USER
PermitRootLogin forced-commands-only
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# The work dir is not root-owned 755 all the way up.
StrictModes no
PrintMotd no
LogLevel VERBOSE
AcceptEnv GIT_PROTOCOL
CONF
}

# A running sshd whose configuration is older than this script's: the new one is written and sshd reloads it (SIGHUP:
# sessions in progress go on; a login in the instant of the reload may be refused once).
reload_if_changed() {
  local fresh="$config.new"
  write_config "$fresh"
  if cmp -s "$fresh" "$config"; then
    rm -f "$fresh"
    return
  fi
  mv "$fresh" "$config"
  /usr/sbin/sshd -t -f "$config"
  kill -HUP "$(<"$SSHD_PID_FILE")"
  wait_until 10 "sshd on $SSH_ADDR:$SSH_PORT" ssh_server_ready
  log "sshd reloaded its configuration"
}

case "${1:-}" in
  start)
    ensure_dirs
    if pid_alive "$SSHD_PID_FILE" sshd && ssh_server_ready; then reload_if_changed; exit 0; fi
    ensure_user
    write_files
    mkdir -p /run/sshd
    stop_pid TERM "$SSHD_PID_FILE" sshd
    /usr/sbin/sshd -t -f "$config"
    # sshd daemonizes and writes its pid file; -E keeps its log in the work dir.
    /usr/sbin/sshd -f "$config" -E "$LOG_DIR/sshd.log"
    wait_until 10 "sshd on $SSH_ADDR:$SSH_PORT" ssh_server_ready
    ;;
  stop)
    stop_pid TERM "$SSHD_PID_FILE" sshd
    ;;
  *) die "usage: $0 start|stop" ;;
esac
