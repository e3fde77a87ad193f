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
    podman_env podman rm -f -t 2 "${containers[@]}" >/dev/null
    echo "stop: removed ${#containers[@]} container(s)"
  fi
fi

"$here/git-server.sh" stop
"$here/registry.sh" stop
echo "stop: registry and git server stopped"

if $purge && [[ -d "$ENV_DIR" ]]; then
  # Overlay mounts of removed containers may linger; unmount before deleting.
  podman_env podman system reset -f >/dev/null 2>&1 || true
  rm -rf "$ENV_DIR"
  echo "stop: removed $ENV_DIR"
fi
