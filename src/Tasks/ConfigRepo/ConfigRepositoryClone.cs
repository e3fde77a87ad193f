using GitOps.Build.ConfigRepo.Http;
using GitOps.Build.ConfigRepo.Ssh;
using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// A bare clone of the config repository in a temporary directory: read the tip's tree, commit on top of it without a
/// working tree, push. After a lost push race <see cref="TryAdvance"/> fetches the branch's new tip into it, so the next
/// round downloads what changed rather than the whole tree again. Disposing deletes the directory.
/// </summary>
internal sealed class ConfigRepositoryClone : IDisposable
{
    private const string RemoteName = "origin";

    private readonly Repository repository;
    private readonly ConfigRepositoryLocation location;
    private readonly RemoteAccess access;

    private ConfigRepositoryClone(Repository repository, string directory, Commit tip, ConfigRepositoryLocation location, RemoteAccess access, Deadline deadline)
    {
        this.repository = repository;
        this.location = location;
        this.access = access;
        Directory = directory;
        Branch = repository.Head.FriendlyName;
        Tip = tip;
        Tree = new ConfigTree(tip.Tree, tip.Message, repository.ObjectDatabase, deadline, location.DisplayUrl);
    }

    public string Directory { get; }

    /// <summary>Where in <see cref="Directory"/> the bare clone itself is.</summary>
    internal const string GitDirectoryName = "git";

    /// <summary>The branch written to: the requested one, the remote's default branch, or a started one.</summary>
    public string Branch { get; private set; }

    public Commit Tip { get; private set; }

    public ConfigTree Tree { get; private set; }

    /// <summary>Clones the branch tip (null or empty <paramref name="branch"/>: the remote's default branch).</summary>
    /// <remarks>
    /// <paramref name="deadline"/> bounds every wait: HTTP and SSH transfers stop at it (see <see cref="GitHttpSession"/>,
    /// <see cref="GitSshSession"/>), and libgit2's progress callbacks stop local transfers. <paramref name="depth"/>: how
    /// many commits of history an HTTP or SSH clone fetches (local clones always have all of it); the writer needs only the tip.
    /// </remarks>
    public static ConfigRepositoryClone Create(
        ConfigRepositoryLocation location, string? branch, GitCredentials? credentials, ConfigWriterOptions writerOptions, Deadline deadline, int depth = 1)
    {
        // The bare clone goes in a subdirectory: libgit2 clones only into an empty one, and the marker is written first.
        var directory = TempDirectory.Create(writerOptions.WorkDirectory, TempDirectory.ConfigClonePrefix);
        var gitDirectory = System.IO.Path.Combine(directory, GitDirectoryName);
        var access = new RemoteAccess(location, credentials, writerOptions);
        var options = new CloneOptions { IsBare = true, BranchName = string.IsNullOrEmpty(branch) ? null : branch };
        // libgit2's local transport refuses shallow fetches; local clones are cheap anyway.
        options.FetchOptions.Depth = location.IsHttp || location.IsSsh ? depth : 0;
        options.FetchOptions.TagFetchMode = TagFetchMode.None;
        options.FetchOptions.OnTransferProgress = _ => deadline.KeepGoing();
        options.FetchOptions.OnProgress = _ => deadline.KeepGoing();

        Repository? repository = null;
        try
        {
            try
            {
                repository = new Repository(access.Run(deadline, () => Repository.Clone(access.LibGit2Url, gitDirectory, options)));
            }
            catch (NotFoundException e) when (options.BranchName is not null && e.Message.Contains("refs/remotes/", StringComparison.Ordinal))
            {
                // libgit2 found no refs/remotes/origin/<branch>: either that branch or every branch is missing.
                throw BranchOrRepositoryMissing(HasBranches(access, deadline, gitDirectory), options.BranchName, location);
            }

            if (repository.Head.Tip is not { } tip)
            {
                // An unborn HEAD: the remote has no commits, or its HEAD names a branch that does not exist.
                var hasBranches = repository.Refs.Any(reference => reference.IsRemoteTrackingBranch);
                throw BranchOrRepositoryMissing(hasBranches, repository.Head.FriendlyName, location);
            }

            return new ConfigRepositoryClone(repository, directory, tip, location, access, deadline);
        }
        catch
        {
            access.Dispose();
            repository?.Dispose();
            TempDirectory.TryDelete(directory);
            throw;
        }
    }

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

    /// <summary>Writes to a new branch that starts at the tip, instead of the cloned one.</summary>
    public void StartBranch(string name)
    {
        repository.Refs.Add("refs/heads/" + name, Tip.Id);
        Branch = name;
    }

    /// <summary>
    /// Writes the changed blobs, a tree based on the tip's tree and a commit whose only parent is the tip, then moves the
    /// local branch to it. File modes are kept (an executable stays executable); new files are plain files.
    /// With a <paramref name="signer"/>, the commit carries its signature (gpgsig header), as `git commit -S` writes it.
    /// </summary>
    public Commit Commit(IReadOnlyList<ConfigFileChange> changes, string message, Signature signature, Deadline deadline, ICommitSigner? signer = null)
    {
        var definition = TreeDefinition.From(Tip.Tree);
        foreach (var change in changes)
        {
            using var content = new MemoryStream(change.NewContent, writable: false);
            var blob = repository.ObjectDatabase.CreateBlob(content);
            definition.Add(change.Path, blob, Tree.Find(change.Path)?.Mode ?? Mode.NonExecutableFile);
        }

        var tree = repository.ObjectDatabase.CreateTree(definition);
        // prettifyMessage: false keeps the caller's rendered message (trailers, blank lines) byte for byte.
        var commit = signer is null
            ? repository.ObjectDatabase.CreateCommit(signature, signature, message, tree, [Tip], prettifyMessage: false)
            : CreateSignedCommit(signature, message, tree, signer, deadline);
        repository.Refs.UpdateTarget(repository.Refs[BranchReference], commit.Id, "gitops: commit config change");
        return commit;
    }

    private Commit CreateSignedCommit(Signature signature, string message, Tree tree, ICommitSigner signer, Deadline deadline)
    {
        var content = LibGit2Sharp.Commit.CreateBuffer(signature, signature, message, tree, [Tip], prettifyMessage: false, commentChar: null);
        var id = repository.ObjectDatabase.CreateCommitWithSignature(content, signer.Sign(content, deadline));
        return repository.Lookup<Commit>(id);
    }

    /// <summary>
    /// Pushes the branch (fast-forward only). False when the remote branch moved since the clone; throws GITOPS023 when
    /// the server refused the update for another reason (hook, protected branch).
    /// </summary>
    /// <remarks>
    /// <paramref name="deadline"/>: the pushing writer's limit, not the one of the clone (which may have been made
    /// early, by <see cref="ConfigClonePrefetch"/>, minutes before).
    /// </remarks>
    public bool TryPush(Deadline deadline)
    {
        var rejections = new List<PushStatusError>();
        var options = new PushOptions
        {
            // Server-side rejections arrive only here, and throwing inside this callback aborts the process: collect them.
            OnPushStatusError = rejections.Add,
            OnPushTransferProgress = (_, _, _) => deadline.KeepGoing(),
            OnPackBuilderProgress = (_, _, _) => deadline.KeepGoing(),
        };

        try
        {
            // No '+': never force. The remote must still be at our parent.
            access.Run(deadline,
                () => repository.Network.Push(repository.Network.Remotes[RemoteName], $"{BranchReference}:{BranchReference}", options));
        }
        catch (LibGit2SharpException e) when (GitErrorClassifier.Classify(e) == GitFailure.Conflict)
        {
            return false;
        }

        if (rejections.Count == 0)
            return true;
        if (rejections.All(rejection => GitErrorClassifier.IsConflict(rejection.Message)))
            return false;

        var reasons = string.Join("; ", rejections.Select(rejection => UrlRedactor.Redact(rejection.Message)));
        throw new GitOpsException(Errors.ConfigPushRejected, location.DisplayUrl, Branch, reasons);
    }

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
        var shallow = repository.Info.IsShallow;
        var trackingRef = $"refs/remotes/{RemoteName}/{Branch}";
        var options = new FetchOptions { Depth = shallow ? 1 : 0, TagFetchMode = TagFetchMode.None };
        options.OnTransferProgress = _ => deadline.KeepGoing();
        options.OnProgress = _ => deadline.KeepGoing();
        try
        {
            access.Run(deadline, () => Commands.Fetch(repository, RemoteName, [$"+{BranchReference}:{trackingRef}"], options, logMessage: null));
        }
        catch (LibGit2SharpException)
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
        Tree = new ConfigTree(tip.Tree, tip.Message, repository.ObjectDatabase, deadline, location.DisplayUrl);
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

    public void Dispose()
    {
        access.Dispose();
        repository.Dispose();
        TempDirectory.TryDelete(Directory);
    }

    private string BranchReference => "refs/heads/" + Branch;

    private static GitOpsException BranchOrRepositoryMissing(bool hasBranches, string branch, ConfigRepositoryLocation location) =>
        hasBranches
            ? new GitOpsException(Errors.ConfigBranchMissing, branch, location.DisplayUrl)
            : new GitOpsException(Errors.ConfigRepositoryEmpty, location.DisplayUrl);

    /// <summary>Asks the remote for its branches, through a throwaway repository (libgit2 needs one to list remote refs).</summary>
    private static bool HasBranches(RemoteAccess access, Deadline deadline, string directory)
    {
        using var probe = new Repository(Repository.Init(directory, isBare: true));
        return access.Run(deadline, () => probe.Network.ListReferences(access.LibGit2Url).Any(reference => reference.IsLocalBranch));
    }
}
