namespace GitOps.Build.ConfigRepo;

/// <summary>
/// A branch of the config repository as read, never written: the tree at its tip and the history of some of its files.
/// A clone with history (<see cref="ConfigRepositoryReader"/>) is one; a forge's API read at the tip (GitOpsCommitMethod=api) is another.
/// </summary>
internal interface IConfigSnapshot
{
    string Branch { get; }

    string TipSha { get; }

    IConfigTree Tree { get; }

    /// <summary>
    /// The latest commit that changed one of <paramref name="paths"/> and that <paramref name="accept"/> takes (by its
    /// message), among at most <paramref name="limit"/>; a changing commit it refuses with null ends the search. Null
    /// when none was found.
    /// </summary>
    ConfigCommitInfo? FindLastChange(IReadOnlyCollection<string> paths, Func<string, bool?> accept, int limit);

    /// <summary>What the tip commit changed against its parent, file by file: what a rollback writes back.</summary>
    CommitFileChanges TipChanges();
}

/// <summary>Reads a branch of the config repository (null: the default branch) and runs a read on it, within the timeout.</summary>
internal interface IConfigReader
{
    T Read<T>(ConfigRepositoryLocation location, string? branch, Func<IConfigSnapshot, T> read, CancellationToken cancellationToken);
}
