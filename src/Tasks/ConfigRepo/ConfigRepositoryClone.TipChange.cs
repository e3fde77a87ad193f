using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>What a commit changed against its parent, file by file: what a rollback writes back.</summary>
/// <param name="Sha">The commit.</param>
/// <param name="Message">Its full message (the revert's subject quotes its subject).</param>
/// <param name="Files">Each file it changed, with its content in the parent (old) and in the commit (new).</param>
/// <param name="Unrevertable">
/// Why writing the parent's content back would not undo it, in a few words: a root or merge commit, a file added,
/// deleted or renamed, a mode, link or submodule changed. Null when it only changed the content of files, as deploy commits do.
/// </param>
internal sealed record CommitFileChanges(string Sha, string Message, IReadOnlyList<ConfigFileChange> Files, string? Unrevertable);

/// <summary>What the tip commit changed: read by a rollback in a clone that holds the tip's parent (depth 2 or more).</summary>
internal sealed partial class ConfigRepositoryClone
{
    public CommitFileChanges TipChanges()
    {
        var parents = Tip.Parents.ToList();
        if (parents.Count != 1)
            return new CommitFileChanges(Tip.Sha, Tip.Message, [], parents.Count == 0 ? "it has no parent here" : "it is a merge commit");

        var files = new List<ConfigFileChange>();
        foreach (var change in repository.Diff.Compare<TreeChanges>(parents[0].Tree, Tip.Tree))
        {
            // Only a file whose bytes changed and nothing else can be undone by writing its old bytes back.
            if (change.Status != ChangeKind.Modified || change.OldMode != change.Mode || change.Mode is not (Mode.NonExecutableFile or Mode.ExecutableFile))
                return new CommitFileChanges(Tip.Sha, Tip.Message, [], $"{change.Path}: {change.Status.ToString().ToLowerInvariant()}"
                    + (change.OldMode != change.Mode ? $", mode {change.OldMode} → {change.Mode}" : change.Mode is Mode.NonExecutableFile or Mode.ExecutableFile ? "" : $" ({change.Mode})"));
            if (!ConfigPath.IsCanonical(change.Path))
                return new CommitFileChanges(Tip.Sha, Tip.Message, [], $"{change.Path}: not a path a commit may write");
            files.Add(new ConfigFileChange(change.Path, Content(change.OldOid), Content(change.Oid)));
        }
        return new CommitFileChanges(Tip.Sha, Tip.Message, files, files.Count == 0 ? "it changes no file" : null);
    }

    private byte[] Content(ObjectId blob)
    {
        using var stream = repository.Lookup<Blob>(blob).GetContentStream();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
