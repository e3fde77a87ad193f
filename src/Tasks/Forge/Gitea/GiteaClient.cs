using System.Globalization;
using System.Net;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge.Gitea;

/// <summary>
/// Pull requests through the API v1 of Gitea and Forgejo. Labels are set by id (looked up by name once); a draft is
/// Gitea's "WIP:" title prefix; auto-merge is Gitea's scheduled merge (merge when checks succeed).
/// </summary>
internal sealed class GiteaClient(ForgeHttp http) : IForgeClient
{
    private const int PageSize = 50;

    // Gitea's default WORK_IN_PROGRESS_PREFIXES; its create call has no draft field.
    private const string DraftPrefix = "WIP: ";

    private readonly string repo = $"repos/{ForgeCalls.Segment(http.Repository.Owner)}/{ForgeCalls.Segment(http.Repository.Name)}";
    private Dictionary<string, long>? labelIds;

    public ForgeRepository Repository => http.Repository;

    public async Task<string> CheckAccessAsync(string? baseBranch, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(baseBranch))
        {
            var repository = await http.GetAsync(repo, GiteaJson.Default.GiteaRepository, null, cancellationToken).ConfigureAwait(false);
            return repository.DefaultBranch is { Length: > 0 } name ? name
                : throw new GitOpsException(Errors.ForgeNotFound, Repository.Kind, http.DisplayApi, $"GET /{repo}", Repository.FullName, "(its default branch)");
        }
        await http.GetAsync($"{repo}/branches/{ForgeCalls.Segment(baseBranch)}", GiteaJson.Default.GiteaBranch, baseBranch, cancellationToken)
            .ConfigureAwait(false);
        return baseBranch;
    }

    public async Task<PullRequest?> FindOpenPullRequestAsync(string head, string baseBranch, CancellationToken cancellationToken) =>
        (await OpenPullsAsync(baseBranch, cancellationToken).ConfigureAwait(false))
            .Where(pr => pr.Head?.Ref == head).Select(ToPullRequest).FirstOrDefault();

    public async Task<PullRequest> OpenPullRequestAsync(PullRequestSpec spec, CancellationToken cancellationToken)
    {
        var labels = await LabelIdsAsync(spec, cancellationToken).ConfigureAwait(false);
        var body = new GiteaCreatePullRequest(Title(spec), spec.Head, spec.Base, spec.Body, labels.Count == 0 ? null : labels);
        var answer = await http.SendTolerantAsync(HttpMethod.Post, repo + "/pulls", ForgeCalls.Json(body, GiteaJson.Default.GiteaCreatePullRequest),
            spec.Base, cancellationToken, HttpStatusCode.Conflict).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.Conflict)
        {
            // "pull request already exists for these targets": another run opened it after the look-up.
            var existing = await FindOpenPullRequestAsync(spec.Head, spec.Base, cancellationToken).ConfigureAwait(false)
                ?? throw new GitOpsException(Errors.ForgeValidationFailed, Repository.Kind, http.DisplayApi, $"POST /{repo}/pulls", 409, answer.Message);
            return await UpdatePullRequestAsync(existing, spec, cancellationToken).ConfigureAwait(false);
        }
        var opened = ToPullRequest(http.ParseJson(answer.Body, $"POST /{repo}/pulls", GiteaJson.Default.GiteaPullRequest));
        await RequestReviewersAsync(opened, spec, cancellationToken).ConfigureAwait(false);
        return opened;
    }

    public async Task<PullRequest> UpdatePullRequestAsync(PullRequest existing, PullRequestSpec spec, CancellationToken cancellationToken)
    {
        IReadOnlyList<long>? labels = null;
        var wanted = await LabelIdsAsync(spec, cancellationToken).ConfigureAwait(false);
        if (wanted.Count > 0)
        {
            // An edit replaces the labels: keep the ones someone added by hand.
            var current = await http.GetAsync($"{repo}/pulls/{existing.Number}", GiteaJson.Default.GiteaPullRequest, existing.Base, cancellationToken)
                .ConfigureAwait(false);
            labels = (current.Labels ?? []).Select(label => label.Id).Union(wanted).ToList();
        }
        var updated = await EditAsync(existing, new GiteaEditPullRequest(Title(spec), spec.Body, Labels: labels), cancellationToken).ConfigureAwait(false);
        await RequestReviewersAsync(updated, spec, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task<IReadOnlyList<PullRequest>> ListOpenPullRequestsAsync(string baseBranch, CancellationToken cancellationToken) =>
        (await OpenPullsAsync(baseBranch, cancellationToken).ConfigureAwait(false)).Select(ToPullRequest).ToList();

    public async Task ClosePullRequestAsync(PullRequest pullRequest, string comment, CancellationToken cancellationToken)
    {
        // A pull request is an issue with the same number: its comments go through the issues API.
        await http.SendAsync(HttpMethod.Post, $"{repo}/issues/{pullRequest.Number}/comments",
            ForgeCalls.Json(new GiteaComment(comment), GiteaJson.Default.GiteaComment), pullRequest.Head, cancellationToken).ConfigureAwait(false);
        await EditAsync(pullRequest, new GiteaEditPullRequest(State: "closed"), cancellationToken).ConfigureAwait(false);
        await http.SendAsync(HttpMethod.Delete, $"{repo}/branches/{ForgeCalls.Segment(pullRequest.Head)}", null, pullRequest.Head, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<AutoMergeOutcome> EnableAutoMergeAsync(PullRequest pullRequest, MergeMethod method, CancellationToken cancellationToken)
    {
        var style = method switch { MergeMethod.Squash => "squash", MergeMethod.Rebase => "rebase", _ => "merge" };
        var body = new GiteaMerge(style, MergeWhenChecksSucceed: true, DeleteBranchAfterMerge: true);
        // 405: the repository does not allow this merge style, or the pull request cannot be merged (scheduled) now.
        var answer = await http.SendTolerantAsync(HttpMethod.Post, $"{repo}/pulls/{pullRequest.Number}/merge",
            ForgeCalls.Json(body, GiteaJson.Default.GiteaMerge), pullRequest.Head, cancellationToken, HttpStatusCode.MethodNotAllowed).ConfigureAwait(false);
        return answer.IsSuccess ? AutoMergeOutcome.Enabled : new AutoMergeOutcome(AutoMergeState.Disabled, answer.Message);
    }

    public async Task<PullRequestState> ReadStateAsync(PullRequest pullRequest, CancellationToken cancellationToken)
    {
        var pr = await http.GetAsync($"{repo}/pulls/{pullRequest.Number}", GiteaJson.Default.GiteaPullRequest, pullRequest.Base, cancellationToken)
            .ConfigureAwait(false);
        if (pr.Merged == true)
            return new PullRequestState(PullRequestStatus.Merged, string.IsNullOrEmpty(pr.MergeCommitSha) ? null : pr.MergeCommitSha);
        return pr.State == "closed" ? new PullRequestState(PullRequestStatus.Closed) : new PullRequestState(PullRequestStatus.Open);
    }

    public void Dispose() => http.Dispose();

    private static string Title(PullRequestSpec spec) =>
        spec.Draft && !spec.Title.StartsWith(DraftPrefix, StringComparison.OrdinalIgnoreCase) ? DraftPrefix + spec.Title : spec.Title;

    private async Task<List<GiteaPullRequest>> OpenPullsAsync(string baseBranch, CancellationToken cancellationToken)
    {
        var all = new List<GiteaPullRequest>();
        for (var page = 1; ; page++)
        {
            http.CheckPage(page, $"GET /{repo}/pulls");
            var found = await http.GetAsync(repo + "/pulls" + ForgeCalls.Query(("state", "open"),
                ("page", page.ToString(CultureInfo.InvariantCulture)), ("limit", PageSize.ToString(CultureInfo.InvariantCulture))),
                GiteaJson.Default.ListGiteaPullRequest, baseBranch, cancellationToken).ConfigureAwait(false);
            all.AddRange(found.Where(pr => pr.Base?.Ref == baseBranch));
            if (found.Count < PageSize)
                return all;
        }
    }

    private async Task<PullRequest> EditAsync(PullRequest pullRequest, GiteaEditPullRequest body, CancellationToken cancellationToken) =>
        ToPullRequest(await http.SendAsync(HttpMethod.Patch, $"{repo}/pulls/{pullRequest.Number}", body, GiteaJson.Default.GiteaEditPullRequest,
            GiteaJson.Default.GiteaPullRequest, pullRequest.Base, cancellationToken).ConfigureAwait(false));

    /// <summary>The ids of GitOpsPullRequestLabels' names; a name the repository does not have is a warning, not a failure.</summary>
    private async Task<List<long>> LabelIdsAsync(PullRequestSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Labels.Count == 0)
            return [];
        if (labelIds is null)
        {
            labelIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            for (var page = 1; ; page++)
            {
                http.CheckPage(page, $"GET /{repo}/labels");
                var found = await http.GetAsync(repo + "/labels" + ForgeCalls.Query(("page", page.ToString(CultureInfo.InvariantCulture)),
                    ("limit", PageSize.ToString(CultureInfo.InvariantCulture))), GiteaJson.Default.ListGiteaLabel, spec.Base, cancellationToken).ConfigureAwait(false);
                foreach (var label in found.Where(label => label.Name is not null))
                    labelIds.TryAdd(label.Name!, label.Id);
                if (found.Count < PageSize)
                    break;
            }
        }
        var missing = spec.Labels.Where(name => !labelIds.ContainsKey(name)).ToList();
        if (missing.Count > 0)
            http.Log.Warning(Errors.PullRequestFollowUpFailed, $"from {spec.Head}", $"adding the labels {string.Join(", ", missing)}",
                $"{Repository.FullName} has no such labels (Gitea sets only labels that exist)");
        return spec.Labels.Where(labelIds.ContainsKey).Select(name => labelIds[name]).Distinct().ToList();
    }

    private async Task RequestReviewersAsync(PullRequest pullRequest, PullRequestSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Reviewers.Count == 0)
            return;
        await http.SendAsync(HttpMethod.Post, $"{repo}/pulls/{pullRequest.Number}/requested_reviewers",
            ForgeCalls.Json(new GiteaReviewRequest(spec.Reviewers), GiteaJson.Default.GiteaReviewRequest), spec.Head, cancellationToken).ConfigureAwait(false);
    }

    private static PullRequest ToPullRequest(GiteaPullRequest pr) =>
        new(pr.Number, pr.HtmlUrl ?? "", pr.Head?.Ref ?? "", pr.Base?.Ref ?? "", pr.Title ?? "", pr.Body ?? "");
}
