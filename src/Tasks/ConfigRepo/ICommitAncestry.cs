namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Whether a revision an agent reports as synced is the deploy commit or a later commit of the branch it landed on: an
/// agent that synced a later deploy has applied this one too. Asked the way the write-back writes (GitOpsCommitMethod):
/// in a clone of the branch (<see cref="CloneAncestry"/>), or through the forge's API, with no clone (Forge.ForgeAncestry).
/// </summary>
internal interface ICommitAncestry : IDisposable
{
    /// <param name="repository">The config repository.</param>
    /// <param name="branch">The branch the deploy commit landed on, the one the agent watches.</param>
    /// <param name="revision">A full commit id the agent reported (the caller looks up nothing else).</param>
    /// <param name="commit">The deploy commit.</param>
    /// <param name="cancellationToken">Ctrl+C, and the end of the wait.</param>
    /// <returns>True: the commit or a later commit of the branch; false: not; null: not known yet (a clone that lacks one of them), ask again later.</returns>
    bool? Relation(ConfigRepositoryLocation repository, string branch, string revision, string commit, CancellationToken cancellationToken);
}
