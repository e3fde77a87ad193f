#!/usr/bin/env bash
# test.sh [--fast] [dotnet test args...]: starts the offline test environment (installing what it needs),
# then runs every test: unit tests and the integration tests that publish the samples for real.
# --fast: only the first layer (tests that need no server, no child build and are not slow), without starting anything.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$root/artifacts/test-results"

# The layers are test categories (README.md, "Try it, test it").
fast_filter="TestCategory!=GitServer&TestCategory!=Registry&TestCategory!=Publish&TestCategory!=ServerFaults&TestCategory!=Slow"
if [[ "${1:-}" == "--fast" ]]; then
  shift
  set -- --filter "$fast_filter" "$@"
else
  "$root/build/env/start.sh"
fi
rm -rf "$results"
status=0
MSBUILDDISABLENODEREUSE=1 dotnet test "$root/GitOps.Build.sln" -c Release --nologo \
  --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@" || status=$?

# One plain closing line any CI can read: counts from the TRX summary.
if [[ -f "$results/tests.trx" ]]; then
  counters="$(grep -o '<Counters [^>]*>' "$results/tests.trx")"
  count() { sed -E "s/.* $1=\"([0-9]+)\".*/\1/" <<<"$counters"; }
  echo "tests: $(count passed) passed, $(count failed) failed, $(count notExecuted) skipped"
fi
exit "$status"
