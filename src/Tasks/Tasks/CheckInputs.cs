using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>Fails a GitOpsPush publish before anything is compiled, naming every missing or malformed setting at once.</summary>
public sealed class CheckInputs : GitOpsTask
{
    public string? ContainerRegistry { get; set; }

    public string? ConfigRepository { get; set; }

    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>GitOpsConfigBranch: checked here because the config repository is cloned while the app compiles.</summary>
    public string? ConfigBranch { get; set; }

    /// <summary>GitOpsPushRetries, as written (a string, so that a non-number gets a code too).</summary>
    public string? PushRetries { get; set; }

    /// <summary>GitOpsConfigTimeout, as written.</summary>
    public string? ConfigTimeout { get; set; }

    /// <summary>GitOpsDryRun, GitOpsAllowDirty, GitOpsAllowDowngrade, as written: the targets compare them with 'true'.</summary>
    public string? DryRun { get; set; }

    public string? AllowDirty { get; set; }

    public string? AllowDowngrade { get; set; }

    protected override void ExecuteCore()
    {
        if (string.IsNullOrWhiteSpace(ContainerRegistry)) LogError(new GitOpsException(Errors.ContainerRegistryMissing));
        if (string.IsNullOrWhiteSpace(ConfigRepository)) LogError(new GitOpsException(Errors.ConfigRepositoryMissing));
        if (Manifests.Length == 0) LogError(new GitOpsException(Errors.ManifestPathMissing));
        Check(() => TextRule.RejectControlCharacters(ConfigRepository, "GitOpsConfigRepository"));
        Check(() => BranchNameRule.ValidateConfigBranch(Blank(ConfigBranch)));
        Check(() => NumberRule.PushRetries(PushRetries));
        Check(() => NumberRule.ConfigTimeoutSeconds(ConfigTimeout));
        Check(ReadCredentials);
        foreach (var (property, value) in new[] { ("GitOpsDryRun", DryRun), ("GitOpsAllowDirty", AllowDirty), ("GitOpsAllowDowngrade", AllowDowngrade) })
            Check(() => Blank(value) is { } text && ManifestOptionsReader.ParseBoolean(text, property));
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
