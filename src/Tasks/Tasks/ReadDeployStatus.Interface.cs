using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class ReadDeployStatus
{
    /// <summary>$(_GitOpsConfigInputsKey): the project's parsed config inputs (<see cref="ReadConfigInputs"/>).</summary>
    [Required] public string InputsKey { get; set; } = "";

    /// <summary>@(_GitOpsConfigInputs) and @(_GitOpsManifest): parsed again only where InputsKey is not found. Without environments, the manifests are reported as one.</summary>
    public ITaskItem? Settings { get; set; }

    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>The GitOpsEnvironment items.</summary>
    public ITaskItem[] Environments { get; set; } = [];

    /// <summary>The repository to look for: [registry/]repository (a tag is ignored).</summary>
    public string? ImageName { get; set; }

    /// <summary>GitOpsStatusFile: where the JSON goes.</summary>
    public string? StatusFile { get; set; }
}
