#!/usr/bin/env bash
# remove-container.sh ID...: force-removes containers started by run-image.sh
# (SIGKILL at once: they are throwaway test containers).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# >= 1)) || die "usage: $0 CONTAINER_ID..."
podman_env podman rm -f -t 0 "$@" >/dev/null
