using System.Diagnostics;

namespace GitOps.Build.ConfigRepo;

/// <summary>Unique scratch directories that are removed completely, read-only pack files included.</summary>
internal static class TempDirectory
{
    /// <summary>Temporary bare clones of the config repository.</summary>
    public const string ConfigClonePrefix = "gitops-config-";

    /// <summary>A build killed by -9 (or a crashed node) cannot clean up: a directory without an owner's id goes after this.</summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromHours(1);

    /// <summary>&lt;prefix&gt;&lt;process id&gt;-&lt;random&gt;: the owner's id lets a later run tell a left-over clone from one in use.</summary>
    public static string NewPath(string? parent, string prefix) =>
        Path.Combine(parent ?? Path.GetTempPath(), prefix + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>
    /// Deletes the <paramref name="prefix"/> directories under <paramref name="parent"/> whose owning process is gone
    /// (or whose id now belongs to a process started after the directory was last written); directories named without
    /// an id, when older than <see cref="OrphanAge"/>. A symbolic link named like one is left alone and never followed.
    /// </summary>
    /// <returns>How many were deleted. Best effort: nothing here fails a build.</returns>
    public static int SweepStale(string? parent, string prefix)
    {
        List<DirectoryInfo> candidates;
        try
        {
            candidates = new DirectoryInfo(parent ?? Path.GetTempPath()).EnumerateDirectories(prefix + "*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        return candidates.Count(directory => directory.LinkTarget is null && IsStale(directory, prefix) && TryDelete(directory.FullName));
    }

    private static bool IsStale(DirectoryInfo directory, string prefix)
    {
        var rest = directory.Name[prefix.Length..];
        var dash = rest.IndexOf('-');
        return dash > 0 && int.TryParse(rest[..dash], System.Globalization.NumberStyles.None, null, out var owner)
            ? !IsRunningSince(owner, directory.LastWriteTimeUtc)
            : DateTime.UtcNow - directory.LastWriteTimeUtc > OrphanAge;
    }

    // A process id is reused: the owner is alive only if the process with its id started before the directory was written.
    private static bool IsRunningSince(int processId, DateTime writtenUtc)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.StartTime.ToUniversalTime() <= writtenUtc.AddSeconds(2);
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return true; // cannot tell: keep it
        }
    }

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
