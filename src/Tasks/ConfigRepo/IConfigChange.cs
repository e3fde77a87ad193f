namespace GitOps.Build.ConfigRepo;

/// <summary>
/// A change to the config repository, expressed as a function of its current content. The writer applies it again
/// to the new tip after every lost push race, so it must read what it changes from <see cref="IConfigTree"/>
/// rather than carry a precomputed patch.
/// </summary>
internal interface IConfigChange
{
    /// <summary>What the change comes to on this tip: the files to commit (none: nothing to do), and why.</summary>
    AppliedChange Apply(IConfigTree tree);

    /// <summary>
    /// What <see cref="Apply"/> reads of the tree, said first: the writer has a treeless clone fetch it all together
    /// (<see cref="ConfigTree.Prefetch"/>) instead of one path after the other. None: the change reads as it goes.
    /// </summary>
    IReadOnlyList<TreeRead> Reads => [];
}

/// <summary>
/// What applying a change to one tip came to, carried into <see cref="ConfigCommitResult"/>. Changes derive from it to
/// say why (a deployment's verdict); the writer needs only the files.
/// </summary>
/// <param name="Files">
/// The files whose content differs from the tip (old content empty for a new file), compared once by the change
/// itself; empty when there is nothing to commit.
/// </param>
internal record AppliedChange(IReadOnlyList<ConfigFileChange> Files);
