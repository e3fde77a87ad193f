#!/usr/bin/env bash
# base-image.sh: builds 127.0.0.1:5000/base/aspnet:10.0 (and tags base/runtime:10.0) without
# MCR: a Debian bookworm runtime-deps rootfs (mmdebstrap) plus this machine's own .NET shared
# frameworks. Skipped when the registry already holds an image built from the same frameworks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build_dir="$ENV_DIR/base-image"
label=org.gitops-build.dotnet-frameworks

registry_has_current_image() {
  local labels
  labels="$(skopeo inspect --tls-verify=false "docker://$BASE_IMAGE" 2>/dev/null)" || return 1
  [[ "$(jq -r --arg l "$label" '.Labels[$l] // ""' <<<"$labels")" == "$(frameworks_id)" ]]
}

build_rootfs() {
  local mirror security
  mirror="$(apt_mirror bookworm | head -n 1)"
  security="$(apt_mirror bookworm-security | head -n 1)"
  [[ -n "$mirror" ]] || die "no apt mirror for bookworm in /etc/apt"
  [[ -n "$security" ]] || security="${mirror%/debian}/debian-security"
  # minbase has no useradd; the user is written directly. No device nodes: umoci rejects them.
  mmdebstrap --quiet --format=tar --variant=minbase --skip=output/dev \
    --include=ca-certificates,libicu72,libssl3,tzdata,libstdc++6,zlib1g \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook='echo "app:x:1654:1654::/home/app:/usr/sbin/nologin" >>"$1/etc/passwd"' \
    --customize-hook='echo "app:x:1654:" >>"$1/etc/group"' \
    --customize-hook='mkdir -p "$1/home/app" && chown 1654:1654 "$1/home/app"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    bookworm "$build_dir/rootfs.partial.tar" \
    "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
  mv "$build_dir/rootfs.partial.tar" "$build_dir/rootfs.tar"
}

build_dotnet_layer() {
  local fxr netcore aspnetcore links="$build_dir/links"
  fxr="$(latest_version host/fxr)"
  netcore="$(latest_version shared/Microsoft.NETCore.App)"
  aspnetcore="$(latest_version shared/Microsoft.AspNetCore.App)"
  [[ -n "$fxr" && -n "$netcore" && -n "$aspnetcore" ]] || die "no .NET 10 shared frameworks under $dotnet_root"
  rm -rf "$links" && mkdir -p "$links/usr/bin"
  ln -s ../share/dotnet/dotnet "$links/usr/bin/dotnet"
  tar -cf "$build_dir/dotnet.tar" --owner=0 --group=0 --numeric-owner \
    -C / "${dotnet_root#/}/dotnet" "${dotnet_root#/}/host/fxr/$fxr" \
    "${dotnet_root#/}/shared/Microsoft.NETCore.App/$netcore" \
    "${dotnet_root#/}/shared/Microsoft.AspNetCore.App/$aspnetcore" \
    -C "$links" usr/bin/dotnet
}

build_image() {
  local layout="$build_dir/oci"
  rm -rf "$layout"
  umoci init --layout "$layout"
  umoci new --image "$layout:aspnet"
  umoci raw add-layer --image "$layout:aspnet" "$build_dir/rootfs.tar"
  umoci raw add-layer --image "$layout:aspnet" "$build_dir/dotnet.tar"
  # The SDK reads APP_UID (container user) and ASPNETCORE_HTTP_PORTS (exposed port) from here.
  umoci config --image "$layout:aspnet" --os=linux --architecture=amd64 \
    --config.env=APP_UID=1654 --config.env=ASPNETCORE_HTTP_PORTS=8080 \
    --config.env=DOTNET_RUNNING_IN_CONTAINER=true \
    --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.label="$label=$(frameworks_id)"
  skopeo copy -q --dest-tls-verify=false "oci:$layout:aspnet" "docker://$BASE_IMAGE"
}

ensure_dirs
if ! registry_has_current_image; then
  mkdir -p "$build_dir"
  # The rootfs does not depend on the frameworks: keep it as a cache between builds.
  [[ -s "$build_dir/rootfs.tar" ]] || build_rootfs
  build_dotnet_layer
  build_image
  rm -rf "$build_dir/oci" "$build_dir/links" "$build_dir/dotnet.tar"
  echo built
fi
# Console apps use the same image under the runtime name; a registry-side copy is instant.
skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://$BASE_IMAGE" "docker://$RUNTIME_BASE_IMAGE"
