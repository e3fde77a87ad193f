namespace GitOps.Build.ConfigRepo;

/// <summary>What to commit where.</summary>
/// <param name="Repository">
/// Where (https, http, ssh, scp-style, file, a local path), as <see cref="ConfigRepositoryLocation.Parse"/> made it from
/// GitOpsConfigRepository: the clone, the transports and the push use its typed address and never parse the URL again.
/// </param>
/// <param name="Branch">Null or empty: the remote's default branch (its HEAD).</param>
/// <param name="Message">The full commit message (subject, body, trailers), already rendered.</param>
/// <param name="AuthorName">Author and committer name.</param>
/// <param name="AuthorEmail">Author and committer e-mail.</param>
/// <param name="DryRun">Clone and compute the changes, but neither commit nor push.</param>
/// <param name="PushBranch">
/// When set, the commit goes to this branch instead (for a pull request into <paramref name="Branch"/>): on top of it
/// when it exists, else created from <paramref name="Branch"/>.
/// </param>
internal sealed record ConfigCommitRequest(
    ConfigRepositoryLocation Repository,
    string? Branch,
    string Message,
    string AuthorName,
    string AuthorEmail,
    bool DryRun = false,
    string? PushBranch = null);
