using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// A bare clone of the config repository in a temporary directory: read the tip's tree, commit on top of it without a
/// working tree, push. After a lost push race <see cref="TryAdvance"/> fetches the branch's new tip into it, so the next
/// round downloads what changed rather than the whole tree again. Disposing deletes the directory.
/// </summary>
/// <remarks>
/// This file: the clone itself. Beside it: <c>.Missing</c> (why a branch is not there), <c>.History</c> (the last
/// change of some files), <c>.Commit</c> (commit and signature), <c>.Push</c> (push and the check that it landed),
/// <c>.Advance</c> (fetch a new tip, with libgit2's shallow-file workaround), <c>.TipChange</c> (what the tip commit changed, for a rollback),
/// <c>.Ancestry</c> (whether an interrupted push landed under later commits).
/// </remarks>
internal sealed partial class ConfigRepositoryClone : IConfigSnapshot, IDisposable
{
    /// <summary>
    /// The remote the clone made, which the push and fetch go through (libgit2 pushes only through a named remote). Its
    /// URL is <see cref="RemoteAccess.LibGit2Url"/>: it routes the calls to our transport, which takes the address from
    /// the location, not from this URL.
    /// </summary>
    private const string RemoteName = "origin";

    private readonly Repository repository;
    private readonly ConfigRepositoryLocation location;
    private readonly RemoteAccess access;
    private readonly TreelessStore? treeless;
    private bool started;

    private ConfigRepositoryClone(Repository repository, string directory, Commit tip, ConfigRepositoryLocation location, RemoteAccess access, Deadline deadline,
        TreelessStore? treeless = null)
    {
        this.repository = repository;
        this.location = location;
        this.access = access;
        this.treeless = treeless;
        Directory = directory;
        Branch = repository.Head.FriendlyName;
        Tip = tip;
        Tree = new ConfigTree(tip.Tree, tip.Message, repository.ObjectDatabase, deadline, location.DisplayUrl, tip.Sha, treeless);
    }

    /// <summary>True when this clone holds only the tip commit and what reads fetched since (<see cref="TreelessStore"/>).</summary>
    public bool IsTreeless => treeless is not null;

    /// <summary>Why a clone that could have been treeless was cloned instead (for the one log line that says so); null otherwise.</summary>
    public string? TreelessUnavailable { get; private set; }

    /// <summary>Why a treeless clone's server was not asked for the branch by name (want-ref), for one detailed log line; null otherwise.</summary>
    public string? RefInWantDeclined => treeless?.RefInWantDeclined;

    /// <summary>Round trips and bytes of a treeless clone's exchanges so far; null for a libgit2 clone.</summary>
    public WireCounters? Transfer => treeless?.Counters;

    public string Directory { get; }

    /// <summary>Where in <see cref="Directory"/> the bare clone itself is.</summary>
    internal const string GitDirectoryName = "git";

    /// <summary>The branch written to: the requested one, the remote's default branch, or a started one.</summary>
    public string Branch { get; private set; }

    public Commit Tip { get; private set; }

    /// <summary>The tip's id, for callers outside the repository folders (LibGit2Sharp's types stay in them).</summary>
    public string TipSha => Tip.Sha;

    public ConfigTree Tree { get; private set; }

    IConfigTree IConfigSnapshot.Tree => Tree;

    private string BranchReference => "refs/heads/" + Branch;

    /// <summary>Clones the branch tip (null or empty <paramref name="branch"/>: the remote's default branch).</summary>
    /// <remarks>
    /// <paramref name="deadline"/> bounds every wait: HTTP and SSH transfers stop at it (see <see cref="IRemoteTransport"/>),
    /// and libgit2's progress callbacks stop local transfers. <paramref name="depth"/>: how many commits of history an
    /// HTTP or SSH clone fetches (local clones always have all of it); the writer needs only the tip.
    /// With <paramref name="treeless"/>, a depth-1 clone over a route that speaks git's wire protocol itself (HTTP, SSH) is
    /// treeless when the server allows filters (<see cref="TreelessStore"/>); otherwise it is cloned and
    /// <see cref="TreelessUnavailable"/> says why.
    /// </remarks>
    public static ConfigRepositoryClone Create(
        ConfigRepositoryLocation location, string? branch, GitCredentials? credentials, ConfigWriterOptions writerOptions, Deadline deadline, int depth = 1,
        bool treeless = true)
    {
        // The bare clone goes in a subdirectory: libgit2 clones only into an empty one, and the marker is written first.
        var directory = TempDirectory.Create(writerOptions.WorkDirectory, TempDirectory.ConfigClonePrefix);
        var gitDirectory = System.IO.Path.Combine(directory, GitDirectoryName);
        var access = new RemoteAccess(location, credentials, writerOptions);
        string? unavailable = null;
        if (treeless && depth == 1 && access.WireRoute is { } wire)
        {
            try
            {
                if (TryCreateTreeless(wire, location, branch, directory, gitDirectory, access, deadline, out unavailable) is { } created)
                    return created;
            }
            catch
            {
                access.Dispose();
                TempDirectory.TryDelete(directory);
                throw;
            }
        }
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

            return new ConfigRepositoryClone(repository, directory, tip, location, access, deadline) { TreelessUnavailable = unavailable };
        }
        catch
        {
            access.Dispose();
            repository?.Dispose();
            TempDirectory.TryDelete(directory);
            throw;
        }
    }

    /// <summary>Writes to a new branch that starts at the tip, instead of the cloned one.</summary>
    public void StartBranch(string name)
    {
        repository.Refs.Add("refs/heads/" + name, Tip.Id);
        Branch = name;
        started = true;
    }

    public void Dispose()
    {
        access.Dispose();
        repository.Dispose();
        TempDirectory.TryDelete(Directory);
    }
}
