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

    /// <summary>Prefix of the private directories key and known_hosts text are written to.</summary>
    public const string DirectoryPrefix = "gitops-ssh-";

    /// <exception cref="GitOpsException">
    /// GITOPS086/087: a value that is neither a file nor content; GITOPS100: a file that is no regular file, or too large;
    /// GITOPS101: a path ssh cannot be given; GITOPS102: the temporary directory is full.
    /// </exception>
    public static SshIdentityFiles Create(SshSettings settings, string? workDirectory)
    {
        var key = Classify(settings.Key, IsKey, Errors.SshKeyUnusable, SecretVariables.SshKey);
        var knownHosts = Classify(settings.KnownHosts, IsKnownHosts, Errors.SshKnownHostsUnusable, SshSettings.KnownHostsVariable);
        if (key is not { IsContent: true } && knownHosts is not { IsContent: true })
            return new SshIdentityFiles(null, key?.Value, knownHosts?.Value);

        SshOptionValue.Checked(workDirectory ?? Path.GetTempPath(), "TMPDIR");
        var directory = TempDirectory.Create(workDirectory, DirectoryPrefix);
        try
        {
            return new SshIdentityFiles(directory,
                key is { IsContent: true } ? Write(directory, "key", KeyText(key.Value.Value), SecretVariables.SshKey) : key?.Value,
                knownHosts is { IsContent: true } ? Write(directory, "known_hosts", knownHosts.Value.Value, SshSettings.KnownHostsVariable) : knownHosts?.Value);
        }
        catch
        {
            TempDirectory.TryDelete(directory);
            throw;
        }
    }

    /// <summary>Deletes the key directories (and connection-sharing sockets) of builds that were killed: see <see cref="TempDirectory.SweepStale"/>.</summary>
    public static int SweepStale(string? parent) =>
        TempDirectory.SweepStale(parent, DirectoryPrefix) + TempDirectory.SweepStale(parent, SshConnectionShare.DirectoryPrefix);

    public void Dispose()
    {
        if (directory is not null)
            TempDirectory.TryDelete(directory);
    }

    private static (string Value, bool IsContent)? Classify(string? value, Func<string, bool> isContent, GitOpsError unusable, string variable)
    {
        if (value is null)
            return null;
        if (isContent(value))
            return (value, true);
        var path = value.Trim();
        if (!File.Exists(path))
            throw new GitOpsException(unusable);
        // A FIFO would hang ssh, /dev/zero fill its memory: only a regular file goes to ssh, by a path it reads as given.
        return (SshOptionValue.Checked(UserFile.CheckForTool(path, variable, UserFile.KeyLimit), variable), false);
    }

    private static bool IsKey(string value) => value.TrimStart().StartsWith("-----BEGIN ", StringComparison.Ordinal);

    // known_hosts lines have at least "host keytype key": a path has no whitespace inside (or is an existing file).
    private static bool IsKnownHosts(string value) => value.Trim().Contains(' ') && !File.Exists(value.Trim());

    // OpenSSH refuses a key without its final newline ("invalid format"), and CI secrets often lose it or gain '\r'.
    private static string KeyText(string key) => key.Trim().ReplaceLineEndings("\n") + "\n";

    private static string Write(string directory, string name, string content, string variable)
    {
        var path = Path.Combine(directory, name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
            writer.Write(content);
        }
        catch (IOException e)
        {
            // A full disk: the caller deletes the directory with what was written of the key.
            throw new GitOpsException(e, Errors.TemporaryFileNotWritten, $"{name} given in {variable}", directory, e.Message);
        }
        return path;
    }
}
