using GitOps.Build.Deploy;
using Microsoft.Build.Framework;

namespace GitOps.Build.Tasks;

/// <summary>
/// A project's config-write inputs exactly as its properties and items give them (nothing checked yet): what
/// <see cref="ConfigInputs.Read"/> parses, and what a release entry carries to the solution, which may run in
/// another node and parses it there. Holds no secret: those are read from the environment when they are used.
/// </summary>
internal sealed record ConfigInputText
{
    public string? ConfigRepository { get; init; }
    /// <summary>GitOpsConfigBranch, the default of every environment without a Branch.</summary>
    public string? ConfigBranch { get; init; }
    /// <summary>The branch this project deploys to: GitOpsConfigBranch, or the selected GitOpsEnvironment's Branch.</summary>
    public string? DeployBranch { get; init; }
    public string? ConfigPushBranch { get; init; }
    public string? ResultFile { get; init; }
    public List<ReleaseManifest> Manifests { get; init; } = [];
    public string? AppRepositoryDirectory { get; init; }
    public string? AllowDowngrade { get; init; }
    public string? CommitMessage { get; init; }
    public string? ReferenceFormat { get; init; }
    public string? CommitAuthorName { get; init; }
    public string? CommitAuthorEmail { get; init; }
    public string? DryRun { get; init; }
    public string? CommitSigningFormat { get; init; }
    public string? CommitSigningKey { get; init; }
    public string? ArgoCdTrailers { get; init; }
    public string? PushRetries { get; init; }
    public string? TimeoutSeconds { get; init; }
    /// <summary>GitOpsPullRequest and its companions (GitOpsForge, GitOpsForgeApiUrl, GitOpsPullRequest*).</summary>
    public string? PullRequest { get; init; }
    public string? Forge { get; init; }
    public string? ForgeApiUrl { get; init; }
    public string? PullRequestTitle { get; init; }
    public string? PullRequestLabels { get; init; }
    public string? PullRequestDraft { get; init; }
    public string? PullRequestReviewers { get; init; }
    public string? PullRequestAutoMerge { get; init; }
    public string? PullRequestMergeMethod { get; init; }
    public string? PullRequestSupersede { get; init; }
    /// <summary>GitOpsWaitForDeploy and its sources (GitOpsWaitTimeout, GitOpsDeployStatusContexts, GitOpsArgoCdApplications, GitOpsArgoCdRefresh).</summary>
    public string? WaitForDeploy { get; init; }
    public string? WaitTimeout { get; init; }
    public string? DeployStatusContexts { get; init; }
    public string? ArgoCdApplications { get; init; }
    public string? ArgoCdRefresh { get; init; }

    /// <summary>The _GitOpsConfigInputs item (one, its metadata named as the properties above) and the _GitOpsManifest items.</summary>
    public static ConfigInputText FromItems(ITaskItem? settings, IEnumerable<ITaskItem> manifests)
    {
        string? Get(string name) => settings?.GetMetadata(name) is { Length: > 0 } value ? value : null;
        return new ConfigInputText
        {
            ConfigRepository = Get(nameof(ConfigRepository)),
            ConfigBranch = Get(nameof(ConfigBranch)),
            DeployBranch = Get(nameof(DeployBranch)),
            ConfigPushBranch = Get(nameof(ConfigPushBranch)),
            ResultFile = Get(nameof(ResultFile)),
            Manifests = manifests.Select(item => new ReleaseManifest(item.ItemSpec, ManifestOptionsReader.MetadataNames
                .Select(name => (name, value: item.GetMetadata(name)))
                .Where(m => !string.IsNullOrEmpty(m.value))
                .ToDictionary(m => m.name, m => m.value, StringComparer.Ordinal))).ToList(),
            AppRepositoryDirectory = Get(nameof(AppRepositoryDirectory)),
            AllowDowngrade = Get(nameof(AllowDowngrade)),
            CommitMessage = Get(nameof(CommitMessage)),
            ReferenceFormat = Get(nameof(ReferenceFormat)),
            CommitAuthorName = Get(nameof(CommitAuthorName)),
            CommitAuthorEmail = Get(nameof(CommitAuthorEmail)),
            DryRun = Get(nameof(DryRun)),
            CommitSigningFormat = Get(nameof(CommitSigningFormat)),
            CommitSigningKey = Get(nameof(CommitSigningKey)),
            ArgoCdTrailers = Get(nameof(ArgoCdTrailers)),
            PushRetries = Get(nameof(PushRetries)),
            TimeoutSeconds = Get(nameof(TimeoutSeconds)),
            PullRequest = Get(nameof(PullRequest)),
            Forge = Get(nameof(Forge)),
            ForgeApiUrl = Get(nameof(ForgeApiUrl)),
            PullRequestTitle = Get(nameof(PullRequestTitle)),
            PullRequestLabels = Get(nameof(PullRequestLabels)),
            PullRequestDraft = Get(nameof(PullRequestDraft)),
            PullRequestReviewers = Get(nameof(PullRequestReviewers)),
            PullRequestAutoMerge = Get(nameof(PullRequestAutoMerge)),
            PullRequestMergeMethod = Get(nameof(PullRequestMergeMethod)),
            PullRequestSupersede = Get(nameof(PullRequestSupersede)),
            WaitForDeploy = Get(nameof(WaitForDeploy)),
            WaitTimeout = Get(nameof(WaitTimeout)),
            DeployStatusContexts = Get(nameof(DeployStatusContexts)),
            ArgoCdApplications = Get(nameof(ArgoCdApplications)),
            ArgoCdRefresh = Get(nameof(ArgoCdRefresh)),
        };
    }
}

/// <summary>A GitOpsManifest item: its path and the metadata it set.</summary>
internal sealed record ReleaseManifest(string Path, Dictionary<string, string> Metadata);
