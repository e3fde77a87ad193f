using System.Diagnostics;
using System.Globalization;
using GitOps.Build.Diagnostics;
using GitOps.Build.Forge;

namespace GitOps.Build.Verdict;

/// <summary>
/// Under GitOpsPullRequest, the deploy reaches the watched branch only when its pull request is merged (by the forge's
/// auto-merge or by a person): polls the pull request with the verdict's back-off, logs one line per change of its state
/// (and a heartbeat when nothing changes), and returns the commit the merge made on the base branch. Closed without a
/// merge is GITOPS165; GitOpsWaitTimeout passing is GITOPS166; Ctrl+C is OperationCanceledException.
/// </summary>
internal sealed class PullRequestMergeWaiter(IForgeClient forge, WaitPolicy policy, IBuildLog log)
{
    /// <returns>The full id of the commit on the base branch that the agent is then waited on for.</returns>
    public async Task<string> WaitAsync(PullRequest pullRequest, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var name = $"#{pullRequest.Number} ({pullRequest.Url})";
        var delay = policy.FirstDelay;
        string? label = null;
        var lastNews = TimeSpan.Zero;
        log.Important($"GitOps: waiting up to {Seconds(policy.Timeout)} s for pull request {name} to be merged into '{pullRequest.Base}'.");
        while (true)
        {
            var state = await ReadAsync(pullRequest, name, label, clock, cancellationToken).ConfigureAwait(false);
            if (state.Label != label)
            {
                log.Important(label is null
                    ? $"GitOps: waiting for pull request {name}: {state.Label}"
                    : $"GitOps: waiting for pull request {name}: {label} → {state.Label}");
                label = state.Label;
                lastNews = clock.Elapsed;
            }
            if (state is { Status: PullRequestStatus.Merged, MergeCommit: { } commit })
            {
                log.Important($"GitOps: pull request {name} merged into '{pullRequest.Base}' as {Short(commit)} after {Seconds(clock.Elapsed)} s.");
                return commit;
            }
            if (state.Status == PullRequestStatus.Closed)
                throw new GitOpsException(Errors.PullRequestClosedUnmerged, name);

            var left = policy.Timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
                throw NotMerged(name, label);
            if (clock.Elapsed - lastNews >= policy.Heartbeat)
            {
                lastNews = clock.Elapsed;
                log.Important($"GitOps: still waiting ({Seconds(clock.Elapsed)} s) for pull request {name}: {label}.");
            }
            cancellationToken.WaitHandle.WaitOne(delay < left ? delay : left);
            cancellationToken.ThrowIfCancellationRequested();
            delay = policy.NextDelay(delay);
        }
    }

    /// <summary>One read, bounded by what is left of the timeout (a hung forge is a timeout, not a hang).</summary>
    private async Task<PullRequestState> ReadAsync(PullRequest pullRequest, string name, string? label, Stopwatch clock, CancellationToken cancellationToken)
    {
        var left = policy.Timeout - clock.Elapsed;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        try
        {
            return await forge.ReadStateAsync(pullRequest, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw NotMerged(name, label);
        }
    }

    private GitOpsException NotMerged(string name, string? label) =>
        new(Errors.PullRequestNotMerged, name, Seconds(policy.Timeout), label ?? "not read yet");

    private static string Short(string commit) => commit.Length > 7 ? commit[..7] : commit;

    private static string Seconds(TimeSpan span) => Math.Max(0, Math.Round(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
