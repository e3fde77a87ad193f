using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class ReadDeployStatus
{
    /// <summary>The GitOpsEnvironment items; without any, the manifests (of the config inputs) are reported as one.</summary>
    public ITaskItem[] Environments { get; set; } = [];

    /// <summary>The repository to look for: [registry/]repository (a tag is ignored).</summary>
    public string? ImageName { get; set; }

    /// <summary>GitOpsStatusFile: where the JSON goes.</summary>
    public string? StatusFile { get; set; }
}
