#!/usr/bin/env bash
# contention.sh: 64 writers on one branch through the standalone GitOpsUpdateConfig target, all at once
# (parallel) against one after another (sequential, the baseline), for that many apps in as many files and in one
# shared multi-document file. Checked every time: linear history, one one-line commit per writer that succeeded;
# a writer that fails is counted (and reported as "failed writers"), not hidden.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# 64 as issue 10 asks (BENCH_WRITERS to change it): all must land; wall time against one after another.
WRITERS="${BENCH_WRITERS:-64}"
ensure_feed
project="$(bench_tmp contention-project)"
sdk_project "$project"
url="$(ensure_config_repo bench-contention "$WRITERS" 1 "$WRITERS" 0 100)"
repo="$GIT_PROJECT_ROOT/bench-contention.git"
logs="$(bench_tmp contention-logs)"

# writer LAYOUT N TAG: one standalone write-back of app N, its log in $logs/N.log.
writer() {
  local n manifest image
  n="$(printf '%02d' "$2")"
  case $1 in
  files) manifest="$(app_manifest "$2" 100)" image="127.0.0.1:5000/team/app-000$n:$3" ;;
  shared) manifest="apps/shared/deployments.yaml" image="127.0.0.1:5000/team/shared-$n:$3" ;;
  esac
  update_config "$project" "$url" "$manifest" "$image" >"$logs/$2.log" 2>&1 || echo "$2" >>"$logs/failed"
}

all_sequential() { local i; for ((i = 0; i < WRITERS; i++)); do writer "$1" "$i" "$2"; done; }
all_parallel() {
  local i
  for ((i = 0; i < WRITERS; i++)); do writer "$1" "$i" "$2" & done
  wait
}

# verify BEFORE TAG LANDED: LANDED new commits on main, no merges, each one line, and LANDED apps now at TAG.
verify() {
  local commits sha
  commits="$(git --git-dir "$repo" rev-list --first-parent "$1..main")"
  [[ "$(grep -c . <<<"$commits")" == "$3" ]] || die "expected $3 new commits, got $(grep -c . <<<"$commits")"
  [[ -z "$(git --git-dir "$repo" rev-list --merges "$1..main")" ]] || die "history is not linear"
  for sha in $commits; do assert_one_line_change "$repo" "$sha"; done
  [[ "$(git --git-dir "$repo" grep -c ":$2\$" main -- apps | awk -F: '{ s += $NF } END { print s }')" == "$3" ]] ||
    die "not every writer's app deploys :$2"
}

retries() { cat "$logs"/*.log | grep -c "moved since the clone" | awk '{ s += $1 } END { print s + 0 }'; }

run_variant() {
  local variant=$1 round=$2 mode=${1%% *} layout=${1##* } before tag ms
  before="$(git --git-dir "$repo" rev-parse main)"
  tag="$(new_tag)"
  rm -f "$logs"/*
  timed ms "all_$mode" "$layout" "$tag"
  local failed=0
  [[ ! -f "$logs/failed" ]] || failed="$(wc -l <"$logs/failed")"
  verify "$before" "$tag" $((WRITERS - failed))
  local label="$WRITERS apps in $WRITERS files"
  [[ $layout == shared ]] && label="$WRITERS apps in 1 shared file"
  ((round == 0)) || {
    record "Contention" "$label" "$mode" sequential "$ms" ms
    record "Contention failed writers (of $WRITERS)" "$label" "$mode" "" "$failed" ""
    record "Contention lost push races (retried)" "$label" "$mode" "" "$(retries)" ""
  }
  log "   $variant round $round: $(secs "$ms"), $failed failed writers, $(retries) lost push races"
  ((failed == 0)) || sed -n 's/.*error \(GITOPS[0-9]*: [^[]*\).*/      \1/p' "$logs"/*.log | sort | uniq -c >&2
}

for layout in files shared; do
  log "== contention: $WRITERS writers, $layout"
  run_variant "parallel $layout" 0 # warm-up
  alternate "$BENCH_ROUNDS" run_variant "sequential $layout" "parallel $layout"
done
