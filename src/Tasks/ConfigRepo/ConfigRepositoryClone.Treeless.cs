using GitOps.Build.ConfigRepo.Wire;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// The treeless clone: a bare repository that holds the tip commit, and the trees and blobs that reads of it fetched
/// (<see cref="TreelessStore"/>). Commits are made on it as on a clone; the push sends the new objects alone.
/// </summary>
internal sealed partial class ConfigRepositoryClone
{
    /// <summary>
    /// The treeless clone of <paramref name="branch"/>, or null (and why, in <paramref name="unavailable"/>) when the
    /// server does not serve one; null without a reason when the branch is not there (the clone then says so, as always).
    /// Leaves <paramref name="gitDirectory"/> absent when it returns null.
    /// </summary>
    private static ConfigRepositoryClone? TryCreateTreeless(IWireRoute wire, ConfigRepositoryLocation location, string? branch, string directory,
        string gitDirectory, RemoteAccess access, Deadline deadline, out string? unavailable)
    {
        var repository = new Repository(Repository.Init(gitDirectory, isBare: true));
        try
        {
            unavailable = null;
            var store = TreelessStore.Open(wire, repository, deadline, location.DisplayUrl, access.MaxReceived);
            if (store.FetchBranch(string.IsNullOrEmpty(branch) ? null : branch, deadline) is not var (name, tip))
                return Discard();
            // The tip's parents are not here, and are not missing: as `git fetch --depth 1` records it.
            File.WriteAllText(System.IO.Path.Combine(repository.Info.Path, "shallow"), tip + "\n");
            repository.Refs.Add("refs/heads/" + name, new ObjectId(tip));
            repository.Refs.UpdateTarget("HEAD", "refs/heads/" + name);
            // The same remote a clone records (no credentials in it): the clone's config looks the same either way.
            repository.Network.Remotes.Add(RemoteName, access.LibGit2Url);
            return new ConfigRepositoryClone(repository, directory, repository.Lookup<Commit>(tip), location, access, deadline, store);
        }
        catch (TreelessUnavailableException e)
        {
            unavailable = e.Message;
            return Discard();
        }
        catch
        {
            repository.Dispose();
            throw;
        }

        ConfigRepositoryClone? Discard()
        {
            wire.EndExchanges();
            repository.Dispose();
            System.IO.Directory.Delete(gitDirectory, recursive: true);
            return null;
        }
    }

    /// <summary>The tree of the tip with <paramref name="changes"/> made (blobs and trees written on their paths only).</summary>
    private Tree TreelessTree(IReadOnlyList<ConfigFileChange> changes, Deadline deadline, out IReadOnlyList<WireObject> written)
    {
        var (tree, objects) = treeless!.WriteTree(changes.Select(change => (change.Path, change.NewContent)).ToList(), deadline);
        written = objects;
        return repository.Lookup<Tree>(tree);
    }

    /// <summary>The push of a treeless clone: the pack of the commit's new objects to git-receive-pack, onto the tip only.</summary>
    private bool TryPushTreeless(string commitSha, Deadline deadline)
    {
        var objects = new List<WireObject>(pendingObjects) { treeless!.ReadCommit(commitSha) };
        var status = treeless.Push(BranchReference, started ? ReceivePack.ZeroId : Tip.Sha, commitSha, objects, deadline);
        if (status.Ok)
        {
            VerifyPushed(commitSha, deadline);
            return true;
        }
        if (status.Unreadable)
            return LandedDespiteReport(commitSha, status.Reason ?? "", deadline);
        if (GitErrorClassifier.IsConflict(status.Reason ?? ""))
            return false;
        throw new GitOpsException(Errors.ConfigPushRejected, location.DisplayUrl, Branch, UrlRedactor.Redact(status.Reason ?? ""));
    }

    /// <summary>
    /// A push whose report cannot be read: its text is no server's word (a "fetch first" in it is not a lost race), and
    /// the update may have landed. The branch decides: at the pushed commit, deployed; where it was, refused (GITOPS023);
    /// anywhere else, or not listed, GITOPS105 (never retried: a retry would find our own commit and call the deploy done).
    /// </summary>
    private bool LandedDespiteReport(string commitSha, string reason, Deadline deadline)
    {
        string? remoteTip;
        try
        {
            remoteTip = RemoteTip(Branch, deadline);
        }
        catch (LibGit2SharpException e) when (deadline.KeepGoing())
        {
            throw new GitOpsException(Errors.ConfigPushReportUnreadable, location.DisplayUrl, Branch, Messages.ShortSha(commitSha),
                UrlRedactor.Redact(ServerText.Brief(reason)), "could not be listed (" + UrlRedactor.Redact(e.Message) + ")");
        }
        if (remoteTip == commitSha)
            return true;
        if (remoteTip is not null && remoteTip == Tip.Sha)
            throw new GitOpsException(Errors.ConfigPushRejected, location.DisplayUrl, Branch, UrlRedactor.Redact(ServerText.Brief(reason)));
        throw new GitOpsException(Errors.ConfigPushReportUnreadable, location.DisplayUrl, Branch, Messages.ShortSha(commitSha),
            UrlRedactor.Redact(ServerText.Brief(reason)), remoteTip is null ? "is not there" : "is at " + Messages.ShortSha(remoteTip));
    }

    /// <summary>After a lost race: the branch's new tip, fetched the same way (what the clone holds already is kept).</summary>
    private bool TryAdvanceTreeless(Deadline deadline)
    {
        string? newTip;
        try
        {
            // The same way as the first: by name where the server serves it (the branch is named now, whatever named it first).
            newTip = treeless!.FetchBranch(Branch, deadline)?.Tip;
            if (newTip is null || newTip == Tip.Sha)
                return false;
        }
        catch (Exception e) when (e is LibGit2SharpException or TreelessUnavailableException)
        {
            return false;
        }
        File.WriteAllText(System.IO.Path.Combine(repository.Info.Path, "shallow"), newTip + "\n");
        var tip = repository.Lookup<Commit>(newTip);
        repository.Refs.UpdateTarget(repository.Refs[BranchReference], tip.Id, "gitops: the branch moved; fetched its tip");
        Tip = tip;
        Tree = new ConfigTree(tip.Tree, tip.Message, repository.ObjectDatabase, deadline, location.DisplayUrl, tip.Sha, treeless);
        return true;
    }
}
