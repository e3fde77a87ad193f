namespace GitOps.Build.Git;

/// <summary>What to commit where.</summary>
/// <param name="RepositoryUrl">https://, http://, ssh://, scp-style user@host:path, file://, or a local path.</param>
/// <param name="Branch">Null or empty: the remote's default branch (its HEAD).</param>
/// <param name="Message">The full commit message (subject, body, trailers), already rendered.</param>
/// <param name="AuthorName">Author and committer name.</param>
/// <param name="AuthorEmail">Author and committer e-mail.</param>
/// <param name="DryRun">Clone and compute the changes, but neither commit nor push.</param>
/// <param name="PushBranch">
/// When set, the commit goes to this branch instead (for a pull request into <paramref name="Branch"/>): on top of it
/// when it exists, else created from <paramref name="Branch"/>.
/// </param>
public sealed record ConfigCommitRequest(
    string RepositoryUrl,
    string? Branch,
    string Message,
    string AuthorName,
    string AuthorEmail,
    bool DryRun = false,
    string? PushBranch = null);
