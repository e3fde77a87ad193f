namespace GitOps.Build.Forge;

/// <summary>The states a forge's commit status (or check) ends in, or pending while it has not.</summary>
internal enum CommitStatusState
{
    Pending,
    Success,
    Failure,
    Error,
}

/// <summary>
/// One status or check on a commit, as the forge shows it: the context (a status's context, a check run's name),
/// its state, the poster's description and link. The newest per context only.
/// </summary>
internal sealed record CommitStatus(string Context, CommitStatusState State, string? Description, string? TargetUrl);

/// <summary>
/// Reads the statuses and checks agents post on a commit (Flux's notification-controller, Argo CD Notifications), for
/// the wait on the deploy's verdict (issue 18). One implementation per forge, on <see cref="ForgeHttp"/> like the
/// pull-request clients, so credentials, proxy, CA, the deadline and rate limits behave alike.
/// </summary>
internal interface IForgeStatusReader : IDisposable
{
    Task<IReadOnlyList<CommitStatus>> ReadAsync(string commit, CancellationToken cancellationToken);
}
