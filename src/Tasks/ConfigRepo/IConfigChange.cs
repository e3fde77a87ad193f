namespace GitOps.Build.ConfigRepo;

/// <summary>
/// A change to the config repository, expressed as a function of its current content. The writer applies it again
/// to the new tip after every lost push race, so it must read what it changes from <see cref="IConfigTree"/>
/// rather than carry a precomputed patch.
/// </summary>
public interface IConfigChange
{
    /// <summary>The new content of each file the change writes (repository-relative paths); empty when there is nothing to do.</summary>
    IReadOnlyDictionary<string, byte[]> Apply(IConfigTree tree);
}
