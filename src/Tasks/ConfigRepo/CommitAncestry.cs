using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Whether a revision an agent reports is the deploy commit or a later one, in a clone of the config repository: an
/// agent that synced a later deploy has applied this one too.
/// </summary>
internal static class CommitAncestry
{
    /// <summary>
    /// True: the commit or a descendant; false: another commit of the clone, or a revision that is not a commit id; null:
    /// the clone lacks one of them.
    /// </summary>
    /// <remarks>
    /// The revision is the agent's word: only a full object id is looked up. A name would be resolved by libgit2's
    /// rev-parse in the clone ("HEAD", "main", ":/Deploy" all name the tip, a descendant of the deploy).
    /// </remarks>
    public static bool? Relation(string clonePath, string revision, string commit)
    {
        if (string.Equals(revision, commit, StringComparison.OrdinalIgnoreCase))
            return true;
        if (!IsObjectId(revision))
            return false;
        using var repository = new Repository(clonePath);
        if (repository.Lookup<Commit>(new ObjectId(revision)) is not { } candidate || repository.Lookup<Commit>(commit) is not { } deployed)
            return null;
        return repository.ObjectDatabase.FindMergeBase(candidate, deployed)?.Sha == deployed.Sha;
    }

    /// <summary>A full SHA-1 object id (40 hex digits): what an agent reports for a commit it synced.</summary>
    public static bool IsObjectId(string revision) => revision.Length == 40 && revision.All(char.IsAsciiHexDigit);

    /// <summary><see cref="Relation(string, string, string)"/> in a clone the reader made.</summary>
    public static bool? Relation(ConfigRepositoryClone clone, string revision, string commit) =>
        Relation(Path.Combine(clone.Directory, ConfigRepositoryClone.GitDirectoryName), revision, commit);

    /// <summary>The check over one clone; a revision it lacks is not (yet) the deploy.</summary>
    public static Func<string, bool> IsCommitOrDescendant(string clonePath, string commit) =>
        revision => Relation(clonePath, revision, commit) ?? false;
}
