using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo;

/// <summary>
/// The product's scratch directories: private (0700), named &lt;prefix&gt;&lt;process id&gt;-&lt;random token&gt;, and
/// holding a marker file with that id and token, written first. A later run deletes one that a killed build left
/// behind only when it can prove it is one of these: see <see cref="SweepStale"/>.
/// </summary>
internal static class TempDirectory
{
    /// <summary>Temporary bare clones of the config repository.</summary>
    public const string ConfigClonePrefix = "gitops-config-";

    /// <summary>The marker every directory made by <see cref="Create(string?, string)"/> holds: "GitOps.Build &lt;id&gt; &lt;token&gt;".</summary>
    internal const string MarkerName = ".gitops-build-owner";

    private const string MarkerWord = "GitOps.Build";

    /// <summary>&lt;prefix&gt;&lt;process id&gt;-&lt;random&gt;: a unique name (for tests and fixtures; the product uses <see cref="Create(string?, string)"/>).</summary>
    public static string NewPath(string? parent, string prefix) =>
        Path.Combine(parent ?? Path.GetTempPath(), prefix + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Creates a private directory that <see cref="SweepStale"/> may delete once this process is gone.</summary>
    /// <exception cref="GitOpsException">GITOPS102: it could not be made (a full disk, a read-only TMPDIR).</exception>
    public static string Create(string? parent, string prefix) => Create(parent, prefix, Environment.ProcessId);

    /// <summary>As <see cref="Create(string?, string)"/>, owned by <paramref name="processId"/>: what a killed build of that id left.</summary>
    internal static string Create(string? parent, string prefix, int processId)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var directory = Path.Combine(parent ?? Path.GetTempPath(), $"{prefix}{processId.ToString(CultureInfo.InvariantCulture)}-{token}");
        try
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(directory);
            else
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var marker = new StreamWriter(Path.Combine(directory, MarkerName), System.Text.Encoding.ASCII, options))
                marker.Write(Marker(processId, token));
            return directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(directory);
            throw new GitOpsException(e, Errors.TemporaryFileNotWritten, "temporary directory " + Path.GetFileName(directory),
                Path.GetDirectoryName(directory), e.Message);
        }
    }

    /// <summary>
    /// Deletes the <paramref name="prefix"/> directories under <paramref name="parent"/> that this product made and whose
    /// process is gone (or whose id now belongs to a process started after the directory was made). Only a directory
    /// it can prove it made: a real directory (no link), owned by this user, holding a marker that is a regular file
    /// with one link, owned by this user, whose id and token are the directory's name. A directory a user named like
    /// one (a clone in $TMPDIR/gitops-config-staging) has no such marker and is never touched.
    /// </summary>
    /// <param name="parent">Where to look; null: the system's temporary directory.</param>
    /// <param name="prefix">The kind of directory, as given to <see cref="Create(string?, string)"/>.</param>
    /// <param name="beforeDelete">Runs first for each directory to delete (stops a gpg-agent of a GnuPG home).</param>
    /// <returns>How many were deleted. Best effort: nothing here fails a build.</returns>
    public static int SweepStale(string? parent, string prefix, Action<string>? beforeDelete = null)
    {
        List<string> candidates;
        try
        {
            candidates = Directory.EnumerateFileSystemEntries(parent ?? Path.GetTempPath(), prefix + "*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        var deleted = 0;
        foreach (var directory in candidates)
        {
            if (!IsOursAndStale(directory, prefix))
                continue;
            try
            {
                beforeDelete?.Invoke(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or GitOpsException or InvalidOperationException)
            {
                // Best effort: the directory goes all the same.
            }
            if (TryDelete(directory))
                deleted++;
        }
        return deleted;
    }

    private static string Marker(int processId, string token) => $"{MarkerWord} {processId.ToString(CultureInfo.InvariantCulture)} {token}\n";

    private static bool IsOursAndStale(string directory, string prefix)
    {
        try
        {
            var user = UnixFileStatus.CurrentUserId;
            if (UnixFileStatus.Of(directory, followLinks: false) is { } status
                && (status.Kind != UnixFileKind.Directory || (user is { } owner && status.OwnerId != owner)))
                return false;
            if (new DirectoryInfo(directory) is not { Exists: true, LinkTarget: null })
                return false;

            var marker = Path.Combine(directory, MarkerName);
            if (UnixFileStatus.Of(marker, followLinks: false) is { } markerStatus
                && (markerStatus.Kind != UnixFileKind.Regular || markerStatus.LinkCount != 1 || (user is { } markerOwner && markerStatus.OwnerId != markerOwner)))
                return false;
            if (new FileInfo(marker) is not { Exists: true, LinkTarget: null } markerFile)
                return false;

            var words = System.Text.Encoding.ASCII.GetString(UserFile.ReadAllBytes(marker, MarkerName, 128)).TrimEnd('\n').Split(' ');
            if (words is not [MarkerWord, var id, var token]
                || !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var processId)
                || processId.ToString(CultureInfo.InvariantCulture) != id
                || Path.GetFileName(directory) != prefix + id + "-" + token)
                return false;
            return !IsRunningSince(processId, markerFile.LastWriteTimeUtc);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GitOpsException)
        {
            return false; // cannot tell: keep it
        }
    }

    // A process id is reused: the owner is alive only if the process with its id started before its marker was written.
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

            // Links are not followed: one pointing at "../.." would walk the whole file system.
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
            if (OperatingSystem.IsWindows())
            {
                // Git writes pack and index files read-only; Windows refuses to delete those.
                foreach (var file in Directory.EnumerateFiles(path, "*", options))
                    File.SetAttributes(file, FileAttributes.Normal);
            }
            else
            {
                // Unix deletes a read-only file from a writable directory: no file's mode is touched, since a file may be
                // a hard link to one outside, whose mode it shares. Only a directory without write access is opened up.
                foreach (var directory in Directory.EnumerateDirectories(path, "*", options).Prepend(path))
                {
                    var mode = File.GetUnixFileMode(directory);
                    if (!mode.HasFlag(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute))
                        File.SetUnixFileMode(directory, mode | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
            Directory.Delete(path, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
