using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tasks;

/// <summary>
/// Fails a GitOpsPush publish before anything is compiled, on a malformed publish switch (the registry, the manifests and the config-write
/// settings are checked together, all named at once, by <see cref="ReadConfigInputs"/>); a GitOpsPush that is not a boolean is GITOPS008.
/// </summary>
public sealed partial class CheckInputs : GitOpsTask
{
    protected override void ExecuteCore()
    {
        if (Blank(Push) is { } push && ManifestOptionsReader.ParseBoolean(push, "GitOpsPush") is false) return;
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
