namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Where a deploy's commit is made: a git clone pushed back (<see cref="ConfigRepositoryWriter"/>, GitOpsCommitMethod=git)
/// or the forge's own API, with no clone (GitOpsCommitMethod=api). Either applies the same <see cref="IConfigChange"/> to
/// the branch's tip through <see cref="IConfigTree"/>, so the edit, its verification and the trailers are the deploy's
/// one path; a writer only reads the tip, commits what the change came to, and re-applies it when another push wins.
/// </summary>
internal interface IConfigWriter
{
    /// <remarks><paramref name="prefetch"/>: a clone started during the build; a writer that does not clone ignores it.</remarks>
    /// <exception cref="Diagnostics.GitOpsException">The coded error that names what to fix.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> was cancelled.</exception>
    ConfigCommitResult Commit(ConfigCommitRequest request, IConfigChange change, ConfigClonePrefetch? prefetch, CancellationToken cancellationToken);
}
