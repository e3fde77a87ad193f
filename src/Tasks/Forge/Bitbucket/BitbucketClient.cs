using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge.Bitbucket;

/// <summary>
/// Pull requests through Bitbucket Cloud's API 2.0, for {workspace}/{slug}. Open pull requests are listed (following
/// the pages' next links) and matched by branch; closing is a decline. Bitbucket Cloud has no merge-on-green-checks, so
/// auto-merge is refused with GITOPS132 rather than faked.
/// </summary>
internal sealed class BitbucketClient(ForgeHttp http) : IForgeClient
{
    private readonly string repo = $"repositories/{ForgeCalls.Segment(http.Repository.Owner)}/{ForgeCalls.Segment(http.Repository.Name)}";

    public ForgeRepository Repository => http.Repository;

    public async Task<string> CheckAccessAsync(string? baseBranch, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(baseBranch))
        {
            var repository = await http.GetAsync(repo, BitbucketJson.Default.BitbucketRepository, null, cancellationToken).ConfigureAwait(false);
            return repository.Mainbranch?.Name is { Length: > 0 } name ? name
                : throw new GitOpsException(Errors.ForgeNotFound, Repository.Kind, http.DisplayApi, $"GET /{repo}", Repository.FullName, "(its main branch)");
        }
        await http.GetAsync($"{repo}/refs/branches/{ForgeCalls.Segment(baseBranch)}", BitbucketJson.Default.BitbucketBranch, baseBranch, cancellationToken)
            .ConfigureAwait(false);
        return baseBranch;
    }

    public async Task<PullRequest?> FindOpenPullRequestAsync(string head, string baseBranch, CancellationToken cancellationToken) =>
        (await ListOpenPullRequestsAsync(baseBranch, cancellationToken).ConfigureAwait(false)).FirstOrDefault(pr => pr.Head == head);

    public async Task<PullRequest> OpenPullRequestAsync(PullRequestSpec spec, CancellationToken cancellationToken)
    {
        // A reviewer is an account: {uuid} in braces as Bitbucket prints it, else the Atlassian account id.
        var reviewers = spec.Reviewers.Select(reviewer => reviewer.StartsWith('{')
            ? new BitbucketAccount("user", Uuid: reviewer) : new BitbucketAccount("user", AccountId: reviewer)).ToList();
        var body = new BitbucketCreatePullRequest("pullrequest", spec.Title, spec.Body, Endpoint(spec.Head), Endpoint(spec.Base),
            spec.Draft ? true : null, reviewers.Count == 0 ? null : reviewers);
        return ToPullRequest(await http.SendAsync(HttpMethod.Post, repo + "/pullrequests", body, BitbucketJson.Default.BitbucketCreatePullRequest,
            BitbucketJson.Default.BitbucketPullRequest, spec.Base, cancellationToken).ConfigureAwait(false));
    }

    public async Task<PullRequest> UpdatePullRequestAsync(PullRequest existing, PullRequestSpec spec, CancellationToken cancellationToken) =>
        ToPullRequest(await http.SendAsync(HttpMethod.Put, $"{repo}/pullrequests/{existing.Number}",
            new BitbucketUpdatePullRequest("pullrequest", spec.Title, spec.Body), BitbucketJson.Default.BitbucketUpdatePullRequest,
            BitbucketJson.Default.BitbucketPullRequest, existing.Base, cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<PullRequest>> ListOpenPullRequestsAsync(string baseBranch, CancellationToken cancellationToken)
    {
        var all = new List<PullRequest>();
        string? page = repo + "/pullrequests" + ForgeCalls.Query(("state", "OPEN"));
        for (var number = 1; page is not null; number++)
        {
            var found = await http.GetAsync(page, BitbucketJson.Default.BitbucketPullRequestPage, baseBranch, cancellationToken).ConfigureAwait(false);
            all.AddRange((found.Values ?? []).Where(pr => pr.Destination?.Branch?.Name == baseBranch).Select(ToPullRequest));
            // The next page is an absolute URL on the API's origin (ForgeHttp sends credentials nowhere else).
            page = http.NextPage(found.Next, number, $"GET /{repo}/pullrequests");
        }
        return all;
    }

    public async Task ClosePullRequestAsync(PullRequest pullRequest, string comment, CancellationToken cancellationToken)
    {
        await http.SendAsync(HttpMethod.Post, $"{repo}/pullrequests/{pullRequest.Number}/comments",
            ForgeCalls.Json(new BitbucketComment("pullrequest_comment", new BitbucketContent(comment)), BitbucketJson.Default.BitbucketComment), pullRequest.Head,
            cancellationToken).ConfigureAwait(false);
        await http.SendAsync(HttpMethod.Post, $"{repo}/pullrequests/{pullRequest.Number}/decline", null, pullRequest.Head, cancellationToken)
            .ConfigureAwait(false);
        await http.SendAsync(HttpMethod.Delete, $"{repo}/refs/branches/{ForgeCalls.Segment(pullRequest.Head)}", null, pullRequest.Head, cancellationToken)
            .ConfigureAwait(false);
    }

    public Task<AutoMergeOutcome> EnableAutoMergeAsync(PullRequest pullRequest, MergeMethod method, CancellationToken cancellationToken) =>
        throw new GitOpsException(Errors.AutoMergeUnsupported, "Bitbucket Cloud");

    public async Task<PullRequestState> ReadStateAsync(PullRequest pullRequest, CancellationToken cancellationToken)
    {
        var pr = await http.GetAsync($"{repo}/pullrequests/{pullRequest.Number}", BitbucketJson.Default.BitbucketPullRequest, pullRequest.Base,
            cancellationToken).ConfigureAwait(false);
        switch (pr.State)
        {
            case "MERGED":
                if (pr.MergeCommit?.Hash is not { Length: > 0 } hash)
                    return new PullRequestState(PullRequestStatus.Merged);
                // The pull request names its merge commit by an abbreviated hash: the commit read gives the full id.
                if (hash.Length < 40)
                    hash = (await http.GetAsync($"{repo}/commit/{ForgeCalls.Segment(hash)}", BitbucketJson.Default.BitbucketCommit, pullRequest.Base,
                        cancellationToken).ConfigureAwait(false)).Hash ?? hash;
                return new PullRequestState(PullRequestStatus.Merged, hash);
            case "DECLINED" or "SUPERSEDED":
                return new PullRequestState(PullRequestStatus.Closed);
            default:
                return new PullRequestState(PullRequestStatus.Open);
        }
    }

    public void Dispose() => http.Dispose();

    private static BitbucketEndpoint Endpoint(string branch) => new(new BitbucketBranchName(branch));

    private static PullRequest ToPullRequest(BitbucketPullRequest pr) =>
        new(pr.Id, pr.Links?.Html?.Href ?? "", pr.Source?.Branch?.Name ?? "", pr.Destination?.Branch?.Name ?? "", pr.Title ?? "", pr.Description ?? "");
}
