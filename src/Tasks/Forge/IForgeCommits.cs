namespace GitOps.Build.Forge;

/// <summary>
/// The calls GitOpsCommitMethod=api makes on a forge: read a branch's tip and the files a deploy needs, and commit onto
/// that tip without a clone, never forcing. One implementation per forge (composed by Tasks, as the pull-request
/// clients are); every call goes through <see cref="ForgeHttp"/>, so credentials, proxy, CA, deadline, Ctrl+C and rate
/// limits behave as for pull requests, and failures are the same coded errors (GITOPS125-130).
/// </summary>
internal interface IForgeCommits : IDisposable
{
    ForgeRepository Repository { get; }

    /// <summary>The repository's default branch (GitOpsConfigBranch unset).</summary>
    Task<string> DefaultBranchAsync(CancellationToken cancellationToken);

    /// <summary>The branch's tip: its commit, message and root tree; null when the branch does not exist.</summary>
    Task<ForgeTip?> ReadTipAsync(string branch, CancellationToken cancellationToken);

    /// <summary>The file at <paramref name="path"/> on the tip, with its content; null when nothing, or a directory, is there.</summary>
    /// <exception cref="Diagnostics.GitOpsException">GITOPS050 when the path is a symbolic link.</exception>
    Task<ForgeFile?> ReadFileAsync(ForgeTip tip, string path, CancellationToken cancellationToken);

    /// <summary>Every file under <paramref name="directory"/> ("" = root), recursively, links flagged; empty when it is not a directory.</summary>
    Task<IReadOnlyList<ForgeEntry>> ListAsync(ForgeTip tip, string directory, CancellationToken cancellationToken);

    /// <summary>The content of a file <see cref="ListAsync"/> found.</summary>
    Task<byte[]> ReadAsync(ForgeTip tip, ForgeEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// The commits of the tip's history that changed <paramref name="path"/>, newest first, at most
    /// <paramref name="limit"/>: the forge's path-filtered commit listing (first parents where it can be asked for:
    /// GitLab, Azure DevOps; else git log's simplified history). A promotion under GitOpsCommitMethod=api finds the
    /// source's deploy commit in it.
    /// </summary>
    Task<IReadOnlyList<ForgeChange>> HistoryAsync(ForgeTip tip, string path, int limit, CancellationToken cancellationToken);

    /// <summary>A commit's full message, where <see cref="HistoryAsync"/> gave it cut short (Azure DevOps' listing).</summary>
    Task<string> MessageAsync(ForgeTip tip, string sha, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"The {Repository.Kind} listing gives whole messages.");

    /// <summary>
    /// Whether <paramref name="ancestor"/> is <paramref name="descendant"/> or one of its ancestors, in the forge's own
    /// compare or merge-base call; null when the forge knows one of the two commits not. <paramref name="branch"/> only
    /// names the branch in a failure's message. The deploy wait asks it under GitOpsCommitMethod=api (<see cref="ForgeAncestry"/>).
    /// </summary>
    Task<bool?> IsAncestorAsync(string ancestor, string descendant, string branch, CancellationToken cancellationToken);

    /// <summary>
    /// The tip's parents and the files it changed against its first parent, as the forge's single-commit read or diff
    /// reports them (a rollback's read under GitOpsCommitMethod=api: <see cref="ForgeTipChanges"/>).
    /// </summary>
    Task<ForgeCommitChanges> ChangesAsync(ForgeTip tip, CancellationToken cancellationToken);

    /// <summary>
    /// Commits the files onto <see cref="ForgeCommitSpec.Parent"/> and moves (or creates) the branch to it, only if the
    /// branch is still at the parent (or, created, still absent). <paramref name="created"/> is told the new commit as
    /// soon as it exists, before the branch moves: a write cut off after it may have landed. A forge whose write is one
    /// call (a push, a commit with actions) tells it when that call answers.
    /// </summary>
    /// <remarks>
    /// The guard is the forge's own, never a force: the branch itself where the API takes the tip it expects (GitHub's
    /// ref update, Azure DevOps' oldObjectId, Bitbucket's parents); where it guards only the files written (GitLab's
    /// last_commit_id, Gitea's per-file sha: each client says which guard it has), a tip moved by commits that touched
    /// none of them takes the commit on top, which is the tree re-reading and re-applying the change would give. A refused write is a lost race only when a
    /// read of the branch shows it moved; else it is the coded error.
    /// </remarks>
    /// <returns>
    /// The new commit and whether the answer itself puts the branch at it; null when the branch moved first (a lost
    /// race: read again and re-apply).
    /// </returns>
    /// <exception cref="Diagnostics.GitOpsException">GITOPS147 when the answer says the branch is at another commit, or names none where the description requires it.</exception>
    Task<ForgeWrite?> WriteAsync(ForgeCommitSpec spec, Action<string> created, CancellationToken cancellationToken);
}

/// <summary>What a write's answer says it did.</summary>
/// <param name="Sha">The new commit; null where the answer did not name it (Bitbucket's 201 without a Location): the branch's tip holding the message names it.</param>
/// <param name="AtTip">
/// The answer itself says the branch is now at <paramref name="Sha"/> (GitHub's ref, Azure DevOps' refUpdates). Else a
/// success proves only that a commit was made, and the branch is read to see it moved (ForgeCommitWriter).
/// </param>
internal sealed record ForgeWrite(string? Sha, bool AtTip);

/// <summary>A branch's tip as the forge reports it.</summary>
/// <param name="Branch">The branch (a branch to be created: the one it will be).</param>
/// <param name="Sha">The tip commit.</param>
/// <param name="Message">Its full message (the trailers say what was deployed last).</param>
/// <param name="Tree">The root tree's id where the forge's calls use it (GitHub's trees and base_tree); else empty.</param>
internal sealed record ForgeTip(string Branch, string Sha, string Message, string Tree);

/// <summary>A commit of a file's history as the forge lists it.</summary>
/// <param name="Sha">The commit's id.</param>
/// <param name="Date">Its committer date.</param>
/// <param name="Message">Its full message; null where the listing cut it short (<see cref="IForgeCommits.MessageAsync"/> reads it).</param>
internal sealed record ForgeChange(string Sha, DateTimeOffset Date, string? Message);

/// <summary>What a commit changed, as the forge reports it.</summary>
/// <param name="Parents">Its parents' ids, in order.</param>
/// <param name="Files">Each path it changed against its first parent.</param>
internal sealed record ForgeCommitChanges(IReadOnlyList<string> Parents, IReadOnlyList<ForgeFileChange> Files);

/// <summary>One path a commit changed.</summary>
/// <param name="Path">Its path after the commit (a deleted file's: before), relative to the root, '/' separators.</param>
/// <param name="Status">
/// The forge's word for the change, lower case: <see cref="Modified"/> (content only, as far as the forge says) is the
/// one a rollback can undo; any other (added, removed, renamed, a mode or type change …) it names in GITOPS162.
/// </param>
/// <param name="OldMode">Git's mode before, where the forge says (GitLab's diff); else null.</param>
/// <param name="NewMode">Git's mode after, where the forge says; else null.</param>
internal sealed record ForgeFileChange(string Path, string Status, string? OldMode = null, string? NewMode = null)
{
    public const string Modified = "modified";
}

/// <summary>A file in the forge's tree, found without reading it.</summary>
/// <param name="Path">Relative to the repository root, '/' separators.</param>
/// <param name="Size">In bytes; 0 when the listing does not say (GitLab's tree, Azure DevOps' items).</param>
/// <param name="Mode">Git's file mode as the forge reports it (100644, 100755, 120000 for a link); null when the read did not say.</param>
/// <param name="Id">
/// Git's blob id, which the forge's listing gives and reads a file by; Bitbucket's listing gives none, so there it is the path.
/// </param>
internal sealed record ForgeEntry(string Path, long Size, string? Mode, string Id)
{
    public const string RegularFile = "100644";

    public const string SymbolicLink = "120000";

    public bool IsSymbolicLink => Mode == SymbolicLink;
}

/// <summary>A file read with its content.</summary>
internal sealed record ForgeFile(ForgeEntry Entry, byte[] Content);

/// <summary>One file a commit writes: its bytes exactly, and its mode (the one it had).</summary>
/// <param name="Path">Relative to the repository root, '/' separators.</param>
/// <param name="Mode">Git's file mode it had (100644, 100755).</param>
/// <param name="Content">Its new bytes.</param>
/// <param name="BaseId">The id the file was read by at the parent (<see cref="ForgeEntry.Id"/>): the guard of a forge that checks each file (Gitea's sha).</param>
internal sealed record ForgeFileWrite(string Path, string Mode, byte[] Content, string? BaseId = null);

/// <summary>Author and committer of a commit; none (null) lets the forge name and sign it.</summary>
internal sealed record CommitIdentity(string Name, string Email, DateTimeOffset When);

/// <summary>What to commit where.</summary>
/// <param name="Branch">The branch to move (or create).</param>
/// <param name="Parent">The tip the change was applied to: the new commit's parent, and where the branch must still be.</param>
/// <param name="CreateBranch">True: the branch does not exist yet and is created at the new commit (a pull request's branch).</param>
/// <param name="Files">The files whose content changes.</param>
/// <param name="Message">The full commit message, trailers included.</param>
/// <param name="Author">Null: no author, committer nor signature is sent, so the forge makes (and, a GitHub App's, signs) the commit.</param>
/// <param name="BaseBranch">With <paramref name="CreateBranch"/>: the branch the parent was read from (Gitea starts a new branch from a branch, not a commit).</param>
internal sealed record ForgeCommitSpec(string Branch, ForgeTip Parent, bool CreateBranch, IReadOnlyList<ForgeFileWrite> Files, string Message,
    CommitIdentity? Author, string? BaseBranch = null);
