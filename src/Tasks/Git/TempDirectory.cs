namespace GitOps.Build.Git;

/// <summary>Unique scratch directories that are removed completely, read-only pack files included.</summary>
internal static class TempDirectory
{
    public static string NewPath(string? parent, string prefix) =>
        Path.Combine(parent ?? Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Best effort: a clone left behind must not turn a successful push into a failed build.</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            if (!Directory.Exists(path))
                return true;

            // Git writes pack and index files read-only; Windows refuses to delete those.
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                File.SetAttributes(file, FileAttributes.Normal);
            Directory.Delete(path, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
