namespace GitOps.Build.ConfigRepo;

/// <summary>A read-only view of the config repository at the tip of the target branch.</summary>
public interface IConfigTree
{
    /// <summary>Reads a file; false when it does not exist (or is not a file). Symbolic links are never followed.</summary>
    /// <param name="path">Relative to the repository root, with '/' separators.</param>
    /// <param name="content">The file's bytes, exactly as committed.</param>
    bool TryReadFile(string path, out byte[] content);

    /// <summary>Every file under <paramref name="directory"/>, recursively, as repository-relative paths ("" = root).</summary>
    IEnumerable<string> ListFiles(string directory);

    /// <summary>The tip commit's full message (its trailers say what was deployed last); null when unknown.</summary>
    string? TipMessage => null;
}
