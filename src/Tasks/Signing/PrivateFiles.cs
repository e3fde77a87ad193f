using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Signing;

/// <summary>Scratch files only the build user can read (0700 directory, 0600 files): a key on disk for one signing.</summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>A private directory with the marker <see cref="TempDirectory.SweepStale"/> proves ownership by.</summary>
    public static string CreateDirectory(string? parent, string prefix) => TempDirectory.Create(parent, prefix);

    /// <exception cref="GitOpsException">GITOPS102: the disk is full; the caller deletes the directory.</exception>
    /// <param name="path">The new file, in a directory of <see cref="CreateDirectory"/>.</param>
    /// <param name="content">Written as UTF-8 without a byte order mark.</param>
    /// <param name="what">What is written, for that message: never the content.</param>
    /// <param name="executable">0700 instead of 0600 (a script).</param>
    public static string Write(string path, string content, string what, bool executable = false)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = executable ? OwnerOnlyDirectory : OwnerOnlyFile;
        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
            writer.Write(content);
        }
        catch (IOException e)
        {
            throw new GitOpsException(e, Errors.TemporaryFileNotWritten, what, Path.GetDirectoryName(path), e.Message);
        }
        return path;
    }
}
