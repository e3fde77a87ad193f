using LibGit2Sharp;

namespace GitOps.Build.ConfigRepo;

/// <summary>The config commit: blobs, tree and commit written into the clone without a working tree, signed when asked.</summary>
internal sealed partial class ConfigRepositoryClone
{
    /// <summary>
    /// Writes the changed blobs, a tree based on the tip's tree and a commit whose only parent is the tip, then moves the
    /// local branch to it. File modes are kept (an executable stays executable); new files are plain files.
    /// With a <paramref name="signer"/>, the commit carries its signature (gpgsig header), as `git commit -S` writes it.
    /// </summary>
    public Commit Commit(IReadOnlyList<ConfigFileChange> changes, string message, Signature signature, Deadline deadline, ICommitSigner? signer = null)
    {
        var tree = treeless is null ? TreeWith(changes) : TreelessTree(changes, deadline, out pendingObjects);
        // prettifyMessage: false keeps the caller's rendered message (trailers, blank lines) byte for byte.
        var commit = signer is null
            ? repository.ObjectDatabase.CreateCommit(signature, signature, message, tree, [Tip], prettifyMessage: false)
            : CreateSignedCommit(signature, message, tree, signer, deadline);
        repository.Refs.UpdateTarget(repository.Refs[BranchReference], commit.Id, "gitops: commit config change");
        return commit;
    }

    /// <summary>The new objects of a treeless clone's last commit, besides the commit itself: what its push sends.</summary>
    private IReadOnlyList<Wire.WireObject> pendingObjects = [];

    private Tree TreeWith(IReadOnlyList<ConfigFileChange> changes)
    {
        var definition = TreeDefinition.From(Tip.Tree);
        foreach (var change in changes)
        {
            using var content = new MemoryStream(change.NewContent, writable: false);
            var blob = repository.ObjectDatabase.CreateBlob(content);
            definition.Add(change.Path, blob, Tree.Find(change.Path)?.Mode ?? Mode.NonExecutableFile);
        }

        return repository.ObjectDatabase.CreateTree(definition);
    }

    private Commit CreateSignedCommit(Signature signature, string message, Tree tree, ICommitSigner signer, Deadline deadline)
    {
        var content = LibGit2Sharp.Commit.CreateBuffer(signature, signature, message, tree, [Tip], prettifyMessage: false, commentChar: null);
        var id = repository.ObjectDatabase.CreateCommitWithSignature(content, signer.Sign(content, deadline));
        return repository.Lookup<Commit>(id);
    }
}
