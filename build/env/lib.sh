# Shared helpers for the offline test environment scripts. Source it; do not run it.
# shellcheck shell=bash

ENV_DIR="${GITOPS_ENV_DIR:-/var/tmp/gitops-build-env}"
ENV_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="$ENV_DIR/run"
LOG_DIR="$ENV_DIR/logs"

REGISTRY_ADDR=127.0.0.1:5000
GIT_HTTP_ADDR=127.0.0.1:8081
GIT_HTTP_BASE="http://$GIT_HTTP_ADDR/git"
# The same repositories over TLS: a certificate from the environment's own CA, and one for another host name.
GIT_HTTPS_ADDR=127.0.0.1:8443
GIT_HTTPS_WRONG_HOST_ADDR=127.0.0.1:8444
TLS_DIR="$ENV_DIR/tls"
PROXY_ADDR=127.0.0.1:3128
PROXY_USER=gitops
GIT_PROJECT_ROOT="$ENV_DIR/git"
BASE_IMAGE="$REGISTRY_ADDR/base/aspnet:10.0"
RUNTIME_BASE_IMAGE="$REGISTRY_ADDR/base/runtime:10.0"
# An OCI image index of the same ASP.NET Core base for linux/amd64 and linux/arm64 (multi-arch publishes).
MULTIARCH_BASE_IMAGE="$REGISTRY_ADDR/base/aspnet-multi:10.0"
PODMAN_DIR="$ENV_DIR/podman"
NGINX_DIR="$ENV_DIR/nginx"
NGINX_PID_FILE="$RUN_DIR/nginx.pid"
FCGIWRAP_PID_FILE="$RUN_DIR/fcgiwrap.pid"
FCGIWRAP_SOCKET="$RUN_DIR/fcgiwrap.sock"
REGISTRY_PID_FILE="$RUN_DIR/registry.pid"
PROXY_PID_FILE="$RUN_DIR/squid.pid"
# Outside ENV_DIR (private to root): squid runs as the user 'proxy'.
PROXY_DIR="${ENV_DIR%/}-proxy"
PROXY_LOG="$PROXY_DIR/access.log"

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Seconds since the epoch with milliseconds, for the timing summary.
now() { date +%s.%3N; }
elapsed_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

ensure_dirs() {
  mkdir -p "$ENV_DIR" "$RUN_DIR" "$LOG_DIR"
  chmod 700 "$ENV_DIR" # holds tokens
}

# pid_alive PIDFILE NAME: true when the recorded process exists, is not a zombie
# (stopped processes linger as zombies here, so kill -0 is not enough) and is NAME.
pid_alive() {
  local pid state
  [[ -s "$1" ]] || return 1
  pid="$(<"$1")"
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/stat" ]] || return 1
  # Field 3 of /proc/PID/stat is the state; the command name in field 2 may contain spaces.
  state="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]) .*/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ "$state" != Z && "$state" != X ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

# wait_until SECONDS DESCRIPTION COMMAND...: poll every 0.2 s until COMMAND succeeds.
wait_until() {
  local seconds="$1" what="$2" deadline=$((SECONDS + $1))
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what not ready after ${seconds}s (logs: $LOG_DIR)"
    sleep 0.2
  done
}

# stop_pid SIGNAL PIDFILE NAME [group]: signal the process (or its process group) and
# wait until it is gone or a zombie; then forget the PID.
stop_pid() {
  local signal="$1" file="$2" name="$3" target pid
  if pid_alive "$file" "$name"; then
    pid="$(<"$file")"
    target="$pid"
    [[ "${4:-}" == group ]] && target="-$pid"
    kill "-$signal" -- "$target" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while pid_alive "$file" "$name" && ((SECONDS < deadline)); do sleep 0.1; done
    pid_alive "$file" "$name" && kill -KILL -- "$target" 2>/dev/null || true
  fi
  rm -f "$file"
}

http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true; }
registry_ready() { [[ "$(http_status "http://$REGISTRY_ADDR/v2/")" == 200 ]]; }
# Unauthenticated requests get 401 from nginx once it is serving.
git_server_ready() {
  [[ "$(http_status "$GIT_HTTP_BASE/")" == 401 && "$(http_status --cacert "$TLS_DIR/ca.pem" "https://$GIT_HTTPS_ADDR/git/")" == 401 ]]
}
# Without credentials the proxy answers 407.
proxy_ready() { [[ "$(http_status -x "http://$PROXY_ADDR" "$GIT_HTTP_BASE/")" == 407 ]]; }

# Podman must only ever see this environment's configuration and storage.
podman_env() {
  CONTAINERS_CONF="$PODMAN_DIR/containers.conf" \
  CONTAINERS_STORAGE_CONF="$PODMAN_DIR/storage.conf" \
  CONTAINERS_REGISTRIES_CONF="$PODMAN_DIR/registries.conf" \
    "$@"
}

# Repository names become paths under GIT_PROJECT_ROOT: keep them tame.
validate_repo_name() {
  [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9._/-]*$ && "$1" != *..* && "$1" != *.git ]] ||
    die "invalid repository name '$1' (letters, digits, . _ - /; no '..'; without .git)"
}

# Git over SSH (ssh-server.sh): a private sshd, its keys and known_hosts files.
SSH_DIR="$ENV_DIR/ssh"
SSH_ADDR=127.0.0.1
SSH_PORT=2222
# scp-style addresses (user@host:path) cannot name a port: a second listener on port 22 serves them.
SSH_SCP_ADDR=127.0.0.2
SSH_USER=gitops
SSHD_PID_FILE="$RUN_DIR/sshd.pid"
SSH_GIT_BASE="ssh://$SSH_USER@$SSH_ADDR:$SSH_PORT$GIT_PROJECT_ROOT"
SSH_SCP_BASE="$SSH_USER@$SSH_SCP_ADDR:"
# sshd answers with its version banner once it is listening.
ssh_server_ready() { timeout 2 bash -c "exec 3<>/dev/tcp/$SSH_ADDR/$SSH_PORT && head -c 4 <&3" 2>/dev/null | grep -q SSH-; }

# Base images (base-image.sh, multiarch-base-image.sh) ------------------------------------------

dotnet_root=/usr/share/dotnet

# Highest installed 10.0 version of a directory of versions (shared/<fx>, host/fxr).
latest_version() {
  find "$dotnet_root/$1" -mindepth 1 -maxdepth 1 -type d -name '10.0.*' -printf '%f\n' 2>/dev/null |
    sort -V | tail -n 1
}

# apt_mirror SUITE: the URI that serves SUITE, from deb822 .sources or one-line .list files.
apt_mirror() {
  local suite="$1" file
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -r "$file" ]] || continue
    # deb822: blank-line separated stanzas with URIs:/Suites: fields.
    awk -v suite="$suite" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; hit = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uris = u[1] }
          if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == suite) hit = 1 }
        }
        if (hit && uris != "") { print uris; exit }
      }' "$file"
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r "$file" ]] || continue
    # one-line: deb [options] URI SUITE COMPONENTS...
    sed -E 's/\[[^]]*\]//' "$file" | awk -v suite="$suite" '$1 == "deb" && $3 == suite { print $2; exit }'
  done
}

frameworks_id() {
  printf 'fxr=%s netcore=%s aspnetcore=%s' "$(latest_version host/fxr)" \
    "$(latest_version shared/Microsoft.NETCore.App)" "$(latest_version shared/Microsoft.AspNetCore.App)"
}
