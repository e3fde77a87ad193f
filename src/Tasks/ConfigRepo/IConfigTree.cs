namespace GitOps.Build.ConfigRepo;

/// <summary>A file of the config tree, found without reading its content.</summary>
/// <param name="Path">Relative to the repository root, with '/' separators.</param>
/// <param name="Size">Its size in bytes, as the object database records it.</param>
/// <param name="IsSymbolicLink">A link: its content is a path, and it is never followed.</param>
internal sealed record ConfigTreeFile(string Path, long Size, bool IsSymbolicLink = false);

/// <summary>A read-only view of the config repository at the tip of the target branch.</summary>
internal interface IConfigTree
{
    /// <summary>The file at <paramref name="path"/> without reading it; null when nothing, or a directory, is there.</summary>
    /// <exception cref="Diagnostics.GitOpsException">GITOPS050 when the path is, or goes through, a symbolic link.</exception>
    ConfigTreeFile? FindFile(string path);

    /// <summary>Reads a file; false when it does not exist (or is not a file). Symbolic links are never followed.</summary>
    /// <param name="path">Relative to the repository root, with '/' separators.</param>
    /// <param name="content">The file's bytes, exactly as committed.</param>
    bool TryReadFile(string path, out byte[] content);

    /// <summary>Every file under <paramref name="directory"/> ("" = root), recursively, symbolic links included and flagged.</summary>
    IEnumerable<ConfigTreeFile> ListFiles(string directory);

    /// <summary>
    /// The files under <paramref name="directory"/> whose path <paramref name="include"/> accepts (a glob's): a tree
    /// that fetches what it reads (treeless) lists the trees below level by level and fetches only those files.
    /// </summary>
    IEnumerable<ConfigTreeFile> ListFiles(string directory, Func<string, bool> include) => ListFiles(directory).Where(file => include(file.Path));

    /// <summary>The tip commit's full message (its trailers say what was deployed last); null when unknown.</summary>
    string? TipMessage => null;

    /// <summary>The tip commit's id (a rollback goes only onto the deploy commit it reverts); null when unknown.</summary>
    string? TipSha => null;
}
