#!/usr/bin/env bash
# clean-publish.sh: a clean `dotnet publish -p:GitOpsPush=true` of samples/app against a clean
# `dotnet publish -t:PublishContainer` (issue 2's figure). Every run starts from a fresh clone of the app repository
# (no obj/ or bin/) at a new commit, so it restores, compiles, builds the image and (gitops) deploys from scratch.
# The NuGet cache stays warm (a CI runner's cache), so no run measures a download.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_feed
work="$(bench_tmp clean-publish)"
origin="$work/origin"
nuget="$work/nuget"
url="$("$BENCH_ROOT/build/env/new-git-repo.sh" bench-clean-publish "$BENCH_ROOT/samples/config-repo")"

mkdir -p "$origin"
cp -a "$BENCH_ROOT/samples/app/." "$origin/"
rm -rf "$origin/bin" "$origin/obj"
echo 'static partial class Bench { public const int Build = 0; }' >"$origin/Bench.cs"
write_nuget_config "$origin"
git -C "$origin" init -q -b main
git -C "$origin" add -A
git -C "$origin" commit -q -m "Sample app"

build=0
run_variant() {
  local variant=$1 round=$2 app tag ms
  build=$((build + 1))
  echo "static partial class Bench { public const int Build = $build; }" >"$origin/Bench.cs"
  git -C "$origin" commit -q -am "Build $build"
  app="$work/run-$build"
  git clone -q "$origin" "$app"
  tag="$(git -C "$app" rev-parse --short HEAD)"
  case $variant in
  container) timed ms bash -c "cd '$app' && NUGET_PACKAGES='$nuget' dotnet publish -c Release -nologo -v:m -t:PublishContainer -p:ContainerImageTag=$tag" ;;
  gitops) timed ms bash -c "cd '$app' && GITOPS_TOKEN='$GIT_TOKEN' NUGET_PACKAGES='$nuget' dotnet publish -c Release -nologo -v:m -p:GitOpsPush=true -p:GitOpsConfigRepository='$url'" ;;
  esac
  skopeo inspect --tls-verify=false "docker://$REGISTRY/team/sample-app:$tag" >/dev/null || die "$variant: no image :$tag"
  rm -rf "$app"
  ((round == 0)) || record "Clean publish" "sample app, fresh clone" "$variant" container "$ms" ms
  log "   $variant round $round: $(secs "$ms")"
}

log "== clean publish (fresh clone each run, warm NuGet cache)"
for v in container gitops; do run_variant "$v" 0; done # warm-up: fills the NuGet cache
alternate "$BENCH_ROUNDS" run_variant container gitops
