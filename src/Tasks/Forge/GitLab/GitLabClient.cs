using System.Globalization;
using System.Net;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge.GitLab;

/// <summary>
/// Merge requests through GitLab's REST API v4. The project is addressed by its URL-encoded namespace path
/// (group%2Fsubgroup%2Fconfig), so no id lookup is needed; a create that answers 409 found one already open.
/// </summary>
internal sealed class GitLabClient(ForgeHttp http) : IForgeClient
{
    private const int PageSize = 100;

    // GitLab shows a merge request whose title starts so as a draft; its create call has no draft field.
    private const string DraftPrefix = "Draft: ";

    private readonly string project = ProjectPath(http.Repository);

    public ForgeRepository Repository => http.Repository;

    /// <summary>projects/group%2Fsubgroup%2Fconfig: the project by its URL-encoded path.</summary>
    internal static string ProjectPath(ForgeRepository repository) => "projects/" + ForgeCalls.Segment(repository.Owner + "/" + repository.Name);

    public async Task<string> CheckAccessAsync(string? baseBranch, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(baseBranch))
        {
            await http.GetAsync($"{project}/repository/branches/{ForgeCalls.Segment(baseBranch)}", GitLabJson.Default.GitLabBranch,
                baseBranch, cancellationToken).ConfigureAwait(false);
            return baseBranch;
        }
        return await DefaultBranchAsync(http, project, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The project's default branch (GitOpsConfigBranch unset), for merge requests and API commits alike.</summary>
    internal static async Task<string> DefaultBranchAsync(ForgeHttp http, string project, CancellationToken cancellationToken)
    {
        // The vendored description has no project read: the branch list marks the default branch.
        for (var page = 1; ; page++)
        {
            http.CheckPage(page, $"GET /{project}/repository/branches");
            var branches = await http.GetAsync($"{project}/repository/branches" + ForgeCalls.Query(("per_page", PageSize.ToString(CultureInfo.InvariantCulture)),
                ("page", page.ToString(CultureInfo.InvariantCulture))), GitLabJson.Default.ListGitLabBranch, null, cancellationToken).ConfigureAwait(false);
            if (branches.FirstOrDefault(branch => branch.Default == true)?.Name is { Length: > 0 } name)
                return name;
            if (branches.Count < PageSize)
                throw new GitOpsException(Errors.ForgeNotFound, http.Repository.Kind, http.DisplayApi, $"GET /{project}/repository/branches",
                    http.Repository.FullName, "(its default branch)");
        }
    }

    public async Task<PullRequest?> FindOpenPullRequestAsync(string head, string baseBranch, CancellationToken cancellationToken)
    {
        var found = await http.GetAsync(project + "/merge_requests" + ForgeCalls.Query(("state", "opened"), ("source_branch", head),
            ("target_branch", baseBranch), ("per_page", "20")), GitLabJson.Default.ListGitLabMergeRequest, baseBranch, cancellationToken).ConfigureAwait(false);
        return found.Where(mr => mr.SourceBranch == head && mr.TargetBranch == baseBranch).Select(ToPullRequest).FirstOrDefault();
    }

    public async Task<PullRequest> OpenPullRequestAsync(PullRequestSpec spec, CancellationToken cancellationToken)
    {
        var (reviewerIds, unknown) = ReviewerIds(spec.Reviewers);
        var body = new GitLabCreateMergeRequest(Title(spec), spec.Head, spec.Base, spec.Body, spec.Labels.Count == 0 ? null : spec.Labels,
            reviewerIds.Count == 0 ? null : reviewerIds);
        var answer = await http.SendTolerantAsync(HttpMethod.Post, project + "/merge_requests",
            ForgeCalls.Json(body, GitLabJson.Default.GitLabCreateMergeRequest), spec.Base, cancellationToken, HttpStatusCode.Conflict).ConfigureAwait(false);
        PullRequest opened;
        if (answer.Status == HttpStatusCode.Conflict)
        {
            // Another run opened it between the look-up and the create: update that one instead of failing.
            var existing = await FindOpenPullRequestAsync(spec.Head, spec.Base, cancellationToken).ConfigureAwait(false)
                ?? throw new GitOpsException(Errors.ForgeValidationFailed, Repository.Kind, http.DisplayApi, "POST /" + project + "/merge_requests", 409, answer.Message);
            opened = await UpdatePullRequestAsync(existing, spec, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            opened = ToPullRequest(http.ParseJson(answer.Body, "POST /" + project + "/merge_requests", GitLabJson.Default.GitLabMergeRequest));
        }
        if (unknown.Count > 0)
            http.Log.Warning(Errors.PullRequestFollowUpFailed, opened.Url, $"requesting the reviewers {string.Join(", ", unknown)}",
                "GitLab takes reviewers as numeric user ids in GitOpsPullRequestReviewers");
        return opened;
    }

    public async Task<PullRequest> UpdatePullRequestAsync(PullRequest existing, PullRequestSpec spec, CancellationToken cancellationToken)
    {
        var body = new GitLabUpdateMergeRequest(Title(spec), spec.Body, spec.Labels.Count == 0 ? null : spec.Labels);
        return await PutMergeRequestAsync(existing.Number, body, existing.Base, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PullRequest>> ListOpenPullRequestsAsync(string baseBranch, CancellationToken cancellationToken)
    {
        var all = new List<PullRequest>();
        for (var page = 1; ; page++)
        {
            http.CheckPage(page, $"GET /{project}/merge_requests");
            var found = await http.GetAsync(project + "/merge_requests" + ForgeCalls.Query(("state", "opened"), ("target_branch", baseBranch),
                ("per_page", PageSize.ToString(CultureInfo.InvariantCulture)), ("page", page.ToString(CultureInfo.InvariantCulture))),
                GitLabJson.Default.ListGitLabMergeRequest, baseBranch, cancellationToken).ConfigureAwait(false);
            all.AddRange(found.Where(mr => mr.TargetBranch == baseBranch).Select(ToPullRequest));
            if (found.Count < PageSize)
                return all;
        }
    }

    public async Task ClosePullRequestAsync(PullRequest pullRequest, string comment, CancellationToken cancellationToken)
    {
        // The vendored description has no notes (comments) operation: the link to the new merge request goes at the
        // end of the closed one's description instead.
        var body = new GitLabUpdateMergeRequest(Description: pullRequest.Body + "\n\n---\n\n" + comment, StateEvent: "close");
        await PutMergeRequestAsync(pullRequest.Number, body, pullRequest.Base, cancellationToken).ConfigureAwait(false);
        await http.SendAsync(HttpMethod.Delete, $"{project}/repository/branches/{ForgeCalls.Segment(pullRequest.Head)}", null, pullRequest.Head,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<AutoMergeOutcome> EnableAutoMergeAsync(PullRequest pullRequest, MergeMethod method, CancellationToken cancellationToken)
    {
        // GitLab merges with the project's merge method; squash is the one a merge request can choose itself.
        var body = new GitLabMerge(AutoMerge: true, Squash: method == MergeMethod.Squash ? true : null, ShouldRemoveSourceBranch: true);
        // 405: not mergeable now (draft, conflicts, blocked); 406/422: auto-merge not available for this project or pipeline.
        var answer = await http.SendTolerantAsync(HttpMethod.Put, $"{project}/merge_requests/{pullRequest.Number}/merge",
            ForgeCalls.Json(body, GitLabJson.Default.GitLabMerge), pullRequest.Head, cancellationToken,
            HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotAcceptable, HttpStatusCode.UnprocessableEntity).ConfigureAwait(false);
        return answer.IsSuccess ? AutoMergeOutcome.Enabled : new AutoMergeOutcome(AutoMergeState.Disabled, answer.Message);
    }

    public async Task<PullRequestState> ReadStateAsync(PullRequest pullRequest, CancellationToken cancellationToken)
    {
        var mr = await http.GetAsync($"{project}/merge_requests/{pullRequest.Number}", GitLabJson.Default.GitLabMergeRequest, pullRequest.Base,
            cancellationToken).ConfigureAwait(false);
        return mr.State switch
        {
            // The commit on the target branch: the merge commit; with fast-forward merges the squashed commit, else the head itself.
            "merged" => new PullRequestState(PullRequestStatus.Merged, NonEmpty(mr.MergeCommitSha) ?? NonEmpty(mr.SquashCommitSha) ?? NonEmpty(mr.Sha)),
            "closed" => new PullRequestState(PullRequestStatus.Closed),
            // opened, and locked (the moment GitLab merges it)
            _ => new PullRequestState(PullRequestStatus.Open, AutoMerge: mr.MergeWhenPipelineSucceeds == true),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    public void Dispose() => http.Dispose();

    private async Task<PullRequest> PutMergeRequestAsync(long iid, GitLabUpdateMergeRequest body, string branch, CancellationToken cancellationToken)
    {
        var path = $"{project}/merge_requests/{iid}";
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = ForgeCalls.Json(body, GitLabJson.Default.GitLabUpdateMergeRequest) };
        using var response = await http.SendAsync(request, branch, cancellationToken).ConfigureAwait(false);
        return ToPullRequest(await http.ReadJsonAsync(request, response, GitLabJson.Default.GitLabMergeRequest, cancellationToken).ConfigureAwait(false));
    }

    private static string Title(PullRequestSpec spec) =>
        spec.Draft && !spec.Title.StartsWith(DraftPrefix, StringComparison.OrdinalIgnoreCase) ? DraftPrefix + spec.Title : spec.Title;

    private static (List<long> Ids, List<string> Unknown) ReviewerIds(IReadOnlyList<string> reviewers)
    {
        var ids = new List<long>();
        var unknown = new List<string>();
        foreach (var reviewer in reviewers)
        {
            if (long.TryParse(reviewer, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                ids.Add(id);
            else
                unknown.Add(reviewer);
        }
        return (ids, unknown);
    }

    private static PullRequest ToPullRequest(GitLabMergeRequest mr) =>
        new(mr.Iid, mr.WebUrl ?? "", mr.SourceBranch ?? "", mr.TargetBranch ?? "", mr.Title ?? "", mr.Description ?? "");
}
