using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class StartRelease
{
    [Output] public string ReleaseDirectory { get; private set; } = "";
}
