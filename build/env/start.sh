#!/usr/bin/env bash
# start.sh: starts the offline test environment (registry, base images (one multi-arch), git servers over HTTP, TLS
# and SSH, proxy, podman
# config) and writes $GITOPS_ENV_DIR/env and env.sh. Reuses whatever is already running,
# so a second run is a fast no-op. Stop with build/env/stop.sh.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/lib.sh"

summary=()
# step LABEL COMMAND...: runs a step and records how long it took for the summary.
step() {
  local label="$1" started
  shift
  started="$(now)"
  "$@"
  summary+=("$(printf '  %-12s %s' "$label" "$(elapsed_since "$started")")")
}

write_env_files() {
  local entries=(
    "GITOPS_ENV_DIR=$ENV_DIR"
    "GITOPS_ENV_SCRIPTS=$ENV_SCRIPTS_DIR"
    "REGISTRY=$REGISTRY_ADDR"
    "BASE_IMAGE=$BASE_IMAGE"
    "RUNTIME_BASE_IMAGE=$RUNTIME_BASE_IMAGE"
    "MULTIARCH_BASE_IMAGE=$MULTIARCH_BASE_IMAGE"
    "DOTNET_CONTAINER_INSECURE_REGISTRIES=$REGISTRY_ADDR"
    "GIT_HTTP_BASE=$GIT_HTTP_BASE"
    "GIT_PROJECT_ROOT=$GIT_PROJECT_ROOT"
    "GIT_USERNAME=x-access-token"
    "GIT_TOKEN=$(<"$ENV_DIR/git-token")"
    "GIT_READER_USERNAME=reader"
    "GIT_READER_TOKEN=$(<"$ENV_DIR/reader-token")"
    "GIT_HTTPS_BASE=https://$GIT_HTTPS_ADDR/git"
    "GIT_HTTPS_WRONG_HOST_BASE=https://$GIT_HTTPS_WRONG_HOST_ADDR/git"
    "GIT_CA_BUNDLE=$TLS_DIR/ca.pem"
    "PROXY_URL=http://$PROXY_ADDR"
    "PROXY_USER=$PROXY_USER"
    "PROXY_PASSWORD=$(<"$ENV_DIR/proxy-password")"
    "PROXY_LOG=$PROXY_LOG"
    "GIT_SERVER_SCRIPT=$ENV_SCRIPTS_DIR/git-server.sh"
    "NGINX_PID_FILE=$NGINX_PID_FILE"
    "RUN_IMAGE_SCRIPT=$ENV_SCRIPTS_DIR/run-image.sh"
    "REMOVE_CONTAINER_SCRIPT=$ENV_SCRIPTS_DIR/remove-container.sh"
    "CONTAINERS_CONF=$PODMAN_DIR/containers.conf"
    "CONTAINERS_STORAGE_CONF=$PODMAN_DIR/storage.conf"
    "CONTAINERS_REGISTRIES_CONF=$PODMAN_DIR/registries.conf"
    "SSH_GIT_BASE=$SSH_GIT_BASE"
    "SSH_SCP_BASE=$SSH_SCP_BASE"
    "SSH_DEPLOY_KEY=$SSH_DIR/deploy_key"
    "SSH_READONLY_KEY=$SSH_DIR/readonly_key"
    "SSH_OTHER_KEY=$SSH_DIR/other_key"
    "SSH_KNOWN_HOSTS=$SSH_DIR/known_hosts"
    "SSH_WRONG_KNOWN_HOSTS=$SSH_DIR/wrong_known_hosts"
    "SSH_SERVER_SCRIPT=$ENV_SCRIPTS_DIR/ssh-server.sh"
  )
  # Written atomically and private: both files hold the tokens.
  (
    umask 077
    printf '%s\n' "${entries[@]}" >"$ENV_DIR/env.new"
    printf 'export %s\n' "${entries[@]}" >"$ENV_DIR/env.sh.new"
  )
  mv "$ENV_DIR/env.new" "$ENV_DIR/env"
  mv "$ENV_DIR/env.sh.new" "$ENV_DIR/env.sh"
}

# Repositories that serve filters (new-git-repo.sh --filters, the benchmarks') from before new-git-repo.sh turned
# uploadpack.allowRefInWant on with them get it too; one that sets it (even off, to test the fallback) is left as it is.
ref_in_want_where_filters() {
  local config
  while IFS= read -r config; do
    git config --file "$config" --get uploadpack.allowRefInWant >/dev/null || git config --file "$config" uploadpack.allowRefInWant true
  done < <(shopt -s nullglob; configs=("$GIT_PROJECT_ROOT"/*.git/config "$GIT_PROJECT_ROOT"/*/*.git/config)
    ((${#configs[@]} == 0)) || grep -lis -E '^[[:space:]]*allowfilter[[:space:]]*=[[:space:]]*true' "${configs[@]}" || true)
}

started="$(now)"
ensure_dirs
step install "$here/install.sh" >/dev/null
step registry "$here/registry.sh" start
step base-image "$here/base-image.sh" >/dev/null
step multiarch "$here/multiarch-base-image.sh" >/dev/null
step git-server "$here/git-server.sh" start
step ssh-server "$here/ssh-server.sh" start
step proxy "$here/proxy.sh" start
step podman "$here/podman-config.sh"
step git-repos ref_in_want_where_filters
write_env_files

echo "test environment ready in $(elapsed_since "$started") (work dir $ENV_DIR)"
printf '%s\n' "${summary[@]}"
echo "  registry   http://$REGISTRY_ADDR  base image $BASE_IMAGE, multi-arch $MULTIARCH_BASE_IMAGE"
echo "  git        $GIT_HTTP_BASE/<name>.git  users x-access-token, reader (tokens in $ENV_DIR)"
echo "  git (ssh)  $SSH_GIT_BASE/<name>.git or $SSH_SCP_BASE<name>.git  keys and known_hosts in $SSH_DIR"
echo "  settings   $ENV_DIR/env (KEY=VALUE), $ENV_DIR/env.sh (source it)"
