using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class CheckInputs
{
    /// <summary>GitOpsPush, as written: anything but true or false is GITOPS008 (the targets compare it with 'true').</summary>
    public string? Push { get; set; }

    public string? ContainerRegistry { get; set; }

    /// <summary>@(_GitOpsManifest): a publish needs at least one.</summary>
    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>GitOpsAllowDirty, as written.</summary>
    public string? AllowDirty { get; set; }

    /// <summary>
    /// $(SolutionPath) when this project is published by a solution build that gave it no release directory: the
    /// solution does not import the SDK, so each project commits on its own (warning GITOPS074).
    /// </summary>
    public string? SolutionWithoutRelease { get; set; }
}
