#!/usr/bin/env bash
# git-server.sh start|stop: Git smart HTTP with basic auth on 127.0.0.1:8081, and the same over TLS on 127.0.0.1:8443
# (certificate from tls.sh's CA) and 127.0.0.1:8444 (a certificate for another host name)
# (nginx -> fcgiwrap -> git-http-backend). Tests stop and start it to simulate an outage.
# Users: x-access-token (read/write, $ENV_DIR/git-token), reader (fetch only, 403 on push).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

htpasswd="$NGINX_DIR/htpasswd"
config="$NGINX_DIR/nginx.conf"

# A token is generated once and kept: tests and other engineers read it from the env file.
ensure_token() {
  [[ -s "$1" ]] || (umask 077 && openssl rand -hex 20 >"$1")
  chmod 600 "$1"
}

write_htpasswd() {
  mkdir -p "$NGINX_DIR"
  ensure_token "$ENV_DIR/git-token"
  ensure_token "$ENV_DIR/reader-token"
  (
    umask 077
    printf 'x-access-token:%s\n' "$(openssl passwd -apr1 -stdin <"$ENV_DIR/git-token")"
    printf 'reader:%s\n' "$(openssl passwd -apr1 -stdin <"$ENV_DIR/reader-token")"
  ) >"$htpasswd.new"
  mv "$htpasswd.new" "$htpasswd"
}

write_nginx_config() {
  mkdir -p "$NGINX_DIR/tmp" "$NGINX_DIR/empty" "$GIT_PROJECT_ROOT"
  cat >"$config" <<CONF
# Workers run as root: the work dir holding htpasswd and repositories is private (0700).
user root;
worker_processes 1;
pid $NGINX_PID_FILE;
error_log $LOG_DIR/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log $LOG_DIR/nginx-access.log;
  client_body_temp_path $NGINX_DIR/tmp/body;
  fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
  proxy_temp_path $NGINX_DIR/tmp/proxy;
  uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
  scgi_temp_path $NGINX_DIR/tmp/scgi;
  client_max_body_size 0;

  # A push is a receive-pack request: the ref advertisement or the pack upload.
  map "\$uri?\$arg_service" \$git_push {
    default 0;
    "~/git-receive-pack\\?" 1;
    "~\\?git-receive-pack\$" 1;
  }
  map "\$remote_user:\$git_push" \$git_push_forbidden {
    default 0;
    "reader:1" 1;
  }
  map \$uri \$git_path_info {
    "~^/git(?<path>/.*)\$" \$path;
  }

  server {
    listen $GIT_HTTP_ADDR;
    listen $GIT_HTTPS_ADDR ssl;
    ssl_certificate $TLS_DIR/server.pem;
    ssl_certificate_key $TLS_DIR/server.key;
    root $NGINX_DIR/empty;
    include $NGINX_DIR/git-locations.conf;
  }

  server {
    listen $GIT_HTTPS_WRONG_HOST_ADDR ssl;
    ssl_certificate $TLS_DIR/wrong-host.pem;
    ssl_certificate_key $TLS_DIR/wrong-host.key;
    root $NGINX_DIR/empty;
    include $NGINX_DIR/git-locations.conf;
  }
}
CONF
  cat >"$NGINX_DIR/git-locations.conf" <<CONF

    location /git/ {
      auth_basic "GitOps.Build test git";
      auth_basic_user_file $htpasswd;
      # 'if' runs before auth_basic checks the password, so the push check lives in
      # @git, reached only after authentication: a wrong password stays a 401.
      try_files /.never @git;
    }

    location @git {
      if (\$git_push_forbidden) { return 403; }
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $GIT_PROJECT_ROOT;
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param PATH_INFO \$git_path_info;
      fastcgi_param REMOTE_USER \$remote_user;
      fastcgi_request_buffering off;
      fastcgi_buffering off;
      fastcgi_read_timeout 300s;
      fastcgi_pass unix:$FCGIWRAP_SOCKET;
    }
CONF
}

start_fcgiwrap() {
  pid_alive "$FCGIWRAP_PID_FILE" fcgiwrap && [[ -S "$FCGIWRAP_SOCKET" ]] && return 0
  stop_pid TERM "$FCGIWRAP_PID_FILE" fcgiwrap group
  rm -f "$FCGIWRAP_SOCKET"
  # Own session and process group: stop.sh ends fcgiwrap and its CGI children together.
  setsid fcgiwrap -c 4 -s "unix:$FCGIWRAP_SOCKET" >>"$LOG_DIR/fcgiwrap.log" 2>&1 </dev/null &
  echo $! >"$FCGIWRAP_PID_FILE"
  wait_until 10 fcgiwrap test -S "$FCGIWRAP_SOCKET"
  chmod 666 "$FCGIWRAP_SOCKET"
}

start_nginx() {
  if pid_alive "$NGINX_PID_FILE" nginx; then
    nginx -t -q -c "$config" -e "$LOG_DIR/nginx-error.log"
    kill -HUP "$(<"$NGINX_PID_FILE")" # pick up a rewritten config or htpasswd
  else
    rm -f "$NGINX_PID_FILE"
    # nginx daemonizes and writes its own pid file; -e keeps it off /var/log/nginx.
    nginx -c "$config" -e "$LOG_DIR/nginx-error.log"
  fi
  wait_until 10 "git server on $GIT_HTTP_ADDR" git_server_ready
}

case "${1:-}" in
  start)
    ensure_dirs
    if pid_alive "$NGINX_PID_FILE" nginx && pid_alive "$FCGIWRAP_PID_FILE" fcgiwrap &&
      [[ -s "$htpasswd" ]] && git_server_ready; then
      exit 0
    fi
    "$ENV_SCRIPTS_DIR/tls.sh"
    write_htpasswd
    write_nginx_config
    start_fcgiwrap
    start_nginx
    ;;
  stop)
    # QUIT: graceful; nginx removes its pid file itself.
    stop_pid QUIT "$NGINX_PID_FILE" nginx
    stop_pid TERM "$FCGIWRAP_PID_FILE" fcgiwrap group
    rm -f "$FCGIWRAP_SOCKET"
    ;;
  *) die "usage: $0 start|stop" ;;
esac
