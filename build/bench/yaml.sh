#!/usr/bin/env bash
# yaml.sh: ManifestEditor.Edit on generated multi-document Kubernetes files of 1, 2.5, 5 and 10 MB (quick: 1 and 10),
# two warm-up edits then $BENCH_ROUNDS timed edits each, in one process (build/bench/YamlEditBench).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

sizes=(1 2.5 5 10)
[[ "$BENCH_QUICK" == 1 ]] && sizes=(1 10)
log "== YAML edit (${sizes[*]} MB)"
project="$BENCH_ROOT/build/bench/YamlEditBench"
dotnet build "$project" -c Release -nologo -v:q >"$BENCH_LOG" 2>&1 || { cat "$BENCH_LOG" >&2; exit 1; }
dotnet "$project/bin/Release/net10.0/YamlEditBench.dll" "$BENCH_ROUNDS" "${sizes[@]}" | tee -a "$BENCH_RESULTS" |
  awk -F'\t' '$2 != "per MB" { printf "   %s: %s ms\n", $3, $5 }' >&2
