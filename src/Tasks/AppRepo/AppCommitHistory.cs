using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.AppRepo;

/// <summary>
/// The app repository's commit graph, as the deploy-order guard reads it during a deploy: which commit a SHA names and
/// which commits descend from which. A repository that cannot be read is GITOPS019, never a config-repository error.
/// </summary>
internal sealed class AppCommitHistory : IDisposable
{
    private readonly Repository repository;
    private readonly string directory;

    private AppCommitHistory(Repository repository, string directory)
    {
        this.repository = repository;
        this.directory = directory;
    }

    /// <summary>Where the history was read: the working tree, or the Git directory of a bare repository.</summary>
    public string Location => Read(() => repository.Info.WorkingDirectory ?? repository.Info.Path);

    /// <summary>A shallow clone lacks older commits: an unknown commit may be one of them.</summary>
    public bool IsShallow => Read(() => repository.Info.IsShallow);

    /// <summary>The repository that holds <paramref name="startDirectory"/>, or null when there is none.</summary>
    /// <exception cref="GitOpsException">GITOPS019 when there is one, but it cannot be read.</exception>
    public static AppCommitHistory? Open(string startDirectory)
    {
        string? gitDirectory = null;
        try
        {
            gitDirectory = Repository.Discover(startDirectory);
            return gitDirectory is null ? null : new AppCommitHistory(new Repository(gitDirectory), gitDirectory);
        }
        catch (LibGit2SharpException e)
        {
            throw Unreadable(gitDirectory ?? startDirectory, e);
        }
    }

    /// <summary>The full SHA of the commit a full or abbreviated SHA names; null for anything else, unknown or ambiguous.</summary>
    public string? Resolve(string? sha)
    {
        if (sha is null || sha.Length < SourceRevision.MinimumAbbreviation || sha.Length > 64 || !sha.All(Uri.IsHexDigit))
            return null;
        try
        {
            return repository.Lookup<Commit>(sha.ToLowerInvariant())?.Sha;
        }
        catch (AmbiguousSpecificationException)
        {
            return null;
        }
        catch (NotFoundException)
        {
            // A shallow clone's missing object.
            return null;
        }
        catch (LibGit2SharpException e)
        {
            throw Unreadable(directory, e);
        }
    }

    /// <summary>The best common ancestor of two resolved commits; null when their histories are unrelated (or cut off by a shallow clone).</summary>
    public string? MergeBase(string first, string second) =>
        Read(() => repository.ObjectDatabase.FindMergeBase(repository.Lookup<Commit>(first), repository.Lookup<Commit>(second))?.Sha);

    /// <summary>The full SHA of HEAD; null when the repository has no commit checked out.</summary>
    public string? Head => Read(() => repository.Head.Tip?.Sha);

    /// <summary>
    /// How many commits <paramref name="later"/> has that <paramref name="earlier"/> does not, when <paramref name="earlier"/>
    /// is an ancestor of it (or the same); null when it is not (another branch, a later commit, or cut off by a shallow clone).
    /// </summary>
    public int? CommitsBehind(string earlier, string later) => Read(() =>
    {
        if (earlier == later) return (int?)0;
        if (MergeBase(earlier, later) != earlier) return null;
        var filter = new CommitFilter { IncludeReachableFrom = later, ExcludeReachableFrom = earlier };
        return repository.Commits.QueryBy(filter).Count();
    });

    public void Dispose() => repository.Dispose();

    private T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (LibGit2SharpException e)
        {
            throw Unreadable(directory, e);
        }
    }

    private static GitOpsException Unreadable(string directory, LibGit2SharpException e) =>
        new(e, Errors.AppRepositoryUnreadable, directory, e.Message.ReplaceLineEndings(" ").Trim());
}
