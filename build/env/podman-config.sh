#!/usr/bin/env bash
# podman-config.sh: writes the podman configuration that works on these VMs into the work dir.
# crun fails on the hybrid cgroup layout (runc works); the default ulimits exceed what the VM allows.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_dirs
mkdir -p "$PODMAN_DIR/storage" "$PODMAN_DIR/run" "$PODMAN_DIR/tmp"
nofile="$(ulimit -Hn)"
[[ "$nofile" == unlimited ]] && nofile=1048576

# tmp_dir and file locks in the work dir keep this podman apart from any other on the machine
# (the default shm lock and /run/libpod are shared by every root podman).
cat >"$PODMAN_DIR/containers.conf.new" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PODMAN_DIR/events.log"
tmp_dir = "$PODMAN_DIR/tmp"
lock_type = "file"
volume_path = "$PODMAN_DIR/storage/volumes"
CONF

cat >"$PODMAN_DIR/storage.conf.new" <<CONF
[storage]
driver = "overlay"
graphroot = "$PODMAN_DIR/storage"
runroot = "$PODMAN_DIR/run"
CONF

cat >"$PODMAN_DIR/registries.conf.new" <<CONF
unqualified-search-registries = []

[[registry]]
location = "$REGISTRY_ADDR"
insecure = true
CONF

# Replace only on change: podman compares some of these paths with its database.
for name in containers.conf storage.conf registries.conf; do
  if cmp -s "$PODMAN_DIR/$name.new" "$PODMAN_DIR/$name"; then
    rm "$PODMAN_DIR/$name.new"
  else
    mv "$PODMAN_DIR/$name.new" "$PODMAN_DIR/$name"
  fi
done
