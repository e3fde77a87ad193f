namespace GitOps.Build.AppRepo;

/// <summary>
/// The app commit a deploy comes from, as far as the build knows it: from the app's Git repository all of it; from CI
/// variables only the SHA and the repository URL (the rest is null, never guessed).
/// </summary>
internal sealed record AppCommit(
    string Sha,
    string? RepositoryUrl = null,
    string? AuthorName = null,
    string? AuthorEmail = null,
    string? Subject = null,
    string? Body = null,
    DateTimeOffset? Date = null);
