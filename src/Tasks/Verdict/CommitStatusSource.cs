using GitOps.Build.Forge;

namespace GitOps.Build.Verdict;

/// <summary>
/// The verdict of the commit statuses (and checks) agents post on the deploy commit. Each pattern must have a status;
/// each matching context is a target: success, failure/error (failed), or pending. A pattern nothing matches yet is a
/// pending target of its own, so the wait names it.
/// </summary>
internal sealed class CommitStatusSource(IForgeStatusReader reader, IReadOnlyList<ContextPattern> patterns) : IVerdictSource
{
    public const string SourceName = "status";

    public async Task<IReadOnlyList<TargetObservation>> ObserveAsync(string commit, CancellationToken cancellationToken)
    {
        var statuses = await reader.ReadAsync(commit, cancellationToken).ConfigureAwait(false);
        var observations = new List<TargetObservation>();
        foreach (var pattern in patterns)
        {
            var matching = statuses.Where(s => pattern.Matches(s.Context)).ToList();
            if (matching.Count == 0)
                observations.Add(new TargetObservation(SourceName, pattern.Text, TargetState.Pending, "no status yet"));
            observations.AddRange(matching
                .Where(s => !observations.Any(o => string.Equals(o.Name, s.Context, StringComparison.OrdinalIgnoreCase)))
                .Select(Observe));
        }
        return observations;
    }

    private static TargetObservation Observe(CommitStatus status) => new(SourceName, status.Context,
        status.State switch
        {
            CommitStatusState.Success => TargetState.Succeeded,
            CommitStatusState.Failure or CommitStatusState.Error => TargetState.Failed,
            _ => TargetState.Pending,
        },
        status.State.ToString().ToLowerInvariant(), Detail: status.Description, Link: status.TargetUrl);
}
