#!/usr/bin/env bash
# stop.sh [--purge]: stops what start.sh started, by recorded PID, and removes the containers
# in this environment's podman storage. Keeps the work dir (the registry storage and the base
# image rootfs are a cache) unless --purge.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/lib.sh"

purge=false
case "${1:-}" in
  "") ;;
  --purge) purge=true ;;
  *) die "usage: $0 [--purge]" ;;
esac

if [[ -s "$PODMAN_DIR/containers.conf" ]] && command -v podman >/dev/null; then
  # Everything in this graphroot was started by us (run-image.sh or tests).
  mapfile -t containers < <(podman_env podman ps -aq 2>/dev/null || true)
  if ((${#containers[@]} > 0)); then
    podman_env podman rm -f -t 0 "${containers[@]}" >/dev/null
    echo "stop: removed ${#containers[@]} container(s)"
  fi
fi

"$here/ssh-server.sh" stop
"$here/git-server.sh" stop
"$here/proxy.sh" stop
"$here/registry.sh" stop
echo "stop: registry, git servers and proxy stopped"

if $purge && [[ -d "$ENV_DIR" ]]; then
  # containers/storage keeps mounts under its graphroot (and podman system reset would also
  # drop machine-wide networks): unmount what lies under the work dir, deepest first, then delete.
  awk -v dir="$ENV_DIR/" 'index($2 "/", dir) == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r mount; do umount -l "$mount"; done
  rm -rf "$ENV_DIR"
  echo "stop: removed $ENV_DIR"
fi
