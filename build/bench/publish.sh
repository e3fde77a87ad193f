#!/usr/bin/env bash
# publish.sh: what GitOpsPush adds to a publish. A copy of samples/app (an app repository of its own, a fresh NuGet
# cache restoring the packed SDK), published to the local registry with tag = short SHA, three ways:
#   container = dotnet publish -c Release -t:PublishContainer           (the baseline: no config write-back)
#   glue      = the same, then git clone --depth 1 + sed + git commit + git push to the config repository
#   gitops    = dotnet publish -c Release -p:GitOpsPush=true
# Whole-process times differ by a few percent between the three, less than a loaded 2-core machine's noise, so the
# part each adds is also recorded on its own: the glue's git steps (clone to push) and the GitOps targets' time in
# the publish (MSBuild's performance summary; the config clone made in the background during the build is not in it).
# Before every run the app changes (a constant in Program.cs) and is committed, so each run recompiles and deploys.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_feed
work="$(bench_tmp publish)"
app="$work/app"
nuget="$work/nuget" # fresh for this run: only the warm-up restores into it
url="$("$BENCH_ROOT/build/env/new-git-repo.sh" bench-publish "$BENCH_ROOT/samples/config-repo")"
manifest=apps/sample-app/deployment.yaml

mkdir -p "$app"
cp -a "$BENCH_ROOT/samples/app/." "$app/"
rm -rf "$app/bin" "$app/obj"
printf 'bin/\nobj/\n' >"$app/.gitignore"
echo 'static partial class Bench { public const int Build = 0; }' >"$app/Bench.cs"
write_nuget_config "$app"
git -C "$app" init -q -b main
git -C "$app" add -A
git -C "$app" commit -q -m "Sample app"

change_app() {
  echo "static partial class Bench { public const int Build = $1; }" >"$app/Bench.cs"
  git -C "$app" commit -q -am "Build $1"
}

publish() { (cd "$app" && NUGET_PACKAGES="$nuget" dotnet publish -c Release -nologo -v:m "$@"); }

glue() {
  local tag=$1 clone start
  publish -t:PublishContainer "-p:ContainerImageTag=$tag"
  start=$(now_ms)
  clone="$(mktemp -d "$work/clone.XXXXXX")"
  authgit clone -q --depth 1 --single-branch --no-tags "$url" "$clone"
  sed -i -E "s#(image: \"?127\.0\.0\.1:5000/team/sample-app:)[^\" ]*#\1$tag#" "$clone/$manifest"
  git -C "$clone" commit -q -a -m "Deploy sample-app:$tag"
  authgit -C "$clone" push -q origin HEAD
  rm -rf "$clone"
  echo $(($(now_ms) - start)) >"$work/added-ms"
}

# The GitOps targets' own time in the last gitops publish (exclusive times from -clp:PerformanceSummary).
gitops_added_ms() {
  sed -n '/Target Performance Summary/,/Task Performance Summary/p' "$BENCH_LOG" |
    awk '$2 == "ms" && $3 ~ /^_?GitOps/ { sum += $1 } END { print sum + 0 }'
}

build=0
run_variant() {
  local variant=$1 round=$2 tag ms
  build=$((build + 1))
  change_app "$build"
  tag="$(git -C "$app" rev-parse --short HEAD)"
  case $variant in
  container) timed ms publish -t:PublishContainer "-p:ContainerImageTag=$tag" ;;
  glue) timed ms glue "$tag" ;;
  gitops) timed ms env GITOPS_TOKEN="$GIT_TOKEN" bash -c "$(declare -f publish); app='$app' nuget='$nuget'
            publish -p:GitOpsPush=true -clp:PerformanceSummary '-p:GitOpsConfigRepository=$url'"
    gitops_added_ms >"$work/added-ms" ;;
  esac
  skopeo inspect --tls-verify=false "docker://$REGISTRY/team/sample-app:$tag" >/dev/null || die "$variant: no image :$tag"
  if [[ $variant != container ]]; then
    grep -q "team/sample-app:$tag\"\?\$" <(git --git-dir "$GIT_PROJECT_ROOT/bench-publish.git" show "main:$manifest") ||
      die "$variant: the config repository does not deploy :$tag"
  fi
  ((round == 0)) || record "Publish" "sample app" "$variant" container "$ms" ms
  if [[ $variant != container ]]; then
    ((round == 0)) || record "Publish, time the config step adds" "sample app" "$variant" glue "$(cat "$work/added-ms")" ms
    log "   $variant round $round: $(secs "$ms") (config step $(cat "$work/added-ms") ms)"
  else
    log "   $variant round $round: $(secs "$ms")"
  fi
}

log "== publish overhead (samples/app, tag = short SHA)"
for v in container glue gitops; do run_variant "$v" 0; done # warm-up: restore, first compile
alternate "$BENCH_ROUNDS" run_variant container glue gitops
