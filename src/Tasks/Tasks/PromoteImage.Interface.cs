using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class PromoteImage
{
    /// <summary>GitOpsPromoteFrom: the environment whose image is promoted.</summary>
    public string? From { get; set; }

    /// <summary>GitOpsPromoteTo: the environment it is deployed to.</summary>
    public string? To { get; set; }

    /// <summary>The GitOpsEnvironment items.</summary>
    public ITaskItem[] Environments { get; set; } = [];

    /// <summary>The repository to look for: [registry/]repository, e.g. $(ContainerRegistry)/$(ContainerRepository), or GitOpsImage (its tag is ignored).</summary>
    public string? ImageName { get; set; }

    [Output] public string Image { get; private set; } = "";

    [Output] public string ImageDigest { get; private set; } = "";

    [Output] public string SourceCommit { get; private set; } = "";
}
