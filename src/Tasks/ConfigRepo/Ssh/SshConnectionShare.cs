using System.ComponentModel;
using System.Diagnostics;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.ConfigRepo.Ssh;

/// <summary>
/// One SSH login for the clone and the push of one config clone (OpenSSH connection sharing): the clone's ssh stays
/// connected in the background as a master, and the push's ssh runs its session over it instead of logging in again.
/// A login is most of an SSH round's time (key exchange, authentication, a new session on the server: ~0.3 s here,
/// see build/bench/findings.md). The master exits when this is disposed, or by itself once idle for the writer's
/// remaining time; its socket lives in a private directory that is deleted with it.
/// </summary>
internal sealed class SshConnectionShare : IDisposable
{
    // Unix socket paths are limited to 104-108 bytes, and the master first binds a temporary name 17 bytes longer.
    private const int MaxSocketPath = 104 - 17;
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

    /// <summary>Prefix of the private directories that hold the shared login's socket.</summary>
    public const string DirectoryPrefix = "gitops-ssh-mux-";

    private readonly string directory;
    private readonly string program;
    private readonly SshAddress address;

    private SshConnectionShare(string directory, string program, SshAddress address)
    {
        this.directory = directory;
        this.program = program;
        this.address = address;
    }

    private string Socket => Path.Combine(directory, "c");

    /// <summary>
    /// Null where ssh cannot share connections (Windows' OpenSSH), or the socket path would be too long or holds what
    /// no quoting carries to ssh (<see cref="SshOptionValue"/>): then each ssh logs in by itself.
    /// </summary>
    public static SshConnectionShare? Create(SshAddress address, string program, string? workDirectory)
    {
        if (OperatingSystem.IsWindows())
            return null;
        var parent = Usable(workDirectory ?? Path.GetTempPath()) ?? Usable(Path.GetTempPath());
        if (parent is null)
            return null;
        try
        {
            return new SshConnectionShare(TempDirectory.Create(parent, DirectoryPrefix), program, address);
        }
        catch (GitOpsException)
        {
            return null; // a full disk: the login is not shared, and the key's own write says why if it fails too
        }
    }

    // A parent whose socket path fits (<prefix><id>-<16 hex>/c, in bytes) and can be quoted for ssh.
    private static string? Usable(string parent) =>
        System.Text.Encoding.UTF8.GetByteCount(Path.GetFullPath(Path.Combine(parent, DirectoryPrefix + Environment.ProcessId))) + 1 + 16 + 2 <= MaxSocketPath
        && SshOptionValue.Problem(parent) is null ? parent : null;

    /// <summary>ssh options: become the master or use the running one; a master stays up to <paramref name="idle"/> without sessions.</summary>
    public IEnumerable<string> Arguments(TimeSpan idle) =>
    [
        "-o", "ControlMaster=auto", .. SshOptionValue.Path("ControlPath", Socket),
        "-o", $"ControlPersist={Math.Max(1, (int)Math.Ceiling(idle.TotalSeconds))}",
    ];

    /// <summary>Asks the master to exit (ssh -O exit, as a user would), then deletes the socket's directory.</summary>
    public void Dispose()
    {
        if (File.Exists(Socket))
        {
            try
            {
                using var exit = Process.Start(ChildProcess.StartInfo(program, [.. SshOptionValue.Path("ControlPath", Socket), "-O", "exit", "--", address.Destination]))!;
                if (!exit.WaitForExit(ExitWait))
                    exit.Kill(entireProcessTree: true);
            }
            catch (Win32Exception)
            {
                // No ssh to ask: the master ends by itself once idle (ControlPersist).
            }
        }
        // The master unlinks its socket as it exits, which can race the recursive delete: try again briefly.
        for (var attempt = 0; !TempDirectory.TryDelete(directory) && attempt < 5; attempt++)
            Thread.Sleep(50);
    }
}
