namespace GitOps.Build.ConfigRepo;

/// <summary>The history a clone holds, searched for the last change of some files (promotion, GitOpsStatus).</summary>
internal sealed partial class ConfigRepositoryClone
{
    /// <summary>
    /// The latest commit, following first parents from the tip through at most <paramref name="limit"/> commits, that
    /// changed one of <paramref name="paths"/> and that <paramref name="accept"/> takes (by its message); a changing
    /// commit it refuses ends the search when <paramref name="accept"/> says so by returning null. Null when none
    /// was found within the history this clone holds.
    /// </summary>
    public ConfigCommitInfo? FindLastChange(IReadOnlyCollection<string> paths, Func<string, bool?> accept, int limit)
    {
        var commit = Tip;
        for (var seen = 0; commit is not null && seen < limit; seen++)
        {
            var parent = commit.Parents.FirstOrDefault();
            // A shallow clone's oldest commit has no parent here: whether it changed the files is unknown.
            if (parent is null && repository.Info.IsShallow)
                return null;
            if (paths.Any(path => commit[path]?.Target.Id != parent?[path]?.Target.Id))
            {
                switch (accept(commit.Message))
                {
                    case true:
                        return new ConfigCommitInfo(commit.Sha, commit.Message, commit.Committer.When);
                    case null:
                        return null;
                }
            }
            commit = parent;
        }
        return null;
    }
}
