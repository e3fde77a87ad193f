namespace GitOps.Build.AppRepo;

/// <summary>The app commit an image is built from.</summary>
/// <param name="CommitSha">Full SHA.</param>
/// <param name="ShortSha">Unique abbreviation (at least 7 characters) used as the default image tag.</param>
/// <param name="RepositoryUrl">The app repository's remote URL without credentials, when known.</param>
/// <param name="Origin">Where the commit was read: a repository path, or the environment variable that named it.</param>
internal sealed record SourceRevision(string CommitSha, string ShortSha, string? RepositoryUrl, string Origin)
{
    /// <summary>The shortest commit abbreviation used as a tag (git's own default), and accepted back as one.</summary>
    public const int MinimumAbbreviation = 7;

    /// <summary>A revision known only by its full SHA (from a CI variable): the tag is its shortest abbreviation.</summary>
    public static SourceRevision FromFullSha(string commitSha, string? repositoryUrl, string origin) =>
        new(commitSha, commitSha[..MinimumAbbreviation], repositoryUrl, origin);
}
