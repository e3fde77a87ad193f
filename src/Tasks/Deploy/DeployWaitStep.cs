using System.Diagnostics;
using GitOps.Build.ConfigRepo;
using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;
using GitOps.Build.Verdict;
using GitOps.Build.Verdict.ArgoCd;

namespace GitOps.Build.Deploy;

/// <summary>
/// What to wait on: <paramref name="Commit"/> on <paramref name="Branch"/> of <paramref name="Repository"/>, the branch
/// the agent watches. The caller names the commit: the one it pushed after a direct push (a pull request's merge
/// commit once the merge is waited for).
/// </summary>
internal sealed record DeployWaitRequest(ConfigRepositoryLocation Repository, string Branch, string Commit, DeployWaitOptions Options)
{
    /// <summary>"'main' of https://…/config.git": where it landed, as messages say it.</summary>
    public string Where => $"'{Branch}' of {Repository.DisplayUrl}";
}

/// <summary>
/// After the deploy commit landed: builds the sources the options name (Argo CD's API; the commit statuses through the
/// forge's API), then waits for their verdict (<see cref="DeployWaiter"/>) and returns it typed: success, failure
/// (GITOPS136) or timeout (GITOPS135). Other errors (settings, access) are thrown; Ctrl+C is OperationCanceledException.
/// Argo CD's revisions are checked against the config repository's history, asked only for a revision not seen before.
/// </summary>
/// <remarks>
/// openAncestry opens the ancestry check of a revision Argo CD synced (a clone of the branch, or the forge's API under
/// GitOpsCommitMethod=api), the first time one is asked; openStatuses opens the forge's status reader for the repository
/// with its credentials (both composed by the task).
/// </remarks>
internal sealed class DeployWaitStep(Func<DeployWaitOptions, ICommitAncestry> openAncestry, HttpTransportSettings http, Func<string, string?> getVariable,
    Func<ForgeRepository, DeployWaitOptions, IForgeStatusReader> openStatuses, IBuildLog log)
{
    /// <summary>How often to ask, for a timeout: 2 s to 15 s (tests ask faster).</summary>
    public Func<TimeSpan, WaitPolicy> Policy { get; init; } = WaitPolicy.For;

    /// <summary>The verdict on the request's commit. sinceLanded started when the commit reached the watched branch: the timeout and the timings count from there.</summary>
    public WaitOutcome Wait(DeployWaitRequest request, Stopwatch sinceLanded, CancellationToken cancellationToken)
    {
        var disposables = new List<IDisposable>();
        try
        {
            var waiter = new DeployWaiter(Sources(request, disposables, sinceLanded, cancellationToken), Policy(request.Options.Timeout), log);
            try
            {
                var verdict = waiter.WaitAsync(request.Commit, request.Where, sinceLanded, cancellationToken).GetAwaiter().GetResult();
                return new WaitOutcome(request.Commit, WaitOutcomeState.Success, verdict.Targets, verdict.Seconds, null);
            }
            catch (GitOpsException e) when (e.Code == Errors.DeployFailed.Code || e.Code == Errors.DeployNotConfirmed.Code)
            {
                var state = e.Code == Errors.DeployFailed.Code ? WaitOutcomeState.Failure : WaitOutcomeState.Timeout;
                return new WaitOutcome(request.Commit, state, waiter.LastTargets, Math.Round(sinceLanded.Elapsed.TotalSeconds, 1), e);
            }
        }
        finally
        {
            foreach (var disposable in disposables)
                disposable.Dispose();
        }
    }

    /// <summary>
    /// What the agent reports on the request's commit right now, without waiting (GitOpsStatus: the last verdict), each
    /// read bounded by the options' timeout.
    /// </summary>
    public IReadOnlyList<TargetObservation> Look(DeployWaitRequest request, CancellationToken cancellationToken)
    {
        var disposables = new List<IDisposable>();
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(request.Options.Timeout);
            var all = new List<TargetObservation>();
            foreach (var source in Sources(request, disposables, Stopwatch.StartNew(), bounded.Token))
                all.AddRange(source.ObserveAsync(request.Commit, bounded.Token).GetAwaiter().GetResult());
            return all;
        }
        finally
        {
            foreach (var disposable in disposables)
                disposable.Dispose();
        }
    }

    /// <summary>The sources the options name (GITOPS142 without any), their clients in <paramref name="disposables"/>.</summary>
    private List<IVerdictSource> Sources(DeployWaitRequest request, List<IDisposable> disposables, Stopwatch since, CancellationToken cancellationToken)
    {
        var options = request.Options;
        var sources = new List<IVerdictSource>();
        if (ArgoCdSettings.From(options.ArgoCdApplications, options.ArgoCdRefresh, getVariable) is { } argoCd)
        {
            var client = new ArgoCdClient(argoCd, http);
            disposables.Add(client);
            sources.Add(new ArgoCdSource(client, argoCd, Ancestry(request, disposables, since, cancellationToken)));
        }
        if (options.StatusContexts.Count > 0)
        {
            var statuses = openStatuses(ForgeRepository.Parse(request.Repository, options.Forge, options.ForgeApiUrl), options);
            disposables.Add(statuses);
            sources.Add(new CommitStatusSource(statuses, options.StatusContexts));
        }
        return sources.Count > 0 ? sources : throw new GitOpsException(Errors.WaitSourceMissing);
    }

    /// <summary>
    /// Whether a revision is the deploy commit or a later one; a revision asked once is remembered (ancestry never
    /// changes). The check is opened on the first revision asked (into <paramref name="disposables"/>), and each question
    /// ends with the wait's time: a check still running then is the wait's timeout (GITOPS135), not a run past it.
    /// </summary>
    private Func<string, bool> Ancestry(DeployWaitRequest request, List<IDisposable> disposables, Stopwatch since, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        ICommitAncestry? ancestry = null;
        return revision =>
        {
            if (string.Equals(revision, request.Commit, StringComparison.OrdinalIgnoreCase))
                return true;
            if (known.TryGetValue(revision, out var answer))
                return answer;
            // A name is not looked up (CommitAncestry), and once the wait's time is up nothing more is asked: an agent
            // that lists thousands of revisions would otherwise cost a clone (or the forge's calls) each, past GitOpsWaitTimeout.
            var left = request.Options.Timeout - since.Elapsed;
            if (!CommitAncestry.IsObjectId(revision) || left <= TimeSpan.Zero)
                return false;
            if (ancestry is null)
            {
                ancestry = openAncestry(request.Options);
                disposables.Add(ancestry);
            }
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(left);
            var found = ancestry.Relation(request.Repository, request.Branch, revision, request.Commit, bounded.Token);
            if (found is { } relation)
                known[revision] = relation; // a revision a clone does not have yet is asked again later
            return found ?? false;
        };
    }
}
