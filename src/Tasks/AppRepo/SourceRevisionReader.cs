using GitOps.Build.Diagnostics;
using LibGit2Sharp;

namespace GitOps.Build.AppRepo;

/// <summary>Finds the commit a project is built from in the Git repository above it.</summary>
internal static class SourceRevisionReader
{
    private const int DirtyPathsShown = 5;

    /// <param name="projectDirectory">Where the search for a repository starts (walking upward).</param>
    /// <param name="allowDirty">Accept uncommitted changes to tracked files.</param>
    /// <returns>The revision, or null when there is no repository (exported sources: the CI's variables may name the commit).</returns>
    public static SourceRevision? TryRead(string projectDirectory, bool allowDirty)
    {
        var gitDirectory = Repository.Discover(projectDirectory);
        return gitDirectory is null ? null : FromRepository(gitDirectory, allowDirty);
    }

    /// <summary>
    /// The app commit <paramref name="sha"/> as the Git repository around <paramref name="directory"/> records it: author,
    /// subject, body, date and remote URL. Null when there is no repository there or it does not hold that commit.
    /// </summary>
    public static AppCommit? TryReadCommit(string directory, string sha)
    {
        var gitDirectory = Repository.Discover(directory);
        if (gitDirectory is null)
            return null;
        try
        {
            using var repository = new Repository(gitDirectory);
            if (repository.Lookup<Commit>(sha) is not { } commit)
                return null;
            // git's subject is the first paragraph; the body is what follows the first blank line.
            var message = commit.Message.ReplaceLineEndings("\n");
            var bodyStart = message.IndexOf("\n\n", StringComparison.Ordinal);
            var body = bodyStart < 0 ? null : message[(bodyStart + 2)..].Trim('\n');
            return new AppCommit(commit.Sha, RemoteUrl(repository), commit.Author.Name, commit.Author.Email,
                commit.MessageShort, string.IsNullOrWhiteSpace(body) ? null : body, commit.Author.When);
        }
        catch (Exception e) when (e is LibGit2SharpException or ArgumentException)
        {
            // Not a commit of this repository (or not a revision at all): the trailers then say only what is known.
            return null;
        }
    }

    private static SourceRevision FromRepository(string gitDirectory, bool allowDirty)
    {
        try
        {
            using var repository = new Repository(gitDirectory);
            var root = repository.Info.WorkingDirectory ?? repository.Info.Path;
            if (repository.Info.IsHeadUnborn)
                throw new GitOpsException(Errors.RepositoryHasNoCommits, root);

            var commit = repository.Head.Tip;
            var shortSha = repository.ObjectDatabase.ShortenObjectId(commit, SourceRevision.MinimumAbbreviation);
            if (!allowDirty && !repository.Info.IsBare)
                ThrowIfDirty(repository, root, shortSha);

            return new SourceRevision(commit.Sha, shortSha, RemoteUrl(repository), root);
        }
        catch (LibGit2SharpException e)
        {
            throw new GitOpsException(e, Errors.SourceRepositoryUnreadable, gitDirectory, e.Message);
        }
    }

    private static void ThrowIfDirty(Repository repository, string root, string shortSha)
    {
        // Untracked files (build output, local notes) do not change what a commit describes; tracked edits do.
        var status = repository.RetrieveStatus(new StatusOptions
        {
            IncludeUntracked = false,
            RecurseUntrackedDirs = false,
            IncludeIgnored = false,
            ExcludeSubmodules = true,
        });
        var changed = status.Where(e => e.State != FileStatus.Unaltered && e.State != FileStatus.Ignored)
            .Select(e => e.FilePath).ToList();
        if (changed.Count == 0) return;

        var shown = string.Join(", ", changed.Take(DirtyPathsShown));
        if (changed.Count > DirtyPathsShown) shown += $" and {changed.Count - DirtyPathsShown} more";
        throw new GitOpsException(Errors.DirtyWorkingTree, root, shown, shortSha);
    }

    private static string? RemoteUrl(Repository repository)
    {
        var remote = repository.Network.Remotes["origin"] ?? repository.Network.Remotes.FirstOrDefault();
        return remote is null ? null : UrlRedactor.Redact(remote.Url);
    }
}
