#!/usr/bin/env bash
# writeback.sh [SIZE...]: one image bump written back to a large config repository (default sizes S M L; quick: S;
# XL, 200,000 files in 20,000 app directories, only when named: its repository takes minutes to generate; L-flat and
# XL-flat, every app directly under apps/, only when named). Sizes and layout: lib.sh's BENCH_APPS and the tables by it.
# ours = standalone `dotnet msbuild -t:GitOpsUpdateConfig` (task time from its log line, and process wall time), on
# the treeless path (the repository serves filters); ours-clone = the same with filters off for the variant (today's
# depth-1 clone, after the one fallback line); glue-a = shallow clone + sed + commit -a + push; glue-b = blobless
# sparse clone of the one file + edit + commit + push. Every variant also records its HTTP requests (round trips) and
# the bytes the server sent, from the git server's access log. Over SSH (the same repository through build/env's sshd,
# same key): ours-ssh = the treeless write-back, glue-b-ssh = glue-b. The treeless variants also record the round trips,
# bytes (sent + received) and time waiting on the server they counted themselves (the "treeless write-back:" log
# line), over HTTP and SSH alike, and their client time: task time minus that wait.
# GitOpsConfigBranch=main is passed (lib.sh's update_config), as a pipeline deploying to a named branch sets it: the
# treeless write-back then asks for the tip by name (want-ref, which writeback.sh turns on for our variants only);
# without it the write-back starts with an ls-refs, one round trip more.
# Clones live under $BENCH_DIR/tmp on the root disk. Every run is checked: the new tip changes exactly one line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

sizes=("$@")
((${#sizes[@]})) || { [[ "$BENCH_QUICK" == 1 ]] && sizes=(S) || sizes=(S M L); }

ensure_feed
project="$(bench_tmp writeback-project)"
sdk_project "$project"

# The edit both glue variants make: the app's image line, nothing else.
sed_image() { sed -i -E "s#(image: 127\.0\.0\.1:5000/team/$1:).*#\1$2#" "$3"; }
# update_config runs in a child bash for the SSH variant (its variables): it needs these to find the packed SDK.
export BENCH_DIR GIT_TOKEN
ssh_command="ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$SSH_KNOWN_HOSTS -i $SSH_DEPLOY_KEY -o IdentitiesOnly=yes"

# counted_transfer LOG: "round-trips bytes wait-ms" from the treeless write-back's own line (bytes sent + received; the
# time from sending each request to the end of its answer, summed: what the task waited on the server).
counted_transfer() {
  sed -n 's/.*treeless write-back: \([0-9]*\) round trips, \([0-9]*\) bytes sent, \([0-9]*\) bytes received, \([0-9]*\) ms waiting on the server.*/\1 \2 \3 \4/p' "$1" |
    tail -1 | awk '{ print $1, $2 + $3, $4 }'
}

# run_variant VARIANT ROUND (size, url, repo from the caller's loop); ROUND 0 is the unrecorded warm-up.
run_variant() {
  local variant=$1 round=$2 index app tag manifest clone ms rss
  index=$((RANDOM % BENCH_APPS[$size]))
  app="$(printf 'app-%05d' "$index")"
  tag="$(new_tag)"
  manifest="$(app_manifest "$index" "${BENCH_GROUP[$size]}")"
  clone="$(bench_tmp "clone-$variant")/config"
  local mark
  mark="$(http_mark)"
  # Ref-in-want (one round trip less) only for our treeless variants: git's own clones fail with it (lib.sh).
  [[ $variant == ours || $variant == ours-ssh ]] && git -C "$repo" config uploadpack.allowRefInWant true
  case $variant in
  ours-ssh)
    timed ms env GITOPS_SSH_KEY="$(<"$SSH_DEPLOY_KEY")" GITOPS_SSH_KNOWN_HOSTS="$(<"$SSH_KNOWN_HOSTS")" \
      bash -c "$(declare -f update_config); update_config '$project' '$ssh_url' '$manifest' '127.0.0.1:5000/team/$app:$tag'"
    grep -q 'treeless write-back:' "$BENCH_LOG" || die "ours-ssh did not take the treeless path: $(grep -o 'GitOps: .*' "$BENCH_LOG" | head -5)"
    rss="$(sed -n 's/^peak-rss-kb //p' "$BENCH_LOG")"
    ((round == 0)) || {
      record "Write-back over SSH" "$size" "ours, treeless (task time)" "glue-b-ssh" "$(task_ms "$BENCH_LOG")" ms
      record "Write-back over SSH" "$size" "ours, treeless (dotnet msbuild wall)" "glue-b-ssh" "$ms" ms
      record "Write-back peak RSS" "$size" "ours, SSH" "" "$((rss / 1024))" MB
    }
    ;;
  glue-b-ssh)
    timed ms env GIT_SSH_COMMAND="$ssh_command" bash -c "$(declare -f sed_image); set -e
      git clone -q --depth 1 --filter=blob:none --no-checkout --single-branch '$ssh_url' '$clone'
      git -C '$clone' sparse-checkout set --no-cone '/$manifest'
      git -C '$clone' checkout -q main
      sed_image '$app' '$tag' '$clone/$manifest'
      git -C '$clone' commit -q -a -m 'Deploy $app:$tag'
      git -C '$clone' push -q origin HEAD"
    ((round == 0)) || record "Write-back over SSH" "$size" "glue-b-ssh" "" "$ms" ms
    ;;
  ours | ours-clone)
    local name="ours" task
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
  git -C "$repo" config uploadpack.allowRefInWant false
  local requests bytes counted="" trips transferred
  read -r requests bytes < <(http_since "$mark" "bench-$size.git")
  assert_one_line_change "$repo" main
  rm -rf "$(dirname "$clone")"
  if [[ $variant == ours || $variant == ours-ssh ]]; then
    local waited task_time
    read -r trips transferred waited < <(counted_transfer "$BENCH_LOG")
    [[ -n "$waited" ]] || die "$variant: no 'treeless write-back: … ms waiting on the server' line in $BENCH_LOG"
    task_time="$(task_ms "$BENCH_LOG")"
    counted=", counted: $trips round trips, $((transferred / 1024)) KB transferred, $waited ms waiting on the server"
    ((round == 0)) || {
      record "Write-back round trips (treeless, counted)" "$size" "$([[ $variant == ours ]] && echo "ours, HTTP" || echo "ours, SSH")" "" "$trips" ""
      record "Write-back bytes transferred (treeless, counted)" "$size" "$([[ $variant == ours ]] && echo "ours, HTTP" || echo "ours, SSH")" "" "$(((transferred + 1023) / 1024))" KB
      # Task time = the server's share (each request until the end of its answer: upload-pack, and receive-pack with
      # its own connectivity check, which walks the old tip's whole tree) + the client's; the client's is what
      # the task itself can make constant.
      if [[ $variant == ours ]]; then
        record "Write-back" "$size" "ours (server wait)" "" "$waited" ms
        record "Write-back" "$size" "ours (client time)" "" "$((task_time - waited))" ms
      else
        record "Write-back over SSH" "$size" "ours, treeless (server wait)" "" "$waited" ms
        record "Write-back over SSH" "$size" "ours, treeless (client time)" "" "$((task_time - waited))" ms
      fi
    }
  fi
  ((round == 0)) || [[ $variant == *-ssh ]] || {
    [[ $variant == ours* ]] || record "Write-back" "$size" "$variant" "glue-a" "$ms" ms
    record "Write-back round trips (HTTP requests)" "$size" "$variant" "" "$requests" ""
    record "Write-back bytes downloaded" "$size" "$variant" "" "$((bytes / 1024))" KB
  }
  log "   $size $variant round $round: $(secs "$ms"), $requests HTTP requests, $((bytes / 1024)) KB downloaded$counted"
}

for size in "${sizes[@]}"; do
  log "== write-back, size $size (${BENCH_APPS[$size]} apps, $((BENCH_EXTRA[$size] + 3)) files each, ${BENCH_COMMITS[$size]} commits, $( ((BENCH_GROUP[$size])) && echo "${BENCH_GROUP[$size]} apps per group directory" || echo "all directly under apps/"))"
  url="$(ensure_sized_repo "$size")"
  repo="$GIT_PROJECT_ROOT/bench-$size.git"
  ssh_url="$SSH_GIT_BASE/bench-$size.git"
  for v in ours ours-clone glue-a glue-b ours-ssh glue-b-ssh; do run_variant "$v" 0; done
  alternate "$BENCH_ROUNDS" run_variant ours ours-clone glue-a glue-b ours-ssh glue-b-ssh
done
