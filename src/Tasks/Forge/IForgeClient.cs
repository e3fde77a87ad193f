namespace GitOps.Build.Forge;

/// <summary>
/// The calls a deploy makes on a forge, each in the forge's own API. One implementation per <see cref="ForgeKind"/>;
/// all go through <see cref="ForgeHttp"/>, so credentials, proxy, CA, the deadline, Ctrl+C and rate limits behave
/// alike, and every failure is one of the coded errors GITOPS125-130.
/// Branch names are given without refs/heads/; pull requests are only those whose base is in this repository.
/// </summary>
internal interface IForgeClient : IDisposable
{
    ForgeRepository Repository { get; }

    /// <summary>
    /// One read before anything is pushed: the token is valid and sees the repository and its base branch (a bad token
    /// must not leave a branch behind). Throws the coded error otherwise. <paramref name="baseBranch"/> null or empty
    /// (GitOpsConfigBranch unset): reads the repository instead, and returns its default branch.
    /// </summary>
    /// <returns>The base branch: <paramref name="baseBranch"/>, or the repository's default branch.</returns>
    Task<string> CheckAccessAsync(string? baseBranch, CancellationToken cancellationToken);

    /// <summary>The open pull request from <paramref name="head"/> into <paramref name="baseBranch"/>, or null.</summary>
    Task<PullRequest?> FindOpenPullRequestAsync(string head, string baseBranch, CancellationToken cancellationToken);

    /// <summary>Opens the pull request, then adds its labels and reviewers (where the forge has them).</summary>
    Task<PullRequest> OpenPullRequestAsync(PullRequestSpec spec, CancellationToken cancellationToken);

    /// <summary>Updates an open pull request's title and body (and adds missing labels and reviewers).</summary>
    Task<PullRequest> UpdatePullRequestAsync(PullRequest existing, PullRequestSpec spec, CancellationToken cancellationToken);

    /// <summary>Every open pull request into <paramref name="baseBranch"/> (all pages), for the supersede pass to choose from.</summary>
    Task<IReadOnlyList<PullRequest>> ListOpenPullRequestsAsync(string baseBranch, CancellationToken cancellationToken);

    /// <summary>Comments on the pull request, closes (abandons, declines) it, and deletes its branch.</summary>
    Task ClosePullRequestAsync(PullRequest pullRequest, string comment, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the forge to merge the pull request once its checks pass. A repository that does not allow it gives
    /// <see cref="AutoMergeState.Disabled"/>; a forge with no such mechanism throws GITOPS132.
    /// </summary>
    Task<AutoMergeOutcome> EnableAutoMergeAsync(PullRequest pullRequest, MergeMethod method, CancellationToken cancellationToken);

    /// <summary>One read of the pull request: open, merged (with the commit the merge made on the base branch) or closed.</summary>
    Task<PullRequestState> ReadStateAsync(PullRequest pullRequest, CancellationToken cancellationToken);
}
