using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Whether a revision an agent reports is the deploy commit or a later one, in a clone of the config repository: an
/// agent that synced a later deploy has applied this one too.
/// </summary>
internal static class CommitAncestry
{
    /// <summary>True: the commit or a descendant; false: another commit of the clone; null: the clone lacks one of them.</summary>
    public static bool? Relation(string clonePath, string revision, string commit)
    {
        if (string.Equals(revision, commit, StringComparison.OrdinalIgnoreCase))
            return true;
        using var repository = new Repository(clonePath);
        if (repository.Lookup<Commit>(revision) is not { } candidate || repository.Lookup<Commit>(commit) is not { } deployed)
            return null;
        return repository.ObjectDatabase.FindMergeBase(candidate, deployed)?.Sha == deployed.Sha;
    }

    /// <summary><see cref="Relation(string, string, string)"/> in a clone the reader made.</summary>
    public static bool? Relation(ConfigRepositoryClone clone, string revision, string commit) =>
        Relation(Path.Combine(clone.Directory, ConfigRepositoryClone.GitDirectoryName), revision, commit);

    /// <summary>The check over one clone; a revision it lacks is not (yet) the deploy.</summary>
    public static Func<string, bool> IsCommitOrDescendant(string clonePath, string commit) =>
        revision => Relation(clonePath, revision, commit) ?? false;
}
