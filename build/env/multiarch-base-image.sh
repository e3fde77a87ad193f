#!/usr/bin/env bash
# multiarch-base-image.sh: builds 127.0.0.1:5000/base/aspnet-multi:10.0, an OCI image index of the ASP.NET Core base
# for linux/amd64 and linux/arm64, so that a publish with ContainerRuntimeIdentifiers=linux-x64;linux-arm64 has a
# base for each platform. Offline and without emulation: nothing of arm64 is ever run.
#   amd64: the image base-image.sh pushed ($BASE_IMAGE), copied as it is.
#   arm64: Debian bookworm arm64 packages unpacked by mmdebstrap --variant=extract (no maintainer script runs, so the
#          user, the CA bundle and the loader cache are written by hooks), plus the .NET and ASP.NET Core shared
#          frameworks of this machine's version from their NuGet runtime packs (no arm64 'dotnet' muxer: the SDK's
#          images start through the app host, which finds the frameworks under /usr/share/dotnet).
# Skipped when the registry already holds an index built from the same frameworks (an annotation of the index).
# Run after base-image.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build_dir="$ENV_DIR/multiarch-base-image"
label=org.gitops-build.dotnet-frameworks

registry_has_current_index() {
  local raw
  raw="$(skopeo inspect --raw --tls-verify=false "docker://$MULTIARCH_BASE_IMAGE" 2>/dev/null)" || return 1
  [[ "$(jq -r --arg l "$label" '.annotations[$l] // ""' <<<"$raw")" == "$(frameworks_id)" ]]
}

build_rootfs_arm64() {
  local mirror security
  mirror="$(apt_mirror bookworm | head -n 1)"
  security="$(apt_mirror bookworm-security | head -n 1)"
  [[ -n "$mirror" ]] || die "no apt mirror for bookworm in /etc/apt"
  [[ -n "$security" ]] || security="${mirror%/debian}/debian-security"
  # extract: the packages are unpacked, never configured, so a foreign architecture needs no qemu.
  mmdebstrap --quiet --arch=arm64 --variant=extract --format=tar --skip=output/dev \
    --include=base-files,base-passwd,libc6,libgcc-s1,libstdc++6,libicu72,libssl3,zlib1g,tzdata,ca-certificates \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook='cp "$1/usr/share/base-passwd/passwd.master" "$1/etc/passwd"' \
    --customize-hook='cp "$1/usr/share/base-passwd/group.master" "$1/etc/group"' \
    --customize-hook='echo "app:x:1654:1654::/home/app:/usr/sbin/nologin" >>"$1/etc/passwd"' \
    --customize-hook='echo "app:x:1654:" >>"$1/etc/group"' \
    --customize-hook='mkdir -p "$1/home/app" && chown 1654:1654 "$1/home/app"' \
    --customize-hook='mkdir -p "$1/etc/ssl/certs" && cat "$1"/usr/share/ca-certificates/mozilla/*.crt >"$1/etc/ssl/certs/ca-certificates.crt"' \
    --customize-hook='printf "/usr/lib/aarch64-linux-gnu\n/lib/aarch64-linux-gnu\n" >"$1/etc/ld.so.conf.d/aarch64-linux-gnu.conf"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    bookworm "$build_dir/rootfs-arm64.partial.tar" \
    "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
  mv "$build_dir/rootfs-arm64.partial.tar" "$build_dir/rootfs-arm64.tar"
}

# The arm64 runtime packs of this machine's framework versions, restored by NuGet into a cache of our own.
restore_runtime_packs() {
  local netcore="$1" aspnetcore="$2" project="$build_dir/restore"
  mkdir -p "$project"
  cat >"$project/restore.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Microsoft.NETCore.App.Runtime.linux-arm64" Version="[$netcore]" />
    <PackageDownload Include="Microsoft.AspNetCore.App.Runtime.linux-arm64" Version="[$aspnetcore]" />
  </ItemGroup>
</Project>
EOF
  local output
  # No build server may outlive this script; restore's errors go to stdout, so show it when it fails.
  output="$(dotnet restore "$project/restore.csproj" --packages "$build_dir/nuget" --disable-build-servers -nologo -v:q 2>&1)" ||
    die "restoring the arm64 runtime packs failed: $output"
}

build_dotnet_layer_arm64() {
  local fxr netcore aspnetcore root="$build_dir/dotnet-arm64" packs="$build_dir/nuget"
  fxr="$(latest_version host/fxr)"
  netcore="$(latest_version shared/Microsoft.NETCore.App)"
  aspnetcore="$(latest_version shared/Microsoft.AspNetCore.App)"
  [[ -n "$fxr" && -n "$netcore" && -n "$aspnetcore" ]] || die "no .NET 10 shared frameworks under $dotnet_root"
  restore_runtime_packs "$netcore" "$aspnetcore"
  local netcore_pack="$packs/microsoft.netcore.app.runtime.linux-arm64/$netcore/runtimes/linux-arm64"
  local aspnetcore_pack="$packs/microsoft.aspnetcore.app.runtime.linux-arm64/$aspnetcore/runtimes/linux-arm64"
  [[ -d "$netcore_pack" && -d "$aspnetcore_pack" ]] || die "runtime packs missing under $packs"

  # The layout of an installed shared framework: managed and native files side by side, hostfxr apart.
  rm -rf "$root"
  local share="$root/usr/share/dotnet"
  mkdir -p "$share/host/fxr/$fxr" "$share/shared/Microsoft.NETCore.App/$netcore" \
    "$share/shared/Microsoft.AspNetCore.App/$aspnetcore"
  cp "$netcore_pack/native/libhostfxr.so" "$share/host/fxr/$fxr/"
  cp -r "$netcore_pack/lib/net10.0/." "$share/shared/Microsoft.NETCore.App/$netcore/"
  find "$netcore_pack/native" -maxdepth 1 -type f ! -name libhostfxr.so -exec cp {} "$share/shared/Microsoft.NETCore.App/$netcore/" \;
  cp -r "$aspnetcore_pack/lib/net10.0/." "$share/shared/Microsoft.AspNetCore.App/$aspnetcore/"
  chmod -R u=rwX,go=rX "$root"
  tar -cf "$build_dir/dotnet-arm64.tar" --owner=0 --group=0 --numeric-owner -C "$root" usr
}

# add_image LAYOUT REF ARCH LAYER...: a new image of linux/ARCH with the environment the SDK reads (APP_UID, port).
add_image() {
  local layout="$1" ref="$2" arch="$3" layer
  shift 3
  umoci new --image "$layout:$ref"
  for layer in "$@"; do umoci raw add-layer --image "$layout:$ref" "$layer"; done
  umoci config --image "$layout:$ref" --os=linux --architecture="$arch" \
    --config.env=APP_UID=1654 --config.env=ASPNETCORE_HTTP_PORTS=8080 \
    --config.env=DOTNET_RUNNING_IN_CONTAINER=true \
    --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.label="$label=$(frameworks_id)"
}

# write_index LAYOUT REF amd64=REF arm64=REF...: an OCI image index of the named images, tagged REF in the layout.
write_index() {
  local layout="$1" ref="$2" entries="[]" pair arch image descriptor index digest size
  shift 2
  for pair in "$@"; do
    arch="${pair%%=*}" image="${pair#*=}"
    descriptor="$(jq -c --arg r "$image" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r)' "$layout/index.json")"
    [[ -n "$descriptor" ]] || die "no image $image in $layout"
    entries="$(jq -c --argjson d "$descriptor" --arg a "$arch" \
      '. + [{mediaType: $d.mediaType, digest: $d.digest, size: $d.size, platform: {architecture: $a, os: "linux"}}]' <<<"$entries")"
  done
  index="$(jq -c --argjson m "$entries" --arg l "$label" --arg v "$(frameworks_id)" -n \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: $m, annotations: {($l): $v}}')"
  printf '%s' "$index" >"$build_dir/index.json"
  digest="$(sha256sum "$build_dir/index.json" | cut -d' ' -f1)"
  size="$(stat -c %s "$build_dir/index.json")"
  mv "$build_dir/index.json" "$layout/blobs/sha256/$digest"
  jq --arg d "sha256:$digest" --argjson s "$size" --arg r "$ref" \
    '.manifests += [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
                     annotations: {"org.opencontainers.image.ref.name": $r}}]' "$layout/index.json" >"$layout/index.json.new"
  mv "$layout/index.json.new" "$layout/index.json"
}

build_index() {
  local layout="$build_dir/oci"
  rm -rf "$layout"
  umoci init --layout "$layout"
  # The amd64 half is exactly the single-platform base (its digest too), so both bases stay one image.
  skopeo copy -q --src-tls-verify=false "docker://$BASE_IMAGE" "oci:$layout:amd64"
  add_image "$layout" arm64 arm64 "$build_dir/rootfs-arm64.tar" "$build_dir/dotnet-arm64.tar"
  write_index "$layout" multi amd64=amd64 arm64=arm64
  skopeo copy -q --all --dest-tls-verify=false "oci:$layout:multi" "docker://$MULTIARCH_BASE_IMAGE"
}

ensure_dirs
if ! registry_has_current_index; then
  skopeo inspect --raw --tls-verify=false "docker://$BASE_IMAGE" >/dev/null 2>&1 || die "$BASE_IMAGE missing: run base-image.sh first"
  mkdir -p "$build_dir"
  # The arm64 packages do not depend on the frameworks: keep them as a cache between builds.
  [[ -s "$build_dir/rootfs-arm64.tar" ]] || build_rootfs_arm64
  build_dotnet_layer_arm64
  build_index
  rm -rf "$build_dir/oci" "$build_dir/dotnet-arm64" "$build_dir/dotnet-arm64.tar" "$build_dir/restore"
  echo built
fi
