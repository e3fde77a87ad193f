#!/usr/bin/env bash
# sdk-build.sh: what referencing GitOps.Build.Sdk costs a `dotnet build` without GitOpsPush. The same console project
# with and without <Sdk Name="GitOps.Build.Sdk" />, built alternately: clean builds (bin/obj removed, restore
# included) and no-op incremental builds (nothing changed since the previous build).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_feed
work="$(bench_tmp sdk-build)"
nuget="$work/nuget"
# with-sdk references it as an <Sdk> element (resolved by MSBuild's NuGet SDK resolver at every evaluation),
# with-package as a PackageReference (resolved by restore): the difference between the two is the resolver's.
for variant in plain with-sdk with-package; do
  mkdir -p "$work/$variant"
  write_nuget_config "$work/$variant"
  sdk="" package=""
  [[ $variant == with-sdk ]] && sdk="<Sdk Name=\"GitOps.Build.Sdk\" Version=\"$SDK_VERSION\" />"
  [[ $variant == with-package ]] &&
    package="<ItemGroup><PackageReference Include=\"GitOps.Build.Sdk\" Version=\"$SDK_VERSION\" PrivateAssets=\"all\" /></ItemGroup>"
  cat >"$work/$variant/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  $sdk
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  $package
</Project>
XML
  echo 'System.Console.WriteLine("hello");' >"$work/$variant/Program.cs"
done

build() { (cd "$work/$1" && NUGET_PACKAGES="$nuget" dotnet build -c Release -nologo -v:q); }

run_variant() {
  local variant=$1 round=$2 ms
  rm -rf "$work/$variant/bin" "$work/$variant/obj"
  timed ms build "$variant"
  ((round == 0)) || record "dotnet build cost" "clean build" "$variant" plain "$ms" ms
  log "   clean $variant round $round: $(secs "$ms")"
  timed ms build "$variant"
  ((round == 0)) || record "dotnet build cost" "no-op incremental build" "$variant" plain "$ms" ms
  log "   no-op $variant round $round: $(secs "$ms")"
}

log "== dotnet build with and without the SDK reference"
for v in plain with-sdk with-package; do run_variant "$v" 0; done # warm-up: fills the NuGet cache
alternate "$BENCH_ROUNDS" run_variant plain with-sdk with-package
