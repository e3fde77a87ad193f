#!/usr/bin/env bash
# ssh.sh [SIZE...]: one image bump written back over SSH (default size S; any of lib.sh's BENCH_APPS), against the git CLI over the
# same sshd (build/env/ssh-server.sh) with the same key and known_hosts.
# ours = standalone `dotnet msbuild -t:GitOpsUpdateConfig` with GITOPS_SSH_KEY (the key's content, as CI holds it) and
#        GITOPS_SSH_KNOWN_HOSTS (task time from its log line, and process wall time);
# git  = git clone --depth 1 + sed + commit -a + push, GIT_SSH_COMMAND with the same ssh options.
# Also recorded: SSH logins per write-back (sshd's "Accepted publickey" lines: one ssh process each) and the cost of
# one bare login that only reads the ref advertisement (ssh + git-upload-pack, stdin closed): what each connection costs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

sizes=("$@")
((${#sizes[@]})) || sizes=(S)

ensure_feed
project="$(bench_tmp ssh-project)"
sdk_project "$project"
sshd_log="$GITOPS_ENV_DIR/logs/sshd.log"
# update_config runs in a child bash (below, for the SSH variables): it needs these to find the packed SDK.
export BENCH_DIR GIT_TOKEN
ssh_command="ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$SSH_KNOWN_HOSTS -i $SSH_DEPLOY_KEY -o IdentitiesOnly=yes"

sed_image() { sed -i -E "s#(image: 127\.0\.0\.1:5000/team/$1:).*#\1$2#" "$3"; }
logins() { grep -c 'Accepted publickey' "$sshd_log" || true; }

# run_variant VARIANT ROUND (size, url, repo from the caller's loop); ROUND 0 is the unrecorded warm-up.
run_variant() {
  local variant=$1 round=$2 index app tag manifest clone ms before
  index=$((RANDOM % BENCH_APPS[$size]))
  app="$(printf 'app-%05d' "$index")"
  tag="$(new_tag)"
  manifest="$(app_manifest "$index" "${BENCH_GROUP[$size]}")"
  clone="$(bench_tmp "clone-$variant")/config"
  before="$(logins)"
  case $variant in
  ours)
    timed ms env GITOPS_SSH_KEY="$(<"$SSH_DEPLOY_KEY")" GITOPS_SSH_KNOWN_HOSTS="$(<"$SSH_KNOWN_HOSTS")" \
      bash -c "$(declare -f update_config); update_config '$project' '$url' '$manifest' '127.0.0.1:5000/team/$app:$tag'"
    ((round == 0)) || {
      record "Write-back over SSH" "$size" "ours (task time)" "git CLI" "$(task_ms "$BENCH_LOG")" ms
      record "Write-back over SSH" "$size" "ours (dotnet msbuild wall)" "git CLI" "$ms" ms
    }
    ;;
  git)
    timed ms env GIT_SSH_COMMAND="$ssh_command" bash -c "$(declare -f sed_image); set -e
      git clone -q --depth 1 --single-branch --no-tags '$url' '$clone'
      sed_image '$app' '$tag' '$clone/$manifest'
      git -C '$clone' commit -q -a -m 'Deploy $app:$tag'
      git -C '$clone' push -q origin HEAD"
    ((round == 0)) || record "Write-back over SSH" "$size" "git CLI" "" "$ms" ms
    ;;
  login)
    # ssh exits when git-upload-pack has sent the advertisement and read EOF from the closed stdin.
    timed ms bash -c "$ssh_command -p $SSH_PORT_ARG gitops@127.0.0.1 \"git-upload-pack '$repo'\" </dev/null >/dev/null 2>&1 || true"
    ((round == 0)) || record "Write-back over SSH" "$size" "one ssh login + ref advertisement" "" "$ms" ms
    ;;
  esac
  local count=$(($(logins) - before))
  [[ $variant == login ]] || {
    assert_one_line_change "$repo" main
    ((round == 0)) || record "SSH logins per write-back" "$size" "$variant" "" "$count" ""
  }
  rm -rf "$(dirname "$clone")"
  log "   $size $variant round $round: $(secs "$ms"), $count ssh login(s)"
}

SSH_PORT_ARG="${SSH_GIT_BASE#*@127.0.0.1:}"
SSH_PORT_ARG="${SSH_PORT_ARG%%/*}"
for size in "${sizes[@]}"; do
  log "== write-back over SSH, size $size (${BENCH_APPS[$size]} apps, ${BENCH_COMMITS[$size]} commits)"
  ensure_sized_repo "$size" >/dev/null
  url="$SSH_GIT_BASE/bench-$size.git"
  repo="$GIT_PROJECT_ROOT/bench-$size.git"
  for v in ours git login; do run_variant "$v" 0; done
  alternate "$BENCH_ROUNDS" run_variant ours git login
done
