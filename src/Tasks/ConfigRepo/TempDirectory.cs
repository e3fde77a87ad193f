namespace GitOps.Build.ConfigRepo;

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
            // Links are not followed: one pointing at "../.." would walk the whole file system.
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
            foreach (var file in Directory.EnumerateFiles(path, "*", options))
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
