using GitOps.Build.Diagnostics;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>Fails a GitOpsPush publish before anything is compiled, naming every missing setting at once.</summary>
public sealed class CheckInputs : GitOpsTask
{
    public string? ContainerRegistry { get; set; }

    public string? ConfigRepository { get; set; }

    public ITaskItem[] Manifests { get; set; } = [];

    protected override void ExecuteCore()
    {
        if (string.IsNullOrWhiteSpace(ContainerRegistry)) LogError(new GitOpsException(Errors.ContainerRegistryMissing));
        if (string.IsNullOrWhiteSpace(ConfigRepository)) LogError(new GitOpsException(Errors.ConfigRepositoryMissing));
        if (Manifests.Length == 0) LogError(new GitOpsException(Errors.ManifestPathMissing));
    }
}
