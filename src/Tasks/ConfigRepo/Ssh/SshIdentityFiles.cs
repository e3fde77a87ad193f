using GitOps.Build.Diagnostics;
using GitOps.Build.ConfigRepo;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// The key and known_hosts ssh reads, as files: the ones named by path, or the content written to a private temporary
/// directory (0700, files 0600) that exists only while a transfer runs and is deleted on dispose, failure or not.
/// </summary>
internal sealed class SshIdentityFiles : IDisposable
{
    private readonly string? directory;

    private SshIdentityFiles(string? directory, string? keyFile, string? knownHostsFile)
    {
        this.directory = directory;
        KeyFile = keyFile;
        KnownHostsFile = knownHostsFile;
    }

    /// <summary>For ssh -i; null: ssh's own defaults and ssh-agent.</summary>
    public string? KeyFile { get; }

    /// <summary>For ssh -o UserKnownHostsFile; null: ~/.ssh/known_hosts.</summary>
    public string? KnownHostsFile { get; }

    /// <exception cref="GitOpsException">GITOPS086/087: a value that is neither a file nor content.</exception>
    public static SshIdentityFiles Create(SshSettings settings, string? workDirectory)
    {
        var key = Classify(settings.Key, IsKey, Errors.SshKeyUnusable);
        var knownHosts = Classify(settings.KnownHosts, IsKnownHosts, Errors.SshKnownHostsUnusable);
        if (key is not { IsContent: true } && knownHosts is not { IsContent: true })
            return new SshIdentityFiles(null, key?.Value, knownHosts?.Value);

        var directory = TempDirectory.NewPath(workDirectory, "gitops-ssh-");
        try
        {
            // Windows has no Unix modes: the user's temp directory is private there already.
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(directory);
            else
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return new SshIdentityFiles(directory,
                key is { IsContent: true } ? Write(directory, "key", KeyText(key.Value.Value)) : key?.Value,
                knownHosts is { IsContent: true } ? Write(directory, "known_hosts", knownHosts.Value.Value) : knownHosts?.Value);
        }
        catch
        {
            TempDirectory.TryDelete(directory);
            throw;
        }
    }

    public void Dispose()
    {
        if (directory is not null)
            TempDirectory.TryDelete(directory);
    }

    private static (string Value, bool IsContent)? Classify(string? value, Func<string, bool> isContent, GitOpsError unusable)
    {
        if (value is null)
            return null;
        if (isContent(value))
            return (value, true);
        var path = value.Trim();
        return File.Exists(path) ? (Path.GetFullPath(path), false) : throw new GitOpsException(unusable);
    }

    private static bool IsKey(string value) => value.TrimStart().StartsWith("-----BEGIN ", StringComparison.Ordinal);

    // known_hosts lines have at least "host keytype key": a path has no whitespace inside (or is an existing file).
    private static bool IsKnownHosts(string value) => value.Trim().Contains(' ') && !File.Exists(value.Trim());

    // OpenSSH refuses a key without its final newline ("invalid format"), and CI secrets often lose it or gain '\r'.
    private static string KeyText(string key) => key.Trim().ReplaceLineEndings("\n") + "\n";

    private static string Write(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(content);
        return path;
    }
}
