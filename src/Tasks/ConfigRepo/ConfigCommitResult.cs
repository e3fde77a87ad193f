namespace GitOps.Build.ConfigRepo;

/// <summary>One file the change rewrote; <see cref="OldContent"/> is empty for a new file. Enough to print a unified diff.</summary>
internal sealed record ConfigFileChange(string Path, byte[] OldContent, byte[] NewContent);

/// <summary>What <see cref="ConfigRepositoryWriter.Commit"/> did.</summary>
/// <param name="Branch">The branch written to (the default branch's name when the request named none).</param>
/// <param name="CommitSha">The pushed commit; null when nothing changed or on a dry run.</param>
/// <param name="PreviousTipSha">The branch tip the change was applied to.</param>
/// <param name="Change">What the change came to on that tip: its files, and why.</param>
/// <param name="Attempts">Clone-apply-push rounds needed (1 unless other pushes or the network got in the way).</param>
internal sealed record ConfigCommitResult(
    string Branch,
    string? CommitSha,
    string? PreviousTipSha,
    AppliedChange Change,
    int Attempts)
{
    public bool Committed => CommitSha is not null;

    /// <summary>The files that differ from that tip.</summary>
    public IReadOnlyList<ConfigFileChange> Changes => Change.Files;
}
