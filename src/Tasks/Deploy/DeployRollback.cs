using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Deploy;

/// <summary>What GitOpsRollbackOnFailure undoes: the deploy commit the agent reported failed, where it landed, and why.</summary>
/// <param name="Repository">The config repository, as the deploy parsed it (GitOpsConfigRepository).</param>
/// <param name="Branch">The branch the deploy commit was pushed to (GitOpsConfigCommitBranch): the one the agent watches.</param>
/// <param name="DeployCommit">The failed deploy commit's full id (GitOpsConfigCommit).</param>
/// <param name="Verdict">What the agent reported, in its words: written to the revert's GitOps-Rollback-Verdict trailer.</param>
/// <param name="AuthorName">Author and committer of the revert, as of every config commit (GitOpsCommitAuthorName).</param>
/// <param name="AuthorEmail">Their e-mail (GitOpsCommitAuthorEmail).</param>
internal sealed record RollbackRequest(
    ConfigRepositoryLocation Repository,
    string Branch,
    string DeployCommit,
    string Verdict,
    string AuthorName,
    string AuthorEmail);

/// <summary>The revert that landed.</summary>
/// <param name="Branch">Where it landed.</param>
/// <param name="DeployCommit">The failed deploy commit it reverts (its only parent).</param>
/// <param name="RevertCommit">The revert commit, now the branch's tip (or under a later one).</param>
/// <param name="Files">The files it wrote back.</param>
/// <param name="Attempts">Rounds the write-back needed (more than 1 only after a network failure during the push).</param>
internal sealed record RollbackResult(string Branch, string DeployCommit, string RevertCommit, IReadOnlyList<string> Files, int Attempts);

/// <summary>
/// GitOpsRollbackOnFailure's write: reverts the failed deploy commit on its branch, only while that branch is still at
/// it. First a look at the branch (its tip and the tip's parent): at another commit it refuses (GITOPS160) rather than
/// revert someone else's deploy; a deploy commit that is more than changes of file content cannot be undone by writing
/// its files back (GITOPS162). Then the revert goes through the one write-back path (<see cref="IConfigWriter"/>):
/// signed as every config commit is, committed only onto the deploy commit, never forced, its landing verified. A write
/// that loses a race finds another tip and refuses (GITOPS160) with nothing written; one cut off by the network is
/// checked on the next round, as every write-back does.
/// </summary>
/// <remarks>
/// As the deploy's (<see cref="ConfigDeployer"/>): <paramref name="reader"/> and <paramref name="writer"/> null, a clone
/// of the tip and its parent, and a clone pushed back (<see cref="ConfigRepositoryWriter"/>); under GitOpsCommitMethod=api
/// the forge's API reads the deploy commit and makes the revert, with no clone.
/// </remarks>
internal sealed class DeployRollback(GitCredentials? credentials, IBuildLog log, ConfigWriterOptions? options = null, IConfigWriter? writer = null,
    IConfigReader? reader = null)
{
    /// <summary>The tip and its parent: all a revert of the tip reads.</summary>
    private const int HistoryDepth = 2;

    /// <exception cref="GitOpsException">GITOPS160, GITOPS162, or the write-back's own (GITOPS02x, GITOPS117 …).</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> was cancelled.</exception>
    public RollbackResult Revert(RollbackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var location = request.Repository;
        var where = location.DisplayUrl;
        var writerOptions = options ?? new ConfigWriterOptions();
        log.Important(Messages.RollbackStarted(Messages.ShortSha(request.DeployCommit), request.Branch, where));

        var deploy = (reader ?? new ConfigRepositoryReader(credentials, writerOptions, HistoryDepth)).Read(location, request.Branch, tip =>
            string.Equals(tip.TipSha, request.DeployCommit, StringComparison.OrdinalIgnoreCase)
                ? tip.TipChanges()
                : throw BranchMoved(request.DeployCommit, request.Branch, where, tip.TipSha), cancellationToken);
        if (deploy.Unrevertable is { } why)
            throw new GitOpsException(Errors.RollbackNotPossible, Messages.ShortSha(deploy.Sha), request.Branch, where, why);

        var message = CommitMessage.RenderRollback(deploy.Message, deploy.Sha, request.Verdict);
        ConfigCommitResult result;
        try
        {
            result = (writer ?? new ConfigRepositoryWriter(credentials, log, writerOptions)).Commit(
                new ConfigCommitRequest(location, request.Branch, message, request.AuthorName, request.AuthorEmail),
                new RevertChange(deploy, request.Branch, where), prefetch: null, cancellationToken);
        }
        // A lost race with no retry left: the branch moved off the deploy commit all the same.
        catch (GitOpsException e) when (e.Error == Errors.ConfigPushConflictsExhausted)
        {
            throw BranchMoved(deploy.Sha, request.Branch, where, tip: null);
        }
        // On the deploy commit the old content always differs from the tip's: a revert that commits nothing cannot happen.
        var revert = result.CommitSha ?? throw new GitOpsException(Errors.RollbackNotPossible, Messages.ShortSha(deploy.Sha), request.Branch, where, "it changes no file");
        log.Important(Messages.RolledBack(Messages.ShortSha(deploy.Sha), result.Branch, where, Messages.ShortSha(revert)));
        return new RollbackResult(result.Branch, deploy.Sha, revert, [.. result.Changes.Select(change => change.Path)], result.Attempts);
    }

    /// <summary>GITOPS160: the branch is no longer at the deploy commit (<paramref name="tip"/>: where it is; null when unknown).</summary>
    internal static GitOpsException BranchMoved(string deployCommit, string branch, string repositoryForMessages, string? tip) =>
        new(Errors.RollbackBranchMoved, Messages.ShortSha(deployCommit), branch, repositoryForMessages, tip is null ? "another commit" : Messages.ShortSha(tip));
}
