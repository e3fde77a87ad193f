using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tasks;

/// <summary>
/// While the app compiles and its image is pushed, does what the config update needs first: clones the config
/// repository and loads the manifest engine, both in the background. <see cref="UpdateConfigRepository"/> takes the
/// clone over; MSBuild disposes (deletes) one nobody took when the build ends.
/// </summary>
public sealed class PrepareConfigUpdate : GitOpsTask
{
    public string? ConfigRepository { get; set; }

    public string? ConfigBranch { get; set; }

    /// <summary>GitOpsConfigPushBranch: when set, nothing is cloned early (its name may come from the deployment).</summary>
    public string? ConfigPushBranch { get; set; }

    /// <summary>GitOpsConfigTimeout: seconds; the clone stops when they are spent.</summary>
    public string? TimeoutSeconds { get; set; }

    protected override void ExecuteCore()
    {
        ManifestEditor.StartWarmUp();

        if (Blank(ConfigRepository) is not { } url || Blank(ConfigPushBranch) is not null) return;
        // Found before the build compiles anything: an address the writer does not accept (GITOPS025), a missing path
        // (GITOPS024), a control character (GITOPS035). CheckInputs ran first; checked again so that no clone starts with one.
        var repository = ConfigRepositoryLocation.Parse(url);
        var branch = BranchNameRule.ValidateConfigBranch(Blank(ConfigBranch));
        var options = TransportOptions(TimeSpan.FromSeconds(NumberRule.ConfigTimeoutSeconds(TimeoutSeconds)));
        var prefetch = ConfigClonePrefetch.Start(repository, branch, ReadCredentials(), options);
        PrefetchRegistry.Register(BuildEngine4, repository, branch, prefetch);
        BuildLog.Detail(Messages.CloningDuringBuild(repository.DisplayUrl, branch ?? "default branch"));
    }
}
