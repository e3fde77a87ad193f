#!/usr/bin/env bash
# new-git-repo.sh [--filters] NAME [SEED_DIR]: (re)creates the bare repository NAME.git served by the
# test git server, optionally with one initial commit of SEED_DIR's contents on main.
# --filters: upload-pack serves object filters, wants by id and by ref name (uploadpack.allowFilter, allowAnySHA1InWant,
# allowRefInWant), which the treeless write-back needs (the last saves it a round trip); without it all are off (git's
# default), and the write-back clones.
# Prints the repository's HTTP URL (credentials never go into it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

filters=false
[[ "${1:-}" == --filters ]] && { filters=true; shift; }
(($# >= 1 && $# <= 2)) || die "usage: $0 [--filters] NAME [SEED_DIR]"
name="$1"
seed="${2:-}"
validate_repo_name "$name"
[[ -z "$seed" || -d "$seed" ]] || die "seed directory '$seed' does not exist"

repo="$GIT_PROJECT_ROOT/$name.git"
rm -rf "$repo"
mkdir -p "$(dirname "$repo")"
git init -q --bare --initial-branch=main "$repo"
# git-http-backend refuses pushes unless receivepack is on (or REMOTE_USER is set).
git -C "$repo" config http.receivepack true
git -C "$repo" config uploadpack.allowFilter "$filters"
git -C "$repo" config uploadpack.allowAnySHA1InWant "$filters"
git -C "$repo" config uploadpack.allowRefInWant "$filters"

if [[ -n "$seed" ]]; then
  work="$(mktemp -d "$ENV_DIR/seed.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  cp -a "$seed/." "$work/"
  rm -rf "$work/.git"
  git -C "$work" init -q --initial-branch=main
  git -C "$work" add -A
  git -C "$work" -c user.name="GitOps Test" -c user.email=gitops-test@example.invalid \
    -c commit.gpgsign=false commit -q --allow-empty -m "Initial commit"
  git -C "$work" push -q "$repo" main
fi

echo "$GIT_HTTP_BASE/$name.git"
