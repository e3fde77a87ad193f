#!/usr/bin/env bash
# pack.sh [OUTPUT_DIR]: builds GitOps.Build.Sdk.<version>.nupkg and GitOps.Build.Templates.<version>.nupkg (default: artifacts/packages).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/artifacts/packages}"
dotnet pack "$root/GitOps.Build.sln" -c Release -o "$out" -nologo -v:quiet -p:MSBUILDDISABLENODEREUSE=1 >&2
ls "$out"/GitOps.Build.Sdk.*.nupkg "$out"/GitOps.Build.Templates.*.nupkg
