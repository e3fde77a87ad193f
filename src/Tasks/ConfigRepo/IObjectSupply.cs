namespace GitOps.Build.ConfigRepo;

/// <summary>
/// Brings into a treeless clone the objects a read of its tree needs, before <see cref="ConfigTree"/> reads them: the
/// trees on a file's path and the file, or a directory's whole subtree.
/// </summary>
internal interface IObjectSupply
{
    /// <summary>The trees on <paramref name="path"/>'s way and the blob at it, if they exist.</summary>
    void EnsureFile(string path, Deadline? deadline);

    /// <summary>The tree at <paramref name="directory"/> ("" = the root) and everything under it, if it exists.</summary>
    void EnsureDirectory(string directory, Deadline? deadline);

    /// <summary>The trees under <paramref name="directory"/>, and of its files only those <paramref name="include"/> accepts (by path).</summary>
    void EnsureDirectory(string directory, Func<string, bool> include, Deadline? deadline);
}

/// <summary>
/// The server did not serve a treeless fetch after all (refused a want by id, or answered what cannot be read): the
/// writer logs <see cref="Exception.Message"/> once and clones instead. <paramref name="cause"/>: the wire's own
/// failure, where there was one (an <see cref="Wire.AnswerPastBoundException"/> is not asked for again).
/// </summary>
internal sealed class TreelessUnavailableException(string reason, Exception? cause = null) : Exception(reason, cause);
