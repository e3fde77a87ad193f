using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Forge.AzureDevOps;

/// <summary>
/// Pull requests through Azure DevOps' Git REST API 7.1. The repository is resolved to its id first (names may be
/// renamed, ids are what the pull request calls take); branches are full ref names (refs/heads/x); auto-complete is set
/// by the pull request's creator (the identity of the token, with no extra look-up).
/// </summary>
internal sealed class AzureDevOpsClient(ForgeHttp http) : IForgeClient
{
    private const string ApiVersion = AzureDevOpsRepository.ApiVersion;
    private const int PageSize = 100;

    // Azure DevOps refuses a longer description (TF401409).
    internal const int DescriptionLimit = 4000;

    private const string ZeroId = AzureDevOpsRepository.ZeroId;

    private readonly AzureDevOpsRepository repository = new(http);

    public ForgeRepository Repository => http.Repository;

    private string Project => ForgeCalls.Segment(http.Repository.Project ?? "");

    public async Task<string> CheckAccessAsync(string? baseBranch, CancellationToken cancellationToken)
    {
        var path = await RepositoryPathAsync(cancellationToken).ConfigureAwait(false);
        // An empty repository has no default branch yet.
        var branch = string.IsNullOrEmpty(baseBranch) ? Branch(repository.Resolved!.DefaultBranch) : baseBranch;
        if (branch.Length == 0 || await TipOfAsync(branch, cancellationToken).ConfigureAwait(false) is null)
            throw new GitOpsException(Errors.ForgeNotFound, Repository.Kind, http.DisplayApi, $"GET {path}/refs", Repository.FullName,
                branch.Length == 0 ? "(its default branch)" : branch);
        return branch;
    }

    public async Task<PullRequest?> FindOpenPullRequestAsync(string head, string baseBranch, CancellationToken cancellationToken)
    {
        var path = await RepositoryPathAsync(cancellationToken).ConfigureAwait(false) + "/pullrequests" + ForgeCalls.Query(
            ("searchCriteria.sourceRefName", Ref(head)), ("searchCriteria.targetRefName", Ref(baseBranch)),
            ("searchCriteria.status", "active"), ("api-version", ApiVersion));
        var found = await GetListAsync(http, path, AzureDevOpsJson.Default.ListAzurePullRequest, baseBranch, cancellationToken).ConfigureAwait(false);
        return found.Where(pr => pr.SourceRefName == Ref(head) && pr.TargetRefName == Ref(baseBranch)).Select(ToPullRequest).FirstOrDefault();
    }

    public async Task<PullRequest> OpenPullRequestAsync(PullRequestSpec spec, CancellationToken cancellationToken)
    {
        var body = new AzureCreatePullRequest(Ref(spec.Head), Ref(spec.Base), spec.Title, Description(spec.Body), spec.Draft ? true : null);
        var answer = await http.SendTolerantAsync(HttpMethod.Post,
            await RepositoryPathAsync(cancellationToken).ConfigureAwait(false) + "/pullrequests" + ForgeCalls.Query(("api-version", ApiVersion)),
            ForgeCalls.Json(body, AzureDevOpsJson.Default.AzureCreatePullRequest), spec.Base, cancellationToken, HttpStatusCode.Conflict).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.Conflict)
        {
            // TF401179: another run opened it between the look-up and the create.
            var existing = await FindOpenPullRequestAsync(spec.Head, spec.Base, cancellationToken).ConfigureAwait(false)
                ?? throw new GitOpsException(Errors.ForgeValidationFailed, Repository.Kind, http.DisplayApi, "POST pullrequests", 409, answer.Message);
            return await UpdatePullRequestAsync(existing, spec, cancellationToken).ConfigureAwait(false);
        }
        var opened = ToPullRequest(JsonSerializer.Deserialize(answer.Body, AzureDevOpsJson.Default.AzurePullRequest)!);
        await AddLabelsAndReviewersAsync(opened, spec, cancellationToken).ConfigureAwait(false);
        return opened;
    }

    public async Task<PullRequest> UpdatePullRequestAsync(PullRequest existing, PullRequestSpec spec, CancellationToken cancellationToken)
    {
        var updated = await PatchAsync(existing.Number, new AzureUpdatePullRequest(spec.Title, Description(spec.Body)), existing.Base,
            cancellationToken).ConfigureAwait(false);
        await AddLabelsAndReviewersAsync(updated, spec, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task<IReadOnlyList<PullRequest>> ListOpenPullRequestsAsync(string baseBranch, CancellationToken cancellationToken)
    {
        var all = new List<PullRequest>();
        var repositoryPath = await RepositoryPathAsync(cancellationToken).ConfigureAwait(false);
        for (var skip = 0; ; skip += PageSize)
        {
            var path = repositoryPath + "/pullrequests" + ForgeCalls.Query(("searchCriteria.targetRefName", Ref(baseBranch)),
                ("searchCriteria.status", "active"), ("$top", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("$skip", skip.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("api-version", ApiVersion));
            var found = await GetListAsync(http, path, AzureDevOpsJson.Default.ListAzurePullRequest, baseBranch, cancellationToken).ConfigureAwait(false);
            all.AddRange(found.Where(pr => pr.TargetRefName == Ref(baseBranch)).Select(ToPullRequest));
            if (found.Count < PageSize)
                return all;
        }
    }

    public async Task ClosePullRequestAsync(PullRequest pullRequest, string comment, CancellationToken cancellationToken)
    {
        var repositoryPath = await RepositoryPathAsync(cancellationToken).ConfigureAwait(false);
        var thread = new AzureThread([new AzureComment(comment, "text")], "closed");
        await http.SendAsync(HttpMethod.Post, $"{repositoryPath}/pullRequests/{pullRequest.Number}/threads" + ForgeCalls.Query(("api-version", ApiVersion)),
            ForgeCalls.Json(thread, AzureDevOpsJson.Default.AzureThread), pullRequest.Head, cancellationToken).ConfigureAwait(false);
        await PatchAsync(pullRequest.Number, new AzureUpdatePullRequest(Status: "abandoned"), pullRequest.Base, cancellationToken).ConfigureAwait(false);
        // A ref is deleted by updating it from its tip to the zero id; a branch already gone needs nothing.
        if (await TipOfAsync(pullRequest.Head, cancellationToken).ConfigureAwait(false) is { } tip)
        {
            List<AzureRefUpdate> update = [new AzureRefUpdate(Ref(pullRequest.Head), tip, ZeroId)];
            await http.SendAsync(HttpMethod.Post, repositoryPath + "/refs" + ForgeCalls.Query(("api-version", ApiVersion)),
                ForgeCalls.Json(update, AzureDevOpsJson.Default.ListAzureRefUpdate), pullRequest.Head, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<AutoMergeOutcome> EnableAutoMergeAsync(PullRequest pullRequest, MergeMethod method, CancellationToken cancellationToken)
    {
        var path = await PullRequestPathAsync(pullRequest.Number, cancellationToken).ConfigureAwait(false);
        // Auto-complete is set on behalf of an identity: the pull request's creator is the token's own.
        var current = await http.GetAsync(path + ForgeCalls.Query(("api-version", ApiVersion)), AzureDevOpsJson.Default.AzurePullRequest,
            pullRequest.Base, cancellationToken).ConfigureAwait(false);
        if (current.CreatedBy?.Id is not { Length: > 0 } identity)
            return new AutoMergeOutcome(AutoMergeState.Disabled, "the pull request names no creator to set auto-complete for");
        var strategy = method switch { MergeMethod.Squash => "squash", MergeMethod.Rebase => "rebase", _ => "noFastForward" };
        var body = new AzureUpdatePullRequest(AutoCompleteSetBy: new AzureIdentity(identity), CompletionOptions: new AzureCompletionOptions(strategy, true));
        // 400/409: a branch policy forbids the merge strategy, or the pull request cannot complete (draft, conflicts).
        var answer = await http.SendTolerantAsync(HttpMethod.Patch, path + ForgeCalls.Query(("api-version", ApiVersion)),
            ForgeCalls.Json(body, AzureDevOpsJson.Default.AzureUpdatePullRequest), pullRequest.Head, cancellationToken,
            HttpStatusCode.BadRequest, HttpStatusCode.Conflict).ConfigureAwait(false);
        return answer.IsSuccess ? AutoMergeOutcome.Enabled : new AutoMergeOutcome(AutoMergeState.Disabled, answer.Message);
    }

    public async Task<PullRequestState> ReadStateAsync(PullRequest pullRequest, CancellationToken cancellationToken)
    {
        var pr = await http.GetAsync(await PullRequestPathAsync(pullRequest.Number, cancellationToken).ConfigureAwait(false)
            + ForgeCalls.Query(("api-version", ApiVersion)), AzureDevOpsJson.Default.AzurePullRequest, pullRequest.Base, cancellationToken).ConfigureAwait(false);
        return pr.Status switch
        {
            // Completion merges in the background: lastMergeCommit is the commit it made on the target once it is known.
            "completed" => new PullRequestState(PullRequestStatus.Merged, pr.LastMergeCommit?.CommitId is { Length: > 0 } commit ? commit : null),
            "abandoned" => new PullRequestState(PullRequestStatus.Closed),
            _ => new PullRequestState(PullRequestStatus.Open, AutoMerge: pr.AutoCompleteSetBy?.Id is { Length: > 0 }),
        };
    }

    public void Dispose() => http.Dispose();

    private static string Ref(string branch) => AzureDevOpsRepository.Ref(branch);

    private static string Branch(string? refName) => AzureDevOpsRepository.Branch(refName);

    /// <summary>
    /// The body within Azure DevOps' limit. A closing HTML comment (the hidden block by which a later run recognises the
    /// pull request) is kept whole: the cut is made before it.
    /// </summary>
    internal static string Description(string body)
    {
        if (body.Length <= DescriptionLimit)
            return body;
        const string Cut = "\n…\n";
        var tailStart = body.LastIndexOf("<!--", StringComparison.Ordinal);
        var tail = tailStart >= 0 && body.Length - tailStart <= DescriptionLimit / 2 ? body[tailStart..] : "";
        return body[..(DescriptionLimit - Cut.Length - tail.Length)] + Cut + tail;
    }

    private Task<string> RepositoryPathAsync(CancellationToken cancellationToken) => repository.PathAsync(cancellationToken);

    private async Task<string> PullRequestPathAsync(long number, CancellationToken cancellationToken) =>
        $"{await RepositoryPathAsync(cancellationToken).ConfigureAwait(false)}/pullrequests/{number}";

    private Task<string?> TipOfAsync(string branch, CancellationToken cancellationToken) => repository.TipOfAsync(branch, cancellationToken);

    private async Task<PullRequest> PatchAsync(long number, AzureUpdatePullRequest body, string branch, CancellationToken cancellationToken)
    {
        var path = await PullRequestPathAsync(number, cancellationToken).ConfigureAwait(false) + ForgeCalls.Query(("api-version", ApiVersion));
        return ToPullRequest(await http.SendAsync(HttpMethod.Patch, path, body, AzureDevOpsJson.Default.AzureUpdatePullRequest,
            AzureDevOpsJson.Default.AzurePullRequest, branch, cancellationToken).ConfigureAwait(false));
    }

    private async Task AddLabelsAndReviewersAsync(PullRequest pullRequest, PullRequestSpec spec, CancellationToken cancellationToken)
    {
        // The labels and reviewer calls live under pullRequests (capital R) in git.json, as the threads call does.
        var path = $"{await RepositoryPathAsync(cancellationToken).ConfigureAwait(false)}/pullRequests/{pullRequest.Number}";
        foreach (var label in spec.Labels)
            await http.SendAsync(HttpMethod.Post, path + "/labels" + ForgeCalls.Query(("api-version", ApiVersion)),
                ForgeCalls.Json(new AzureLabel(label), AzureDevOpsJson.Default.AzureLabel), spec.Head, cancellationToken).ConfigureAwait(false);
        var unknown = new List<string>();
        foreach (var reviewer in spec.Reviewers)
        {
            // Reviewers are identities: Azure DevOps takes their ids (GUIDs), not names.
            if (!Guid.TryParse(reviewer, out _))
            {
                unknown.Add(reviewer);
                continue;
            }
            await http.SendAsync(HttpMethod.Put, $"{path}/reviewers/{ForgeCalls.Segment(reviewer)}" + ForgeCalls.Query(("api-version", ApiVersion)),
                ForgeCalls.Json(new AzureReviewerVote(0), AzureDevOpsJson.Default.AzureReviewerVote), spec.Head, cancellationToken).ConfigureAwait(false);
        }
        if (unknown.Count > 0)
            http.Log.Warning(Errors.PullRequestFollowUpFailed, pullRequest.Url, $"adding the reviewers {string.Join(", ", unknown)}",
                "Azure DevOps takes reviewers as identity ids (GUIDs) in GitOpsPullRequestReviewers");
    }

    /// <summary>
    /// A collection answer. The service wraps collections as {"count": n, "value": [...]}; git.json describes them as
    /// the bare array: both are read.
    /// </summary>
    internal static async Task<List<T>> GetListAsync<T>(ForgeHttp http, string path, JsonTypeInfo<List<T>> type, string? branch, CancellationToken cancellationToken)
    {
        var document = await http.GetAsync(path, AzureDevOpsJson.Default.JsonElement, branch, cancellationToken).ConfigureAwait(false);
        return ListOf(document, type);
    }

    /// <summary>The list in a collection answer, wrapped or bare.</summary>
    internal static List<T> ListOf<T>(JsonElement document, JsonTypeInfo<List<T>> type)
    {
        var list = document.ValueKind == JsonValueKind.Object && document.TryGetProperty("value", out var value) ? value : document;
        return list.ValueKind == JsonValueKind.Array ? list.Deserialize(type) ?? [] : [];
    }

    private PullRequest ToPullRequest(AzurePullRequest pr) =>
        new(pr.PullRequestId, WebUrl(pr.PullRequestId), Branch(pr.SourceRefName), Branch(pr.TargetRefName), pr.Title ?? "", pr.Description ?? "");

    /// <summary>The page users open: the repository's web URL + /pullrequest/{id} (the body's url is the API's).</summary>
    private string WebUrl(long number) =>
        repository.Resolved?.WebUrl is { Length: > 0 } web ? $"{web.TrimEnd('/')}/pullrequest/{number}"
            : $"{http.Repository.ApiRoot.ToString().TrimEnd('/')}/{Project}/_git/{ForgeCalls.Segment(http.Repository.Name)}/pullrequest/{number}";
}
