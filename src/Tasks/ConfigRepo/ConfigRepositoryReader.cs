using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>A commit of the config repository, as the history readers report it.</summary>
internal sealed record ConfigCommitInfo(string Sha, string Message, DateTimeOffset Date);

/// <summary>
/// Reads a branch of the config repository with some of its history, and never writes: a bare clone in a temporary
/// directory, deleted afterwards. Promotion and GitOpsStatus read what an environment runs and the commit that put it there.
/// </summary>
/// <remarks><paramref name="depth"/>: commits of history an HTTP or SSH clone fetches (a rollback needs only the tip and its parent).</remarks>
internal sealed class ConfigRepositoryReader(GitCredentials? credentials, ConfigWriterOptions options, int depth = ConfigRepositoryReader.HistoryDepth) : IConfigReader
{
    /// <summary>
    /// Commits of history fetched over HTTP, and walked looking for a deploy commit: enough for months of deploys to one
    /// branch, and a bounded transfer (a depth-1 clone, as the writer makes, holds only the tip).
    /// </summary>
    public const int HistoryDepth = 200;

    T IConfigReader.Read<T>(ConfigRepositoryLocation location, string? branch, Func<IConfigSnapshot, T> read, CancellationToken cancellationToken) =>
        Read(location, branch, clone => read(clone), cancellationToken);

    /// <summary>Clones <paramref name="branch"/> (null: the default branch) and runs <paramref name="read"/> on it, within the timeout.</summary>
    public T Read<T>(ConfigRepositoryLocation location, string? branch, Func<ConfigRepositoryClone, T> read, CancellationToken cancellationToken)
    {
        var deadline = new Deadline(options.Timeout, cancellationToken);
        try
        {
            using var clone = ConfigRepositoryClone.Create(location, branch, location.Credentials(credentials), options, deadline, depth);
            return read(clone);
        }
        catch (LibGit2SharpException e) when (GitErrorClassifier.Classify(e) == GitFailure.Cancelled)
        {
            deadline.ThrowIfExpired(location.DisplayUrl);
            throw GitErrorClassifier.ToGitOpsException(e, location.DisplayUrl);
        }
        catch (LibGit2SharpException e)
        {
            throw GitErrorClassifier.ToGitOpsException(e, location.DisplayUrl);
        }
    }
}
