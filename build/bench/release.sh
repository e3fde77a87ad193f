#!/usr/bin/env bash
# release.sh: one release, one commit (issue 12). An app repository of 8 console services, each a container project
# with its own manifest in one config repository, published to the local registry three ways:
#   single   = 8 × dotnet publish svcN/svcN.csproj -p:GitOpsPush=true, one after the other (the baseline: a pipeline
#              per service, or a loop over them): 8 builds, 8 config commits
#   solution = dotnet publish Shop.slnx -p:GitOpsPush=true -p:GitOpsRelease=false: one build, each project commits on
#              its own, as before the release (8 commits, racing under -m)
#   release  = dotnet publish Shop.slnx -p:GitOpsPush=true, the solution importing GitOps.Build.Sdk: one build,
#              every image pushed first, then one config commit
# Recorded: wall time, and the config commits each made (counted on the server). Checked every time: every service's
# manifest deploys the new tag, and every image is in the registry.
# Before every run the app changes (a constant in each service) and is committed, so each run recompiles and deploys.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICES=8
ensure_feed
work="$(bench_tmp release)"
app="$work/shop"
nuget="$work/nuget" # fresh for this run: only the warm-up restores into it
seed="$work/config-seed"

mkdir -p "$app" "$seed"
services=()
for ((i = 1; i <= SERVICES; i++)); do services+=("svc$i"); done
for s in "${services[@]}"; do
  mkdir -p "$app/$s" "$seed/apps/$s"
  cat >"$app/$s/$s.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Sdk Name="GitOps.Build.Sdk" Version="$SDK_VERSION" />
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <InvariantGlobalization>true</InvariantGlobalization>
    <ContainerRepository>bench/$s</ContainerRepository>
    <GitOpsManifestPath>apps/$s/deployment.yaml</GitOpsManifestPath>
  </PropertyGroup>
</Project>
XML
  echo "System.Console.WriteLine(\"$s \" + Bench.Build);" >"$app/$s/Program.cs"
  printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\nspec:\n  template:\n    spec:\n      containers:\n        - name: %s\n          image: %s/bench/%s:initial\n' \
    "$s" "$s" "$REGISTRY" "$s" >"$seed/apps/$s/deployment.yaml"
done
{
  echo "<Solution>"
  for s in "${services[@]}"; do echo "  <Project Path=\"$s/$s.csproj\" />"; done
  echo "</Solution>"
} >"$app/Shop.slnx"
cat >"$app/Directory.Solution.targets" <<XML
<Project>
  <Import Project="Sdk.targets" Sdk="GitOps.Build.Sdk" Version="$SDK_VERSION" />
</Project>
XML
printf 'bin/\nobj/\n' >"$app/.gitignore"
write_nuget_config "$app"
git -C "$app" init -q -b main
url="$("$BENCH_ROOT/build/env/new-git-repo.sh" bench-release "$seed")"
repo="$GIT_PROJECT_ROOT/bench-release.git"

change_app() {
  local s
  for s in "${services[@]}"; do echo "static partial class Bench { public const int Build = $1; }" >"$app/$s/Bench.cs"; done
  git -C "$app" add -A
  git -C "$app" commit -q -m "Build $1"
}

publish() {
  (cd "$app" && GITOPS_TOKEN="$GIT_TOKEN" NUGET_PACKAGES="$nuget" dotnet publish -c Release -nologo -v:m -p:GitOpsPush=true \
    "-p:GitOpsConfigRepository=$url" "-p:ContainerRegistry=$REGISTRY" "-p:ContainerBaseImage=$RUNTIME_BASE_IMAGE" "$@")
}

single() {
  local s
  for s in "${services[@]}"; do publish "$s/$s.csproj"; done
}

build=0
run_variant() {
  local variant=$1 round=$2 tag ms before commits s
  build=$((build + 1))
  change_app "$build"
  tag="$(git -C "$app" rev-parse --short HEAD)"
  before="$(git --git-dir "$repo" rev-parse main)"
  case $variant in
  single) timed ms single ;;
  solution) timed ms publish Shop.slnx -p:GitOpsRelease=false ;;
  release) timed ms publish Shop.slnx ;;
  esac
  commits="$(git --git-dir "$repo" rev-list --count "$before..main")"
  for s in "${services[@]}"; do
    git --git-dir "$repo" show "main:apps/$s/deployment.yaml" | grep -q "bench/$s:$tag\$" || die "$variant: $s is not at :$tag"
    skopeo inspect --tls-verify=false "docker://$REGISTRY/bench/$s:$tag" >/dev/null || die "$variant: no image bench/$s:$tag"
  done
  ((round == 0)) || {
    record "Release of $SERVICES services" "wall time" "$variant" single "$ms" ms
    record "Release of $SERVICES services, config commits" "commits" "$variant" "" "$commits" ""
  }
  log "   $variant round $round: $(secs "$ms"), $commits config commits"
}

log "== one release, one commit: $SERVICES services"
for v in single solution release; do run_variant "$v" 0; done # warm-up: restore, first compile
alternate "$BENCH_ROUNDS" run_variant single solution release
