namespace GitOps.Build.Forge;

/// <summary>What a pull request should be: from the pushed branch into the config branch, with its text and extras.</summary>
/// <param name="Head">The branch the deploy commit was pushed to (no refs/heads/ prefix).</param>
/// <param name="Base">The branch to merge into (GitOpsConfigBranch).</param>
/// <param name="Title">The commit subject, or GitOpsPullRequestTitle.</param>
/// <param name="Body">Markdown: images, digests, source links, build URL, diff, and the deploy trailers.</param>
/// <param name="Labels">GitOpsPullRequestLabels, where the forge has labels.</param>
/// <param name="Draft">GitOpsPullRequestDraft, where the forge has drafts.</param>
/// <param name="Reviewers">GitOpsPullRequestReviewers: user names (GitHub teams as org/team), where the forge has reviewers.</param>
internal sealed record PullRequestSpec(
    string Head,
    string Base,
    string Title,
    string Body,
    IReadOnlyList<string> Labels,
    bool Draft,
    IReadOnlyList<string> Reviewers);

/// <summary>An open pull request as the forge reports it.</summary>
/// <param name="Number">The number users see (GitLab: the merge request's iid; Azure DevOps: pullRequestId).</param>
/// <param name="Url">The web page of the pull request (not its API URL).</param>
/// <param name="Head">Source branch, without refs/heads/.</param>
/// <param name="Base">Target branch, without refs/heads/.</param>
/// <param name="Title">Its title.</param>
/// <param name="Body">Its description (the supersede pass reads the trailers in it).</param>
/// <param name="ForgeId">The forge's other id where a call needs it (GitHub's GraphQL node id), else null.</param>
internal sealed record PullRequest(long Number, string Url, string Head, string Base, string Title, string Body, string? ForgeId = null);

/// <summary>GitOpsPullRequestMergeMethod.</summary>
internal enum MergeMethod
{
    Merge,
    Squash,
    Rebase,
}

/// <summary>What asking the forge to merge on green checks gave.</summary>
internal enum AutoMergeState
{
    /// <summary>The forge merges the pull request once its checks pass (or merged it already).</summary>
    Enabled,

    /// <summary>The repository (or its policy) does not allow it: warning GITOPS078, the pull request stays open.</summary>
    Disabled,
}

/// <param name="State">Enabled or disabled on this repository.</param>
/// <param name="Detail">For <see cref="AutoMergeState.Disabled"/>: what the forge said, for the warning.</param>
internal sealed record AutoMergeOutcome(AutoMergeState State, string? Detail = null)
{
    public static readonly AutoMergeOutcome Enabled = new(AutoMergeState.Enabled);
}
