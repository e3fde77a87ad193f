#!/usr/bin/env bash
# test.sh [dotnet test args...]: starts the offline test environment (installing what it needs),
# then runs every test: unit tests and the integration tests that publish the samples for real.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$root/artifacts/test-results"

"$root/build/env/start.sh"
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
