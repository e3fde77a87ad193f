using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

public sealed partial class UpdateConfigRepository
{
    /// <summary>$(_GitOpsConfigInputsKey): the project's parsed config inputs (<see cref="ReadConfigInputs"/>).</summary>
    [Required] public string InputsKey { get; set; } = "";

    /// <summary>@(_GitOpsConfigInputs) and @(_GitOpsManifest): parsed again only where InputsKey is not found.</summary>
    public ITaskItem? Settings { get; set; }

    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>The image reference to write, with its tag.</summary>
    public string? Image { get; set; }

    public string? ImageDigest { get; set; }

    public string? SourceCommit { get; set; }

    public string? SourceRepositoryUrl { get; set; }

    public string? ProjectPath { get; set; }

    [Output] public string ConfigCommit { get; private set; } = "";

    [Output] public string ResolvedConfigBranch { get; private set; } = "";
}
