namespace GitOps.Build.Tasks;

/// <summary>
/// One project's part of a release, as <see cref="WriteReleaseEntry"/> leaves it in the release directory for
/// <see cref="DeployRelease"/>: the config update's inputs, exactly as the project's targets gave them.
/// </summary>
internal sealed record ReleaseEntry
{
    public string? ConfigRepository { get; init; }
    public string? ConfigBranch { get; init; }
    public string? ConfigPushBranch { get; init; }
    public string? ResultFile { get; init; }
    public List<ReleaseManifest> Manifests { get; init; } = [];
    public string? Image { get; init; }
    public string? ImageDigest { get; init; }
    public string? SourceCommit { get; init; }
    public string? SourceRepositoryUrl { get; init; }
    public string? AppRepositoryDirectory { get; init; }
    public string? AllowDowngrade { get; init; }
    public string? ProjectPath { get; init; }
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
}

/// <summary>A GitOpsManifest item: its path and the metadata it set.</summary>
internal sealed record ReleaseManifest(string Path, Dictionary<string, string> Metadata);
