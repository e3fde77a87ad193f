namespace GitOps.Build.Forge;

/// <summary>Where a pull request stands: still open, merged into its base, or closed without a merge.</summary>
internal enum PullRequestStatus
{
    Open,
    Merged,
    Closed,
}

/// <summary>
/// One read of a pull request's state, for the wait on its merge (GitOpsWaitForDeploy under GitOpsPullRequest).
/// </summary>
/// <param name="Status">Open, merged or closed.</param>
/// <param name="MergeCommit">Merged: the full id of the commit the merge made on the base branch (the merge commit, the
/// squashed commit, or the last rebased one); null while the forge has not said yet (Azure DevOps completes in the background).</param>
/// <param name="AutoMerge">Open: the forge will merge it once its checks pass (where the forge says so).</param>
internal sealed record PullRequestState(PullRequestStatus Status, string? MergeCommit = null, bool AutoMerge = false)
{
    /// <summary>What a progress line shows; a new label is a change of state.</summary>
    public string Label => Status switch
    {
        PullRequestStatus.Open => AutoMerge ? "open, auto-merge on" : "open",
        PullRequestStatus.Merged => MergeCommit is null ? "merged, merge commit not known yet" : "merged",
        _ => "closed without a merge",
    };
}
