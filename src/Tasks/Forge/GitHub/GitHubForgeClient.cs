using System.Net;
using GitOps.Build.Diagnostics;
using Octokit;
using Octokit.Internal;

namespace GitOps.Build.Forge.GitHub;

/// <summary>
/// GitHub (and GitHub Enterprise Server) through Octokit, the .NET standard client, running on <see cref="ForgeHttp"/>'s
/// handler so proxy, CA, deadline, Ctrl+C, rate limits and credential scoping are ours. Auto-merge, which only
/// GraphQL offers, goes through <see cref="GitHubAutoMerge"/> on the same stack.
/// </summary>
internal sealed class GitHubForgeClient : IForgeClient
{
    private readonly ForgeHttp http;
    private readonly Octokit.GitHubClient client;

    public GitHubForgeClient(ForgeHttp http)
    {
        this.http = http;
        client = CreateOctokit(http, Credentials.Anonymous);
    }

    public ForgeRepository Repository => http.Repository;

    private string Owner => Repository.Owner;

    private string Name => Repository.Name;

    /// <summary>
    /// Octokit on our handler. Its credentials stay anonymous for tokens (the handler adds them, to the API origin only);
    /// the App's JWT is given as Octokit credentials for the token exchange alone.
    /// </summary>
    internal static Octokit.GitHubClient CreateOctokit(ForgeHttp http, Credentials credentials)
    {
        var connection = new Connection(new ProductHeaderValue("GitOps.Build"), http.Repository.ApiRoot,
            new InMemoryCredentialStore(credentials), new HttpClientAdapter(http.CreateHandler), new SimpleJsonSerializer());
        return new Octokit.GitHubClient(connection);
    }

    public async Task<string> CheckAccessAsync(string? baseBranch, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(baseBranch))
        {
            var repository = await Call($"GET /repos/{Owner}/{Name}", null, () => client.Repository.Get(Owner, Name)).ConfigureAwait(false);
            return repository.DefaultBranch;
        }
        await Call($"GET /repos/{Owner}/{Name}/branches/{baseBranch}", baseBranch, () => client.Repository.Branch.Get(Owner, Name, baseBranch)).ConfigureAwait(false);
        return baseBranch;
    }

    public async Task<PullRequest?> FindOpenPullRequestAsync(string head, string baseBranch, CancellationToken cancellationToken)
    {
        var found = await Call($"GET /repos/{Owner}/{Name}/pulls", baseBranch, () => client.PullRequest.GetAllForRepository(Owner, Name,
            new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{Owner}:{head}", Base = baseBranch })).ConfigureAwait(false);
        // The filter is the server's; the check is ours (a fork's branch of the same name is not ours).
        return found.Where(pr => pr.Head?.Ref == head && pr.Base?.Ref == baseBranch
                                 && (pr.Head.Repository?.FullName is not { } from || string.Equals(from, $"{Owner}/{Name}", StringComparison.OrdinalIgnoreCase)))
            .OrderBy(pr => pr.Number).Select(ToPullRequest).FirstOrDefault();
    }

    public async Task<PullRequest> OpenPullRequestAsync(PullRequestSpec spec, CancellationToken cancellationToken)
    {
        var created = await Call($"POST /repos/{Owner}/{Name}/pulls", spec.Base, () => client.PullRequest.Create(Owner, Name,
            new NewPullRequest(spec.Title, spec.Head, spec.Base) { Body = spec.Body, Draft = spec.Draft })).ConfigureAwait(false);
        var pullRequest = ToPullRequest(created);
        await AddExtras(pullRequest, spec).ConfigureAwait(false);
        return pullRequest;
    }

    public async Task<PullRequest> UpdatePullRequestAsync(PullRequest existing, PullRequestSpec spec, CancellationToken cancellationToken)
    {
        var updated = await Call($"PATCH /repos/{Owner}/{Name}/pulls/{existing.Number}", spec.Base, () => client.PullRequest.Update(Owner, Name,
            (int)existing.Number, new PullRequestUpdate { Title = spec.Title, Body = spec.Body })).ConfigureAwait(false);
        var pullRequest = ToPullRequest(updated);
        await AddExtras(pullRequest, spec).ConfigureAwait(false);
        return pullRequest;
    }

    public async Task<IReadOnlyList<PullRequest>> ListOpenPullRequestsAsync(string baseBranch, CancellationToken cancellationToken)
    {
        var found = await Call($"GET /repos/{Owner}/{Name}/pulls", baseBranch, () => client.PullRequest.GetAllForRepository(Owner, Name,
            new PullRequestRequest { State = ItemStateFilter.Open, Base = baseBranch })).ConfigureAwait(false);
        return [.. found.Where(pr => pr.Base?.Ref == baseBranch).Select(ToPullRequest)];
    }

    public async Task ClosePullRequestAsync(PullRequest pullRequest, string comment, CancellationToken cancellationToken)
    {
        var number = pullRequest.Number;
        await Call($"POST /repos/{Owner}/{Name}/issues/{number}/comments", pullRequest.Base,
            () => client.Issue.Comment.Create(Owner, Name, number, comment)).ConfigureAwait(false);
        await Call($"PATCH /repos/{Owner}/{Name}/pulls/{number}", pullRequest.Base,
            () => client.PullRequest.Update(Owner, Name, (int)number, new PullRequestUpdate { State = ItemState.Closed })).ConfigureAwait(false);
        await Call($"DELETE /repos/{Owner}/{Name}/git/refs/heads/{pullRequest.Head}", pullRequest.Head,
            async () => { await client.Git.Reference.Delete(Owner, Name, "heads/" + pullRequest.Head).ConfigureAwait(false); return true; }).ConfigureAwait(false);
    }

    public Task<AutoMergeOutcome> EnableAutoMergeAsync(PullRequest pullRequest, MergeMethod method, CancellationToken cancellationToken) =>
        GitHubAutoMerge.EnableAsync(http, pullRequest, method, cancellationToken);

    public async Task<PullRequestState> ReadStateAsync(PullRequest pullRequest, CancellationToken cancellationToken)
    {
        var pr = await Call($"GET /repos/{Owner}/{Name}/pulls/{pullRequest.Number}", pullRequest.Base,
            () => client.PullRequest.Get(Owner, Name, (int)pullRequest.Number)).ConfigureAwait(false);
        // merge_commit_sha is the commit on the base branch once merged: the merge commit, the squashed or the last rebased one.
        if (pr.Merged)
            return new PullRequestState(PullRequestStatus.Merged, string.IsNullOrEmpty(pr.MergeCommitSha) ? null : pr.MergeCommitSha);
        return pr.State.Value == ItemState.Closed
            ? new PullRequestState(PullRequestStatus.Closed)
            : new PullRequestState(PullRequestStatus.Open); // Octokit 14 does not read auto_merge
    }

    public void Dispose() => http.Dispose();

    private async Task AddExtras(PullRequest pullRequest, PullRequestSpec spec)
    {
        var number = pullRequest.Number;
        if (spec.Labels.Count > 0)
            await Call($"POST /repos/{Owner}/{Name}/issues/{number}/labels", spec.Base,
                () => client.Issue.Labels.AddToIssue(Owner, Name, number, [.. spec.Labels])).ConfigureAwait(false);
        if (spec.Reviewers.Count > 0)
        {
            // "org/team" names a team (its slug after the slash); anything else a user.
            var teams = spec.Reviewers.Where(r => r.Contains('/')).Select(r => r[(r.IndexOf('/') + 1)..]).ToList();
            var users = spec.Reviewers.Where(r => !r.Contains('/')).ToList();
            await Call($"POST /repos/{Owner}/{Name}/pulls/{number}/requested_reviewers", spec.Base,
                () => client.PullRequest.ReviewRequest.Create(Owner, Name, (int)number, new PullRequestReviewRequest(users, teams))).ConfigureAwait(false);
        }
    }

    private static PullRequest ToPullRequest(Octokit.PullRequest pr) =>
        new(pr.Number, pr.HtmlUrl, pr.Head?.Ref ?? "", pr.Base?.Ref ?? "", pr.Title ?? "", pr.Body ?? "", pr.NodeId);

    private Task<T> Call<T>(string operation, string? branch, Func<Task<T>> call) => Call(http, operation, branch, call);

    /// <summary>One Octokit call, its failure as our coded error (the handler's own first, Octokit may wrap it).</summary>
    internal static async Task<T> Call<T>(ForgeHttp http, string operation, string? branch, Func<Task<T>> call)
    {
        try
        {
            // Octokit gives null for a 2xx answer that is not JSON (a sign-in page's HTML): no object to read.
            return await call().ConfigureAwait(false) is { } result ? result
                : throw new GitOpsException(Errors.ApiAnswerUnusable, http.Repository.Kind, http.DisplayApi, operation, "not the JSON expected");
        }
        catch (GitOpsException)
        {
            throw;
        }
        catch (ApiException e)
        {
            if (http.Failure is { } recorded) throw recorded;
            var headers = e.HttpResponse?.Headers;
            string? Header(string name) => headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            var challenges = Header("WWW-Authenticate") is { } challenge ? new[] { challenge } : [];
            throw ForgeFailure.From(http, e.StatusCode, Header, challenges, e.HttpResponse?.Body as string ?? e.ApiError?.Message ?? e.Message, operation, branch);
        }
        catch (Exception e) when (e is not OperationCanceledException || http.Failure is not null)
        {
            if (http.Failure is { } recorded) throw recorded;
            throw new GitOpsException(e, Errors.ForgeRequestFailed, http.Repository.Kind, http.DisplayApi, operation, UrlRedactor.Redact(e.Message));
        }
    }

    private async Task Call(string operation, string? branch, Func<Task> call) =>
        await Call(operation, branch, async () => { await call().ConfigureAwait(false); return true; }).ConfigureAwait(false);
}
