namespace GitOps.Build.Git;

/// <summary>What to commit where.</summary>
/// <param name="RepositoryUrl">https://, http://, file://, or a local path.</param>
/// <param name="Branch">Null or empty: the remote's default branch (its HEAD).</param>
/// <param name="Message">The full commit message (subject, body, trailers), already rendered.</param>
/// <param name="AuthorName">Author and committer name.</param>
/// <param name="AuthorEmail">Author and committer e-mail.</param>
/// <param name="DryRun">Clone and compute the changes, but neither commit nor push.</param>
public sealed record ConfigCommitRequest(
    string RepositoryUrl,
    string? Branch,
    string Message,
    string AuthorName,
    string AuthorEmail,
    bool DryRun = false);
