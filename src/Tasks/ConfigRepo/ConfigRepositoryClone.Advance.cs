using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>After a lost push race: the branch's new tip fetched into this clone, and libgit2's shallow-file workaround.</summary>
internal sealed partial class ConfigRepositoryClone
{
    /// <summary>
    /// Fetches the branch's new tip (after another push won the race) and moves this clone onto it: the local branch, the
    /// tip and the tree, as a fresh clone would have them. False when that is not possible (the tip did not move, the
    /// fetch failed, or what it fetched is incomplete): the caller then clones afresh.
    /// </summary>
    /// <remarks>
    /// libgit2 1.8 fetches a depth-1 update into a shallow clone but then empties its shallow file, leaving the new tip's
    /// parents "missing". The file is written again with the new tip, which makes the clone what `git fetch --depth 1`
    /// leaves; the new tip's tree is then checked to be complete before it is used.
    /// </remarks>
    public bool TryAdvance(Deadline deadline)
    {
        if (treeless is not null)
            return TryAdvanceTreeless(deadline);
        var shallow = repository.Info.IsShallow;
        var trackingRef = $"refs/remotes/{RemoteName}/{Branch}";
        var options = new FetchOptions { Depth = shallow ? 1 : 0, TagFetchMode = TagFetchMode.None };
        options.OnTransferProgress = _ => deadline.KeepGoing();
        options.OnProgress = _ => deadline.KeepGoing();
        // What another pipeline pushed since the clone is small; past the clone's own size a fresh clone costs less.
        var limit = ReceiveLimit.ForFetchInto(repository.Info.Path, access.MaxReceived);
        try
        {
            // Through the clone's remote (libgit2 updates no refs for an anonymous one): its URL only routes the call to our
            // transport, which takes the address from the location.
            access.Run(deadline, limit, () =>
            {
                Commands.Fetch(repository, RemoteName, [$"+{BranchReference}:{trackingRef}"], options, logMessage: null);
                return 0;
            });
        }
        catch (LibGit2SharpException)
        {
            return false;
        }
        catch (GitOpsException e) when (e.Error == Errors.ConfigTransferTooLarge || e.Error == Errors.ConfigPackInflatesTooFar)
        {
            return false;
        }

        if (repository.Refs[trackingRef]?.ResolveToDirectReference()?.TargetIdentifier is not { } newTip || newTip == Tip.Sha)
            return false;
        if (shallow)
            File.WriteAllText(System.IO.Path.Combine(repository.Info.Path, "shallow"), newTip + "\n");
        if (repository.Lookup<Commit>(newTip) is not { } tip || !IsComplete(tip.Tree))
            return false;

        repository.Refs.UpdateTarget(repository.Refs[BranchReference], tip.Id, "gitops: the branch moved; fetched its tip");
        Tip = tip;
        Tree = new ConfigTree(tip.Tree, tip.Message, repository.ObjectDatabase, deadline, location.DisplayUrl, tip.Sha);
        return true;
    }

    private bool IsComplete(Tree tree)
    {
        try
        {
            foreach (var entry in tree)
            {
                var present = entry.TargetType switch
                {
                    TreeEntryTargetType.Tree => IsComplete((Tree)entry.Target),
                    // A submodule's commit lives in another repository.
                    TreeEntryTargetType.GitLink => true,
                    _ => repository.ObjectDatabase.Contains(entry.Target.Id),
                };
                if (!present)
                    return false;
            }
            return true;
        }
        catch (LibGit2SharpException)
        {
            return false; // a subtree that is not there
        }
    }
}
