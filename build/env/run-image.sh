#!/usr/bin/env bash
# run-image.sh IMAGE HOSTPORT: runs IMAGE detached with this environment's podman config,
# publishing container port 8080 on 127.0.0.1:HOSTPORT, and prints the container id.
# Remove it with: build/env/remove-container.sh ID   (build/env/stop.sh removes all of them)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 2)) || die "usage: $0 IMAGE HOSTPORT"
[[ "$2" =~ ^[0-9]+$ ]] || die "HOSTPORT must be a number"
[[ -s "$PODMAN_DIR/containers.conf" ]] || die "no podman config: run build/env/start.sh"

# --pull=newer: tests push a new image under the same tag and expect to run it.
podman_env podman run -d --quiet --pull=newer --label gitops-build-env=1 \
  -p "127.0.0.1:$2:8080" "$1"
