#!/usr/bin/env bash
# write-nuget-config.sh DIR FEED: a NuGet.config in DIR that restores GitOps.Build.Sdk from the packed FEED first,
# then nuget.org, as a user's project would after `dotnet pack` (the integration tests write the same).
set -euo pipefail
cat >"$1/NuGet.config" <<XML
<configuration>
  <packageSources>
    <clear />
    <add key="gitops-build" value="$2" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
