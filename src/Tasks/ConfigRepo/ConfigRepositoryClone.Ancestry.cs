using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>After an interrupted push: whether the commit landed under later ones (the tip's first-parent history).</summary>
internal sealed partial class ConfigRepositoryClone
{
    /// <summary>
    /// True when <paramref name="commit"/> is the tip or one of the tip's first <paramref name="limit"/> first-parent
    /// ancestors; false when it is not among them (or that history could not be fetched). Fetches that history first:
    /// commits only on the treeless route (<c>deepen</c> with <c>filter tree:0</c>), a deepened fetch on a shallow clone.
    /// </summary>
    /// <remarks>
    /// Only after an interrupted push, so a deploy that was not interrupted fetches nothing more. The clone stays as it was
    /// for the round that follows: its shallow file names the tip again (the commits fetched are not read through it).
    /// </remarks>
    public bool HoldsInFirstParents(string commit, int limit, Deadline deadline)
    {
        if (Tip.Sha == commit)
            return true;
        var shallowFile = System.IO.Path.Combine(repository.Info.Path, "shallow");
        if (!File.Exists(shallowFile))
            return Walk(repository.Info.Path, commit, limit, deadline); // a local clone holds all of its history
        if (!TryDeepen(limit, deadline))
            return false;
        // Read with the shallow file set aside, in a repository of its own: libgit2 caches commits with the parents the
        // shallow file gave them (none for the tip), and a parent not fetched is then simply not there.
        var shallow = File.ReadAllText(shallowFile);
        File.Delete(shallowFile);
        try
        {
            return Walk(repository.Info.Path, commit, limit, deadline);
        }
        finally
        {
            File.WriteAllText(shallowFile, shallow);
        }
    }

    private bool Walk(string gitDirectory, string commit, int limit, Deadline deadline)
    {
        using var history = new Repository(gitDirectory);
        var current = history.Lookup<Commit>(Tip.Id);
        for (var seen = 0; current is not null && seen <= limit; seen++)
        {
            deadline.ThrowIfExpired(location.DisplayUrl);
            if (current.Sha == commit)
                return true;
            current = current.Parents.FirstOrDefault() is { } parent ? history.Lookup<Commit>(parent.Id) : null;
        }
        return false;
    }

    // The tip's first `limit` generations of history: commits alone where the wire is ours, else libgit2's deepened fetch.
    private bool TryDeepen(int limit, Deadline deadline)
    {
        try
        {
            if (treeless is not null)
            {
                treeless.FetchHistory(Tip.Sha, limit, deadline);
                return true;
            }
            var options = new FetchOptions { Depth = limit, TagFetchMode = TagFetchMode.None };
            options.OnTransferProgress = _ => deadline.KeepGoing();
            options.OnProgress = _ => deadline.KeepGoing();
            var limitBytes = ReceiveLimit.ForFetchInto(repository.Info.Path, access.MaxReceived);
            access.Run(deadline, limitBytes, () =>
            {
                Commands.Fetch(repository, RemoteName, [$"+{BranchReference}:refs/remotes/{RemoteName}/{Branch}"], options, logMessage: null);
                return 0;
            });
            return true;
        }
        catch (Exception e) when (e is LibGit2SharpException or TreelessUnavailableException
            || e is GitOpsException { Error: var error } && (error == Errors.ConfigTransferTooLarge || error == Errors.ConfigPackInflatesTooFar))
        {
            return false;
        }
    }
}
