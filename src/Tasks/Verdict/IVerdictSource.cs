namespace GitOps.Build.Verdict;

/// <summary>
/// Something that reports the agent's view of the deploy commit: Argo CD's API, or the commit statuses the agents post
/// on the forge. A source reads; it never waits (the <see cref="DeployWaiter"/> does) and never writes.
/// </summary>
internal interface IVerdictSource
{
    /// <summary>One observation per watched thing, every one of them on every call (pending ones too).</summary>
    Task<IReadOnlyList<TargetObservation>> ObserveAsync(string commit, CancellationToken cancellationToken);
}
