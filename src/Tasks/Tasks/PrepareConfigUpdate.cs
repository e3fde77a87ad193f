using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using GitOps.Build.Git;
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
    public int TimeoutSeconds { get; set; } = 300;

    protected override void ExecuteCore()
    {
        ManifestEditor.StartWarmUp();

        if (Blank(ConfigRepository) is not { } repository || Blank(ConfigPushBranch) is not null) return;
        var branch = Blank(ConfigBranch);
        var options = new ConfigWriterOptions { Timeout = TimeSpan.FromSeconds(TimeoutSeconds), Ssh = SshSettings.FromEnvironment(GetEnvironmentVariable) };
        var prefetch = ConfigClonePrefetch.Start(repository, branch, GitCredentials.FromEnvironment(GetEnvironmentVariable), options);
        PrefetchRegistry.Register(BuildEngine4, repository, branch, prefetch);
        BuildLog.Detail(Messages.CloningDuringBuild(UrlRedactor.Redact(repository), branch ?? "default branch"));
    }
}
