using System.ComponentModel;
using System.Diagnostics;

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
    // Unix socket paths are limited to ~104 bytes.
    private const int MaxSocketPath = 100;
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

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

    /// <summary>Null where ssh cannot share connections (Windows' OpenSSH) or the socket path would be too long.</summary>
    public static SshConnectionShare? Create(SshAddress address, string program, string? workDirectory)
    {
        if (OperatingSystem.IsWindows())
            return null;
        var directory = TempDirectory.NewPath(workDirectory, "gitops-ssh-mux-");
        if (directory.Length + 2 > MaxSocketPath)
            directory = TempDirectory.NewPath(null, "gitops-ssh-mux-");
        if (directory.Length + 2 > MaxSocketPath)
            return null;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new SshConnectionShare(directory, program, address);
    }

    /// <summary>ssh options: become the master or use the running one; a master stays up to <paramref name="idle"/> without sessions.</summary>
    public IEnumerable<string> Arguments(TimeSpan idle) =>
    [
        "-o", "ControlMaster=auto", "-o", "ControlPath=" + Socket,
        "-o", $"ControlPersist={Math.Max(1, (int)Math.Ceiling(idle.TotalSeconds))}",
    ];

    /// <summary>Asks the master to exit (ssh -O exit, as a user would), then deletes the socket's directory.</summary>
    public void Dispose()
    {
        if (File.Exists(Socket))
        {
            try
            {
                var start = new ProcessStartInfo(program)
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (var argument in new[] { "-o", "ControlPath=" + Socket, "-O", "exit", "--", address.Destination })
                    start.ArgumentList.Add(argument);
                using var exit = Process.Start(start)!;
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
