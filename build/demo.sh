#!/usr/bin/env bash
# demo.sh: the main job end to end on the local test environment.
# Starts the registry and git server, creates the config repository `config` from samples/config-repo,
# publishes samples/app (as an app repository of its own) with GitOpsPush=true, and shows the result.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/artifacts/demo"

"$root/build/env/start.sh"
# shellcheck disable=SC1091
source "${GITOPS_ENV_DIR:-/var/tmp/gitops-build-env}/env.sh"

echo "== packing GitOps.Build.Sdk"
rm -rf "$work" && mkdir -p "$work"
"$root/build/pack.sh" "$work/packages" >/dev/null

echo "== config repository $GIT_HTTP_BASE/config.git (from samples/config-repo)"
"$root/build/env/new-git-repo.sh" config "$root/samples/config-repo" >/dev/null

echo "== app repository $work/app (a copy of samples/app)"
cp -a "$root/samples/app" "$work/app"
"$root/build/write-nuget-config.sh" "$work/app" "$work/packages"
git -C "$work/app" init -q -b main
git -C "$work/app" add -A
git -C "$work/app" -c user.name=Demo -c user.email=demo@example.invalid commit -q -m "Sample app"

echo "== dotnet publish -c Release -p:GitOpsPush=true"
# The token is read by the task from the environment; it never goes through an MSBuild property.
status=0
(cd "$work/app" && GITOPS_TOKEN="$GIT_TOKEN" NUGET_PACKAGES="$work/nuget" MSBUILDDISABLENODEREUSE=1 \
  dotnet publish -c Release -p:GitOpsPush=true -nologo -v:minimal) >"$work/publish.log" 2>&1 || status=$?
grep -E 'GitOps|error|warn' "$work/publish.log" | awk '!seen[$0]++' || true
((status == 0)) || { echo "publish failed (exit $status); full log: $work/publish.log" >&2; exit "$status"; }

image="$(git --git-dir "$GIT_PROJECT_ROOT/config.git" log -1 --format='%(trailers:key=GitOps-Image,valueonly)' main | head -1)"
echo
echo "== the config commit"
git --git-dir "$GIT_PROJECT_ROOT/config.git" --no-pager log -1 -p --format='commit %H%nAuthor: %an <%ae>%n%n%B' main
echo "== the image"
echo "$image  $(skopeo inspect --tls-verify=false "docker://$image" | jq -r .Digest)  (skopeo inspect)"
