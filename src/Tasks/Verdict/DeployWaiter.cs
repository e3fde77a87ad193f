using System.Diagnostics;
using System.Globalization;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Verdict;

/// <summary>
/// Waits for the agent's verdict on a deploy commit that has landed: polls every source with back-off, logs one line
/// per change of a target's state (and a heartbeat when nothing changes, so the wait is never silent), and ends with
/// the verdict when every target succeeded, GITOPS136 as soon as one failed, GITOPS135 when GitOpsWaitTimeout passes
/// (counted from the landing, which the caller measured), or OperationCanceledException on Ctrl+C.
/// </summary>
internal sealed class DeployWaiter(IReadOnlyList<IVerdictSource> sources, WaitPolicy policy, IBuildLog log)
{
    /// <summary>
    /// Where every watched target stood when the wait ended, whichever way it ended (success, GITOPS136, GITOPS135):
    /// what a failure verdict is made of, for whoever acts on it (outputs, a rollback).
    /// </summary>
    public IReadOnlyList<TargetVerdict> LastTargets { get; private set; } = [];

    /// <param name="commit">The full deploy commit id.</param>
    /// <param name="where">Where it landed, as messages say it: "'main' of https://…/config.git".</param>
    /// <param name="sinceLanded">Started when the commit reached the watched branch: timings and the timeout count from there.</param>
    /// <param name="cancellationToken">Ctrl+C: stops the wait at once.</param>
    public async Task<AgentVerdict> WaitAsync(string commit, string where, Stopwatch sinceLanded, CancellationToken cancellationToken)
    {
        var shortCommit = commit.Length > 7 ? commit[..7] : commit;
        var tracks = new Dictionary<string, Track>(StringComparer.Ordinal);
        var delay = policy.FirstDelay;
        var lastNews = sinceLanded.Elapsed;
        log.Important($"GitOps: waiting up to {Seconds(policy.Timeout - sinceLanded.Elapsed)} s for the agent's verdict on {shortCommit} ({where}).");
        while (true)
        {
            var observations = await ObserveAllAsync(commit, shortCommit, where, tracks, sinceLanded, cancellationToken).ConfigureAwait(false);
            var now = sinceLanded.Elapsed;
            var changed = false;
            foreach (var observation in observations)
            {
                if (!tracks.TryGetValue(observation.Display, out var track))
                    tracks[observation.Display] = track = new Track(observation);
                changed |= track.See(observation, now, log);
            }
            if (changed)
                lastNews = now;
            // A target no longer reported (a pattern's placeholder once statuses match it) is not pending any more.
            foreach (var gone in tracks.Keys.Except(observations.Select(o => o.Display)).ToList())
                tracks.Remove(gone);

            LastTargets = [.. tracks.Values.Select(t => t.Verdict())];
            var failed = tracks.Values.Where(t => t.Last.State == TargetState.Failed).ToList();
            if (failed.Count > 0)
                throw new GitOpsException(Errors.DeployFailed, shortCommit, where, string.Join("; ", failed.Select(t => Describe(t.Last))));
            if (tracks.Count > 0 && tracks.Values.All(t => t.Last.State == TargetState.Succeeded))
            {
                var verdict = new AgentVerdict(commit, LastTargets, Math.Round(now.TotalSeconds, 1));
                foreach (var target in verdict.Targets)
                    log.Important($"GitOps: {target.Source} {target.Name}: {target.Label} at {shortCommit}{Timings(target)}.");
                return verdict;
            }

            var left = policy.Timeout - sinceLanded.Elapsed;
            if (left <= TimeSpan.Zero)
                throw TimedOut(shortCommit, where, tracks);
            if (now - lastNews >= policy.Heartbeat)
            {
                lastNews = now;
                log.Important($"GitOps: still waiting ({Seconds(now)} s) on {string.Join(", ", Pending(tracks))}.");
            }
            cancellationToken.WaitHandle.WaitOne(delay < left ? delay : left);
            cancellationToken.ThrowIfCancellationRequested();
            delay = policy.NextDelay(delay);
        }
    }

    /// <summary>Every source once, each bounded by what is left of the timeout (a hung server is a timeout, not a hang).</summary>
    private async Task<List<TargetObservation>> ObserveAllAsync(string commit, string shortCommit, string where,
        Dictionary<string, Track> tracks, Stopwatch sinceLanded, CancellationToken cancellationToken)
    {
        var left = policy.Timeout - sinceLanded.Elapsed;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        var all = new List<TargetObservation>();
        try
        {
            foreach (var source in sources)
                all.AddRange(await source.ObserveAsync(commit, bounded.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(shortCommit, where, tracks);
        }
        return all;
    }

    private GitOpsException TimedOut(string shortCommit, string where, Dictionary<string, Track> tracks) =>
        new(Errors.DeployNotConfirmed, shortCommit, where, Seconds(policy.Timeout),
            tracks.Count == 0 ? "every source (none answered yet)" : string.Join("; ", Pending(tracks)));

    private static IEnumerable<string> Pending(Dictionary<string, Track> tracks) =>
        tracks.Values.Where(t => t.Last.State != TargetState.Succeeded)
            .Select(t => $"{t.Last.Display} ({t.Last.Label}{(t.Last.Detail is { } d ? ": " + d : "")})");

    private static string Describe(TargetObservation failed) =>
        $"{failed.Display} is {failed.Label}" + (failed.Detail is { } detail ? $": {detail}" : "") + (failed.Link is { } link ? $" ({link})" : "");

    private static string Timings(TargetVerdict target) =>
        (target.SecondsToSync, target.SecondsToHealthy) switch
        {
            ({ } sync, { } healthy) => $" (synced after {sync:0.#} s, healthy after {healthy:0.#} s)",
            (null, { } healthy) => $" (after {healthy:0.#} s)",
            _ => "",
        };

    private static string Seconds(TimeSpan span) => Math.Max(0, Math.Round(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>One target's history: its last observation and when it was first synced and first succeeded.</summary>
    private sealed class Track(TargetObservation first)
    {
        private bool seen;
        private double? toSync;
        private double? toHealthy;

        public TargetObservation Last { get; private set; } = first;

        /// <summary>Records an observation; logs and returns true when its label changed.</summary>
        public bool See(TargetObservation observation, TimeSpan now, IBuildLog log)
        {
            var previous = seen ? Last.Label : null;
            Last = observation;
            seen = true;
            if (observation.Synced == true)
                toSync ??= Math.Round(now.TotalSeconds, 1);
            else if (observation.State != TargetState.Succeeded)
                toSync = null; // synced, then out of sync again (a newer commit, a drift): the time counts from the last sync
            if (observation.State == TargetState.Succeeded)
                toHealthy ??= Math.Round(now.TotalSeconds, 1);
            if (previous == observation.Label)
                return false;
            log.Important(previous is null
                ? $"GitOps: waiting for {observation.Display}: {observation.Label}"
                : $"GitOps: waiting for {observation.Display}: {previous} → {observation.Label}");
            return true;
        }

        public TargetVerdict Verdict() => new(Last.Source, Last.Name, Last.State, Last.Label,
            Last.Synced is null ? null : toSync, toHealthy, Last.Detail, Last.Link);
    }
}
