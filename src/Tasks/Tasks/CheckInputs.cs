using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tasks;

/// <summary>
/// Fails a GitOpsPush publish before anything is compiled, naming every missing or malformed publish setting at once
/// (the config-write settings are <see cref="ReadConfigInputs"/>'s); a GitOpsPush that is not a boolean is GITOPS008.
/// </summary>
public sealed partial class CheckInputs : GitOpsTask
{
    protected override void ExecuteCore()
    {
        if (Blank(Push) is { } push && ManifestOptionsReader.ParseBoolean(push, "GitOpsPush") is false) return;
        if (string.IsNullOrWhiteSpace(ContainerRegistry)) LogError(new GitOpsException(Errors.ContainerRegistryMissing));
        if (Manifests.Length == 0) LogError(new GitOpsException(Errors.ManifestPathMissing));
        if (Blank(AllowDirty) is { } dirty)
            Check(() => ManifestOptionsReader.ParseBoolean(dirty, "GitOpsAllowDirty"));
        if (Blank(SolutionWithoutRelease) is { } solution)
            BuildLog.Warning(Errors.SolutionWithoutRelease, Path.GetFileName(solution),
                Path.Combine(Path.GetDirectoryName(solution) ?? "", "Directory.Solution.targets"));
    }

    private void Check(Func<object?> rule)
    {
        try
        {
            rule();
        }
        catch (GitOpsException e)
        {
            LogError(e);
        }
    }
}
