using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Signing;

/// <summary>Scratch files only the build user can read (0700 directory, 0600 files): a key on disk for one signing.</summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string CreateDirectory(string? parent, string prefix)
    {
        var path = TempDirectory.NewPath(parent, prefix);
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        return path;
    }

    public static string Write(string path, string content, bool executable = false)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = executable ? OwnerOnlyDirectory : OwnerOnlyFile;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
        writer.Write(content);
        return path;
    }
}
