#!/usr/bin/env bash
# writeback.sh [SIZE...]: one image bump written back to a large config repository (default sizes S M L; quick: S;
# XL, 200,000 files in 20,000 directories, only when named: its repository takes minutes to generate).
# ours = standalone `dotnet msbuild -t:GitOpsUpdateConfig` (task time from its log line, and process wall time), on
# the treeless path (the repository serves filters); ours-clone = the same with filters off for the variant (today's
# depth-1 clone, after the one fallback line); glue-a = shallow clone + sed + commit -a + push; glue-b = blobless
# sparse clone of the one file + edit + commit + push. Every variant also records its HTTP requests (round trips) and
# the bytes the server sent, from the git server's access log.
# Clones live under $BENCH_DIR/tmp on the root disk. Every run is checked: the new tip changes exactly one line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

declare -A APPS=([S]=100 [M]=3000 [L]=10000 [XL]=20000) COMMITS=([S]=1000 [M]=10000 [L]=10000 [XL]=1000) EXTRA=([S]=0 [M]=0 [L]=0 [XL]=7)
sizes=("$@")
((${#sizes[@]})) || { [[ "$BENCH_QUICK" == 1 ]] && sizes=(S) || sizes=(S M L); }

ensure_feed
project="$(bench_tmp writeback-project)"
sdk_project "$project"

# The edit both glue variants make: the app's image line, nothing else.
sed_image() { sed -i -E "s#(image: 127\.0\.0\.1:5000/team/$1:).*#\1$2#" "$3"; }

# run_variant VARIANT ROUND (size, url, repo from the caller's loop); ROUND 0 is the unrecorded warm-up.
run_variant() {
  local variant=$1 round=$2 app tag manifest clone ms
  app="$(printf 'app-%05d' $((RANDOM % APPS[$size])))"
  tag="$(new_tag)"
  manifest="apps/$app/deployment.yaml"
  clone="$(bench_tmp "clone-$variant")/config"
  local mark
  mark="$(http_mark)"
  case $variant in
  ours | ours-clone)
    local name="ours" task rss
    [[ $variant == ours-clone ]] && { name="ours, clone"; git -C "$repo" config uploadpack.allowFilter false; }
    timed ms update_config "$project" "$url" "$manifest" "127.0.0.1:5000/team/$app:$tag"
    git -C "$repo" config uploadpack.allowFilter true
    if [[ $variant == ours ]]; then
      grep -q 'treeless write-back:' "$BENCH_LOG" || die "ours did not take the treeless path: $(grep -o 'GitOps: .*' "$BENCH_LOG" | head -5)"
    else
      grep -q 'does not serve a treeless fetch' "$BENCH_LOG" || die "ours-clone did not fall back to the clone"
    fi
    task="$(task_ms "$BENCH_LOG")"
    rss="$(sed -n 's/^peak-rss-kb //p' "$BENCH_LOG")"
    ((round == 0)) || {
      record "Write-back" "$size" "$name (task time)" "glue-a,glue-b" "$task" ms
      record "Write-back" "$size" "$name (dotnet msbuild wall)" "glue-a,glue-b" "$ms" ms
      record "Write-back peak RSS" "$size" "$name" "" "$((rss / 1024))" MB
    }
    ;;
  glue-a)
    timed ms bash -c "$(declare -f authgit sed_image); set -e
      authgit clone -q --depth 1 --single-branch --no-tags '$url' '$clone'
      sed_image '$app' '$tag' '$clone/$manifest'
      git -C '$clone' commit -q -a -m 'Deploy $app:$tag'
      authgit -C '$clone' push -q origin HEAD"
    ;;
  glue-b)
    timed ms bash -c "$(declare -f authgit sed_image); set -e
      authgit clone -q --depth 1 --filter=blob:none --no-checkout --single-branch '$url' '$clone'
      git -C '$clone' sparse-checkout set --no-cone '/$manifest'
      authgit -C '$clone' checkout -q main
      sed_image '$app' '$tag' '$clone/$manifest'
      git -C '$clone' commit -q -a -m 'Deploy $app:$tag'
      authgit -C '$clone' push -q origin HEAD"
    ;;
  esac
  local requests bytes
  read -r requests bytes < <(http_since "$mark" "bench-$size.git")
  assert_one_line_change "$repo" main
  rm -rf "$(dirname "$clone")"
  ((round == 0)) || {
    [[ $variant == ours* ]] || record "Write-back" "$size" "$variant" "glue-a" "$ms" ms
    record "Write-back round trips (HTTP requests)" "$size" "$variant" "" "$requests" ""
    record "Write-back bytes downloaded" "$size" "$variant" "" "$((bytes / 1024))" KB
  }
  log "   $size $variant round $round: $(secs "$ms"), $requests requests, $((bytes / 1024)) KB downloaded"
}

for size in "${sizes[@]}"; do
  log "== write-back, size $size (${APPS[$size]} apps, ${COMMITS[$size]} commits)"
  url="$(ensure_config_repo "bench-$size" "${APPS[$size]}" "${COMMITS[$size]}" 0 "${EXTRA[$size]}")"
  repo="$GIT_PROJECT_ROOT/bench-$size.git"
  for v in ours ours-clone glue-a glue-b; do run_variant "$v" 0; done
  alternate "$BENCH_ROUNDS" run_variant ours ours-clone glue-a glue-b
done
