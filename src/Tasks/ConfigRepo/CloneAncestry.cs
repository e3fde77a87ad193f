namespace GitOps.Build.ConfigRepo;

/// <summary>GitOpsCommitMethod=git: the ancestry asked in a clone of the branch (each bounded by GitOpsConfigTimeout).</summary>
internal sealed class CloneAncestry(ConfigRepositoryReader history) : ICommitAncestry
{
    public bool? Relation(ConfigRepositoryLocation repository, string branch, string revision, string commit, CancellationToken cancellationToken) =>
        history.Read(repository, branch, clone => CommitAncestry.Relation(clone, revision, commit), cancellationToken);

    public void Dispose()
    {
        // Each read's clone is deleted by the reader.
    }
}
