using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class SelectEnvironment
{
    /// <summary>The GitOpsEnvironment property: the name to find.</summary>
    [Required] public string Name { get; set; } = "";

    /// <summary>The GitOpsEnvironment items.</summary>
    public ITaskItem[] Environments { get; set; } = [];

    /// <summary>One item per path of the environment's ManifestPath, with the environment's other metadata.</summary>
    [Output] public ITaskItem[] Manifests { get; private set; } = [];

    /// <summary>The environment's Branch metadata; empty when it has none.</summary>
    [Output] public string Branch { get; private set; } = "";
}
